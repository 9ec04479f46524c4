import numpy as np
import pytest
from scipy.ndimage import gaussian_filter

from vaekit.memorisation import COPY_QUANTILE, memorisation_check, nearest_training_distances


def test_copies_of_training_digits_sit_at_distance_zero(mnist_subset):
    train, test = mnist_subset.x_train, mnist_subset.x_test
    copies = train[:500]
    result = memorisation_check(copies, train, test[:500])
    assert np.allclose(result["sample_distances"], 0.0, atol=1e-4)
    assert result["copy_share"] == 1.0 and result["median_ratio"] < 0.01
    # held-out digits are far from every training digit, copies are not
    assert np.median(result["heldout_distances"]) > 3.0


def test_new_real_digits_are_not_flagged(mnist_subset):
    train, test = mnist_subset.x_train, mnist_subset.x_test
    result = memorisation_check(test[:500], train, test[500:])  # another half of held-out digits
    assert result["copy_share"] < 3 * COPY_QUANTILE
    assert 0.8 < result["median_ratio"] < 1.25


def test_slightly_noisy_copies_are_still_caught(mnist_subset):
    train, test = mnist_subset.x_train, mnist_subset.x_test
    rng = np.random.default_rng(0)
    noisy = np.clip(train[:500] + rng.normal(0, 0.02, train[:500].shape), 0, 1)
    result = memorisation_check(noisy, train, test[:500])
    assert result["copy_share"] > 0.95


def test_distances_are_euclidean_in_pixels():
    training = np.zeros((3, 2, 2))
    training[1] = 1.0
    images = np.full((2, 2, 2), 0.5)
    images[1, 0, 0] = 0.0
    distances = nearest_training_distances(images, training)
    assert distances.shape == (2,)
    assert distances[0] == pytest.approx(1.0)  # sqrt(4 × 0.25)
    assert distances[1] == pytest.approx(np.sqrt(3 * 0.25))


def test_blur_does_not_look_like_copying(mnist_subset):
    # blurred training digits are not copies: the check must not flag smoothing as memorising
    train, test = mnist_subset.x_train, mnist_subset.x_test
    blurred = gaussian_filter(train[:500], (0, 1.5, 1.5))
    assert memorisation_check(blurred, train, test[:500])["copy_share"] < 0.5


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: nearest_training_distances(np.zeros((2, 4, 4)), np.zeros((2, 5, 5))),
         "same image size"),
        (lambda: nearest_training_distances(np.zeros((2, 4, 4)) + 2, np.zeros((2, 4, 4))),
         "divide 0–255"),
        (lambda: memorisation_check(np.zeros((2, 4, 4)), np.zeros((2, 4, 4)),
                                    np.ones((2, 4, 4)), quantile=0), "quantile=0"),
        (lambda: memorisation_check(np.zeros((2, 4, 4)), np.zeros((2, 4, 4)),
                                    np.zeros((2, 4, 4))), "must not be copies"),
        (lambda: nearest_training_distances(np.zeros((0, 4, 4)), np.zeros((2, 4, 4))),
         "non-empty"),
    ],
)
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.backend_independent
@pytest.mark.parametrize("argument", ["samples", "heldout_images"])
def test_memorisation_check_names_the_argument_passed(argument):
    images = np.random.default_rng(0).uniform(size=(6, 28, 28))
    arguments = {"samples": images, "training_images": images, "heldout_images": images}
    with pytest.raises(ValueError, match=rf"`{argument}` must be an array.*{argument}=None"):
        memorisation_check(**{**arguments, argument: None})
    with pytest.raises(ValueError, match=rf"`{argument}` and `training_images` must have the same"):
        memorisation_check(**{**arguments, argument: images[:, :14]})
