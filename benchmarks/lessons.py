"""Part 4 — lessons: wall time and peak memory of each notebook in fast and full mode.

Uses `measure` from `scripts/run_notebooks.py`: each notebook runs top to bottom in a fresh
kernel in a child process (outputs are not saved); the memory figure is that kernel's peak
resident set size.

    python -m benchmarks.lessons [notebooks ...]
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

from benchmarks.common import ROOT, markdown_table

FULL_TOTAL_GOAL_SECONDS = 600
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
    """Run every notebook in fast mode, then in full mode; return seconds and peak MB each."""
    measure = _measure()
    notebooks = lesson_notebooks() if notebooks is None else notebooks
    rows = [measure(Path(path), fast=fast, write=False)
            for fast in (True, False) for path in notebooks]
    full = [r for r in rows if r["mode"] == "full"]
    return {
        "rows": rows,
        "full_total_seconds": sum(r["seconds"] for r in full),
        "max_peak_rss_mb": max((r["peak_rss_mb"] for r in rows), default=0.0),
    }


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
