"""Figures for the lessons. Each function takes `ax=None` and returns the `Figure`.

Image grids are drawn as one mosaic in a single axes, so every figure fits in a subplot of a
larger figure. Colours follow the course style (`vaekit.style`): one colour and marker per
digit, one colour per method across all lessons.
"""

from __future__ import annotations

import inspect
import numbers

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from scipy.stats import norm

from vaekit.checks import (
    as_codes,
    as_float_array,
    as_images,
    as_labels,
    check_decoded_grey_levels,
    check_decoder,
    check_fraction,
    check_positive_int,
    check_positive_number,
    check_seed,
)
from vaekit.models import predict_in_batches
from vaekit.style import BACKGROUND_COLOUR, CLASS_COLOURS, CLASS_MARKERS, method_colour

SCATTER_SLICES = 20  # random slices a scatter is drawn in (see plot_latent_scatter)
MAX_METHODS = 6  # bars or lines per figure that can still be told apart
LOSS_LABEL = "nats per image"
HISTORY_LABELS = {"loss": "loss", "reconstruction_loss": "reconstruction", "kl_loss": "KL"}
TILE_GAP_VALUE = 0.25  # the 1-pixel gap between tiled images: light grey under "gray_r"
MAX_GRID_SIZE = 100  # images per side of a manifold grid
MAX_COLUMNS = 1_000  # images per row of a mosaic or interpolation
MAX_DECODED = 100_000  # images decoded at once for a figure


def check_axes(ax) -> None:
    """Refuse an `ax` that is not one Matplotlib Axes (or None for a new figure)."""
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(
            "`ax` must be one Matplotlib Axes or None; from `figure, axes = plt.subplots(1, 2)` "
            f"pass one Axes, e.g. ax=axes[0]. Received: ax of type {type(ax).__name__}"
        )


def _axes(ax, figsize=(6, 5)):
    check_axes(ax)
    if ax is None:
        figure, ax = plt.subplots(figsize=figsize)
        return figure, ax
    return ax.figure, ax


