"""Run the unit tests and the lessons on several Keras backends and environments, a few at a time.

    python scripts/lesson_matrix.py \
        --tests .venv/bin tensorflow "" --tests .venv/bin jax,torch "not backend_independent" \
        --run .venv/bin tensorflow,jax,torch notebooks/*.ipynb \
        --run .venv-floor/bin tensorflow notebooks/03_variational_autoencoder.ipynb \
        --also "site and browser tests" "make browser-test"

Each unit-test pass (`--tests BIN BACKENDS MARKS`: the tests selected by the pytest marker
expression MARKS, "" for all) and each (environment, backend, lesson) under nbval (`--run`: fast
mode, strict claims) is one pytest run on one CPU thread, `--slots` of them at once: on a small
machine two one-thread runs finish sooner than the same runs one after another on all cores,
a lesson that compares models under a time budget still gets one core to itself, and no core
idles while another finishes the last files of a pass. `--also NAME COMMAND` adds a run of a
shell command of its own (the website and browser tests, which use less than a core: run beside
the others they cost a fraction of their time alone); it starts first, then the unit-test passes,
the longest runs. Each run's verdict and pytest's counts (passed, skipped, ...) are printed when it
ends, with its output if it failed; a table of seconds per run and backend and the counts
summed over all runs close the report, and the exit status is 1 if any run failed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

BACKENDS = ("tensorflow", "jax", "torch")
# One thread for each backend's CPU kernels: oneDNN/OpenMP and PyTorch, TensorFlow, XLA.
ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
}
ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"  # the unit tests of `--tests` runs
# JAX keeps what XLA compiled on disk and reuses it when the same computation comes again, in
# the same run or a later one (the many same-shaped test models; a lesson's models in the unit
# tests and in other lessons): a quarter less time for the model tests on JAX.
JAX_COMPILATION_CACHE = {
    "JAX_COMPILATION_CACHE_DIR": str(ROOT / "build" / "jax-compilation-cache"),
    "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
    "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "-1",
}
NBVAL_OPTIONS = ["--nbval-lax", "--nbval-current-env",
                 "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]


@dataclass(frozen=True)
class Job:
    """One lesson, or the unit tests (`notebook` None) selected by the pytest marker expression
    `marks`, under one backend, run with the pytest of the environment in `bin_dir`; or, with
    `shell`, that shell command line, named `title` (`--also`)."""

    bin_dir: Path | None = None
    backend: str = ""
    notebook: Path | None = None
    marks: str = ""
    shell: str = ""
    title: str = ""

    @property
    def edition(self) -> str:
        """The lesson's edition: "" for the English lessons in notebooks/, else its folder
        there, e.g. "ko" (notebooks/ko/)."""
        if self.notebook is None or self.notebook.parent.name == "notebooks":
            return ""
        return self.notebook.parent.name

    @property
    def column(self) -> str:
        """The backend and environment, and an edition other than English, e.g. "jax (.venv)"
        or "tensorflow (.venv, ko)"; "own set-up" for a shell command."""
        if self.shell:
            return "own set-up"
        where = ", ".join(filter(None, [self.bin_dir.parent.name, self.edition]))
        return f"{self.backend} ({where})"

    @property
    def row(self) -> str:
        """The lesson, e.g. "03_variational_autoencoder", "unit tests", or a command's title."""
        if self.shell:
            return self.title
        return "unit tests" if self.notebook is None else self.notebook.stem

    @property
    def name(self) -> str:
        if self.shell:
            return self.row
        return f"{self.row} [{self.column.replace(' (', ', ').rstrip(')')}]"

    def command(self) -> list[str]:
        if self.shell:
            return ["bash", "-c", self.shell]
        pytest = [str(self.bin_dir / "pytest"), "-p", "no:cacheprovider", "-q"]
        if self.notebook is None:
            return pytest + (["-m", self.marks] if self.marks else []) + [str(TESTS)]
        return pytest + NBVAL_OPTIONS + [str(self.notebook)]

    def environment(self) -> dict[str, str]:
        if self.shell:  # one thread per kernel too; the command sets up the rest
            return dict(os.environ, **ONE_THREAD)
        cache = JAX_COMPILATION_CACHE if self.backend == "jax" else {}
        return dict(os.environ, **ONE_THREAD, **cache, KERAS_BACKEND=self.backend,
                    VAEKIT_FAST="1", VAEKIT_STRICT_CLAIMS="1")


def _environment_and_backends(option: str, bin_dir: str, backends: str) -> tuple[Path, list]:
    """Check an option's BIN and BACKENDS; return them parsed."""
    bin_dir, backends = Path(bin_dir), backends.split(",")
    if not (bin_dir / "pytest").exists():
        raise argparse.ArgumentTypeError(f"{option}: no pytest in {bin_dir}")
    for backend in backends:
        if backend not in BACKENDS:
            raise argparse.ArgumentTypeError(
                f"{option}: backend must be one of {', '.join(BACKENDS)}. "
                f"Received: {backend!r}")
    return bin_dir, backends


def parse_tests(values: list[str]) -> list[Job]:
    """`BIN BACKEND[,BACKEND…] MARKS` → one unit-test job per backend."""
    bin_dir, backends = _environment_and_backends("--tests", values[0], values[1])
    return [Job(bin_dir, backend, marks=values[2].strip()) for backend in backends]


