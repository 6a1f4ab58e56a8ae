"""The one pattern behind every interactive figure in the book.

An :class:`Explorer` builds its matplotlib figure once, on an ipympl canvas, with
ipywidgets controls beside it. Moving a control calls :meth:`Explorer.update`, which changes
the existing artists in place (new data, new text); nothing is re-created.

A step is blitted. The artists that move are declared in ``build`` with
:meth:`Explorer.animate`; everything else (axes, ticks, labels, legends) is rendered once
into a cached background. A step restores that background, draws only the moving artists
on top and hands the canvas to ipympl, which sends the browser only the pixels that
changed. Moving artists are lifted above every static artist (``zorder + LIFT``), so a full
render (``png()``, a resize, a redraw the page asks for) stacks them exactly as a step does.
If ``update`` changes anything static (an axis limit, a tick label) the figure is stale,
and the step falls back to one full redraw, which re-caches the background; so does a new
renderer (a resize or a change of the browser's pixel ratio).

Displayed in a notebook it is a single output whose MIME bundle carries

* the live widget view (JupyterLab shows the controls and the figure),
* a PNG of the default state (GitHub, nbviewer and exported HTML show the picture), and
* a one-line text description that is the same on every run (nbval compares it).

The canvas's ``_data_url`` is set to the same PNG, so the widget state that nbclient stores
in the notebook lets JupyterLab draw the picture before any cell has run. In a browser,
ipympl's page copies the picture it shows into ``_data_url`` one frame late (the widget
state JupyterLab saves with a notebook keeps that copy): once the figure has settled, one
more frame brings the copy up to date, so a saved notebook reopens on the picture last seen.
"""

from __future__ import annotations

import asyncio
import base64
import io
import itertools
import warnings
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from ipympl.backend_nbagg import Canvas, FigureManager
from matplotlib import image as mpl_image
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import Container
from matplotlib.figure import Figure

from nblib.explore.glyphs import GlyphRenderer
from nblib.explore.png import png_rgba

_figure_numbers = itertools.count(1)

#: Added to the zorder of every moving artist: the moving layer lies above all static ones.
LIFT = 100


class BlitCanvas(Canvas):
    """An ipympl canvas whose frames are a cached static background plus a moving layer.

    Every frame it sends is a complete picture of the figure: :meth:`draw` (asked for by
    the page, or by a fallback) renders the static artists, caches them and draws the moving
    layer on top; :meth:`step` restores the cache and draws only the moving layer.
    """

    def __init__(self, figure: Figure) -> None:
        """A canvas for ``figure`` with no moving artists and no cached background yet."""
        super().__init__(figure)
        self.moving: list[Artist] = []
        self._background = None
        self._background_renderer = None
        self._order: list[Artist] = []
        #: Whether the Agg buffer shows the figure as it stands (cleared when a control moves
        #: an artist, set by each render and step): then a picture is the buffer, encoded.
        self.current = False

    def get_renderer(self) -> GlyphRenderer:
        """Agg's renderer for the canvas's size and dpi, drawing text from cached glyphs."""
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = GlyphRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer

    def render(self) -> None:
        """Full render into the Agg buffer (nothing sent): static, cached, then moving."""
        FigureCanvasAgg.draw(self)  # animated artists are left out of a draw that is no save
        renderer = self.get_renderer()
        self._background = renderer.copy_from_bbox(self.figure.bbox)
        self._background_renderer = renderer
        self._order = _draw_order(self.figure)
        self._draw_moving()
        self.current = True

    def draw(self) -> None:
        """Full redraw, re-cache the background, and send the frame to the page."""
        self._png_is_old = True
        try:
            self.render()
        finally:
            self.manager.refresh_all()

    def blit_valid(self) -> bool:
        """True if a step may blit: the cache exists and nothing static has changed since."""
        return (self._background is not None and not self.figure.stale
                and self.get_renderer() is self._background_renderer)

    def step(self) -> None:
        """Show the current state: blit if the background is valid, else redraw in full."""
        if not self.blit_valid():
            self.draw()
            return
        self._background_renderer.restore_region(self._background)
        self._draw_moving()
        self.current = True
        self.blit(self.figure.bbox)  # marks the image new and sends the changed pixels

    def _draw_moving(self) -> None:
        """Paint the moving layer over what the renderer holds, in a full draw's order."""
        renderer = self.get_renderer()
        for artist in self._order:
            artist.draw(renderer)

    def get_diff_image(self) -> bytes | None:
        """The frame ipympl sends: matplotlib's webagg rule, with a faster PNG encoder.

        As in ``FigureCanvasWebAggCore.get_diff_image``: a full frame when forced, resized
        or transparent, else a diff frame whose unchanged pixels are transparent (the page
        draws it over the last one). The PNG is written unfiltered at zlib level 1, which
        takes a third of the time of PIL's adaptive filters for the same mostly empty frame.
        """
        if not self._png_is_old:
            return None
        pixels = np.asarray(self.get_renderer().buffer_rgba())
        buff = pixels.view(np.uint32).squeeze(2)
        if (self._force_full or buff.shape != self._last_buff.shape
                or (pixels[:, :, 3] != 255).any()):
            self.set_image_mode("full")
            changed = None
        else:
            self.set_image_mode("diff")
            changed = buff != self._last_buff
        frame = png_rgba(pixels, changed)
        self._last_buff = buff.copy()
        self._force_full = False
        self._png_is_old = False
        return frame


