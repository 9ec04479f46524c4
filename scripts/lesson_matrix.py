"""Execute the lessons under nbval on several Keras backends and environments, a few at a time.

    python scripts/lesson_matrix.py --run .venv/bin tensorflow,jax,torch notebooks/*.ipynb \
        --run .venv-floor/bin tensorflow notebooks/03_variational_autoencoder.ipynb

Each (environment, backend, lesson) is one pytest run (fast mode, strict claims), on one CPU
thread, `--slots` of them at once: on a small machine two one-thread runs finish sooner than
the same runs one after another on all cores, and a lesson that compares models under a time
budget still gets one core to itself. Each run's output is printed when it ends; a table of
seconds per lesson and backend closes the report, and the exit status is 1 if any run failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
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
NBVAL_OPTIONS = ["--nbval-lax", "--nbval-current-env",
                 "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]


@dataclass(frozen=True)
class Job:
    """One lesson under one backend, run with the pytest of the environment in `bin_dir`."""

    bin_dir: Path
    backend: str
    notebook: Path

    @property
    def column(self) -> str:
        """The backend and environment, e.g. "jax (.venv)"."""
        return f"{self.backend} ({self.bin_dir.parent.name})"

    @property
    def name(self) -> str:
        return f"{self.notebook.stem} [{self.backend}, {self.bin_dir.parent.name}]"

    def command(self) -> list[str]:
        return [str(self.bin_dir / "pytest"), "-p", "no:cacheprovider", "-q", *NBVAL_OPTIONS,
                str(self.notebook)]

    def environment(self) -> dict[str, str]:
        return dict(os.environ, **ONE_THREAD, KERAS_BACKEND=self.backend, VAEKIT_FAST="1",
                    VAEKIT_STRICT_CLAIMS="1")


def parse_run(values: list[str]) -> list[Job]:
    """`BIN BACKEND[,BACKEND…] NOTEBOOK…` → one job per backend and notebook."""
    if len(values) < 3:
        raise argparse.ArgumentTypeError(
            f"--run needs BIN BACKENDS NOTEBOOK…. Received: --run {' '.join(values)}")
    bin_dir, backends, notebooks = Path(values[0]), values[1].split(","), values[2:]
    if not (bin_dir / "pytest").exists():
        raise argparse.ArgumentTypeError(f"--run: no pytest in {bin_dir}")
    for backend in backends:
        if backend not in BACKENDS:
            raise argparse.ArgumentTypeError(
                f"--run: backend must be one of {', '.join(BACKENDS)}. Received: {backend!r}")
    for notebook in notebooks:
        if not Path(notebook).is_file():
            raise argparse.ArgumentTypeError(f"--run: no notebook at {notebook}")
    return [Job(bin_dir, backend, Path(notebook)) for backend in backends
            for notebook in notebooks]


def in_lesson_order(jobs: list[Job]) -> list[Job]:
    """Lesson 1 on every backend, then lesson 2, …: lesson 3 has saved its judge
    (`vaekit.judge_cache`) by the time lessons 4 and 5 start, and no long run starts last."""
    return sorted(jobs, key=lambda job: job.notebook.name)


def run(job: Job) -> tuple[Job, int, float, str]:
    """Run one job; return it with its exit status, seconds and combined output."""
    start = time.perf_counter()
    child = subprocess.run(job.command(), env=job.environment(), capture_output=True, text=True)
    return job, child.returncode, time.perf_counter() - start, child.stdout + child.stderr


def table(results: list[tuple[Job, int, float, str]]) -> str:
    """Seconds per lesson (rows) and backend/environment (columns), Markdown."""
    columns = list(dict.fromkeys(job.column for job, *_ in results))
    rows: dict[str, dict[str, str]] = {}
    for job, status, seconds, _ in results:
        cell = f"{seconds:.0f} s" + ("" if status == 0 else " FAILED")
        rows.setdefault(job.notebook.stem, {})[job.column] = cell
    lines = ["| lesson | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for lesson in sorted(rows):
        lines.append(f"| {lesson} | "
                     + " | ".join(rows[lesson].get(column, "") for column in columns) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", nargs="+", action="append", required=True,
                        metavar="BIN BACKENDS NOTEBOOK", help="an environment's bin folder, "
                        "comma-separated backends, the notebooks to run on each")
    parser.add_argument("--slots", type=int, default=2, help="runs at once (default 2)")
    args = parser.parse_args()
    if args.slots < 1:
        parser.error(f"--slots must be a positive integer. Received: --slots {args.slots}")
    try:
        jobs = [job for values in args.run for job in parse_run(values)]
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    jobs = in_lesson_order(jobs)
    start, results = time.perf_counter(), []
    with ThreadPoolExecutor(max_workers=args.slots) as pool:
        for future in as_completed([pool.submit(run, job) for job in jobs]):
            job, status, seconds, output = future.result()
            verdict = "passed" if status == 0 else f"FAILED (exit {status})"
            print(f"{job.name}: {verdict} in {seconds:.0f} s", flush=True)
            if status != 0:
                print(output[-6000:], flush=True)
            results.append((job, status, seconds, output))
    print(f"\n{len(jobs)} runs in {time.perf_counter() - start:.0f} s, {args.slots} at a time, "
          "one CPU thread each:\n" + table(results))
    return int(any(status != 0 for _, status, _, _ in results))


if __name__ == "__main__":
    sys.exit(main())