def _short(value) -> str:
    """`repr(value)`, cut to 60 characters (an array or long list in a message)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_dims(dims, latent_dim: int) -> tuple[int, int]:
    """`dims` as two different latent dimensions in `[0, latent_dim)`."""
    if (
        not isinstance(dims, (tuple, list))
        or len(dims) != 2
        or dims[0] == dims[1]
        or not all(
            isinstance(d, numbers.Integral) and not isinstance(d, bool) and 0 <= d < latent_dim
            for d in dims
        )
    ):
        raise ValueError(
            f"`dims` must be two different latent dimensions in 0..{latent_dim - 1}. "
            f"Received: dims={dims!r}"
        )
    return int(dims[0]), int(dims[1])


def plot_latent_scatter(codes, labels, *, dims=(0, 1), ax=None, title=None, point_size=12):
    """Scatter of codes coloured (and marked) by class, in random order, on equal axes, with
    each digit written at the median of its codes and a categorical legend.

    Args:
        codes: `(n, latent_dim)`, latent_dim >= 2.
        labels: `(n,)` integer classes (at most 10).
        dims: which two latent dimensions to plot.
    """
    codes = as_codes(codes, min_rows=1)
    if codes.shape[1] < 2:
        raise ValueError(f"`codes` must be (n, >=2). Received: codes.shape={codes.shape}")
    labels = as_labels(labels, len(codes))
    dims = _check_dims(dims, codes.shape[1])
    point_size = check_positive_number("point_size", point_size)
    classes = np.unique(labels)
    if len(classes) > len(CLASS_COLOURS):
        raise ValueError(
            f"`labels` must hold at most {len(CLASS_COLOURS)} classes, one colour each. "
            f"Received: labels with {len(classes)} classes"
        )
    figure, ax = _axes(ax)
    x, y = codes[:, dims[0]], codes[:, dims[1]]
    # Draw the points in random order, a slice at a time with every class in each slice, so
    # that no class hides under the ones drawn after it.
    order = np.random.default_rng(0).permutation(len(codes))
    for chunk in np.array_split(order, min(SCATTER_SLICES, len(order))):
        for index, label in enumerate(classes):
            member = chunk[labels[chunk] == label]
            ax.scatter(x[member], y[member], s=point_size, c=CLASS_COLOURS[index],
                       marker=CLASS_MARKERS[index], alpha=0.6, linewidths=0)
    for index, label in enumerate(classes):  # each digit written at the median of its codes
        member = labels == label
        ax.text(np.median(x[member]), np.median(y[member]), str(label), ha="center",
                va="center", fontweight="bold", color="white", zorder=6,
                bbox={"boxstyle": "circle,pad=0.2", "fc": CLASS_COLOURS[index], "ec": "none"})
    ax.axhline(0, color="black", lw=0.5)
    ax.axvline(0, color="black", lw=0.5)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel(f"z[{dims[0]}]")
    ax.set_ylabel(f"z[{dims[1]}]")
    handles = [
        Line2D([], [], ls="", marker=CLASS_MARKERS[index], color=CLASS_COLOURS[index],
               markersize=7, label=str(label))
        for index, label in enumerate(classes)
    ]
    ax.legend(handles=handles, title="digit", loc="center left", bbox_to_anchor=(1.0, 0.5))
    if title:
        ax.set_title(title)
    return figure


def tile_images(images, ncols: int) -> np.ndarray:
    """Arrange `(n, h, w)` images in [0, 1] in a mosaic with 1-pixel light-grey gaps between them.

    Returns:
        `(rows * (h + 1) - 1, ncols * (w + 1) - 1)` with `rows = ceil(n / ncols)`.
    """
    images = as_images(images)
    ncols = check_positive_int("ncols", ncols, maximum=MAX_COLUMNS)
    if images.ndim != 3:
        raise ValueError(
            "`images` must have shape (n >= 1, height, width). "
            f"Received: images.shape={images.shape}"
        )
    n, height, width = images.shape
    rows = -(-n // ncols)
    mosaic = np.full(
        (rows * (height + 1) - 1, ncols * (width + 1) - 1), TILE_GAP_VALUE, dtype=np.float32
    )
    for index, image in enumerate(images):
        top, left = (index // ncols) * (height + 1), (index % ncols) * (width + 1)
        mosaic[top : top + height, left : left + width] = image
    return mosaic


def plot_images(images, *, ncols: int = 10, ax=None, title=None, row_labels=None):
    """A grid of `(n, h, w)` images in [0, 1] as one mosaic.

    Args:
        row_labels: optional words for each row of the mosaic, written at its left (e.g.
            `["input", "2 codings", "8 codings"]`); one per row, `ceil(n / ncols)` in all.
    """
    images = as_images(images)
    ncols = min(check_positive_int("ncols", ncols), len(images))
    mosaic = tile_images(images, ncols)
    num_rows = -(-len(images) // ncols)
    if row_labels is not None:
        if isinstance(row_labels, str) or np.ndim(row_labels) != 1 or len(row_labels) != num_rows:
            raise ValueError(
                f"`row_labels` must be a list of {num_rows} labels, one per row of the mosaic. "
                f"Received: row_labels={row_labels!r}"
            )
    rows = mosaic.shape[0] / mosaic.shape[1] * ncols
    figure, ax = _axes(ax, figsize=(ncols * 0.8, max(rows * 0.8, 1.0)))
    ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    if row_labels is None:
        ax.set_axis_off()
    else:
        height = images.shape[1]
        ax.set_xticks([])
        ax.set_yticks([(height + 1) * row + (height - 1) / 2 for row in range(num_rows)],
                      [str(label) for label in row_labels])
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
    if title:
        ax.set_title(title)
    return figure


def plot_reconstructions(images, reconstructions, *, num_images: int = 10, ax=None, title=None):
    """Originals (top row) above their reconstructions (bottom row), both in [0, 1]."""
    images, reconstructions = as_images(images), as_images(reconstructions, "reconstructions")
    if images.shape != reconstructions.shape:
        raise ValueError(
            "`images` and `reconstructions` must have the same shape. Received: "
            f"{images.shape} and {reconstructions.shape}"
        )
    check_positive_int("num_images", num_images)
    num_images = min(num_images, len(images))
    stacked = np.concatenate([images[:num_images], reconstructions[:num_images]])
    return plot_images(stacked, ncols=num_images, ax=ax, title=title,
                       row_labels=["input", "output"])


def gaussian_grid(grid_size: int = 15, *, clip: float = 0.05) -> np.ndarray:
    """`grid_size` standard-normal quantiles from `clip` to `1 - clip` (never ±inf)."""
    grid_size = check_positive_int("grid_size", grid_size, maximum=MAX_GRID_SIZE)
    clip = check_fraction("clip", clip, below=0.5)
    return norm.ppf(np.linspace(clip, 1 - clip, grid_size))


def plot_manifold(decoder, *, grid_size: int = 15, extent=None, clip: float = 0.05,
                  dims=(0, 1), ax=None, title=None):
    """Decode a grid of latent points and tile the images where they sit.

    By default the grid is on standard-normal quantiles (`gaussian_grid`), the right grid for a
    VAE's N(0, I) prior; pass `extent=(x_min, x_max, y_min, y_max)` for an even grid over a box,
    e.g. a plain autoencoder's code range. Other latent dimensions are held at 0.
    """
    latent_dim = check_decoder("decoder", decoder)
    grid_size = check_positive_int("grid_size", grid_size, maximum=MAX_GRID_SIZE)
    clip = check_fraction("clip", clip, below=0.5)
    dims = _check_dims(dims, latent_dim)
    check_axes(ax)
    if extent is None:
        xs = ys = gaussian_grid(grid_size, clip=clip)
    else:
        extent = as_float_array(extent, "extent", finite=True)
        if extent.shape != (4,):
            raise ValueError(
                "`extent` must be 4 numbers (x_min, x_max, y_min, y_max). "
                f"Received: extent={extent.tolist()!r}"
            )
        xs = np.linspace(extent[0], extent[1], grid_size)
        ys = np.linspace(extent[2], extent[3], grid_size)
    z = np.zeros((grid_size * grid_size, latent_dim), dtype=np.float32)
    grid_x, grid_y = np.meshgrid(xs, ys[::-1])  # top row = largest y
    z[:, dims[0]], z[:, dims[1]] = grid_x.ravel(), grid_y.ravel()
    images = check_decoded_grey_levels(predict_in_batches(decoder, z))
    figure, ax = _axes(ax, figsize=(7, 7))
    mosaic = tile_images(images, grid_size)
    size = images.shape[1] + 1
    if extent is None:
        ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        ticks = np.arange(grid_size) * size + size / 2
        step = max(1, grid_size // 5)
        ax.set_xticks(ticks[::step], [f"{x:.1f}" for x in xs[::step]])
        ax.set_yticks(ticks[::step], [f"{y:.1f}" for y in ys[::-1][::step]])
    else:
        # Axes in latent units: each tile's centre sits at its grid point, so the ticks are
        # round latent values that can be matched with a scatter of the codes.
        ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest",
                  extent=_tile_extent(xs, ys, size, mosaic.shape), aspect="auto")
    ax.set_xlabel(f"z[{dims[0]}]")
    ax.set_ylabel(f"z[{dims[1]}]")
    if title:
        ax.set_title(title)
    return figure


def _tile_extent(xs, ys, size: int, shape) -> tuple[float, float, float, float]:
    """The latent `(left, right, bottom, top)` of a mosaic whose tile centres are the grid
    points `xs` (columns) and `ys` (rows, top row = largest y), `size` pixels apart."""
    centre = (size - 2) / 2  # pixel coordinate of the first tile's centre
    step_x = (xs[-1] - xs[0]) / max(len(xs) - 1, 1) / size if len(xs) > 1 else 1.0 / size
    step_y = (ys[-1] - ys[0]) / max(len(ys) - 1, 1) / size if len(ys) > 1 else 1.0 / size
    left = xs[0] - (centre + 0.5) * step_x
    right = left + shape[1] * step_x
    top = ys[-1] + (centre + 0.5) * step_y
    bottom = top - shape[0] * step_y
    return float(left), float(right), float(bottom), float(top)


def sample_prior(decoder, num_samples: int, *, seed: int = 0) -> np.ndarray:
    """Decode `num_samples` draws from N(0, I): images `(num_samples, *image_shape)`."""
    latent_dim = check_decoder("decoder", decoder)
    num_samples = check_positive_int("num_samples", num_samples, maximum=MAX_DECODED)
    rng = np.random.default_rng(check_seed("seed", seed))
    z = rng.standard_normal((num_samples, latent_dim)).astype(np.float32)
    return predict_in_batches(decoder, z)


def plot_samples(decoder, *, num_samples: int = 30, ncols: int = 10, seed: int = 0, ax=None,
                 title="Samples from the prior N(0, I)"):
    """Decode draws from the prior and show them."""
    check_axes(ax)
    images = check_decoded_grey_levels(sample_prior(decoder, num_samples, seed=seed))
    return plot_images(images, ncols=ncols, ax=ax, title=title)


def plot_interpolation(decoder, z_start, z_end, *, steps: int = 10, ax=None, title=None):
    """Decode `steps` evenly spaced points on the line from `z_start` to `z_end`."""
    latent_dim = check_decoder("decoder", decoder)
    z_start = as_float_array(z_start, "z_start", np.float32, finite=True)
    z_end = as_float_array(z_end, "z_end", np.float32, finite=True)
    if z_start.shape != (latent_dim,) or z_end.shape != z_start.shape:
        raise ValueError(
            f"`z_start` and `z_end` must have shape ({latent_dim},). "
            f"Received: {z_start.shape} and {z_end.shape}"
        )
    check_positive_int("steps", steps, maximum=MAX_COLUMNS)
    check_axes(ax)
    weights = np.linspace(0, 1, steps, dtype=np.float32)[:, None]
    images = predict_in_batches(decoder, (1 - weights) * z_start + weights * z_end)
    check_decoded_grey_levels(images)
    return plot_images(images, ncols=steps, ax=ax, title=title)


def plot_history(history, *, keys=None, labels=None, ax=None, title=None):
    """Training curves from a Keras `History` (or its `.history` dict), in nats per image.

    Each key is drawn solid ("training", the average over the epoch's batches while the model
    changed) and its validation curve (`val_*`) dashed in the same colour ("held-out", measured
    at the end of the epoch). `labels` maps keys to the words in the legend (default:
    `HISTORY_LABELS`, else the key itself).
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError(
            "`history` must be a Keras History or a non-empty dict of lists, e.g. the result of "
            f"`model.fit`. Received: history={_short(history)}"
        )
    if keys is not None and not isinstance(keys, (list, tuple)):
        example = [keys] if isinstance(keys, str) else ["loss"]
        raise ValueError(
            f"`keys` must be a list of keys, e.g. {example!r}. Received: keys={keys!r}"
        )
    keys = keys or [key for key in logs if not key.startswith("val_")]
    missing = [key for key in keys if key not in logs]
    if missing:
        raise ValueError(
            f"`keys` must be keys of the history, {sorted(logs)}. Received: keys={keys!r}, "
            f"of which {missing} are not in it"
        )
    if labels is not None and not isinstance(labels, dict):
        raise ValueError(
            f"`labels` must be a dict {{key: words}}. Received: labels of type "
            f"{type(labels).__name__}"
        )
    names = {**HISTORY_LABELS, **(labels or {})}
    figure, ax = _axes(ax, figsize=(6, 4))
    for index, key in enumerate(keys):
        values = _history_curve(logs, key)
        epochs = np.arange(1, len(values) + 1)
        colour = method_colour(key, index)
        name = names.get(key, key)
        ax.plot(epochs, values, color=colour, label=f"{name}, training")
        if f"val_{key}" in logs:
            ax.plot(epochs, _history_curve(logs, f"val_{key}"), ls="--", color=colour,
                    label=f"{name}, held-out")
    ax.set_xlabel("epoch")
    ax.set_ylabel(LOSS_LABEL)
    ax.legend()
    if title:
        ax.set_title(title)
    return figure


