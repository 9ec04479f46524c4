"""The conditional VAE: encoder and decoder both see the label, so `z` keeps only the style.

`q(z | x, y)` and `p(x | z, y)` with the label `y` given as a one-hot vector; the prior on `z`
is still N(0, I). Generating a chosen digit is then `decoder([z, one_hot(y)])` with `z` drawn
from the prior — the same `z` with ten labels gives one handwriting style, ten digits.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import ops

from vaekit.checks import as_finite_array, check_positive_int, check_seed
from vaekit.models import VAE, variational_halves


def check_labels(labels, num_classes: int, name: str = "labels") -> np.ndarray:
    """Return `labels` as an int64 array `(n,)` of class indices in `[0, num_classes)`."""
    num_classes = check_positive_int("num_classes", num_classes)
    array = np.asarray(labels)
    if array.ndim != 1 or not (np.issubdtype(array.dtype, np.integer) or array.size == 0):
        raise ValueError(
            f"`{name}` must be a 1-D array of integer class indices. "
            f"Received: {name} with shape {array.shape} and dtype {array.dtype}"
        )
    if array.size and (array.min() < 0 or array.max() >= num_classes):
        raise ValueError(
            f"`{name}` must be class indices in [0, {num_classes}). "
            f"Received: values in [{array.min()}, {array.max()}]"
        )
    return array.astype(np.int64)


@keras.saving.register_keras_serializable(package="vaekit")
class ConditionalVAE(VAE):
    """A `VAE` whose encoder and decoder also take the class label.

    Trained, evaluated and saved like `VAE` (the same `loss`, `reconstruction_loss` and
    `kl_loss`, per image in nats), with `[images, labels]` as its inputs.

    Args:
        encoder: a model `[images, one_hot] → [z_mean, z_log_var]`
            (`build_encoder(..., variational=True, num_classes=...)`).
        decoder: a model `[z, one_hot] → images` (`build_decoder(..., num_classes=...)`).
        num_classes: number of classes; labels are integers in `[0, num_classes)`.
        **kwargs: as for `VAE` (`kl_weight`, `reconstruction`, `seed`, `name`).

    Call arguments:
        inputs: `[images, labels]`: images `(batch, *image_shape)` and integer labels
            `(batch,)`.

    Returns:
        As `VAE`: a dict with `"reconstruction"`, `"z_mean"`, `"z_log_var"` and `"z"`.

    Example:

    >>> cvae = build_conditional_vae(latent_dim=2)
    >>> cvae.compile(optimizer="adam")
    >>> cvae.fit([x_train, y_train], epochs=10)  # doctest: +SKIP
    >>> cvae.generate(np.arange(10), seed=0)  # one of each digit  # doctest: +SKIP
    """

    conditional = True

    def __init__(self, encoder, decoder, num_classes: int = 10, **kwargs):
        num_classes = check_positive_int("num_classes", num_classes)
        super().__init__(encoder, decoder, **kwargs)
        self.num_classes = num_classes
        for name, half in (("encoder", encoder), ("decoder", decoder)):
            inputs = getattr(half, "inputs", None)
            if inputs and tuple(inputs[1].shape[1:]) != (num_classes,):
                raise ValueError(
                    f"`{name}` must take one-hot labels of num_classes={num_classes} as its "
                    f"second input. Received: {name} whose second input has shape "
                    f"{tuple(inputs[1].shape)}"
                )

    def _one_hot(self, labels):
        return ops.one_hot(ops.cast(ops.reshape(labels, (-1,)), "int32"), self.num_classes)

    def call(self, inputs, training=None):
        images, labels = inputs
        one_hot = self._one_hot(labels)
        z_mean, z_log_var = self.encoder([images, one_hot], training=training)
        z = self.sampling([z_mean, z_log_var])
        reconstruction = self.decoder([z, one_hot], training=training)
        return {"reconstruction": reconstruction, "z_mean": z_mean, "z_log_var": z_log_var, "z": z}

    def _images(self, x):
        return x[0]

    def _checked_inputs(self, x, name: str = "x"):
        """`[images, labels]` with images and labels checked; a dataset as given."""
        if self._is_dataset(x):
            return x  # Keras checks its batches
        if not isinstance(x, (list, tuple)) or len(x) != 2:
            if isinstance(x, np.ndarray):
                received = f"one array of shape {x.shape}"
            elif isinstance(x, (list, tuple)):
                received = f"a {type(x).__name__} of {len(x)} items"
            else:
                received = f"{name}=None" if x is None else f"{name} of type {type(x).__name__}"
            raise ValueError(
                f"`{name}` must be [images, labels] for a ConditionalVAE. Received: {received}"
            )
        images, labels = super()._checked_inputs(x[0], f"{name}[0] (images)"), x[1]
        if not self._is_dataset(labels):
            labels = check_labels(labels, self.num_classes, f"{name}[1] (labels)")
            if isinstance(images, np.ndarray) and len(labels) != len(images):
                raise ValueError(
                    f"`{name}` must hold one label per image. Received: {len(images)} images "
                    f"and {len(labels)} labels"
                )
        return [images, labels]

    def generate(self, labels, *, z=None, seed: int = 0) -> np.ndarray:
        """Decode one image per label, from `z` or from prior draws `N(0, I)`.

        Args:
            labels: integer labels `(n,)`.
            z: codes `(n, latent_dim)`, or None to draw them from the prior with `seed`.
            seed: seed of the prior draws.

        Returns:
            Pixel probabilities `(n, *image_shape)`.
        """
        labels = check_labels(labels, self.num_classes)
        seed = check_seed("seed", seed)
        latent_dim = self.decoder.inputs[0].shape[-1]
        if z is None:
            z = np.random.default_rng(seed).standard_normal((len(labels), latent_dim))
        z = as_finite_array(z, "z")
        if z.shape != (len(labels), latent_dim):
            raise ValueError(
                f"`z` must have shape ({len(labels)}, {latent_dim}), one code per label. "
                f"Received: z.shape={z.shape}"
            )
        inputs = [ops.convert_to_tensor(z), self._one_hot(labels)]
        return ops.convert_to_numpy(self.decoder(inputs, training=False))

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}


def build_conditional_vae(
    image_shape: Sequence[int] = (28, 28),
    latent_dim: int = 2,
    num_classes: int = 10,
    *,
    kind: str = "dense",
    hidden_units: Sequence[int] = (256,),
    filters: Sequence[int] = (32, 64),
    kl_weight: float = 1.0,
    seed: int | None = None,
) -> ConditionalVAE:
    """A symmetric `ConditionalVAE` with a sigmoid decoder and the Bernoulli loss."""
    encoder, decoder = variational_halves(
        image_shape, latent_dim, kind=kind, hidden_units=hidden_units, filters=filters,
        num_classes=num_classes,
    )
    return ConditionalVAE(
        encoder, decoder, num_classes=num_classes, kl_weight=kl_weight, seed=seed,
        name="conditional_vae",
    )
