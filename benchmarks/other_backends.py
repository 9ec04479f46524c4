"""Parts 1 and 3 (throughput, time to a real likelihood) on another Keras backend.

A process has one Keras backend, so each backend runs in a child process of its own; every
figure is still a ratio of two measurements from one process (that backend's own matmul
ceiling, that backend's own plain-VAE baseline). Part 3 runs without its ablation there.

    KERAS_BACKEND=jax python -m benchmarks.other_backends --child OUT.json [--tiny]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import ROOT

# The modules of parts 1 and 3, each with what it is given here: part 3's ablation runs on the
# process's own backend only (`run_all`), for time.
PARTS = {"throughput": {}, "time_to_likelihood": {"ablation": False}}


def run(backend: str, *, tiny: bool = False) -> dict:
    """Parts 1 and 3 under `backend` in a child process: `{part name: results}`.

    Raises RuntimeError with the child's last output lines if it fails (e.g. the backend is
    not installed: `pip install -e ".[jax]"`).
    """
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "results.json"
        command = [sys.executable, "-m", "benchmarks.other_backends", "--child", str(output)]
        child = subprocess.run(command + (["--tiny"] if tiny else []), cwd=ROOT,
                               env=dict(os.environ, KERAS_BACKEND=backend),
                               capture_output=True, text=True)
        if child.returncode != 0:
            raise RuntimeError(f"the benchmarks on KERAS_BACKEND={backend} failed (exit "
                               f"{child.returncode}):\n{child.stderr[-3000:]}")
        return json.loads(output.read_text())


def _child(output: Path, tiny: bool) -> None:
    """Run the parts on this process's backend and write their results as JSON."""
    import keras

    from benchmarks.common import load_data

    keras.utils.set_random_seed(0)
    data = load_data(tiny=tiny)
    results = {name: importlib.import_module(f"benchmarks.{name}").run(data, tiny=tiny,
                                                                        **arguments)
               for name, arguments in PARTS.items()}
    output.write_text(json.dumps(results, default=float))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=Path, required=True, metavar="OUT.json")
    parser.add_argument("--tiny", action="store_true", help="tiny sizes (a smoke run)")
    args = parser.parse_args()
    _child(args.child, args.tiny)


if __name__ == "__main__":
    main()
