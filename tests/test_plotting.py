import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from vaekit import plotting  # noqa: E402
from vaekit.models import build_decoder  # noqa: E402

RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def decoder():
    return build_decoder(latent_dim=2, hidden_units=(8,))


def test_latent_scatter_has_one_legend_entry_per_class():
    codes, labels = RNG.normal(size=(100, 2)), np.repeat(np.arange(10), 10)
    figure = plotting.plot_latent_scatter(codes, labels, title="codes")
    legend = figure.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [str(i) for i in range(10)]
    assert len(set(plotting.CLASS_COLOURS)) == 10


def test_every_plot_draws_into_a_given_axes(decoder):
    images = RNG.uniform(size=(6, 28, 28))
    calls = [
        lambda ax: plotting.plot_latent_scatter(RNG.normal(size=(20, 2)), np.arange(20) % 3, ax=ax),
        lambda ax: plotting.plot_images(images, ncols=3, ax=ax),
        lambda ax: plotting.plot_reconstructions(images, images, num_images=4, ax=ax),
        lambda ax: plotting.plot_manifold(decoder, grid_size=5, ax=ax),
        lambda ax: plotting.plot_manifold(decoder, grid_size=5, extent=(-1, 1, -2, 2), ax=ax),
        lambda ax: plotting.plot_samples(decoder, num_samples=4, ax=ax),
        lambda ax: plotting.plot_interpolation(decoder, [0, 0], [1, 1], steps=4, ax=ax),
        lambda ax: plotting.plot_history({"loss": [3, 2, 1], "val_loss": [3, 2.5, 2]}, ax=ax),
        lambda ax: plotting.plot_curve_fits(
            RNG.normal(size=(30, 2)), {"PCA": (RNG.normal(size=30), RNG.normal(size=(30, 2)))},
            ax=ax),
    ]
    for call in calls:
        figure, ax = plt.subplots()
        assert call(ax) is figure
        assert ax.has_data() or ax.images


def test_gaussian_grid_is_finite_and_symmetric():
    grid = plotting.gaussian_grid(15, clip=0.05)
    assert np.all(np.isfinite(grid)) and grid[0] == pytest.approx(-grid[-1])
    assert grid[-1] == pytest.approx(1.6449, abs=1e-3)


def test_tile_images_layout():
    mosaic = plotting.tile_images(np.zeros((5, 2, 3)), ncols=2)
    assert mosaic.shape == (3 * 3 - 1, 2 * 4 - 1)
    assert mosaic[0, 0] == 0 and mosaic[2, 0] == plotting.TILE_GAP_VALUE  # image, then a gap


def test_sample_prior_shape(decoder):
    assert plotting.sample_prior(decoder, 7).shape == (7, 28, 28)


def test_history_labels_are_in_nats():
    figure = plotting.plot_history({"loss": [2.0, 1.0]})
    assert figure.axes[0].get_ylabel() == "nats per image"


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda d: plotting.plot_latent_scatter(np.zeros((3, 1)), [0, 1, 2]), "codes"),
        (lambda d: plotting.plot_latent_scatter(np.zeros((3, 2)), [0, 1]), "labels"),
        (lambda d: plotting.plot_latent_scatter(np.zeros((11, 2)), np.arange(11)), "10 classes"),
        (lambda d: plotting.tile_images(np.zeros((2, 28)), 2), "images"),
        (lambda d: plotting.tile_images(np.zeros((2, 2, 2)), 0), "ncols=0"),
        (lambda d: plotting.plot_reconstructions(np.zeros((2, 4, 4)), np.zeros((3, 4, 4))),
         "same shape"),
        (lambda d: plotting.gaussian_grid(5, clip=0.0), "clip=0.0"),
        (lambda d: plotting.plot_manifold(d, extent=(0, 1)), "extent"),
        (lambda d: plotting.plot_interpolation(d, [0, 0, 0], [1, 1, 1]), "z_start"),
        (lambda d: plotting.plot_history({}), "history"),
        (lambda d: plotting.plot_history({"loss": [1]}, keys=["kl"]), "kl"),
        (lambda d: plotting.plot_curve_fits(np.zeros((3, 3)), {}), "points"),
        (lambda d: plotting.sample_prior(d, 0), "num_samples=0"),
    ],
)
def test_bad_input_gets_a_clear_error(decoder, call, message):
    with pytest.raises(ValueError, match=message):
        call(decoder)


def test_plot_class_shares_draws_one_bar_per_class_and_entry():
    figure, ax = plt.subplots()
    shares = {"area": np.full(10, 0.1), "decoded": np.arange(10) / 45}
    assert plotting.plot_class_shares(shares, ax=ax, title="shares") is figure
    assert len(ax.patches) == 20
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(i) for i in range(10)]
    assert ax.get_lines()[0].get_ydata()[0] == pytest.approx(0.1)  # the even share


def test_plot_typicality_draws_boxes_and_references():
    figure, ax = plt.subplots()
    distances = {"reconstructions": RNG.normal(3, 1, 100), "generated": RNG.normal(5, 1, 50)}
    result = plotting.plot_typicality(distances, references={"real digits": 6.1}, ax=ax)
    assert result is figure
    heights = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)}
    assert heights["reconstructions"] > heights["generated"]  # drawn top to bottom
    assert "real digits (median 6.1)" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert plotting.plot_typicality({"only": [1.0, 2.0]}).axes[0].get_legend() is None


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: plotting.plot_class_shares({}), "non-empty"),
        (lambda: plotting.plot_class_shares({"a": np.ones(3), "b": np.ones(4)}), "same length"),
        (lambda: plotting.plot_class_shares({"a": np.ones(3)}, classes=[0, 1]), "classes"),
        (lambda: plotting.plot_typicality([1, 2]), "dict"),
        (lambda: plotting.plot_typicality({"a": []}), "at least one"),
    ],
)
def test_plots_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
