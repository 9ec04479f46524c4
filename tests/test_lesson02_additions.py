"""Library additions made for lesson 2: the fitted-Gaussian sampler and two figures."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from vaekit.diagnostics import fitted_gaussian_samples  # noqa: E402
from vaekit.plotting import plot_class_shares, plot_typicality  # noqa: E402

RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_fitted_gaussian_samples_match_mean_and_covariance():
    covariance = np.array([[4.0, 1.5], [1.5, 1.0]])
    codes = RNG.multivariate_normal([10.0, -3.0], covariance, size=20_000)
    samples = fitted_gaussian_samples(codes, 20_000, seed=1)
    assert samples.shape == (20_000, 2)
    np.testing.assert_allclose(samples.mean(axis=0), [10.0, -3.0], atol=0.05)
    np.testing.assert_allclose(np.cov(samples, rowvar=False), covariance, atol=0.1)


def test_fitted_gaussian_samples_are_seeded_and_work_in_one_dimension():
    codes = RNG.normal(size=(50, 1))
    a = fitted_gaussian_samples(codes, 10, seed=3)
    np.testing.assert_array_equal(a, fitted_gaussian_samples(codes, 10, seed=3))
    assert a.shape == (10, 1)
    assert not np.array_equal(a, fitted_gaussian_samples(codes, 10, seed=4))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: fitted_gaussian_samples(np.zeros(5)), "codes"),
        (lambda: fitted_gaussian_samples(RNG.normal(size=(4, 2)), 0), "num_samples=0"),
    ],
)
def test_fitted_gaussian_samples_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_plot_class_shares_draws_one_bar_per_class_and_entry():
    figure, ax = plt.subplots()
    shares = {"area": np.full(10, 0.1), "decoded": np.arange(10) / 45}
    assert plot_class_shares(shares, ax=ax, title="shares") is figure
    assert len(ax.patches) == 20
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(i) for i in range(10)]
    assert ax.get_lines()[0].get_ydata()[0] == pytest.approx(0.1)  # the even share


def test_plot_typicality_draws_boxes_and_references():
    figure, ax = plt.subplots()
    distances = {"reconstructions": RNG.normal(3, 1, 100), "generated": RNG.normal(5, 1, 50)}
    result = plot_typicality(distances, references={"real digits": 6.1}, ax=ax)
    assert result is figure
    heights = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)}
    assert heights["reconstructions"] > heights["generated"]  # drawn top to bottom
    assert "real digits (median 6.1)" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert plot_typicality({"only": [1.0, 2.0]}).axes[0].get_legend() is None


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: plot_class_shares({}), "non-empty"),
        (lambda: plot_class_shares({"a": np.ones(3), "b": np.ones(4)}), "same length"),
        (lambda: plot_class_shares({"a": np.ones(3)}, classes=[0, 1]), "classes"),
        (lambda: plot_typicality([1, 2]), "dict"),
        (lambda: plot_typicality({"a": []}), "at least one"),
    ],
)
def test_plots_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
