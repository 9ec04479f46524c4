"""The latent-space explorer: two sliders pick a point z, the decoder draws it beside the codes.

`explorer_figure` draws one view: the codes with a star at z, and the image decoded from z.
`latent_explorer` puts that view under two ipywidgets sliders, z[0] and z[1]. `ExplorerView`
shows the live sliders in a Jupyter kernel and a picture of the starting view where widgets
cannot run (a saved notebook on GitHub or the course website):
`IPython.display.display(ExplorerView(explorer, preview, grid))`. `explorer_grid` decodes a
grid of points once, so that a page without a kernel (the course website's explorer) can show
the digit at any slider position; `ExplorerView` saves it with the notebook's outputs.

With a latent space of more than two dimensions the sliders move z[0] and z[1] and the other
coordinates stay at 0.
"""

from __future__ import annotations

import base64
import io

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image  # Matplotlib's own dependency

from vaekit.checks import (
    as_codes,
    as_labels,
    check_decoded_grey_levels,
    check_decoder,
    check_positive_number,
)
from vaekit.models import predict_in_batches
from vaekit.plotting import plot_latent_scatter
from vaekit.style import CLASS_COLOURS, FIGURE_WIDTH, method_colour

FIGURE_HEIGHT = 3.6  # inches; the codes take 1.6 parts of the width, the decoded digit 1
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"  # Jupyter widgets' display type
GRID_KEY = "vaekit.explorer_grid"  # `explorer_grid` in the output's metadata (ExplorerView)
MAX_GRID_SIZE = 101  # points per side of `explorer_grid`


def _check_point(name: str, value) -> float:
    number = isinstance(value, (int, float, np.integer, np.floating))
    if isinstance(value, bool) or not number or not np.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number. Received: {name}={value!r}")
    return float(value)


def decode_point(decoder, z0: float, z1: float) -> np.ndarray:
    """Decode the latent point `(z0, z1, 0, …)`: one image `(*image_shape)`."""
    latent_dim = check_decoder("decoder", decoder)
    if latent_dim < 2:
        raise ValueError(
            "`decoder` must take codes of 2 or more dimensions. "
            f"Received: a decoder with latent_dim={latent_dim}"
        )
    z = np.zeros((1, latent_dim), dtype=np.float32)
    z[0, :2] = _check_point("z0", z0), _check_point("z1", z1)
    return predict_in_batches(decoder, z)[0]