def _history_curve(logs: dict, key: str) -> np.ndarray:
    """The values of `logs[key]`, one per epoch (NaN allowed: a diverged run is worth seeing)."""
    values = as_float_array(logs[key], f"history[{key!r}]")
    if values.ndim != 1:
        raise ValueError(
            f"`history[{key!r}]` must be a list of one value per epoch. "
            f"Received: history[{key!r}]={logs[key]!r}"
        )
    return values


def plot_curve_fits(points, fits, *, ax=None, title=None, reference=None,
                    reference_label="true curve"):
    """2-D data with each method's 1-D reconstruction drawn as a line through it.

    Args:
        points: `(n, 2)` data.
        fits: `{name: (codes, reconstructions)}` with codes `(n,)` or `(n, 1)` and
            reconstructions `(n, 2)`; each line is drawn in the order of its codes.
        reference: optional `(m, 2)` points of the curve the data was drawn from, in order,
            drawn as a thin black dashed line labelled `reference_label`.
    """
    points = as_codes(points, "points", min_rows=1)
    if points.shape[1] != 2:
        raise ValueError(f"`points` must have shape (n, 2). Received: points.shape={points.shape}")
    if not isinstance(fits, dict):
        raise ValueError(
            f"`fits` must be a dict {{name: (codes, reconstructions)}}. "
            f"Received: fits of type {type(fits).__name__}"
        )
    if len(fits) > MAX_METHODS:
        raise ValueError(f"`fits` can hold at most {MAX_METHODS} methods. Received: {len(fits)}")
    curves = {name: _fitted_curve(name, fit, len(points)) for name, fit in fits.items()}
    if reference is not None:
        reference = as_codes(reference, "reference", min_rows=2)
        if reference.shape[1] != 2:
            raise ValueError(
                f"`reference` must have shape (m, 2). Received: reference.shape={reference.shape}"
            )
    figure, ax = _axes(ax, figsize=(6, 5))
    ax.scatter(points[:, 0], points[:, 1], s=6, c=BACKGROUND_COLOUR, label="data")
    for index, (name, curve) in enumerate(curves.items()):
        ax.plot(curve[:, 0], curve[:, 1], lw=2.5, color=method_colour(str(name), index), label=name)
    if reference is not None:
        ax.plot(reference[:, 0], reference[:, 1], color="black", ls="--", lw=1, zorder=5,
                label=reference_label)
    ax.set_aspect("equal")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.legend()
    if title:
        ax.set_title(title)
    return figure


