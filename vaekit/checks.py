"""Argument checks shared by the library: clear errors that name the argument and the value."""

from __future__ import annotations

import numbers
import os
from pathlib import Path

import keras
import numpy as np
from keras import ops

# The largest size of a tensor axis (a layer's width, an image side): backends use int32.
MAX_SIZE = 2**31 - 1
# The largest |log-variance| whose variance a float32 holds (exp(88.7) is float32's maximum).
MAX_ABS_LOG_VARIANCE = float(np.log(np.finfo(np.float32).max))


def check_positive_int(name: str, value, *, maximum: int | None = None) -> int:
    """Return `value` as an int if it is a positive integer (NumPy integers too), at most
    `maximum` when given, else raise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or value < 1
        or (maximum is not None and value > maximum)
    ):
        bound = "" if maximum is None else f" at most {maximum:,}"
        raise ValueError(f"`{name}` must be a positive integer{bound}. Received: {name}={value!r}")
    return int(value)


def check_text(name: str, value) -> str:
    """Return `value` if it is a string with something other than spaces, else raise."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"`{name}` must be a non-empty string. Received: {name}={value!r}")
    return value


def check_non_negative_int(name: str, value) -> int:
    """Return `value` as an int if it is an integer >= 0 (NumPy integers too), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(
            f"`{name}` must be a non-negative integer. Received: {name}={value!r}"
        )
    return int(value)


def is_tensor(value) -> bool:
    """True for backend tensors and symbolic Keras tensors, which may be traced (inside `fit`)
    and so are passed on unchecked."""
    return ops.is_tensor(value) or keras.utils.is_keras_tensor(value)


def check_seed(name: str, value) -> int:
    """Return `value` as an int if it is a valid seed: an integer in [0, 2**32), the range
    NumPy, scikit-learn and Keras all accept."""
    seed = check_non_negative_int(name, value)
    if seed >= 2**32:
        raise ValueError(
            f"`{name}` must be an integer in [0, 2**32 - 1]. Received: {name}={value!r}"
        )
    return seed


def check_positive_number(name: str, value, *, allow_zero: bool = False) -> float:
    """Return `value` as a float if it is a finite number > 0 (>= 0 with `allow_zero`), NumPy
    scalars included, else raise."""
    bound = ">= 0" if allow_zero else "> 0"
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not np.isfinite(value)
        or value < 0
        or (value == 0 and not allow_zero)
    ):
        raise ValueError(f"`{name}` must be a finite number {bound}. Received: {name}={value!r}")
    return float(value)


def check_fraction(name: str, value, *, below: float = 1.0, allow_zero: bool = False) -> float:
    """Return `value` as a float if it is a number strictly between 0 and `below` (0 included
    with `allow_zero`), NumPy scalars included, else raise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not (0 <= value if allow_zero else 0 < value)
        or not value < below
    ):
        bounds = f"in [0, {below:g})" if allow_zero else f"between 0 and {below:g}"
        raise ValueError(f"`{name}` must be {bounds}. Received: {name}={value!r}")
    return float(value)


def check_callable_model(name: str, model) -> keras.Model:
    """Return `model` if it is a `keras.Model`, else raise a TypeError naming `name`."""
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"`{name}` must be a Keras model. Received: {name} of type {type(model).__name__}"
        )
    return model


def check_decoder(name: str, decoder) -> int:
    """Return the latent size of `decoder`, a Keras model with one input `(batch, latent_dim)`
    such as `vae.decoder`, else raise a TypeError naming `name`."""
    check_callable_model(name, decoder)
    inputs = getattr(decoder, "inputs", None)
    if not inputs or len(inputs) != 1 or len(inputs[0].shape) != 2:
        conditional = " (a conditional decoder also needs labels: use `cvae.generate`)"
        raise TypeError(
            f"`{name}` must be a Keras model with one input (batch, latent_dim), e.g. "
            f"`vae.decoder`. Received: {name} of type {type(decoder).__name__}"
            + (f" with {len(inputs)} inputs{conditional}" if inputs and len(inputs) > 1 else "")
        )
    return int(inputs[0].shape[-1])


