"""The softmax-section explorers driven without a browser: move a control, the artists
follow the numerics (computed here independently), in place."""

from __future__ import annotations

import base64
import warnings

import numpy as np
import pytest

from nblib.explore.softmax_layer import (
    BOOK_LOGITS,
    JACOBIAN_LIMIT,
    JacobianExplorer,
    LocalityExplorer,
    SumsExplorer,
    shifted_logits,
)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
ALL = (SumsExplorer, JacobianExplorer, LocalityExplorer)


def sig(z):
    """σ by the textbook formula (the inputs here are small, so it is exact enough)."""
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def soft(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / e.sum()


def heights(bars):
    return np.array([bar.get_height() for bar in bars])


@pytest.fixture(params=ALL, ids=lambda cls: cls.__name__)
def explorer(request):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield request.param()


def test_book_logits_on_the_quarter_grid():
    assert BOOK_LOGITS == (2.5, -1.0, 3.25, 0.5)
    assert all((v * 4).is_integer() for v in BOOK_LOGITS)


# --------------------------------------------------------------------------- ex4


def test_sums_default_state():
    e = SumsExplorer()
    assert [e.value(f"z{i}") for i in range(1, 5)] == [2.5, -1.0, 3.25, 0.5]
    assert e.describe() == ("sigmoid and softmax outputs and their sums "
                            "(z1 = 2.5, z2 = -1.0, z3 = 3.25, z4 = 0.5)")


@pytest.mark.parametrize("name, value", [("z1", -5.0), ("z3", 0.0), ("z4", -2.25)])
def test_sums_slider_moves_bars_and_sums(name, value):
    e = SumsExplorer()
    e.controls[name].value = value  # as the browser would
    z = np.array(BOOK_LOGITS)
    z[int(name[1]) - 1] = value
    np.testing.assert_allclose(heights(e.sigmoid_bars), sig(z), rtol=1e-14)
    np.testing.assert_allclose(heights(e.softmax_bars), soft(z), rtol=1e-13)
    assert e.sigmoid_sum.get_text().endswith(f"= {sig(z).sum():.4f}")
    assert e.softmax_sum.get_text().endswith("= 1.0000")
    for label, bar_value in zip(e.softmax_labels, soft(z), strict=True):
        assert label.get_text() == f"{bar_value:.3f}"


def test_sums_default_sigmoid_sum_is_far_above_one():
    e = SumsExplorer()
    assert e.sigmoid_sum.get_text() == f"σ(z₁) + … + σ(z₄) = {sig(BOOK_LOGITS).sum():.4f}"
    assert sig(BOOK_LOGITS).sum() > 2.7


# --------------------------------------------------------------------------- ex5


@pytest.mark.parametrize("k, shift", [(1, -3.5), (2, 2.0), (4, 4.75)])
def test_jacobian_explorer_follows_the_formula(k, shift):
    e = JacobianExplorer()
    e.controls["k"].value = k
    e.controls["shift"].value = shift
    z = np.array(BOOK_LOGITS)
    z[k - 1] += shift
    a = soft(z)
    expected = np.diag(a) - np.outer(a, a)  # a_j(δ_jk − a_k), independently
    np.testing.assert_allclose(heights(e.bars), a, rtol=1e-13)
    np.testing.assert_allclose(np.asarray(e.image.get_array()), expected, atol=1e-15)
    for j, label in enumerate(e.column_values):
        assert label.get_position() == (k, j + 1)
        assert label.get_text() == f"{expected[j, k - 1]:+.3f}"
    assert e.column.get_x() == k - 0.5
    assert e.bars[k - 1].get_facecolor() != e.bars[k % 4].get_facecolor()
    assert e.readout.get_text() == f"z{'₀₁₂₃₄'[k]} = {z[k - 1]:.2f}"


def test_jacobian_colour_limits_are_fixed_and_symmetric():
    e = JacobianExplorer()
    for shift in (-5.0, 0.0, 5.0):
        e.set(shift=shift)
        assert e.image.get_clim() == (-JACOBIAN_LIMIT, JACOBIAN_LIMIT)
        assert np.abs(np.asarray(e.image.get_array())).max() <= JACOBIAN_LIMIT


def test_jacobian_heat_map_signs_match_the_claim():
    e = JacobianExplorer(k=3, shift=-2.5)
    jac = np.asarray(e.image.get_array())
    assert np.all(np.diag(jac) > 0) and np.all(jac[~np.eye(4, dtype=bool)] < 0)


# --------------------------------------------------------------------------- ex6


@pytest.mark.parametrize("k, shift", [(1, 1.5), (2, -4.0), (4, 0.25)])
def test_locality_one_sigmoid_bar_moves_all_softmax_bars_move(k, shift):
    e = LocalityExplorer(k=k, shift=shift)
    z = np.array(BOOK_LOGITS)
    z[k - 1] += shift
    np.testing.assert_allclose(heights(e.sigmoid_bars), sig(z), rtol=1e-14)
    np.testing.assert_allclose(heights(e.softmax_bars), soft(z), rtol=1e-13)
    moved_sigmoid = heights(e.sigmoid_bars) != sig(BOOK_LOGITS)
    assert moved_sigmoid.tolist() == [j == k - 1 for j in range(4)]
    assert e.sigmoid_moved.get_text() == "outputs moved: 1 of 4"
    assert e.softmax_moved.get_text() == "outputs moved: 4 of 4"
    assert [bar.get_alpha() for bar in e.sigmoid_bars] == [1.0 if j == k - 1 else 0.45
                                                          for j in range(4)]


def test_locality_default_nothing_moved():
    e = LocalityExplorer()
    assert e.sigmoid_moved.get_text() == "outputs moved: 0 of 4"
    assert e.softmax_moved.get_text() == "outputs moved: 0 of 4"


def test_shifted_logits():
    assert shifted_logits(2, 1.5).tolist() == [2.5, 0.5, 3.25, 0.5]
    for bad in (0, 5, 1.0, True):
        with pytest.raises(ValueError, match="argument 'k'"):
            shifted_logits(bad, 0.0)


# --------------------------------------------------------------------------- all three


def artists(e):
    """Every artist the update touches, plus the axes."""
    names = ("sigmoid_bars", "softmax_bars", "bars", "labels", "sigmoid_labels",
             "softmax_labels", "column_values", "image", "column", "readout", "sigmoid_sum",
             "softmax_sum", "sigmoid_moved", "softmax_moved")
    found = {name: getattr(e, name) for name in names if hasattr(e, name)}
    return {name: (list(v) if isinstance(v, list | tuple) or hasattr(v, "patches") else v)
            for name, v in found.items()}, list(e.figure.axes)


def move_every_control(e):
    for control in e.controls.values():
        if hasattr(control, "options"):
            control.value = control.options[-1][1]
        else:
            control.value = control.min


def test_update_is_in_place(explorer):
    before, axes = artists(explorer)
    counts = [(len(ax.patches), len(ax.texts), len(ax.images)) for ax in axes]
    move_every_control(explorer)
    after, axes_after = artists(explorer)
    assert axes_after == axes
    for name in before:
        if isinstance(before[name], list):
            assert all(x is y for x, y in zip(before[name], after[name], strict=True)), name
        else:
            assert before[name] is after[name], name
    assert [(len(ax.patches), len(ax.texts), len(ax.images)) for ax in axes] == counts


def test_mimebundle_has_widget_view_and_png(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert explorer.canvas._data_url == "data:image/png;base64," + bundle["image/png"]
    assert bundle["text/plain"] == explorer.describe()


def test_default_picture_is_deterministic(explorer):
    assert type(explorer)().png() == explorer.png()


def test_picture_changes_with_each_control(explorer):
    for name, control in explorer.controls.items():
        before = explorer.png()
        if hasattr(control, "options"):
            explorer.set(shift=1.0)  # with no shift the choice of k shows nothing
            before = explorer.png()
            control.value = control.options[2][1]
        else:
            control.value = control.max
        assert explorer.png() != before, name


def test_slider_steps_are_exact_in_binary(explorer):
    for control in explorer.controls.values():
        if hasattr(control, "step"):
            assert control.step == 0.25 and control.min == -5.0 and control.max == 5.0