def _fitted_curve(name, fit, num_points: int) -> np.ndarray:
    """One entry of `plot_curve_fits`'s `fits`: its reconstructions in the order of its codes."""
    label = f"fits[{name!r}]"
    if not isinstance(fit, (tuple, list)) or len(fit) != 2:
        raise ValueError(
            f"`{label}` must be a pair (codes, reconstructions). "
            f"Received: {label} of type {type(fit).__name__}"
        )
    codes = as_float_array(fit[0], f"{label}[0] (codes)", finite=True)
    reconstructions = as_float_array(fit[1], f"{label}[1] (reconstructions)", finite=True)
    if codes.size != num_points or codes.ndim > 2 or reconstructions.shape != (num_points, 2):
        raise ValueError(
            f"`{label}` must be codes (n,) or (n, 1) and reconstructions (n, 2) for the "
            f"n={num_points} points. Received: codes.shape={codes.shape}, "
            f"reconstructions.shape={reconstructions.shape}"
        )
    return reconstructions[np.argsort(codes.reshape(-1))]


def plot_class_shares(shares, *, classes=None, ax=None, title=None):
    """Grouped bars of class shares, one group per class, with the even share dashed.

    Args:
        shares: `{name: (num_classes,) shares}`, each summing to 1, e.g.
            `class_area_shares(...)["shares"]` or `digit_likeness(...)["class_shares"]`.
        classes: `(num_classes,)` labels for the x axis; default `0 .. num_classes - 1`.
    """
    if not isinstance(shares, dict) or not shares:
        raise ValueError(
            "`shares` must be a non-empty dict {name: (num_classes,) shares}. "
            f"Received: shares={_short(shares)}"
        )
    arrays = {name: as_float_array(values, f"shares[{name!r}]", finite=True)
              for name, values in shares.items()}
    sizes = {values.shape for values in arrays.values()}
    if len(sizes) != 1 or len(next(iter(sizes))) != 1 or next(iter(sizes))[0] == 0:
        raise ValueError(
            f"Every entry of `shares` must be 1-D and non-empty, with the same length. "
            f"Received shapes: {sorted(sizes)}"
        )
    for name, values in arrays.items():
        if values.min() < 0 or values.max() > 1:
            raise ValueError(
                f"`shares[{name!r}]` must be shares in [0, 1]. "
                f"Received: values in [{values.min():g}, {values.max():g}]"
            )
    if len(arrays) > MAX_METHODS:
        raise ValueError(
            f"`shares` can hold at most {MAX_METHODS} entries. Received: {len(arrays)}"
        )
    num_classes = next(iter(sizes))[0]
    classes = np.arange(num_classes) if classes is None else np.asarray(classes)
    if classes.shape != (num_classes,):
        raise ValueError(
            f"`classes` must have shape ({num_classes},). Received: classes.shape={classes.shape}"
        )
    figure, ax = _axes(ax, figsize=(7, 3.5))
    width = 0.8 / len(arrays)
    positions = np.arange(num_classes)
    for index, (name, values) in enumerate(arrays.items()):
        ax.bar(positions + (index - (len(arrays) - 1) / 2) * width, values, width,
               color=method_colour(str(name), index), label=name)
    ax.axhline(1 / num_classes, color="black", ls="--", lw=1, label="even share")
    ax.set_xticks(positions, [str(c) for c in classes])
    ax.set_xlabel("digit")
    ax.set_ylabel("share")
    ax.legend()
    if title:
        ax.set_title(title)
    return figure


