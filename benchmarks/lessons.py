"""Part 4 — lessons: wall time and peak memory of each notebook in fast and full mode.

Uses `measure` from `scripts/run_notebooks.py`: each notebook runs top to bottom in a fresh
kernel in a child process (outputs are not saved); the memory figure is that kernel's peak
resident set size.

The baseline for lesson speed is lessons 1–3 as they were when the speed goal was set
(`BASELINE_COMMIT`), taken from git history and run in full mode in the same run with the
library of that commit, so each "now ÷ then" is a ratio from one run. Without the history (a
tarball, a shallow clone) the baseline is skipped and the report says why.

    python -m benchmarks.lessons [notebooks ...]
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from benchmarks.common import ROOT, markdown_table

FULL_TOTAL_GOAL_SECONDS = 600
PEAK_GOAL_MB = 1536
# Lessons 1–3 when the speed goal (each ≤ 0.6× its time then) was set: the last commit before
# lessons 2 and 3 gained the fair comparison and the judge. Recorded then, on an idle 2-core
# machine: 53, 54 and 79 s in full mode.
BASELINE_COMMIT = "5431f7aa72f1975527d493a9eb848a493eda0825"
BASELINE_LESSONS = ("01_pca_kernel_pca_autoencoder.ipynb", "02_autoencoder_latent_space.ipynb",
                    "03_variational_autoencoder.ipynb")
RECORDED_BASELINE_SECONDS = dict(zip(BASELINE_LESSONS, (53, 54, 79), strict=True))
# Today's lessons that teach what each baseline lesson taught: lesson 3 was split in two.
SUCCESSORS = {
    "01_pca_kernel_pca_autoencoder.ipynb": ("01_pca_kernel_pca_autoencoder.ipynb",),
    "02_autoencoder_latent_space.ipynb": ("02_autoencoder_latent_space.ipynb",),
    "03_variational_autoencoder.ipynb": ("03_variational_autoencoder.ipynb",
                                         "04_judging_generators.ipynb"),
}
SPEED_GOAL = 0.6


def _measure():
    """`measure(path, fast, write)` from scripts/run_notebooks.py (a script, not a package)."""
    path = ROOT / "scripts" / "run_notebooks.py"
    spec = importlib.util.spec_from_file_location("run_notebooks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.measure


def lesson_notebooks() -> list[Path]:
    """The lesson notebooks, `notebooks/NN_*.ipynb`, in order."""
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def extract_baseline(folder: Path, commit: str = BASELINE_COMMIT) -> Path:
    """Write `notebooks/` and `vaekit/` of `commit` into `folder`; return the notebooks folder.

    Raises RuntimeError naming the commit when git or the commit is not available.
    """
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit,
                                  "notebooks", "vaekit"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or str(error).encode()
        raise RuntimeError(f"commit {commit[:7]} is not available from git: "
                           f"{detail.decode(errors='replace').strip()}") from error
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        # Extraction filters exist from Python 3.10.12 and 3.11.4 on.
        options = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(folder, **options)
    return folder / "notebooks"


def run_baseline(lessons: tuple[str, ...] = BASELINE_LESSONS) -> dict:
    """Run `lessons` of `BASELINE_COMMIT` in full mode with that commit's library (first on the
    kernel's path): `{"rows": [...]}`, or `{"skipped": reason}` without the git history."""
    measure = _measure()
    with tempfile.TemporaryDirectory() as folder:
        try:
            notebooks = extract_baseline(Path(folder))
        except RuntimeError as error:
            return {"skipped": str(error)}
        return {"rows": [measure(notebooks / name, fast=False, write=False,
                                 extra_env={"PYTHONPATH": folder})
                         for name in lessons]}


def run(notebooks: list[Path] | None = None, baseline: bool = True) -> dict:
    """Run every notebook in fast mode, then in full mode (then, with `baseline`, lessons 1–3
    of `BASELINE_COMMIT` in full mode); return seconds and peak MB each."""
    measure = _measure()
    notebooks = lesson_notebooks() if notebooks is None else notebooks
    rows = [measure(Path(path), fast=fast, write=False)
            for fast in (True, False) for path in notebooks]
    full = [r for r in rows if r["mode"] == "full"]
    return {
        "rows": rows,
        "full_total_seconds": sum(r["seconds"] for r in full),
        "max_peak_rss_mb": max((r["peak_rss_mb"] for r in rows), default=0.0),
        "baseline": run_baseline() if baseline else {"skipped": "not asked for"},
    }


