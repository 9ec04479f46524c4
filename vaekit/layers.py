"""The `Sampling` layer: the reparameterisation trick."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="vaekit")
class Sampling(keras.layers.Layer):
    """Draws `z ~ N(z_mean, exp(z_log_var))` as `z = z_mean + exp(z_log_var / 2) * epsilon`.

    The randomness lives in `epsilon ~ N(0, I)`, which does not depend on the encoder, so the
    gradient of `z` with respect to `z_mean` (1) and `z_log_var` (`epsilon * sigma / 2`) is
    defined and training can back-propagate through the sample. The layer samples in training
    and in inference: a VAE's encoding is random. The noise is drawn in the layer's compute
    dtype, so the layer works under mixed precision (`mixed_float16`, `mixed_bfloat16`).

    Args:
        seed: integer seed for the layer's `keras.random.SeedGenerator`, or None.
        **kwargs: standard layer arguments such as `name`.

    Call arguments:
        inputs: a list `[z_mean, z_log_var]` of two tensors of shape `(batch, latent_dim)`.

    Returns:
        `z`, shape `(batch, latent_dim)`.

    Example:

    >>> z = Sampling(seed=0)([ops.zeros((4, 2)), ops.zeros((4, 2))])
    >>> tuple(z.shape)
    (4, 2)
    """

    def __init__(self, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise TypeError(f"`seed` must be an integer or None. Received: seed={seed!r}")
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(
                "`Sampling` expects a list [z_mean, z_log_var]. "
                f"Received: inputs of type {type(inputs).__name__}"
            )
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
