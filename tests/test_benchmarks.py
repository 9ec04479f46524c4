"""The benchmarks run end to end at tiny sizes and report sane figures (no timing thresholds)."""

import ast
import importlib.util
import math
import re
import subprocess
import sys
from pathlib import Path

import keras
import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `benchmarks` lives beside the package, not inside it

from benchmarks import run_all  # noqa: E402
from benchmarks.baselines import build_minimal_vae, build_plain_bernoulli_vae  # noqa: E402
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
    # Dense 784→500→(20+20), 20→500→784.
    assert train_step_flops(build_plain_bernoulli_vae()) == 3 * 2 * (
        784 * 500 + 500 * 40 + 20 * 500 + 500 * 784)
    # A stride-2 3×3 convolution 1→8 channels on 28×28 (out 14×14), a transposed one back.
    images = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(8, 3, strides=2, padding="same")(images)
    h = keras.layers.Conv2DTranspose(1, 3, strides=2, padding="same")(h)
    assert train_step_flops(keras.Model(images, h)) == 3 * 2 * (
        3 * 3 * 1 * 8 * 14 * 14 + 3 * 3 * 8 * 1 * 14 * 14)
    assert train_step_flops(build_minimal_vae()) == train_step_flops(build_vae(latent_dim=2))


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
    assert {row["kind"] for row in part["rows"]} == {"dense", "conv"}
    for row in part["rows"]:
        assert _positive(row["samples_per_second"]) and _positive(row["ratio"])
    headline, one_per_call = part["rows"][:2]  # the same model, as the lessons run it and not
    assert headline["model"] == one_per_call["model"]
    assert headline["batch_size"] == one_per_call["batch_size"] == 128
    assert one_per_call["batches_per_call"] == 1
    assert headline["batches_per_call"] == steps_per_execution(16)


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
def test_time_to_likelihood_scores_both_models_on_one_clock(run, index):
    from benchmarks import time_to_likelihood

    results, _ = run
    part = results["time_to_likelihood"][index]
    curves = [part["baseline"]] + [r["curve"] for r in part["recipes"].values()]
    for curve in curves:
        seconds = [s for s, _ in curve]
        assert seconds == sorted(seconds) and len(set(seconds)) == len(seconds)
        assert all(0 < nats < 784 * math.log(2) * 2 for _, nats in curve)
    assert part["target"] == part["baseline"][-1][1]
    assert part["baseline"][-1][0] >= time_to_likelihood.TINY["baseline_seconds"]
    assert set(part["recipes"]) == set(time_to_likelihood.RECIPES)
    for recipe in part["recipes"].values():
        assert recipe["reached"] == any(nats <= part["target"] for _, nats in recipe["curve"])
        if recipe["reached"]:
            assert recipe["seconds"] <= recipe["curve"][-1][0]
            assert recipe["ratio"] == pytest.approx(recipe["seconds"] / part["baseline"][-1][0])
    assert part["peak_rss_mb"] > 100
    section = time_to_likelihood.report(part)
    assert section.startswith("## 3. Time to a real likelihood") and "K = 20" in section


def test_time_to_target_is_interpolated_between_checks():
    from benchmarks.time_to_likelihood import seconds_to_target

    curve = [(5.0, 150.0), (10.0, 120.0), (15.0, 100.0), (20.0, 90.0)]
    assert seconds_to_target(curve, 110.0) == pytest.approx(12.5)
    assert seconds_to_target(curve, 120.0) == 10.0
    assert seconds_to_target(curve, 200.0) == 5.0  # already there at the first check
    assert seconds_to_target(curve, 80.0) is None
    assert seconds_to_target([], 80.0) is None


def test_the_benchmark_recipe_is_lesson_4s_likelihood_model():
    from benchmarks.time_to_likelihood import LESSON, RECIPE

    lesson = nbformat.read(ROOT / LESSON, 4)
    code = "\n".join(cell.source for cell in lesson.cells if cell.cell_type == "code")

    def setting(name):
        [value] = re.findall(rf"^{name} = (.+?)  #", code, flags=re.MULTILINE)
        return ast.literal_eval(value)

    assert setting("LIKELIHOOD_LATENT_DIM") == RECIPE["latent_dim"]
    assert setting("HIDDEN_UNITS") == RECIPE["hidden_units"]
    assert setting("LIKELIHOOD_BATCH_SIZE") == RECIPE["batch_size"]
    assert setting("LIKELIHOOD_LEARNING_RATE") == RECIPE["learning_rate"]
    calls = RECIPE["steps_per_execution"]
    assert re.search(rf"^STEPS_PER_CALL = steps_per_execution\({calls}\)$", code, re.MULTILINE)
    fit = "DynamicBinarization(x_train, batch_size=LIKELIHOOD_BATCH_SIZE"
    compile_ = r"Adam\(LIKELIHOOD_LEARNING_RATE\),\s+steps_per_execution=STEPS_PER_CALL\)"
    assert fit in code and re.search(compile_, code)