def speed_rows(result: dict) -> list[dict]:
    """Lessons 1–3 of the baseline against today's lessons that teach the same (`SUCCESSORS`,
    their seconds added up), both in full mode from this run:
    `{"notebook", "now_notebooks", "recorded", "then", "now", "ratio"}` each."""
    then = {r["notebook"]: r["seconds"] for r in result["baseline"].get("rows", [])}
    now = {r["notebook"]: r["seconds"] for r in result["rows"] if r["mode"] == "full"}
    rows = []
    for name in BASELINE_LESSONS:
        successors = SUCCESSORS[name]
        if name in then and all(successor in now for successor in successors):
            seconds = sum(now[successor] for successor in successors)
            rows.append({"notebook": name, "now_notebooks": successors,
                         "recorded": RECORDED_BASELINE_SECONDS[name], "then": then[name],
                         "now": seconds, "ratio": seconds / then[name]})
    return rows


def report(result: dict) -> str:
    """Markdown section for RESULTS.md."""
    by_notebook: dict[str, dict] = {}
    for r in result["rows"]:
        by_notebook.setdefault(r["notebook"], {})[r["mode"]] = r
    rows = [
        [name, f"{modes['fast']['seconds']:.0f}", f"{modes['fast']['peak_rss_mb']:.0f}",
         f"{modes['full']['seconds']:.0f}", f"{modes['full']['peak_rss_mb']:.0f}"]
        for name, modes in by_notebook.items()
    ]
    return (
        f"## 4. Lessons (goal: full mode ≤ {FULL_TOTAL_GOAL_SECONDS // 60} min for all together, "
        f"≤ {PEAK_GOAL_MB / 1024:.1f} GB each)\n\n"
        + markdown_table(["notebook", "fast (s)", "fast peak (MB)", "full (s)",
                          "full peak (MB)"], rows)
        + f"\n\nFull mode, all together: **{result['full_total_seconds']:.0f} s** "
        f"(÷ goal {result['full_total_seconds'] / FULL_TOTAL_GOAL_SECONDS:.2f}); largest peak "
        f"**{result['max_peak_rss_mb']:.0f} MB** "
        f"(÷ goal {result['max_peak_rss_mb'] / PEAK_GOAL_MB:.2f}).\n\n"
        + _speed_report(result)
    )


def _speed_report(result: dict) -> str:
    """The lesson-speed table: lessons 1–3 now ÷ the baseline lessons, one run."""
    heading = (f"### Lessons 1–3 against their baseline (goal: each ≤ {SPEED_GOAL}× in full "
               "mode)\n\n")
    if "skipped" in result["baseline"]:
        return heading + f"Baseline not run: {result['baseline']['skipped']}.\n"
    rows = [[r["notebook"], " + ".join(r["now_notebooks"]), f"{r['recorded']} s",
             f"{r['then']:.0f} s", f"{r['now']:.0f} s", f"**{r['ratio']:.2f}**"]
            for r in speed_rows(result)]
    return (
        heading + f"The baseline is lessons 1–3 of commit `{BASELINE_COMMIT[:7]}` (when the "
        "goal was set), run in full mode in this run with that commit's library. Today's "
        "lessons teach more than those (the fair comparison with a fitted density, the "
        "judge, a real likelihood), so their ratio prices the added content as well as the "
        "speed; the baseline's lesson 3 is now lessons 3 and 4, timed together.\n\n"
        + markdown_table(["baseline lesson", "now", "recorded then", "baseline, this run",
                          "now, this run", "now ÷ baseline"], rows) + "\n"
    )


def main() -> None:
    """Command-line entry: the given notebooks, or all lesson notebooks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()
    print(report(run(args.notebooks or None)))


if __name__ == "__main__":
    main()
