import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from vaekit import plotting  # noqa: E402
from vaekit.models import build_autoencoder  # noqa: E402

RNG = np.random.default_rng(0)


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


GREY = np.random.default_rng(7).uniform(size=(8, 28, 28)).astype("float32")
CODES = np.random.default_rng(8).normal(size=(40, 2))
LABELS = np.arange(40) % 4
NAN_CODES = np.where(np.arange(2) == 0, np.nan, CODES)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda d: plotting.plot_latent_scatter(CODES, np.arange(40)),
         r"`labels` must hold at most 10 classes"),
        (lambda d: plotting.plot_latent_scatter(CODES, LABELS, dims=(0, 5)), r"dims=\(0, 5\)"),
        (lambda d: plotting.plot_latent_scatter(CODES, LABELS, dims=(0,)), r"dims=\(0,\)"),
        (lambda d: plotting.plot_latent_scatter(np.array([["a", "b"]] * 3), [0, 1, 2]),
         r"`codes` must be an array of numbers"),
        (lambda d: plotting.plot_latent_scatter(NAN_CODES, LABELS),
         r"`codes` must be finite"),
        (lambda d: plotting.plot_latent_scatter(CODES, LABELS, point_size="big"),
         "point_size='big'"),
        (lambda d: plotting.tile_images(np.array([[["a"]]]), 1), r"`images` .*numbers"),
        (lambda d: plotting.tile_images(GREY + 1j, 3), r"`images` .*complex"),
        (lambda d: plotting.tile_images(np.full((2, 3, 3), np.nan), 3), r"`images` .*grey"),
        (lambda d: plotting.plot_images(GREY, ncols="4"), "ncols='4'"),
        (lambda d: plotting.plot_images(GREY, ncols=None), "ncols=None"),
        (lambda d: plotting.plot_images(GREY * 255), "divide 0–255"),
        (lambda d: plotting.plot_images(None), "images=None"),
        (lambda d: plotting.plot_reconstructions(GREY, GREY * 255),
         r"`reconstructions` .*divide 0–255"),
        (lambda d: plotting.plot_reconstructions(GREY[:0], GREY[:0]), r"`images` .*non-empty"),
        (lambda d: plotting.gaussian_grid(5, clip="0.05"), "clip='0.05'"),
        (lambda d: plotting.gaussian_grid(5, clip=None), "clip=None"),
        (lambda d: plotting.plot_manifold(d, grid_size=0, extent=(-1, 1, -1, 1)), "grid_size=0"),
        (lambda d: plotting.plot_manifold(d, grid_size=2.5, extent=(-1, 1, -1, 1)),
         "grid_size=2.5"),
        (lambda d: plotting.plot_manifold(d, grid_size=3, extent=5), r"`extent` must be 4"),
        (lambda d: plotting.plot_manifold(d, grid_size=3, extent="abcd"), r"`extent` .*numbers"),
        (lambda d: plotting.plot_manifold(d, grid_size=3, extent=(np.nan, 1, -1, 1)),
         r"`extent` must be finite"),
        (lambda d: plotting.plot_manifold(d, grid_size=3, dims=(0, 2)), r"dims=\(0, 2\)"),
        (lambda d: plotting.sample_prior(d, 4, seed=-1), "seed=-1"),
        (lambda d: plotting.sample_prior(d, 4, seed=1.5), "seed=1.5"),
        (lambda d: plotting.plot_interpolation(d, [np.nan, 0], np.ones(2)), r"`z_start` .*finite"),
        (lambda d: plotting.plot_interpolation(d, ["a", "b"], np.ones(2)), r"`z_start` .*numbers"),
        (lambda d: plotting.plot_history({"loss": [1.0]}, keys="loss"), "keys='loss'"),
        (lambda d: plotting.plot_history({"loss": 5}), r"`history\['loss'\]` must be a list"),
        (lambda d: plotting.plot_history({"loss": "abc"}), r"`history\['loss'\]` .*numbers"),
        (lambda d: plotting.plot_curve_fits(CODES, None), "fits of type NoneType"),
        (lambda d: plotting.plot_curve_fits(CODES, {"pca": 5}), r"`fits\['pca'\]` must be a pair"),
        (lambda d: plotting.plot_curve_fits(CODES, {"pca": (CODES[:, 0], CODES[:, 0])}),
         r"reconstructions.shape=\(40,\)"),
        (lambda d: plotting.plot_curve_fits(CODES, {"pca": (np.arange(50), CODES)}),
         r"codes.shape=\(50,\)"),
        (lambda d: plotting.plot_curve_fits(CODES, {"pca": (np.arange(10), CODES)}),
         r"codes.shape=\(10,\)"),
        (lambda d: plotting.plot_curve_fits(NAN_CODES, {}),
         r"`points` must be finite"),
        (lambda d: plotting.plot_class_shares({"a": [0.5, "x"]}), r"`shares\['a'\]` .*numbers"),
        (lambda d: plotting.plot_class_shares({"a": []}), "non-empty"),
        (lambda d: plotting.plot_class_shares({"a": [np.nan, 0.5]}), r"`shares\['a'\]` .*finite"),
        (lambda d: plotting.plot_class_shares({"a": [-0.5, 1.5]}), r"shares in \[0, 1\]"),
        (lambda d: plotting.plot_typicality({"a": ["x"]}), r"`distances\['a'\]` .*numbers"),
        (lambda d: plotting.plot_typicality({"a": [np.nan, np.nan]}), r"`distances\['a'\]` .*fin"),
        (lambda d: plotting.plot_typicality({"a": [1.0]}, references={"real": "x"}),
         r"references\['real'\]='x'"),
        (lambda d: plotting.plot_typicality({"a": [1.0]}, references={"real": None}),
         r"references\['real'\]=None"),
        (lambda d: plotting.plot_typicality({"a": [1.0]}, references=[1.5]),
         "references of type list"),
    ],
)
def test_more_bad_input_gets_a_clear_error(decoder, call, message):
    with pytest.raises(ValueError, match=message):
        call(decoder)


