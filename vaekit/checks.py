"""Argument checks shared by the library: clear errors that name the argument and the value."""

from __future__ import annotations

import numbers

import numpy as np


def check_positive_int(name: str, value) -> int:
    """Return `value` as an int if it is a positive integer (NumPy integers too), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return int(value)


def check_seed(name: str, value) -> int:
    """Return `value` as an int if it is a non-negative integer seed (NumPy integers too)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(
            f"`{name}` must be a non-negative integer. Received: {name}={value!r}"
        )
    return int(value)


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


def check_fraction(name: str, value) -> float:
    """Return `value` as a float if it is a number strictly between 0 and 1, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ValueError(f"`{name}` must be between 0 and 1. Received: {name}={value!r}")
    return float(value)


def as_float_array(values, name: str, dtype=np.float64) -> np.ndarray:
    """`values` as a NumPy float array, or a ValueError naming `name` if it is not numeric."""
    try:
        return np.asarray(values, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"`{name}` must be an array of numbers. Received: {name} of type "
            f"{type(values).__name__} ({error})"
        ) from None


def as_codes(codes, name: str = "codes", *, min_rows: int = 2) -> np.ndarray:
    """Check and return `codes` as a finite float64 array `(num_codes >= min_rows, latent_dim)`."""
    codes = as_float_array(codes, name)
    if codes.ndim != 2 or len(codes) < min_rows:
        raise ValueError(
            f"`{name}` must have shape (num_codes >= {min_rows}, latent_dim). "
            f"Received: {name}.shape={codes.shape}"
        )
    if not np.all(np.isfinite(codes)):
        raise ValueError(f"`{name}` must be finite. Received: {name} with NaN or inf values")
    return codes


def check_grey_levels(images: np.ndarray, name: str = "images") -> None:
    """Refuse a NumPy array of images that is not finite numbers in [0, 1].

    The message says how to scale 0–255 images, the most common cause.
    """
    if not np.issubdtype(images.dtype, np.number) or not np.all(np.isfinite(images)):
        raise ValueError(
            f"`{name}` must hold grey levels in [0, 1]. Received: dtype {images.dtype} with "
            "NaN, inf or non-numeric values"
        )
    low, high = images.min(), images.max()
    if low < 0 or high > 1:
        raise ValueError(
            f"`{name}` must hold grey levels in [0, 1] (divide 0–255 images by 255). "
            f"Received: values in [{low:g}, {high:g}], dtype {images.dtype}"
        )
