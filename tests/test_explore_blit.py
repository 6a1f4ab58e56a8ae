"""Blitted steps show what a full redraw shows, pixel for pixel, for every explorer."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from PIL import Image

from benchmarks.explorers import control_values
from nblib.explore import explorers
from nblib.explore.base import LIFT, Explorer
from nblib.explore.classifier import ClassifierExplorer
from nblib.explore.digits import DigitsExplorer
from nblib.explore.learning import SlowdownExplorer
from nblib.explore.png import png_rgba
from nblib.explore.sigmoid import SigmoidExplorer

MOVES = 6
#: Controls left out of the random moves: each new (hidden, η) pair trains for seconds, each
#: new (η, seed) of the digits about a second.
SLOW = {ClassifierExplorer: {"hidden", "eta"}, DigitsExplorer: {"eta", "seed"}}


def attached(cls: type[Explorer]) -> tuple[Explorer, list[bytes]]:
    """An explorer serving a page: every step renders and sends a frame, recorded here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        explorer = cls()
    frames: list[bytes] = []
    explorer.canvas.send_binary = frames.append
    explorer.canvas.syncing_data_url = False  # as after the page's "initialized" message
    return explorer, frames


def shown(explorer: Explorer) -> np.ndarray:
    """The pixels the canvas holds (what its last frame showed)."""
    return np.asarray(explorer.canvas.get_renderer().buffer_rgba()).copy()


def saved(explorer: Explorer, dpi: float | None = None) -> np.ndarray:
    """A full render of the same state by savefig, which draws every artist."""
    buffer, stale = io.BytesIO(), explorer.figure.stale
    explorer.figure.savefig(buffer, format="png", dpi=dpi or explorer.dpi)
    explorer.figure.stale = stale  # as png() does: a save leaves the cache valid
    return np.asarray(Image.open(buffer).convert("RGBA"))


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def plain_agg(explorer: Explorer) -> np.ndarray:
    """A full render of the same state by matplotlib's own Agg renderer, as a save draws it
    (every artist, each glyph rasterised anew: no glyph cache)."""
    canvas = explorer.canvas
    renderer = RendererAgg(*canvas.get_width_height(physical=True), explorer.figure.dpi)
    stale = explorer.figure.stale
    with cbook._setattr_cm(canvas, _is_saving=True):  # a save draws the animated artists
        explorer.figure.draw(renderer)
    explorer.figure.stale = stale
    return np.asarray(renderer.buffer_rgba()).copy()


def count_full_redraws(explorer: Explorer) -> list[None]:
    """Record each full redraw of the canvas (each re-cache of its background)."""
    calls: list[None] = []
    render = explorer.canvas.render

    def counted() -> None:
        """The canvas's full redraw, recorded."""
        calls.append(None)
        render()

    explorer.canvas.render = counted
    return calls


def limits(explorer: Explorer) -> list[tuple[float, ...]]:
    """Every axis limit of the figure."""
    return [(*ax.get_xlim(), *ax.get_ylim()) for ax in explorer.figure.axes]


@pytest.mark.parametrize("cls", explorers(), ids=lambda cls: cls.__name__)
def test_blitted_canvas_equals_a_full_redraw(cls):
    explorer, frames = attached(cls)
    rng = np.random.default_rng(sum(map(ord, cls.__name__)))
    names = [name for name in explorer.controls if name not in SLOW.get(cls, ())]
    redraws = count_full_redraws(explorer)
    moved = 0
    while moved < MOVES:
        name = names[rng.integers(len(names))]
        values = control_values(explorer.controls[name], 8)
        value = values[rng.integers(len(values))]
        if value == explorer.value(name):
            continue
        before, drawn = limits(explorer), len(redraws)
        explorer.set(**{name: value})
        moved += 1
        # Only a moved limit may cost a full redraw; any other is a static artist that
        # update() changed without animate().
        assert len(redraws) == drawn or limits(explorer) != before, (name, value)
    assert len(frames) >= MOVES  # every move was shown (a preset may move several controls)
    np.testing.assert_array_equal(shown(explorer), saved(explorer))
    np.testing.assert_array_equal(shown(explorer), plain_agg(explorer))


