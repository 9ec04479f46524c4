import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from vaekit.conditional import ConditionalVAE, build_conditional_vae, check_labels
from vaekit.models import build_decoder, build_encoder

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(size=(33, 28, 28)).astype("float32")
LABELS = RNG.integers(0, 10, 33)


def small_cvae(**kwargs):
    cvae = build_conditional_vae(latent_dim=2, hidden_units=(16,), seed=0, **kwargs)
    cvae.compile(optimizer="adam")
    return cvae


@pytest.mark.parametrize("kind", ["dense", "conv"])
def test_conditional_halves_take_the_one_hot_label(kind):
    encoder = build_encoder(latent_dim=3, kind=kind, filters=(4,), variational=True,
                            num_classes=10)
    decoder = build_decoder(latent_dim=3, kind=kind, filters=(4,), num_classes=10)
    one_hot = np.eye(10, dtype="float32")[LABELS[:5]]
    z_mean, z_log_var = encoder([IMAGES[:5], one_hot])
    assert z_mean.shape == (5, 3) and z_log_var.shape == (5, 3)
    assert decoder([np.zeros((5, 3), "float32"), one_hot]).shape == (5, 28, 28)


def test_the_label_changes_the_decoded_image():
    cvae = small_cvae()
    z = np.zeros((10, 2), "float32")
    images = cvae.generate(np.arange(10), z=z)
    assert images.shape == (10, 28, 28)
    assert np.all((images >= 0) & (images <= 1))
    # An untrained decoder already maps each label to its own image from the same z.
    assert np.min(np.abs(images[0] - images[1:]).reshape(9, -1).max(axis=1)) > 1e-4
    np.testing.assert_array_equal(cvae.generate([3, 3], seed=5), cvae.generate([3, 3], seed=5))


