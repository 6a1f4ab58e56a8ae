"""Tests for nblib.reports.checks: finite differences against known derivatives, exact report
text."""

import dataclasses
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nblib.numerics.activations import sigmoid, sigmoid_prime, softmax
from nblib.reports.checks import (
    CheckReport,
    CheckResult,
    check_claim,
    check_gradient,
    check_jacobian,
    check_values,
    combine_checks,
    numerical_derivative,
    numerical_gradient,
    numerical_jacobian,
    relative_error,
)

FEW = settings(max_examples=200, deadline=None)

def sum_sin(x):
    return np.sum(np.sin(x))


def softmax_jacobian(z):
    a = softmax(z)
    return np.diag(a) - np.outer(a, a)


class Printer:
    """Minimal stand-in for IPython's pretty printer."""

    def __init__(self):
        self.out = ""

    def text(self, s):
        self.out += s


# --------------------------------------------------------------------------- numerical_gradient


@FEW
@given(st.lists(st.floats(-10, 10), min_size=1, max_size=5).map(np.array))
def test_numerical_gradient_of_sum_sin_is_cos(x):
    np.testing.assert_allclose(numerical_gradient(sum_sin, x), np.cos(x), rtol=0, atol=1e-8)


def test_numerical_gradient_keeps_the_shape_of_x():
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    g = numerical_gradient(sum_sin, x)
    assert g.shape == (2, 3)
    np.testing.assert_allclose(g, np.cos(x), atol=1e-8)
    g0 = numerical_gradient(lambda t: t**3, 2.0)
    assert isinstance(g0, np.ndarray)
    assert g0.shape == ()
    assert g0 == pytest.approx(12.0, rel=1e-9)


def test_numerical_gradient_of_quadratic_form():
    a = np.array([[2.0, 1.0, 0.0], [0.5, 3.0, -1.0], [0.0, 4.0, 1.0]])
    x = np.array([0.3, -1.2, 2.0])
    g = numerical_gradient(lambda v: v @ a @ v, x)
    np.testing.assert_allclose(g, (a + a.T) @ x, rtol=1e-9)


def test_numerical_gradient_uses_a_relative_step_for_large_x():
    # An absolute step of 1e-6 would vanish next to 1e12 (spacing there is 1.2e-4).
    x = np.array([1e12, -3e12])
    g = numerical_gradient(lambda v: np.sum(v**2) / 1e12, x)
    np.testing.assert_allclose(g, 2 * x / 1e12, rtol=1e-8)


def test_numerical_gradient_is_robust_to_f_modifying_its_argument():
    def f(v):
        v *= 2.0  # a careless f that works in place
        return np.sum(v**2)

    x = np.array([1.0, -2.0])
    g = numerical_gradient(f, x)
    np.testing.assert_allclose(g, 8 * np.array([1.0, -2.0]), rtol=1e-9)
    np.testing.assert_array_equal(x, [1.0, -2.0])


def test_numerical_gradient_accepts_python_floats_and_lists():
    assert numerical_gradient(lambda v: float(v[0] * v[1]), [2.0, 3.0]) == pytest.approx([3, 2])


def test_numerical_gradient_errors():
    with pytest.raises(
        ValueError,
        match=r"^numerical_gradient: f must return a single number.*"
        r"shape \(2,\); use numerical_jacobian",
    ):
        numerical_gradient(lambda v: v, [1.0, 2.0])
    with pytest.raises(
        ValueError,
        match=r"^numerical_gradient: f returned a non-finite value "
        r"\(nan\) at x$",
    ):
        numerical_gradient(lambda v: np.nan, [1.0])
    with pytest.raises(
        ValueError,
        match=r"^numerical_gradient: f returned a non-finite value "
        r"\(inf\) at x with x\[0, 1\] shifted by \+1e-06$",
    ):
        numerical_gradient(lambda v: np.inf if v[0, 1] > 0 else 0.0, [[0.0, 0.0]])
    with pytest.raises(
        TypeError,
        match=r"^numerical_gradient: f must return real numbers, "
        r"but returned str 'x' at x",
    ):
        numerical_gradient(lambda v: "x", [1.0])
    with pytest.raises(
        TypeError,
        match=r"^numerical_gradient: f must return real numbers, .*"
        r"NoneType",
    ):
        numerical_gradient(lambda v: None, [1.0])
    with pytest.raises(TypeError, match=r"^numerical_gradient: argument 'f' must be a function"):
        numerical_gradient(1.0, [1.0])
    with pytest.raises(ValueError, match=r"^numerical_gradient: argument 'h' must be positive"):
        numerical_gradient(sum_sin, [1.0], h=0.0)
    with pytest.raises(ValueError, match=r"^numerical_gradient: argument 'x' contains NaN"):
        numerical_gradient(sum_sin, [np.nan])
    with pytest.raises(ValueError, match=r"^numerical_gradient: argument 'x' is empty"):
        numerical_gradient(sum_sin, [])


