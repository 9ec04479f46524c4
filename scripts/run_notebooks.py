"""Execute lesson notebooks in place, top to bottom in a fresh kernel, and report cost.

    python scripts/run_notebooks.py notebooks/*.ipynb          # full mode, refresh outputs
    python scripts/run_notebooks.py --fast --no-write notebooks/*.ipynb
    python scripts/run_notebooks.py --fast --no-write --seed 1 notebooks/*.ipynb  # another seed
    python scripts/run_notebooks.py --no-write --sections notebooks/03_*.ipynb  # time per section

Claims are strict (``VAEKIT_STRICT_CLAIMS=1``): a claim that does not hold stops the run.
A saved notebook is stamped with the SHA-256 of its code cells (``metadata.vaekit.code_sha256``),
so a test can tell when code was edited after the run that made the outputs.
Each notebook runs in its own child process, so the reported peak memory (the kernel's
maximum resident set size) belongs to that notebook alone. Volatile metadata (execution
timestamps) is stripped; execution counts are kept.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

TIMEOUT_SECONDS = 1800
KERNEL_NAME = "python3"


def lab_kernelspec() -> dict:
    """The `kernelspec` metadata JupyterLab writes when it saves a notebook run on our kernel,
    so that opening and saving a lesson leaves it unchanged in git."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    return {"display_name": spec.display_name, "language": spec.language, "name": KERNEL_NAME}


def execute(path: Path, write: bool) -> dict:
    """Run one notebook in a fresh kernel (in this process), optionally save it, and return
    the seconds its cells took under each `## ` heading."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT_SECONDS,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=True,
    )
    client.execute()
    sections = seconds_per_section(notebook)
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("execution", None)
    notebook.metadata.pop("widgets", None)
    notebook.metadata["kernelspec"] = lab_kernelspec()
    notebook.metadata["vaekit"] = {"code_sha256": code_fingerprint(notebook)}
    if write:
        nbformat.write(notebook, path)
    return sections


def code_fingerprint(notebook) -> str:
    """SHA-256 of the notebook's code cells, in order: the stamp of the run that made its
    outputs (a changed code cell, or one added or removed, changes it)."""
    digest = hashlib.sha256()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            digest.update(cell.source.encode("utf-8") + b"\0")
    return digest.hexdigest()


def seconds_per_section(notebook) -> dict:
    """Seconds of cell execution under each `## ` heading ("(top)" before the first one)."""
    from datetime import datetime

    sections, heading = {}, "(top)"
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            heading = cell.source.splitlines()[0][3:].strip()
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            start, end = (datetime.fromisoformat(timing[key].replace("Z", "+00:00"))
                          for key in ("iopub.execute_input", "shell.execute_reply"))
            sections[heading] = sections.get(heading, 0.0) + (end - start).total_seconds()
    return sections


def measure(path: Path, fast: bool, write: bool, seed: int = 0,
            extra_env: dict[str, str] | None = None) -> dict:
    """Execute `path` in a child process (with `extra_env` added to its environment, which its
    kernel inherits); return wall time (s) and the kernel's peak RSS (MB)."""
    env = dict(os.environ, VAEKIT_FAST="1" if fast else "0", VAEKIT_SEED=str(seed),
               VAEKIT_STRICT_CLAIMS="1", **(extra_env or {}))
    command = [sys.executable, __file__, "--child", str(path)] + ([] if write else ["--no-write"])
    start = time.perf_counter()
    child = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        raise RuntimeError(f"{path} failed:\n{child.stderr[-4000:]}")
    return {"notebook": path.name, "mode": "fast" if fast else "full", "seconds": seconds,
            **json.loads(child.stdout.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--fast", action="store_true", help="set VAEKIT_FAST=1")
    parser.add_argument("--no-write", action="store_true", help="do not save outputs")
    parser.add_argument("--seed", type=int, default=0, help="set VAEKIT_SEED (default 0)")
    parser.add_argument("--sections", action="store_true",
                        help="also print the seconds spent under each ## heading")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sections = execute(args.notebooks[0], write=not args.no_write)
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(json.dumps({"peak_rss_mb": peak_kb / 1024, "sections": sections}))
        return
    for path in args.notebooks:
        result = measure(path, fast=args.fast, write=not args.no_write, seed=args.seed)
        print(f"{result['notebook']} [{result['mode']}, seed {args.seed}]: "
              f"{result['seconds']:.0f} s, "
              f"peak RSS {result['peak_rss_mb']:.0f} MB", flush=True)
        if args.sections:
            for heading, seconds in result["sections"].items():
                print(f"    {seconds:6.1f} s  {heading}")


if __name__ == "__main__":
    main()
