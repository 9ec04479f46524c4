"""Precompute the course website's static latent explorer (docs/explorer.md).

Trains lesson 3's 2-D VAE (its settings and seed: dense 784 → 512 → 256 → 2, 25 epochs, batch
64, Adam 1e-3, 4,000 training digits), decodes a grid of latent points z over
[-LIMIT, LIMIT]² and writes, into docs/_static/explorer/:

- `decoded.png`: the decoded digits, one 28 × 28 tile per grid point (row 0: the largest z[1]),
  an 8-bit grey image;
- `explorer_data.js`: the grid's coordinates and the test digits' codes (means of q(z|x)) with
  their labels and the course's class colours, as `window.VAEKIT_EXPLORER`.

The website only shows these files (`make site` trains nothing). Rerun this script, then
commit both files, when lesson 3's model changes:

    .venv/bin/python scripts/static_explorer.py
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import vaekit  # noqa: F401, E402, I001  (first: Keras starts without TensorFlow's log lines)
import keras  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from vaekit.data import load_mnist  # noqa: E402
from vaekit.models import build_vae, predict_in_batches  # noqa: E402
from vaekit.runtime import steps_per_execution  # noqa: E402
from vaekit.style import CLASS_COLOURS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "_static" / "explorer"
LIMIT = 4.0  # the sliders' range, as in lesson 3's explorer
STEP = 0.25  # grid spacing: 33 × 33 points


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--epochs", type=int, default=25)
    args = parser.parse_args(argv)

    seed = 0
    keras.utils.set_random_seed(seed)
    mnist = load_mnist(max_train_examples=4_000, max_test_examples=1_000, seed=seed,
                       warn_on_fallback=False)
    vae = build_vae(latent_dim=2, hidden_units=(512, 256), kl_weight=1.0, seed=seed)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3), steps_per_execution=steps_per_execution(16))
    start = time.perf_counter()
    vae.fit(mnist.x_train, epochs=args.epochs, batch_size=64, verbose=0)
    print(f"trained {args.epochs} epochs in {time.perf_counter() - start:.0f} s")

    axis = np.arange(-LIMIT, LIMIT + STEP / 2, STEP, dtype=np.float32)
    size = len(axis)
    z1, z0 = np.meshgrid(axis[::-1], axis, indexing="ij")  # row 0: the largest z[1]
    points = np.stack([z0.ravel(), z1.ravel()], axis=1)
    decoded = predict_in_batches(vae.decoder, points).reshape(size, size, 28, 28)
    sprite = decoded.transpose(0, 2, 1, 3).reshape(size * 28, size * 28)
    args.out.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.round(255 * np.clip(sprite, 0, 1)).astype(np.uint8), mode="L").save(
        args.out / "decoded.png", optimize=True
    )

    codes = predict_in_batches(vae.encoder, mnist.x_test)[0]
    data = {
        "limit": LIMIT,
        "step": STEP,
        "size": size,
        "tile": 28,
        "data": mnist.description,
        "codes": np.round(codes, 2).tolist(),
        "labels": mnist.y_test.astype(int).tolist(),
        "colours": list(CLASS_COLOURS),
    }
    script = "// Written by scripts/static_explorer.py: lesson 3's 2-D VAE, precomputed.\n"
    script += f"window.VAEKIT_EXPLORER = {json.dumps(data, separators=(',', ':'))};\n"
    (args.out / "explorer_data.js").write_text(script)
    print(f"wrote {args.out / 'decoded.png'} ({size} × {size} tiles) and explorer_data.js")


if __name__ == "__main__":
    main()
