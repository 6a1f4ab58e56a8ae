"""The softmax Jacobian: nblib.numerics.jacobians against independent oracles, the symbolic
helpers of nblib.proof.softmax and nblib.proof.rewrites against SymPy, and the errors for bad
input; and the helpers of the proof modules ex4–ex6 that tests/test_proofs.py does not run
(tables, single results, remarks)."""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp

import nblib.proof.softmax
from nblib.numerics.activations import sigmoid_prime, softmax
from nblib.numerics.floats import float_warnings
from nblib.numerics.jacobians import (
    EPS,
    jacobian_from_activations,
    naive_softmax,
    sigmoid_layer_jacobian,
    sign_pattern_holds,
    softmax_jacobian,
    softmax_sign_pattern,
    ulps_from_one,
)
from nblib.proof.derivation import Derivation, Remark, StepError
from nblib.proof.rewrites import (
    distinct_indices,
    in_range_pieces,
    rename_sum_indices,
    sift_kronecker_sums,
    sifted,
)
from nblib.proof.softmax import (
    Z,
    check_identity,
    check_jacobian_signs,
    jacobian_in_activations,
    softmax_a,
    softmax_sum_derivation,
    symbolic_softmax_jacobian,
    z_vector,
)
from nblib.proofs import ex4, ex5, ex6
from nblib.reports.checks import CheckReport, CheckResult, numerical_jacobian
from nblib.reports.table import Table

n = sp.Symbol("n", integer=True, positive=True)
j, k, m = sp.Idx("j"), sp.Idx("k"), sp.Idx("m")


def mp_jacobian(z):
    """∂a_j/∂z_k with 50 digits, from the definition (an oracle independent of the code)."""
    with mpmath.workdps(50):
        e = [mpmath.exp(mpmath.mpf(float(v))) for v in z]
        total = mpmath.fsum(e)
        a = [x / total for x in e]
        return np.array([[float(a[r] * ((1 if r == c else 0) - a[c])) for c in range(len(z))]
                         for r in range(len(z))])


# --------------------------------------------------------------------------- NumPy


@pytest.mark.parametrize("seed", range(5))
def test_softmax_jacobian_matches_50_digit_oracle(seed):
    z = np.random.default_rng(seed).normal(0, 4, 6)
    np.testing.assert_allclose(softmax_jacobian(z), mp_jacobian(z), rtol=8 * EPS, atol=0)


def test_softmax_jacobian_matches_central_differences():
    z = np.array([0.3, -1.2, 2.0, 0.0])
    np.testing.assert_allclose(softmax_jacobian(z), numerical_jacobian(softmax, z), atol=1e-9)


def test_batched_equals_one_at_a_time():
    batch = np.random.default_rng(1).normal(0, 2, (3, 4, 5))
    jac = softmax_jacobian(batch)
    assert jac.shape == (3, 4, 5, 5)
    for index in np.ndindex(3, 4):
        np.testing.assert_array_equal(jac[index], softmax_jacobian(batch[index]))


def test_saturated_diagonal_keeps_its_digits_where_the_literal_formula_gives_zero():
    careful = softmax_jacobian([0.0, 40.0])
    literal = jacobian_from_activations(softmax([0.0, 40.0]))
    exact = float(mpmath.exp(-40) / (1 + mpmath.exp(-40)) ** 2)
    assert careful[1, 1] == pytest.approx(exact, rel=4 * EPS)
    assert literal[1, 1] == 0.0
    assert sign_pattern_holds(careful) and not sign_pattern_holds(literal)


def test_underflow_gives_zeros_and_no_warning():
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        jac = softmax_jacobian([[0.0, 800.0], [1e308, -1e308]])
    assert np.all(jac == 0)
    assert not sign_pattern_holds(jac).any()


def test_one_neuron_has_zero_jacobian():
    assert softmax_jacobian([3.0]).tolist() == [[0.0]]
    assert not sign_pattern_holds(softmax_jacobian([3.0]))


def test_rows_and_columns_sum_to_zero():
    jac = softmax_jacobian(np.random.default_rng(2).normal(0, 2, (50, 4)))
    assert np.abs(jac.sum(axis=-1)).max() < 4 * EPS
    assert np.abs(jac.sum(axis=-2)).max() < 4 * EPS


def test_jacobian_from_activations_is_the_literal_formula():
    a = np.array([0.5, 0.25, 0.25])
    expected = np.diag(a) - np.outer(a, a)
    np.testing.assert_array_equal(jacobian_from_activations(a), expected)


def test_sigmoid_layer_jacobian_is_diagonal_sigma_prime():
    z = np.array([[-1.0, 0.0, 2.0], [5.0, -3.0, 0.5]])
    jac = sigmoid_layer_jacobian(z)
    assert jac.shape == (2, 3, 3)
    for row, matrix in zip(z, jac, strict=True):
        np.testing.assert_array_equal(matrix, np.diag(sigmoid_prime(row)))