TYPICALITY_LABEL = "Mahalanobis distance to the nearest digit class (lower = nearer a class mean)"


def plot_typicality(distances, *, references=None, ax=None, title=None, xlabel=None):
    """Box plots of `DigitTypicality` distances, one per named set of images.

    Lower means nearer the mean of some digit class — not more realistic: blurry images score
    lower than crisp real digits, so draw real digits (and noise) as sets of their own to
    show the scale. The boxes span the middle half of each set, whiskers the 5th to 95th
    percentiles; outliers are not drawn.

    Args:
        distances: `{name: (n,) distances}`, drawn top to bottom in the dict's order.
        references: optional `{name: value}`, e.g. the medians for real digits and for noise,
            drawn as labelled vertical dashed lines.
        xlabel: the x-axis label; default `TYPICALITY_LABEL`.
    """
    if not isinstance(distances, dict) or not distances:
        raise ValueError(
            "`distances` must be a non-empty dict {name: (n,) distances}. "
            f"Received: distances={_short(distances)}"
        )
    arrays = [as_float_array(values, f"distances[{name!r}]", finite=True).reshape(-1)
              for name, values in distances.items()]
    empty = [name for name, values in zip(distances, arrays, strict=True) if len(values) == 0]
    if empty:
        raise ValueError(
            f"Every entry of `distances` must hold at least one value. Received: "
            f"distances[{empty[0]!r}] with none"
        )
    if references is not None and not isinstance(references, dict):
        raise ValueError(
            "`references` must be a dict {name: value}. "
            f"Received: references of type {type(references).__name__}"
        )
    references = {
        name: check_positive_number(f"references[{name!r}]", value, allow_zero=True)
        for name, value in (references or {}).items()
    }
    names = list(distances)
    figure, ax = _axes(ax, figsize=(7, 0.5 * len(names) + 1.5))
    positions = np.arange(len(names))[::-1]
    # `orientation` replaced `vert` in Matplotlib 3.10; keep both working.
    horizontal = (
        {"orientation": "horizontal"}
        if "orientation" in inspect.signature(ax.boxplot).parameters
        else {"vert": False}
    )
    ax.boxplot(arrays, positions=positions, whis=(5, 95), showfliers=False, widths=0.6,
               medianprops={"color": "black"}, **horizontal)
    ax.set_yticks(positions, names)
    for index, (name, value) in enumerate(references.items()):
        ax.axvline(value, color=method_colour(str(name), index), ls="--", lw=1.5,
                   label=f"{name} (median {value:.1f})")
    if references:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_xlabel(TYPICALITY_LABEL if xlabel is None else xlabel)
    if title:
        ax.set_title(title)
    return figure
