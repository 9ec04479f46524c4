import argparse
import importlib.util
import os
import sys
from pathlib import Path

import pytest

# The runner's bookkeeping is file and process work: run once, on the default backend.
pytestmark = pytest.mark.backend_independent

ROOT = Path(__file__).parent.parent
SCRIPT = ROOT / "scripts" / "lesson_matrix.py"
LESSON = ROOT / "notebooks" / "03_variational_autoencoder.ipynb"


def load_script():
    spec = importlib.util.spec_from_file_location("lesson_matrix", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fake_bin(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "pytest").write_text("")
    return tmp_path / "bin"


def test_one_job_per_backend_and_lesson_each_on_one_thread(fake_bin):
    matrix = load_script()
    jobs = matrix.parse_run([str(fake_bin), "jax,torch", str(LESSON)])
    assert [job.backend for job in jobs] == ["jax", "torch"]
    for job in jobs:
        environment = job.environment()
        assert environment["KERAS_BACKEND"] == job.backend
        assert environment["VAEKIT_FAST"] == environment["VAEKIT_STRICT_CLAIMS"] == "1"
        assert environment["OMP_NUM_THREADS"] == "1"
        # JAX runs keep what XLA compiles in one folder, for the runs after them.
        cache = environment.get("JAX_COMPILATION_CACHE_DIR")
        assert cache == (str(ROOT / "build" / "jax-compilation-cache")
                         if job.backend == "jax" else None)
        assert job.command()[0] == str(fake_bin / "pytest")
        assert job.command()[-1] == str(LESSON) and "--nbval-lax" in job.command()


def test_lessons_run_in_order_each_on_every_environment(fake_bin):
    matrix = load_script()
    lessons = sorted(str(path) for path in (ROOT / "notebooks").glob("0[345]_*.ipynb"))
    jobs = matrix.parse_run([str(fake_bin), "jax,torch", *lessons[::-1]])
    jobs += matrix.parse_run([str(fake_bin), "tensorflow", lessons[0]])
    ordered = [(job.notebook.name[:2], job.backend) for job in matrix.in_lesson_order(jobs)]
    assert ordered == [("03", "jax"), ("03", "torch"), ("03", "tensorflow"),
                       ("04", "jax"), ("04", "torch"), ("05", "jax"), ("05", "torch")]


@pytest.mark.parametrize("values, named", [
    (["{bin}", "tensorflow"], "--run needs BIN BACKENDS NOTEBOOK"),
    (["{bin}", "mxnet", str(LESSON)], "'mxnet'"),
    (["{bin}", "jax", "notebooks/99_missing.ipynb"], "99_missing.ipynb"),
    (["/no/such/bin", "jax", str(LESSON)], "/no/such/bin"),
])
def test_bad_runs_are_named(fake_bin, values, named):
    matrix = load_script()
    with pytest.raises(argparse.ArgumentTypeError, match=named):
        matrix.parse_run([value.format(bin=fake_bin) for value in values])


def test_unit_test_passes_select_by_marker_and_run_first_on_one_thread(fake_bin):
    matrix = load_script()
    [lesson] = matrix.parse_run([str(fake_bin), "jax", str(LESSON)])
    all_tests, = matrix.parse_tests([str(fake_bin), "tensorflow", ""])
    jax, torch = matrix.parse_tests([str(fake_bin), "jax,torch", " not backend_independent "])
    assert matrix.in_lesson_order([lesson, jax, all_tests, torch]) == [jax, all_tests, torch,
                                                                         lesson]
    assert all_tests.command()[-1] == jax.command()[-1] == str(ROOT / "tests")
    assert "-m" not in all_tests.command() and "--nbval-lax" not in all_tests.command()
    assert jax.command()[-3:-1] == ["-m", "not backend_independent"]
    assert jax.environment()["KERAS_BACKEND"] == "jax"
    assert jax.environment()["OMP_NUM_THREADS"] == "1" and jax.name.startswith("unit tests [jax")
    with pytest.raises(argparse.ArgumentTypeError, match="--tests: backend must be one of"):
        matrix.parse_tests([str(fake_bin), "mxnet", ""])


def test_nothing_to_run_is_refused(monkeypatch, capsys):
    matrix = load_script()
    monkeypatch.setattr("sys.argv", ["lesson_matrix.py"])
    with pytest.raises(SystemExit):
        matrix.main()
    assert "nothing to run: give --tests, --run or --also" in capsys.readouterr().err


def test_a_command_of_its_own_starts_first_on_one_thread_and_has_its_own_row(fake_bin):
    matrix = load_script()
    [lesson] = matrix.parse_run([str(fake_bin), "jax", str(LESSON)])
    [unit] = matrix.parse_tests([str(fake_bin), "tensorflow", ""])
    browser = matrix.parse_also(["site and browser tests", "make browser-test"])
    assert matrix.in_lesson_order([lesson, unit, browser]) == [browser, unit, lesson]
    assert browser.command() == ["bash", "-c", "make browser-test"]
    assert browser.name == "site and browser tests"
    assert browser.environment() == dict(os.environ, **matrix.ONE_THREAD)  # the rest its own
    header, _, row = matrix.table([(browser, 0, 150.0, "")]).splitlines()
    assert (header, row) == ("| run | own set-up |", "| site and browser tests | 150 s |")
    for values in (["", "make browser-test"], ["browser", " "]):
        with pytest.raises(argparse.ArgumentTypeError, match="--also needs a NAME and a COMMAND"):
            matrix.parse_also(values)


def test_a_command_of_its_own_reports_its_counts(tmp_path, monkeypatch, capsys):
    matrix = load_script()
    monkeypatch.setattr("sys.argv", ["lesson_matrix.py", "--also", "browser tests",
                                     "echo '15 passed in 107.04s'"])
    assert matrix.main() == 0
    assert "browser tests: passed in 0 s (15 passed)" in capsys.readouterr().out


def test_the_table_has_a_row_per_run_and_marks_failures(fake_bin):
    matrix = load_script()
    jax, torch = matrix.parse_run([str(fake_bin), "jax,torch", str(LESSON)])
    unit, = matrix.parse_tests([str(fake_bin), "torch", ""])
    text = matrix.table([(jax, 0, 41.2, ""), (torch, 1, 90.0, ""), (unit, 0, 200.0, "")])
    header, _, first, second = text.splitlines()
    venv = fake_bin.parent.name
    assert header == f"| run | jax ({venv}) | torch ({venv}) |"
    assert first == "| unit tests |  | 200 s |"
    assert second.startswith("| 03_variational_autoencoder | 41 s | 90 s FAILED |")


def test_the_korean_edition_has_its_own_column_in_the_lesson_row(fake_bin):
    matrix = load_script()
    korean = LESSON.parent / "ko" / LESSON.name
    english, = matrix.parse_run([str(fake_bin), "jax", str(LESSON)])
    translated, = matrix.parse_run([str(fake_bin), "tensorflow", str(korean)])
    venv = fake_bin.parent.name
    assert (english.edition, translated.edition) == ("", "ko")
    assert translated.name == f"03_variational_autoencoder [tensorflow, {venv}, ko]"
    header, _, row = matrix.table([(translated, 0, 60.0, ""), (english, 0, 41.0, "")]).splitlines()
    assert header == f"| run | tensorflow ({venv}, ko) | jax ({venv}) |"
    assert row == "| 03_variational_autoencoder | 60 s | 41 s |"


def test_a_failing_run_fails_the_matrix_and_shows_its_output(tmp_path, monkeypatch, capsys):
    matrix = load_script()
    (tmp_path / "bin").mkdir()
    fake_pytest = tmp_path / "bin" / "pytest"
    fake_pytest.write_text('#!/bin/sh\n[ "$KERAS_BACKEND" = jax ] || exit 0\n'
                           "echo one claim did not hold\nexit 1\n")
    fake_pytest.chmod(0o755)
    monkeypatch.setattr("sys.argv", ["lesson_matrix.py", "--run", str(tmp_path / "bin"),
                                     "jax,torch", str(LESSON)])
    assert matrix.main() == 1
    report = capsys.readouterr().out
    assert "[jax, " in report and "FAILED (exit 1)" in report
    assert "one claim did not hold" in report and "[torch, " in report


@pytest.mark.parametrize("output, counts", [
    ("....\n723 passed, 2 skipped, 5 warnings in 524.33s (0:08:44)\n",
     {"passed": 723, "skipped": 2}),
    ("F.\n=== 1 failed, 20 passed, 3 errors in 40.1s ===\n",
     {"failed": 1, "passed": 20, "error": 3}),
    ("Traceback: the run never reached pytest's summary\n", {}),
])
def test_each_runs_counts_come_from_pytests_summary_line(output, counts):
    matrix = load_script()
    assert matrix.pytest_counts(output) == counts


def test_the_report_shows_each_runs_counts_and_their_sum(tmp_path, monkeypatch, capsys):
    matrix = load_script()
    (tmp_path / "bin").mkdir()
    fake_pytest = tmp_path / "bin" / "pytest"
    fake_pytest.write_text("#!/bin/sh\necho '5 passed, 1 skipped in 2.0s'\n")
    fake_pytest.chmod(0o755)
    monkeypatch.setattr("sys.argv", ["lesson_matrix.py", "--run", str(tmp_path / "bin"),
                                     "jax,torch", str(LESSON)])
    assert matrix.main() == 0
    report = capsys.readouterr().out
    assert report.count("passed in 0 s (5 passed, 1 skipped)") == 2
    assert report.rstrip().endswith("In all: 10 passed, 2 skipped.")
