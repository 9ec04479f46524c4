"""Part 1 — throughput: training examples/s of the lesson VAE against the matmul ceiling.

For each model the train step's FLOP/s (examples/s × analytic FLOPs per example, see
`benchmarks.common`) is divided by the FLOP/s of a large float32 matrix product measured in
the same run on the same backend. Models: the lesson VAE with vaekit's defaults
(`build_vae(latent_dim=2)`, dense, 784 → 256 → 2) at batch 128, 16 batches per compiled call as
the lessons run it — the headline — and one batch per call (Keras' default) beside it, and at
batch 32 and 512; lesson 3's 2-D VAE (hidden units (512, 256), batch 64); and the
convolutional `build_vae(latent_dim=2, kind="conv")` at batch 128. Each trains with
`FusedAdam`, as the lessons do; the headline model with Keras' own Adam is one more row.

    python -m benchmarks.throughput [--tiny]
"""

from __future__ import annotations

import keras

from benchmarks.common import (
    BACKEND_NAMES,
    markdown_table,
    matmul_flops_per_second,
    part_main,
    samples_per_second,
    train_step_flops,
    warm_up,
)
from vaekit.models import build_vae
from vaekit.optimizers import FusedAdam
from vaekit.runtime import steps_per_execution

OPTIMIZERS = {"FusedAdam": FusedAdam, "Keras' Adam": keras.optimizers.Adam}
# (kind, hidden units, batch size, batches per compiled call, optimizer); the first row is the
# headline, the second the same model at one batch per call (the only two --tiny runs: JAX's
# CPU convolutions alone would take most of a smoke run's time).
CASES = (
    ("dense", (256,), 128, 16, "FusedAdam"),
    ("dense", (256,), 128, 1, "FusedAdam"),
    ("dense", (256,), 128, 16, "Keras' Adam"),
    ("dense", (256,), 32, 1, "FusedAdam"),
    ("dense", (256,), 512, 1, "FusedAdam"),
    ("dense", (512, 256), 64, 16, "FusedAdam"),  # lesson 3's 2-D VAE
    ("conv", (256,), 128, 1, "FusedAdam"),
)
CONV_IMAGES = 2048  # the conv VAE is ~20× costlier per image: time it on fewer images


def run(data, *, tiny: bool = False) -> dict:
    """Measure the matmul ceiling (before and after) and each model's training throughput."""
    size = 256 if tiny else 2048
    ceiling_before = matmul_flops_per_second(size)
    rows = []
    for kind, hidden_units, batch_size, per_call, optimizer in CASES[:2] if tiny else CASES:
        keras.utils.set_random_seed(0)
        vae = build_vae(latent_dim=2, kind=kind, hidden_units=hidden_units, seed=0)
        per_call = steps_per_execution(per_call)  # 1 on PyTorch
        vae.compile(optimizer=OPTIMIZERS[optimizer](), steps_per_execution=per_call)
        x = data.x_train if kind == "dense" else data.x_train[:CONV_IMAGES]
        warm_up(vae, x, batch_size)
        epochs = 2 if tiny or kind == "conv" else 5
        rate = samples_per_second(vae, x, batch_size=batch_size, epochs=epochs)
        rows.append({"model": f"{kind}, hidden {hidden_units}", "kind": kind,
                     "batch_size": batch_size, "batches_per_call": per_call,
                     "optimizer": optimizer,
                     "samples_per_second": rate,
                     "flops_per_sample": train_step_flops(vae)})
    # The ceiling is the best of the two measurements (the machine's state can drift).
    ceiling = max(ceiling_before, matmul_flops_per_second(size))
    for row in rows:
        row["flops_per_second"] = row["samples_per_second"] * row["flops_per_sample"]
        row["ratio"] = row["flops_per_second"] / ceiling
    headline = rows[0]
    return {"backend": keras.config.backend(), "matmul_size": size,
            "matmul_flops_per_second": ceiling, "rows": rows,
            "step_profile": step_profile(headline, repeats=5 if tiny else 50)}


