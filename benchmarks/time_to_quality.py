"""Part 3 — time-to-quality: the lesson VAE against the keras.io example's 30-epoch run.

The reference is the keras.io example's convolutional VAE (latent size 2, batch 128, Adam,
30 epochs; see `benchmarks.baselines`) trained on the same training images; its held-out
−ELBO on the test images is the target. Each lesson-VAE recipe (dense, latent size 2) then
trains until its held-out −ELBO, checked after every epoch, reaches that target. Times
include building, compiling and graph tracing, and exclude the held-out evaluations.

    python -m benchmarks.time_to_quality [--tiny]
"""

from __future__ import annotations

import time

import keras
import numpy as np

from benchmarks.baselines import build_keras_io_vae
from benchmarks.common import markdown_table, part_main
from vaekit.diagnostics import heldout_elbo
from vaekit.models import build_vae

REFERENCE_EPOCHS = 30
MAX_EPOCHS = 60
EVAL_SAMPLES = 5  # z draws per test image in each held-out −ELBO estimate

# Lesson-VAE recipes: dense `build_vae(latent_dim=2, hidden_units=...)`, Adam. "lesson 3" is
# the setting notebooks/03_variational_autoencoder.ipynb uses at the time of writing.
RECIPES = {
    "vaekit defaults": {"hidden_units": (256,), "batch_size": 128, "learning_rate": 1e-3},
    "lesson 3": {"hidden_units": (512, 256), "batch_size": 64, "learning_rate": 1e-3},
    "recommended": {"hidden_units": (512, 256), "batch_size": 64, "learning_rate": 2e-3},
}


class StopAtTarget(keras.callbacks.Callback):
    """Evaluates the held-out −ELBO after every epoch and stops once it is ≤ `target`.

    `history` holds `(epoch, training_seconds, negative_elbo)`; training seconds run from
    `start` (a `time.perf_counter()` value) and leave out the time spent evaluating.
    """

    def __init__(self, vae, x_test, target: float, start: float):
        super().__init__()
        self.vae, self.x_test, self.target, self.start = vae, x_test, target, start
        self.eval_seconds = 0.0
        self.history: list[tuple[int, float, float]] = []

    def on_epoch_end(self, epoch, logs=None):
        now = time.perf_counter()
        value = heldout_elbo(self.vae, self.x_test, num_samples=EVAL_SAMPLES)["negative_elbo"]
        self.history.append((epoch + 1, now - self.start - self.eval_seconds, value))
        self.eval_seconds += time.perf_counter() - now
        if value <= self.target:
            self.model.stop_training = True


def train_reference(data, epochs: int = REFERENCE_EPOCHS) -> dict:
    """Train the keras.io architecture; return its wall time and held-out −ELBO."""
    start = time.perf_counter()
    vae = build_keras_io_vae(latent_dim=2, seed=0)
    vae.compile(optimizer=keras.optimizers.Adam())
    vae.fit(data.x_train, epochs=epochs, batch_size=128, verbose=0)
    seconds = time.perf_counter() - start
    elbo = heldout_elbo(vae, data.x_test, num_samples=EVAL_SAMPLES)
    return {"seconds": seconds, "epochs": epochs, **elbo}


def train_until(data, target: float, recipe: dict, max_epochs: int = MAX_EPOCHS) -> dict:
    """Train a dense lesson VAE with `recipe` until its held-out −ELBO reaches `target`."""
    start = time.perf_counter()
    vae = build_vae(latent_dim=2, hidden_units=recipe["hidden_units"], seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(recipe["learning_rate"]))
    stopper = StopAtTarget(vae, data.x_test, target, start)
    vae.fit(
        data.x_train, epochs=max_epochs, batch_size=recipe["batch_size"], verbose=0,
        callbacks=[stopper],
    )
    epoch, seconds, value = stopper.history[-1]
    return {
        "reached": value <= target, "epochs": epoch, "seconds": seconds, "negative_elbo": value,
        "history": stopper.history,
    }


def run(data, *, tiny: bool = False, recipes: dict | None = None) -> dict:
    """Train the reference, then each recipe to the reference's held-out −ELBO."""
    keras.utils.set_random_seed(0)
    reference = train_reference(data, epochs=1 if tiny else REFERENCE_EPOCHS)
    results = {}
    for name, recipe in (recipes or RECIPES).items():
        keras.utils.set_random_seed(0)
        outcome = train_until(data, reference["negative_elbo"], recipe, 2 if tiny else MAX_EPOCHS)
        outcome["ratio"] = outcome["seconds"] / reference["seconds"]
        results[name] = {**recipe, **outcome}
    return {"reference": reference, "recipes": results, "train_images": len(data.x_train),
            "test_images": len(data.x_test)}


def report(result: dict) -> str:
    """Markdown section for RESULTS.md."""
    ref = result["reference"]
    rows = []
    for name, r in result["recipes"].items():
        reached = "yes" if r["reached"] else f"**no** (stopped at {r['epochs']} epochs)"
        rows.append([
            name, f"{r['hidden_units']}", r["batch_size"], f"{r['learning_rate']:g}", reached,
            r["epochs"], f"{r['seconds']:.1f}", f"{r['negative_elbo']:.1f}",
            f"**{r['ratio']:.3f}×**",
        ])
    table = markdown_table(
        ["lesson VAE recipe", "hidden", "batch", "lr", "reached", "epochs", "time (s)",
         "−ELBO", "time ÷ reference"],
        rows,
    )
    return (
        "## 3. Time-to-quality (goal ≤ 0.1×)\n\n"
        f"Reference: the keras.io example's conv VAE (latent 2, batch 128, Adam 1e-3) trained "
        f"for {ref['epochs']} epochs on {result['train_images']:,} images in "
        f"**{ref['seconds']:.1f} s**; held-out −ELBO on {result['test_images']:,} test images "
        f"**{ref['negative_elbo']:.1f} nats** (reconstruction {ref['reconstruction']:.1f} + KL "
        f"{ref['kl']:.1f}). Each dense lesson VAE (latent 2) trains until its held-out −ELBO, "
        f"checked every epoch ({EVAL_SAMPLES} z draws per image), is at most that; times include "
        "building, compiling and tracing and exclude the checks.\n\n" + table + "\n"
    )


def curve(history) -> str:
    """`epoch: −ELBO` pairs of a run's per-epoch checks, for logs."""
    return ", ".join(f"{e}: {v:.1f}" for e, _, v in history)


def main() -> None:
    """Command-line entry."""
    part_main(run, report, __doc__.splitlines()[0])


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
