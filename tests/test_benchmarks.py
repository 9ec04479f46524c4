"""The benchmarks run end to end at tiny sizes and report sane figures (no timing thresholds)."""

import math
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `benchmarks` lives beside the package, not inside it

from benchmarks import run_all  # noqa: E402
from benchmarks.baselines import build_keras_io_vae, build_minimal_vae  # noqa: E402
from benchmarks.common import train_step_flops  # noqa: E402
from vaekit.models import build_vae  # noqa: E402

# The baselines include a hand-written VAE with a tf.GradientTape train step; the benchmarks
# measure the default backend.
pytestmark = pytest.mark.tensorflow_only


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One tiny `run_all` (every part, a one-cell notebook for part 4): results and report."""
    folder = tmp_path_factory.mktemp("bench")
    notebook = folder / "01_tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")]),
                   notebook)
    output = folder / "RESULTS.md"
    results = run_all.main(["--tiny", "--output", str(output), "--notebooks", str(notebook)])
    return results, output.read_text()


def _positive(value) -> bool:
    return math.isfinite(value) and value > 0


def test_flop_counts_follow_the_documented_formula():
    # Dense 784→256→(2+2), 2→256→784: 2·(784·256 + 256·4 + 2·256 + 256·784), times 3.
    assert train_step_flops(build_vae(latent_dim=2)) == 3 * 2 * 402_944
    # keras.io conv architecture, summed by hand from its layer shapes.
    assert train_step_flops(build_keras_io_vae()) == 3 * 13_321_856
    assert train_step_flops(build_minimal_vae()) == train_step_flops(build_vae(latent_dim=2))


def test_throughput_reports_rates_and_ratios(run):
    results, _ = run
    part = results["throughput"]
    assert _positive(part["matmul_flops_per_second"])
    assert {row["kind"] for row in part["rows"]} == {"dense", "conv"}
    for row in part["rows"]:
        assert _positive(row["samples_per_second"]) and _positive(row["ratio"])


def test_overhead_compares_two_running_models(run):
    results, _ = run
    part = results["overhead"]
    assert all(_positive(rate) for rate in part["samples_per_second"].values())
    assert 0.1 < part["ratio"] < 10


def test_time_to_quality_has_a_reference_and_each_recipe(run):
    results, _ = run
    part = results["time_to_quality"]
    assert _positive(part["reference"]["negative_elbo"]) and _positive(
        part["reference"]["seconds"])
    assert set(part["recipes"]) == {"vaekit defaults", "lesson 3", "recommended"}
    for recipe in part["recipes"].values():
        assert recipe["epochs"] >= 1 and _positive(recipe["seconds"])
        assert _positive(recipe["negative_elbo"]) and _positive(recipe["ratio"])


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
                    "## 3. Time-to-quality", "## 4. Lessons", "## 5. Likelihood table"):
        assert heading in text
    assert "CPU cores" in text and "TensorFlow" in text and "Keras" in text
