"""Encoders, decoders, the plain `Autoencoder` and the `VAE`.

Images go in and come out with shape `(batch, *image_shape)`, e.g. `(batch, 28, 28)`; the
builders add the `Flatten`/`Reshape` layers. Decoders mirror encoders by default: a dense
encoder `784 → 256 → latent` gets the decoder `latent → 256 → 784`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import keras
import numpy as np
from keras import layers, ops

from vaekit.callbacks import StopOnNonFiniteLoss
from vaekit.checks import (
    MAX_SIZE,
    as_finite_array,
    as_images,
    as_real_array,
    check_callable_model,
    check_non_negative_int,
    check_positive_int,
    check_positive_number,
    is_tensor,
)
from vaekit.layers import Sampling
from vaekit.losses import RECONSTRUCTION_LOSSES, gaussian_kl
from vaekit.parallel import replica_share

KINDS = ("dense", "conv")


def _check_size(name: str, value) -> int:
    return check_positive_int(name, value, maximum=MAX_SIZE)


def _sizes(values) -> list | None:
    """`values` as a list if it is a sequence (text excluded) or a 1-D NumPy array, else None."""
    if isinstance(values, np.ndarray) and values.ndim == 1:
        return values.tolist()
    if isinstance(values, Sequence) and not isinstance(values, str):
        return list(values)
    return None


def _check_units(name: str, values) -> tuple[int, ...]:
    sizes = _sizes(values)
    if sizes is None:
        raise ValueError(
            f"`{name}` must be a sequence of positive integers, e.g. (256,). "
            f"Received: {name}={values!r}"
        )
    return tuple(_check_size(f"{name}[{i}]", value) for i, value in enumerate(sizes))


def _check_shape(name: str, shape) -> tuple[int, ...]:
    sizes = _sizes(shape)
    if sizes is None or not 1 <= len(sizes) <= 3:
        raise ValueError(
            f"`{name}` must be an image shape such as (28, 28). Received: {name}={shape!r}"
        )
    return tuple(_check_size(f"{name}[{i}]", size) for i, size in enumerate(sizes))


def _check_activation(name: str, activation) -> str | None:
    if activation is None:
        return None
    try:
        keras.activations.get(activation)
    except (ValueError, TypeError):
        raise ValueError(
            f"`{name}` must be a Keras activation such as 'relu' or 'sigmoid', or None. "
            f"Received: {name}={activation!r}"
        ) from None
    return activation


def _check_flag(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"`{name}` must be True or False. Received: {name}={value!r}")
    return bool(value)


def _check_kind(kind: str, name: str, image_shape: tuple[int, ...],
                filters: tuple[int, ...]) -> None:
    """Refuse an unknown `kind`, or a conv `kind` that does not fit the image shape `name`."""
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValueError(f"`kind` must be one of {KINDS}. Received: kind={kind!r}")
    if kind == "conv":
        if len(image_shape) not in (2, 3):
            raise ValueError(
                "`kind='conv'` needs an image shape (height, width) or (height, width, "
                f"channels). Received: {name}={image_shape!r}"
            )
        stride = 2 ** len(filters)
        if image_shape[0] % stride or image_shape[1] % stride:
            raise ValueError(
                f"With {len(filters)} strided convolutions, height and width must be "
                f"divisible by {stride}. Received: {name}={image_shape!r}, filters={filters!r}"
            )


def _check_image_shape(image_shape, kind, filters) -> tuple[int, ...]:
    """Check the `image_shape` of the model builders, naming it (not the halves' arguments)."""
    image_shape = _check_shape("image_shape", image_shape)
    _check_kind(kind, "image_shape", image_shape, _check_units("filters", filters))
    return image_shape


def build_encoder(
    input_shape: Sequence[int] = (28, 28),
    latent_dim: int = 2,
    *,
    kind: str = "dense",
    hidden_units: Sequence[int] = (256,),
    filters: Sequence[int] = (32, 64),
    activation: str | None = "relu",
    variational: bool = False,
    num_classes: int | None = None,
    name: str = "encoder",
) -> keras.Model:
    """Build an encoder `(batch, *input_shape) → (batch, latent_dim)`.

    With `num_classes`, the encoder is conditional: it takes `[images, one_hot_labels]`
    (`(batch, num_classes)`), joined to the image features before the Dense layers.

    Args:
        input_shape: image shape, e.g. `(28, 28)`.
        latent_dim: size of the code ("encoded layer").
        kind: `"dense"` (Flatten → Dense layers) or `"conv"` (stride-2 3×3 convolutions, then
            Flatten → Dense layers).
        hidden_units: widths of the hidden Dense layers, input side first; `()` for none.
        filters: channels of the convolutions, input side first (conv only).
        activation: hidden activation; `None` makes a dense encoder purely linear.
        variational: if True, output `[z_mean, z_log_var]`, each `(batch, latent_dim)`.
        num_classes: number of classes of a conditional encoder; None for a plain one.
        name: model name.
    """
    input_shape = _check_shape("input_shape", input_shape)
    latent_dim = _check_size("latent_dim", latent_dim)
    hidden_units = _check_units("hidden_units", hidden_units)
    filters = _check_units("filters", filters)
    _check_kind(kind, "input_shape", input_shape, filters)
    activation = _check_activation("activation", activation)
    variational = _check_flag("variational", variational)

    inputs = keras.Input(shape=input_shape, name="images")
    h = inputs
    if kind == "conv":
        if len(input_shape) == 2:
            h = layers.Reshape((*input_shape, 1))(h)
        for channels in filters:
            h = layers.Conv2D(channels, 3, strides=2, padding="same", activation=activation)(h)
    h = layers.Flatten()(h)
    if num_classes is not None:
        condition = keras.Input(shape=(_check_size("num_classes", num_classes),),
                                name="one_hot_labels")
        h = layers.Concatenate()([h, condition])
        inputs = [inputs, condition]
    for units in hidden_units:
        h = layers.Dense(units, activation=activation)(h)
    if variational:
        z_mean = layers.Dense(latent_dim, name="z_mean")(h)
        z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)
        return keras.Model(inputs, [z_mean, z_log_var], name=name)
    codes = layers.Dense(latent_dim, name="codes")(h)
    return keras.Model(inputs, codes, name=name)


