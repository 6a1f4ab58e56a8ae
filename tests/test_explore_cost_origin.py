"""The cost-from-slope explorer, driven without a browser: its artists hold what the
mathematics gives, checked against formulas written here and against mpmath's quadrature."""

from __future__ import annotations

import base64
import math
import warnings

import mpmath
import numpy as np
import pytest

from nblib.explore.cost_origin import A_GRID, CostFromSlopeExplorer

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STATES = [(0.25, 0.5, 0.875), (0.25, 0.5, 0.125), (0.0, 0.9375, 1 / 64), (1.0, 0.0625, 63 / 64),
          (0.6875, 0.6875, 0.25), (0.5, 0.25, 0.25)]


def make(**initial) -> CostFromSlopeExplorer:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return CostFromSlopeExplorer(**initial)


@pytest.fixture(scope="module")
def shared() -> CostFromSlopeExplorer:
    """One explorer for the tests that set every control themselves (building one takes a
    third of a second)."""
    return make()


def slope(t, y):
    """(75), written out here."""
    t = np.asarray(t, dtype=float)
    return (t - y) / (t * (1 - t))


def cross_entropy(t, y):
    """−[y ln t + (1 − y) ln(1 − t)], written out here with 0 · ln = 0."""
    t = np.asarray(t, dtype=float)
    first = 0.0 if y == 0 else y * np.log(t)
    second = 0.0 if y == 1 else (1 - y) * np.log1p(-t)
    return -(first + second)


def quadrature(y: float, a0: float, a: float) -> float:
    """∫ from a₀ to a of the slope, by mpmath (40 digits, split at ½)."""
    points = [a0, *([0.5] if min(a0, a) < 0.5 < max(a0, a) else []), a]
    with mpmath.workdps(40):
        limits = [mpmath.mpf(p) for p in points]
        return float(mpmath.quad(lambda t: (t - y) / (t * (1 - t)), limits))


def shoelace(vertices: np.ndarray) -> float:
    """The signed area of a polygon (counter-clockwise positive)."""
    if len(vertices) == 0:
        return 0.0
    x, y = vertices[:, 0], vertices[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def test_default_state():
    e = make()
    assert (e.value("y"), e.value("a0"), e.value("a")) == (0.25, 0.5, 0.875)
    assert e.describe() == "the cost built from its slope (y = 0.25, a0 = 0.5, a = 0.875)"


@pytest.mark.parametrize(("y", "a0", "a"), STATES)
def test_curves_and_points_hold_the_mathematics(shared, y, a0, a):
    e = shared.set(y=y, a0=a0, a=a)
    np.testing.assert_allclose(e.slope_line.get_ydata(), slope(A_GRID, y), rtol=1e-14)
    np.testing.assert_allclose(e.entropy_line.get_ydata(), cross_entropy(A_GRID, y),
                               rtol=1e-14, atol=1e-15)
    # The whole curve is the cross-entropy shifted down by its value at a₀.
    shifted = cross_entropy(A_GRID, y) - cross_entropy(a0, y)
    np.testing.assert_allclose(e.cost_line.get_ydata(), shifted, rtol=0, atol=1e-13)
    area = quadrature(y, a0, a)
    assert e.end_point.get_data() == ([a], [pytest.approx(area, rel=1e-13, abs=1e-14)])
    assert e.start_point.get_data() == ([a0], [0.0])
    # The traced part runs from a₀ to a on the same curve.
    path, traced = e.traced.get_data()
    assert (path[0], path[-1]) == (min(a0, a), max(a0, a))
    np.testing.assert_allclose(traced, cross_entropy(path, y) - cross_entropy(a0, y), atol=1e-13)
    # The gap at a is the cross-entropy at a₀, and it ends on the cross-entropy at a.
    (gx, gy) = e.gap.get_data()
    assert list(gx) == [a, a]
    assert gy[0] == pytest.approx(area, abs=1e-13)
    assert gy[1] == pytest.approx(float(cross_entropy(a, y)), rel=1e-13)
    assert list(e.zero_at_y.get_xdata()) == [y, y]
    assert list(e.start_marker.get_xdata()) == [a0, a0]
    assert list(e.end_marker.get_xdata()) == [a, a]
    assert f"{area:+.4f}" in e.slope_readout.get_text()
    assert f"{float(cross_entropy(a0, y)):.4f}" in e.cost_readout.get_text()


@pytest.mark.parametrize(("y", "a0", "a"), [(0.25, 0.5, 0.875), (0.25, 0.5, 0.125),
                                            (0.5, 0.25, 0.75), (0.75, 0.875, 0.5)])
def test_the_shaded_areas_add_up_to_the_integral(shared, y, a0, a):
    # States where the slope stays within the drawing (no clipping): the blue area minus the
    # red one is the integral, up to the polygons' trapezoid error.
    e = shared.set(y=y, a0=a0, a=a)
    (added,), (taken,) = e.added.get_paths(), e.taken.get_paths()
    signed = abs(shoelace(added.vertices)) - abs(shoelace(taken.vertices))
    assert signed == pytest.approx(quadrature(y, a0, a), abs=2e-4)
    # Every drawn point of the outline lies on the slope (or on the axis closing it).
    for path in (added, taken):
        v = path.vertices
        if len(v):
            on_curve = v[1:-2] if len(v) > 3 else v[:0]  # without the closing vertices
            np.testing.assert_allclose(on_curve[:, 1], slope(on_curve[:, 0], y), rtol=1e-12)


def test_a_negative_slope_integrated_to_the_right_is_taken_away(shared):
    e = shared.set(y=1.0, a0=0.0625, a=63 / 64)  # the slope is −1/a: the integral is negative
    (added,), (taken,) = e.added.get_paths(), e.taken.get_paths()
    assert len(added.vertices) == 0 and len(taken.vertices) > 0
    assert e.end_point.get_data()[1][0] < 0


def test_start_at_the_target_gives_the_divergence(shared):
    y = 0.6875
    e = shared.set(y=y, a0=y, a=0.875)
    entropy = -(y * math.log(y) + (1 - y) * math.log(1 - y))
    np.testing.assert_allclose(e.cost_line.get_ydata(), cross_entropy(A_GRID, y) - entropy,
                               atol=1e-13)
    assert e.cost_line.get_ydata().min() >= 0.0  # KL(y‖a) ≥ 0, zero only at a = y


def test_update_is_in_place():
    e = make()
    before = [list(ax.get_children()) for ax in e.figure.axes]
    e.set(y=0.0, a0=0.9375, a=1 / 64)
    assert [list(ax.get_children()) for ax in e.figure.axes] == before


def test_mimebundle_has_widget_view_and_png():
    e = make()
    bundle = e._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == e.widget.model_id
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert bundle["text/plain"] == e.describe()


def test_picture_changes_with_every_control():
    e = make()
    for name, control in e.controls.items():
        before = e.png()
        e.set(**{name: control.max if control.value != control.max else control.min})
        assert e.png() != before, name
