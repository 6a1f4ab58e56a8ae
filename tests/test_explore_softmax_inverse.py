"""Problems 4 and 5 explorers, driven headless: move each control, the bars follow the numerics."""

from __future__ import annotations

import base64
import warnings

import numpy as np
import pytest

from nblib.explore.softmax_inverse import (
    DEFAULT_LOGITS,
    DISTRIBUTIONS,
    GradientExplorer,
    InverseExplorer,
)
from nblib.numerics.activations import softmax

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def heights(bars) -> list[float]:
    return [bar.get_height() for bar in bars]


@pytest.fixture
def inverse():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield InverseExplorer()


@pytest.fixture
def gradient():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield GradientExplorer()


# --------------------------------------------------------------------------- Problem 4


def test_inverse_default_state(inverse):
    assert inverse.describe() == "inverting softmax (C = 0.0, a = (0.1, 0.2, 0.3, 0.4))"
    np.testing.assert_array_equal(heights(inverse.z_bars), np.log([0.1, 0.2, 0.3, 0.4]))


@pytest.mark.parametrize("name", [*DISTRIBUTIONS])
def test_sliding_c_moves_the_inputs_but_not_the_outputs(inverse, name):
    inverse.set(a=name)
    a = np.array(DISTRIBUTIONS[name])
    assert a.sum() == pytest.approx(1.0, abs=1e-15)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        for constant in np.arange(-4.0, 4.25, 0.25):
            inverse.controls["C"].value = constant  # as the browser would set it
            z = np.log(a) + constant
            assert heights(inverse.z_bars) == list(z)
            assert heights(inverse.a_bars) == list(softmax(z))
            # The outputs stay at a, whatever C is (to rounding of ln a + C).
            np.testing.assert_allclose(heights(inverse.a_bars), a, rtol=4e-15, atol=0)
            assert heights(inverse.target_bars) == list(a)
            assert inverse.shift_line.get_ydata()[0] == constant
            np.testing.assert_array_equal(inverse.ln_a.get_ydata(), np.log(a))
            assert f"C = {constant:+.2f}" in inverse.readout.get_text()


def test_inverse_update_is_in_place(inverse):
    before = (list(inverse.z_bars), list(inverse.a_bars), inverse.ln_a, inverse.shift_line,
              inverse.readout, list(inverse.figure.axes))
    inverse.set(C=-2.5, a="(0.5, 0.25, 0.125, 0.125)")
    after = (list(inverse.z_bars), list(inverse.a_bars), inverse.ln_a, inverse.shift_line,
             inverse.readout, list(inverse.figure.axes))
    assert before == after


# --------------------------------------------------------------------------- Problem 5


def test_gradient_default_state(gradient):
    assert gradient.value("target") == 0
    assert tuple(gradient.logits()) == DEFAULT_LOGITS
    a = softmax(np.array(DEFAULT_LOGITS))
    assert heights(gradient.grad_bars) == list(a - np.array([1.0, 0, 0, 0]))


def test_text_fallback_names_the_target_class_as_the_buttons_do(gradient):
    # The buttons read 1–4; the text fallback must not say "target = 0" for class 1.
    assert "(target = 1, z1 = 2.5," in gradient.describe()
    gradient.controls["target"].value = 2
    assert "(target = 3, z1 = 2.5," in gradient.describe()


@pytest.mark.parametrize("target", range(4))
def test_target_and_logits_drive_the_gradient_bars(gradient, target):
    rng = np.random.default_rng(target)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        gradient.controls["target"].value = target
        for _ in range(5):
            z = rng.integers(-24, 25, size=4) / 4  # on the slider grid, steps of 1/4
            gradient.set(z1=z[0], z2=z[1], z3=z[2], z4=z[3])
            a = softmax(z)
            y = np.zeros(4)
            y[target] = 1.0
            assert heights(gradient.a_bars) == list(a)
            assert heights(gradient.y_bars) == list(y)
            assert heights(gradient.grad_bars) == list(a - y)
            # The gradient of a distribution minus a one-hot vector sums to 0.
            assert abs(sum(heights(gradient.grad_bars))) <= 1e-15
            cost = -(z[target] - z.max() - np.log(np.exp(z - z.max()).sum()))
            assert f"a_{{{target + 1}}}$ = {cost:.4f}" in gradient.readout.get_text()


def test_saturated_logits_give_a_finite_cost_and_a_gradient_of_one(gradient):
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        gradient.set(z1=-6.0, z2=6.0, z3=6.0, z4=-6.0, target=0)
    grad = heights(gradient.grad_bars)
    assert grad[0] == pytest.approx(-1.0, abs=1e-5)
    assert grad[1] == grad[2] == pytest.approx(0.5, abs=1e-5)
    assert "= 12.69" in gradient.readout.get_text()


def test_gradient_update_is_in_place(gradient):
    before = (list(gradient.a_bars), list(gradient.grad_bars), gradient.readout,
              list(gradient.figure.axes))
    gradient.set(target=3, z2=5.0)
    after = (list(gradient.a_bars), list(gradient.grad_bars), gradient.readout,
             list(gradient.figure.axes))
    assert before == after


# --------------------------------------------------------------------------- both


@pytest.mark.parametrize("cls, change", [(InverseExplorer, dict(C=3.0)),
                                         (GradientExplorer, dict(target=2))])
def test_mimebundle_and_picture(cls, change):
    explorer = cls()
    bundle = explorer._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert explorer.canvas._data_url == "data:image/png;base64," + bundle["image/png"]
    assert explorer.canvas in explorer.widget.children
    before = explorer.png()
    explorer.set(**change)
    assert explorer.png() != before


def test_gradient_controls_are_in_the_widget(gradient):
    shown = {gradient.widget.children[0], *gradient.widget.children[1].children}
    assert shown == set(gradient.controls.values())
