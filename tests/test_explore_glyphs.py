"""Text drawn from remembered glyphs is matplotlib's Agg text, pixel for pixel.

The oracle is matplotlib's own RendererAgg, which rasterises every glyph at every draw.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.transforms import IdentityTransform

from nblib.explore import glyphs
from nblib.explore.glyphs import GlyphRenderer

STRINGS = ("c = 1.334   H(a) = 0.8196 nats", "0.305", "−2.303", "z₀ = 5.75   σ′(z₀) = 0.0032",
           "∂C/∂w₁ = +9.248e-02 · x₁", "Δw = Δb = -0.01829", "ln 4\nc → 0",
           "KL(y‖a) ≥ 0, ¼, ⅞", r"$a_j = \exp(c\,z_j)\,/\,\Sigma_k\,\exp(c\,z_k)$",
           r"$\frac{\partial a_j}{\partial z_k} = a_j(\delta_{jk} - a_k)$", r"$\sqrt{2}$")


def text_figure(seed: int) -> Figure:
    """Texts at random fractional positions, sizes, angles, colours and alignments."""
    rng = np.random.default_rng(seed)
    figure = Figure(figsize=(6.0, 4.0), dpi=100)
    FigureCanvasAgg(figure)
    for string in STRINGS * 3:
        figure.text(rng.uniform(0.05, 0.8), rng.uniform(0.05, 0.9), string,
                    fontsize=rng.choice([9.0, 10.0, 12.5]),
                    rotation=rng.choice([0, 0, 30, 90, -45]),
                    color=rng.choice(["k", "C3", "0.4"]), alpha=rng.choice([1.0, 0.6]),
                    ha=rng.choice(["left", "center", "right"]), va=rng.choice(["bottom", "top"]))
    return figure


def rendered(figure: Figure, renderer: RendererAgg) -> np.ndarray:
    """The figure drawn by ``renderer``, as RGBA pixels."""
    renderer.clear()
    figure.draw(renderer)
    return np.asarray(renderer.buffer_rgba()).copy()


@pytest.mark.parametrize("seed", range(3))
def test_cached_glyphs_draw_exactly_what_agg_draws(seed):
    assert glyphs.SUPPORTED  # this matplotlib has the FreeType calls the cache stands in for
    figure = text_figure(seed)
    size = (600, 400, 100)
    cached = GlyphRenderer(*size)
    first = rendered(figure, cached)  # rasterised and remembered
    again = rendered(figure, cached)  # drawn from memory
    agg = rendered(figure, RendererAgg(*size))
    assert (agg != 255).any()  # something was drawn
    np.testing.assert_array_equal(first, agg)
    np.testing.assert_array_equal(again, agg)


def test_a_glyph_moved_by_whole_pixels_is_the_remembered_bitmap_moved():
    figure = Figure(figsize=(3.0, 1.0), dpi=100)
    FigureCanvasAgg(figure)
    text = figure.text(0.1037, 0.31, "0.305", fontsize=10)
    cached, agg = GlyphRenderer(300, 100, 100), RendererAgg(300, 100, 100)
    rendered(figure, cached)
    hits = len(glyphs._GLYPHS)
    text.set_position((0.1037 + 7 / 300, 0.31 + 3 / 100))  # 7 and 3 whole pixels on
    np.testing.assert_array_equal(rendered(figure, cached), rendered(figure, agg))
    assert len(glyphs._GLYPHS) == hits  # no glyph was rasterised again


def test_glyphs_remembered_on_one_canvas_land_right_on_a_canvas_of_another_height():
    def figure_of_height(inches: float) -> Figure:
        """The same texts at the same pixels from the bottom, on a figure of that height."""
        figure = Figure(figsize=(6.0, inches), dpi=100)
        FigureCanvasAgg(figure)
        for k, string in enumerate(STRINGS[:6]):
            figure.text(20.3 + 7 * k, 30.6 + 45 * k, string, transform=IdentityTransform())
        return figure

    rendered(figure_of_height(4.0), GlyphRenderer(600, 400, 100))  # remembers the glyphs
    taller = figure_of_height(5.0)
    np.testing.assert_array_equal(rendered(taller, GlyphRenderer(600, 500, 100)),
                                  rendered(taller, RendererAgg(600, 500, 100)))


def test_the_cache_starts_again_beyond_its_limit():
    cache = glyphs._Cache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.put("c", 3) == 3
    assert dict(cache) == {"c": 3}
