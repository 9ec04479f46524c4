"""Models the benchmarks compare vaekit against, written by hand from their descriptions.

* `build_minimal_vae`: the lesson VAE's architecture (784 → 256 → 2 → 256 → 784, ReLU, sigmoid
  output) as the classic hand-written Keras VAE: two functional halves and a custom
  `train_step` with a `GradientTape`, tracking only the loss. It is TensorFlow-only, which is
  the price of its minimalism; vaekit's `VAE` overrides `compute_loss` instead and works on
  every backend.
* `build_plain_bernoulli_vae`: a plain dense Bernoulli VAE (one tanh layer of 500 units each
  way, latent 20) as a vaekit `VAE`, with nothing in it tuned: the likelihood baseline of
  part 3.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers, ops

from vaekit.models import VAE

IMAGE_SHAPE = (28, 28)


def _minimal_halves(latent_dim: int = 2, hidden_units: int = 256):
    images = keras.Input(shape=IMAGE_SHAPE)
    h = layers.Dense(hidden_units, activation="relu")(layers.Flatten()(images))
    encoder = keras.Model(images, [layers.Dense(latent_dim)(h), layers.Dense(latent_dim)(h)])
    z = keras.Input(shape=(latent_dim,))
    h = layers.Dense(hidden_units, activation="relu")(z)
    pixels = layers.Dense(784, activation="sigmoid")(h)
    decoder = keras.Model(z, layers.Reshape(IMAGE_SHAPE)(pixels))
    return encoder, decoder


class MinimalVAE(keras.Model):
    """A hand-written VAE with a custom TensorFlow `train_step` (the usual tutorial pattern).

    Args:
        encoder: `(batch, 28, 28) → [z_mean, z_log_var]`.
        decoder: `(batch, latent_dim) → (batch, 28, 28)` pixel probabilities.
        seed: seed of the sampling noise.
    """

    def __init__(self, encoder, decoder, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder = encoder, decoder
        self.noise = keras.random.SeedGenerator(seed)
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def call(self, x, training=None):
        z_mean, z_log_var = self.encoder(x, training=training)
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.noise)
        z = z_mean + ops.exp(0.5 * z_log_var) * epsilon
        return self.decoder(z, training=training), z_mean, z_log_var

    def train_step(self, data):
        import tensorflow as tf

        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            p, z_mean, z_log_var = self(x, training=True)
            p = ops.clip(p, 1e-7, 1 - 1e-7)
            reconstruction = -ops.sum(x * ops.log(p) + (1 - x) * ops.log(1 - p), axis=(1, 2))
            kl = 0.5 * ops.sum(ops.square(z_mean) + ops.exp(z_log_var) - z_log_var - 1, axis=1)
            loss = ops.mean(reconstruction + kl)
        gradients = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights, strict=True))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}


def build_minimal_vae(latent_dim: int = 2, hidden_units: int = 256, seed: int = 0) -> MinimalVAE:
    """The lesson VAE's architecture as a hand-written `MinimalVAE`."""
    if keras.backend.backend() != "tensorflow":
        raise RuntimeError(
            "The hand-written baseline uses tf.GradientTape and needs the TensorFlow backend. "
            f"Received: KERAS_BACKEND={keras.backend.backend()!r}"
        )
    encoder, decoder = _minimal_halves(latent_dim, hidden_units)
    return MinimalVAE(encoder, decoder, seed=seed, name="minimal_vae")


def build_plain_bernoulli_vae(latent_dim: int = 20, hidden_units: int = 500,
                              seed: int = 0) -> VAE:
    """A plain dense Bernoulli VAE: 784 → `hidden_units` (tanh) → z, mirrored, as a `VAE`.

    The likelihood baseline of part 3 (`benchmarks.time_to_likelihood`).
    """
    images = keras.Input(shape=IMAGE_SHAPE)
    h = layers.Dense(hidden_units, activation="tanh")(layers.Flatten()(images))
    encoder = keras.Model(images, [layers.Dense(latent_dim)(h), layers.Dense(latent_dim)(h)])
    z = keras.Input(shape=(latent_dim,))
    h = layers.Dense(hidden_units, activation="tanh")(z)
    h = layers.Dense(int(np.prod(IMAGE_SHAPE)), activation="sigmoid")(h)
    decoder = keras.Model(z, layers.Reshape(IMAGE_SHAPE)(h))
    return VAE(encoder, decoder, seed=seed, name="plain_bernoulli_vae")