def test_snapshots_are_taken_on_schedule_and_training_stops_at_the_budget(monkeypatch):
    from benchmarks.time_to_likelihood import WeightSnapshots

    model = build_vae(latent_dim=2)
    model.stop_training = False
    clock = iter(float(t) for t in range(1000))  # each reading of the clock: 1 s later
    monkeypatch.setattr("benchmarks.time_to_likelihood.time.perf_counter", lambda: next(clock))
    snapshots = WeightSnapshots(start=0.0, every=10.0, stop_seconds=35.0)
    snapshots.set_model(model)
    for batch in range(100):
        snapshots.on_train_batch_end(batch)
        if model.stop_training:
            break
    seconds = [s for s, _ in snapshots.snapshots]
    # One copy per 10 s of training (the copying's own second left out), the last at the budget.
    assert seconds == [10.0, 20.0, 30.0, 35.0]
    for _, weights in snapshots.snapshots:
        assert [w.shape for w in weights] == [w.shape for w in model.get_weights()]
    weights = snapshots.snapshots[0][1]
    weights[0][...] = 123.0  # a copy: changing it leaves the model alone
    assert not np.any(model.get_weights()[0] == 123.0)


def test_the_lesson_baseline_comes_from_git_history_with_its_own_library(tmp_path):
    from benchmarks.lessons import BASELINE_COMMIT, BASELINE_LESSONS, extract_baseline

    has_commit = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e",
                                 f"{BASELINE_COMMIT}^{{commit}}"], capture_output=True)
    if has_commit.returncode != 0:
        pytest.skip(f"needs the git history with commit {BASELINE_COMMIT[:7]} (a full clone)")
    notebooks = extract_baseline(tmp_path)
    assert [path.name for path in sorted(notebooks.glob("0[123]_*.ipynb"))] == list(
        BASELINE_LESSONS)
    assert (tmp_path / "vaekit" / "__init__.py").is_file()
    with pytest.raises(RuntimeError, match="commit 0000000 is not available from git"):
        extract_baseline(tmp_path / "other", commit="0" * 40)


def test_lesson_speed_is_now_over_the_baseline_from_one_run():
    from benchmarks import lessons

    first, second = lessons.BASELINE_LESSONS[:2]
    result = {
        "rows": [{"notebook": first, "mode": "full", "seconds": 30.0, "peak_rss_mb": 900.0},
                 {"notebook": first, "mode": "fast", "seconds": 10.0, "peak_rss_mb": 900.0},
                 {"notebook": second, "mode": "full", "seconds": 99.0, "peak_rss_mb": 900.0},
                 {"notebook": second, "mode": "fast", "seconds": 20.0, "peak_rss_mb": 900.0}],
        "full_total_seconds": 129.0, "max_peak_rss_mb": 900.0,
        "baseline": {"rows": [{"notebook": first, "mode": "full", "seconds": 60.0,
                               "peak_rss_mb": 800.0}]},
    }
    [row] = lessons.speed_rows(result)  # only lessons with both runs
    assert (row["notebook"], row["then"], row["now"], row["ratio"]) == (first, 60.0, 30.0, 0.5)
    assert "**0.50**" in lessons.report(result)
    result["baseline"] = {"skipped": "commit 5431f7a is not available from git"}
    assert lessons.speed_rows(result) == []
    assert "Baseline not run: commit 5431f7a" in lessons.report(result)


def test_the_split_lesson_3_is_timed_as_the_two_lessons_it_became():
    from benchmarks import lessons

    old_3 = lessons.BASELINE_LESSONS[2]
    now_3, now_4 = lessons.SUCCESSORS[old_3]
    result = {
        "rows": [{"notebook": now_3, "mode": "full", "seconds": 40.0, "peak_rss_mb": 900.0},
                 {"notebook": now_4, "mode": "full", "seconds": 50.0, "peak_rss_mb": 900.0}],
        "baseline": {"rows": [{"notebook": old_3, "mode": "full", "seconds": 60.0,
                               "peak_rss_mb": 800.0}]},
    }
    [row] = lessons.speed_rows(result)
    assert (row["now"], row["ratio"]) == (90.0, 1.5)
    del result["rows"][1]  # lesson 4 not run: no row, rather than half a lesson
    assert lessons.speed_rows(result) == []
