"""One sigmoid neuron: its float64 costs (nblib.numerics.neuron), its mpmath oracle
(nblib.reports.oracles) and its SymPy helpers (nblib.proof.notation, rewrites, claims)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from nblib.numerics.activations import sigmoid
from nblib.numerics.costs import binary_entropy, cross_entropy
from nblib.numerics.floats import float_warnings
from nblib.numerics.neuron import (
    cost_from_z,
    cost_prime,
    cost_second,
    cross_entropy_argmin,
    cross_entropy_grid,
    dcost_dz,
    first_float_where,
    input_with_same_z,
    kl_divergence,
    neuron_cost,
    swapped_cross_entropy,
    textbook_cross_entropy,
    weight_gradient,
)
from nblib.proof.claims import Equivalence, Positivity
from nblib.proof.derivation import Derivation, StepError
from nblib.proof.notation import Softplus, named
from nblib.proof.rewrites import unit_interval_substitution
from nblib.reports.checks import (
    CheckResult,
    combine_checks,
    numerical_derivative,
    numerical_gradient,
)
from nblib.reports.oracles import cross_entropy_reference

# --------------------------------------------------------------------------- floats


def test_first_float_where_finds_the_sigmoid_saturation_point():
    z1 = first_float_where(lambda z: sigmoid(z) == 1.0, 0.0, 100.0)
    assert sigmoid(z1) == 1.0
    assert sigmoid(np.nextafter(z1, -np.inf)) < 1.0
    # 1 + e^{−z} rounds to 1 once e^{−z} ≤ 2^{−53}, i.e. z ≥ 53 ln 2.
    assert z1 == pytest.approx(53 * math.log(2), abs=1e-13)


def test_first_float_where_is_exact_on_a_known_threshold_and_handles_negatives():
    assert first_float_where(lambda x: x >= 1.5, 0.0, 2.0) == 1.5
    assert first_float_where(lambda x: x > -2.0, -3.0, 0.0) == np.nextafter(-2.0, 0.0)
    assert first_float_where(lambda x: x >= 0.0, -1.0, 1.0) == 0.0
    z0 = first_float_where(lambda z: sigmoid(z) > 0.0, -1000.0, 0.0)
    assert sigmoid(z0) > 0.0 and sigmoid(np.nextafter(z0, -np.inf)) == 0.0


def test_first_float_where_rejects_bad_brackets():
    with pytest.raises(ValueError, match="lo < hi"):
        first_float_where(lambda x: x > 0, 1.0, 1.0)
    with pytest.raises(ValueError, match="false at lo"):
        first_float_where(lambda x: x > 0, 0.5, 1.0)
    with pytest.raises(ValueError, match="true at"):
        first_float_where(lambda x: x > 5, 0.0, 1.0)
    with pytest.raises(TypeError, match="'predicate'"):
        first_float_where(3, 0.0, 1.0)
    with pytest.raises(ValueError, match="'lo'"):
        first_float_where(lambda x: x > 0, float("nan"), 1.0)


def test_textbook_cross_entropy_warns_and_returns_inf_or_nan_at_one():
    value, warnings = float_warnings(textbook_cross_entropy, np.array([1.0, 1.0]),
                                     np.array([0.0, 1.0]))
    assert np.isinf(value[0]) and value[0] > 0
    assert np.isnan(value[1])  # 0 · ln 0
    assert "divide by zero encountered in log" in warnings
    inside, quiet = float_warnings(textbook_cross_entropy, 0.25, 0.5)
    assert quiet == [] and inside == pytest.approx(float(cross_entropy(0.25, 0.5)), rel=1e-15)


def test_textbook_cross_entropy_validates():
    with pytest.raises(ValueError, match="'a'"):
        textbook_cross_entropy(1.5, 0.5)
    with pytest.raises(ValueError, match="same shape"):
        textbook_cross_entropy([0.5, 0.5], 0.5)


# --------------------------------------------------------------------------- costs of a


def test_swapped_cross_entropy_values_and_infinities():
    a = np.array([0.3, 0.3, 0.0, 1.0, 0.5, 1.0, 0.0])
    y = np.array([0.0, 1.0, 0.0, 1.0, 0.5, 0.0, 1.0])
    value, warnings = float_warnings(swapped_cross_entropy, a, y)
    assert warnings == []
    assert np.isinf(value[:2]).all() and (value[:2] > 0).all()
    assert value[2] == 0.0 and value[3] == 0.0  # 0 · ln 0 = 0 and ln 1 = 0
    assert value[4] == pytest.approx(math.log(2), rel=1e-15)
    assert np.isinf(value[5]) and np.isinf(value[6])
    inner = swapped_cross_entropy(0.2, 0.7)
    assert inner == pytest.approx(-(0.2 * math.log(0.7) + 0.8 * math.log(0.3)), rel=1e-15)


def test_swapped_is_the_right_form_with_arguments_exchanged():
    rng = np.random.default_rng(1)
    a, y = rng.uniform(0.01, 0.99, (2, 50))
    np.testing.assert_allclose(swapped_cross_entropy(a, y), cross_entropy(y, a), rtol=1e-14)


def test_swapped_cross_entropy_validates():
    with pytest.raises(ValueError, match="'y'"):
        swapped_cross_entropy(0.5, -0.1)
    with pytest.raises(TypeError, match="'a'"):
        swapped_cross_entropy("x", 0.5)


def test_kl_divergence_against_mpmath_and_its_zero():
    rng = np.random.default_rng(2)
    y, a = rng.uniform(0.01, 0.99, (2, 40))
    expected = [float(mpmath.mpf(yi) * mpmath.log(mpmath.mpf(yi) / ai)
                      + (1 - mpmath.mpf(yi)) * mpmath.log((1 - mpmath.mpf(yi)) / (1 - ai)))
                for yi, ai in zip(y, a, strict=True)]
    np.testing.assert_allclose(kl_divergence(y, a), expected, rtol=1e-12, atol=1e-15)
    assert kl_divergence(0.3, 0.3) == 0.0
    assert kl_divergence(0.0, 0.5) == pytest.approx(math.log(2))
    assert kl_divergence(1.0, 0.25) == pytest.approx(math.log(4))


def test_kl_divergence_is_cost_minus_entropy_and_nonnegative():
    y = np.linspace(0, 1, 33)[:, None] * np.ones((1, 99))
    a = np.linspace(0.01, 0.99, 99)[None, :] * np.ones((33, 1))
    kl = kl_divergence(y, a)
    assert (kl >= 0).all()
    np.testing.assert_allclose(kl, cross_entropy(a, y) - binary_entropy(y), atol=1e-14)


def test_kl_divergence_validates():
    with pytest.raises(ValueError, match="'a'"):
        kl_divergence(0.5, 1.0)
    with pytest.raises(ValueError, match="'y'"):
        kl_divergence(2.0, 0.5)


@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy"])
def test_cost_derivatives_against_central_differences(cost):
    rng = np.random.default_rng(3)
    a = rng.uniform(0.01, 0.99, 200)
    y = np.concatenate([rng.uniform(0, 1, 198), [0.0, 1.0]])
    f = (lambda t: cross_entropy(t, y)) if cost == "cross_entropy" else (
        lambda t: 0.5 * (t - y) ** 2)
    np.testing.assert_allclose(cost_prime(a, y, cost), numerical_derivative(f, a),
                               rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(cost_second(a, y, cost),
                               numerical_derivative(lambda t: cost_prime(t, y, cost), a),
                               rtol=1e-6)


def test_cost_derivative_closed_forms():
    assert cost_prime(0.25, 0.5) == pytest.approx((0.25 - 0.5) / (0.25 * 0.75))
    assert cost_second(0.25, 0.5) == pytest.approx(0.5 / 0.0625 + 0.5 / 0.5625)
    assert cost_prime(2.0, 0.5, "quadratic") == 1.5  # quadratic accepts any a
    assert cost_second(0.3, 0.5, "quadratic") == 1.0


def test_cost_derivatives_validate():
    with pytest.raises(ValueError, match="'a'"):
        cost_prime(0.0, 0.5)
    with pytest.raises(ValueError, match="'cost'"):
        cost_second(0.5, 0.5, "hinge")
    with pytest.raises(TypeError, match="'cost'"):
        cost_prime(0.5, 0.5, cost=1)


def test_cross_entropy_argmin_lands_on_y():
    grid = np.arange(1, 256) / 256
    y = np.arange(1, 256) / 256
    np.testing.assert_array_equal(cross_entropy_argmin(y, grid), y)
    assert cross_entropy_argmin(0.0, grid) == grid[0]  # no interior minimum at y = 0
    assert cross_entropy_argmin(1.0, grid) == grid[-1]
    off = cross_entropy_argmin(np.array([[0.3, 0.7]]), grid)
    assert off.shape == (1, 2) and np.all(np.abs(off - [[0.3, 0.7]]) <= 1 / 512)


def test_cross_entropy_grid_rows_are_targets():
    grid = np.array([0.25, 0.5, 0.75])
    table = cross_entropy_grid([0.0, 0.5, 1.0], grid)
    assert table.shape == (3, 3)
    np.testing.assert_allclose(table[1], cross_entropy(grid, np.full(3, 0.5)), rtol=1e-15)
    np.testing.assert_allclose(table[0], -np.log(1 - grid), rtol=1e-15)
    with pytest.raises(ValueError, match="'y' must be one-dimensional"):
        cross_entropy_grid([[0.5]], grid)


def test_cross_entropy_reference_agrees_with_the_stable_form():
    z = np.array([-1e300, -800.0, -5.0, 0.0, 5.0, 800.0, 1e300])
    y = np.array([1.0, 0.5, 0.0, 0.25, 1.0, 0.0, 0.5])
    np.testing.assert_allclose(cross_entropy_reference(z, y), cost_from_z(z, y), rtol=1e-15)
    assert cross_entropy_reference(0.0, 0.0) == pytest.approx(math.log(2), rel=1e-16)
    with pytest.raises(ValueError, match="'digits'"):
        cross_entropy_reference(0.0, 0.0, digits=10)
    with pytest.raises(ValueError, match="'y'"):
        cross_entropy_reference(0.0, 2.0)


def test_combine_checks_keeps_the_worst():
    parts = [CheckResult("a", 1e-9, 1e-6), CheckResult("b", 3e-8, 1e-6)]
    combined = combine_checks(parts, name="both")
    assert combined.worst_error == 3e-8 and combined.name == "both" and combined.passed
    with pytest.raises(ValueError, match="one tolerance"):
        combine_checks([CheckResult("a", 0, 1e-6), CheckResult("b", 0, 1e-3)], name="x")
    with pytest.raises(TypeError, match="non-empty"):
        combine_checks([], name="x")


def test_cross_entropy_argmin_validates():
    with pytest.raises(ValueError, match="'grid'"):
        cross_entropy_argmin(0.5, [0.0, 0.5])
    with pytest.raises(ValueError, match="one-dimensional"):
        cross_entropy_argmin(0.5, [[0.25, 0.5]])


# --------------------------------------------------------------------------- the neuron


def test_cost_from_z_matches_the_cost_of_sigma():
    z = np.linspace(-10, 10, 41)
    y = np.linspace(0, 1, 41)
    np.testing.assert_allclose(cost_from_z(z, y, "quadratic"), 0.5 * (sigmoid(z) - y) ** 2,
                               rtol=1e-15)
    np.testing.assert_allclose(cost_from_z(z, y), cross_entropy(sigmoid(z), y), rtol=1e-12)
    assert cost_from_z(1e300, 0.0) == 1e300


@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy"])
def test_dcost_dz_against_central_differences(cost):
    rng = np.random.default_rng(4)
    z = np.concatenate([rng.normal(0, 5, 100), [-40.0, 0.0, 40.0]])
    y = rng.uniform(0, 1, z.size)
    np.testing.assert_allclose(dcost_dz(z, y, cost),
                               numerical_derivative(lambda t: cost_from_z(t, y, cost), z),
                               rtol=1e-5, atol=1e-9)


def test_dcost_dz_stays_exact_when_saturated():
    assert dcost_dz(1000.0, 0.0) == 1.0  # σ − y, no division by σ′ = 0
    assert dcost_dz(1000.0, 0.0, "quadratic") == 0.0


@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy"])
def test_weight_gradient_against_finite_differences(cost):
    rng = np.random.default_rng(5)
    for _ in range(5):
        w, x = rng.normal(0, 1, (2, 4))
        b, y = rng.normal(), rng.uniform()
        numeric = numerical_gradient(lambda v, x=x, b=b, y=y: neuron_cost(v, x, b, y, cost), w)
        np.testing.assert_allclose(weight_gradient(w, x, b, y, cost), numeric,
                                   rtol=1e-6, atol=1e-10)


def test_weight_gradient_is_zero_where_the_input_is():
    g = weight_gradient([0.5, -1.0], [0.0, 2.0], 0.25, 1.0, "quadratic")
    assert g[0] == 0.0 and g[1] != 0.0


def test_neuron_validation():
    with pytest.raises(ValueError, match="same shape"):
        weight_gradient([1.0, 2.0], [1.0], 0.0, 0.5)
    with pytest.raises(ValueError, match="'y'"):
        neuron_cost([1.0], [1.0], 0.0, 1.5)
    with pytest.raises(TypeError, match="'b'"):
        neuron_cost([1.0], [1.0], [0.0], 0.5)
    with pytest.raises(ValueError, match="overflows"):
        neuron_cost([1e300, 1e300], [1e300, 1e300], 0.0, 0.5)
    with pytest.raises(ValueError, match="one-dimensional"):
        weight_gradient([[1.0]], [[1.0]], 0.0, 0.5)


def test_input_with_same_z_keeps_the_weighted_input():
    w = np.array([0.5, -1.0, 0.75])
    x = np.array([1.0, 0.5, -1.0])
    moved = input_with_same_z(x, w, 0, -1.5, via=1)
    assert moved[0] == -1.5 and moved[2] == x[2]
    assert w @ moved == w @ x  # exact for these binary fractions
    rng = np.random.default_rng(6)
    w, x = rng.normal(0, 1, (2, 6))
    moved = input_with_same_z(x, w, 3, 2.0, via=5)
    assert w @ moved == pytest.approx(w @ x, abs=1e-12)


def test_input_with_same_z_validates():
    w, x = [1.0, 0.0], [1.0, 1.0]
    with pytest.raises(ValueError, match="w\\[1\\] = 0"):
        input_with_same_z(x, w, 0, 2.0, via=1)
    with pytest.raises(ValueError, match="must differ"):
        input_with_same_z(x, w, 0, 2.0, via=0)
    with pytest.raises(ValueError, match="'j' is 5"):
        input_with_same_z(x, w, 5, 2.0, via=0)
    with pytest.raises(TypeError, match="'via'"):
        input_with_same_z(x, w, 1, 2.0, via=0.0)
    with pytest.raises(ValueError, match="'xj'"):
        input_with_same_z(x, [1.0, 1.0], 1, float("inf"), via=0)


# --------------------------------------------------------------------------- symbolic


def test_softplus_displays_and_evaluates():
    t = sp.Symbol("t", real=True)
    assert sp.latex(Softplus(t)) == r"\operatorname{softplus}\left(t\right)"
    assert Softplus(t).doit() == sp.log(1 + sp.exp(t))
    assert sp.simplify(sp.diff(Softplus(t), t) - 1 / (1 + sp.exp(-t))) == 0


def test_a_named_weighted_input_reads_z_and_differentiates_as_its_sum():
    # pb3's z = w·x + b: shown as z (z' for a second input), seen through by every check.
    w, x, b = sp.symbols("w x b", real=True)
    z, prime = named("z", w * x + b), named("z'", w * x)
    assert sp.latex(z) == "z" and str(z) == "z"
    assert z.doit() == w * x + b and sp.diff(z, w) == x
    assert sp.latex(prime**2) == "z'^{2}" and prime.doit() == w * x


def test_unit_interval_substitution_covers_the_open_interval():
    a = sp.Symbol("a", real=True)
    sub = unit_interval_substitution([a])
    (t,) = sub[a].free_symbols
    assert t.is_positive
    assert (a * (1 - a)).subs(sub).factor().is_positive
    with pytest.raises(TypeError):
        unit_interval_substitution(["a"])


def test_equivalence_accepts_a_true_step_and_renders_it():
    a, y = sp.symbols("a y", real=True)
    domains = {a: (0.05, 0.95), y: (0.05, 0.95)}
    with sp.evaluate(False):
        before, after = (y / a, (1 - y) / (1 - a)), (y - a * y, a - a * y)
    step = Equivalence(before, after, a * (1 - a), reason="multiply by $a(1-a)$",
                       unit_symbols=[a], domains=domains)
    latex = step._repr_latex_()
    assert r"\iff" in latex and latex.count(r"\checkmark") == 2
    assert "y - a y = a - a y" in latex  # the source's form is kept
    assert step.factor_sign == "positive" and step.checked_steps == 2
    assert isinstance(step, Derivation) and "<=>" in str(step)
    number = Equivalence((y - a, 0), (a, y), -1, reason="move $y$", domains=domains)
    assert r"-1 &\ne 0" in number._repr_latex_()


def test_equivalence_rejects_a_wrong_identity_and_an_unsigned_factor():
    a, y = sp.symbols("a y", real=True)
    domains = {a: (0.05, 0.95), y: (0.05, 0.95)}
    with pytest.raises(StepError, match="does not follow"):
        Equivalence((y / a, 1), (y, a + 1), a, reason="wrong", unit_symbols=[a],
                    domains=domains)
    with pytest.raises(StepError, match="never 0"):  # a true identity, but f = a − y can be 0
        Equivalence((y, a), ((a - y) * y, (a - y) * a), a - y, reason="?", unit_symbols=[a],
                    domains=domains)
    with pytest.raises(TypeError, match="pair"):
        Equivalence(sp.Eq(a, y), (a, y), 1, reason="x")


def test_positivity_of_the_second_derivative_and_a_failure():
    a, y = sp.symbols("a y", real=True)
    check = Positivity(y / a**2 + (1 - y) / (1 - a) ** 2, [a, y], lhs="C''(a)")
    assert check.holds and r"\checkmark" in check._repr_latex_()
    assert isinstance(check, Derivation) and check.checked_steps == 2
    assert str(check).endswith("> 0 ✓")
    with pytest.raises(StepError, match="cannot show"):
        Positivity(a - y, [a, y])


# --------------------------------------------------------------------------- proof modules
# DERIVATIONS and CHECKS run in tests/test_proofs.py; here the other functions the
# notebooks call.


def test_ex2_symbolic_helpers():
    from nblib.proofs import ex2

    assert all(end.has(sp.zoo) for end in ex2.swapped_at_ends())
    assert ex2.swapped_limits() == [sp.oo, sp.oo]
    ends, finite = ex2.right_at_ends()
    assert ends == [-sp.log(1 - ex2.a), -sp.log(ex2.a)] and finite == [True, True]
    assert ex2.from_z_is_finite() is True
    assert ex2.gap_is_positive() == [True, True]


def test_ex1_overflow_warnings_table():
    from nblib.proofs import ex1

    table = ex1.overflow_warnings()
    assert table.rows == (("textbook 1/(1 + exp(-z))", "['overflow encountered in exp']"),
                          ("nblib sigmoid", "[]"), ("nblib sigmoid_prime", "[]"))
    assert str(table).splitlines()[0] == "formula                   NumPy's warnings"


def test_ex2_numeric_helpers(capsys):
    from nblib.proofs import ex2

    points = ex2.saturation_points()
    assert sigmoid(points["z_one"]) == 1.0 and sigmoid(points["just_below"]) < 1.0
    assert sigmoid(points["z_zero"]) == 0.0
    assert ex2.breakdown_z()[2] == points["z_one"]
    ex2.show_saturation()
    assert "σ(z) == 1.0: 36.7368" in capsys.readouterr().out
    breakdown = ex2.show_textbook_breakdown(target=0.0)
    assert breakdown.header == ("z", "textbook", "from z")
    assert breakdown.rows[2] == ("36.7368", "inf", "36.7368")  # the first saturated z
    assert breakdown.notes == ("warnings: ['divide by zero encountered in log']",)
    assert [row[1] for row in ex2.show_textbook_breakdown(target=1.0).rows][2:] == ["nan"] * 4
    accuracy = ex2.show_accuracy().rows
    assert accuracy[0] == ("5.0", "< 1e-13", "< 1e-13")
    assert all(row[2] == "< 1e-13" for row in accuracy)
    assert "cross_entropy_from_z" in ex2.refusal()
    assert ex2.swapped_warnings().rows[2] == ("y = 0.5", "[]")
    (remark,) = [make() for make in ex2.REMARKS]
    assert remark.notebook == "ex2" and "float64" in remark.what_holds and remark.float64


def test_ex3_and_pb3_helpers(capsys):
    from nblib.proofs import ex3, pb3

    assert ex3.second_at_ends() == [((1 - ex3.a) ** -2, True), (ex3.a**-2, True)]
    assert ex3.second_differences().min() > 0
    points, targets = ex3.sample_points()
    assert points.shape == targets.shape == (404,)
    # The strict C″ > 0 is an extra fact, not a defect of the source (C″ ≥ 0 suffices).
    assert not getattr(ex3, "REMARKS", ())
    assert ex3.minimum_value() == ex3.H
    pb3.show_pair()
    assert capsys.readouterr().out.count("ratio 3.00000\n") == 2
    w, x, moved, b = pb3.pair()
    assert moved[0] == 3 * x[0] and w @ moved + b == pytest.approx(w @ x + b, abs=1e-14)
    assert len(pb3.neurons()) == 42
    assert (pb3.zero_input_entries() == 0).all()
