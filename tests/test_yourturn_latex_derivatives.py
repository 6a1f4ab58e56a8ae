"""Derivatives typed in LaTeX read as the same expression as in SymPy syntax."""

from __future__ import annotations

import pytest

from nblib.proofs import load
from nblib.yourturn.latex_derivatives import extract_derivatives
from nblib.yourturn.parse import InputError, parse_line

SAME = [
    ("ex1", r"\frac{d}{dz}\sigma(z)", "Derivative(sigma(z), z)"),
    ("ex1", r"\sigma'(z)", "Derivative(sigma(z), z)"),
    ("ex1", r"\frac{d\sigma}{dz}", "Derivative(sigma(z), z)"),
    ("ex1", r"\dfrac{d}{dz}\left(\frac{1}{1+e^{-z}}\right)", "Derivative(1/(1+exp(-z)), z)"),
    ("ex1", r"\partial_z \sigma(z) \cdot 2", "2*Derivative(sigma(z), z)"),
    ("ex1", r"-\frac{d}{dz}e^{-z}", "-Derivative(exp(-z), z)"),
    ("ex5", r"\frac{\partial}{\partial z_1} \frac{e^{z_1}}{e^{z_1}+e^{z_2}+e^{z_3}}",
     "Derivative(exp(z1)/(exp(z1)+exp(z2)+exp(z3)), z1)"),
    ("ex5", r"\partial_{z_{2}} e^{z_1}", "Derivative(exp(z1), z2)"),
    ("pb2", r"\frac{\partial}{\partial w} \frac{(wx+b-y)^2}{2}",
     "Derivative((w*x+b-y)**2/2, w)"),
    ("pb2", r"(wx+b-y)\frac{\partial}{\partial w}(wx+b)",
     "(w*x+b-y)*Derivative(w*x+b, w)"),
]


@pytest.mark.parametrize(("notebook", "latex", "sympy_syntax"), SAME,
                         ids=[latex for _, latex, _ in SAME])
def test_latex_derivative_reads_as_in_sympy_syntax(notebook, latex, sympy_syntax):
    exercise = load(notebook).EXERCISE
    assert parse_line(latex, exercise) == parse_line(sympy_syntax, exercise)


def test_unsupported_latex_still_names_the_command():
    with pytest.raises(InputError, match=r"unsupported LaTeX command '\\int'"):
        parse_line(r"\int_0^1 \sigma(z)", load("ex1").EXERCISE)


def test_derivatives_are_refused_where_the_exercise_has_none():
    with pytest.raises(InputError, match="derivatives are not part of this exercise"):
        parse_line(r"\frac{\partial}{\partial z_1} e^{z_1}", load("ex4").EXERCISE)


def test_an_operator_with_nothing_after_it_is_left_to_the_reader():
    line, cuts = extract_derivatives(r"1 + \frac{d}{dz}", frozenset({"sigma"}))
    assert cuts == [] and r"\frac{d}{dz}" in line
