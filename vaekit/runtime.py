"""The fast-mode switch: small runs for CI, full runs for learners.

Set the environment variable ``VAEKIT_FAST=1`` (the test command does) and every lesson picks
its ``fast`` settings; leave it unset to get the full lesson. ``VAEKIT_SEED=N`` reruns a lesson
with another seed (default 0), to check that its claims do not hang on one lucky run.
"""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T")

FAST_MODE_VARIABLE = "VAEKIT_FAST"
SEED_VARIABLE = "VAEKIT_SEED"


def is_fast_mode() -> bool:
    """Return True when ``VAEKIT_FAST`` is set to ``1``, ``true`` or ``yes``."""
    value = os.environ.get(FAST_MODE_VARIABLE, "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise ValueError(
        f"`{FAST_MODE_VARIABLE}` must be one of 1/0, true/false, yes/no. "
        f"Received: {FAST_MODE_VARIABLE}={value!r}"
    )


def choose(*, full: T, fast: T) -> T:
    """Return ``fast`` in fast mode and ``full`` otherwise, e.g. ``choose(full=30, fast=3)``."""
    return fast if is_fast_mode() else full


def lesson_seed() -> int:
    """The lessons' random seed: ``VAEKIT_SEED`` if set (a non-negative integer), else 0."""
    value = os.environ.get(SEED_VARIABLE, "").strip()
    if not value:
        return 0
    if not (value.isascii() and value.isdigit()):  # not '²', which isdigit() accepts
        raise ValueError(
            f"`{SEED_VARIABLE}` must be a non-negative integer. Received: {SEED_VARIABLE}={value!r}"
        )
    return int(value)


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
