import keras
import numpy as np
import pytest

from vaekit.anomaly import anomaly_scores, roc_auc, unusual_images
from vaekit.diagnostics import (
    heldout_elbo,
    importance_weighted_log_likelihood,
    log_likelihood_per_image,
    negative_elbo_per_image,
)
from vaekit.models import build_vae

RNG = np.random.default_rng(0)
DIGITS = RNG.uniform(size=(40, 28, 28)).astype("float32") ** 3  # dark, digit-like grey levels


@pytest.fixture(scope="module")
def vae():
    keras.utils.set_random_seed(0)
    model = build_vae(latent_dim=2, hidden_units=(16,), seed=0)
    model.compile(optimizer="adam")
    model.fit(DIGITS, epochs=3, batch_size=20, verbose=0)
    return model


def test_roc_auc_known_answers():
    assert roc_auc([0, 1, 2], [3, 4]) == 1.0
    assert roc_auc([3, 4], [0, 1, 2]) == 0.0
    assert roc_auc([1, 1], [1, 1]) == 0.5
    assert roc_auc(np.float32([0, 2]), [1]) == 0.5


@pytest.mark.parametrize(
    "normal, unusual, message",
    [([], [1.0], "normal_scores"), ([1.0], [[1.0]], "unusual_scores"),
     ([np.nan], [1.0], "finite"), (["a"], [1.0], "numbers")],
)
def test_roc_auc_bad_scores_are_named(normal, unusual, message):
    with pytest.raises(ValueError, match=message):
        roc_auc(normal, unusual)


def test_unusual_images():
    noise = unusual_images(DIGITS, "noise", seed=1)
    assert noise.shape == DIGITS.shape and 0.4 < noise.mean() < 0.6
    np.testing.assert_array_equal(noise, unusual_images(DIGITS, "noise", seed=1))
    assert not unusual_images(DIGITS, "blank").any()
    np.testing.assert_allclose(unusual_images(DIGITS, "inverted"), 1 - DIGITS)
    rotated = unusual_images(DIGITS, "rotated")
    np.testing.assert_array_equal(np.rot90(rotated[3], -1), DIGITS[3])
    with pytest.raises(ValueError, match="kind='upside down'"):
        unusual_images(DIGITS, "upside down")
    with pytest.raises(ValueError, match="square"):
        unusual_images(np.zeros((2, 28, 14)), "rotated")
    with pytest.raises(ValueError, match="divide 0–255"):
        unusual_images(DIGITS * 255, "blank")


def test_anomaly_scores_are_per_image_and_consistent(vae):
    scores = anomaly_scores(vae, DIGITS[:10], num_samples=20, seed=0)
    assert set(scores) == {"negative_elbo", "negative_log_likelihood", "reconstruction_error"}
    for values in scores.values():
        assert values.shape == (10,) and np.all(np.isfinite(values))
    assert np.all(scores["reconstruction_error"] >= 0)
    # The K-sample bound is tighter than the ELBO on average.
    assert scores["negative_log_likelihood"].mean() < scores["negative_elbo"].mean()


def test_per_image_diagnostics_average_to_the_summaries(vae):
    per_image = negative_elbo_per_image(vae, DIGITS, num_samples=3, seed=4)
    summary = heldout_elbo(vae, DIGITS, num_samples=3, seed=4)
    for key, values in per_image.items():
        assert values.shape == (40,)
        assert summary[key] == pytest.approx(values.mean(), rel=1e-6)
    np.testing.assert_allclose(per_image["negative_elbo"],
                               per_image["reconstruction"] + per_image["kl"])
    log_px = log_likelihood_per_image(vae, DIGITS, num_samples=5, seed=2)
    assert log_px.shape == (40,)
    assert importance_weighted_log_likelihood(vae, DIGITS, num_samples=5, seed=2) == (
        pytest.approx(log_px.mean(), rel=1e-6))


@pytest.mark.backend_independent
@pytest.mark.parametrize("kind", ["noise", "blank", "inverted", "rotated"])
def test_a_bad_seed_is_refused_for_every_kind(kind):
    images = np.random.default_rng(0).uniform(size=(3, 28, 28))
    with pytest.raises(ValueError, match="seed=-1"):
        unusual_images(images, kind, seed=-1)
    assert unusual_images(images, kind, seed=np.int64(1)).shape == images.shape