def step_products(batch_size: int, layers: tuple[tuple[int, int], ...]) -> list[tuple]:
    """The matrix products `(m, k, n)` of one training step of Dense layers `(n_in, n_out)`:
    per layer the forward product, the gradient with respect to its input and the one with
    respect to its weights (the `3 ×` of `benchmarks.common`)."""
    return [product for n_in, n_out in layers for product in (
        (batch_size, n_in, n_out), (batch_size, n_out, n_in), (n_in, batch_size, n_out))]


def step_profile(headline: dict, repeats: int) -> dict:
    """Where the headline model's step time goes: its large matrix products (784 ↔ 256, at
    least 2 · 128 · 784 · 256 FLOPs each), each timed alone at its own shape, against the
    measured step. The rest is the per-batch work around them (the latent layers' small
    products, elementwise ops, sampling, the loss, Adam's update, dispatch)."""
    batch = headline["batch_size"]
    products = step_products(batch, ((784, 256), (256, 784)))
    seconds = [2 * m * k * n / matmul_flops_per_second(m, k, n, repeats=repeats)
               for m, k, n in products]
    return {"batch_size": batch,
            "step_seconds": batch / headline["samples_per_second"],
            "large_product_seconds": sum(seconds),
            "large_product_flops": sum(2 * m * k * n for m, k, n in products),
            "step_flops": batch * headline["flops_per_sample"]}


def report(result: dict) -> str:
    """Markdown section for RESULTS.md."""
    rows = [
        [r["model"], r["batch_size"], r["batches_per_call"], r["optimizer"],
         f"{r['samples_per_second']:,.0f}",
         f"{r['flops_per_sample'] / 1e6:.2f}", f"{r['flops_per_second'] / 1e9:.2f}",
         f"**{r['ratio']:.2f}**"]
        for r in result["rows"]
    ]
    table = markdown_table(
        ["model", "batch", "batches per call", "optimizer", "examples/s",
         "train MFLOP/example", "GFLOP/s", "÷ matmul"], rows
    )
    n = result["matmul_size"]
    return (
        f"## 1. Throughput on {BACKEND_NAMES[result['backend']]} "
        "(goal ≥ 0.35 for the dense model at batch 128)\n\n"
        f"Ceiling: a {n}×{n} float32 matmul at "
        f"**{result['matmul_flops_per_second'] / 1e9:.1f} GFLOP/s**. Train FLOPs per example = "
        "3 × the forward Dense/Conv FLOPs counted from layer shapes (`benchmarks/common.py`).\n\n"
        + table
        + "\n\n" + _profile_report(result)
    )


def _profile_report(result: dict) -> str:
    """Where the headline step's time goes, and the best ratio any dense row reached."""
    profile = result["step_profile"]
    step, products = profile["step_seconds"], profile["large_product_seconds"]
    rate = profile["large_product_flops"] / products
    best = max((r for r in result["rows"] if r["kind"] == "dense"), key=lambda r: r["ratio"])
    if products < step:
        rest = (f"The other {(step - products) * 1e3:.2f} ms are the per-batch work around "
                "them: the latent layers' small products, elementwise ops, sampling, the loss, "
                "Adam's update of the weights and dispatch.")
    else:
        rest = ("Timed one at a time they take longer than the whole step: the compiled step "
                "runs them faster than alone (fused, with no dispatch per product), so no time "
                "is left over to attribute to the work around them.")
    return (
        f"Where the headline step's time goes (batch {profile['batch_size']}): its six large "
        "products (784 ↔ 256, forward and both gradients of the two big Dense layers, "
        f"{profile['large_product_flops'] / 1e6:.0f} MFLOP, "
        f"{profile['large_product_flops'] / profile['step_flops']:.1%} of the step's), each "
        f"timed alone at its own shape, take **{products * 1e3:.2f} ms**; the measured step "
        f"takes **{step * 1e3:.2f} ms** ({products / step:.0%}). At those shapes they run at "
        f"{rate / 1e9:.1f} GFLOP/s, {rate / result['matmul_flops_per_second']:.2f} of the "
        f"ceiling. {rest} Best ratio of a dense row: "
        f"**{best['ratio']:.2f}** ({best['model']}, batch {best['batch_size']}, "
        f"{best['batches_per_call']} per call).\n"
    )


def main() -> None:
    """Command-line entry."""
    part_main(run, report, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