@pytest.mark.parametrize(
    "call",
    [
        lambda: plotting.plot_manifold(None, grid_size=3),
        lambda: plotting.plot_manifold(build_autoencoder(latent_dim=2, hidden_units=(4,)),
                                       grid_size=3),
        lambda: plotting.sample_prior(None, 4),
    ],
)
def test_a_decoder_that_is_not_one_is_a_type_error(call):
    with pytest.raises(TypeError, match=r"`decoder` must be a Keras model"):
        call()


def test_numpy_scalars_and_bool_images_are_valid(decoder):
    assert plotting.plot_images(GREY > 0.5, ncols=np.int64(4)).axes
    figure = plotting.plot_typicality({"a": [1.0, 2.0]}, references={"real": np.float32(1.5)})
    assert "real (median 1.5)" in [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert plotting.plot_latent_scatter(CODES, LABELS, dims=(np.int64(1), np.int64(0)),
                                        point_size=np.float32(4.0)).axes


def test_plot_images_writes_one_label_per_row():
    figure, ax = plt.subplots()
    plotting.plot_images(np.zeros((6, 4, 4)), ncols=3, ax=ax, row_labels=["input", "output"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["input", "output"]
    assert list(ax.get_yticks()) == pytest.approx([1.5, 6.5])  # the centre of each row
    with pytest.raises(ValueError, match="row_labels"):
        plotting.plot_images(np.zeros((6, 4, 4)), ncols=3, row_labels=["only one"])


def test_plot_curve_fits_draws_the_reference_curve_and_labels_axes():
    figure, ax = plt.subplots()
    t = np.linspace(-1, 1, 30)
    arc = np.stack([t, t**2], axis=1)
    plotting.plot_curve_fits(arc, {"PCA": (t, arc)}, ax=ax, reference=arc,
                             reference_label="true arc")
    assert "true arc" in [text.get_text() for text in ax.get_legend().get_texts()]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x₁", "x₂")
    with pytest.raises(ValueError, match="reference"):
        plotting.plot_curve_fits(arc, {"PCA": (t, arc)}, reference=np.zeros((5, 3)))


def test_plot_typicality_axis_label_says_what_lower_means():
    figure = plotting.plot_typicality({"a": [1.0, 2.0]})
    assert "nearer a class mean" in figure.axes[0].get_xlabel()
    figure = plotting.plot_typicality({"a": [1.0, 2.0]}, xlabel="distance (40-D)")
    assert figure.axes[0].get_xlabel() == "distance (40-D)"


def test_plot_manifold_over_a_box_is_drawn_in_latent_units(decoder):
    figure, ax = plt.subplots()
    plotting.plot_manifold(decoder, grid_size=5, extent=(-10, 30, -2, 2), ax=ax)
    left, right = ax.get_xlim()
    bottom, top = ax.get_ylim()
    step_x, step_y = 40 / 4, 4 / 4  # grid spacing: tile centres sit on the grid points
    assert left == pytest.approx(-10 - step_x / 2, abs=0.05 * step_x)
    assert right == pytest.approx(30 + step_x / 2, abs=0.05 * step_x)
    assert bottom == pytest.approx(-2 - step_y / 2, abs=0.05 * step_y)
    assert top == pytest.approx(2 + step_y / 2, abs=0.05 * step_y)


PLOTS_WITH_AX = [
    lambda d, ax: plotting.plot_latent_scatter(CODES, LABELS, ax=ax),
    lambda d, ax: plotting.plot_images(GREY, ax=ax),
    lambda d, ax: plotting.plot_reconstructions(GREY, GREY, ax=ax),
    lambda d, ax: plotting.plot_manifold(d, grid_size=3, ax=ax),
    lambda d, ax: plotting.plot_samples(d, num_samples=4, ax=ax),
    lambda d, ax: plotting.plot_interpolation(d, [0, 0], [1, 1], steps=3, ax=ax),
    lambda d, ax: plotting.plot_history({"loss": [2.0, 1.0]}, ax=ax),
    lambda d, ax: plotting.plot_curve_fits(CODES, {}, ax=ax),
    lambda d, ax: plotting.plot_class_shares({"a": [0.5, 0.5]}, ax=ax),
    lambda d, ax: plotting.plot_typicality({"a": [1.0, 2.0]}, ax=ax),
]


@pytest.mark.parametrize("plot", PLOTS_WITH_AX)
@pytest.mark.parametrize("bad_ax, received", [
    (lambda: plt.subplots(1, 2)[1], "ndarray"),
    (lambda: plt.figure(), "Figure"),
    (lambda: "left", "str"),
])
def test_a_wrong_ax_is_named_with_the_fix(decoder, plot, bad_ax, received):
    with pytest.raises(TypeError, match=rf"`ax` must be one Matplotlib Axes .*axes\[0\]\. "
                                        rf"Received: ax of type {received}$"):
        plot(decoder, bad_ax())


@pytest.mark.parametrize("plot", [
    lambda d: plotting.plot_manifold(d, grid_size=3),
    lambda d: plotting.plot_manifold(d, grid_size=3, extent=(-9, 9, -9, 9)),
    lambda d: plotting.plot_samples(d, num_samples=4, seed=np.int64(1)),
    lambda d: plotting.plot_interpolation(d, [-9, -9], [9, 9], steps=3),
])
def test_a_decoder_without_grey_levels_is_named(plot):
    linear = build_autoencoder(latent_dim=2, linear=True).decoder  # outputs any real numbers
    with pytest.raises(ValueError, match=r"`decoder` must output grey levels in \[0, 1\].*"
                                         r"sigmoid.*Received: a decoder whose outputs are in \["):
        plot(linear)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda d: plotting.plot_manifold(d, grid_size=2**40), "at most 100. Received: grid_size"),
        (lambda d: plotting.gaussian_grid(10**6), "at most 100. Received: grid_size"),
        (lambda d: plotting.sample_prior(d, 2**63), "at most 100,000. Received: num_samples"),
        (lambda d: plotting.plot_samples(d, num_samples=-1), "num_samples=-1"),
        (lambda d: plotting.plot_interpolation(d, [0, 0], [1, 1], steps=10**9),
         "at most 1,000. Received: steps"),
        (lambda d: plotting.tile_images(GREY, 10**9), "at most 1,000. Received: ncols"),
    ],
)
def test_huge_sizes_are_refused_with_the_bound(decoder, call, message):
    with pytest.raises(ValueError, match=message):
        call(decoder)