def build_decoder(
    output_shape: Sequence[int] = (28, 28),
    latent_dim: int = 2,
    *,
    kind: str = "dense",
    hidden_units: Sequence[int] = (256,),
    filters: Sequence[int] = (32, 64),
    activation: str | None = "relu",
    output_activation: str | None = "sigmoid",
    num_classes: int | None = None,
    name: str = "decoder",
) -> keras.Model:
    """Build a decoder `(batch, latent_dim) → (batch, *output_shape)`, the encoder's mirror.

    With `num_classes`, the decoder is conditional: it takes `[z, one_hot_labels]`
    (`(batch, num_classes)`), joined to `z` at its input.

    Takes the same `hidden_units` and `filters` as `build_encoder` (input side first) and
    applies them in reverse, so passing the encoder's arguments gives a symmetric network.

    Args:
        output_shape: image shape, e.g. `(28, 28)`.
        latent_dim: size of the code.
        kind: `"dense"` or `"conv"` (Dense → Reshape → stride-2 transposed convolutions).
        hidden_units: as for `build_encoder`.
        filters: as for `build_encoder` (conv only).
        activation: hidden activation; `None` for a linear decoder.
        output_activation: `"sigmoid"` for pixel probabilities in [0, 1] (Bernoulli loss);
            `None` for unbounded outputs (squared error).
        num_classes: number of classes of a conditional decoder; None for a plain one.
        name: model name.
    """
    output_shape = _check_shape("output_shape", output_shape)
    latent_dim = _check_size("latent_dim", latent_dim)
    hidden_units = _check_units("hidden_units", hidden_units)
    filters = _check_units("filters", filters)
    _check_kind(kind, "output_shape", output_shape, filters)
    activation = _check_activation("activation", activation)
    output_activation = _check_activation("output_activation", output_activation)

    latent = keras.Input(shape=(latent_dim,), name="z")
    h = latent
    if num_classes is not None:
        condition = keras.Input(shape=(_check_size("num_classes", num_classes),),
                                name="one_hot_labels")
        h = layers.Concatenate()([latent, condition])
        latent = [latent, condition]
    for units in reversed(hidden_units):
        h = layers.Dense(units, activation=activation)(h)
    if kind == "dense" or not filters:  # no convolutions to mirror: Dense to the pixels
        h = layers.Dense(math.prod(output_shape), activation=output_activation)(h)
    else:
        stride = 2 ** len(filters)
        channels = output_shape[2] if len(output_shape) == 3 else 1
        small = (output_shape[0] // stride, output_shape[1] // stride, filters[-1])
        h = layers.Dense(math.prod(small), activation=activation)(h)
        h = layers.Reshape(small)(h)
        for width in reversed(filters):
            h = layers.Conv2DTranspose(
                width, 3, strides=2, padding="same", activation=activation
            )(h)
        h = layers.Conv2DTranspose(channels, 3, padding="same", activation=output_activation)(h)
    outputs = layers.Reshape(output_shape, name="images")(h)
    return keras.Model(latent, outputs, name=name)


def _same_shape(a: tuple, b: tuple) -> bool:
    """Whether two shapes match, None matching any size."""
    return len(a) == len(b) and all(
        x is None or y is None or x == y for x, y in zip(a, b, strict=True)
    )


class _EncoderDecoder(keras.Model):
    """Shared plumbing: holds `encoder` and `decoder`, checks that they fit together, checks
    NumPy inputs to `__call__`, `predict`, `fit` and `evaluate`, and (de)serialises the halves.
    """

    # What the encoder must output: its number of outputs, and how to build one.
    encoder_outputs = (1, "codes (build_encoder(...))")
    # Whether the halves also take one-hot labels (a second input each).
    conditional = False

    def __init__(self, encoder: keras.Model, decoder: keras.Model, **kwargs):
        super().__init__(**kwargs)
        self.encoder = check_callable_model("encoder", encoder)
        self.decoder = check_callable_model("decoder", decoder)
        self._check_halves()

    def _check_halves(self) -> None:
        """Refuse halves that cannot be chained (checked for functional models only)."""
        halves = {"encoder": self.encoder, "decoder": self.decoder}
        if not all(getattr(half, "inputs", None) and getattr(half, "outputs", None)
                   for half in halves.values()):
            return  # subclassed halves are checked by Keras when first called
        takes = ("[images, one_hot_labels]", "[z, one_hot_labels]") if self.conditional else (
            "images", "codes z")
        how = "with num_classes" if self.conditional else "without num_classes"
        for (name, half), what in zip(halves.items(), takes, strict=True):
            if len(half.inputs) != 1 + self.conditional:
                raise ValueError(
                    f"`{name}` must take {what} (build_{name}(...) {how}). Received: {name} "
                    f"with {len(half.inputs)} input(s)"
                )
        outputs = self.encoder.outputs
        count, what = self.encoder_outputs
        if len(outputs) != count:
            raise ValueError(
                f"`encoder` must output {what}. Received: an encoder with {len(outputs)} "
                "output(s)"
            )
        shapes = [tuple(output.shape) for output in outputs]
        if len(shapes[0]) != 2 or len(set(shapes)) != 1:
            raise ValueError(
                f"`encoder` must output {what}, each (batch, latent_dim). Received: an encoder "
                f"with outputs of shapes {shapes}"
            )
        encoded, wanted = outputs[0].shape[-1], self.decoder.inputs[0].shape
        if len(wanted) != 2 or encoded != wanted[-1]:
            raise ValueError(
                f"`decoder` must take the encoder's {encoded}-D codes. Received: a decoder "
                f"whose input has size {wanted[-1]}"
            )
        decoded = [tuple(output.shape[1:]) for output in self.decoder.outputs]
        if len(decoded) != 1 or not _same_shape(decoded[0], self._image_shape()):
            raise ValueError(
                f"`decoder` must output one batch of images of the encoder's input shape "
                f"{self._image_shape()}. Received: a decoder with outputs of shapes {decoded}"
            )

    def _image_shape(self) -> tuple | None:
        """The shape of one input image, from the encoder's (first) input."""
        inputs = getattr(self.encoder, "inputs", None)
        return tuple(inputs[0].shape[1:]) if inputs else None

    def _grey_levels_needed(self) -> bool:
        """Whether images must be grey levels in [0, 1] (else any finite values)."""
        raise NotImplementedError

    @staticmethod
    def _is_dataset(x) -> bool:
        """Whether `x` is a tensor or data Keras reads batch by batch (a `tf.data.Dataset`,
        `PyDataset`, generator or `DataLoader`), passed on unchecked."""
        return is_tensor(x) or isinstance(x, keras.utils.PyDataset) or (
            hasattr(x, "__iter__")
            and not isinstance(x, (np.ndarray, list, tuple, dict, set, str, bytes))
        )

    def _checked_images(self, x, name: str):
        """Images as a checked float32 array; datasets and tensors as given."""
        if self._is_dataset(x):
            return x
        return as_images(x, name, shape=self._image_shape(),
                         grey_levels=self._grey_levels_needed())

    def _checked_inputs(self, x, name: str = "x"):
        """The model's inputs `x`, checked: here, images."""
        return self._checked_images(x, name)

    def _checked_target(self, x, y, name: str = "y"):
        """The targets `y`, images like `x`'s, one per image, checked; None is left to the
        subclass."""
        if y is None:
            return None
        y = self._checked_images(y, name)
        images = self._images(x) if isinstance(x, (np.ndarray, list)) else None
        if isinstance(y, np.ndarray) and isinstance(images, np.ndarray) and len(y) != len(images):
            raise ValueError(
                f"`{name}` must hold one target image per input image, {len(images)}. "
                f"Received: {name}.shape={y.shape}"
            )
        return y

    def _checked_data(self, x, y, kwargs, names=("x", "y", "sample_weight")):
        """`x` and `y` checked, and `kwargs`' `sample_weight` and `class_weight` (in place)."""
        if kwargs.get("class_weight") is not None:
            raise ValueError(
                "`class_weight` has no meaning here: the model reconstructs images and has no "
                "classes to weigh. Weigh images with `sample_weight`. Received: class_weight="
                f"{kwargs['class_weight']!r}"
            )
        x = self._checked_inputs(x, names[0])
        y = self._checked_target(x, y, names[1])
        if kwargs.get("sample_weight") is not None:
            kwargs["sample_weight"] = self._checked_sample_weight(
                x, kwargs["sample_weight"], names[2]
            )
        return x, y

    def _images(self, x):
        """The images in the model's inputs `x` (all of `x` here)."""
        return x

    def _checked_sample_weight(self, x, sample_weight, name: str):
        """`sample_weight` as a float array of finite weights >= 0, one per image of `x`
        (as given when `x` is a dataset)."""
        if not isinstance(x, (np.ndarray, list)) or not isinstance(self._images(x), np.ndarray):
            return sample_weight
        weights = as_finite_array(sample_weight, name)
        count = len(self._images(x))
        if weights.shape != (count,) or np.any(weights < 0):
            raise ValueError(
                f"`{name}` must be {count} finite weights >= 0, one per image. "
                f"Received: {name}.shape={weights.shape}, smallest "
                f"{weights.min() if weights.size else None}"
            )
        return weights

    def _checked_validation_data(self, data):
        """`validation_data` (`x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`) checked like
        `fit`'s arguments, naming it; a dataset as given."""
        if not isinstance(data, (tuple, list, np.ndarray)):
            return data
        parts = list(data) if isinstance(data, (tuple, list)) else [data]
        if not 1 <= len(parts) <= 3:
            raise ValueError(
                "`validation_data` must be (x, y) or (x, y, sample_weight), or (x,) for a VAE. "
                f"Received: validation_data with {len(parts)} items"
            )
        x, y, weights = parts + [None] * (3 - len(parts))
        kwargs = {"sample_weight": weights}
        names = [f"validation_data[{i}]" for i in range(3)]
        x, y = self._checked_data(x, y, kwargs, names)
        return x, y, kwargs["sample_weight"]

    def __call__(self, inputs, *args, **kwargs):
        """Like `keras.Model.__call__`; NumPy or list `inputs` are checked like `fit`'s `x`
        (tensors, which may be traced inside `fit`, pass unchecked)."""
        values = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        if not any(is_tensor(value) for value in values):
            inputs = self._checked_inputs(inputs, "inputs")
        return super().__call__(inputs, *args, **kwargs)

    def fit(self, x=None, y=None, *args, **kwargs):
        """Like `keras.Model.fit`; NumPy images are checked (finite, the encoder's shape, in
        [0, 1] where the loss needs it), and so are `y`, `sample_weight` (finite, >= 0, one
        per image; lists are converted) and `validation_data`. `class_weight` is refused."""
        x, y = self._checked_data(x, y, kwargs)
        if kwargs.get("validation_data") is not None:
            kwargs["validation_data"] = self._checked_validation_data(kwargs["validation_data"])
        return super().fit(x, y, *args, **kwargs)

    def evaluate(self, x=None, y=None, *args, **kwargs):
        """Like `keras.Model.evaluate`, with `fit`'s checks."""
        if "validation_data" in kwargs:
            raise TypeError(
                "`validation_data` is an argument of `fit`; to evaluate on validation images, "
                "pass them as `x`: evaluate(x_val). Received: validation_data of type "
                f"{type(kwargs['validation_data']).__name__}"
            )
        x, y = self._checked_data(x, y, kwargs)
        return super().evaluate(x, y, *args, **kwargs)

    def predict(self, x=None, *args, **kwargs):
        """Like `keras.Model.predict`, with `fit`'s checks of `x`."""
        return super().predict(self._checked_inputs(x), *args, **kwargs)

    def get_config(self):
        return {
            **super().get_config(),
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
        }

    @classmethod
    def from_config(cls, config):
        if not isinstance(config, dict):
            raise TypeError(
                "`config` must be a dict, as written by `get_config`. Received: config of "
                f"type {type(config).__name__}"
            )
        config = dict(config)
        missing = [key for key in ("encoder", "decoder") if key not in config]
        if missing:
            raise ValueError(
                f"`config` must hold the serialised {' and '.join(missing)}, as written by "
                f"`get_config`. Received: config with keys {sorted(config)}"
            )
        config["encoder"] = keras.saving.deserialize_keras_object(config["encoder"])
        config["decoder"] = keras.saving.deserialize_keras_object(config["decoder"])
        return cls(**config)


@keras.saving.register_keras_serializable(package="vaekit")
class Autoencoder(_EncoderDecoder):
    """A plain autoencoder: `decoder(encoder(x))`, trained with the input as its own target.

    Compile it with a per-example loss such as `vaekit.losses.squared_error` or
    `vaekit.losses.bernoulli_reconstruction_loss` and fit with `fit(x, x)`.

    Args:
        encoder: a model `(batch, *image_shape) → (batch, latent_dim)`.
        decoder: a model `(batch, latent_dim) → (batch, *image_shape)`.

    Call arguments:
        inputs: images `(batch, *image_shape)`.

    Returns:
        Reconstructions, `(batch, *image_shape)`.

    Example:

    >>> ae = Autoencoder(build_encoder(latent_dim=2), build_decoder(latent_dim=2))
    >>> ae.compile(optimizer="adam", loss=squared_error)  # doctest: +SKIP
    >>> ae.fit(x_train, x_train, epochs=10)  # doctest: +SKIP
    """

    def call(self, inputs, training=None):
        return self.decoder(self.encoder(inputs, training=training), training=training)

    def _grey_levels_needed(self) -> bool:
        return self.loss is RECONSTRUCTION_LOSSES["bernoulli"]

    def _checked_target(self, x, y, name: str = "y"):
        if y is None and isinstance(x, np.ndarray):
            raise ValueError(
                f"`{name}` must be the target images: an Autoencoder learns to output `y` "
                "from `x`, so to reconstruct the images pass them twice, e.g. `fit(x, x)`. "
                f"Received: {name}=None"
            )
        return super()._checked_target(x, y, name)


@keras.saving.register_keras_serializable(package="vaekit")
class VAE(_EncoderDecoder):
    """A variational autoencoder whose `fit` and `evaluate` both include the KL term.

    The loss, per image in nats and averaged over the batch, is
    `reconstruction_loss + kl_weight * kl_loss`: the reconstruction negative log-likelihood
    summed over pixels plus KL(q(z|x) || N(0, I)) (`kl_weight` = β; 1 gives the ELBO).
    `fit` and `evaluate` report `loss`, `reconstruction_loss` and `kl_loss`, each averaged over
    images (not batches), so `loss == reconstruction_loss + kl_weight * kl_loss`. Per-image
    `sample_weight` is honoured: `vae.fit(x, sample_weight=w)`.

    With `kl_warmup_steps=N` the KL weight of training batch `t` (counted over all of `fit`'s
    calls) is `kl_weight * min(1, t / N)`: a linear KL warm-up (Bowman et al., 2016; Sønderby
    et al., 2016), which lets the encoder put information into z before the KL term pulls it
    back to the prior. During the warm-up the training `loss` uses that smaller weight;
    `evaluate` always uses `kl_weight`.

    To train one half only, freeze the other before compiling:
    `vae.encoder.trainable = False; vae.compile(...)`.

    Args:
        encoder: a model `(batch, *image_shape) → [z_mean, z_log_var]`, each
            `(batch, latent_dim)` (`build_encoder(..., variational=True)`).
        decoder: a model `(batch, latent_dim) → (batch, *image_shape)`.
        kl_weight: β ≥ 0, the weight of the KL term.
        kl_warmup_steps: training batches over which the KL weight rises linearly from 0 to
            `kl_weight`; 0 (the default) means no warm-up.
        reconstruction: `"bernoulli"` (binary cross-entropy, sigmoid decoder) or `"gaussian"`
            (unit-variance Gaussian, i.e. half the squared error plus a constant).
        seed: seed of the `Sampling` layer.

    Call arguments:
        inputs: images `(batch, *image_shape)`.

    Returns:
        A dict with `"reconstruction"` `(batch, *image_shape)`, and `"z_mean"`, `"z_log_var"`
        and `"z"`, each `(batch, latent_dim)`.

    Example:

    >>> vae = build_vae(latent_dim=2)
    >>> vae.compile(optimizer="adam")  # no loss argument: the VAE knows its loss
    >>> vae.fit(x_train, epochs=10)  # doctest: +SKIP
    """

    encoder_outputs = (2, "[z_mean, z_log_var] (build_encoder(..., variational=True))")

    def __init__(
        self,
        encoder: keras.Model,
        decoder: keras.Model,
        kl_weight: float = 1.0,
        reconstruction: str = "bernoulli",
        seed: int | None = None,
        kl_warmup_steps: int = 0,
        **kwargs,
    ):
        super().__init__(encoder, decoder, **kwargs)
        check_positive_number("kl_weight", kl_weight, allow_zero=True)
        if not isinstance(reconstruction, str) or reconstruction not in RECONSTRUCTION_LOSSES:
            raise ValueError(
                f"`reconstruction` must be one of {tuple(RECONSTRUCTION_LOSSES)}. "
                f"Received: reconstruction={reconstruction!r}"
            )
        self.kl_weight = float(kl_weight)
        self.kl_warmup_steps = check_non_negative_int("kl_warmup_steps", kl_warmup_steps)
        # The training batches seen so far, a model variable so that every backend's compiled
        # step reads and counts it; only a VAE with a warm-up has it (and saves it).
        self.training_batches = (
            keras.Variable(0.0, trainable=False, name="training_batches")
            if self.kl_warmup_steps else None
        )
        self.reconstruction = reconstruction
        self.sampling = Sampling(seed=seed, name="sampling")
        self.seed = self.sampling.seed  # checked, and a Python int for the config
        self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    def call(self, inputs, training=None):
        z_mean, z_log_var = self.encoder(inputs, training=training)
        z = self.sampling([z_mean, z_log_var])
        reconstruction = self.decoder(z, training=training)
        return {"reconstruction": reconstruction, "z_mean": z_mean, "z_log_var": z_log_var, "z": z}

    def fit(self, x=None, y=None, *args, **kwargs):
        """Like `_EncoderDecoder.fit` (checked inputs); also, with `sample_weight` and no `y`,
        the images are the target (Keras would drop the weights), and a NaN or infinite loss
        stops training with `StopOnNonFiniteLoss`'s message."""
        kwargs["callbacks"] = [*(kwargs.get("callbacks") or []), StopOnNonFiniteLoss()]
        return super().fit(x, y, *args, **kwargs)

    def _grey_levels_needed(self) -> bool:
        return self.reconstruction == "bernoulli"

    def _checked_data(self, x, y, kwargs, names=("x", "y", "sample_weight")):
        """As `_EncoderDecoder._checked_data`; with `sample_weight` and no `y`, the target is
        the images (Keras drops `sample_weight` when `y` is None, so the weights would be
        ignored)."""
        x, y = super()._checked_data(x, y, kwargs, names)
        if y is None and kwargs.get("sample_weight") is not None:
            y = self._images(x)
        return x, y

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Batch mean of `weight * (reconstruction + kl_weight * KL)`, in nats per image.

        The `reconstruction_loss` and `kl_loss` metrics average the same weighted per-image
        terms over all images seen, so `loss == reconstruction_loss + kl_weight * kl_loss`
        holds for any batch split. Under `tf.distribute` each replica returns its share
        (`replica_share`), so the loss Keras sums over replicas is still the batch mean.
        """
        if self.loss is not None:
            raise ValueError(
                "`VAE` computes its own loss (reconstruction + kl_weight * KL); compile it "
                f"without `loss`. Received: loss={self.loss!r}"
            )
        if y_pred is None:
            y_pred = self(x, training=training)
        target = self._images(x) if y is None else y
        reconstruction = RECONSTRUCTION_LOSSES[self.reconstruction](
            target, y_pred["reconstruction"]
        )
        kl = gaussian_kl(y_pred["z_mean"], y_pred["z_log_var"])
        if sample_weight is not None:
            weights = ops.reshape(ops.cast(sample_weight, reconstruction.dtype), (-1,))
            reconstruction, kl = reconstruction * weights, kl * weights
        self.reconstruction_loss_tracker.update_state(reconstruction)
        self.kl_loss_tracker.update_state(kl)
        total = ops.mean(reconstruction) + self._current_kl_weight(training) * ops.mean(kl)
        if self.losses:
            total = total + ops.sum(self.losses)
        return replica_share(total)

    def _current_kl_weight(self, training):
        """`kl_weight`, scaled by the warm-up while training (and counting the batch)."""
        if not (training and self.kl_warmup_steps):
            return self.kl_weight
        batches = ops.convert_to_tensor(self.training_batches)  # read before counting this one
        weight = self.kl_weight * ops.minimum(1.0, batches / float(self.kl_warmup_steps))
        self.training_batches.assign(batches + 1.0)
        return weight

    def get_config(self):
        return {
            **super().get_config(),
            "kl_weight": self.kl_weight,
            "reconstruction": self.reconstruction,
            "seed": self.seed,
            "kl_warmup_steps": self.kl_warmup_steps,
        }


def build_autoencoder(
    image_shape: Sequence[int] = (28, 28),
    latent_dim: int = 2,
    *,
    kind: str = "dense",
    hidden_units: Sequence[int] = (256,),
    filters: Sequence[int] = (32, 64),
    linear: bool = False,
    output_activation: str | None = "sigmoid",
) -> Autoencoder:
    """A symmetric `Autoencoder` from `build_encoder` and `build_decoder`.

    `linear=True` gives the purely linear autoencoder `x → W2 (W1 x + b1) + b2` (no hidden
    layers, no activations), which with squared error learns the PCA subspace.
    """
    image_shape = _check_image_shape(image_shape, kind, filters)
    if _check_flag("linear", linear):
        if kind != "dense":
            raise ValueError(
                f"`kind` must be 'dense' for a linear autoencoder. Received: kind={kind!r}"
            )
        hidden_units, activation, output_activation = (), None, None
    else:
        activation = "relu"
    encoder = build_encoder(
        image_shape, latent_dim, kind=kind, hidden_units=hidden_units, filters=filters,
        activation=activation,
    )
    decoder = build_decoder(
        image_shape, latent_dim, kind=kind, hidden_units=hidden_units, filters=filters,
        activation=activation, output_activation=output_activation,
    )
    return Autoencoder(encoder, decoder, name="linear_autoencoder" if linear else "autoencoder")


def build_vae(
    image_shape: Sequence[int] = (28, 28),
    latent_dim: int = 2,
    *,
    kind: str = "dense",
    hidden_units: Sequence[int] = (256,),
    filters: Sequence[int] = (32, 64),
    kl_weight: float = 1.0,
    kl_warmup_steps: int = 0,
    seed: int | None = None,
) -> VAE:
    """A symmetric `VAE` with a sigmoid decoder and the Bernoulli reconstruction loss (KL
    warm-up: `kl_warmup_steps`, as for `VAE`)."""
    encoder, decoder = variational_halves(
        image_shape, latent_dim, kind=kind, hidden_units=hidden_units, filters=filters
    )
    return VAE(encoder, decoder, kl_weight=kl_weight, kl_warmup_steps=kl_warmup_steps,
               seed=seed, name="vae")


def variational_halves(image_shape, latent_dim, *, kind, hidden_units, filters,
                       num_classes=None) -> tuple[keras.Model, keras.Model]:
    """A variational encoder and its mirrored sigmoid decoder (conditional with
    `num_classes`), as `build_vae` and `build_conditional_vae` use them."""
    image_shape = _check_image_shape(image_shape, kind, filters)
    encoder = build_encoder(
        image_shape, latent_dim, kind=kind, hidden_units=hidden_units, filters=filters,
        variational=True, num_classes=num_classes,
    )
    decoder = build_decoder(
        image_shape, latent_dim, kind=kind, hidden_units=hidden_units, filters=filters,
        num_classes=num_classes,
    )
    return encoder, decoder


def predict_in_batches(model: keras.Model, inputs, batch_size: int = 1024):
    """Run `model` on `inputs` batch by batch (eagerly, in inference mode) and return NumPy.

    Unlike `model.predict`, this traces no graph, so calling it on many small models or
    shapes stays quiet and quick. Outputs keep the model's structure: an array, a list of
    arrays (e.g. `[z_mean, z_log_var]`) or a dict of arrays, each with `len(inputs)` rows.
    """
    check_callable_model("model", model)
    batch_size = check_positive_int("batch_size", batch_size)
    parts = list(inputs) if isinstance(inputs, tuple | list) else [inputs]
    parts = [as_real_array(part, "inputs", finite=True) for part in parts]
    count = len(parts[0]) if parts[0].ndim else 0
    if count == 0 or any(part.ndim == 0 or len(part) != count for part in parts):
        raise ValueError(
            "`inputs` must be an array of examples (or a list of arrays with one row per "
            f"example each). Received: shapes {[part.shape for part in parts]}"
        )
    expected = [tuple(tensor.shape[1:]) for tensor in (getattr(model, "inputs", None) or [])]
    if expected and (
        len(expected) != len(parts)
        or any(
            len(want) != part.ndim - 1
            or any(w not in (None, g) for w, g in zip(want, part.shape[1:], strict=True))
            for want, part in zip(expected, parts, strict=False)
        )
    ):
        raise ValueError(
            f"`inputs` must match the model's inputs, one row per example: shapes (n, ...) "
            f"with ... = {expected}. Received: shapes {[part.shape for part in parts]}"
        )

    def batch(start):
        chunk = [part[start : start + batch_size] for part in parts]
        return chunk if isinstance(inputs, tuple | list) else chunk[0]

    chunks = [
        keras.tree.map_structure(ops.convert_to_numpy, model(batch(start), training=False))
        for start in range(0, count, batch_size)
    ]
    return keras.tree.map_structure(lambda *parts: np.concatenate(parts), *chunks)
