"""Layers: `Sampling` (the reparameterisation trick) and `RandomShift` (augmentation)."""

from __future__ import annotations

import numbers

import keras
import numpy as np
from keras import ops

from vaekit.checks import as_finite_array, check_log_variance, check_seed, is_tensor


def _layer_seed(seed) -> int | None:
    """`seed` as an int in [0, 2**32), or None; not an integer raises a TypeError naming it,
    one out of range a ValueError."""
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
        raise TypeError(f"`seed` must be an integer or None. Received: seed={seed!r}")
    return None if seed is None else check_seed("seed", seed)


@keras.saving.register_keras_serializable(package="vaekit")
class Sampling(keras.layers.Layer):
    """Draws `z ~ N(z_mean, exp(z_log_var))` as `z = z_mean + exp(z_log_var / 2) * epsilon`.

    The randomness lives in `epsilon ~ N(0, I)`, which does not depend on the encoder, so the
    gradient of `z` with respect to `z_mean` (1) and `z_log_var` (`epsilon * sigma / 2`) is
    defined and training can back-propagate through the sample. The layer samples in training
    and in inference: a VAE's encoding is random. The noise is drawn in the layer's compute
    dtype, so the layer works under mixed precision (`mixed_float16`, `mixed_bfloat16`).

    Args:
        seed: integer seed in [0, 2**32) (NumPy integers too) for the layer's SeedGenerator, or
            None.
        **kwargs: standard layer arguments such as `name`.

    Call arguments:
        inputs: a list `[z_mean, z_log_var]` of two tensors of shape `(batch, latent_dim)`.
            NumPy arrays and lists (integers too) must be finite, with log-variances within
            ±`MAX_ABS_LOG_VARIANCE` (88.7), beyond which the variance overflows.

    Returns:
        `z`, shape `(batch, latent_dim)`.

    Example:

    >>> z = Sampling(seed=0)([ops.zeros((4, 2)), ops.zeros((4, 2))])
    >>> tuple(z.shape)
    (4, 2)
    """

    def __init__(self, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.seed = _layer_seed(seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)

    def __call__(self, inputs, *args, **kwargs):
        # Check NumPy arrays and lists here, before Keras converts them: real, finite (in the
        # layer's float dtype; integers become floats), log-variances whose variances do not
        # overflow. Tensors (symbolic or traced inside `fit`) pass unchecked.
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            items = f" of {len(inputs)} items" if isinstance(inputs, (list, tuple)) else ""
            raise ValueError(
                "`inputs` must be a list [z_mean, z_log_var]. "
                f"Received: inputs of type {type(inputs).__name__}{items}"
            )
        dtype = "float64" if self.compute_dtype == "float64" else "float32"
        z_mean, z_log_var = (
            value if is_tensor(value) else as_finite_array(value, name, dtype)
            for name, value in zip(("z_mean", "z_log_var"), inputs, strict=True)
        )
        if isinstance(z_log_var, np.ndarray):
            check_log_variance(z_log_var, "z_log_var")
        return super().__call__([z_mean, z_log_var], *args, **kwargs)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        if tuple(z_mean.shape) != tuple(z_log_var.shape):
            raise ValueError(
                "`z_mean` and `z_log_var` must have the same shape. Received: "
                f"z_mean.shape={tuple(z_mean.shape)}, z_log_var.shape={tuple(z_log_var.shape)}"
            )
        epsilon = keras.random.normal(
            ops.shape(z_mean), dtype=self.compute_dtype, seed=self.seed_generator
        )
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


def _check_images_shape(shape) -> None:
    if len(shape) != 3 or None in tuple(shape)[1:]:
        raise ValueError(
            "`inputs` must be images of shape (batch, height, width), without a channels "
            f"axis. Received: inputs.shape={tuple(shape)}"
        )


@keras.saving.register_keras_serializable(package="vaekit")
class RandomShift(keras.layers.Layer):
    """Moves each image by a random distance, in training only (data augmentation).

    Each image gets its own shift, drawn uniformly from `-pixels..pixels` rows and columns (not
    only whole pixels). Pixels are read with bilinear interpolation and 0 is shifted in at the
    edges, as in `keras.layers.RandomTranslation(fill_mode="constant")`; here the move is two
    batched matrix products with sparse interpolation matrices, which costs little on every
    backend. At inference the layer passes its input through.

    Args:
        pixels: largest shift, a non-negative number (NumPy numbers too).
        seed: integer seed for the layer's `keras.random.SeedGenerator`, or None.
        **kwargs: standard layer arguments such as `name`.

    Call arguments:
        inputs: images `(batch, height, width)`.
        training: shift only when True.

    Returns:
        images of the same shape.
    """

    def __init__(self, pixels: float, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if (isinstance(pixels, bool) or not isinstance(pixels, numbers.Real)
                or not 0 <= pixels < float("inf")):
            raise ValueError(
                f"`pixels` must be a non-negative number. Received: pixels={pixels!r}")
        self.pixels = float(pixels)
        self.seed = _layer_seed(seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)

    def __call__(self, inputs, *args, **kwargs):
        # NumPy arrays and lists are checked (real, finite) before Keras converts them.
        if not is_tensor(inputs):
            inputs = as_finite_array(inputs, "inputs")
        return super().__call__(inputs, *args, **kwargs)

    def build(self, input_shape):
        _check_images_shape(input_shape)

    def call(self, inputs, training=False):
        _check_images_shape(inputs.shape)  # also when built for other shapes before
        if not training or self.pixels == 0:
            return inputs
        shifts = keras.random.uniform((2, ops.shape(inputs)[0]), -self.pixels, self.pixels,
                                      dtype=self.compute_dtype, seed=self.seed_generator)
        rows = self._interpolation(inputs.shape[1], shifts[0])
        columns = self._interpolation(inputs.shape[2], shifts[1])
        return ops.einsum("nij,njk,nlk->nil", rows, inputs, columns)

    def _interpolation(self, size: int, shifts):
        """`(batch, size, size)`: entry `[n, i, j]` is the weight of input pixel `j` in output
        pixel `i` of image `n`, which reads position `i - shifts[n]` (weights to 0 outside)."""
        positions = ops.cast(ops.arange(size), self.compute_dtype)
        reads = positions[None, :, None] - shifts[:, None, None]
        return ops.relu(1.0 - ops.abs(reads - positions[None, None, :]))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "pixels": self.pixels, "seed": self.seed}
