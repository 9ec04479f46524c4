"""The latent-space explorer: two sliders pick a point z, the decoder draws it beside the codes.

`explorer_figure` draws one view: the codes with a star at z, and the image decoded from z.
`latent_explorer` puts that view under two ipywidgets sliders, z[0] and z[1]. `ExplorerView`
shows the live sliders in a Jupyter kernel and a picture of the starting view where widgets
cannot run (a saved notebook on GitHub or the course website):
`IPython.display.display(ExplorerView(explorer, preview))`.

With a latent space of more than two dimensions the sliders move z[0] and z[1] and the other
coordinates stay at 0.
"""

from __future__ import annotations

import base64
import io

import matplotlib.pyplot as plt
import numpy as np

from vaekit.checks import (
    as_codes,
    as_labels,
    check_decoded_grey_levels,
    check_decoder,
    check_positive_number,
)
from vaekit.models import predict_in_batches
from vaekit.plotting import plot_latent_scatter
from vaekit.style import FIGURE_WIDTH, method_colour

FIGURE_HEIGHT = 3.6  # inches; the codes take 1.6 parts of the width, the decoded digit 1
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"  # Jupyter widgets' display type


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


class ExplorerView:
    """Displays a widget live in Jupyter, and a picture of `preview` where widgets cannot run.

    Both go in one output: a Jupyter front end with a kernel draws the widget; a saved copy of
    the notebook (GitHub, the course website) shows the picture.

    Args:
        widget: an ipywidgets widget, e.g. from `latent_explorer`.
        preview: a Matplotlib `Figure` of the widget's starting view (`explorer_figure`).
    """

    def __init__(self, widget, preview):
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
        self.widget = widget
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
        return data, {"image/png": {"width": self.width}}