def test_sign_pattern():
    assert softmax_sign_pattern(3).tolist() == [[1, -1, -1], [-1, 1, -1], [-1, -1, 1]]
    assert softmax_sign_pattern(np.int64(1)).tolist() == [[1]]
    good = softmax_jacobian(np.zeros(3))
    bad = good.copy()
    bad[0, 1] = 0.0
    assert sign_pattern_holds(np.stack([good, bad])).tolist() == [True, False]


def test_ulps_from_one():
    assert ulps_from_one(1.0) == 0
    assert ulps_from_one(1 + EPS) == 1
    assert ulps_from_one(np.nextafter(1.0, 0)) == 0.5
    assert ulps_from_one([1.0, 1 - EPS]).tolist() == [0.0, 1.0]


def test_naive_softmax_agrees_where_finite_and_overflows_beyond():
    z = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(naive_softmax(z), softmax(z), rtol=4 * EPS)
    result, caught = float_warnings(naive_softmax, np.array([1000.0, 0.0]))
    assert "overflow encountered in exp" in caught and np.isnan(result).any()


@pytest.mark.parametrize(
    "func", [softmax_jacobian, jacobian_from_activations, sigmoid_layer_jacobian, naive_softmax]
)
def test_layer_functions_reject_bad_input(func):
    with pytest.raises(ValueError, match="needs at least one neuron"):
        func(1.0)
    with pytest.raises(ValueError, match="contains NaN"):
        func([1.0, np.nan])
    with pytest.raises(TypeError, match="argument '"):
        func("abc")


@pytest.mark.parametrize("bad, error, problem", [
    (0, ValueError, "must be at least 1"), (-2, ValueError, "must be at least 1"),
    (1.5, TypeError, "must be an integer"), (True, TypeError, "must be an integer"),
    ("3", TypeError, "must be an integer"),
])
def test_sizes_must_be_positive_integers(bad, error, problem):
    for func in (softmax_sign_pattern, z_vector, jacobian_in_activations, softmax_sum_derivation):
        with pytest.raises(error, match=f"^{func.__name__}: argument 'n' {problem}"):
            func(bad)


def test_sign_pattern_holds_needs_square_matrices():
    with pytest.raises(ValueError, match="square matrices"):
        sign_pattern_holds(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="square matrices"):
        sign_pattern_holds(np.zeros(3))


def test_ulps_from_one_rejects_bad_input():
    with pytest.raises(ValueError, match="ulps_from_one: argument 'x'"):
        ulps_from_one(np.inf)


# --------------------------------------------------------------------------- SymPy


def test_softmax_a_displays_as_a_and_means_its_definition():
    a1 = softmax_a(1, 3)
    assert sp.latex(a1) == "a_{1}" and str(a1) == "a_1"
    assert sp.latex(a1**2) == "{a_{1}}^{2}"
    expected = sp.exp(Z[1]) / (sp.exp(Z[1]) + sp.exp(Z[2]) + sp.exp(Z[3]))
    assert sp.simplify(a1.doit() - expected) == 0
    general = softmax_a(j, n).doit()
    assert general.has(sp.Sum) and general.has(Z[j])


def test_z_vector():
    assert list(z_vector(3)) == [Z[1], Z[2], Z[3]]


def test_rename_sum_indices_identifies_sums_over_different_letters():
    left = sp.Sum(sp.exp(Z[j]), (j, 1, n))
    right = sp.Sum(sp.exp(Z[k]), (k, 1, n))
    assert left - right != 0
    assert rename_sum_indices(left / right - 1) == 0
    # a constant inside one sum is pulled out first
    assert rename_sum_indices(sp.Sum(2 * sp.exp(Z[j]), (j, 1, n)) - 2 * right) == 0


def test_sifting_and_in_range_pieces():
    kron = sp.Sum(sp.KroneckerDelta(k, m) * sp.exp(Z[m]), (m, 1, n))
    assert sifted(kron) == sp.exp(Z[k])
    assert sift_kronecker_sums(kron - sp.exp(Z[k])) == 0
    evaluated = kron.doit()
    assert isinstance(evaluated, sp.Piecewise)
    assert in_range_pieces(evaluated) == sp.exp(Z[k])
    # a Piecewise whose conditions are not index ranges is left alone
    x = sp.Symbol("x", real=True)
    other = sp.Piecewise((x, x > 0), (0, True))
    assert in_range_pieces(other) == other


def test_distinct_indices_hint():
    hint = distinct_indices(j, k)
    assert hint(sp.KroneckerDelta(j, k) * softmax_a(j, n)) == 0
    with pytest.raises(TypeError, match="distinct_indices"):
        distinct_indices(1, 2)


