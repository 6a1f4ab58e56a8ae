"""Symbolic building blocks: σ displays as σ and evaluates to its definition."""

from __future__ import annotations

import pytest
import sympy as sp

from nblib.proof.symbolic import (
    sigma,
    sigmoid_layer,
    softmax_layer,
    symbols_vector,
    weight_matrix,
    weighted_input,
)

z = sp.symbols("z", real=True)


def test_sigma_prints_as_sigma_and_evaluates_to_logistic():
    assert sp.latex(sigma(z)) == r"\sigma\left(z\right)"
    assert sp.sstr(sigma(2 * z)) == "σ(2*z)"
    assert sp.latex(sigma(z) ** 2) == r"\sigma^{2}\left(z\right)"
    assert sigma(z).doit() == 1 / (1 + sp.exp(-z))
    assert float(sigma(sp.Float(0.3)).doit()) == pytest.approx(1 / (1 + 2.718281828459045**-0.3))


def test_layers_have_the_right_shapes_and_sum():
    x, b = symbols_vector("x", 3), symbols_vector("b", 2)
    w = weight_matrix(2, 3)
    zz = weighted_input(w, x, b)
    assert zz.shape == (2, 1)
    assert zz[1] == sum(w[1, k] * x[k] for k in range(3)) + b[1]
    assert sp.simplify(sum(softmax_layer(zz)) - 1) == 0
    assert sigmoid_layer(zz)[0] == sigma(zz[0])
    assert str(w[0, 2]) == "w_13"


def test_bad_sizes_are_named():
    with pytest.raises(ValueError, match="weighted_input: w is 2×3"):
        weighted_input(weight_matrix(2, 3), symbols_vector("x", 2), symbols_vector("b", 2))
    with pytest.raises(ValueError, match="symbols_vector: argument 'n' must be at least 1"):
        symbols_vector("x", 0)
    with pytest.raises(TypeError, match="weight_matrix: argument 'rows' must be an integer"):
        weight_matrix(True, 2)
    with pytest.raises(ValueError, match=r"weight_matrix: argument 'cols' is 13, above the "
                                         r"limit of 12 \(nblib.proof.symbolic.MAX_SIZE\)"):
        weight_matrix(2, 13)