def _check_finite(array: np.ndarray, name: str) -> np.ndarray:
    if not np.all(np.isfinite(array)):
        raise ValueError(f"`{name}` must be finite. Received: {name} with NaN or inf values")
    return array


def as_real_array(values, name: str, *, finite: bool = False) -> np.ndarray:
    """`values` as a NumPy array of real numbers, its bool, integer or float dtype kept (object
    arrays become float64); None, text and complex numbers are refused, and NaN or inf too with
    `finite`."""
    if values is None:
        raise ValueError(f"`{name}` must be an array of numbers. Received: {name}=None")
    try:
        array = np.asarray(values)
        if array.dtype == object:
            array = array.astype(np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"`{name}` must be an array of numbers. Received: {name} of type "
            f"{type(values).__name__} ({error})"
        ) from None
    if array.dtype.kind == "c":
        raise ValueError(
            f"`{name}` must be an array of real numbers, not complex. Received: {name} with "
            f"dtype {array.dtype}"
        )
    if array.dtype.kind not in "biuf":
        raise ValueError(
            f"`{name}` must be an array of numbers. Received: {name} with dtype {array.dtype}"
        )
    return _check_finite(array, name) if finite else array


def as_float_array(values, name: str, dtype=np.float64, *, finite: bool = False) -> np.ndarray:
    """`values` as a NumPy float array of `dtype` (see `as_real_array` for what is refused)."""
    array = as_real_array(values, name).astype(dtype, copy=False)
    return _check_finite(array, name) if finite else array


def as_finite_array(values, name: str, dtype=np.float32) -> np.ndarray:
    """`values` as a finite float array of `dtype` (see `as_real_array` for what is refused);
    values beyond the dtype's range are refused too, without NumPy's overflow warning."""
    with np.errstate(over="ignore"):  # they become inf, which the check refuses
        return as_float_array(values, name, dtype, finite=True)


def as_codes(codes, name: str = "codes", *, min_rows: int = 2) -> np.ndarray:
    """Check and return `codes` as a finite float64 array `(num_codes >= min_rows, latent_dim)`."""
    codes = as_float_array(codes, name)
    if codes.ndim != 2 or len(codes) < min_rows:
        raise ValueError(
            f"`{name}` must have shape (num_codes >= {min_rows}, latent_dim). "
            f"Received: {name}.shape={codes.shape}"
        )
    return _check_finite(codes, name)


def as_points(points, latent_dim: int, name: str = "points") -> np.ndarray:
    """Check and return `points` as finite float64 `(num_points >= 1, latent_dim)`."""
    points = as_codes(points, name, min_rows=1)
    if points.shape[1] != latent_dim:
        raise ValueError(
            f"`{name}` must have {latent_dim} columns, one per latent dimension. "
            f"Received: {name}.shape={points.shape}"
        )
    return points


def check_log_variance(log_var: np.ndarray, name: str) -> np.ndarray:
    """Refuse a finite array of log-variances whose variances overflow float32."""
    if log_var.size and np.abs(log_var).max() > MAX_ABS_LOG_VARIANCE:
        raise ValueError(
            f"`{name}` must be log-variances within ±{MAX_ABS_LOG_VARIANCE:.1f} (beyond, the "
            f"variance overflows). Received: {name} with values in "
            f"[{log_var.min():g}, {log_var.max():g}]"
        )
    return log_var


def as_posterior(z_mean, z_log_var) -> tuple[np.ndarray, np.ndarray]:
    """Check and return an encoder's `z_mean` and `z_log_var`: finite float64 arrays of one
    shape `(num_images >= 2, latent_dim)`, with log-variances whose variances do not overflow."""
    z_mean, z_log_var = as_codes(z_mean, "z_mean"), as_codes(z_log_var, "z_log_var")
    if z_mean.shape != z_log_var.shape:
        raise ValueError(
            "`z_mean` and `z_log_var` must have the same shape. Received: "
            f"z_mean.shape={z_mean.shape}, z_log_var.shape={z_log_var.shape}"
        )
    return z_mean, check_log_variance(z_log_var, "z_log_var")