def test_numerical_gradient_refuses_to_step_past_the_float64_limit():
    biggest = float(np.finfo(np.float64).max)
    pattern = r"^numerical_gradient: argument 'x' has x\[0, 1\] = -1\.8e\+308, too close"
    with pytest.raises(ValueError, match=pattern):
        numerical_gradient(np.sum, [[1.0, -biggest]])


# --------------------------------------------------------------------------- numerical_jacobian


def test_numerical_jacobian_of_softmax():
    z = np.array([0.3, -1.0, 2.0, 0.0])
    j = numerical_jacobian(softmax, z)
    assert j.shape == (4, 4)
    np.testing.assert_allclose(j, softmax_jacobian(z), atol=1e-9)


def test_numerical_jacobian_shape_is_f_shape_plus_x_shape():
    x = np.arange(6.0).reshape(2, 3)
    a = np.arange(12.0).reshape(4, 3) - 5
    j = numerical_jacobian(lambda v: a @ v.T, x)  # f(x) has shape (4, 2)
    assert j.shape == (4, 2, 2, 3)
    # ∂(a xᵀ)[i, k] / ∂x[l, m] = a[i, m]·[k = l]
    expected = np.einsum("im,kl->iklm", a, np.eye(2))
    np.testing.assert_allclose(j, expected, atol=1e-8)


def test_numerical_jacobian_of_scalar_function_is_the_gradient():
    x = np.array([0.1, 0.2])
    np.testing.assert_array_equal(numerical_jacobian(sum_sin, x), numerical_gradient(sum_sin, x))


def test_numerical_jacobian_errors():
    with pytest.raises(ValueError, match=r"^numerical_jacobian: f returned shape \(1,\) at x but"):
        numerical_jacobian(lambda v: np.ones(1 if v[0] == 0 else 2), [0.0])
    with pytest.raises(
        ValueError,
        match=r"^numerical_jacobian: f returned a non-finite value "
        r"\(nan at index \(1,\)\)",
    ):
        numerical_jacobian(lambda v: np.array([1.0, np.nan]), [0.0])


# --------------------------------------------------------------------------- relative_error


def test_relative_error_values():
    np.testing.assert_array_equal(
        relative_error([1.0, 0.0, 2.0, 1.0, 0.0], [1.1, 0.0, 1.0, -1.0, 1e-20]),
        [abs(1.0 - 1.1) / 1.1, 0.0, 0.5, 2.0, 1e-8],
    )
    assert type(relative_error(1.0, 2.0)) is np.float64
    assert relative_error(0.0, 1e-20, floor=1e-30) == 1.0


@FEW
@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_relative_error_is_symmetric_and_bounded(a, b):
    e = relative_error(a, b)
    assert e == relative_error(b, a)
    assert 0.0 <= e <= 2.0


