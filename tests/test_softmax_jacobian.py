"""Tests for nblib.softmax_jacobian: the Jacobians against independent oracles, the symbolic
helpers against SymPy, and the errors for bad input."""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp

from nblib.activations import sigmoid_prime, softmax
from nblib.checks import numerical_jacobian
from nblib.derivation import Derivation, StepError
from nblib.floats import float_warnings
from nblib.softmax_jacobian import (
    EPS,
    IdentityCheck,
    SignCheck,
    Z,
    check_identity,
    check_jacobian_signs,
    distinct_indices,
    in_range_pieces,
    jacobian_from_activations,
    jacobian_in_activations,
    naive_softmax,
    rename_sum_indices,
    sift_kronecker_sums,
    sifted,
    sigmoid_layer_jacobian,
    sign_pattern_holds,
    softmax_a,
    softmax_jacobian,
    softmax_sign_pattern,
    softmax_sum_derivation,
    symbolic_softmax_jacobian,
    ulps_from_one,
    z_vector,
)

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


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "3"])
def test_sizes_must_be_positive_integers(bad):
    for func in (softmax_sign_pattern, z_vector, jacobian_in_activations, softmax_sum_derivation):
        with pytest.raises(ValueError, match="argument 'n' must be a positive integer"):
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
    assert isinstance(result, IdentityCheck) and result.passed
    assert str(result) == "n = 3: 9 of 9 entries reduce to 0, numeric gap < 1e-20 ✓"


def test_check_identity_catches_a_wrong_entry():
    wrong = jacobian_in_activations(2)
    wrong[0, 1] = -wrong[0, 1]
    result = check_identity(symbolic_softmax_jacobian(2), wrong, label="wrong")
    assert not result.passed
    assert result.symbolic == 3 and result.numeric_gap > 1e-3
    assert str(result).endswith("✗")
    with pytest.raises(ValueError, match="same shape"):
        check_identity(sp.Matrix([1, 2]), sp.Matrix([1]), label="x")


def test_check_jacobian_signs():
    signs = check_jacobian_signs(3)
    assert isinstance(signs, SignCheck) and signs.passed
    assert str(signs) == "n = 3: ∂a_j/∂z_j > 0 for 3 of 3, ∂a_j/∂z_k < 0 (k ≠ j) for 6 of 6 ✓"
    assert not SignCheck(2, 1, 2).passed and str(SignCheck(2, 1, 2)).endswith("✗")


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