@pytest.mark.parametrize("num_images, batch_size", [(33, 32), (33, 10)])
def test_metrics_add_up_and_training_lowers_the_loss(num_images, batch_size):
    cvae = small_cvae(kl_weight=2.0)
    inputs = [IMAGES[:num_images], LABELS[:num_images]]
    result = cvae.evaluate(inputs, batch_size=batch_size, verbose=0, return_dict=True)
    assert result["loss"] == pytest.approx(
        result["reconstruction_loss"] + 2.0 * result["kl_loss"], abs=1e-4)
    history = cvae.fit(inputs, batch_size=batch_size, epochs=5, verbose=0).history
    assert history["loss"][-1] < history["loss"][0]
    zero = cvae.evaluate(inputs, sample_weight=np.zeros(num_images), verbose=0, return_dict=True)
    assert zero["loss"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.slow
def test_round_trip_in_a_fresh_process_under_safe_mode(tmp_path):
    cvae = small_cvae()
    cvae.fit([IMAGES, LABELS], epochs=1, verbose=0)
    path = tmp_path / "cvae.keras"
    cvae.save(path)
    z = np.random.default_rng(1).standard_normal((10, 2)).astype("float32")
    np.save(tmp_path / "z.npy", z)
    np.save(tmp_path / "expected.npy", cvae.generate(np.arange(10), z=z))
    code = f"""
import keras, numpy as np, vaekit
m = keras.models.load_model({str(path)!r}, safe_mode=True)
z, expected = np.load({str(tmp_path / "z.npy")!r}), np.load({str(tmp_path / "expected.npy")!r})
assert type(m).__name__ == "ConditionalVAE" and m.num_classes == 10
np.testing.assert_allclose(m.generate(np.arange(10), z=z), expected, atol=1e-6)
x = np.random.default_rng(0).uniform(size=(8, 28, 28)).astype("float32")
r = m.evaluate([x, np.arange(8)], verbose=0, return_dict=True)
print(sorted(r))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "['kl_loss', 'loss', 'reconstruction_loss']"


@pytest.mark.parametrize(
    "inputs, message",
    [
        (IMAGES, r"\[images, labels\].*one array"),
        ([IMAGES], "1 items"),
        ([IMAGES, LABELS + 10], r"class indices in \[0, 10\)"),
        ([IMAGES, LABELS.astype(float)], "integer class indices"),
        ([IMAGES, LABELS[:5]], "33 images and 5 labels"),
        ([IMAGES * 255, LABELS], "divide 0–255 images by 255"),
    ],
)
def test_bad_inputs_are_named(inputs, message):
    with pytest.raises(ValueError, match=message):
        small_cvae().fit(inputs, epochs=1, verbose=0)


def test_bad_generate_arguments_are_named():
    cvae = small_cvae()
    with pytest.raises(ValueError, match=r"z.shape=\(3, 2\)"):
        cvae.generate([1, 2], z=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="seed=-1"):
        cvae.generate([1], seed=-1)
    with pytest.raises(ValueError, match="seed=-1"):  # checked even when unused
        cvae.generate([1], z=np.zeros((1, 2)), seed=-1)
    with pytest.raises(ValueError, match="num_classes=0"):
        build_conditional_vae(num_classes=0)
    with pytest.raises(ValueError, match="num_classes"):
        ConditionalVAE(build_encoder(variational=True, num_classes=10),
                       build_decoder(num_classes=10), num_classes=np.float64(2.5))


def test_labels_accept_numpy_integers_of_any_width():
    np.testing.assert_array_equal(check_labels(np.array([1, 2], np.uint8), 10), [1, 2])
    assert build_conditional_vae(num_classes=np.int64(3)).num_classes == 3
    assert keras.ops.shape(small_cvae().generate(np.array([0, 9], np.int32)))[0] == 2


def test_predict_and_call_refuse_bad_inputs_and_leave_the_model_unchanged():
    cvae = small_cvae()
    inputs = [IMAGES, LABELS]
    cvae(inputs)  # build
    weights = cvae.get_weights()
    for bad, message in [
        ([IMAGES * 255, LABELS], r"`x\[0\] \(images\)` .*divide 0–255 images by 255"),
        ([IMAGES[..., None], LABELS], r"x\[0\] \(images\)`.*shape=\(33, 28, 28, 1\)"),
        ([IMAGES, LABELS + 10], r"`x\[1\] \(labels\)` must be class indices"),
        (None, "x=None"),
    ]:
        with pytest.raises(ValueError, match=message):
            cvae.predict(bad, verbose=0)
        with pytest.raises(ValueError, match=message.replace("x", "inputs", 1)):
            cvae(bad)
        with pytest.raises(ValueError, match=message):
            cvae.fit(bad, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"`validation_data\[0\]\[1\] \(labels\)`"):
        cvae.fit(inputs, validation_data=([IMAGES, LABELS + 10],), epochs=1, verbose=0)
    for before, after in zip(weights, cvae.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    assert cvae.predict(inputs, verbose=0)["z"].shape == (33, 2)


@pytest.mark.parametrize(
    "encoder, decoder, kwargs, message",
    [
        (build_encoder(variational=True), build_decoder(), {},
         r"`encoder` must take \[images, one_hot_labels\] .*with num_classes.*1 input"),
        (build_encoder(variational=True, num_classes=10), build_decoder(), {},
         r"`decoder` must take \[z, one_hot_labels\]"),
        (build_encoder(variational=True, num_classes=10), build_decoder(num_classes=10),
         {"num_classes": 5}, r"`encoder` must take one-hot labels of num_classes=5.*\(None, 10\)"),
        (build_encoder(variational=True, num_classes=5), build_decoder(num_classes=10),
         {"num_classes": 5}, r"`decoder` must take one-hot labels of num_classes=5.*\(None, 10\)"),
    ],
)
def test_halves_that_do_not_fit_are_refused_at_construction(encoder, decoder, kwargs, message):
    with pytest.raises(ValueError, match=message):
        ConditionalVAE(encoder, decoder, **kwargs)


@pytest.mark.parametrize(
    "z, message",
    [
        (np.full((2, 2), np.nan), "`z` must be finite"),
        (np.full((2, 2), 1e300), "`z` must be finite"),  # inf in float32
        ([["a", "b"]] * 2, "`z` must be an array of numbers"),
    ],
)
def test_generate_refuses_codes_that_are_not_finite(z, message):
    with pytest.raises(ValueError, match=message):
        small_cvae().generate([1, 2], z=z)


def test_generate_accepts_integer_codes():
    cvae = small_cvae()
    np.testing.assert_array_equal(cvae.generate([1, 2], z=np.zeros((2, 2), int)),
                                  cvae.generate([1, 2], z=np.zeros((2, 2))))


def test_check_labels_names_a_bad_num_classes():
    with pytest.raises(ValueError, match="num_classes='10'"):
        check_labels([1], "10")
    np.testing.assert_array_equal(check_labels([1], np.int64(10)), [1])


@pytest.mark.parametrize("inputs, message", [
    ({"a": 1}, "x of type dict"), (3, "x of type int"), ([IMAGES, {"a": 1}], r"x\[1\] \(labels\)"),
])
def test_objects_that_are_not_images_and_labels_are_named(inputs, message):
    with pytest.raises(ValueError, match=message):
        small_cvae().predict(inputs, verbose=0)
