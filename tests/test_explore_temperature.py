"""The temperature widget, driven headless: every slider position, presets, logits, speed."""

from __future__ import annotations

import base64
import warnings

import numpy as np
import pytest

from nblib.explore.base import log_slider
from nblib.explore.temperature import CUSTOM, DEFAULT_PRESET, PRESETS, TemperatureExplorer
from nblib.numerics.activations import softmax

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def slider_positions(control) -> np.ndarray:
    """Every value a logarithmic slider can take, from its minimum to its maximum."""
    count = round((control.max - control.min) / control.step) + 1
    return control.base ** (control.min + control.step * np.arange(count))


@pytest.fixture
def explorer():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield TemperatureExplorer()


def independent_entropy(a: np.ndarray) -> float:
    """−Σ a ln a over the positive entries, written out here rather than taken from nblib."""
    p = a[a > 0]
    return float(-np.sum(p * np.log(p)))


def limit_at_infinity(z: np.ndarray, sign: float = 1.0) -> np.ndarray:
    """1/m on the m maximal entries of z (the minimal ones for c → −∞), 0 elsewhere."""
    extreme = max(z) if sign > 0 else min(z)
    hits = [1.0 if value == extreme else 0.0 for value in z]
    return np.array(hits) / sum(hits)


def heights(bars) -> list[float]:
    return [bar.get_height() for bar in bars]


def assert_shows(explorer: TemperatureExplorer, z: np.ndarray, c: float) -> None:
    """The figure shows softmax(z, c), its entropy and the c → ∞ limit of z."""
    a = softmax(z, c)
    assert heights(explorer.bars) == list(a)  # exactly the numerics, entry by entry
    assert abs(sum(heights(explorer.bars)) - 1.0) <= 1e-12
    h = independent_entropy(a)
    assert f"H(a) = {h:.4f} nats" in explorer.readout.get_text()
    assert f"c = {c:.4g}" in explorer.readout.get_text()
    x, y = explorer.entropy_marker.get_data()
    assert x[0] == pytest.approx(np.log10(abs(c)), abs=1e-12)
    assert y[0] == pytest.approx(h, abs=1e-12)
    limit = limit_at_infinity(list(z), np.sign(c))
    assert heights(explorer.limit_bars) == list(limit)
    m = int(np.count_nonzero(limit))
    assert explorer.tie_line.get_ydata()[0] == pytest.approx(np.log(m), abs=0)
    assert f"ln {m}" in explorer.tie_label.get_text()
    extremes = f"({m} max.)" if c > 0 else f"({m} min.)"
    assert extremes in explorer.tie_label.get_text()


def test_default_state_and_description(explorer):
    assert explorer.value("c") == 1.0
    assert explorer.value("preset") == DEFAULT_PRESET
    assert list(explorer.logits()) == [2.5, -1.0, 3.25, 0.5]
    assert explorer.describe() == (
        "softmax with temperature (c = 1.0, sign = c > 0, preset = book-like (2.5, −1, 3.25, 0.5), "
        "z1 = 2.5, z2 = -1.0, z3 = 3.25, z4 = 0.5)"
    )
    assert_shows(explorer, explorer.logits(), 1.0)


def test_c_slider_is_logarithmic_on_an_exact_grid(explorer):
    control = explorer.controls["c"]
    assert (control.base, control.min, control.max, control.step) == (10.0, -2.0, 2.0, 0.125)
    positions = slider_positions(control)
    assert len(positions) == 33
    assert positions[0] == 0.01 and positions[16] == 1.0 and positions[-1] == 100.0
    exponents = control.min + control.step * np.arange(33)
    assert all(e * 8 == int(e * 8) for e in exponents)  # every exponent exact in binary


@pytest.mark.parametrize("preset", [*PRESETS])
def test_every_slider_position_shows_the_numerics_without_warnings(preset):
    explorer = TemperatureExplorer(preset=preset)
    z = np.array(PRESETS[preset])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        for i, c in enumerate(slider_positions(explorer.controls["c"])):
            explorer.controls["c"].value = c  # as the browser would set it
            assert explorer.value("c") == c
            assert_shows(explorer, z, c)
            if i % 8 == 0:  # rendering warns nowhere either (every 8th position, for speed)
                explorer.canvas.draw()