def test_symbolic_jacobian_and_formula_agree():
    result = check_identity(symbolic_softmax_jacobian(3), jacobian_in_activations(3), label="n = 3")
    assert isinstance(result, CheckResult) and result.passed and result.tolerance == 0
    assert str(result) == "n = 3: 9 of 9 entries reduce to 0, numeric gap < 1e-20 ✓"


def test_check_identity_catches_a_wrong_entry():
    wrong = jacobian_in_activations(2)
    wrong[0, 1] = -wrong[0, 1]
    result = check_identity(symbolic_softmax_jacobian(2), wrong, label="wrong")
    assert not result.passed
    found, gap = result.detail.split(", numeric gap ")
    assert found == "3 of 4 entries reduce to 0" and float(gap) > 1e-3
    assert str(result).startswith("wrong: 3 of 4") and str(result).endswith("✗")
    with pytest.raises(AssertionError, match="wrong: 3 of 4 entries"):
        result.assert_ok()
    with pytest.raises(ValueError, match="same shape"):
        check_identity(sp.Matrix([1, 2]), sp.Matrix([1]), label="x")


def test_check_jacobian_signs(monkeypatch):
    signs = check_jacobian_signs(3)
    assert isinstance(signs, CheckResult) and signs.passed
    assert str(signs) == "n = 3: ∂a_j/∂z_j > 0 for 3 of 3, ∂a_j/∂z_k < 0 (k ≠ j) for 6 of 6 ✓"
    # An off-diagonal entry of the wrong sign is counted, and the claim fails.
    right = symbolic_softmax_jacobian(2)
    wrong = right.copy()
    wrong[0, 1] = -right[0, 1]
    monkeypatch.setattr(nblib.proof.softmax, "symbolic_softmax_jacobian", lambda size: wrong)
    signs = check_jacobian_signs(2)
    assert not signs.passed
    assert str(signs) == "n = 2: ∂a_j/∂z_j > 0 for 2 of 2, ∂a_j/∂z_k < 0 (k ≠ j) for 1 of 2 ✗"


def test_jacobian_in_activations_layout():
    a1, a2 = softmax_a(1, 2), softmax_a(2, 2)
    assert jacobian_in_activations(2) == sp.Matrix([[a1 * (1 - a1), -a1 * a2],
                                                    [-a1 * a2, a2 * (1 - a2)]])


def test_softmax_sum_derivation():
    chain = softmax_sum_derivation(4)
    assert isinstance(chain, Derivation)
    assert chain.result == 1 and chain.checked_steps == 3 and not chain.source_errors
    assert r"\checkmark" in chain._repr_latex_()


def test_hints_make_general_n_derivations_pass_and_wrong_ones_still_fail():
    total = sp.Sum(sp.exp(Z[m]), (m, 1, n))
    chain = Derivation(sp.Derivative(softmax_a(j, n), Z[k]), hints=[sift_kronecker_sums],
                       integers=[{n: 3, j: 1, k: 2}, {n: 3, j: 2, k: 2}])
    chain.step(sp.exp(Z[j]) / total * (sp.KroneckerDelta(j, k) - sp.exp(Z[k]) / total))
    with pytest.raises(StepError):
        chain.step(softmax_a(j, n) * (sp.KroneckerDelta(j, k) + softmax_a(k, n)))


# --------------------------------------------------------------------------- proofs ex4–ex6

#: The one-call cells of the three notebooks that assert claims: each a CheckResult or a
#: CheckReport, asserted by the cell's assert_ok().
REPORTS = {
    ex4: ("example_value", "layer_sizes", "book_example", "overflow", "tie_table"),
    ex5: ("diagonal_is_positive", "jacobian_table", "sign_pattern_count", "one_neuron_numbers"),
    ex6: ("locality_table", "shift_table", "perturbation_table", "difference_table",
          "shift_overflow", "underflow"),
}
#: The one-call cells that show a table.
TABLES = {ex4: ("sigmoid_sum_table", "saturation_table"), ex5: ("saturation_table",)}


def _cells(names):
    return [(m, name) for m, found in names.items() for name in found]


@pytest.mark.parametrize("module, name", _cells(REPORTS), ids=lambda v: getattr(v, "__name__", v))
def test_notebook_reports_pass_and_are_deterministic(module, name):
    first, second = getattr(module, name)(), getattr(module, name)()
    assert isinstance(first, CheckResult | CheckReport) and first.passed
    assert first.assert_ok() is first
    assert str(first) == str(second) and "0x" not in str(first)
    results = first if isinstance(first, CheckReport) else [first]
    assert all(r.detail and r.tolerance == 0 for r in results)  # claims: what was found


