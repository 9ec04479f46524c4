"""The course website's static latent explorer, from lesson 3's saved outputs (`make site`).

    python scripts/site_explorer.py notebooks/03_variational_autoencoder.ipynb OUT_DIR

Lesson 3 saves, in its explorer's output, the digits its decoder draws on a grid of latent
points (`vaekit.explorer.explorer_grid`, in the output's metadata under `GRID_KEY`). This
writes them into OUT_DIR as `decoded.png` (the tiles) and `explorer_data.js`
(`window.VAEKIT_EXPLORER`: the grid's size and spacing, the test codes, their labels and
colours), which `docs/_static/explorer/explorer.js` draws. Nothing is trained or executed:
the website shows the committed run of lesson 3. It reads the notebook as JSON and imports
neither vaekit nor Keras, so it takes a fraction of a second of the site build.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path

# vaekit.explorer.GRID_KEY, under which the lesson's output keeps the grid (tests/test_explorer.py
# checks that the two agree by a round trip).
GRID_KEY = "vaekit.explorer_grid"


def saved_grid(notebook: Path) -> dict:
    """The one explorer grid saved in the notebook's outputs; SystemExit if there is none."""
    found = [output["metadata"][GRID_KEY]
             for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
             if cell["cell_type"] == "code"
             for output in cell.get("outputs", []) if GRID_KEY in output.get("metadata", {})]
    if len(found) != 1:
        raise SystemExit(f"{notebook}: expected one output with an explorer grid ({GRID_KEY}), "
                         f"found {len(found)}; run the lesson (make lessons) to save it")
    return found[0]


def write(grid: dict, folder: Path) -> None:
    """`decoded.png` and `explorer_data.js` from `grid`, into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "decoded.png").write_bytes(base64.b64decode(grid["grid"]))
    data = {key: value for key, value in grid.items() if key != "grid"}
    script = "// Lesson 3's explorer grid, from its saved outputs (scripts/site_explorer.py).\n"
    script += f"window.VAEKIT_EXPLORER = {json.dumps(data, separators=(',', ':'))};\n"
    (folder / "explorer_data.js").write_text(script, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    grid = saved_grid(args.notebook)
    write(grid, args.out)
    print(f"{args.out}: decoded.png ({grid['size']} × {grid['size']} tiles), explorer_data.js")
    return 0


if __name__ == "__main__":
    sys.exit(main())
