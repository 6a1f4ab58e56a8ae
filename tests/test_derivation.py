"""The step-checked derivation: true chains pass, wrong steps are named, source errors show ✗."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from nblib.proof.derivation import Derivation, StepError
from nblib.proof.equality import compare
from nblib.proof.symbolic import sigma

z = sp.symbols("z", real=True)
a, y = sp.symbols("a y", positive=True)
SIG = 1 / (1 + sp.exp(-z))


def sigmoid_chain() -> Derivation:
    d = Derivation(sp.Derivative(sigma(z), z), lhs=r"\sigma'(z)", reason="definition")
    d.step(sp.exp(-z) / (1 + sp.exp(-z)) ** 2, "chain rule")
    d.step(sigma(z) * (1 - sigma(z)), "factor")
    return d


def test_true_chain_passes_and_counts_steps():
    d = sigmoid_chain()
    assert d.checked_steps == 2
    assert [s.mark for s in d.steps] == ["", "✓", "✓"]
    assert sp.simplify(d.result.doit() - SIG * (1 - SIG)) == 0


@pytest.mark.parametrize(
    "wrong, why",
    [
        (sp.exp(z) / (1 + sp.exp(-z)) ** 2, "dropped minus sign in an exponent"),
        (sp.exp(-z) / (1 + sp.exp(-z)) ** 3, "wrong power"),
        (-sp.exp(-z) / (1 + sp.exp(-z)) ** 2, "wrong overall sign"),
    ],
)
def test_wrong_step_is_rejected_and_named(wrong, why):
    d = Derivation(sp.Derivative(SIG, z), reason="definition")
    d.step(sp.exp(-z) / (1 + sp.exp(-z)) ** 2, "chain rule")
    with pytest.raises(StepError, match=r"step 2 \('" + why + r"'\) does not follow") as err:
        d.step(wrong, why)
    assert "residual" in str(err.value) and "counterexample" in str(err.value)
    assert len(d.steps) == 2, "a rejected step must not be appended"


def test_counterexample_really_is_one():
    d = Derivation(SIG * (1 - SIG))
    with pytest.raises(StepError):
        d.step(sp.exp(z) / (1 + sp.exp(-z)) ** 2)
    verdict = compare(SIG * (1 - SIG), sp.exp(z) / (1 + sp.exp(-z)) ** 2)
    (value,) = verdict.counterexample.values()
    before = float((SIG * (1 - SIG)).subs(z, value))
    after = float((sp.exp(z) / (1 + sp.exp(-z)) ** 2).subs(z, value))
    assert abs(before - after) > 1e-3
    assert verdict.values == pytest.approx((before, after))


def test_source_error_renders_cross_and_does_not_raise():
    d = Derivation(sp.Derivative(SIG, z))
    d.source_error(sp.exp(z) / (1 + sp.exp(-z)) ** 2, "source, line 2",
                   correction=sp.exp(-z) / (1 + sp.exp(-z)) ** 2)
    d.step(SIG * (1 - SIG), "factor")
    assert [s.mark for s in d.steps] == ["", "✗", "✓", "✓"]
    assert len(d.source_errors) == 1
    latex = d._repr_latex_()
    assert latex.count(r"\checkmark") == 2 and latex.count(r"\times") == 1
    text = str(d)
    assert "✗  off by" in text and "1 ✗ (source errors, corrected)" in text


def test_source_error_that_is_actually_right_is_refused():
    d = Derivation(sp.Derivative(SIG, z))
    with pytest.raises(StepError, match="recorded as a source error"):
        d.source_error(sp.exp(-z) / (1 + sp.exp(-z)) ** 2, "source", correction=SIG)


def test_wrong_correction_still_raises():
    d = Derivation(sp.Derivative(SIG, z))
    with pytest.raises(StepError, match="corrected line"):
        d.source_error(sp.exp(z) / (1 + sp.exp(-z)) ** 2, "source",
                       correction=sp.exp(z) / (1 + sp.exp(-z)) ** 3)


def test_chain_continues_from_the_correction_not_the_wrong_line():
    d = Derivation(sp.Derivative(SIG, z))
    wrong = sp.exp(z) / (1 + sp.exp(-z)) ** 2
    d.source_error(wrong, "source", correction=sp.exp(-z) / (1 + sp.exp(-z)) ** 2)
    with pytest.raises(StepError):
        d.step(wrong * 2 / 2 + 0, "repeating the wrong line")


def test_assumptions_matter():
    # sqrt(a**2) = a holds for positive a; for a real z it does not.
    Derivation(sp.sqrt(a**2)).step(a, "a > 0")
    with pytest.raises(StepError):
        Derivation(sp.sqrt(z**2)).step(z, "not for negative z")


def test_domains_restrict_the_numeric_check():
    # ln(y) + ln(1 - y) = ln(y - y**2) holds on 0 < y < 1, where both sides are defined.
    d = Derivation(sp.log(y) + sp.log(1 - y), domains={y: (0.01, 0.99)})
    d.step(sp.log(y - y**2), "product of logs")
    assert d.checked_steps == 1


def test_undefined_function_chain_rule():
    w, x, b = sp.symbols("w x b", real=True)
    cost = sp.Function("C")
    expr = cost(sigma(w * x + b))
    d = Derivation(sp.Derivative(expr, w))
    d.step(sp.Subs(sp.Derivative(cost(a), a), a, sigma(w * x + b)).doit()
           * sp.Derivative(sigma(w * x + b), w).doit(), "chain rule")
    with pytest.raises(StepError):
        d.step(d.result / x, "dividing out x_j is not allowed")


def test_undecided_is_never_marked():
    # An identity SymPy cannot reduce: the numbers agree, so the verdict is undecided.
    lhs = sp.gamma(z + 1) - z * sp.gamma(z)
    verdict = compare(sp.S.Zero, lhs, domains={z: (0.5, 3.0)}, hints=())
    assert verdict.status in {"equal", "undecided"}
    if verdict.status == "undecided":
        with pytest.raises(StepError, match="could not be decided"):
            Derivation(sp.S.Zero, domains={z: (0.5, 3.0)}).step(lhs)


def test_latex_rendering_has_one_mark_per_checked_step():
    latex = sigmoid_chain()._repr_latex_()
    assert latex.startswith("$$\\begin{aligned}") and latex.endswith("\\end{aligned}$$")
    assert latex.count(r"\checkmark") == 2
    assert r"\sigma'(z) &=" in latex


def test_reason_with_mathematics_and_special_characters_renders():
    d = Derivation(z + 1, reason="see {BP1} & 50% of $e^{-z}$")
    latex = d._repr_latex_()
    assert r"e^{-z}" in latex and r"\text{see (BP1) and 50 percent of }" in latex
    with pytest.raises(ValueError, match="unmatched"):
        Derivation(z, reason="a $ b")._repr_latex_()


def test_prime_in_a_reason_is_set_as_mathematics():
    latex = Derivation(z, reason="definition of σ′ here")._repr_latex_()
    assert r"\text{definition of σ}'\text{ here}" in latex


def test_text_is_deterministic():
    assert str(sigmoid_chain()) == str(sigmoid_chain())


def test_general_n_numeric_check_uses_integer_assignments():
    n = sp.Symbol("n", integer=True, positive=True)
    k = sp.Idx("k")
    zz = sp.IndexedBase("z")
    total = sp.Sum(sp.exp(zz[k]), (k, 1, n))
    d = Derivation(sp.Sum(sp.exp(zz[k]) / total, (k, 1, n)),
                   integers=[{n: 2}, {n: 3}, {n: 5}])
    d.step(total / total, "common denominator")
    d.step(sp.S.One, "cancel")
    with pytest.raises(StepError):
        Derivation(sp.Sum(sp.exp(zz[k]), (k, 1, n)) / n,
                   integers=[{n: 2}, {n: 3}]).step(sp.S.One)


# The numeric check's evaluator walks the tree in mpmath; sp.N (an independent evaluator,
# with its own precision control) is the oracle. Every node kind the walk has a rule for,
# a principal-branch complex value, and nodes it leaves to sp.N.
X, Y = sp.symbols("x y", real=True)
EVALUATED = [
    sp.exp(-X) / (1 + sp.exp(-X)) ** 2,
    sp.log(1 + X**2) - sp.Rational(3, 7) * Y,
    sp.sin(X) * sp.cos(Y) + sp.tan(X / 3) + sp.atan(Y),
    sp.sinh(X) - sp.cosh(Y) * sp.tanh(X * Y),
    sp.Abs(X - Y) + sp.pi * sp.E,
    sp.log(X),                         # complex where x < 0
    X ** sp.Rational(1, 3),            # principal cube root: complex where x < 0
    (X + sp.I * Y) ** 2,
    sp.Float("0.1", 30) * X ** -3,
    sp.gamma(X + 4) + sp.erf(Y),       # no rule: evaluated by sp.N
]


@pytest.mark.parametrize("expr", EVALUATED, ids=sp.sstr)
@pytest.mark.parametrize("point", [{X: 0.601, Y: -1.25}, {X: -2.375, Y: 0.125}])
def test_numeric_values_agree_with_sympys_own_evaluation(expr, point):
    from nblib.proof.equality import _evaluate

    oracle = sp.N(expr.xreplace({k: sp.Float(v, 40) for k, v in point.items()}), 40)
    with mpmath.workdps(40):
        exact = mpmath.mpc(*(str(part) for part in oracle.as_real_imag()))
        value = _evaluate(expr, point)
        assert abs(value - exact) <= mpmath.mpf("1e-28") * max(1, abs(exact))


def test_a_point_where_a_side_is_undefined_has_no_value():
    from nblib.proof.equality import _evaluate

    assert _evaluate(1 / (X - Y), {X: 0.5, Y: 0.5}) is None
    assert _evaluate(sp.log(X - Y), {X: 0.5, Y: 0.5}) is None
