"""The course style: one figure width and font size, digits and methods with fixed colours."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from vaekit import plotting, style

pytestmark = pytest.mark.backend_independent


def _grey(colour: str) -> bool:
    red, green, blue = matplotlib.colors.to_rgb(colour)
    return max(red, green, blue) - min(red, green, blue) < 0.1


def test_use_course_style_sets_one_width_and_font_size():
    with matplotlib.rc_context():
        style.use_course_style()
        figure = plt.figure()
        assert figure.get_figwidth() == style.FIGURE_WIDTH
        assert matplotlib.rcParams["font.size"] == style.FONT_SIZE
        assert matplotlib.rcParams["figure.constrained_layout.use"]
        plt.close(figure)


def test_default_colour_cycle_is_the_course_palette():
    with matplotlib.rc_context():
        style.use_course_style()
        figure, ax = plt.subplots()
        (line,) = ax.plot([0, 1])
        assert line.get_color() == style.CYCLE_COLOURS[0]
        plt.close(figure)


def test_digit_palette_has_ten_distinct_colours_none_grey_and_ten_markers():
    assert len(set(style.CLASS_COLOURS)) == 10
    assert not [colour for colour in style.CLASS_COLOURS if _grey(colour)]
    assert len(set(style.CLASS_MARKERS)) == 10


def test_method_colour_is_fixed_for_known_methods_and_cycles_for_others():
    assert style.method_colour("VAE") == style.method_colour("VAE", index=3)
    assert style.method_colour("VAE") != style.method_colour("autoencoder")
    assert style.method_colour("something new", 1) == style.CYCLE_COLOURS[1]


@pytest.mark.parametrize("name, index", [(3, 0), ("x", "a"), ("x", -1), ("x", True), ("x", 1.5)])
def test_method_colour_refuses_a_bad_name_or_index_by_name(name, index):
    with pytest.raises((TypeError, ValueError), match="name|index"):
        style.method_colour(name, index)


def test_method_colour_takes_numpy_integers():
    assert style.method_colour("x", np.int64(2)) == style.CYCLE_COLOURS[2]


def test_latent_scatter_interleaves_classes_so_none_is_drawn_last_alone():
    rng = np.random.default_rng(0)
    codes = rng.normal(size=(600, 2))
    labels = np.repeat(np.arange(3), 200)
    figure = plotting.plot_latent_scatter(codes, labels)
    ax = figure.axes[0]
    drawn = [collection for collection in ax.collections if len(collection.get_offsets())]
    colours = [matplotlib.colors.to_hex(c.get_facecolor()[0]) for c in drawn]
    last_third = colours[-len(colours) // 3:]
    assert len(set(last_third)) == 3, "the last points drawn should belong to every class"
    assert sum(len(c.get_offsets()) for c in drawn) == 600
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["0", "1", "2"]
    assert ax.get_aspect() == 1.0
    plt.close(figure)
