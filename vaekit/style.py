"""One look for every figure of the course: one width, one font size, fixed colours.

Every lesson's Setup cell calls `use_course_style()`. Figures are `FIGURE_WIDTH` inches wide
(a notebook column at 100 % zoom), so text is the same size in every figure; in a notebook they
are drawn at twice the resolution, crisp on high-DPI screens. Colours have one meaning across
the course: `CLASS_COLOURS[d]` is digit `d` (no grey, each with its own marker), and
`method_colour(name)` gives each method, sampler or data set the same colour in every lesson.
"""

from __future__ import annotations

import numbers

import matplotlib as mpl

FIGURE_WIDTH = 9.0  # inches
FONT_SIZE = 11  # points

# Paul Tol's colour-blind-safe "muted" palette, with orange in place of its grey, so that no
# digit reads as the grey of background points or gaps; each digit also has its own marker.
CLASS_COLOURS = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
    "#DDCC77", "#CC6677", "#882255", "#AA4499", "#EE7733",
)
CLASS_MARKERS = ("o", "s", "^", "v", "D", "P", "X", "<", ">", "*")

# Paul Tol's "bright" palette: the colour cycle, and the fixed colour of each method.
CYCLE_COLOURS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377")
BACKGROUND_COLOUR = "#BBBBBB"  # data drawn behind what a figure is about
METHOD_COLOURS = {
    "autoencoder": "#4477AA",
    "VAE": "#EE6677",
    "PCA": "#228833",
    "Kernel PCA": "#CCBB44",
    "conditional VAE": "#AA3377",
    "convolutional VAE": "#AA3377",
    "real digits": "#000000",
    "AE + box": "#CCBB44",
    "AE + Gaussian": "#66CCEE",
    "AE + mixture": "#4477AA",
    "VAE + prior": "#EE6677",
    "VAE + q(z)": "#AA3377",
}


def method_colour(name: str, index: int = 0) -> str:
    """The course colour of a method (`METHOD_COLOURS`); other names take the `index`-th
    colour of the cycle."""
    if not isinstance(name, str):
        raise TypeError(f"`name` must be a string. Received: name={name!r}")
    if not isinstance(index, numbers.Integral) or isinstance(index, bool) or index < 0:
        raise ValueError(f"`index` must be an integer >= 0. Received: index={index!r}")
    if name in METHOD_COLOURS:
        return METHOD_COLOURS[name]
    return CYCLE_COLOURS[index % len(CYCLE_COLOURS)]


def course_rc() -> dict:
    """The Matplotlib settings of the course style (see the module docstring)."""
    return {
        "figure.figsize": (FIGURE_WIDTH, FIGURE_WIDTH * 0.4),
        "figure.dpi": 100,
        "figure.constrained_layout.use": True,
        "font.size": FONT_SIZE,
        "axes.titlesize": FONT_SIZE,
        "axes.labelsize": FONT_SIZE,
        "xtick.labelsize": FONT_SIZE - 1,
        "ytick.labelsize": FONT_SIZE - 1,
        "legend.fontsize": FONT_SIZE - 1,
        "legend.title_fontsize": FONT_SIZE - 1,
        "axes.prop_cycle": mpl.cycler(color=CYCLE_COLOURS),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "image.interpolation": "nearest",
        "lines.linewidth": 1.8,
    }


def use_course_style() -> None:
    """Apply the course style to every figure drawn after this call; in a notebook, also draw
    inline figures at twice the resolution ("retina" PNG)."""
    mpl.rcParams.update(course_rc())
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing inline to configure
        return
    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")