def explorer_figure(decoder, codes, labels, z0: float, z1: float, *, limit: float = 4.0,
                    title: str | None = None):
    """The codes (z[0], z[1]) with a star at `(z0, z1)`, beside the image decoded there.

    Args:
        decoder: a Keras model `(batch, latent_dim) → (batch, *image_shape)`, e.g. `vae.decoder`.
        codes: `(n, latent_dim)`, e.g. the `z_mean` of test digits.
        labels: `(n,)` their digit classes.
        z0, z1: the point to decode.
        limit: the axes show at least `[-limit, limit]` in both directions (the sliders' range),
            so the view does not jump while the star moves.
        title: the title over the codes.

    Returns:
        The `Figure`, `FIGURE_WIDTH` wide.
    """
    codes = as_codes(codes, min_rows=1)
    labels = as_labels(labels, len(codes))
    limit = check_positive_number("limit", limit)
    image = check_decoded_grey_levels(decode_point(decoder, z0, z1))
    z0, z1 = float(z0), float(z1)
    figure, (left, right) = plt.subplots(
        1, 2, figsize=(FIGURE_WIDTH, FIGURE_HEIGHT), gridspec_kw={"width_ratios": [1.6, 1]}
    )
    plot_latent_scatter(codes, labels, ax=left, point_size=3, title=title)
    left.scatter([z0], [z1], s=250, c=method_colour("VAE"), marker="*", edgecolors="black",
                 zorder=7)
    # Invisible corners at ±limit: the view holds the sliders' whole range (fixed limits would
    # clash with the scatter's equal aspect), so it does not jump while the star moves.
    left.scatter([-limit, limit], [-limit, limit], s=0, alpha=0)
    right.imshow(image, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    others = "" if codes.shape[1] == 2 else ", 0, …"
    right.set_title(f"decoded z = ({z0:.1f}, {z1:.1f}{others})")
    right.set_axis_off()
    return figure


def latent_explorer(decoder, codes, labels, *, start=(0.0, 0.0), limit: float = 4.0,
                    step: float = 0.1, title: str | None = None):
    """Two sliders, z[0] and z[1] in `[-limit, limit]`, over `explorer_figure`.

    Needs `ipywidgets`. The figure is redrawn when a slider is released.

    Returns:
        An `ipywidgets.interactive` box (its `children` are the two sliders and the output).
    """
    import ipywidgets as widgets
    from IPython.display import display

    limit = check_positive_number("limit", limit)
    step = check_positive_number("step", step)
    if not isinstance(start, (tuple, list)) or len(start) != 2:
        raise ValueError(f"`start` must be a pair (z0, z1). Received: start={start!r}")
    start = tuple(_check_point(f"start[{i}]", value) for i, value in enumerate(start))
    codes = as_codes(codes, min_rows=1)
    labels = as_labels(labels, len(codes))
    check_decoder("decoder", decoder)

    def show(z0, z1):
        figure = explorer_figure(decoder, codes, labels, z0, z1, limit=limit, title=title)
        display(figure)
        plt.close(figure)

    slider = {"min": -limit, "max": limit, "step": step, "continuous_update": False}
    return widgets.interactive(
        show,
        z0=widgets.FloatSlider(value=start[0], description="z[0]", **slider),
        z1=widgets.FloatSlider(value=start[1], description="z[1]", **slider),
    )


def explorer_grid(decoder, codes, labels, *, limit: float = 4.0, step: float = 0.25) -> dict:
    """The explorer precomputed for a page without a kernel: the images decoded at the points
    `(z0, z1, 0, …)`, `step` apart over `[-limit, limit]²`, and the codes to draw under them.

    Args:
        decoder: a Keras model `(batch, latent_dim) → (batch, height, width)` of grey levels.
        codes: `(n, latent_dim)`, e.g. the `z_mean` of test digits; only z[0] and z[1] are kept.
        labels: `(n,)` their digit classes, integers 0–9.
        limit, step: the sliders' range and step; at most `MAX_GRID_SIZE` points per side.

    Returns:
        A dict ready for JSON with `"grid"`, a base64 PNG of `size × size` tiles of `tile`
        pixels (row 0 at z[1] = limit, column 0 at z[0] = -limit; 8-bit grey, 255 = ink), and
        `"size"`, `"tile"`, `"limit"`, `"step"`, `"codes_in_hundredths"` (z[0] and z[1] of each
        code × 100, as integers), `"labels"` and `"colours"` (the course's colour of each digit
        class). Every number is one JSON writes alike in Python and JavaScript, so that a
        notebook saved by JupyterLab keeps the very bytes `make lessons` wrote.
    """
    limit = check_positive_number("limit", limit)
    step = check_positive_number("step", step)
    size = int(round(2 * limit / step)) + 1
    if size > MAX_GRID_SIZE or not np.isclose((size - 1) * step, 2 * limit):
        raise ValueError(
            f"`step` must divide 2 × limit into at most {MAX_GRID_SIZE - 1} steps. "
            f"Received: step={step!r} with limit={limit!r}"
        )
    codes = as_codes(codes, min_rows=1)
    labels = as_labels(labels, len(codes), integer=True)
    if labels.min() < 0 or labels.max() >= len(CLASS_COLOURS):
        raise ValueError(f"`labels` must be digit classes 0–{len(CLASS_COLOURS) - 1}. "
                         f"Received: labels from {labels.min()} to {labels.max()}")
    latent_dim = check_decoder("decoder", decoder)
    if latent_dim < 2:
        raise ValueError("`decoder` must take codes of 2 or more dimensions. "
                         f"Received: a decoder with latent_dim={latent_dim}")
    axis = np.linspace(-limit, limit, size, dtype=np.float32)
    z1, z0 = np.meshgrid(axis[::-1], axis, indexing="ij")  # row 0: the largest z[1]
    points = np.zeros((size * size, latent_dim), dtype=np.float32)
    points[:, 0], points[:, 1] = z0.ravel(), z1.ravel()
    images = check_decoded_grey_levels(predict_in_batches(decoder, points))
    if images.ndim != 3 or images.shape[1] != images.shape[2]:
        raise ValueError("`decoder` must draw square grey images (batch, height, width). "
                         f"Received: images of shape {images.shape[1:]}")
    tile = images.shape[1]
    sprite = images.reshape(size, size, tile, tile).transpose(0, 2, 1, 3)
    buffer = io.BytesIO()
    grey = np.round(255 * sprite.reshape(size * tile, size * tile)).astype(np.uint8)
    Image.fromarray(grey).save(buffer, format="png", optimize=True)  # 8-bit grey ("L")
    return {
        "grid": base64.b64encode(buffer.getvalue()).decode("ascii"),
        "size": size, "tile": tile, "limit": _plain(limit), "step": _plain(step),
        "codes_in_hundredths": np.round(100 * codes[:, :2]).astype(int).tolist(),
        "labels": labels.astype(int).tolist(),
        "colours": list(CLASS_COLOURS),
    }


def _plain(number: float) -> int | float:
    """`number` as JavaScript writes it to JSON: 4.0 as 4 (Python would write 4.0)."""
    return int(number) if float(number).is_integer() else float(number)


class ExplorerView:
    """Displays a widget live in Jupyter, and a picture of `preview` where widgets cannot run.

    Both go in one output: a Jupyter front end with a kernel draws the widget; a saved copy of
    the notebook (GitHub, the course website) shows the picture. A `grid` is saved in the same
    output's metadata (under `GRID_KEY`), which no front end draws: the course website reads it
    for its static explorer.

    Args:
        widget: an ipywidgets widget, e.g. from `latent_explorer`.
        preview: a Matplotlib `Figure` of the widget's starting view (`explorer_figure`).
        grid: optional, the dict `explorer_grid` returns.
    """

    def __init__(self, widget, preview, grid: dict | None = None):
        if not hasattr(widget, "model_id"):
            raise TypeError(
                "`widget` must be an ipywidgets widget. Received: widget of type "
                f"{type(widget).__name__}"
            )
        if not hasattr(preview, "savefig"):
            raise TypeError(
                "`preview` must be a Matplotlib Figure. Received: preview of type "
                f"{type(preview).__name__}"
            )
        if grid is not None and not (isinstance(grid, dict) and "grid" in grid):
            raise TypeError(
                "`grid` must be the dict `explorer_grid` returns. Received: grid of type "
                f"{type(grid).__name__}"
            )
        self.widget, self.grid = widget, grid
        buffer = io.BytesIO()
        dpi = 2 * preview.get_dpi()  # crisp on high-DPI screens, shown at its natural width
        preview.savefig(buffer, format="png", dpi=dpi)
        self.png = buffer.getvalue()
        self.width = int(round(preview.get_figwidth() * preview.get_dpi()))

    def _repr_mimebundle_(self, include=None, exclude=None):
        """IPython's display protocol: the widget view, the picture, and a line of text."""
        data = {
            WIDGET_VIEW_MIME: {"version_major": 2, "version_minor": 0,
                               "model_id": self.widget.model_id},
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": "latent explorer (sliders z[0] and z[1]; needs a running kernel)",
        }
        metadata = {"image/png": {"width": self.width}}
        if self.grid is not None:
            metadata[GRID_KEY] = self.grid
        return data, metadata