@pytest.mark.backend_independent
@pytest.mark.parametrize("call, message", [
    (lambda: plotting.plot_history(None), r"`history` must be .*Received: history=None"),
    (lambda: plotting.plot_history({}), r"Received: history=\{\}"),
    (lambda: plotting.plot_class_shares([0.5, 0.5]), r"Received: shares=\[0.5, 0.5\]"),
    (lambda: plotting.plot_typicality(np.arange(100.0)), r"Received: distances=array\(.*\.\.\.$"),
])
def test_what_is_not_a_dict_is_shown_in_the_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda d: plotting.plot_images(GREY, ncols=4, row_labels=3), "row_labels=3"),
    (lambda d: plotting.plot_manifold(d, extent=(-1, 1, -1, 1), clip=0.0), "clip=0.0"),
    (lambda d: plotting.plot_history({"loss": [1.0]}, keys=0.0), r"keys=0.0"),
    (lambda d: plotting.plot_history({"loss": [1.0]}, keys="loss"), r"e.g. \['loss'\]"),
    (lambda d: plotting.plot_typicality({"real": [1.0], "noise": []}),
     r"Received: distances\['noise'\] with none"),
])
def test_every_argument_is_checked_even_when_unused(decoder, call, message):
    with pytest.raises(ValueError, match=message):
        call(decoder)