@pytest.mark.parametrize("module, name", _cells(TABLES), ids=lambda v: getattr(v, "__name__", v))
def test_notebook_tables_are_tables_and_deterministic(module, name):
    first, second = getattr(module, name)(), getattr(module, name)()
    assert isinstance(first, Table) and first.rows and first._repr_latex_() is None
    assert str(first) == str(second) and "0x" not in str(first)


def test_ex4_tables_hold_what_the_notebook_says():
    assert str(ex4.layer_sizes()).count("3 steps checked ✓") == 5
    assert "Σ σ(z_j) = 2.7764   Σ a_j = 1.0000 ✓" in str(ex4.book_example())
    sums = ex4.sigmoid_sum_table()
    assert sums.header == ("n", "smallest Σσ", "largest Σσ", "share > 1")
    assert sums.rows[0][0] == "1" and sums.rows[0][-1] == "0.000"
    assert sums.rows[-1][0] == "10" and sums.rows[-1][-1] == "1.000"
    assert "Σ a_j − 1 = -1.0 ulps ✓" in str(ex4.tie_table()).splitlines()[3]  # n = 7
    table = ex4.saturation_table()
    assert table.rows[2] == ("36", "2.22e-16", "True") and table.rows[3] == ("37", "0", "False")
    assert table.notes[0].startswith("first float64 z with σ(z) == 1.0: 36.7368…")


def test_ex4_explorer_start_is_the_explorers():
    from nblib.explore.softmax_layer import BOOK_LOGITS

    assert ex4.EXPLORER_START == BOOK_LOGITS


def test_ex4_first_saturated_float_is_53_ln_2():
    start = ex4.first_saturated()
    assert ex4.sigmoid(start) == 1.0 and ex4.sigmoid(np.nextafter(start, 0)) < 1.0
    assert start == pytest.approx(53 * np.log(2), abs=1e-14)


def test_ex4_below_one_and_the_one_neuron_sum():
    assert ex4.below_one_is_positive() is True
    assert ex4.one_neuron_sum().result == 1 and ex4.one_neuron_sum().checked_steps == 2
    assert ex4.sum_of_layer(6).result == 1


def test_ex5_source_errors_are_lines_2_and_3_of_the_diagonal():
    wrong = [s.reason for s in ex5.diagonal().source_errors]
    assert [r.split(":")[0] for r in wrong] == ["source, line 2", "source, line 3"]
    assert all(r"e^{z_j} \sum_{k \ne j}" in r for r in wrong)  # the source's e^{+z_j}, quoted
    for build in (ex5.rewrite, ex5.off_diagonal, ex5.fresh_index, ex5.general, ex5.one_neuron):
        assert not build().source_errors
    # the corrected chain ends at the definition, the positive expression the notebook tests
    assert ex5.diagonal().result == ex5.DIAGONAL and ex5.DIAGONAL.is_positive


def test_ex5_clash_and_matrix():
    clash = ex5.clash()
    assert clash.lhs.doit() == clash.rhs == sp.Sum(sp.exp(Z[k]), (k, 1, n))
    assert ex5.jacobian_matrix(3) == jacobian_in_activations(3)
    assert ex5.one_neuron().result == 0


def test_ex5_samples_and_saturation():
    layers, many, batch = ex5.samples()
    assert [z.size for z in layers] == list(ex5.DIFFERENCE_SIZES)
    assert many.shape == (ex5.MANY, 4) and batch.shape == (500, 5)
    assert float(ex5.exact_saturated_slope(800.0)) == 0.0  # below float64, positive in mpmath
    assert ex5.exact_saturated_slope(800.0) > 0
    rows = ex5.saturation_table().rows
    assert [row[-1] for row in rows] == ["True", "True", "False"]
    assert rows[2][1:4] == ("3.668e-348", "0.0000e+00", "0.0000e+00")


def test_ex6_symbolic_helpers():
    jac = ex6.sigmoid_jacobian(3)
    assert jac.is_diagonal() and jac.shape == (3, 3)
    assert ex6.row_sums().result == 0
    assert ex6.off_diagonal().result == -softmax_a(ex6.j, ex6.n) * softmax_a(ex6.k, ex6.n)


def test_ex6_underflow_hides_the_change():
    assert "outputs moved: 2 of 3" in str(ex6.underflow())
    assert ex6.underflow().passed


@pytest.mark.parametrize("module", [ex4, ex5, ex6], ids=lambda m: m.__name__)
def test_remarks_carry_deterministic_evidence(module):
    assert module.REMARKS
    for make in module.REMARKS:
        remark, again = make(), make()
        assert isinstance(remark, Remark) and remark.notebook == module.__name__.rsplit(".")[-1]
        assert remark.where.startswith("chapter 3 · Exercise") and remark.evidence
        for item, same in zip(remark.evidence, again.evidence, strict=True):
            assert str(item) == str(same) and "0x" not in str(item)
            assert getattr(item, "passed", True)