def _draw_order(figure: Figure) -> list[Artist]:
    """The animated artists in the order a full draw (a save) would paint them.

    Top-level artists by zorder, each Axes's children by zorder; the sorts are stable,
    as in ``Figure.draw`` and ``Axes.draw``.
    """
    order = []
    top = sorted((a for a in figure.get_children() if a is not figure.patch),
                 key=lambda a: a.get_zorder())
    for artist in top:
        if isinstance(artist, Axes):
            order.extend(a for a in sorted(artist.get_children(), key=lambda a: a.get_zorder())
                         if a.get_animated())
        elif artist.get_animated():
            order.append(artist)
    return order


def _artists(items: Any) -> list[Artist]:
    """Flatten an artist, a container (bars) or a list of them into a list of artists."""
    if isinstance(items, Artist):
        return [items]
    if isinstance(items, Container | list | tuple):
        return [a for item in items for a in _artists(item)]
    raise TypeError(f"animate: expected artists, got {type(items).__name__}")


class Explorer:
    """Base class: subclasses define ``controls``, ``build`` and ``update``.

    Subclasses set ``title`` and implement:

    * ``make_controls() -> dict[str, Widget]``: the controls, keyed by name;
    * ``build(fig)``: create axes and artists once, storing the artists on ``self``;
    * ``update()``: read ``self.value(name)`` and move the artists.
    """

    title = "Explorer"
    figsize = (7.5, 4.0)
    dpi = 100
    # Seconds without a change after which the browser's copy of the picture is refreshed.
    settle = 0.3

    def __init__(self, **initial: Any) -> None:
        """Controls (``initial`` values applied), the figure built, laid out and cached."""
        self.controls: dict[str, widgets.ValueWidget] = self.make_controls()
        unknown = set(initial) - set(self.controls)
        if unknown:
            raise TypeError(
                f"{type(self).__name__}: unknown control(s) {sorted(unknown)}; "
                f"the controls are {list(self.controls)}"
            )
        for name, value in initial.items():
            self.controls[name].value = value
        self.figure = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        self.canvas = BlitCanvas(self.figure)
        self.canvas.header_visible = False
        self.canvas.resizable = False
        self.canvas.toolbar_position = "right"
        with warnings.catch_warnings():
            # ipympl's Toolbar passes the canvas on to traitlets, which warns; not ours to fix.
            warnings.filterwarnings("ignore", "Passing unrecognized arguments", DeprecationWarning)
            FigureManager(self.canvas, next(_figure_numbers))
        self.build(self.figure)
        self._check_layers()
        self.update()
        # Lay the figure out once (constrained layout, in this first render, which also
        # caches the background), then freeze it: controls move data, not axes, and re-running
        # constrained layout on every step would cost more than the drawing. Freezing moves
        # nothing, so the render stays valid although the switch marks the figure stale.
        self.canvas.render()
        self.figure.set_layout_engine("none")
        self.figure.stale = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._refresh = None
        self.canvas.on_msg(self._on_canvas_message)
        self.widget = widgets.VBox(
            [widgets.HBox(list(self.controls.values())), self.canvas],
            layout=widgets.Layout(width="auto"),
        )

    # To be provided by subclasses -----------------------------------------------------
    def make_controls(self) -> dict[str, widgets.ValueWidget]:
        """The controls, keyed by the names ``update`` reads."""
        raise NotImplementedError

    def build(self, fig: Figure) -> None:
        """Create the axes and artists once."""
        raise NotImplementedError

    def update(self) -> None:
        """Move the existing artists to match the controls."""
        raise NotImplementedError

    def animate(self, artists: Any) -> Any:
        """Put ``artists`` (an artist, bars, or a list) in the moving layer; return them.

        Call it in ``build`` for every artist that ``update`` changes, and for any static
        artist that must stay visible on top of one that moves: the moving layer is drawn
        above everything else.
        """
        for artist in _artists(artists):
            if not artist.get_animated():
                artist.set_animated(True)
                artist.set_zorder(artist.get_zorder() + LIFT)
                self.canvas.moving.append(artist)
        return artists

    @staticmethod
    def set_limits(ax: Axes, xlim: tuple[float, float] | None = None,
                   ylim: tuple[float, float] | None = None) -> bool:
        """Set the limits that differ from the current ones; True if any changed.

        Setting a limit, even to its current value, marks the figure stale and costs the
        next step a full redraw; unchanged limits are left alone so that the step blits.
        """
        changed = False
        for new, get, set_ in ((xlim, ax.get_xlim, ax.set_xlim), (ylim, ax.get_ylim, ax.set_ylim)):
            if new is not None and tuple(map(float, get())) != tuple(map(float, new)):
                set_(*new)
                changed = True
        return changed

    def _check_layers(self) -> None:
        """Refuse a static artist above the moving layer: a step would paint under it."""
        for artist in self.figure.findobj(include_self=False):
            if not artist.get_animated() and artist.get_zorder() >= LIFT:
                raise ValueError(f"{type(self).__name__}: static {artist} has zorder "
                                 f"{artist.get_zorder()} ≥ {LIFT}; animate it or lower it")

    def describe(self) -> str:
        """One line for the text/plain output; the same on every run."""
        settings = ", ".join(_setting(k, control) for k, control in self.controls.items())
        return f"{self.title} ({settings})"

    # The pattern ------------------------------------------------------------------------
    def value(self, name: str) -> Any:
        """Current value of the control ``name``."""
        return self.controls[name].value

    def set(self, **values: Any) -> Explorer:
        """Set controls as a user would; each change updates the figure in place."""
        for name, value in values.items():
            if name not in self.controls:
                raise KeyError(f"{type(self).__name__} has no control {name!r}; "
                               f"it has {list(self.controls)}")
            self.controls[name].value = value
        return self

    def _on_change(self, change: Mapping[str, Any]) -> None:
        """A control moved: update the artists, then show the step (or mark it for later)."""
        self.canvas.current = False
        self.update()
        if self.canvas.syncing_data_url:
            # No browser attached (tests, nbclient): drawing can wait until someone looks.
            self.canvas.draw_idle()
        else:
            # A browser is attached: render now and push the image. draw_idle would ask the
            # browser to ask the kernel to draw, a round trip on every control step.
            self.canvas.step()
            self._refresh_saved_picture()

    def _on_canvas_message(self, _canvas, content: Mapping[str, Any], _buffers) -> None:
        """A page began showing the figure: refresh its saved picture once it settles."""
        if content.get("type") == "initialized":  # a page shows the figure: its first frame
            self._refresh_saved_picture()

    def _refresh_saved_picture(self) -> None:
        """One more frame once the figure has settled (no change for ``settle`` seconds).

        ipympl's page sets ``_data_url`` to the picture it showed *before* each frame it
        receives, so after the last frame the copy is one frame behind (blank after the
        first). The extra frame, identical to the last, makes the copy the picture shown.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop to wait on (not in a kernel)
            return
        if self._refresh is not None:
            self._refresh.cancel()
        self._refresh = loop.call_later(self.settle, self.canvas.step)

    def png(self) -> bytes:
        """The figure as it stands, as PNG bytes (no timestamp metadata).

        When the canvas's last render or step shows the current state at the picture's own
        resolution (a HiDPI page renders at twice it), its pixels are encoded as they are
        (the same pixels a save draws, as tests/test_explore_blit.py checks); otherwise the
        figure is saved, which renders it in full.
        """
        buffer = io.BytesIO()
        if self.canvas.current and self.canvas.blit_valid() and self.figure.dpi == self.dpi:
            # What savefig's print_png does after its own render of the figure.
            mpl_image.imsave(buffer, self.canvas.get_renderer().buffer_rgba(), format="png",
                             origin="upper", dpi=self.dpi, metadata={"Software": None})
            return buffer.getvalue()
        stale = self.figure.stale
        self.figure.savefig(buffer, format="png", dpi=self.dpi, metadata={"Software": None})
        # Saving touches the figure's settings and puts them back: the cache stays valid.
        self.figure.stale = stale
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        """The live widget, a PNG of the current state and the one-line description."""
        picture = base64.b64encode(self.png()).decode("ascii")
        # Stored in the widget state, so JupyterLab shows the picture before the kernel runs.
        self.canvas._data_url = f"data:image/png;base64,{picture}"
        width, height = self.figure.get_size_inches() * self.dpi
        self.canvas._size = (int(width), int(height))
        return {
            "text/plain": self.describe(),
            "image/png": picture,
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
        }


def label_height(top: float, outlines: Any = (), pad: float = 0.0,
                 clearance: float = 0.06) -> float:
    """Where a value label goes above a bar of height ``top``: ``pad`` above the bar, or
    ``pad`` above an outline edge (dashed limit box) that would otherwise run through it.

    A label is taken to be ``clearance`` tall (in data units).
    """
    y = top + pad
    for edge in sorted(float(e) for e in outlines):
        if top - pad < edge < y + clearance:
            y = edge + pad
    return y


def _require_binary_grid(kind: str, description: str, value: float, lo: float, hi: float,
                         step: float) -> None:
    """Refuse a grid the browser cannot reproduce exactly.

    Every number must be exact in binary, and the value must sit on the grid lo + k·step:
    the browser snaps an off-grid value and sends the snapped one back to the kernel.
    """
    for name, number in (("step", step), ("min", lo), ("max", hi), ("value", value)):
        if not _dyadic(number):
            raise ValueError(
                f"{kind} {description!r}: {name} = {number!r} is not exactly representable "
                f"in binary; use steps such as 0.25, 0.5 or powers of two"
            )
    if step <= 0 or not lo <= value <= hi or not _dyadic((value - lo) / step, 0):
        raise ValueError(f"{kind} {description!r}: value {value} is not on the grid "
                         f"{lo}, {lo} + {step}, … {hi}")


def slider(
    description: str, value: float, lo: float, hi: float, step: float, fmt: str = ".2f"
) -> widgets.FloatSlider:
    """A float slider whose step is exactly representable in binary (no 1.0000000000000002)."""
    _require_binary_grid("slider", description, value, lo, hi, step)
    return widgets.FloatSlider(
        value=value, min=lo, max=hi, step=step, description=description,
        readout_format=fmt, continuous_update=True,
        style={"description_width": "initial"},
    )


def log_slider(
    description: str, exponent: float, lo: float, hi: float, step: float, base: float = 10.0
) -> widgets.FloatLogSlider:
    """A logarithmic slider (value = base**exponent) whose exponents are exact in binary.

    The browser moves the exponent in steps of ``step`` from ``lo``; with dyadic numbers
    every position is an exact float, so the exponent the kernel receives is always on the
    grid.
    """
    _require_binary_grid("log_slider", description, exponent, lo, hi, step)
    if base not in (2.0, 10.0):
        raise ValueError(f"log_slider {description!r}: base must be 2 or 10 (got {base!r})")
    return widgets.FloatLogSlider(
        value=base**exponent, base=base, min=lo, max=hi, step=step, description=description,
        readout_format=".3g", continuous_update=True,
        style={"description_width": "initial"},
    )


def _dyadic(number: float, max_denominator_bits: int = 10) -> bool:
    """True if ``number`` is a multiple of 2**-max_denominator_bits (exact in binary)."""
    scaled = float(number) * 2**max_denominator_bits
    return scaled == int(scaled)


def _setting(name: str, control: widgets.ValueWidget) -> str:
    """``name = value`` for one control; a choice shows the label the reader sees (target
    class "1", not its index 0), whole when the label already says ``y = 0``."""
    label = getattr(control, "label", None)
    if label is None:
        return f"{name} = {control.value}"
    return label if "=" in label else f"{name} = {label}"
