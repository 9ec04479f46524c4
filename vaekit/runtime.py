"""How a lesson runs: fast or full, which seed, which device, and how its claims are checked.

Set the environment variable ``VAEKIT_FAST=1`` (the test command does) and every lesson picks
its ``fast`` settings; leave it unset to get the full lesson. ``VAEKIT_SEED=N`` reruns a lesson
with another seed (default 0), to check that its claims do not hang on one lucky run.

Each claim a lesson makes about its numbers goes through `claim`. A learner who changes a
setting sees one line per claim that no longer holds, and the lesson goes on; the test command
and `make lessons` set ``VAEKIT_STRICT_CLAIMS=1``, and there a failed claim stops the run.
In the Korean edition the line reads in Korean (`vaekit.language`).
"""

from __future__ import annotations

import html
import numbers
import os
import time
from typing import TypeVar

import numpy as np

from vaekit.checks import (
    check_non_negative_int,
    check_positive_int,
    check_positive_number,
    check_seed,
    check_text,
)
from vaekit.language import lesson_language, translate

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
    language = lesson_language()
    message, likely_cause = translate(message, language), translate(likely_cause, language)
    if message[:2].istitle():  # "The VAE …" reads "Claim not met: the VAE …"; "PCA …" stays
        message = message[0].lower() + message[1:]
    parts = [translate("Claim not met: {message}.", language).format(
        message=message.rstrip("."))]
    if measured:
        parts.append(translate("Measured: {measured}.", language).format(measured=measured))
    parts.append(translate("Likely cause: {likely_cause}.", language).format(
        likely_cause=likely_cause.rstrip(".")))
    return " ".join(parts)


def _check_words(message, likely_cause) -> None:
    check_text("message", message)
    check_text("likely_cause", likely_cause)


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
    if not _in_jupyter():
        print(line)
        return
    from IPython.display import display

    style = (
        "border-left: 4px solid #c77c02; background: #fff6e0; color: #3d2b00; "
        "padding: 4px 8px; margin: 2px 0; font-family: sans-serif;"
    )
    display({"text/plain": line, "text/html": f'<div style="{style}">{html.escape(line)}</div>'},
            raw=True)


def progress_text(done: int, total: int, elapsed: float, unit: str) -> str:
    """How far a long run is, e.g. "epoch 12/40 · 8 s, about 19 s left" (`unit` "epoch")."""
    done, total = check_non_negative_int("done", done), check_positive_int("total", total)
    elapsed = check_positive_number("elapsed", elapsed, allow_zero=True)
    check_text("unit", unit)
    left = elapsed / max(done, 1) * max(total - done, 0)
    return translate("{unit} {done}/{total} · {elapsed} s, about {left} s left").format(
        unit=unit, done=done, total=total, elapsed=f"{elapsed:.0f}", left=f"{left:.0f}")


class LiveLine:
    """One line of text in a notebook's output, redrawn in place: what a learner watches while
    a model trains or a long estimate runs. The saved notebook keeps its last text only, which
    `finish` sets. Outside a Jupyter kernel it shows nothing.

    Args:
        text: the line to show first.
    """

    INTERVAL = 0.25  # seconds between two redraws by `update`

    def __init__(self, text: str):
        self._handle, self._drawn = None, time.perf_counter()
        if _in_jupyter():
            from IPython.display import display

            self._handle = display({"text/plain": _line_text(text)}, raw=True, display_id=True)

    def update(self, text: str) -> None:
        """Show `text` instead, unless the line was redrawn less than `INTERVAL` s ago."""
        text = _line_text(text)
        if time.perf_counter() - self._drawn >= self.INTERVAL:
            self._redraw(text)

    def finish(self, text: str) -> None:
        """Show `text` instead, now: the line's last text, the one a saved notebook keeps."""
        self._redraw(_line_text(text))

    def _redraw(self, text: str) -> None:
        self._drawn = time.perf_counter()
        if self._handle is not None:
            self._handle.update({"text/plain": text}, raw=True)


def _line_text(text) -> str:
    if not isinstance(text, str) or "\n" in text:
        raise ValueError(f"`text` must be one line of text. Received: text={text!r}")
    return text


def _in_jupyter() -> bool:
    """Whether this runs in a Jupyter kernel (not a script, not a plain IPython shell)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")