def test_a_step_that_moves_nothing_static_is_blitted():
    explorer, frames = attached(SigmoidExplorer)
    explorer.set(z0=2.0)  # the page's first frame is a full one
    redraws = count_full_redraws(explorer)
    before = shown(explorer)
    explorer.set(z0=-3.0)
    assert redraws == [] and len(frames) == 2
    diff = np.asarray(Image.open(io.BytesIO(frames[1])))
    changed = (shown(explorer) != before).any(axis=2)
    # A diff frame: the changed pixels, and transparent zeros everywhere else.
    assert changed.any() and (diff[~changed] == 0).all()
    np.testing.assert_array_equal(diff[changed], shown(explorer)[changed])


def test_a_moved_limit_redraws_in_full_and_caches_again():
    explorer, _ = attached(SlowdownExplorer)
    redraws = count_full_redraws(explorer)
    explorer.set(rule="cross_entropy")  # C(0) = −ln(1 − σ(1.5)) = 1.70: top 0.375 → 2
    assert len(redraws) == 1 and explorer.ax_cost.get_ylim() == (0.0, 2.0)
    explorer.set(epochs=350)  # the same run: blitted on the new background
    assert len(redraws) == 1 and explorer.canvas.blit_valid()
    np.testing.assert_array_equal(shown(explorer), saved(explorer))


def test_a_new_pixel_ratio_redraws_in_full_at_the_new_size():
    explorer, _ = attached(SigmoidExplorer)
    redraws = count_full_redraws(explorer)
    explorer.canvas._handle_set_device_pixel_ratio(2)  # a HiDPI page
    explorer.set(z0=2.0)
    assert len(redraws) == 1
    np.testing.assert_array_equal(shown(explorer), saved(explorer, dpi=explorer.figure.dpi))
    assert shown(explorer).shape[:2] == (900, 1500)
    # The picture keeps its own resolution, whatever the page's.
    np.testing.assert_array_equal(decoded(explorer.png()), saved(explorer))
    assert decoded(explorer.png()).shape[:2] == (450, 750)


def test_a_redraw_the_page_asks_for_is_complete():
    explorer, frames = attached(SigmoidExplorer)
    explorer.canvas.handle_draw({"type": "draw"})  # the page's "draw" request
    assert len(frames) == 1
    np.testing.assert_array_equal(shown(explorer), saved(explorer))


def test_the_static_picture_is_a_full_render_of_the_current_state():
    explorer, _ = attached(SigmoidExplorer)
    explorer.set(z0=-5.0)
    picture = saved(explorer)
    # Without the moving layer the picture would differ: the point, tangent and readout.
    FigureCanvasAgg.draw(explorer.canvas)
    assert (picture != shown(explorer)).any()


@pytest.mark.parametrize("cls", [SigmoidExplorer, SlowdownExplorer])
def test_the_picture_is_what_a_save_draws_whether_or_not_the_canvas_is_current(cls):
    explorer = cls()  # built and rendered once: the picture is that render, encoded
    assert explorer.canvas.current
    np.testing.assert_array_equal(decoded(explorer.png()), saved(explorer))
    # No page attached: a control moves the artists and nothing is drawn, so the buffer
    # is behind and the picture must be rendered afresh.
    name, control = next(iter(explorer.controls.items()))
    explorer.set(**{name: control_values(control)[-1]})
    assert not explorer.canvas.current
    behind = shown(explorer)
    picture = decoded(explorer.png())
    assert (picture != behind).any()
    np.testing.assert_array_equal(picture, saved(explorer))


def test_a_static_artist_above_the_moving_layer_is_refused():
    class Covered(SigmoidExplorer):
        def build(self, fig):
            """The sigmoid figure with a static text above the moving layer."""
            super().build(fig)
            self.ax_sigma.text(0, 0, "over", zorder=LIFT + 1)

    with pytest.raises(ValueError, match="animate it or lower it"):
        Covered()


def test_png_rgba_round_trips():
    pixels = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png_rgba(pixels)))), pixels)
