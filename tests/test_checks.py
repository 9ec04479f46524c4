import numpy as np
import pytest

from vaekit.checks import (
    as_codes,
    as_float_array,
    as_images,
    as_labels,
    as_points,
    as_posterior,
    check_callable_model,
    check_decoder,
    check_fraction,
    check_grey_levels,
)
from vaekit.models import build_autoencoder, build_decoder

IMAGES = np.random.default_rng(0).uniform(size=(4, 28, 28)).astype("float32")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: as_float_array(None, "x"), r"`x` must be an array of numbers.*x=None"),
        (lambda: as_float_array(np.array([1 + 2j]), "x"), r"`x` must be .*real.*complex128"),
        (lambda: as_float_array(["1", "2"], "x"), r"`x` must be an array of numbers.*<U1"),
        (lambda: as_float_array([1.0, np.nan], "x", finite=True), r"`x` must be finite"),
        (lambda: as_codes(np.ones((4, 2)) + 1j), r"`codes` .*complex"),
        (lambda: check_grey_levels(IMAGES + 5j), r"`images` .*complex"),
        (lambda: check_grey_levels(np.zeros((0, 28, 28))), r"`images` .*shape=\(0, 28, 28\)"),
        (lambda: check_grey_levels(None), r"`images` .*images=None"),
        (lambda: check_grey_levels(IMAGES * 255), r"divide 0–255 images by 255"),
        (lambda: as_images(IMAGES[:, :14], shape=(28, 28)),
         r"28 × 28 images, shape \(n, 28, 28\)\. Received: images.shape=\(4, 14, 28\)"),
        (lambda: as_images(IMAGES[:0]), r"non-empty batch"),
        (lambda: as_images(np.full((2, 3), np.nan), "x"), r"`x` must hold grey levels"),
        (lambda: as_images(np.full((2, 3), np.inf), grey_levels=False), r"`images` must be finite"),
        (lambda: as_labels([0, np.nan], 2), r"`labels` must be finite"),
        (lambda: as_labels([0, 1], 3), r"`labels` must have shape \(3,\)"),
        (lambda: as_points(np.zeros((2, 3)), 2), r"`points` must have 2 columns"),
        (lambda: as_posterior(np.zeros((4, 2)), np.full((4, 2), 1e3)),
         r"`z_log_var` must be log-variances within ±88\.7"),
        (lambda: as_posterior(np.zeros((4, 2)), np.zeros((4, 3))), r"same shape"),
        (lambda: check_fraction("clip", 0.5, below=0.5), r"between 0 and 0\.5.*clip=0\.5"),
    ],
)
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: check_callable_model("model", "not a model"), r"`model` .*of type str"),
        (lambda: check_decoder("decoder", None), r"`decoder` must be a Keras model"),
        (lambda: check_decoder("decoder", build_autoencoder(latent_dim=2, hidden_units=(4,))),
         r"`decoder` must be a Keras model with one input.*Autoencoder"),
    ],
)
def test_a_wrong_kind_of_object_is_a_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_bool_and_nested_list_images_are_grey_levels():
    binary = IMAGES > 0.5
    check_grey_levels(binary)
    check_grey_levels(IMAGES.tolist())
    converted = as_images(binary, shape=(28, None))
    assert converted.dtype == np.float32 and set(np.unique(converted)) == {0.0, 1.0}


def test_valid_input_is_returned_unchanged():
    assert as_float_array(np.arange(3, dtype=np.float32), "x", np.float32).dtype == np.float32
    assert as_float_array(np.array([1.0, 2.0], dtype=object), "x").tolist() == [1.0, 2.0]
    assert check_decoder("decoder", build_decoder(latent_dim=3, hidden_units=(4,))) == 3
    z_mean, z_log_var = as_posterior([[0.0, 1.0], [1.0, 0.0]], np.full((2, 2), -88.0))
    assert z_mean.dtype == z_log_var.dtype == np.float64


@pytest.mark.backend_independent
def test_seeds_are_bounded_to_the_range_every_library_accepts():
    from vaekit.checks import check_seed

    assert check_seed("seed", np.uint32(2**32 - 1)) == 2**32 - 1
    assert check_seed("seed", np.int64(0)) == 0
    for bad in (2**32, 2**63, -1):
        with pytest.raises(ValueError, match=rf"`seed` must be .*Received: seed={bad}"):
            check_seed("seed", bad)
    with pytest.raises(ValueError, match=r"\[0, 2\*\*32 - 1\]"):
        check_seed("seed", 2**32)


@pytest.mark.backend_independent
def test_positive_ints_can_be_bounded():
    from vaekit.checks import check_positive_int

    assert check_positive_int("n", np.int64(5), maximum=5) == 5
    with pytest.raises(ValueError, match=r"`n` must be a positive integer at most 1,000\. "
                                         r"Received: n=1001"):
        check_positive_int("n", 1001, maximum=1000)


@pytest.mark.backend_independent
@pytest.mark.parametrize("outputs, seen", [
    (np.array([[-0.5, 0.2]]), r"\[-0.5, 0.2\]"),
    (np.array([[np.nan, 0.2]]), r"\[0.2, 0.2\] with NaN or inf"),
    (np.array([[np.inf]]), "NaN or inf only"),
])
def test_decoded_images_outside_grey_levels_name_the_decoder(outputs, seen):
    from vaekit.checks import check_decoded_grey_levels

    with pytest.raises(ValueError, match=rf"`decoder` must output grey levels.*Received: a "
                                         rf"decoder whose outputs are in {seen}"):
        check_decoded_grey_levels(outputs)
    assert check_decoded_grey_levels(np.array([[0.0, 1.0]])) is not None
