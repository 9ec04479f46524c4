"""Part 3 — time to a real likelihood: lesson 5's likelihood recipe against a strong plain VAE.

The baseline (`baselines.build_plain_vae`) is the VAE a researcher writes in plain Keras 3 with
the usual good defaults and lesson 5's likelihood architecture: 784 → 512 → 256 → 32, ReLU,
Adam 1e-3, batch 128, `BATCHES_PER_CALL` batches per compiled call, each batch binarised afresh
inside the model's `call`. It trains for `BASELINE_SECONDS`; its final −log p(x) is the target.
Lesson 5's recipe (`RECIPE`: `build_vae` with a KL warm-up, `FusedAdam` 2e-3, batch 256,
fitted on `DynamicBinarization`) trains as long; so does each row of the ablation (`ABLATION`: one
change to the recipe each). Every run copies its weights at `CHECKS` seconds of training and
the copies are scored after training, so scoring never interrupts it; training seconds
include building, compiling and tracing.

Scores are the importance-weighted −log p(x) (K = `IMPORTANCE_SAMPLES`) on one fixed
binarisation of the first `LIKELIHOOD_DIGITS` test digits, in nats per image, with the standard
error of that mean over digits. A recipe's time to the target is interpolated linearly between
the two checks around it; the figure is that time ÷ the baseline's seconds (goal ≤ 0.5).

    python -m benchmarks.time_to_likelihood [--tiny]
"""

from __future__ import annotations

import math
import resource
import time
from pathlib import Path

import keras
import numpy as np

from benchmarks.baselines import build_plain_vae
from benchmarks.common import BACKEND_NAMES, markdown_table, part_main
from vaekit.binarized import DynamicBinarization, binarize
from vaekit.diagnostics import log_likelihood_per_image
from vaekit.models import VAE, build_vae
from vaekit.optimizers import FusedAdam
from vaekit.runtime import steps_per_execution as batches_per_call

BASELINE_SECONDS = 30.0
CHECKS = (7.5, 15.0, 22.5, 30.0)  # seconds of training at which the curves are scored
ABLATION_CHECKS = (15.0, 30.0)  # half the baseline's budget, and all of it
IMPORTANCE_SAMPLES = 1000
LIKELIHOOD_DIGITS = 1000
BATCHES_PER_CALL = 16
TINY = {"checks": (1.0, 2.0), "ablation_checks": (2.0,), "importance_samples": 20,
        "digits": 64, "ablation_rows": 1}
# The likelihood model of lesson 5 (its settings cell; tests/test_benchmarks.py checks that the
# two agree).
LESSON = "notebooks/05_binarised_likelihood.ipynb"
RECIPE = {"latent_dim": 32, "hidden_units": (512, 256), "batch_size": 256,
          "learning_rate": 2e-3, "kl_warmup_steps": 640, "steps_per_execution": BATCHES_PER_CALL,
          "fused_adam": True}
BASELINE = {"batch_size": 128, "learning_rate": 1e-3, "steps_per_execution": BATCHES_PER_CALL}
# Each row changes the recipe in one way: what that change buys (or costs) in the same 30 s;
# one row undoes every change to the baseline's training, on vaekit's model.
ABLATION = {
    "Keras' Adam": {"fused_adam": False},
    "Adam 1e-3": {"learning_rate": 1e-3},
    "no KL warm-up": {"kl_warmup_steps": 0},
    "the baseline's training (Keras' Adam 1e-3, batch 128, no KL warm-up)": {
        "fused_adam": False, "learning_rate": 1e-3, "batch_size": 128, "kl_warmup_steps": 0},
    "KL warm-up 320 batches": {"kl_warmup_steps": 320},
    "KL warm-up 1,280 batches": {"kl_warmup_steps": 1280},
    "Adam 3e-3": {"learning_rate": 3e-3},
    "batch 128": {"batch_size": 128},
    "batch 512": {"batch_size": 512},
    "1 batch per call": {"steps_per_execution": 1},
}


