import base64
import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from vaekit import explorer  # noqa: E402
from vaekit.models import build_autoencoder, build_decoder, predict_in_batches  # noqa: E402

RNG = np.random.default_rng(0)
CODES = RNG.normal(size=(50, 2))
LABELS = np.arange(50) % 10


def test_decode_point_is_the_decoder_at_that_point(decoder):
    image = explorer.decode_point(decoder, 0.5, -1.0)
    expected = predict_in_batches(decoder, np.array([[0.5, -1.0]], dtype="float32"))[0]
    np.testing.assert_allclose(image, expected, atol=1e-6)


def test_decode_point_holds_the_other_coordinates_at_zero():
    decoder_4d = build_decoder(latent_dim=4, hidden_units=(8,))
    image = explorer.decode_point(decoder_4d, 1.0, 2.0)
    expected = predict_in_batches(decoder_4d, np.array([[1.0, 2.0, 0, 0]], dtype="float32"))[0]
    np.testing.assert_allclose(image, expected, atol=1e-6)


def test_figure_shows_codes_star_and_decoded_digit_within_the_slider_range(decoder):
    figure = explorer.explorer_figure(decoder, CODES, LABELS, 3.5, -3.9, limit=4.0, title="t")
    codes_axes, digit_axes = figure.axes[:2]
    assert codes_axes.get_title() == "t"
    assert digit_axes.get_title() == "decoded z = (3.5, -3.9)"
    assert digit_axes.images[0].get_array().shape == (28, 28)
    assert digit_axes.images[0].get_interpolation() == "nearest"
    for low, high in (codes_axes.get_xlim(), codes_axes.get_ylim()):
        assert low <= -4.0 and high >= 4.0
    assert figure.get_figwidth() <= explorer.FIGURE_WIDTH


@pytest.mark.parametrize("z0", [np.nan, "1", None, True])
def test_a_point_that_is_not_a_finite_number_is_refused_by_name(decoder, z0):
    with pytest.raises(ValueError, match="`z0`"):
        explorer.decode_point(decoder, z0, 0.0)


def test_explorer_has_two_sliders_over_plus_minus_limit_that_redraw(decoder):
    pytest.importorskip("ipywidgets")
    box = explorer.latent_explorer(decoder, CODES, LABELS, start=(0.3, -0.2), limit=4.0)
    sliders = {slider.description: slider for slider in box.children[:2]}
    assert sorted(sliders) == ["z[0]", "z[1]"]
    for slider in sliders.values():
        assert (slider.min, slider.max, slider.step) == (-4.0, 4.0, 0.1)
        assert not slider.continuous_update
    assert (sliders["z[0]"].value, sliders["z[1]"].value) == (0.3, -0.2)
    calls = []
    original = explorer.explorer_figure
    try:
        explorer.explorer_figure = lambda *args, **kwargs: calls.append(args[3:5]) or plt.figure()
        sliders["z[0]"].value = 1.5
    finally:
        explorer.explorer_figure = original
    assert calls == [(1.5, -0.2)]


def test_explorer_refuses_a_start_that_is_not_a_pair(decoder):
    pytest.importorskip("ipywidgets")
    with pytest.raises(ValueError, match="`start`"):
        explorer.latent_explorer(decoder, CODES, LABELS, start=0.0)


def test_view_carries_the_widget_and_a_png_of_the_preview(decoder):
    widgets = pytest.importorskip("ipywidgets")
    slider = widgets.FloatSlider()
    preview = explorer.explorer_figure(decoder, CODES, LABELS, 0.0, 0.0)
    data, metadata = explorer.ExplorerView(slider, preview)._repr_mimebundle_()
    assert data[explorer.WIDGET_VIEW_MIME]["model_id"] == slider.model_id
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    assert metadata["image/png"]["width"] == int(preview.get_figwidth() * preview.get_dpi())
    assert "text/plain" in data


def test_view_refuses_what_is_not_a_widget_or_a_figure(decoder):
    widgets = pytest.importorskip("ipywidgets")
    preview = explorer.explorer_figure(decoder, CODES, LABELS, 0.0, 0.0)
    with pytest.raises(TypeError, match="`widget`"):
        explorer.ExplorerView(object(), preview)
    with pytest.raises(TypeError, match="`preview`"):
        explorer.ExplorerView(widgets.FloatSlider(), object())


