"""Part 4 — lessons: wall time and peak memory of each notebook in fast and full mode.

Uses `measure` from `scripts/run_notebooks.py`: each notebook runs top to bottom in a fresh
kernel in a child process (outputs are not saved); the memory figure is that kernel's peak
resident set size. The budgets, in full mode on 2 CPU cores: each lesson at most
`LESSON_GOAL_SECONDS`; the lessons that cover the source post (`SOURCE_POST_LESSONS`: PCA /
Kernel PCA / autoencoder, the latent space, the VAE, judging generators) at most
`SOURCE_POST_GOAL_SECONDS` together; each at most `PEAK_GOAL_MB` of memory.

    python -m benchmarks.lessons [notebooks ...]
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

from benchmarks.common import ROOT, markdown_table

LESSON_GOAL_SECONDS = 60
SOURCE_POST_LESSONS = ("01_pca_kernel_pca_autoencoder.ipynb", "02_autoencoder_latent_space.ipynb",
                       "03_variational_autoencoder.ipynb", "04_judging_generators.ipynb")
SOURCE_POST_GOAL_SECONDS = 240
PEAK_GOAL_MB = 1536


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


def run(notebooks: list[Path] | None = None) -> dict:
    """Run every notebook in fast mode, then in full mode; return seconds and peak MB each,
    and the figures the budgets are set on."""
    measure = _measure()
    notebooks = lesson_notebooks() if notebooks is None else notebooks
    rows = [measure(Path(path), fast=fast, write=False)
            for fast in (True, False) for path in notebooks]
    return {"rows": rows, **summarise(rows)}


def summarise(rows: list[dict]) -> dict:
    """The figures the budgets are set on, from `measure`'s rows (`notebook`, `mode`,
    `seconds`, `peak_rss_mb` each)."""
    full = {r["notebook"]: r for r in rows if r["mode"] == "full"}
    return {
        "slowest_full_seconds": max((r["seconds"] for r in full.values()), default=0.0),
        "source_post_seconds": sum(full[name]["seconds"] for name in SOURCE_POST_LESSONS
                                   if name in full),
        "source_post_lessons": [name for name in SOURCE_POST_LESSONS if name in full],
        "max_peak_rss_mb": max((r["peak_rss_mb"] for r in rows), default=0.0),
    }


def report(result: dict) -> str:
    """Markdown section for RESULTS.md."""
    by_notebook: dict[str, dict] = {}
    for r in result["rows"]:
        by_notebook.setdefault(r["notebook"], {})[r["mode"]] = r

    def flagged(value: float, goal: float, unit: str) -> str:
        return f"{value:.0f}" + (f" (over {goal:g} {unit})" if value > goal else "")

    rows = [
        [name, f"{modes['fast']['seconds']:.0f}", f"{modes['fast']['peak_rss_mb']:.0f}",
         flagged(modes["full"]["seconds"], LESSON_GOAL_SECONDS, "s"),
         flagged(modes["full"]["peak_rss_mb"], PEAK_GOAL_MB, "MB")]
        for name, modes in by_notebook.items()
    ]
    covered = len(result["source_post_lessons"])
    return (
        f"## 4. Lessons (goals in full mode: each ≤ {LESSON_GOAL_SECONDS} s; lessons 1–4 "
        f"≤ {SOURCE_POST_GOAL_SECONDS} s together; each ≤ {PEAK_GOAL_MB / 1024:.1f} GB)\n\n"
        + markdown_table(["notebook", "fast (s)", "fast peak (MB)", "full (s)",
                          "full peak (MB)"], rows)
        + f"\n\nSlowest lesson in full mode: **{result['slowest_full_seconds']:.0f} s** (÷ goal "
        f"{result['slowest_full_seconds'] / LESSON_GOAL_SECONDS:.2f}); the {covered} lessons "
        f"that cover the source post: **{result['source_post_seconds']:.0f} s** (÷ goal "
        f"{result['source_post_seconds'] / SOURCE_POST_GOAL_SECONDS:.2f}); largest peak "
        f"**{result['max_peak_rss_mb']:.0f} MB** "
        f"(÷ goal {result['max_peak_rss_mb'] / PEAK_GOAL_MB:.2f}).\n"
    )


def main() -> None:
    """Command-line entry: the given notebooks, or all lesson notebooks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()
    print(report(run(args.notebooks or None)))


if __name__ == "__main__":
    main()
