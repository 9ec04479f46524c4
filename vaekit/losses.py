"""VAE loss terms, **per example, summed over pixels and latent dimensions, in nats**.

Summing (not averaging) over pixels keeps the reconstruction term and the KL term on the same
scale — both are log-densities of one whole image. Averaging over the 784 pixels would divide
the reconstruction term by 784 and so multiply the KL weight by 784.

Every function takes batches and returns one value per example, shape `(batch,)`; Keras
averages those over the batch. NumPy arrays and lists are checked (real, finite numbers) before
use; tensors are not, as they may be symbolic inside `fit`.
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

from vaekit.checks import (
    as_real_array,
    check_grey_levels,
    check_log_variance,
    check_positive_number,
    is_tensor,
)

# Probabilities are clipped to [EPSILON, 1 - EPSILON] before the log (as Keras' own BCE does).
EPSILON = 1e-7


def _sum_over_non_batch_axes(values):
    return ops.sum(ops.reshape(values, (ops.shape(values)[0], -1)), axis=-1)


def _checked(value, name: str):
    """`value` itself if it is a tensor, else as a NumPy array of real, finite numbers."""
    if is_tensor(value):
        return value
    return as_real_array(value, name, finite=True)


def _check_same_shape(name_a, a, name_b, b):
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(
            f"`{name_a}` and `{name_b}` must have the same shape. "
            f"Received: {name_a}.shape={tuple(a.shape)}, {name_b}.shape={tuple(b.shape)}"
        )


def gaussian_kl_per_dimension(z_mean, z_log_var):
    """KL(N(mu, sigma^2) || N(0, 1)) for each latent dimension, in nats.

    `KL_j = 0.5 * (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1)` with `log sigma_j^2 = z_log_var_j`.

    Args:
        z_mean: `(batch, latent_dim)`.
        z_log_var: `(batch, latent_dim)`.

    Returns:
        `(batch, latent_dim)`.
    """
    z_mean = ops.convert_to_tensor(_checked(z_mean, "z_mean"))
    z_log_var = _checked(z_log_var, "z_log_var")
    if isinstance(z_log_var, np.ndarray):
        check_log_variance(z_log_var, "z_log_var")
    z_log_var = ops.convert_to_tensor(z_log_var)
    if len(z_mean.shape) != 2:
        raise ValueError(
            "`z_mean` must have shape (batch, latent_dim). "
            f"Received: z_mean.shape={tuple(z_mean.shape)}"
        )
    _check_same_shape("z_mean", z_mean, "z_log_var", z_log_var)
    # float16 / bfloat16 codes (mixed precision) and mixed float32/float64 inputs: compute in
    # at least float32, like the reconstruction losses.
    dtype = keras.backend.result_type(z_mean.dtype, z_log_var.dtype, "float32")
    z_mean, z_log_var = ops.cast(z_mean, dtype), ops.cast(z_log_var, dtype)
    return 0.5 * (ops.square(z_mean) + ops.exp(z_log_var) - z_log_var - 1.0)


@keras.saving.register_keras_serializable(package="vaekit")
def gaussian_kl(z_mean, z_log_var):
    """KL(q(z|x) || N(0, I)) for a diagonal Gaussian q, per example, in nats.

    `KL = 0.5 * sum_j (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1)`; zero exactly when
    `mu = 0` and `sigma = 1`.

    Args:
        z_mean: `(batch, latent_dim)`.
        z_log_var: `(batch, latent_dim)`, the log-variance `log sigma^2`.

    Returns:
        `(batch,)`.
    """
    return ops.sum(gaussian_kl_per_dimension(z_mean, z_log_var), axis=-1)


@keras.saving.register_keras_serializable(package="vaekit")
def bernoulli_reconstruction_loss(x, x_reconstructed):
    """Bernoulli negative log-likelihood (binary cross-entropy) summed over pixels, in nats.

    `-sum_i [x_i log p_i + (1 - x_i) log(1 - p_i)]` with `p = x_reconstructed` (probabilities,
    e.g. from a sigmoid), clipped to `[1e-7, 1 - 1e-7]`. For grey levels `x` in [0, 1] its
    minimum is the pixels' entropy, not 0.

    Args:
        x: targets in [0, 1] (bool for binary images), `(batch, ...)`; NumPy targets outside
            [0, 1] are refused.
        x_reconstructed: probabilities in [0, 1], same shape as `x`.

    Returns:
        `(batch,)`.
    """
    x = _checked(x, "x")
    if isinstance(x, np.ndarray) and x.size:
        check_grey_levels(x, "x")
    x = ops.convert_to_tensor(x, dtype="float32")
    p = _checked(x_reconstructed, "x_reconstructed")
    if isinstance(p, np.ndarray) and p.size and (p.min() < 0 or p.max() > 1):
        raise ValueError(
            "`x_reconstructed` must be probabilities in [0, 1], e.g. from a sigmoid output "
            f"layer. Received: values in [{p.min():g}, {p.max():g}]"
        )
    p = ops.convert_to_tensor(p, dtype="float32")
    p = ops.clip(p, EPSILON, 1 - EPSILON)
    _check_same_shape("x", x, "x_reconstructed", p)
    log_likelihood = x * ops.log(p) + (1.0 - x) * ops.log(1.0 - p)
    return -_sum_over_non_batch_axes(log_likelihood)


@keras.saving.register_keras_serializable(package="vaekit")
def squared_error(x, x_reconstructed):
    """Squared error summed over pixels, `sum_i (x_i - x̂_i)^2`, per example.

    The loss PCA minimises; a Gaussian decoder with unit variance has negative log-likelihood
    `0.5 * squared_error + (D/2) log(2 pi)` (see `gaussian_reconstruction_loss`).

    Args:
        x: targets, `(batch, ...)`.
        x_reconstructed: same shape as `x`.

    Returns:
        `(batch,)`.
    """
    x = ops.convert_to_tensor(_checked(x, "x"), dtype="float32")
    x_reconstructed = ops.convert_to_tensor(
        _checked(x_reconstructed, "x_reconstructed"), dtype="float32"
    )
    _check_same_shape("x", x, "x_reconstructed", x_reconstructed)
    return _sum_over_non_batch_axes(ops.square(x - x_reconstructed))


def gaussian_reconstruction_loss(x, x_reconstructed, sigma: float = 1.0):
    """Gaussian negative log-likelihood N(x; x̂, sigma^2 I) summed over pixels, in nats.

    `0.5 * sum_i (x_i - x̂_i)^2 / sigma^2 + (D/2) log(2 pi sigma^2)`, D = pixels per example.

    Args:
        x: targets, `(batch, ...)`.
        x_reconstructed: decoder means, same shape as `x`.
        sigma: the decoder's fixed standard deviation, > 0.

    Returns:
        `(batch,)`.
    """
    sigma = check_positive_number("sigma", sigma)
    error = squared_error(x, x_reconstructed)
    pixels = math.prod(tuple(ops.shape(ops.convert_to_tensor(x)))[1:])
    return 0.5 * error / sigma**2 + 0.5 * pixels * math.log(2 * math.pi * sigma**2)


RECONSTRUCTION_LOSSES = {
    "bernoulli": bernoulli_reconstruction_loss,
    "gaussian": gaussian_reconstruction_loss,
}
