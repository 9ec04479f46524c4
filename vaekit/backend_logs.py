"""Import Keras with ``TF_CPP_MIN_LOG_LEVEL`` honoured for TensorFlow's first log lines.

TensorFlow 2.21 writes a few C++ log lines while it is imported ("All log messages before
absl::InitializeLog() is called are written to STDERR", "oneDNN custom operations are on",
...), before its logging reads ``TF_CPP_MIN_LOG_LEVEL``. In Jupyter they appear as a pink
stderr block under a lesson's first cell. `import_keras` captures the process's standard error
while Keras (and its backend) is imported, drops the lines below the level asked for, and
writes the rest back: errors still show.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile

LOG_LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL"
_SEVERITIES = "IWEF"  # glog's prefixes: info, warning, error, fatal
_GLOG_LINE = re.compile(r"^([IWEF])\d{4} ")
_ABSL_NOTICE = "WARNING: All log messages before absl::InitializeLog() is called"


def import_keras() -> None:
    """Import Keras once, keeping only the backend's start-up log lines at or above
    ``TF_CPP_MIN_LOG_LEVEL`` (0 keeps all, 1 drops info, 2 also warnings, 3 also errors)."""
    if "keras" in sys.modules:
        return
    min_level = _min_level()
    if min_level == 0:
        import keras  # noqa: F401

        return
    with tempfile.TemporaryFile(mode="w+b") as captured:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)
        try:
            import keras  # noqa: F401
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = filter_log_lines(captured.read().decode(errors="replace"), min_level)
            if kept:
                sys.stderr.write(kept)
                sys.stderr.flush()


def filter_log_lines(text: str, min_level: int) -> str:
    """Drop glog lines below `min_level` (with their continuation lines), and absl's notice
    unless a line it announces is kept; keep every other line of `text`."""
    kept, keeping, notice = [], True, None
    for line in text.splitlines(keepends=True):
        if line.startswith(_ABSL_NOTICE):
            notice = line
            continue
        match = _GLOG_LINE.match(line)
        if match:
            keeping = _SEVERITIES.index(match.group(1)) >= min_level
            if keeping and notice:
                kept.append(notice)
                notice = None
        if keeping:
            kept.append(line)
    return "".join(kept)


def _min_level() -> int:
    """``TF_CPP_MIN_LOG_LEVEL`` as TensorFlow reads it: 0 when unset or not a number."""
    value = os.environ.get(LOG_LEVEL_VARIABLE, "").strip()
    return int(value) if value.isascii() and value.isdigit() else 0