class WeightSnapshots(keras.callbacks.Callback):
    """Copies the model's weights at each of `checks` seconds of training; stops training at
    the end of the epoch of the last copy (stopping mid-epoch leaves the data's iterator
    running in the background, which slows every later run in the process).

    `snapshots` holds `(training_seconds, epochs_done, weights)`; training seconds run from
    `start` (a `time.perf_counter()` value, taken before the model is built) and leave out the
    copying. The copies are scored after training, so scoring never runs between training steps.
    """

    def __init__(self, *, start: float, checks: tuple[float, ...], steps_per_epoch: int):
        super().__init__()
        self.start, self.checks, self.steps_per_epoch = start, sorted(checks), steps_per_epoch
        self.copying_seconds = 0.0
        self.epoch = 0
        self.snapshots: list[tuple[float, float, list[np.ndarray]]] = []

    def training_seconds(self) -> float:
        return time.perf_counter() - self.start - self.copying_seconds

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        seconds = self.training_seconds()
        if len(self.snapshots) == len(self.checks) or seconds < self.checks[len(self.snapshots)]:
            return
        copy_start = time.perf_counter()
        epochs_done = self.epoch + (batch + 1) / self.steps_per_epoch
        self.snapshots.append((seconds, epochs_done,
                               [np.array(w) for w in self.model.get_weights()]))
        self.copying_seconds += time.perf_counter() - copy_start

    def on_epoch_end(self, epoch, logs=None):
        if len(self.snapshots) == len(self.checks):
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


def train_plain(data, *, batch_size: int, learning_rate: float, steps_per_execution: int,
                snapshots: WeightSnapshots) -> keras.Model:
    """The baseline: `build_plain_vae()` fitted on the grey training digits as one array."""
    vae = build_plain_vae(latent_dim=RECIPE["latent_dim"], hidden_units=RECIPE["hidden_units"],
                          seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(learning_rate),
                steps_per_execution=batches_per_call(steps_per_execution))
    vae.fit(data.x_train, batch_size=batch_size, epochs=100_000, callbacks=[snapshots],
            verbose=0)
    return vae


def train_recipe(data, *, latent_dim: int, hidden_units: tuple[int, ...], batch_size: int,
                 learning_rate: float, kl_warmup_steps: int, steps_per_execution: int,
                 fused_adam: bool, snapshots: WeightSnapshots) -> keras.Model:
    """Lesson 5's recipe: `build_vae` (KL warm-up over `kl_warmup_steps` batches) fitted on
    `DynamicBinarization` batches, with `FusedAdam` (or Keras' Adam)."""
    vae = build_vae(latent_dim=latent_dim, hidden_units=hidden_units,
                    kl_warmup_steps=kl_warmup_steps, seed=0)
    adam = FusedAdam if fused_adam else keras.optimizers.Adam
    vae.compile(optimizer=adam(learning_rate),
                steps_per_execution=batches_per_call(steps_per_execution))
    vae.fit(DynamicBinarization(data.x_train, batch_size=batch_size, seed=0), epochs=100_000,
            callbacks=[snapshots], verbose=0)
    return vae


def train_and_score(train, settings: dict, *, data, score, checks) -> list[dict]:
    """Train with `train(data, **settings, snapshots=…)` until the last of `checks`; return the
    curve, one point per check: `{"seconds", "epochs", "nats", "se"}`."""
    start = time.perf_counter()
    keras.utils.set_random_seed(0)
    steps_per_epoch = math.ceil(len(data.x_train) / settings["batch_size"])
    snapshots = WeightSnapshots(start=start, checks=checks, steps_per_epoch=steps_per_epoch)
    vae = train(data, **settings, snapshots=snapshots)
    scored = VAE(vae.encoder, vae.decoder)  # vaekit's estimator reads the two halves
    curve = []
    for seconds, epochs, weights in snapshots.snapshots:
        vae.set_weights(weights)
        curve.append({"seconds": seconds, "epochs": epochs, **score(scored)})
    return curve


