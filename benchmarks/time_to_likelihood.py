"""Part 3 — time to a real likelihood: lesson 4's likelihood recipe against a plain dense VAE.

Both models train on the same training digits, binarised afresh every batch
(`DynamicBinarization`), and are scored on one fixed binarisation of the first
`LIKELIHOOD_DIGITS` test digits by the importance-weighted −log p(x), K = 1,000, in nats per
image. The baseline (`baselines.build_plain_bernoulli_vae`: one tanh layer of 500 units each
way, latent 20, Adam 1e-3, batch 100, one batch per call) trains for `BASELINE_SECONDS`; its
final −log p(x) is the target. Lesson 4's recipe (`RECIPE`) trains as long. Each run keeps a copy of
its weights every `CHECK_SECONDS` of training; the copies are scored after training (the
curves), so scoring never interrupts it. Training seconds include building, compiling and
tracing. A recipe's time to the target is interpolated linearly between the two copies around
it; the figure is that time ÷ the baseline's seconds.

    python -m benchmarks.time_to_likelihood [--tiny]
"""

from __future__ import annotations

import resource
import time

import keras
import numpy as np

from benchmarks.baselines import build_plain_bernoulli_vae
from benchmarks.common import BACKEND_NAMES, markdown_table, part_main
from vaekit.binarized import DynamicBinarization, binarize
from vaekit.diagnostics import importance_weighted_log_likelihood
from vaekit.models import build_vae
from vaekit.runtime import steps_per_execution as batches_per_call

BASELINE_SECONDS = 30.0
MAX_RECIPE_SECONDS = 30.0
CHECK_SECONDS = 5.0
IMPORTANCE_SAMPLES = 1000
LIKELIHOOD_DIGITS = 300
TINY = {"baseline_seconds": 2.0, "max_recipe_seconds": 4.0, "check_seconds": 1.0,
        "importance_samples": 20}
# The likelihood model of lesson 4 (its settings cell; tests/test_benchmarks.py checks that the
# two agree).
LESSON = "notebooks/04_judging_generators.ipynb"
RECIPE = {"latent_dim": 32, "hidden_units": (512, 256), "batch_size": 128,
          "learning_rate": 1e-3, "steps_per_execution": 16}
RECIPES = {"lesson 4": RECIPE}
BASELINE = {"latent_dim": 20, "hidden_units": 500, "batch_size": 100, "learning_rate": 1e-3,
            "steps_per_execution": 1}


class WeightSnapshots(keras.callbacks.Callback):
    """Copies the model's weights every `every` seconds of training; stops at `stop_seconds`.

    `snapshots` holds `(training_seconds, weights)`; training seconds run from `start` (a
    `time.perf_counter()` value, taken before the model is built) and leave out the copying.
    The copies are scored after training, so that scoring never runs between training steps.
    """

    def __init__(self, *, start: float, every: float, stop_seconds: float):
        super().__init__()
        self.start, self.every, self.stop_seconds = start, every, stop_seconds
        self.copying_seconds = 0.0
        self.next_copy = every
        self.snapshots: list[tuple[float, list[np.ndarray]]] = []

    def training_seconds(self) -> float:
        return time.perf_counter() - self.start - self.copying_seconds

    def on_train_batch_end(self, batch, logs=None):
        seconds = self.training_seconds()
        if seconds < min(self.next_copy, self.stop_seconds):
            return
        copy_start = time.perf_counter()
        self.snapshots.append((seconds, [np.array(w) for w in self.model.get_weights()]))
        self.copying_seconds += time.perf_counter() - copy_start
        self.next_copy = seconds + self.every
        if seconds >= self.stop_seconds:
            self.model.stop_training = True


def seconds_to_target(points: list[tuple[float, float]], target: float) -> float | None:
    """When the curve first reaches `target`: linear between the points around it, or None.

    `points` are `(seconds, nats)` in time order; a curve that starts at or below the target
    reaches it at its first check.
    """
    previous = None
    for seconds, nats in points:
        if nats <= target:
            if previous is None:
                return seconds
            earlier_seconds, earlier_nats = previous
            share = (earlier_nats - target) / (earlier_nats - nats)
            return earlier_seconds + share * (seconds - earlier_seconds)
        previous = (seconds, nats)
    return None


def train_and_score(build, *, batch_size: int, learning_rate: float, steps_per_execution: int,
                    data, score, every: float, stop_seconds: float) -> list[tuple[float, float]]:
    """Train `build()` on dynamically binarised digits for `stop_seconds` of training, running
    `steps_per_execution` batches per compiled call; return the curve
    `(training_seconds, score(model))`, one point per weight snapshot."""
    start = time.perf_counter()
    keras.utils.set_random_seed(0)
    vae = build()
    vae.compile(optimizer=keras.optimizers.Adam(learning_rate),
                steps_per_execution=batches_per_call(steps_per_execution))
    snapshots = WeightSnapshots(start=start, every=every, stop_seconds=stop_seconds)
    vae.fit(DynamicBinarization(data.x_train, batch_size=batch_size, seed=0), epochs=10_000,
            callbacks=[snapshots], verbose=0)
    curve = []
    for seconds, weights in snapshots.snapshots:
        vae.set_weights(weights)
        curve.append((seconds, score(vae)))
    return curve


