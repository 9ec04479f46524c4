import math

import keras
import numpy as np
import pytest
from keras import ops

from vaekit.losses import (
    bernoulli_reconstruction_loss,
    gaussian_kl,
    gaussian_kl_per_dimension,
    gaussian_reconstruction_loss,
    squared_error,
)


def numpy(x):
    return ops.convert_to_numpy(x)


def test_kl_is_zero_at_the_prior():
    np.testing.assert_allclose(numpy(gaussian_kl(np.zeros((3, 4)), np.zeros((3, 4)))), 0.0)


def test_kl_closed_form_equals_monte_carlo():
    rng = np.random.default_rng(0)
    mean, log_var = np.array([[0.8, -1.2]]), np.array([[np.log(0.3), np.log(2.0)]])
    sigma = np.exp(0.5 * log_var)
    z = mean + sigma * rng.standard_normal((400_000, 2))
    log_q = -0.5 * np.sum(np.log(2 * np.pi) + log_var + ((z - mean) / sigma) ** 2, axis=1)
    log_p = -0.5 * np.sum(np.log(2 * np.pi) + z**2, axis=1)
    monte_carlo = np.mean(log_q - log_p)
    closed_form = numpy(gaussian_kl(mean.astype("float32"), log_var.astype("float32")))[0]
    assert closed_form == pytest.approx(monte_carlo, rel=0.01)


def test_kl_per_dimension_sums_to_kl():
    mean = np.array([[1.0, 0.0], [0.0, 2.0]], "float32")
    log_var = np.array([[0.0, 1.0], [-1.0, 0.0]], "float32")
    per_dim = numpy(gaussian_kl_per_dimension(mean, log_var))
    assert per_dim.shape == (2, 2)
    assert per_dim[0, 0] == pytest.approx(0.5)  # mu = 1, sigma = 1
    np.testing.assert_allclose(per_dim.sum(axis=1), numpy(gaussian_kl(mean, log_var)), rtol=1e-6)


def test_bernoulli_loss_is_summed_over_pixels_in_nats():
    x = np.ones((2, 28, 28), "float32")
    probabilities = np.full((2, 28, 28), 0.5, "float32")
    loss = numpy(bernoulli_reconstruction_loss(x, probabilities))
    np.testing.assert_allclose(loss, 784 * math.log(2), rtol=1e-5)


def test_bernoulli_loss_never_infinite():
    x = np.array([[1.0, 0.0]], "float32")
    assert np.isfinite(numpy(bernoulli_reconstruction_loss(x, np.array([[0.0, 1.0]], "float32"))))


def test_squared_error_and_gaussian_nll():
    x = np.zeros((1, 4), "float32")
    x_hat = np.array([[1.0, 1.0, 0.0, 2.0]], "float32")
    assert numpy(squared_error(x, x_hat))[0] == pytest.approx(6.0)
    expected = 0.5 * 6.0 / 4.0 + 2.0 * math.log(2 * math.pi * 4.0)
    assert numpy(gaussian_reconstruction_loss(x, x_hat, sigma=2.0))[0] == pytest.approx(expected)


def test_shape_mismatch_names_both_arguments():
    with pytest.raises(ValueError, match="x_reconstructed"):
        squared_error(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="z_log_var"):
        gaussian_kl(np.zeros((2, 3)), np.zeros((2, 2)))


def test_bad_sigma_is_named():
    with pytest.raises(ValueError, match="sigma=0"):
        gaussian_reconstruction_loss(np.zeros((1, 2)), np.zeros((1, 2)), sigma=0)


def test_bernoulli_loss_refuses_0_to_255_images():
    raw = np.full((2, 28, 28), 255.0, "float32")
    with pytest.raises(ValueError, match="divide 0–255 images by 255"):
        bernoulli_reconstruction_loss(raw, np.full((2, 28, 28), 0.5, "float32"))


IMAGES = np.random.default_rng(0).uniform(0.1, 0.9, size=(4, 28, 28)).astype("float32")
NAN_IMAGES = np.where(np.arange(28) == 0, np.nan, IMAGES).astype("float32")
CODES = np.random.default_rng(1).normal(size=(5, 2))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: gaussian_kl_per_dimension(None, None), r"`z_mean` .*z_mean=None"),
        (lambda: gaussian_kl_per_dimension([["a", "b"]], [["a", "b"]]), r"`z_mean` .*numbers"),
        (lambda: gaussian_kl_per_dimension(CODES + 1j, np.zeros((5, 2))), r"`z_mean` .*complex"),
        (lambda: gaussian_kl(np.where(CODES == CODES[0, 0], np.nan, CODES), np.zeros((5, 2))),
         r"`z_mean` must be finite"),
        (lambda: gaussian_kl(CODES, np.full((5, 2), np.inf)), r"`z_log_var` must be finite"),
        (lambda: gaussian_kl(CODES, np.full((5, 2), 1000.0)), r"`z_log_var` .*within ±88\.7"),
        (lambda: gaussian_kl(CODES.astype("float32"), np.full((5, 2), 100, "float32")),
         r"`z_log_var` .*\[100, 100\]"),
        (lambda: gaussian_kl(np.zeros(3), np.zeros(3)),
         r"`z_mean` must have shape \(batch, latent_dim\)\. Received: z_mean.shape=\(3,\)"),
        (lambda: bernoulli_reconstruction_loss((IMAGES * 255).tolist(), IMAGES),
         "divide 0–255 images by 255"),
        (lambda: bernoulli_reconstruction_loss(IMAGES, NAN_IMAGES), r"`x_reconstructed` .*finite"),
        (lambda: bernoulli_reconstruction_loss(IMAGES, IMAGES * 255),
         r"`x_reconstructed` must be probabilities in \[0, 1\].*Received: values in"),
        (lambda: bernoulli_reconstruction_loss(IMAGES + 0.5j, IMAGES), r"`x` .*complex"),
        (lambda: bernoulli_reconstruction_loss(None, IMAGES), r"`x` .*x=None"),
        (lambda: squared_error(IMAGES, NAN_IMAGES), r"`x_reconstructed` must be finite"),
        (lambda: squared_error(["a"], ["b"]), r"`x` must be an array of numbers"),
        (lambda: squared_error(IMAGES + 1j, IMAGES), r"`x` .*complex"),
        (lambda: gaussian_reconstruction_loss(IMAGES, NAN_IMAGES), r"`x_reconstructed` .*finite"),
    ],
)
def test_bad_numpy_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_bool_targets_are_binary_images():
    binary = IMAGES > 0.5
    np.testing.assert_allclose(numpy(bernoulli_reconstruction_loss(binary, IMAGES)),
                               numpy(bernoulli_reconstruction_loss(binary.astype("float32"),
                                                                   IMAGES)))


@pytest.mark.parametrize("loss", [bernoulli_reconstruction_loss, squared_error])
def test_losses_still_train_a_model(loss):
    """Tensors inside `fit` (traced, symbolic) are not checked eagerly."""
    inputs = keras.Input((28, 28))
    outputs = keras.layers.Reshape((28, 28))(
        keras.layers.Dense(784, activation="sigmoid")(keras.layers.Flatten()(inputs)))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss=loss)
    history = model.fit(IMAGES, IMAGES, epochs=1, batch_size=2, verbose=0)
    assert np.isfinite(history.history["loss"][-1])
