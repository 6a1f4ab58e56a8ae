"""What a reader meets in an explorer's figure, as boxes in display pixels, and the clashes.

The figure is measured as it is laid out (no drawing): every text (tick labels, axis labels,
titles, free texts; a legend counts as one box), every line and marker, every bar and
outline. :func:`clashes` names what a reader would trip over:

* two texts that overlap, or a text that leaves the figure;
* a line that runs through a text or a legend, a marker on one (a static straight line
  under a legend, hidden by its frame, is allowed: the legend is drawn over it);
* a bar that covers a text or a legend, an outline's edge through one (tick and axis
  labels aside, which sit outside the axes).

:func:`smallest_points` gives the size of the smallest glyph of a text, mathematics
included (a subscript of a superscript is 0.7² of the text's size).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.mathtext import MathTextParser
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

NO_LINE = ("None", "none", "", " ")
#: (x0, y0, x1, y1) in display pixels.
Box = tuple[float, float, float, float]
_PARSER = MathTextParser("path")


@dataclass(frozen=True)
class Written:
    """A text or a legend: what it says and its box in display pixels."""

    name: str
    box: Bbox
    artist: Artist
    outside_axes: bool = False  # tick and axis labels: no bar or outline can reach them

    @cached_property
    def inner(self) -> Box:
        """The box shrunk by a pixel on every side (anti-aliased edges may touch)."""
        b = self.box
        return (b.x0 + 1.0, b.y0 + 1.0, b.x1 - 1.0, b.y1 - 1.0)


def _axes_texts(ax: Axes) -> list[tuple[Text, bool]]:
    """The texts of one axes, each with True if it sits outside the axes (tick and axis
    labels) and False if it may sit inside (titles, free texts)."""
    outside = [ax.xaxis.label, ax.yaxis.label]
    for axis in (ax.xaxis, ax.yaxis):
        for tick in axis._update_ticks():  # the ticks a draw would show
            outside += [tick.label1, tick.label2]
    inside = [ax.title, ax._left_title, ax._right_title, *ax.texts]
    return [(t, True) for t in outside] + [(t, False) for t in inside]


def _shown(text: Text) -> bool:
    """True if the text is visible and says something."""
    return text.get_visible() and bool(text.get_text().strip())


def texts(figure: Figure) -> list[Text]:
    """Every text a reader sees in the figure, legends' entries included."""
    found = [t for ax in figure.axes for t, _ in _axes_texts(ax)] + list(figure.texts)
    for legend in legends(figure):
        found += legend.get_texts()
    return [t for t in found if _shown(t)]


def legends(figure: Figure) -> list[Legend]:
    """The visible legends of the figure: its axes' and its own."""
    found = [ax.get_legend() for ax in figure.axes] + list(figure.legends)
    return [legend for legend in found if legend is not None and legend.get_visible()]


def written(figure: Figure) -> list[Written]:
    """The figure's texts and legends with their boxes (a legend's entries are its box)."""
    renderer = figure.canvas.get_renderer()
    pairs = [pair for ax in figure.axes for pair in _axes_texts(ax)]
    pairs += [(t, False) for t in figure.texts]
    items = [Written(f"text {t.get_text()!r}", t.get_window_extent(renderer), t, outside)
             for t, outside in pairs if _shown(t)]
    for legend in legends(figure):
        entries = ", ".join(t.get_text() for t in legend.get_texts())
        items.append(Written(f"legend ({entries})", legend.get_window_extent(renderer), legend))
    return items


