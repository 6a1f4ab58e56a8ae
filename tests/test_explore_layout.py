"""Figures a reader can read: sizes of text, and nothing written over anything else.

Measured on the laid-out figure, at the size JupyterLab shows it (see tests/layout.py):
every text at least 9 pt and no glyph below one script level of that (6.3 pt); no two
texts overlapping, none leaving the figure; no line, marker, bar or outline running
through a text or a legend, in the default state and after random moves of the controls.
Then the rules the issue names, over every position of the controls that matter.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from benchmarks.explorers import control_values
from nblib.explore import explorers
from nblib.explore.base import Explorer
from nblib.explore.classifier import ClassifierExplorer
from nblib.explore.sigmoid import SigmoidExplorer
from nblib.explore.temperature import PRESETS, TemperatureExplorer
from tests.layout import clashes, smallest_points, texts

MIN_POINTS = 9.0
#: One level of sub- or superscript below the smallest text (mathtext shrinks by 0.7).
MIN_GLYPH_POINTS = 0.7 * MIN_POINTS
STATES = 5
#: Controls left at their value: each new (hidden, η) pair trains for seconds.
SLOW = {ClassifierExplorer: {"hidden", "eta"}}


def build(cls: type[Explorer], **initial) -> Explorer:
    """The explorer, headless, warnings about ipympl's own arguments silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return cls(**initial)


def small_texts(explorer: Explorer) -> list[str]:
    """The texts of the figure below the minimum size, with their sizes."""
    return [f"{t.get_text()!r}: {t.get_fontsize():g} pt, smallest glyph "
            f"{smallest_points(t):.2f} pt" for t in texts(explorer.figure)
            if t.get_fontsize() < MIN_POINTS or smallest_points(t) < MIN_GLYPH_POINTS - 1e-9]


@pytest.mark.parametrize("cls", explorers(), ids=lambda cls: cls.__name__)
def test_texts_are_legible_and_nothing_is_written_over(cls):
    explorer = build(cls)
    rng = np.random.default_rng(sum(map(ord, cls.__name__)))
    names = [name for name in explorer.controls if name not in SLOW.get(cls, ())]
    for state in range(STATES + 1):
        if state:  # the default state first, then every control moved at random
            for name in names:
                values = control_values(explorer.controls[name], 8)
                explorer.set(**{name: values[rng.integers(len(values))]})
        where = explorer.describe()
        assert small_texts(explorer) == [], where
        assert clashes(explorer.figure) == [], where


def test_the_size_rule_sees_a_formula_with_nested_scripts():
    explorer = build(SigmoidExplorer)
    explorer.readout.set_text(r"$e^{c z_j}$")  # the old legend's exponent: 0.7² of 10 pt
    explorer.readout.set_fontsize(10)
    assert small_texts(explorer) == ["'$e^{c z_j}$': 10 pt, smallest glyph 4.90 pt"]


def test_the_clash_rule_sees_a_legend_over_a_line():
    explorer = build(SigmoidExplorer)
    explorer.ax_sigma.legend(loc="center")  # over σ and the tangent
    assert any("runs through legend" in clash for clash in clashes(explorer.figure))


def display_y(ax, y: float) -> float:
    """The display height of the data height ``y`` in ``ax``."""
    return float(ax.transData.transform((0.0, y))[1])


def test_ex1_legend_stays_below_the_quarter_line_it_labels():
    explorer = build(SigmoidExplorer)
    renderer = explorer.canvas.get_renderer()
    legend = explorer.ax_prime.get_legend().get_window_extent(renderer)
    quarter = display_y(explorer.ax_prime, 0.25)
    curve_left = display_y(explorer.ax_prime, float(explorer.ax_prime.lines[0].get_ydata()[0]))
    assert curve_left < legend.y0 and legend.y1 < quarter  # between σ′'s tail and the ¼ line
    assert "maximum ¼" in [t.get_text() for t in explorer.ax_prime.get_legend().get_texts()][1]


def test_ex1_tangent_and_readout_stay_off_the_legends():
    explorer = build(SigmoidExplorer)
    for z0 in control_values(explorer.controls["z0"], 33):  # every other slider position
        explorer.set(z0=z0)
        assert clashes(explorer.figure) == [], z0


def outline_top(explorer: TemperatureExplorer, j: int) -> float | None:
    """Display height of the top edge of bar j's dashed limit outline, if it shows."""
    outline = explorer.limit_bars[j]
    return display_y(explorer.ax_bars, outline.get_height()) if outline.get_visible() else None


@pytest.mark.parametrize("preset", PRESETS)
def test_pb6_bar_labels_clear_the_dashed_outlines_and_the_uniform_line(preset):
    explorer = build(TemperatureExplorer, preset=preset)
    renderer = explorer.canvas.get_renderer()
    uniform = display_y(explorer.ax_bars, 1 / len(explorer.bars))
    for c in control_values(explorer.controls["c"], 33):  # every position of the slider
        explorer.set(c=c)
        for j, label in enumerate(explorer.bar_labels):
            box = label.get_window_extent(renderer)
            bar_top = display_y(explorer.ax_bars, explorer.bars[j].get_height())
            assert box.y0 >= bar_top, (preset, c, j)  # above its own bar
            for edge in (outline_top(explorer, j), uniform):
                assert edge is None or not box.y0 < edge < box.y1, (preset, c, j, edge)


def test_pb6_legend_formula_is_at_least_9_points():
    explorer = build(TemperatureExplorer)
    formula = next(t for t in explorer.ax_bars.get_legend().get_texts()
                   if t.get_text().startswith("$a_j"))
    assert formula.get_fontsize() >= MIN_POINTS
    assert smallest_points(formula) >= MIN_GLYPH_POINTS


@pytest.mark.parametrize("preset", PRESETS)
def test_pb6_entropy_annotations_lie_beside_the_axes(preset):
    """Beside the axes, where the curve and the marker (clipped to the axes) cannot go."""
    explorer = build(TemperatureExplorer, preset=preset)
    renderer = explorer.canvas.get_renderer()
    ax = explorer.ax_entropy
    assert explorer.entropy_curve.get_clip_on() and explorer.entropy_marker.get_clip_on()
    labels = [t for t in ax.texts if t.get_text().startswith("ln")]
    assert len(labels) == 2 and explorer.tie_label in labels
    for label in labels:
        assert label.get_window_extent(renderer).x0 > ax.bbox.x1, label.get_text()