def parse_run(values: list[str]) -> list[Job]:
    """`BIN BACKEND[,BACKEND…] NOTEBOOK…` → one job per backend and notebook."""
    if len(values) < 3:
        raise argparse.ArgumentTypeError(
            f"--run needs BIN BACKENDS NOTEBOOK…. Received: --run {' '.join(values)}")
    bin_dir, backends = _environment_and_backends("--run", values[0], values[1])
    for notebook in values[2:]:
        if not Path(notebook).is_file():
            raise argparse.ArgumentTypeError(f"--run: no notebook at {notebook}")
    return [Job(bin_dir, backend, Path(notebook)) for backend in backends
            for notebook in values[2:]]


def parse_also(values: list[str]) -> Job:
    """`NAME COMMAND` → one job running the shell command line COMMAND."""
    title, shell = (value.strip() for value in values)
    if not title or not shell:
        raise argparse.ArgumentTypeError(
            f"--also needs a NAME and a COMMAND. Received: --also {values[0]!r} {values[1]!r}")
    return Job(shell=shell, title=title)


def in_lesson_order(jobs: list[Job]) -> list[Job]:
    """The shell commands first, then the unit tests (the longest runs, in the order given),
    then lesson 1 on every backend, then lesson 2, …: lesson 4 has saved its judge
    (`vaekit.judge_cache`) by the time lessons 6 and 7 start, and no long run starts last."""
    return sorted(jobs, key=lambda job: (not job.shell, "" if job.notebook is None
                                         else job.notebook.name))


def run(job: Job) -> tuple[Job, int, float, str]:
    """Run one job; return it with its exit status, seconds and combined output."""
    start = time.perf_counter()
    child = subprocess.run(job.command(), env=job.environment(), capture_output=True, text=True)
    return job, child.returncode, time.perf_counter() - start, child.stdout + child.stderr


_COUNT = re.compile(r"(\d+) (passed|failed|skipped|xfailed|xpassed|errors?|deselected)\b")


def pytest_counts(output: str) -> dict[str, int]:
    """pytest's closing counts ("12 passed, 2 skipped in 3.1s") from a run's output, by outcome
    ("error" for "errors"); empty when the output has no summary line."""
    summaries = [line for line in output.splitlines() if re.search(r" in [\d.]+s\b", line)
                 and _COUNT.search(line)]
    if not summaries:
        return {}
    return {{"errors": "error"}.get(outcome, outcome): int(number)
            for number, outcome in _COUNT.findall(summaries[-1])}


def describe_counts(counts: dict[str, int]) -> str:
    """`{"passed": 12, "skipped": 2}` → "12 passed, 2 skipped"; "no test summary" if empty."""
    return ", ".join(f"{n} {outcome}" for outcome, n in counts.items()) or "no test summary"


def table(results: list[tuple[Job, int, float, str]]) -> str:
    """Seconds per run (rows: the unit tests, then each lesson) and backend/environment
    (columns), Markdown."""
    columns = list(dict.fromkeys(job.column for job, *_ in results))
    rows: dict[str, dict[str, str]] = {}
    for job, status, seconds, _ in results:
        cell = f"{seconds:.0f} s" + ("" if status == 0 else " FAILED")
        rows.setdefault(job.row, {})[job.column] = cell
    lines = ["| run | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name in sorted(rows, key=lambda name: (name != "unit tests", name)):
        lines.append(f"| {name} | "
                     + " | ".join(rows[name].get(column, "") for column in columns) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", nargs=3, action="append", default=[],
                        metavar=("BIN", "BACKENDS", "MARKS"), help="an environment's bin "
                        "folder, comma-separated backends, a pytest marker expression (\"\" "
                        "for all): the unit tests so selected, on each backend")
    parser.add_argument("--run", nargs="+", action="append", default=[],
                        metavar="BIN BACKENDS NOTEBOOK", help="an environment's bin folder, "
                        "comma-separated backends, the notebooks to run on each")
    parser.add_argument("--also", nargs=2, action="append", default=[],
                        metavar=("NAME", "COMMAND"), help="a shell command line to run as one "
                        "more run, named NAME, started first")
    parser.add_argument("--slots", type=int, default=2, help="runs at once (default 2)")
    args = parser.parse_args()
    if args.slots < 1:
        parser.error(f"--slots must be a positive integer. Received: --slots {args.slots}")
    try:
        jobs = [job for values in args.tests for job in parse_tests(values)]
        jobs += [job for values in args.run for job in parse_run(values)]
        jobs += [parse_also(values) for values in args.also]
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    if not jobs:
        parser.error("nothing to run: give --tests, --run or --also")
    jobs = in_lesson_order(jobs)
    start, results = time.perf_counter(), []
    with ThreadPoolExecutor(max_workers=args.slots) as pool:
        for future in as_completed([pool.submit(run, job) for job in jobs]):
            job, status, seconds, output = future.result()
            verdict = "passed" if status == 0 else f"FAILED (exit {status})"
            counts = describe_counts(pytest_counts(output))
            print(f"{job.name}: {verdict} in {seconds:.0f} s ({counts})", flush=True)
            if status != 0:
                print(output[-6000:], flush=True)
            results.append((job, status, seconds, output))
    totals = sum((Counter(pytest_counts(output)) for *_, output in results), Counter())
    print(f"\n{len(jobs)} runs in {time.perf_counter() - start:.0f} s, {args.slots} at a time, "
          "one CPU thread each:\n" + table(results) + f"\n\nIn all: {describe_counts(totals)}.")
    return int(any(status != 0 for _, status, _, _ in results))


if __name__ == "__main__":
    sys.exit(main())