def test_entropy_curve_follows_the_logits(explorer):
    for preset in PRESETS:
        explorer.set(preset=preset)
        z = np.array(PRESETS[preset])
        log_c, curve = explorer.entropy_curve.get_data()
        for i in (0, len(log_c) // 2, len(log_c) - 1):
            a = softmax(z, 10.0 ** log_c[i])
            assert curve[i] == pytest.approx(independent_entropy(a), abs=1e-12)
        # H falls from near ln 4 towards ln m as c grows (never increases along the curve).
        assert np.all(np.diff(curve) <= 1e-15)


def test_presets_move_the_logit_sliders(explorer):
    explorer.set(c=10.0)
    for preset, values in PRESETS.items():
        explorer.controls["preset"].value = preset
        assert tuple(explorer.logits()) == values
        assert_shows(explorer, np.array(values), 10.0)
    # The tie presets end where the problem says: 1/2 on the two maxima as c → ∞.
    explorer.set(preset="tie for the maximum (3, 3, 1, −1)", c=100.0)
    assert heights(explorer.limit_bars) == [0.5, 0.5, 0.0, 0.0]
    assert heights(explorer.bars)[0] == heights(explorer.bars)[1] == pytest.approx(0.5)


def test_negative_c_sends_the_weight_to_the_minima(explorer):
    """With c < 0 the tie for the minimum wins: 1/2 on each of the two smallest inputs."""
    preset = "tie for the minimum (2, −1, −1, 0.5)"
    explorer.set(preset=preset, sign=-1.0)
    z = np.array(PRESETS[preset])
    legend = [text.get_text() for text in explorer.ax_bars.get_legend().get_texts()]
    assert "limit $c \\to -\\infty$: $1/m$ on the $m$ minima" in legend
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        for c in slider_positions(explorer.controls["c"]):
            explorer.controls["c"].value = c
            assert explorer.temperature() == -c
            assert_shows(explorer, z, -c)
    assert heights(explorer.limit_bars) == [0.0, 0.5, 0.5, 0.0]
    assert heights(explorer.bars)[1] == heights(explorer.bars)[2] == pytest.approx(0.5)
    # The curve is H(softmax(−|c| z)), still falling as |c| grows, towards ln 2.
    log_c, curve = explorer.entropy_curve.get_data()
    assert curve[-1] == pytest.approx(independent_entropy(softmax(z, -(10.0 ** log_c[-1]))))
    assert np.all(np.diff(curve) <= 1e-15)
    # Back to c > 0: the maximum (z₁ = 2) takes it all again.
    explorer.set(sign=1.0)
    assert heights(explorer.limit_bars) == [1.0, 0.0, 0.0, 0.0]
    assert "maxima" in " ".join(t.get_text() for t in explorer.ax_bars.get_legend().get_texts())


def test_moving_a_logit_makes_the_preset_custom_and_back(explorer):
    explorer.set(z2=3.25)  # now a tie for the maximum with z₃
    assert explorer.value("preset") == CUSTOM
    assert_shows(explorer, np.array([2.5, 3.25, 3.25, 0.5]), 1.0)
    assert heights(explorer.limit_bars) == [0.0, 0.5, 0.5, 0.0]
    explorer.set(z2=-1.0)
    assert explorer.value("preset") == DEFAULT_PRESET
    explorer.set(preset=CUSTOM)  # choosing "custom" leaves the sliders alone
    assert list(explorer.logits()) == [2.5, -1.0, 3.25, 0.5]


def test_initial_preset_and_logits():
    explorer = TemperatureExplorer(preset="tie for the minimum (2, −1, −1, 0.5)", c=0.5)
    assert tuple(explorer.logits()) == PRESETS["tie for the minimum (2, −1, −1, 0.5)"]
    assert_shows(explorer, explorer.logits(), 0.5)
    explorer = TemperatureExplorer(z4=-4.0)
    assert explorer.value("preset") == CUSTOM
    assert explorer.logits()[3] == -4.0
    with pytest.raises(ValueError, match="unknown preset"):
        TemperatureExplorer(preset="nope")


def test_update_is_in_place(explorer):
    before = (list(explorer.bars), list(explorer.limit_bars), explorer.entropy_curve,
              explorer.entropy_marker, explorer.readout, explorer.tie_line,
              list(explorer.figure.axes), len(explorer.ax_entropy.lines))
    explorer.set(c=0.125**0.5, preset="all equal (1, 1, 1, 1)", z3=-2.0)
    after = (list(explorer.bars), list(explorer.limit_bars), explorer.entropy_curve,
             explorer.entropy_marker, explorer.readout, explorer.tie_line,
             list(explorer.figure.axes), len(explorer.ax_entropy.lines))
    assert before == after


def test_mimebundle_carries_widget_view_png_and_picture_in_state(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert explorer.canvas._data_url == "data:image/png;base64," + bundle["image/png"]
    assert explorer.canvas in explorer.widget.children
    shown = {w for box in explorer.widget.children[:2] for w in box.children}
    assert shown == set(explorer.controls.values())


def test_picture_changes_with_c(explorer):
    before = explorer.png()
    explorer.set(c=100.0)
    assert explorer.png() != before


@pytest.mark.parametrize("args, match", [
    (dict(exponent=0.1), "not exactly representable"),
    (dict(step=0.2), "not exactly representable"),
    (dict(exponent=0.0625), "not on the grid"),
    (dict(exponent=3.0), "not on the grid"),
    (dict(base=3.0), "base must be 2 or 10"),
])
def test_log_slider_refuses_inexact_grids(args, match):
    settings = dict(exponent=0.0, lo=-2.0, hi=2.0, step=0.125, base=10.0) | args
    with pytest.raises(ValueError, match=match):
        log_slider("c", **settings)
