"""Rewrite hints for the zero test: each proves the true steps it is for, and no false one."""

from __future__ import annotations

import pytest
import sympy as sp

from nblib.proof.derivation import Derivation, StepError
from nblib.proof.equality import symbolic_residual
from nblib.proof.rewrites import exponentials_as_symbols, logs_below_one

a, a0, t, y, w, b = sp.symbols("a a_0 t y w b", real=True)
UNIT = {a: (0.02, 0.98), a0: (0.02, 0.98), y: (0.02, 0.98)}


def test_sympys_antiderivative_of_one_over_one_minus_t_needs_the_hint():
    integral = sp.Integral(1 / (1 - t), (t, a0, a))
    wanted = sp.log(1 - a0) - sp.log(1 - a)
    difference = integral.doit() - wanted
    assert difference.has(sp.log(a - 1))  # SymPy's form: ln of a negative number
    assert symbolic_residual(difference)[0] != 0  # the plain zero test cannot see it
    assert symbolic_residual(difference, [logs_below_one([a, a0])])[0] == 0
    d = Derivation(integral, domains=UNIT, hints=[logs_below_one([a, a0])])
    assert d.step(wanted, "antiderivative").steps[-1].mark == "✓"


def test_logs_below_one_proves_no_false_step():
    d = Derivation(sp.Integral(1 / (1 - t), (t, a0, a)), domains=UNIT,
                   hints=[logs_below_one([a, a0])])
    with pytest.raises(StepError, match="does not follow"):
        d.step(sp.log(1 - a) - sp.log(1 - a0), "sign slip")
    # Only the listed symbols are rewritten: ln(y − 1) is left alone.
    hint = logs_below_one([a])
    assert hint(sp.log(y - 1)).has(sp.log(y - 1))
    assert hint(sp.log(a - 1) - sp.log(1 - a)) == sp.I * sp.pi


def test_logs_below_one_refuses_what_is_no_symbol():
    with pytest.raises(TypeError, match="logs_below_one: expected SymPy symbols"):
        logs_below_one(["a"])
    with pytest.raises(TypeError, match="logs_below_one"):
        logs_below_one([a])("log(a - 1)")


def test_exponentials_as_symbols_proves_a_rational_identity_in_exponentials():
    s1, s2 = 1 / (1 + sp.exp(-w - b)), 1 / (1 + sp.exp(-2 * w - b))
    lhs = sp.diff(-sp.log(s1) - sp.log(1 - s2), w)
    rhs = (s1 - 1) + 2 * s2
    assert exponentials_as_symbols(lhs - rhs) == 0
    assert exponentials_as_symbols(lhs - rhs - s1 * s2) != 0  # a false step stays unproved


def test_exponentials_as_symbols_is_sound_for_dependent_exponentials():
    # e^w · e^(−w) = 1, but as independent symbols the product is not 1: the hint does not
    # prove it (it may miss true steps, which the other zero tests then try), and never
    # proves a false one.
    assert exponentials_as_symbols(sp.exp(w) * sp.exp(-w) - 1) == 0  # SymPy merges them first
    assert exponentials_as_symbols(sp.exp(w) * sp.exp(b) - sp.exp(w + b)) != 0
    with pytest.raises(TypeError, match="exponentials_as_symbols"):
        exponentials_as_symbols("exp(w)")
