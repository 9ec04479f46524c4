"""Part 2 — overhead: vaekit's `VAE` against a minimal hand-written Keras VAE.

Both have the lesson architecture (784 → 256 → 2 → 256 → 784, the same parameter count) and
train with the same loss, Adam and batch size through `fit`. vaekit's `VAE` overrides
`compute_loss` and tracks three metrics; the baseline (`benchmarks.baselines.MinimalVAE`) is
the usual custom `train_step` with a `GradientTape`, tracking the loss only. After one
warm-up epoch each, the two alternate for several rounds (A B, B A, …) so that drifts in the
machine's speed hit both alike; the figure is the ratio of median-epoch examples/s.

    python -m benchmarks.overhead [--tiny]
"""

from __future__ import annotations

import statistics

import keras

from benchmarks.baselines import build_minimal_vae
from benchmarks.common import EpochTimer, markdown_table, part_main, warm_up
from vaekit.models import build_vae

BATCH_SIZE = 128


def run(data, *, tiny: bool = False) -> dict:
    """Alternate epochs of the two models; return each one's examples/s and the ratio."""
    keras.utils.set_random_seed(0)
    models = {"vaekit VAE": build_vae(latent_dim=2, seed=0), "hand-written": build_minimal_vae()}
    params = {name: model.encoder.count_params() + model.decoder.count_params()
              for name, model in models.items()}
    if len(set(params.values())) != 1:
        raise RuntimeError(f"The two VAEs must have the same parameter count: {params}")
    x = data.x_train
    timers = {}
    for name, model in models.items():
        model.compile(optimizer=keras.optimizers.Adam())
        warm_up(model, x, BATCH_SIZE)
        timers[name] = EpochTimer()
    names = list(models)
    for round_ in range(2 if tiny else 6):
        for name in names if round_ % 2 == 0 else reversed(names):
            models[name].fit(x, epochs=1 if tiny else 2, batch_size=BATCH_SIZE, verbose=0,
                             callbacks=[timers[name]])
    rates = {name: len(x) / statistics.median(t.seconds) for name, t in timers.items()}
    return {"samples_per_second": rates, "parameters": params["vaekit VAE"],
            "epochs_timed": len(timers["vaekit VAE"].seconds),
            "ratio": rates["vaekit VAE"] / rates["hand-written"]}


def report(result: dict) -> str:
    """Markdown section for RESULTS.md."""
    rows = [[name, f"{rate:,.0f}"] for name, rate in result["samples_per_second"].items()]
    return (
        "## 2. Overhead (goal ≥ 0.95×)\n\n"
        f"Same architecture ({result['parameters']:,} parameters), batch {BATCH_SIZE}, Adam; "
        f"median of {result['epochs_timed']} alternating epochs each.\n\n"
        + markdown_table(["model", "examples/s"], rows)
        + f"\n\nvaekit ÷ hand-written: **{result['ratio']:.2f}×**\n"
    )


def main() -> None:
    """Command-line entry."""
    part_main(run, report, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