def test_a_decoder_without_grey_levels_is_named():
    linear = build_autoencoder(latent_dim=2, linear=True).decoder  # outputs any real numbers
    codes = np.random.default_rng(0).normal(size=(10, 2))
    with pytest.raises(ValueError, match=r"`decoder` must output grey levels in \[0, 1\]"):
        explorer.explorer_figure(linear, codes, np.arange(10), 3.0, -3.0)


def test_the_grid_holds_the_digit_decoded_at_each_point_and_the_codes(decoder):
    grid = explorer.explorer_grid(decoder, CODES, LABELS, limit=1.0, step=0.5)
    assert (grid["size"], grid["tile"], grid["limit"], grid["step"]) == (5, 28, 1.0, 0.5)
    np.testing.assert_array_equal(grid["codes_in_hundredths"], np.round(100 * CODES))
    assert grid["labels"] == LABELS.tolist()
    # JSON as JavaScript (JupyterLab) writes it: no 4.0, no 1.0
    assert json.dumps(grid) == json.dumps(json.loads(json.dumps(grid), parse_float=_as_js))
    assert len(grid["colours"]) == 10
    from io import BytesIO

    from PIL import Image

    sprite = np.asarray(Image.open(BytesIO(base64.b64decode(grid["grid"]))))
    assert sprite.shape == (5 * 28, 5 * 28) and sprite.dtype == np.uint8
    # Row 0 is z[1] = +limit, column 0 z[0] = -limit: row 1, column 3 is z = (0.5, 0.5)
    tile = sprite[28:56, 84:112] / 255
    expected = explorer.decode_point(decoder, 0.5, 0.5)
    np.testing.assert_allclose(tile, expected, atol=0.5 / 255 + 1e-6)


def test_a_grid_that_does_not_fit_the_range_is_refused(decoder):
    with pytest.raises(ValueError, match=r"`step` must divide 2 × limit into at most 100 steps"):
        explorer.explorer_grid(decoder, CODES, LABELS, limit=1.0, step=0.3)
    with pytest.raises(ValueError, match="Received: step=0.001"):
        explorer.explorer_grid(decoder, CODES, LABELS, limit=4.0, step=0.001)
    with pytest.raises(ValueError, match="`labels` must be digit classes 0–9"):
        explorer.explorer_grid(decoder, CODES, LABELS + 5, limit=1.0, step=0.5)


def test_the_view_saves_the_grid_under_its_own_type_and_the_site_reads_it(decoder, tmp_path):
    import nbformat
    from site_explorer import saved_grid, write

    grid = explorer.explorer_grid(decoder, CODES, LABELS, limit=1.0, step=1.0)
    figure = explorer.explorer_figure(decoder, CODES, LABELS, 0.0, 0.0)
    widget = explorer.latent_explorer(decoder, CODES, LABELS)
    data, metadata = explorer.ExplorerView(widget, figure, grid)._repr_mimebundle_()
    plt.close("all")
    assert metadata[explorer.GRID_KEY] == grid and "image/png" in data
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "view", outputs=[nbformat.v4.new_output("display_data", data=data, metadata=metadata)])])
    path = tmp_path / "lesson.ipynb"
    nbformat.write(notebook, path)
    assert saved_grid(path) == grid
    write(grid, tmp_path / "site")
    assert (tmp_path / "site" / "decoded.png").read_bytes() == base64.b64decode(grid["grid"])
    script = (tmp_path / "site" / "explorer_data.js").read_text()
    assert script.splitlines()[1].startswith("window.VAEKIT_EXPLORER = {")
    nbformat.write(nbformat.v4.new_notebook(), path)
    with pytest.raises(SystemExit, match="found 0; run the lesson"):
        saved_grid(path)


def _as_js(text: str):
    """A JSON float as JavaScript reads and writes it back: 4.0 becomes 4."""
    value = float(text)
    return int(value) if value.is_integer() else value