def _overlap(a: Box, b: Box) -> bool:
    """True if the two boxes share an area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _within(a: Box, clip: Bbox) -> Box | None:
    """The part of ``a`` inside ``clip``, or None."""
    x0, y0 = max(a[0], clip.x0), max(a[1], clip.y0)
    x1, y1 = min(a[2], clip.x1), min(a[3], clip.y1)
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


def _polyline_meets(points: np.ndarray, box: Box) -> bool:
    """True if a polyline (display points, NaN gaps allowed) meets the box.

    Liang–Barsky clipping of every segment at once: a segment p + t(q − p), 0 ≤ t ≤ 1,
    meets the box if the t-intervals inside its four sides overlap.
    """
    p, q = points[:-1], points[1:]
    keep = np.isfinite(p).all(axis=1) & np.isfinite(q).all(axis=1)
    p, d = p[keep], (q - p)[keep]
    steps = np.stack([-d[:, 0], d[:, 0], -d[:, 1], d[:, 1]], axis=1)
    x0, y0, x1, y1 = box
    rooms = np.stack([p[:, 0] - x0, x1 - p[:, 0], p[:, 1] - y0, y1 - p[:, 1]], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = rooms / steps
    parallel_outside = ((steps == 0) & (rooms < 0)).any(axis=1)
    low = np.where(steps < 0, t, 0.0).max(axis=1)
    high = np.where(steps > 0, t, 1.0).min(axis=1)
    return bool((~parallel_outside & (np.maximum(low, 0.0) <= np.minimum(high, 1.0))).any())


def _marker_boxes(line: Line2D, clip: Bbox) -> list[Box]:
    """A box around each marker of the line inside ``clip``, in display pixels."""
    if line.get_marker() in (*NO_LINE, None):
        return []
    pixels = line.figure.dpi / 72 / 2
    half, thick = line.get_markersize() * pixels, line.get_markeredgewidth() * pixels
    # A "_" marker is a horizontal stroke, "|" a vertical one: as thick as its edge.
    half_w, half_h = {"_": (half, thick), "|": (thick, half)}.get(line.get_marker(),
                                                                (half, half))
    return [(x - half_w, y - half_h, x + half_w, y + half_h)
            for x, y in line.get_transform().transform(line.get_xydata())
            if np.isfinite([x, y]).all() and clip.contains(x, y)]


def _is_static_rule(line: Line2D) -> bool:
    """A static straight line across the axes (axhline, axvline): a legend may cover it."""
    return not line.get_animated() and len(line.get_xydata()) == 2


def _line_clashes(line: Line2D, ax: Axes, items: list[Written]) -> list[str]:
    """The texts and legends that ``line`` runs through or covers with a marker."""
    found = []
    points = line.get_transform().transform(line.get_xydata())
    drawn = line.get_linestyle() not in NO_LINE
    markers = _marker_boxes(line, ax.bbox)
    for item in items:
        box = _within(item.inner, ax.bbox) if line.get_clip_on() else item.inner
        if box is None:
            continue
        if isinstance(item.artist, Legend) and _is_static_rule(line):
            continue
        if drawn and _polyline_meets(points, box):
            found.append(f"line {line.get_label()!r} runs through {item.name}")
        if any(_overlap(marker, box) for marker in markers):
            found.append(f"a marker of {line.get_label()!r} covers {item.name}")
    return found


def _patch_clashes(patch: Rectangle, items: list[Written]) -> list[str]:
    """The texts and legends inside the axes that a bar covers or an outline crosses."""
    found = []
    extent = patch.get_window_extent(patch.figure.canvas.get_renderer())
    if extent.width < 0.5 or extent.height < 0.5:
        return found
    bar = (extent.x0, extent.y0, extent.x1, extent.y1)
    corners = np.array([(bar[0], bar[1]), (bar[2], bar[1]), (bar[2], bar[3]),
                        (bar[0], bar[3]), (bar[0], bar[1])])
    for item in items:
        if item.outside_axes:
            continue
        box = item.inner
        if patch.get_fill() and _overlap(bar, box):
            found.append(f"a bar covers {item.name}")
        elif not patch.get_fill() and _polyline_meets(corners, box):
            found.append(f"an outline's edge runs through {item.name}")
    return found


def clashes(figure: Figure) -> list[str]:
    """Every clash a reader would see, one sentence each (empty if the figure is clean)."""
    found = []
    items = written(figure)
    edge = figure.bbox
    for item in items:
        box = item.box
        if box.x0 < edge.x0 - 0.5 or box.x1 > edge.x1 + 0.5 or box.y0 < edge.y0 - 0.5 \
                or box.y1 > edge.y1 + 0.5:
            found.append(f"{item.name} leaves the figure")
    for a, b in itertools.combinations(items, 2):
        if _overlap(a.inner, b.inner):
            found.append(f"{a.name} overlaps {b.name}")
    for ax in figure.axes:
        for line in ax.lines:
            if line.get_visible() and len(line.get_xydata()):
                found += _line_clashes(line, ax, items)
        for patch in ax.patches:
            if patch.get_visible() and isinstance(patch, Rectangle):
                found += _patch_clashes(patch, items)
    return found


def smallest_points(text: Text) -> float:
    """Size in points of the smallest glyph of ``text`` (mathematics parsed as drawn)."""
    string = text.get_text()
    size = text.get_fontsize()
    if not text._preprocess_math(string)[1]:
        return size
    glyphs = _PARSER.parse(string, 72, text.get_fontproperties()).glyphs
    return min((glyph[1] for glyph in glyphs), default=size)
