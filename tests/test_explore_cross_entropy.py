"""The cross-entropy explorers, driven without a browser: artists follow the numerics."""

from __future__ import annotations

import base64
import math
import warnings

import numpy as np
import pytest

from nblib.explore.cross_entropy import (
    A_GRID,
    CostRolesExplorer,
    InputFactorExplorer,
    MinimumExplorer,
)
from nblib.numerics.activations import sigmoid, sigmoid_prime

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CLASSES = (CostRolesExplorer, MinimumExplorer, InputFactorExplorer)


def make(cls, **initial):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return cls(**initial)


def right_cost(a, y):
    """−[y ln a + (1 − y) ln(1 − a)] with 0 ln = 0, written independently of nblib."""
    a = np.asarray(a, dtype=float)
    first = 0.0 if y == 0 else y * np.log(a)
    second = 0.0 if y == 1 else (1 - y) * np.log1p(-a)
    return -(first + second)


def entropy(y):
    return -(y * math.log(y) + (1 - y) * math.log(1 - y))


# --------------------------------------------------------------------------- ex2


def test_cost_roles_default_state():
    e = make(CostRolesExplorer)
    assert e.value("y") == 0.25
    assert e.describe() == "right and swapped cross-entropy (y = 0.25)"


@pytest.mark.parametrize("y", [0.0625, 0.25, 0.5, 0.9375])
def test_cost_roles_inner_targets(y):
    e = make(CostRolesExplorer)
    e.controls["y"].value = y
    np.testing.assert_allclose(e.right_line.get_ydata(), right_cost(A_GRID, y), rtol=1e-13)
    swapped = -(A_GRID * math.log(y) + (1 - A_GRID) * math.log(1 - y))
    np.testing.assert_allclose(e.swapped_line.get_ydata(), swapped, rtol=1e-13)
    assert not e.infinite_band.get_visible()
    assert e.minimum.get_data() == ([y], [pytest.approx(entropy(y), rel=1e-14)])
    right_here = right_cost(0.875, y)
    assert e.right_point.get_data()[1][0] == pytest.approx(right_here, rel=1e-14)
    assert f"right {right_here:.3f}" in e.readout.get_text()


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_cost_roles_swapped_form_is_infinite_at_the_ends(y):
    e = make(CostRolesExplorer)
    e.set(y=y)
    assert np.isnan(e.swapped_line.get_ydata()).all()  # +∞ everywhere: nothing to draw
    assert e.infinite_band.get_visible()
    assert "+∞ for every a" in e.note.get_text()
    assert e.minimum.get_data() == ([], [])
    np.testing.assert_allclose(e.right_line.get_ydata(), right_cost(A_GRID, y), rtol=1e-13)
    assert np.isfinite(e.right_line.get_ydata()).all()
    assert e.swapped_point.get_marker() == "^" and "swapped +∞" in e.readout.get_text()


# --------------------------------------------------------------------------- ex3


def test_minimum_default_state():
    e = make(MinimumExplorer)
    assert e.value("y") == 0.25
    assert e.describe() == "the cross-entropy's minimum (y = 0.25)"


@pytest.mark.parametrize("y", [1 / 32, 0.25, 0.5, 0.71875, 31 / 32])
def test_minimum_tracks_y(y):
    e = make(MinimumExplorer)
    e.controls["y"].value = y
    cost = right_cost(A_GRID, y)
    np.testing.assert_allclose(e.cost_line.get_ydata(), cost, rtol=1e-13)
    h = entropy(y)
    assert e.minimum.get_data()[0] == [y]
    assert e.minimum.get_data()[1][0] == pytest.approx(h, rel=1e-14)
    assert list(e.entropy_line.get_ydata()) == pytest.approx([h, h], rel=1e-14)
    assert list(e.at_y.get_xdata()) == [y, y]
    np.testing.assert_allclose(e.kl_line.get_ydata(), cost - h, atol=1e-13)
    # The curve never dips below the level H(y).
    assert cost.min() >= h - 1e-15
    assert f"H(y) = {h:.4f}" in e.readout.get_text()


# --------------------------------------------------------------------------- pb3


def test_input_factor_default_state():
    e = make(InputFactorExplorer)
    assert (e.value("x1"), e.value("z"), e.value("y")) == (1.0, 2.0, 0.0)
    assert e.describe() == "the x₁ factor in ∂C/∂w₁ (x1 = 1.0, z = 2.0, y = 0)"


@pytest.mark.parametrize(("x1", "z", "y"), [(1.0, 2.0, 0.0), (-1.5, 6.0, 0.0),
                                            (0.0, -3.0, 1.0), (2.0, -8.0, 1.0)])
def test_input_factor_points_follow_the_chain_rule(x1, z, y):
    e = make(InputFactorExplorer)
    e.set(x1=x1, z=z, y=y)
    x = np.array([h.get_height() for h in e.bars])
    assert x[0] == x1 and x[2] == e.x3
    assert float(e.w @ x + e.b) == z  # z is held fixed (exactly: binary fractions)
    s, slope = sigmoid(z), sigmoid_prime(z)
    expected = {"quadratic": (s - y) * slope, "cross_entropy": s - y}
    for cost, factor in expected.items():
        px, py = e.points[cost].get_data()
        assert px == [x1]
        assert py[0] == pytest.approx(factor * x1, rel=1e-12, abs=1e-300)
        np.testing.assert_allclose(e.lines[cost].get_ydata(), factor * e.x1_grid, rtol=1e-12)
    assert f"z = w·x + b = {z:.3f}" == e.z_text.get_text()


def test_input_factor_zero_input_gives_zero_gradient():
    e = make(InputFactorExplorer, x1=0.0, z=4.0)
    for cost in ("quadratic", "cross_entropy"):
        assert e.points[cost].get_data()[1] == [0.0]
    assert "-0.000" not in e.readout.get_text()


# --------------------------------------------------------------------------- all three


@pytest.mark.parametrize("cls", CLASSES)
def test_update_is_in_place(cls):
    e = make(cls)
    before = [list(ax.get_children()) for ax in e.figure.axes]
    name, control = next(iter(e.controls.items()))
    e.set(**{name: control.min if hasattr(control, "min") else control.options[-1][1]})
    assert [list(ax.get_children()) for ax in e.figure.axes] == before


@pytest.mark.parametrize("cls", CLASSES)
def test_mimebundle_has_widget_view_and_png(cls):
    e = make(cls)
    bundle = e._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == e.widget.model_id
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert e.canvas._data_url == "data:image/png;base64," + bundle["image/png"]
    assert bundle["text/plain"] == e.describe()


@pytest.mark.parametrize("cls", CLASSES)
def test_picture_changes_with_every_control(cls):
    e = make(cls)
    for name, control in e.controls.items():
        before = e.png()
        new = control.max if hasattr(control, "max") else control.options[-1][1]
        if new == control.value:
            new = control.min
        e.set(**{name: new})
        assert e.png() != before, name
