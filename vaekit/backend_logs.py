"""Import Keras with ``TF_CPP_MIN_LOG_LEVEL`` honoured for TensorFlow's first log lines.

TensorFlow 2.21 writes a few C++ log lines while it is imported ("All log messages before
absl::InitializeLog() is called are written to STDERR", "oneDNN custom operations are on",
...), before its logging reads ``TF_CPP_MIN_LOG_LEVEL``. In Jupyter they appear as a pink
stderr block under a lesson's first cell. `import_keras` captures the process's standard error
while Keras (and its backend) is imported, drops the lines below the level asked for, and
writes the rest back: warnings and errors still show. When the variable is unset, info lines
are dropped (level 1), so that a plain ``import vaekit`` is quiet. On the JAX and PyTorch
backends it imports an installed TensorFlow there too, because Keras imports it anyway
(`keras.utils.set_random_seed` seeds TensorFlow whenever it is installed), later and without
the filter.
"""

from __future__ import annotations

import importlib.util
import numbers
import os
import re
import sys
import tempfile

LOG_LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL"
_SEVERITIES = "IWEF"  # glog's prefixes: info, warning, error, fatal
# "I0000 00:00:…" (TensorFlow 2.20 on) or "2026-01-01 00:00:00.000000: I tensorflow/…" (before).
_GLOG_LINE = re.compile(r"^(?:([IWEF])\d{4} |\d{4}-\d\d-\d\d [\d:.]+: ([IWEF]) )")
_ABSL_NOTICE = "WARNING: All log messages before absl::InitializeLog() is called"


def import_keras() -> None:
    """Import Keras once, keeping only the backend's start-up log lines at or above
    ``TF_CPP_MIN_LOG_LEVEL`` (0 keeps all, 1 drops info — the default when unset —, 2 also
    warnings, 3 also errors)."""
    if "keras" in sys.modules:
        return
    min_level = _min_level()
    if min_level == 0:
        _import_keras_and_tensorflow()
        return
    with tempfile.TemporaryFile(mode="w+b") as captured:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)
        try:
            _import_keras_and_tensorflow()
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = filter_log_lines(captured.read().decode(errors="replace"), min_level)
            if kept:
                sys.stderr.write(kept)
                sys.stderr.flush()


def _import_keras_and_tensorflow() -> None:
    import keras

    if keras.config.backend() != "tensorflow" and importlib.util.find_spec("tensorflow"):
        import tensorflow  # noqa: F401


def filter_log_lines(text: str, min_level: int) -> str:
    """Drop glog lines below `min_level` (with their continuation lines), and absl's notice
    unless a line it announces is kept; keep every other line of `text`."""
    if not isinstance(text, str):
        raise TypeError(f"`text` must be a str. Received: text of type {type(text).__name__}")
    if isinstance(min_level, bool) or not isinstance(min_level, numbers.Integral) or not (
        0 <= min_level <= 3
    ):
        raise ValueError(
            f"`min_level` must be an integer from 0 to 3. Received: min_level={min_level!r}"
        )
    kept, keeping, notice = [], True, None
    for line in text.splitlines(keepends=True):
        if line.startswith(_ABSL_NOTICE):
            notice = line
            continue
        match = _GLOG_LINE.match(line)
        if match:
            severity = match.group(1) or match.group(2)
            keeping = _SEVERITIES.index(severity) >= min_level
            if keeping and notice:
                kept.append(notice)
                notice = None
        if keeping:
            kept.append(line)
    return "".join(kept)


def _min_level() -> int:
    """``TF_CPP_MIN_LOG_LEVEL`` when set to a number, else 1: start-up info lines are dropped
    and TensorFlow's warnings and errors still show (set it to 0 to see everything)."""
    value = os.environ.get(LOG_LEVEL_VARIABLE, "").strip()
    return int(value) if value.isascii() and value.isdigit() else 1