def test_relative_error_errors():
    with pytest.raises(ValueError, match=r"^relative_error: arguments 'actual' and 'expected'"):
        relative_error([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match=r"^relative_error: argument 'floor' must be positive"):
        relative_error(1.0, 1.0, floor=0)
    with pytest.raises(TypeError, match=r"^relative_error: argument 'expected' is a str"):
        relative_error(1.0, "1")


# --------------------------------------------------------------------------- CheckResult text


def test_check_result_states_its_resolution_never_the_error_digits():
    for error in (0.0, 5e-324, 1.2e-16, 3.24e-10, np.float64(9.99e-9)):
        r = CheckResult("f", error, 1e-6, resolution=1e-8)
        assert str(r) == "f: worst relative error < 1e-08, tolerance 1e-06 ✓"
        assert r.within_bound and r.passed
    assert repr(r) == str(r)
    printer = Printer()
    r._repr_pretty_(printer, cycle=False)
    assert printer.out == str(r)


@FEW
@given(st.floats(min_value=0, max_value=1e-8, exclude_max=True))
def test_any_error_below_the_resolution_prints_the_same_line(error):
    # The property the portability rule rests on: the text does not depend on the error.
    line = "σ′: worst absolute error < 1e-08, tolerance 1e-06 ✓"
    assert str(CheckResult("σ′", error, 1e-6, kind="absolute", resolution=1e-8)) == line


def test_without_a_resolution_the_claim_is_the_tolerance():
    line = "g: worst relative error within the tolerance 1e-06 ✓"
    assert str(CheckResult("g", 3e-7, 1e-6)) == line
    assert str(CheckResult("g", 0.0, 1 / 4096, kind="absolute")) == (
        "g: worst absolute error within the tolerance 0.000244 ✓")


def test_exact_checks_and_ulps():
    assert str(CheckResult("max", 0.0, 0.0, kind="absolute")) == (
        "max: absolute error 0, as exact as required ✓")
    assert str(CheckResult("max", 2**-54, 0.0, kind="absolute")) == (
        "max: worst absolute error 5.6e-17, where 0 is required ✗")
    assert str(CheckResult("Σ a", 1.5, 4, kind="ulps")) == (
        "Σ a: worst error within the tolerance 4 ulps ✓")
    assert str(CheckResult("Σ a", 1.5, 4, kind="ulps", resolution=2)) == (
        "Σ a: worst error < 2 ulps, tolerance 4 ulps ✓")


def test_failures_show_the_error_against_the_tolerance():
    bad = CheckResult("g", 0.031, 1e-6, kind="absolute", resolution=1e-8)
    assert str(bad) == "g: worst absolute error 0.031, over the tolerance 1e-06 ✗"
    assert not bad.passed
    infinite = CheckResult("i", float("inf"), 1e-6)
    assert str(infinite) == "i: worst relative error inf, over the tolerance 1e-06 ✗"


def test_an_error_above_its_stated_resolution_is_shown_as_such():
    # Passes, but the stated bound was wrong: the line says so (and the portability test
    # refuses such a line in a stored output).
    r = CheckResult("f", 3e-8, 1e-6, resolution=1e-8)
    assert r.passed and not r.within_bound
    assert str(r) == ("f: worst relative error 3e-08, not below the stated resolution 1e-08; "
                      "tolerance 1e-06 ✓")
    assert not CheckResult("f", 1e-8, 1e-6, resolution=1e-8).within_bound  # strictly below


def test_check_result_tolerance_is_inclusive():
    assert CheckResult("f", 1e-6, 1e-6).passed
    assert not CheckResult("f", 1.0000001e-6, 1e-6).passed


def test_assert_ok():
    r = CheckResult("f", 1e-12, 1e-6)
    assert r.assert_ok() is r
    bad = CheckResult("g", 0.5, 1e-6)
    expected = "g: worst relative error 0.5, over the tolerance 1e-06 ✗"
    with pytest.raises(AssertionError, match=f"^{re.escape(expected)}$"):
        bad.assert_ok()


def test_resolution_is_validated():
    with pytest.raises(ValueError, match=r"^CheckResult: argument 'resolution' \(1e-05\) must "
                                         r"not exceed the tolerance \(1e-06\)"):
        CheckResult("f", 0.0, 1e-6, resolution=1e-5)
    with pytest.raises(ValueError, match=r"^CheckResult: argument 'resolution' must be positive"):
        CheckResult("f", 0.0, 1e-6, resolution=0.0)
    with pytest.raises(ValueError, match=r"^CheckResult: argument 'resolution' is NaN"):
        CheckResult("f", 0.0, 1e-6, resolution=float("nan"))


def test_check_result_is_frozen_and_validated():
    r = CheckResult("f", np.float32(0.5), 1)
    assert type(r.worst_error) is float
    assert type(r.tolerance) is float
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.worst_error = 0.0
    with pytest.raises(ValueError, match=r"^CheckResult: argument 'worst_error' must be"):
        CheckResult("f", float("nan"), 1e-6)
    with pytest.raises(ValueError, match=r"^CheckResult: argument 'worst_error' must be"):
        CheckResult("f", -1e-9, 1e-6)
    with pytest.raises(ValueError, match=r"^CheckResult: argument 'worst_error' must be"):
        CheckResult("f", True, 1e-6)
    with pytest.raises(ValueError, match=r"^CheckResult: argument 'tolerance' must be nonneg"):
        CheckResult("f", 0.0, -1e-9)
    with pytest.raises(ValueError, match=r"^CheckResult: argument 'kind' must be one of"):
        CheckResult("f", 0.0, 1e-6, kind="relativ")
    with pytest.raises(TypeError, match=r"^CheckResult: argument 'name' must be a str"):
        CheckResult(3, 0.0, 1e-6)


# --------------------------------------------------------------------------- claims


def test_a_claim_states_what_was_found():
    held = check_claim("n = 3: ∂a_j/∂z_k = a_j(δ_jk − a_k)", True, "9 of 9 entries reduce to 0")
    assert str(held) == "n = 3: ∂a_j/∂z_k = a_j(δ_jk − a_k): 9 of 9 entries reduce to 0 ✓"
    assert held.passed and held.within_bound and held.assert_ok() is held
    assert (held.worst_error, held.tolerance, held.kind) == (0.0, 0.0, "absolute")
    failed = check_claim("n = 2", np.bool_(False), "3 of 4 entries reduce to 0")
    assert not failed.passed and failed.worst_error == 1.0
    with pytest.raises(AssertionError, match=r"^n = 2: 3 of 4 entries reduce to 0 ✗$"):
        failed.assert_ok()


def test_claims_sit_in_a_report_beside_tolerance_checks():
    report = CheckReport([check_claim("sign pattern", True, "holds in 5 of 5 layers"),
                          CheckResult("g", 3e-7, 1e-6)])
    assert str(report).splitlines() == ["sign pattern: holds in 5 of 5 layers ✓",
                                        "g: worst relative error within the tolerance 1e-06 ✓",
                                        "all 2 checks passed"]
    report.append(check_claim("outputs moved", False, "3 of 3"))
    with pytest.raises(AssertionError, match=r"outputs moved: 3 of 3 ✗\n1 of 3 checks failed$"):
        report.assert_ok()


def test_a_claim_needs_a_bool_and_a_detail():
    with pytest.raises(TypeError, match="argument 'holds' must be a bool"):
        check_claim("x", 1, "found")
    with pytest.raises(TypeError, match="argument 'holds' must be a bool"):
        check_claim("x", None, "found")
    with pytest.raises(TypeError, match="argument 'detail' must be a non-empty str"):
        check_claim("x", True, "")


def test_only_an_exact_check_may_replace_its_bound_by_a_detail():
    with pytest.raises(ValueError, match="only an exact check"):
        CheckResult("g", 0.0, 1e-6, detail="looks fine")
    with pytest.raises(ValueError, match="only an exact check"):
        CheckResult("g", 0.0, 0.0, resolution=1e-9, detail="looks fine")
    assert str(CheckResult("g", 0.0, 0.0, "absolute", detail="exactly 0")) == "g: exactly 0 ✓"


def test_claims_are_not_folded_by_combine_checks():
    with pytest.raises(ValueError, match="cannot be folded"):
        combine_checks([check_claim("a", True, "yes")], "both")


# --------------------------------------------------------------------------- check_*


def test_check_gradient_passes_a_right_gradient():
    x = np.array([-2.0, 0.5, 1.0, 3.0])
    r = check_gradient(sum_sin, np.cos, x, name="d/dx Σ sin x")
    assert r.passed
    assert r.worst_error < 1e-8
    assert str(r).startswith("d/dx Σ sin x: worst relative error")


@pytest.mark.parametrize(
    "wrong",
    [
        lambda x: -np.cos(x),
        lambda x: np.cos(x) * (1 + 1e-4),
        lambda x: np.sin(x),
        lambda x: np.cos(x) + np.array([0.0, 0.0, 1e-3, 0.0]),
    ],
)
def test_check_gradient_catches_a_wrong_gradient(wrong):
    r = check_gradient(sum_sin, wrong, np.array([-2.0, 0.5, 1.0, 3.0]), name="wrong")
    assert not r.passed
    with pytest.raises(AssertionError, match=r"^wrong: worst relative error .* ✗$"):
        r.assert_ok()


def test_check_gradient_of_cost_in_weighted_input():
    # σ′ is the derivative of σ: checked entry by entry through a sum.
    z = np.linspace(-6, 6, 13)
    r = check_gradient(lambda v: np.sum(sigmoid(v)), sigmoid_prime, z, name="σ′")
    assert r.passed


def test_check_gradient_errors():
    with pytest.raises(ValueError, match=r"^check_gradient: grad\(x\) must have the shape of x"):
        check_gradient(sum_sin, lambda x: np.cos(x)[:1], [1.0, 2.0], name="f")
    with pytest.raises(TypeError, match=r"^check_gradient: argument 'grad' must be a function"):
        check_gradient(sum_sin, None, [1.0], name="f")
    with pytest.raises(ValueError, match=r"^check_gradient: grad returned a non-finite value"):
        check_gradient(sum_sin, lambda x: x * np.nan, [1.0], name="f")
    with pytest.raises(ValueError, match=r"^check_gradient: argument 'tol' must be nonnegative"):
        check_gradient(sum_sin, np.cos, [1.0], name="f", tol=-1)
    with pytest.raises(ValueError, match=r"^check_gradient: f must return a single number"):
        check_gradient(np.sin, np.cos, [1.0], name="f")


def test_check_jacobian():
    z = np.array([0.3, -1.0, 2.0])
    assert check_jacobian(softmax, softmax_jacobian, z, name="softmax").passed
    wrong = check_jacobian(softmax, lambda v: np.diag(softmax(v)), z, name="softmax")
    assert not wrong.passed
    elementwise = check_jacobian(sigmoid, lambda v: np.diag(sigmoid_prime(v)), z, name="σ′")
    assert elementwise.passed
    with pytest.raises(ValueError, match=r"^check_jacobian: jac\(x\) must have shape .*\(3, 3\)"):
        check_jacobian(softmax, softmax, z, name="softmax")


def test_check_values():
    r = check_values([1.0, 2.0], [1.0, 2.0 + 2e-12], name="exact", tol=1e-9)
    assert r.passed
    assert r.kind == "relative"
    assert r.worst_error == pytest.approx(1e-12, rel=1e-3)
    a = check_values([1e-3, 0.0], [0.0, 0.0], name="abs", tol=1e-2, kind="absolute",
                     resolution=2e-3)
    assert str(a) == "abs: worst absolute error < 2e-03, tolerance 1e-02 ✓"
    assert not check_values([1e-3], [0.0], name="rel", tol=1e-2).passed
    same = check_values(0.25, 0.25, name="same", tol=1e-15)
    assert str(same) == "same: worst relative error within the tolerance 1e-15 ✓"
    ulps = check_values([1.0, 3.0], [0.0, 0.0], name="u", tol=4, kind="ulps", resolution=4)
    assert str(ulps) == "u: worst error < 4 ulps, tolerance 4 ulps ✓"


def test_check_values_errors():
    with pytest.raises(ValueError, match=r"^check_values: argument 'kind' must be one of"):
        check_values([1.0], [1.0], name="x", tol=1e-6, kind="ulp")
    with pytest.raises(ValueError, match=r"^check_values: arguments 'actual' and 'expected'"):
        check_values([1.0], [1.0, 2.0], name="x", tol=1e-6)
    with pytest.raises(ValueError, match=r"^check_values: argument 'tol' must be nonnegative"):
        check_values([1.0], [1.0], name="x", tol=-1e-12)


def test_zero_tolerance_asks_for_an_exact_result():
    exact = check_values([0.25], [0.25], name="max", tol=0, kind="absolute")
    assert exact.passed
    assert str(exact) == "max: absolute error 0, as exact as required ✓"
    off = check_values([0.25 + 2**-54], [0.25], name="max", tol=0, kind="absolute")
    assert not off.passed and str(off).endswith("where 0 is required ✗")


# --------------------------------------------------------------------------- CheckReport


def test_check_report_text_and_assert():
    good = CheckResult("a", 3.24e-10, 1e-6, resolution=1e-9)
    bad = CheckResult("b", 0.5, 1e-6)
    report = CheckReport([good])
    assert str(report) == (
        "a: worst relative error < 1e-09, tolerance 1e-06 ✓\nall 1 check passed"
    )
    assert report.assert_ok() is report
    assert report.append(bad) is bad
    report.extend([CheckResult("c", 0.0, 1e-6)])
    assert str(report).splitlines() == [
        "a: worst relative error < 1e-09, tolerance 1e-06 ✓",
        "b: worst relative error 0.5, over the tolerance 1e-06 ✗",
        "c: worst relative error within the tolerance 1e-06 ✓",
        "1 of 3 checks failed",
    ]
    assert repr(report) == str(report)
    printer = Printer()
    report._repr_pretty_(printer, cycle=False)
    assert printer.out == str(report)
    assert not report.passed
    assert report.failures == [bad]
    with pytest.raises(AssertionError, match=r"1 of 3 checks failed$"):
        report.assert_ok()
    assert str(CheckReport([good, good])).endswith("\nall 2 checks passed")


def test_check_report_is_list_like():
    results = [CheckResult(name, 0.0, 1e-6) for name in "xyz"]
    report = CheckReport(results)
    assert len(report) == 3
    assert list(report) == results
    assert report[1] is results[1]
    assert report[-1] is results[2]
    assert isinstance(report[1:], CheckReport)
    assert list(report[1:]) == results[1:]
    assert results[0] in report
    with pytest.raises(TypeError, match=r"^CheckReport.append: argument 'result' must be"):
        report.append("x: ok")


def test_empty_check_report():
    report = CheckReport()
    assert str(report) == "no checks"
    assert report.passed
    assert report.assert_ok() is report


def test_numerical_derivative_of_elementwise_functions():
    x = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(numerical_derivative(np.sin, x), np.cos(x), atol=1e-8)
    # Each entry keeps its own rounding: σ′ to ~1e-11 absolute over the whole grid,
    # where differencing a sum of 601 outputs would be ~100× worse.
    assert np.abs(numerical_derivative(sigmoid, x) - sigmoid_prime(x)).max() < 1e-10


def test_numerical_derivative_errors_are_named():
    with pytest.raises(ValueError, match="numerical_derivative: f must be elementwise"):
        numerical_derivative(lambda v: v.sum(), np.ones(3))
    with pytest.raises(ValueError, match="numerical_derivative: argument 'x' has entries too"):
        numerical_derivative(np.sin, np.array([np.finfo(float).max]))
    with pytest.raises(TypeError, match="numerical_derivative"):
        numerical_derivative("sin", np.ones(2))


# --------------------------------------------------------------------------- the page's view


def test_a_check_reads_as_a_few_words():
    assert CheckResult("σ(0) == ½", 0.0, 0.0).verdict() == "holds exactly"
    assert CheckResult("f", 3e-9, 1e-6, resolution=1e-8).verdict() == (
        "relative error < 1e-08 (tolerance 1e-06)")
    assert CheckResult("f", 1.0, 4.0, kind="ulps").verdict() == "error within 4 ulps"
    # A failure, or an error above the stated bound, keeps the full wording.
    failed = CheckResult("f", 2e-6, 1e-6)
    assert failed.verdict() == failed.error_text() and "over the tolerance" in failed.verdict()


def test_few_checks_read_as_sentences_and_many_as_a_table():
    few = CheckReport([CheckResult("a < b", 0.0, 0.0), CheckResult("c & d", 0.0, 0.0)])
    page = few._repr_html_()
    assert "<table>" not in page
    assert "<p>✓ a &lt; b: holds exactly.</p><p>✓ c &amp; d: holds exactly.</p>" in page
    many = CheckReport([CheckResult(f"n = {n}", 0.0, 0.0) for n in range(4)]
                       + [CheckResult("worse", 1.0, 0.0)])
    page = many._repr_html_()
    assert page.startswith("<p>✗ 1 of 5 checks fail:</p><table>")
    assert page.count("<tr>") == 6  # a header and one row per check


def test_the_printed_report_stays_one_click_away():
    report = CheckReport([CheckResult("x < 1", 0.0, 0.0)])
    page = report._repr_html_()
    folded = page[page.index("<details>"):]
    assert folded.endswith("</pre></details>")
    assert str(report).replace("<", "&lt;") in folded
    assert report[0]._repr_html_().startswith("<p>✓ x &lt; 1: holds exactly.</p><details>")