def run(data, *, tiny: bool = False, ablation: bool = True) -> dict:
    """Train the baseline, the recipe and (if `ablation`) each ablation row; time each to the
    target."""
    settings = TINY if tiny else {"checks": CHECKS, "ablation_checks": ABLATION_CHECKS,
                                  "importance_samples": IMPORTANCE_SAMPLES,
                                  "digits": LIKELIHOOD_DIGITS, "ablation_rows": len(ABLATION)}
    test_binary = binarize(data.x_test[:settings["digits"]], seed=0)

    def score(vae) -> dict:
        log_px = log_likelihood_per_image(vae, test_binary,
                                          num_samples=settings["importance_samples"], seed=0)
        return {"nats": float(-log_px.mean()),
                "se": float(log_px.std(ddof=1) / math.sqrt(len(log_px)))}

    baseline = train_and_score(train_plain, BASELINE, data=data, score=score,
                               checks=settings["checks"])
    target = baseline[-1]["nats"]
    rows = {"lesson 5": (RECIPE, settings["checks"])}
    rows.update({name: ({**RECIPE, **change}, settings["ablation_checks"])
                 for name, change in list(ABLATION.items())[:settings["ablation_rows"]]
                 if ablation})
    recipes = {}
    for name, (recipe, checks) in rows.items():
        curve = train_and_score(train_recipe, recipe, data=data, score=score, checks=checks)
        seconds = seconds_to_target([(p["seconds"], p["nats"]) for p in curve], target)
        recipes[name] = {
            **recipe, "curve": curve, "reached": seconds is not None, "seconds": seconds,
            "ratio": None if seconds is None else seconds / baseline[-1]["seconds"],
        }
    return {
        "checks": list(settings["checks"]),
        "importance_samples": settings["importance_samples"],
        "backend": keras.config.backend(),
        "train_images": len(data.x_train),
        "test_digits": len(test_binary),
        "baseline": baseline,
        "target": target,
        "target_se": baseline[-1]["se"],
        "recipes": recipes,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _outcome(recipe: dict) -> str:
    if recipe["reached"]:
        return f"{recipe['seconds']:.1f} s, **{recipe['ratio']:.2f}×**"
    return f"**not reached** in {recipe['curve'][-1]['seconds']:.0f} s"


def _curve(points: list[dict]) -> str:
    return ", ".join(f"{p['seconds']:.1f} s: {p['nats']:.1f} ± {p['se']:.1f}" for p in points)


def _settings(r: dict) -> list:
    adam = "FusedAdam" if r.get("fused_adam") else "Keras' Adam"
    return [r["batch_size"], r["steps_per_execution"], f"{adam} {r['learning_rate']:g}",
            f"{r.get('kl_warmup_steps', 0):,}"]


def report(result: dict) -> str:
    """Markdown section for RESULTS.md."""
    last = result["baseline"][-1]
    rows = [["plain Keras VAE (baseline)", *_settings(BASELINE),
             f"{last['epochs']:.0f}",
             f"target {result['target']:.1f} ± {result['target_se']:.1f} nats after "
             f"{last['seconds']:.1f} s", _curve(result["baseline"])]]
    rows += [[name if name == "lesson 5" else f"lesson 5, {name}", *_settings(r),
              f"{r['curve'][-1]['epochs']:.0f}", _outcome(r), _curve(r["curve"])]
             for name, r in result["recipes"].items()]
    return (
        f"## 3. Time to a real likelihood on {BACKEND_NAMES[result['backend']]} "
        "(goal ≤ 0.5× for lesson 5)\n\n"
        f"Binarised MNIST, {result['train_images']:,} training digits binarised afresh every "
        f"batch, −log p(x) by importance weighting with K = {result['importance_samples']:,} "
        f"on one fixed binarisation of {result['test_digits']:,} test digits, nats per image "
        "± the standard error over digits. Every model is 784 → 512 → 256 → 32 (ReLU), "
        "mirrored. The baseline is a plain Keras VAE (no vaekit: binarisation inside its "
        "`call`, the training digits passed to `fit` as one array); lesson 5 is `build_vae` "
        "on `DynamicBinarization`; each row below it changes lesson 5's recipe in one way. The "
        "baseline trains for its budget and its last score is the target; a row's time to "
        "the target is interpolated between the two checks around it, ÷ the baseline's time. "
        "Each check scores a copy of the weights taken at that moment, after training; "
        "training seconds include building, compiling and tracing. Peak RSS of the process "
        f"{result['peak_rss_mb']:,.0f} MB.\n\n"
        + markdown_table(["model", "batch", "batches per call", "Adam", "KL warm-up (batches)",
                          "epochs", "time to target (÷ baseline)",
                          "−log p(x) after seconds of training"],
                         rows) + "\n"
    )


def figure(parts: list[dict], path: Path) -> None:
    """The baseline's and lesson 5's curves (−log p(x) against seconds of training, ± one
    standard error), one panel per backend, saved as an image at `path`."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(parts), figsize=(4.6 * len(parts), 3.6), sharey=True,
                             squeeze=False)
    for ax, part in zip(axes[0], parts, strict=True):
        for label, curve in (("plain Keras VAE (baseline)", part["baseline"]),
                             ("lesson 5", part["recipes"]["lesson 5"]["curve"])):
            ax.errorbar([p["seconds"] for p in curve], [p["nats"] for p in curve],
                        yerr=[p["se"] for p in curve], marker="o", capsize=3, label=label)
        ax.axhline(part["target"], ls=":", color="grey", label="target")
        ax.axvline(part["baseline"][-1]["seconds"] / 2, ls="--", lw=1, color="grey",
                   label="half the baseline's time")
        ax.set_title(BACKEND_NAMES[part["backend"]])
        ax.set_xlabel("seconds of training")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("−log p(x), nats per image")
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    """Command-line entry."""
    part_main(run, report, __doc__.splitlines()[0])


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