def run(data, *, tiny: bool = False) -> dict:
    """Train the baseline and each recipe for the same budget; time the recipes to the target."""
    settings = TINY if tiny else {"baseline_seconds": BASELINE_SECONDS,
                                  "max_recipe_seconds": MAX_RECIPE_SECONDS,
                                  "check_seconds": CHECK_SECONDS,
                                  "importance_samples": IMPORTANCE_SAMPLES}
    test_binary = binarize(data.x_test[:LIKELIHOOD_DIGITS], seed=0)

    def score(vae) -> float:
        return -importance_weighted_log_likelihood(
            vae, test_binary, num_samples=settings["importance_samples"], seed=0)

    baseline = train_and_score(
        lambda: build_plain_bernoulli_vae(latent_dim=BASELINE["latent_dim"],
                                          hidden_units=BASELINE["hidden_units"], seed=0),
        batch_size=BASELINE["batch_size"], learning_rate=BASELINE["learning_rate"],
        steps_per_execution=BASELINE["steps_per_execution"], data=data, score=score,
        every=settings["check_seconds"], stop_seconds=settings["baseline_seconds"])
    baseline_seconds, target = baseline[-1]
    recipes = {}
    for name, recipe in RECIPES.items():
        curve = train_and_score(
            lambda recipe=recipe: build_vae(latent_dim=recipe["latent_dim"],
                                            hidden_units=recipe["hidden_units"], seed=0),
            batch_size=recipe["batch_size"], learning_rate=recipe["learning_rate"],
            steps_per_execution=recipe["steps_per_execution"], data=data, score=score,
            every=settings["check_seconds"], stop_seconds=settings["max_recipe_seconds"])
        seconds = seconds_to_target(curve, target)
        recipes[name] = {
            **recipe, "curve": curve, "reached": seconds is not None, "seconds": seconds,
            "ratio": None if seconds is None else seconds / baseline_seconds,
        }
    return {
        **settings,
        "backend": keras.config.backend(),
        "train_images": len(data.x_train),
        "test_digits": len(test_binary),
        "baseline": baseline,
        "target": target,
        "recipes": recipes,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _outcome(recipe: dict) -> str:
    if recipe["reached"]:
        return f"{recipe['seconds']:.1f} s, **{recipe['ratio']:.2f}×**"
    last_seconds, last_nats = recipe["curve"][-1]
    return f"**not reached** in {last_seconds:.0f} s ({last_nats:.1f} nats)"


def _curve(points) -> str:
    return ", ".join(f"{seconds:.0f} s: {nats:.1f}" for seconds, nats in points)


def report(result: dict) -> str:
    """Markdown section for RESULTS.md."""
    rows = [["baseline (plain dense VAE)", f"{BASELINE['hidden_units']} tanh", "—",
             BASELINE["latent_dim"], BASELINE["batch_size"], BASELINE["steps_per_execution"],
             f"{BASELINE['learning_rate']:g}",
             f"target {result['target']:.1f} nats after {result['baseline'][-1][0]:.1f} s",
             _curve(result["baseline"])]]
    rows += [[name, " → ".join(map(str, r["hidden_units"])), "ReLU", r["latent_dim"],
              r["batch_size"], r["steps_per_execution"], f"{r['learning_rate']:g}", _outcome(r),
              _curve(r["curve"])]
             for name, r in result["recipes"].items()]
    return (
        f"## 3. Time to a real likelihood on {BACKEND_NAMES[result['backend']]} "
        "(goal ≤ 0.5× for lesson 4)\n\n"
        f"Binarised MNIST, {result['train_images']:,} training digits (dynamic binarisation), "
        f"−log p(x) by importance weighting with K = {result['importance_samples']:,} on one "
        f"fixed binarisation of {result['test_digits']:,} test digits, nats per image. The "
        "baseline trains for its budget; its last score is the target. Each recipe trains as "
        "long; its time to the target is interpolated between the two checks around it, ÷ "
        "the baseline's time. Each check scores a copy of the weights taken at that moment, "
        "after training, so scoring never interrupts training; training seconds include "
        "building, compiling and tracing. Peak RSS of the process "
        f"{result['peak_rss_mb']:,.0f} MB.\n\n"
        + markdown_table(["model", "hidden", "activation", "latent", "batch",
                          "batches per call", "Adam",
                          "time to target (÷ baseline)", "−log p(x) after seconds of training"],
                         rows) + "\n"
    )


def main() -> None:
    """Command-line entry."""
    part_main(run, report, __doc__.splitlines()[0])


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
