"""The one pattern behind every interactive figure in the book.

An :class:`Explorer` builds its matplotlib figure once, on an ipympl canvas, with
ipywidgets controls beside it. Moving a control calls :meth:`Explorer.update`, which changes
the existing artists in place (new data, new text); nothing is re-created, which is what
keeps a step fast in the browser.

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
from ipympl.backend_nbagg import Canvas, FigureManager
from matplotlib.figure import Figure

_figure_numbers = itertools.count(1)


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
        self.canvas = Canvas(self.figure)
        self.canvas.header_visible = False
        self.canvas.resizable = False
        self.canvas.toolbar_position = "right"
        with warnings.catch_warnings():
            # ipympl's Toolbar passes the canvas on to traitlets, which warns; not ours to fix.
            warnings.filterwarnings("ignore", "Passing unrecognized arguments", DeprecationWarning)
            FigureManager(self.canvas, next(_figure_numbers))
        self.build(self.figure)
        self.update()
        # Lay the figure out once, then freeze it: controls move data, not axes, and
        # re-running constrained layout on every step would cost more than the drawing.
        self.figure.canvas.draw()
        self.figure.set_layout_engine("none")
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

    def describe(self) -> str:
        """One line for the text/plain output; the same on every run."""
        settings = ", ".join(f"{k} = {self.value(k)}" for k in self.controls)
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
        self.update()
        if self.canvas.syncing_data_url:
            # No browser attached (tests, nbclient): drawing can wait until someone looks.
            self.canvas.draw_idle()
        else:
            # A browser is attached: render now and push the image. draw_idle would ask the
            # browser to ask the kernel to draw, a round trip on every control step.
            self.canvas.draw()
            self._refresh_saved_picture()

    def _on_canvas_message(self, _canvas, content: Mapping[str, Any], _buffers) -> None:
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
        self._refresh = loop.call_later(self.settle, self.canvas.draw)

    def png(self) -> bytes:
        """The figure as it stands, rendered to PNG bytes (no timestamp metadata)."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=self.dpi, metadata={"Software": None})
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
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
