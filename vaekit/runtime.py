"""How a lesson runs: fast or full, which seed, which device, and how its claims are checked.

Set the environment variable ``VAEKIT_FAST=1`` (the test command does) and every lesson picks
its ``fast`` settings; leave it unset to get the full lesson. ``VAEKIT_SEED=N`` reruns a lesson
with another seed (default 0), to check that its claims do not hang on one lucky run.

Each claim a lesson makes about its numbers goes through `claim`. A learner who changes a
setting sees one line per claim that no longer holds, and the lesson goes on; the test command
and `make lessons` set ``VAEKIT_STRICT_CLAIMS=1``, and there a failed claim stops the run.
"""

from __future__ import annotations

import html
import numbers
import os
from typing import TypeVar

import numpy as np

from vaekit.checks import check_positive_int, check_seed

T = TypeVar("T")

FAST_MODE_VARIABLE = "VAEKIT_FAST"
SEED_VARIABLE = "VAEKIT_SEED"


def is_fast_mode() -> bool:
    """Return True when ``VAEKIT_FAST`` is set to ``1``, ``true`` or ``yes``."""
    return _flag(FAST_MODE_VARIABLE)


def _flag(variable: str) -> bool:
    """Read an on/off environment variable: unset, 0/false/no are off; 1/true/yes are on."""
    value = os.environ.get(variable, "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise ValueError(
        f"`{variable}` must be one of 1/0, true/false, yes/no. Received: {variable}={value!r}"
    )


def choose(*, full: T, fast: T) -> T:
    """Return ``fast`` in fast mode and ``full`` otherwise, e.g. ``choose(full=30, fast=3)``."""
    return fast if is_fast_mode() else full


def lesson_seed() -> int:
    """The lessons' random seed: ``VAEKIT_SEED`` if set (an integer in [0, 2**32)), else 0."""
    value = os.environ.get(SEED_VARIABLE, "").strip()
    if not value:
        return 0
    if not (value.isascii() and value.isdigit()):  # not '²', which isdigit() accepts
        raise ValueError(
            f"`{SEED_VARIABLE}` must be a non-negative integer. Received: {SEED_VARIABLE}={value!r}"
        )
    return check_seed(SEED_VARIABLE, int(value))


def has_accelerator() -> bool:
    """Whether Keras' backend sees a GPU or TPU (lessons state some speed claims for CPUs only)."""
    import keras

    backend = keras.config.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return any(tf.config.list_physical_devices(kind) for kind in ("GPU", "TPU"))
    if backend == "jax":
        import jax

        return any(device.platform != "cpu" for device in jax.devices())
    if backend == "torch":
        import torch

        return bool(torch.cuda.is_available())
    return False


def steps_per_execution(requested: int) -> int:
    """Batches per compiled call for ``Model.compile``: ``requested``, or 1 on PyTorch.

    Running several batches per call cuts Python's cost per step on TensorFlow and JAX; Keras'
    PyTorch backend runs one batch per call and refuses any other value.
    """
    requested = check_positive_int("requested", requested)
    import keras

    return 1 if keras.config.backend() == "torch" else requested


STRICT_CLAIMS_VARIABLE = "VAEKIT_STRICT_CLAIMS"


class ClaimNotMet(AssertionError):
    """A lesson's claim did not hold in strict mode (the test command, `make lessons`)."""


def strict_claims() -> bool:
    """Whether a failed claim stops the lesson: True when ``VAEKIT_STRICT_CLAIMS`` is set to
    ``1``, ``true`` or ``yes`` (the test command and `make lessons` set it)."""
    return _flag(STRICT_CLAIMS_VARIABLE)


def claim(condition, message: str, *, likely_cause: str, **numbers) -> None:
    """Check one of a lesson's claims about its measured numbers.

    When `condition` holds, nothing is shown. When it does not, strict mode raises
    `ClaimNotMet`; otherwise one line is shown (styled in Jupyter, plain elsewhere) with the
    claim, the measured `numbers` and `likely_cause`, and the lesson goes on.

    Args:
        condition: a Python or NumPy bool, the claim's test on the measured numbers.
        message: what was expected, e.g. "the VAE should beat PCA".
        likely_cause: the setting that most likely changed the outcome.
        **numbers: the measured values to show, e.g. `vae=0.71, pca=0.52`.

    Returns nothing, so that a claim ending a cell adds no output.
    """
    if not isinstance(condition, (bool, np.bool_)):
        raise TypeError(
            "`condition` must be a bool (e.g. `a > b`), not an array or other object. "
            f"Received: condition of type {type(condition).__name__}"
        )
    _check_words(message, likely_cause)
    if condition:
        return
    line = claim_line(message, likely_cause, numbers)
    if strict_claims():
        raise ClaimNotMet(line)
    _show(line)


def claim_line(message: str, likely_cause: str, numbers: dict) -> str:
    """The one line shown for a claim that did not hold."""
    _check_words(message, likely_cause)
    if not isinstance(numbers, dict):
        raise TypeError(
            "`numbers` must be a dict {name: measured value}. "
            f"Received: numbers of type {type(numbers).__name__}"
        )
    measured = ", ".join(f"{name} = {_format(value)}" for name, value in numbers.items())
    if message[:2].istitle():  # "The VAE …" reads "Claim not met: the VAE …"; "PCA …" stays
        message = message[0].lower() + message[1:]
    parts = [f"Claim not met: {message.rstrip('.')}."]
    if measured:
        parts.append(f"Measured: {measured}.")
    parts.append(f"Likely cause: {likely_cause.rstrip('.')}.")
    return " ".join(parts)


def _check_words(message, likely_cause) -> None:
    for name, value in (("message", message), ("likely_cause", likely_cause)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"`{name}` must be a non-empty string. Received: {name}={value!r}")


def _format(value) -> str:
    """A measured value, short: floats to 4 significant digits, small arrays in full."""
    if isinstance(value, (bool, np.bool_, str)):
        return str(value)
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return f"{float(value):.4g}"
    if isinstance(value, np.ndarray) and value.size <= 16:
        return np.array2string(value, precision=3, separator=", ")
    return repr(value)


def _show(line: str) -> None:
    """Show `line` as a styled block in a Jupyter kernel, else print it."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is None or get_ipython() is None or not hasattr(get_ipython(), "kernel"):
        print(line)
        return
    style = (
        "border-left: 4px solid #c77c02; background: #fff6e0; color: #3d2b00; "
        "padding: 4px 8px; margin: 2px 0; font-family: sans-serif;"
    )
    display({"text/plain": line, "text/html": f'<div style="{style}">{html.escape(line)}</div>'},
            raw=True)
