"""Models the benchmarks compare vaekit against, written by hand from their descriptions.

* `build_minimal_vae`: the lesson VAE's architecture (784 → 256 → 2 → 256 → 784, ReLU, sigmoid
  output) as the classic hand-written Keras VAE: two functional halves and a custom
  `train_step` with a `GradientTape`, tracking only the loss. It is TensorFlow-only, which is
  the price of its minimalism; vaekit's `VAE` overrides `compute_loss` instead and works on
  every backend.
* `build_plain_vae`: a dense Bernoulli VAE of lesson 5's likelihood architecture (784 → 512
  → 256 → 32, ReLU) written in plain Keras 3 with the usual good defaults, binarising each
  batch inside `call`: the likelihood baseline of part 3. It uses no vaekit code; it is scored
  by vaekit's estimator through a `VAE` around its two halves.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers, ops

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


class PlainVAE(keras.Model):
    """A dense Bernoulli VAE as a researcher writes it in plain Keras 3, without vaekit.

    While training, `call` binarises each batch afresh (every pixel is 1 with probability equal
    to its grey level), so the whole training set goes to `fit` as one array and Keras runs
    many batches per compiled call. The loss, from `compute_loss`, is the −ELBO in nats per
    image: binary cross-entropy summed over pixels plus KL(q(z|x) ‖ N(0, I)).

    Args:
        encoder: `(batch, 28, 28) → [z_mean, z_log_var]`.
        decoder: `(batch, latent_dim) → (batch, 28, 28)` pixel probabilities.
        seed: seed of the binarisation and of the sampling noise.
    """

    def __init__(self, encoder, decoder, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder = encoder, decoder
        self.noise = keras.random.SeedGenerator(seed)

    def call(self, x, training=None):
        if training:
            x = ops.cast(keras.random.uniform(ops.shape(x), seed=self.noise) < x, x.dtype)
        z_mean, z_log_var = self.encoder(x, training=training)
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.noise)
        z = z_mean + ops.exp(0.5 * z_log_var) * epsilon
        return x, self.decoder(z, training=training), z_mean, z_log_var

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        target, p, z_mean, z_log_var = self(x, training=training) if y_pred is None else y_pred
        p = ops.clip(p, 1e-7, 1 - 1e-7)
        reconstruction = -ops.sum(target * ops.log(p) + (1 - target) * ops.log(1 - p),
                                  axis=(1, 2))
        kl = 0.5 * ops.sum(ops.square(z_mean) + ops.exp(z_log_var) - z_log_var - 1, axis=1)
        return ops.mean(reconstruction + kl)


def build_plain_vae(latent_dim: int = 32, hidden_units: tuple[int, ...] = (512, 256),
                    seed: int = 0) -> PlainVAE:
    """A `PlainVAE`: 784 → `hidden_units` (ReLU) → z, mirrored, sigmoid pixels.

    The likelihood baseline of part 3 (`benchmarks.time_to_likelihood`), with the
    architecture of lesson 5's likelihood model.
    """
    images = keras.Input(shape=IMAGE_SHAPE)
    h = layers.Flatten()(images)
    for units in hidden_units:
        h = layers.Dense(units, activation="relu")(h)
    encoder = keras.Model(images, [layers.Dense(latent_dim)(h), layers.Dense(latent_dim)(h)])
    z = h = keras.Input(shape=(latent_dim,))
    for units in reversed(hidden_units):
        h = layers.Dense(units, activation="relu")(h)
    pixels = layers.Dense(int(np.prod(IMAGE_SHAPE)), activation="sigmoid")(h)
    decoder = keras.Model(z, layers.Reshape(IMAGE_SHAPE)(pixels))
    return PlainVAE(encoder, decoder, seed=seed, name="plain_vae")
