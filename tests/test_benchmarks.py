"""The benchmarks run end to end at tiny sizes and report sane figures (no timing thresholds)."""

import ast
import importlib.util
import math
import re
import sys
from pathlib import Path

import keras
import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `benchmarks` lives beside the package, not inside it

from benchmarks import run_all  # noqa: E402
from benchmarks.baselines import build_minimal_vae, build_plain_vae  # noqa: E402
from benchmarks.common import train_step_flops  # noqa: E402
from vaekit.models import build_vae  # noqa: E402
from vaekit.runtime import steps_per_execution  # noqa: E402

# The baselines include a hand-written VAE with a tf.GradientTape train step; the benchmarks
# measure the default backend.
pytestmark = [pytest.mark.tensorflow_only, pytest.mark.slow, pytest.mark.bench]


# Parts 1 and 3 also run on JAX in a child process, where JAX is installed (not on the floor).
OTHER_BACKEND = "jax" if importlib.util.find_spec("jax") else None


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One tiny `run_all` (every part, a one-cell notebook for part 4): results and report."""
    folder = tmp_path_factory.mktemp("bench")
    notebook = folder / "01_tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")]),
                   notebook)
    output = folder / "RESULTS.md"
    results = run_all.main(["--tiny", "--output", str(output), "--notebooks", str(notebook),
                            "--backends", OTHER_BACKEND or ""])
    return results, output.read_text()


def _positive(value) -> bool:
    return math.isfinite(value) and value > 0


def test_flop_counts_follow_the_documented_formula():
    # Dense 784→256→(2+2), 2→256→784: 2·(784·256 + 256·4 + 2·256 + 256·784), times 3.
    assert train_step_flops(build_vae(latent_dim=2)) == 3 * 2 * 402_944
    # Dense 784→512→256→(32+32), 32→256→512→784.
    assert train_step_flops(build_plain_vae()) == 3 * 2 * (
        784 * 512 + 512 * 256 + 256 * 64 + 32 * 256 + 256 * 512 + 512 * 784)
    # A stride-2 3×3 convolution 1→8 channels on 28×28 (out 14×14), a transposed one back.
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(8, 3, strides=2, padding="same")(images)
    h = keras.layers.Conv2DTranspose(1, 3, strides=2, padding="same")(h)
    assert train_step_flops(keras.Model(images, h)) == 3 * 2 * (
        3 * 3 * 1 * 8 * 14 * 14 + 3 * 3 * 8 * 1 * 14 * 14)
    assert train_step_flops(build_minimal_vae()) == train_step_flops(build_vae(latent_dim=2))
    assert train_step_flops(build_plain_vae()) == train_step_flops(
        build_vae(latent_dim=32, hidden_units=(512, 256)))


def test_the_plain_baseline_binarises_while_training_and_its_loss_is_the_elbo():
    from vaekit.losses import bernoulli_reconstruction_loss, gaussian_kl

    vae = build_plain_vae(latent_dim=4, hidden_units=(16,), seed=0)
    images = np.random.default_rng(0).uniform(size=(8, 28, 28)).astype("float32")
    target, pixels, z_mean, z_log_var = (keras.ops.convert_to_numpy(t)
                                         for t in vae(images, training=True))
    assert set(np.unique(target)) == {0.0, 1.0} and 0.3 < target.mean() < 0.7
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(vae(images)[0]), images)
    expected = np.mean(keras.ops.convert_to_numpy(
        bernoulli_reconstruction_loss(target, pixels) + gaussian_kl(z_mean, z_log_var)))
    loss = vae.compute_loss(images, y_pred=(target, pixels, z_mean, z_log_var))
    assert float(keras.ops.convert_to_numpy(loss)) == pytest.approx(expected, rel=1e-4)


def test_parts_1_and_3_run_on_each_backend_asked_for(run):
    results, text = run
    backends = ["tensorflow"] + ([OTHER_BACKEND] if OTHER_BACKEND else [])
    for name in ("throughput", "time_to_likelihood"):
        assert [part["backend"] for part in results[name]] == backends
    assert text.count("## 1. Throughput on ") == text.count("## 3. Time to a real likelihood on ")
    assert text.count("## 1. Throughput on ") == len(backends)
    if OTHER_BACKEND:
        assert "## 1. Throughput on JAX" in text and "Parts 1 and 3 also on JAX" in text


def test_a_failing_backend_is_named_and_a_bad_one_refused(capsys):
    from benchmarks import other_backends

    with pytest.raises(RuntimeError, match="KERAS_BACKEND=no_such_backend failed"):
        other_backends.run("no_such_backend", tiny=True)
    for bad in ("no_such_backend", "tensorflow"):  # not a backend; the process's own
        with pytest.raises(SystemExit):
            run_all.main(["--tiny", "--skip-lessons", "--backends", bad])
        assert "--backends: each must be another of" in capsys.readouterr().err


@pytest.mark.parametrize("index", [0, -1])
def test_throughput_reports_rates_and_ratios(run, index):
    results, _ = run
    part = results["throughput"][index]
    assert _positive(part["matmul_flops_per_second"])
    assert [row["kind"] for row in part["rows"]] == ["dense", "dense"]  # --tiny: two rows
    for row in part["rows"]:
        assert _positive(row["samples_per_second"]) and _positive(row["ratio"])
    headline, one_per_call = part["rows"][:2]  # the same model, as the lessons run it and not
    assert headline["model"] == one_per_call["model"]
    assert headline["batch_size"] == one_per_call["batch_size"] == 128
    assert one_per_call["batches_per_call"] == 1
    assert headline["batches_per_call"] == steps_per_execution(16)


def test_the_step_profile_times_the_large_products_of_the_headline_step(run):
    from benchmarks import throughput

    # Forward, input gradient, weight gradient of one Dense layer 784 → 256 at batch 128.
    assert throughput.step_products(128, ((784, 256),)) == [
        (128, 784, 256), (128, 256, 784), (784, 128, 256)]
    results, _ = run
    for part in results["throughput"]:
        profile = part["step_profile"]
        assert profile["batch_size"] == part["rows"][0]["batch_size"]
        assert profile["step_seconds"] == pytest.approx(
            128 / part["rows"][0]["samples_per_second"])
        assert 0 < profile["large_product_seconds"]
        assert 0.99 < profile["large_product_flops"] / profile["step_flops"] < 1
        assert "Where the headline step's time goes" in throughput.report(part)


@pytest.mark.parametrize("product_ms, remainder", [(1.2, "The other 1.06 ms"),
                                                    (3.0, "no time is left over")])
def test_the_step_profile_reads_right_when_the_products_alone_are_slower(product_ms,
                                                                          remainder):
    from benchmarks import throughput

    row = {"model": "dense", "kind": "dense", "batch_size": 128, "batches_per_call": 16,
           "ratio": 0.3}
    part = {"matmul_flops_per_second": 4e11, "rows": [row],
            "step_profile": {"batch_size": 128, "step_seconds": 2.26e-3,
                             "large_product_seconds": product_ms * 1e-3,
                             "large_product_flops": 3e8, "step_flops": 3.01e8}}
    text = throughput._profile_report(part)
    assert remainder in text and not re.search(r"[-−]\d", text)  # no negative time


def test_overhead_compares_two_running_models(run):
    results, _ = run
    part = results["overhead"]
    assert all(_positive(rate) for rate in part["samples_per_second"].values())
    assert 0.1 < part["ratio"] < 10


def test_quality_table_is_consistent(run):
    results, _ = run
    part = results["quality"]
    assert [row["latent_dim"] for row in part["rows"]] == [2, 10, 32]
    for row in part["rows"]:
        assert row["negative_elbo"] == pytest.approx(row["reconstruction"] + row["kl"])
        assert row["kl"] >= 0
        # Binary digits: a real likelihood, between 0 and the 784 · log 2 nats of a coin flip.
        assert 0 < row["negative_log_px"] < 784 * math.log(2)
        # The importance-weighted bound is tighter than the ELBO (small slack for noise).
        assert row["negative_log_px"] < row["negative_elbo"] + 5


def test_lessons_part_measures_fast_and_full(run):
    results, _ = run
    rows = results["lessons"]["rows"]
    assert [row["mode"] for row in rows] == ["fast", "full"]
    assert all(_positive(row["seconds"]) and _positive(row["peak_rss_mb"]) for row in rows)


def test_report_has_every_section(run):
    _, text = run
    for heading in ("# Benchmark results", "## Headline", "## 1. Throughput", "## 2. Overhead",
                    "## 3. Time to a real likelihood", "## 4. Lessons", "## 5. Likelihood table"):
        assert heading in text
    assert "CPU cores" in text and "TensorFlow" in text and "Keras" in text


@pytest.mark.parametrize("index", [0, -1])
def test_time_to_likelihood_scores_every_model_on_one_clock(run, index):
    from benchmarks import time_to_likelihood

    results, _ = run
    part = results["time_to_likelihood"][index]
    tiny = time_to_likelihood.TINY
    # The ablation runs on the process's own backend only.
    ablation = list(time_to_likelihood.ABLATION)[:1] if part["backend"] == "tensorflow" else []
    assert list(part["recipes"]) == ["lesson 5", *ablation]
    curves = {"baseline": part["baseline"],
              **{name: r["curve"] for name, r in part["recipes"].items()}}
    for name, curve in curves.items():
        checks = tiny["ablation_checks"] if name in time_to_likelihood.ABLATION else tiny["checks"]
        assert len(curve) == len(checks)
        for point, check in zip(curve, checks, strict=True):
            assert point["seconds"] >= check and point["epochs"] > 0
            assert 0 < point["nats"] < 784 * math.log(2) * 2 and 0 < point["se"] < point["nats"]
        assert [p["epochs"] for p in curve] == sorted(p["epochs"] for p in curve)
    assert (part["target"], part["target_se"]) == (part["baseline"][-1]["nats"],
                                                   part["baseline"][-1]["se"])
    for recipe in part["recipes"].values():
        assert recipe["reached"] == any(p["nats"] <= part["target"] for p in recipe["curve"])
        if recipe["reached"]:
            assert recipe["seconds"] <= recipe["curve"][-1]["seconds"]
            assert recipe["ratio"] == pytest.approx(
                recipe["seconds"] / part["baseline"][-1]["seconds"])
    assert part["peak_rss_mb"] > 100
    section = time_to_likelihood.report(part)
    assert section.startswith("## 3. Time to a real likelihood") and "K = 20" in section
    assert "plain Keras VAE (baseline)" in section
    assert ("lesson 5, Keras' Adam" in section) == bool(ablation)
    assert "| FusedAdam 0.002 |" in section


def test_the_curves_figure_is_written_beside_the_report(run, tmp_path):
    from benchmarks import time_to_likelihood

    results, text = run
    assert f"]({run_all.CURVES_IMAGE})" in text
    path = tmp_path / "curves.png"
    time_to_likelihood.figure(results["time_to_likelihood"], path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_time_to_target_is_interpolated_between_checks():
    from benchmarks.time_to_likelihood import seconds_to_target

    curve = [(5.0, 150.0), (10.0, 120.0), (15.0, 100.0), (20.0, 90.0)]
    assert seconds_to_target(curve, 110.0) == pytest.approx(12.5)
    assert seconds_to_target(curve, 120.0) == 10.0
    assert seconds_to_target(curve, 200.0) == 5.0  # already there at the first check
    assert seconds_to_target(curve, 80.0) is None
    assert seconds_to_target([], 80.0) is None



def test_the_benchmark_recipe_is_lesson_5s_likelihood_model():
    from benchmarks import quality
    from benchmarks.time_to_likelihood import LESSON, RECIPE

    lesson = nbformat.read(ROOT / LESSON, 4)
    code = "\n".join(cell.source for cell in lesson.cells if cell.cell_type == "code")

    def setting(name):  # a literal, or the full-mode value of choose(full=..., fast=...)
        [value] = re.findall(rf"^{name} = (?:choose\(full=)?(.+?)(?:, fast=.+\))?  #", code,
                             flags=re.MULTILINE)
        return ast.literal_eval(value)

    assert setting("LATENT_DIM") == RECIPE["latent_dim"]
    assert setting("HIDDEN_UNITS") == RECIPE["hidden_units"]
    assert setting("BATCH_SIZE") == RECIPE["batch_size"]
    assert setting("LEARNING_RATE") == RECIPE["learning_rate"]
    assert setting("KL_WARMUP_STEPS") == RECIPE["kl_warmup_steps"]
    calls = RECIPE["steps_per_execution"]
    assert re.search(rf"^STEPS_PER_CALL = steps_per_execution\({calls}\)$", code, re.MULTILINE)
    fit = "DynamicBinarization(x_train, batch_size=BATCH_SIZE"
    assert re.search(r"build_vae\([^)]*kl_warmup_steps=KL_WARMUP_STEPS", code)
    assert RECIPE["fused_adam"]
    compile_ = r"FusedAdam\(LEARNING_RATE\),\s+steps_per_execution=STEPS_PER_CALL\)"
    assert fit in code and re.search(compile_, code)
    [epochs] = re.findall(r"^EPOCHS = choose\(full=(\d+),", code, flags=re.MULTILINE)
    assert int(epochs) == quality.EPOCHS


def test_snapshots_are_taken_on_schedule_and_training_stops_after_the_budgets_epoch(
        monkeypatch):
    from benchmarks.time_to_likelihood import WeightSnapshots

    model = build_vae(latent_dim=2)
    model.stop_training = False
    clock = iter(float(t) for t in range(1000))  # each reading of the clock: 1 s later
    monkeypatch.setattr("benchmarks.time_to_likelihood.time.perf_counter", lambda: next(clock))
    snapshots = WeightSnapshots(start=0.0, checks=(35.0, 10.0, 20.0), steps_per_epoch=4)
    snapshots.set_model(model)
    batches = 0
    for epoch in range(25):
        snapshots.on_epoch_begin(epoch)
        for batch in range(4):
            snapshots.on_train_batch_end(batch)
            batches += 1
        snapshots.on_epoch_end(epoch)
        if model.stop_training:
            break
    # The last copy falls in the ninth epoch, which training finishes before it stops.
    assert batches == 36
    seconds = [s for s, _, _ in snapshots.snapshots]
    # One copy at each check (the copying's own second left out), the last at the budget.
    assert seconds == [10.0, 20.0, 35.0]
    assert [epochs for _, epochs, _ in snapshots.snapshots] == [2.75, 5.0, 8.5]
    for _, _, weights in snapshots.snapshots:
        assert [w.shape for w in weights] == [w.shape for w in model.get_weights()]
    weights = snapshots.snapshots[0][2]
    weights[0][...] = 123.0  # a copy: changing it leaves the model alone
    assert not np.any(model.get_weights()[0] == 123.0)


def test_the_lesson_budgets_are_figured_from_one_run():
    from benchmarks import lessons

    first, second, *_ = lessons.SOURCE_POST_LESSONS
    result = {"rows": [
        {"notebook": first, "mode": "fast", "seconds": 10.0, "peak_rss_mb": 900.0},
        {"notebook": second, "mode": "fast", "seconds": 20.0, "peak_rss_mb": 950.0},
        {"notebook": "08_using_a_vae.ipynb", "mode": "fast", "seconds": 9.0, "peak_rss_mb": 1.0},
        {"notebook": first, "mode": "full", "seconds": 30.0, "peak_rss_mb": 1000.0},
        {"notebook": second, "mode": "full", "seconds": 99.0, "peak_rss_mb": 1600.0},
        {"notebook": "08_using_a_vae.ipynb", "mode": "full", "seconds": 50.0,
         "peak_rss_mb": 1.0},
    ]}
    result.update(lessons.summarise(result["rows"]))
    assert result["slowest_full_seconds"] == 99.0 and result["max_peak_rss_mb"] == 1600.0
    assert result["source_post_seconds"] == 129.0  # lesson 8 is not one of them
    assert result["source_post_lessons"] == [first, second]
    text = lessons.report(result)
    assert "99 (over 60 s)" in text and "1600 (over 1536 MB)" in text and "| 50 |" in text
    assert "the 2 lessons that cover the source post: **129 s** (÷ goal 0.54)" in text
