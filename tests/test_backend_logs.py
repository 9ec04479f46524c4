import os
import subprocess
import sys

import keras
import pytest

from vaekit.backend_logs import filter_log_lines

START_UP = (
    "a line of Python's own\n"
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    "I0000 00:00:1.0   30 port.cc:153] oneDNN custom operations are on.\n"
    "I0000 00:00:1.1   30 cpu_feature_guard.cc:227] This binary is optimized.\n"
    "To enable the following instructions: AVX2, rebuild TensorFlow.\n"
    "W0000 00:00:1.2   30 x.cc:1] a warning\n"
    "E0000 00:00:1.3   30 y.cc:2] an error\n"
)


def test_level_0_keeps_everything():
    assert filter_log_lines(START_UP, 0) == START_UP


def test_level_1_drops_info_and_its_continuation_lines():
    kept = filter_log_lines(START_UP, 1).splitlines()
    assert kept[0] == "a line of Python's own"
    assert kept[1].startswith("WARNING: All log messages")  # it announces a kept warning
    assert [line[:5] for line in kept[2:]] == ["W0000", "E0000"]


def test_the_older_dated_format_is_filtered_too():
    older = ("2026-12-05 07:55:24.500332: I tensorflow/core/util/port.cc:153] oneDNN on.\n"
             "To enable the following instructions: AVX2, rebuild TensorFlow.\n"
             "2026-12-05 07:55:24.600000: W tensorflow/x.cc:1] a warning\n")
    assert filter_log_lines(older, 1) == older.splitlines(keepends=True)[-1]


def test_level_2_keeps_errors_and_other_lines_only():
    assert filter_log_lines(START_UP, 2) == (
        "a line of Python's own\n"
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
        "E0000 00:00:1.3   30 y.cc:2] an error\n"
    )


def test_level_3_drops_the_notice_when_nothing_it_announces_is_kept():
    assert filter_log_lines(START_UP, 3) == "a line of Python's own\n"


@pytest.mark.slow
@pytest.mark.parametrize("level", ["2", None])
def test_importing_vaekit_first_leaves_stderr_empty(level):
    # Unset, as in a plain script, it drops info lines only. On JAX and PyTorch, Keras still
    # imports TensorFlow (set_random_seed seeds it too).
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    if level is not None:
        env["TF_CPP_MIN_LOG_LEVEL"] = level
    code = "import vaekit, keras; keras.utils.set_random_seed(0); print(keras.config.backend())"
    child = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True)
    assert child.stdout.strip() == keras.config.backend()
    assert child.stderr == ""
