"""A softmax layer: its notation for the proofs (nblib.proof.notation, nblib.proof.rewrites),
its numerics (nblib.numerics.layer, nblib.reports.layer) and the helpers of the proof modules
nblib.proofs.pb4–pb6 that their notebooks call."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp

from nblib import Derivation, StepError, log_softmax, softmax
from nblib.numerics.layer import (
    entropy,
    inverse_softmax,
    layer_cost,
    layer_gradients,
    softmax_limit,
)
from nblib.proof.derivation import Remark
from nblib.proof.notation import named
from nblib.proof.rewrites import index_in_range, same_summation_index
from nblib.proofs import pb4, pb5, pb6
from nblib.reports.checks import numerical_gradient
from nblib.reports.layer import check_layer_gradients

z1, z2 = sp.symbols("z_1 z_2", real=True)


# --------------------------------------------------------------------------- named


def test_named_shows_its_name_and_checks_its_definition():
    a1 = named("a_{1}", sp.exp(z1) / (sp.exp(z1) + sp.exp(z2)), "a_1")
    assert sp.latex(a1) == "a_{1}"
    assert sp.sstr(a1) == "a_1"
    assert sp.latex(a1**2) == r"a_{1}^{2}"
    assert a1.definition == sp.exp(z1) / (sp.exp(z1) + sp.exp(z2))
    assert sp.simplify(a1.doit() - 1 / (1 + sp.exp(z2 - z1))) == 0
    # Differentiating the name differentiates the definition.
    assert sp.simplify(sp.diff(a1, z1) - a1.definition * (1 - a1.definition)) == 0
    assert sp.Derivative(a1, z1).doit() == sp.diff(a1.definition, z1)


def test_named_steps_are_checked_through_the_definition():
    a1 = named("a_{1}", sp.exp(z1) / (sp.exp(z1) + sp.exp(z2)))
    a2 = named("a_{2}", sp.exp(z2) / (sp.exp(z1) + sp.exp(z2)))
    Derivation(a1 + a2).step(1, "they sum to 1")
    with pytest.raises(StepError, match="does not follow"):
        Derivation(a1).step(a2)


def test_named_terms_are_ordered_by_name_not_by_creation():
    # Names made in any order print in the same order, so a chain reads the same in its
    # notebook and on the index and errata pages, which build it after other chains.
    t = sp.Symbol("t", real=True)
    late, early = named("y_{9}", t, "y_9"), named("a_{9}", t**2, "a_9")
    assert sp.latex(late - early) == "- a_{9} + y_{9}"
    assert sp.sstr(early - late) == "a_9 - y_9"
    # A name that reads as one symbol takes a power as it is; a longer one in parentheses.
    assert sp.latex(named("z", t, "z") ** 2) == "z^{2}"
    assert sp.latex(named(r"\delta_{2}", t) ** 3) == r"\delta_{2}^{3}"
    assert sp.latex(named(r"\frac{1}{1 - a}", t) ** 2) == r"\left(\frac{1}{1 - a}\right)^{2}"


def test_named_with_the_same_name_and_definition_is_the_same_expression():
    assert named("C", sp.log(z1)) == named("C", sp.log(z1))
    assert named("C", sp.log(z1)) != named("D", sp.log(z1))


@pytest.mark.parametrize("latex, definition, text, error", [
    ("", z1, None, TypeError),
    (3, z1, None, TypeError),
    ("a", z1, 5, TypeError),
    ("a", object(), None, TypeError),
])
def test_named_rejects_bad_input(latex, definition, text, error):
    with pytest.raises(error, match="named: argument"):
        named(latex, definition, text)


# --------------------------------------------------------------------------- hints

n = sp.Symbol("n", integer=True, positive=True)
j, k = sp.symbols("j k", integer=True, positive=True)
z = sp.IndexedBase("z", real=True)
S = sp.Sum(sp.exp(z[k]), (k, 1, n))


def test_index_in_range_settles_the_derivative_of_a_sum():
    derivative = sp.Derivative(S, z[j]) / S
    with pytest.raises(StepError, match="could not be decided"):
        Derivation(derivative, integers=[{n: 3, j: 2}]).step(sp.exp(z[j]) / S)
    chain = Derivation(derivative, integers=[{n: 3, j: 2}, {n: 4, j: 4}],
                       hints=[index_in_range({j: n})])
    chain.step(sp.exp(z[j]) / S, "j is one of the n neurons")
    assert chain.checked_steps == 1


def test_index_in_range_rejects_bad_input():
    with pytest.raises(TypeError, match="index_in_range: argument 'ranges'"):
        index_in_range({})
    with pytest.raises(TypeError, match="index_in_range: argument 'ranges'"):
        index_in_range([(j, n)])
    with pytest.raises(TypeError, match="not a SymPy Symbol"):
        index_in_range({z[j]: n})


def test_same_summation_index_identifies_renamed_sums():
    renamed = sp.Sum(sp.exp(z[j]), (j, 1, n))
    assert same_summation_index(renamed / S - 1) == 0
    # Sums over different ranges stay different.
    assert same_summation_index(sp.Sum(sp.exp(z[j]), (j, 1, n + 1)) - S) != 0
    with pytest.raises(TypeError, match="same_summation_index: argument 'expr'"):
        same_summation_index("Sum")


# --------------------------------------------------------------------------- inversion


def test_inverse_softmax_round_trip_for_any_constant():
    a = np.array([0.1, 0.2, 0.3, 0.4])
    for constant in (0.0, -3.5, 700.0):
        # ln a_j + C is rounded to the spacing of floats near C: ~|C|·ε relative in a_j.
        rtol = 4 * max(1.0, abs(constant)) * np.finfo(float).eps
        np.testing.assert_allclose(softmax(inverse_softmax(a, constant)), a, rtol=rtol)
    np.testing.assert_allclose(inverse_softmax(a, 2.0), np.log(a) + 2.0, rtol=0, atol=0)


def test_inverse_softmax_along_an_axis():
    z = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]])
    back = inverse_softmax(softmax(z, axis=0), axis=0)
    np.testing.assert_allclose(back - back.mean(axis=0), z - z.mean(axis=0), atol=1e-14)


def test_inverse_softmax_refuses_an_underflowed_output():
    a = softmax(np.array([0.0, -800.0, 1.0]))
    assert a[1] == 0.0
    with pytest.raises(ValueError, match=r"a_j = 0 at index 1.*log_softmax"):
        inverse_softmax(a)


@pytest.mark.parametrize("a, constant, error, match", [
    ([0.5, 0.6], 0.0, ValueError, "must sum to 1"),
    ([-0.5, 1.5], 0.0, ValueError, "nonnegative"),
    (0.5, 0.0, ValueError, "single number"),
    ([0.5, 0.5], [1.0, 2.0], TypeError, "'constant' must be a real number"),
    ([0.5, 0.5], np.inf, ValueError, "'constant' is infinite"),
    ("ab", 0.0, TypeError, "argument 'a'"),
])
def test_inverse_softmax_rejects_bad_input(a, constant, error, match):
    with pytest.raises(error, match=match):
        inverse_softmax(a, constant)


# --------------------------------------------------------------------------- entropy


def test_entropy_of_known_distributions():
    assert entropy([0.25] * 4) == pytest.approx(np.log(4), rel=1e-15)
    assert entropy([0.5, 0.5, 0.0, 0.0]) == pytest.approx(np.log(2), rel=1e-15)
    assert entropy([0.0, 1.0, 0.0]) == 0.0
    assert str(entropy([0.0, 1.0])) == "0.0"  # +0.0, not −0.0
    p = np.array([0.1, 0.2, 0.7])
    assert entropy(p) == pytest.approx(-(p * np.log(p)).sum(), rel=1e-15)


def test_entropy_along_an_axis_and_without_warnings():
    rows = np.array([[0.5, 0.5], [1.0, 0.0], [1e-320, 1.0]])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        out = entropy(rows, axis=1)
    assert out.shape == (3,)
    np.testing.assert_allclose(out, [np.log(2), 0.0, 0.0], atol=1e-300)
    np.testing.assert_allclose(entropy(rows.T, axis=0), out)


@pytest.mark.parametrize("bad, error", [([0.4, 0.4], ValueError), ([[0.5, 0.5]], None),
                                        (0.3, ValueError), ([np.nan, 1.0], ValueError),
                                        (None, TypeError)])
def test_entropy_rejects_bad_input(bad, error):
    if error is None:  # a valid 2-d input, for contrast
        assert entropy(bad).shape == (1,)
        return
    with pytest.raises(error, match="entropy: argument 'a'"):
        entropy(bad)


# --------------------------------------------------------------------------- limits


def test_softmax_limit_with_ties():
    z = np.array([3.0, 3.0, 1.0, -1.0, -1.0])
    np.testing.assert_array_equal(softmax_limit(z, np.inf), [0.5, 0.5, 0, 0, 0])
    np.testing.assert_array_equal(softmax_limit(z, -np.inf), [0, 0, 0, 0.5, 0.5])
    np.testing.assert_array_equal(softmax_limit(z, 0), [0.2] * 5)
    np.testing.assert_array_equal(softmax_limit([2.0, -1.0, 3.25, 0.5], float("inf")),
                                  [0, 0, 1, 0])


def test_softmax_limit_is_where_softmax_goes():
    z = np.array([1.0, 0.5, 1.0, -2.0])
    for c, limit in ((1e6, np.inf), (-1e6, -np.inf), (1e-12, 0)):
        np.testing.assert_allclose(softmax(z, c), softmax_limit(z, limit), atol=1e-11)


def test_softmax_limit_along_an_axis():
    z = np.array([[1.0, 2.0], [1.0, 0.0]])
    np.testing.assert_array_equal(softmax_limit(z, np.inf, axis=0), [[0.5, 1.0], [0.5, 0.0]])


@pytest.mark.parametrize("z, c, error, match", [
    ([1.0, 2.0], 1.0, ValueError, "for a finite c use nblib.softmax"),
    ([1.0, 2.0], "inf", TypeError, "'c' must be np.inf"),
    ([1.0, 2.0], True, TypeError, "'c' must be np.inf"),
    ([1.0, 2.0], np.nan, ValueError, "'c' must be np.inf"),
    (1.0, np.inf, ValueError, "at least one neuron"),
    ([1.0, np.inf], np.inf, ValueError, "argument 'z'"),
    ([1.0, 2.0], np.inf, ValueError, "'axis' is 3"),
])
def test_softmax_limit_rejects_bad_input(z, c, error, match):
    axis = 3 if "axis" in match else -1
    with pytest.raises(error, match=match):
        softmax_limit(z, c, axis=axis)


# --------------------------------------------------------------------------- the layer

RNG = np.random.default_rng(5)
W, B, X = RNG.normal(size=(3, 2)), RNG.normal(size=3), RNG.normal(size=2)


def test_layer_cost_is_minus_log_of_the_target_output():
    a = softmax(W @ X + B)
    for target in range(3):
        assert layer_cost(W, B, X, target) == pytest.approx(-np.log(a[target]), rel=1e-14)


def test_layer_cost_stays_finite_when_the_target_output_underflows():
    w = np.array([[1000.0], [-1000.0]])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        cost = layer_cost(w, np.zeros(2), np.ones(1), 1)
    assert cost == 2000.0
    assert softmax(w @ np.ones(1))[1] == 0.0  # so −ln a would be inf


def test_layer_gradients_are_equations_81_and_82():
    for target in range(3):
        grad_w, grad_b = layer_gradients(W, B, X, target)
        delta = softmax(W @ X + B) - np.eye(3)[target]
        # Equal to the rounding of a_j − 1 (one ulp of 1): the target's entry is computed as
        # −Σ_{k≠j} a_k, which is the more accurate of the two.
        np.testing.assert_allclose(grad_b, delta, rtol=0, atol=np.finfo(float).eps)
        np.testing.assert_array_equal(grad_w, grad_b[:, None] * X[None, :])
        numeric = numerical_gradient(lambda v, t=target: layer_cost(v, B, X, t), W)
        np.testing.assert_allclose(grad_w, numeric, atol=1e-9)


def test_check_layer_gradients_reports_both_parameters():
    results = check_layer_gradients(W, B, X, 1, name="layer", tol=1e-6, floor=1e-6)
    assert [r.name for r in results] == ["layer: ∂C/∂w, (82)", "layer: ∂C/∂b, (81)"]
    assert all(r.passed for r in results)


def test_the_cost_uses_log_softmax():
    z = W @ X + B
    assert layer_cost(W, B, X, 2) == -log_softmax(z)[2]


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(w=np.ones(3)), ValueError, "must be a matrix"),
    (dict(b=np.ones(2)), ValueError, "b needs shape"),
    (dict(x=np.ones(3)), ValueError, "x shape"),
    (dict(target=3), ValueError, "'target' must be in 0..2"),
    (dict(target=1.0), TypeError, "'target' must be an integer"),
    (dict(w=np.full((3, 2), 1e308), x=np.full(2, 1e308)), ValueError, "overflows"),
    (dict(b=[np.nan, 0, 0]), ValueError, "argument 'b' contains NaN"),
])
def test_layer_functions_reject_bad_input(kwargs, error, match):
    args = dict(w=W, b=B, x=X, target=0) | kwargs
    for func in (layer_cost, layer_gradients):
        with pytest.raises(error, match=match):
            func(**args)
    with pytest.raises(error, match=match):
        check_layer_gradients(**args, name="bad")
    with pytest.raises(TypeError, match="'name' must be a str"):
        check_layer_gradients(W, B, X, 0, name=None)


# --------------------------------------------------------------------------- proof modules
# The DERIVATIONS and CHECKS of nblib.proofs.pb4–pb6 run in tests/test_proofs.py; here the
# helpers their notebooks call besides those, and the remarks for the errata page.


def test_pb4_printed_results(capsys):
    pb4.constant()
    pb4.converse_sizes()
    pb4.underflow()
    pb4.refusal()
    pb4.stable_logs()
    out = capsys.readouterr().out
    assert "does j occur in it? False" in out
    assert out.count("3 steps checked ✓") == 3
    assert "['divide by zero encountered in log']" in out
    assert "ln a − z   = [-1.313, -1.305, -inf, -1.313]" in out
    assert "a_j = 0 at index 2" in out
    assert "log_softmax(z) − z = [-1.313, -1.313, -1.313, -1.313] []" in out


def test_pb4_converse_sizes_are_checked():
    with pytest.raises(ValueError, match="'size' must be 2, 3, 4 or 5"):
        pb4.converse_with_sum_one(6)
    assert pb4.converse_with_sum_one(3).result == sp.Symbol("a_1", positive=True)


def test_pb5_printed_results(capsys):
    pb5.saturated_cost()
    pb5.saturated_gradients()
    out = capsys.readouterr().out
    assert "−ln a_2 from softmax: inf" in out and "layer_cost:           2300.0" in out
    assert "ỹ = 1:  ∂C/∂b = a − y = [0. 0. 0.]" in out
    assert "ỹ = 2:  ∂C/∂b = a − y = [ 1. -1.  0.]" in out


def test_pb5_every_parameter_rejects_a_bad_target():
    with pytest.raises(ValueError, match="'target' must be 0, 1 or 2"):
        pb5.every_parameter(3)


def test_pb5_source_errors_are_lines_6_and_7():
    wrong = [s.reason for s in pb5.same_class().source_errors]
    assert [r.split(":")[0] for r in wrong] == ["source, line 6", "source, line 7"]
    assert not pb5.other_class().source_errors


def test_pb6_printed_results(capsys):
    pb6.positivity()
    pb6.overflow()
    out = capsys.readouterr().out
    assert out.count("every a_j > 0 for all real c and z: True") == 4
    assert out.count("'overflow encountered in exp'") == 3
    assert "stable: [0.5, 0, 0, 0.5]  []" in out


def test_pb6_tables():
    limits = pb6.limit_table()
    assert limits.header == ("case", "z", "sympy", "softmax_limit")
    assert limits.rows[1][2:] == ("[1/2, 1/2, 0, 0]", "[0.5, 0.5, 0.0, 0.0]")
    assert limits.rows[2][2:] == ("[0, 1/2, 1/2, 0]", "[0.0, 0.5, 0.5, 0.0]")
    assert limits.rows[3][:3] == ("c → 0, any z", "(z_1, …, z_4)", "[1/4, 1/4, 1/4, 1/4]")
    convergence = pb6.convergence_table()
    assert [row[0] for row in convergence.rows][2] == "tie for the min, c → −∞"
    assert convergence.rows[2][1::2] == ("-1", "-4", "-16", "-64", "-256")
    # the distance falls with every step of c towards the limit
    for row in convergence.rows:
        distances = [float(cell) for cell in row[2::2]]
        assert distances == sorted(distances, reverse=True)


def test_pb6_term_limits_and_naive_formula():
    assert [eq.rhs for eq in pb6.term_limits()] == [sp.oo, 1, 0]
    with np.errstate(all="ignore"):
        assert np.isnan(pb6.naive(pb6.BOOK, 1e6)).any()
    np.testing.assert_allclose(pb6.naive(pb6.BOOK, 1.0), softmax(pb6.BOOK), rtol=1e-15)
    with pytest.raises(ValueError, match="'size' must be a positive integer"):
        pb6.sum_of_layer(0)


@pytest.mark.parametrize("module", [pb4, pb5, pb6])
def test_remarks_carry_evidence(module):
    for make in module.REMARKS:
        remark = make()
        assert isinstance(remark, Remark) and remark.notebook == module.__name__.rsplit(".")[-1]
        assert remark.evidence and remark.where.startswith("chapter 3 · Problem")