def as_labels(labels, num_items: int, name: str = "labels", *, integer: bool = False):
    """Check and return `labels` as an array `(num_items,)`, one label per item, not NaN;
    with `integer`, integer class indices only."""
    labels = np.asarray(labels)
    if labels.shape != (num_items,):
        raise ValueError(
            f"`{name}` must have shape ({num_items},), one label per item. "
            f"Received: {name}.shape={labels.shape}"
        )
    if labels.dtype.kind in "fc":
        as_real_array(labels, name, finite=True)
    if integer and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"`{name}` must be integer class indices. Received: {name} of dtype {labels.dtype}"
        )
    return labels


def check_grey_levels(images, name: str = "images") -> None:
    """Refuse images that are not finite numbers in [0, 1] (bool images are 0/1 grey levels).

    The message says how to scale 0–255 images, the most common cause.
    """
    images = as_real_array(images, name)
    if images.size == 0:
        raise ValueError(
            f"`{name}` must hold at least one grey level. Received: {name}.shape={images.shape}"
        )
    if images.dtype == bool:
        return
    if not np.all(np.isfinite(images)):
        raise ValueError(
            f"`{name}` must hold grey levels in [0, 1]. Received: {name} with NaN or inf "
            f"values, dtype {images.dtype}"
        )
    low, high = images.min(), images.max()
    if low < 0 or high > 1:
        raise ValueError(
            f"`{name}` must hold grey levels in [0, 1] (divide 0–255 images by 255). "
            f"Received: values in [{low:g}, {high:g}], dtype {images.dtype}"
        )


def check_decoded_grey_levels(images: np.ndarray, name: str = "decoder") -> np.ndarray:
    """Return `images`, the outputs of the model `name`, if they are grey levels in [0, 1],
    else raise naming the model (the caller passed it, not the images)."""
    finite = images[np.isfinite(images)]
    if finite.size < images.size or (finite.size and (finite.min() < 0 or finite.max() > 1)):
        seen = f"[{finite.min():g}, {finite.max():g}]" if finite.size else "NaN or inf only"
        raise ValueError(
            f"`{name}` must output grey levels in [0, 1], e.g. through a sigmoid output layer "
            "(build_vae, or build_autoencoder without linear=True); for a decoder of centred "
            "images, decode the codes yourself, add the mean image back and use plot_images. "
            f"Received: a {name} whose outputs are in {seen}"
            + (" with NaN or inf" if 0 < finite.size < images.size else "")
        )
    return images


def as_images(images, name: str = "images", *, shape=None, grey_levels: bool = True):
    """Check and return `images` as a float32 batch `(n >= 1, *shape)` of finite grey levels
    in [0, 1] (any finite values when `grey_levels` is False).

    Args:
        shape: the shape of one image, e.g. `(28, 28)` (None entries match any size), or None
            for any shape of at least one axis.
    """
    images = as_float_array(images, name, np.float32)
    fits = shape is None or (
        images.ndim == len(shape) + 1
        and all(want in (None, got) for want, got in zip(shape, images.shape[1:], strict=True))
    )
    if images.ndim < 2 or len(images) == 0 or not fits:
        what = "" if shape is None else " × ".join(map(str, shape)) + " "
        axes = "..." if shape is None else ", ".join(map(str, shape))
        raise ValueError(
            f"`{name}` must be a non-empty batch of {what}images, shape (n, {axes}). "
            f"Received: {name}.shape={images.shape}"
        )
    if grey_levels:
        check_grey_levels(images, name)
    else:
        _check_finite(images, name)
    return images


def as_path(name: str, value) -> Path:
    """`value` as a `Path`, if it is a str or os.PathLike (not a file descriptor or None)."""
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(
            f"`{name}` must be a path (str or os.PathLike). Received: {name}={value!r}"
        )
    return Path(value)
