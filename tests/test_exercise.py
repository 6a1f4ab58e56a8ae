"""Exercise declarations: validated once, shared by the worked proof and "Your turn"."""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from nblib.proof.derivation import Derivation
from nblib.proof.equality import reevaluated
from nblib.proof.exercise import Exercise
from nblib.proof.symbolic import sigma
from nblib.proofs import ex1

z = ex1.z

# first_derivative's text before it was rebuilt on EXERCISE: the refactor must not change it.
FIRST_DERIVATIVE = """\\sigma'(z) = Derivative(σ(z), z)   [definition of σ′]
  = Derivative(1/(1 + exp(-z)), z)   [$\\sigma(z) = (1+e^{-z})^{-1}$] ✓
  = exp(-z)/(1 + exp(-z))**2   [power rule; the denominator's derivative is $-e^{-z}$] ✓
  = (exp(-z)/(1 + exp(-z)))/(1 + exp(-z))   [split the square] ✓
  = (((1 + exp(-z)) - 1)/(1 + exp(-z)))/(1 + exp(-z))   [add and subtract 1 in the numerator] ✓
  = (1 - 1/(1 + exp(-z)))/(1 + exp(-z))   [separate the fraction] ✓
  = (1 - σ(z))*σ(z)   [definition of σ] ✓
6 steps checked: 6 ✓"""


def make(**changes) -> Exercise:
    """A small valid exercise, with some fields changed."""
    fields = dict(
        id="demo", statement="d/dz z² = 2z", symbols={"z": z}, functions={"exp": sp.exp},
        start=sp.Derivative(z**2, z), target=2 * z, lhs=r"\frac{d}{dz} z^2",
        domains={z: (-1.0, 1.0)},
        worked=lambda: Derivation(sp.Derivative(z**2, z)).step(2 * z, "power rule"),
    )
    fields.update(changes)
    return Exercise(**fields)


# ex1: one declaration behind the worked proof and the widget ------------------------------
def test_ex1_exercise_is_what_first_derivative_uses():
    e = ex1.EXERCISE
    assert e.id == "ex1" and e.worked is ex1.first_derivative
    assert dict(e.symbols) == {"z": z} and e.symbols["z"].is_real
    assert e.functions["sigma"] is sigma and e.functions["exp"] is sp.exp
    proof = e.worked_proof()
    assert proof.steps[0].expr == e.start == sp.Derivative(sigma(z), z)
    assert proof.result == e.target == sigma(z) * (1 - sigma(z))
    assert proof.lhs == e.lhs and proof.steps[0].reason == e.reason
    assert proof.domains == dict(e.domains) == {z: (-3.0, 3.0)}


def test_first_derivative_output_unchanged_by_the_refactor():
    d = ex1.first_derivative()
    assert str(d) == FIRST_DERIVATIVE
    assert d._repr_latex_().startswith(r"$$\begin{aligned}\sigma'(z) &= \frac{d}{d z}")


def test_derivation_holds_only_the_start_under_the_domains():
    d = ex1.EXERCISE.derivation()
    assert [s.expr for s in d.steps] == [ex1.EXERCISE.start]
    assert d.domains == {z: (-3.0, 3.0)}
    assert d is not ex1.EXERCISE.derivation()  # a new chain each time


# reaches_target: the target's form, not merely its value -----------------------------------
@pytest.mark.parametrize("expr", [
    sigma(z) * (1 - sigma(z)),
    (1 - sigma(z)) * sigma(z),
    sigma(z) - sigma(z) ** 2,
    sp.Mul(sigma(z), 1 - sigma(z), evaluate=False),
])
def test_reaches_target_in_any_algebraic_arrangement(expr):
    assert ex1.EXERCISE.reaches_target(expr)


@pytest.mark.parametrize("expr", [
    sp.exp(-z) / (1 + sp.exp(-z)) ** 2,  # equal in value, not in the target's form
    sp.Derivative(sigma(z), z),
    sigma(z),
    sigma(z) * (1 + sigma(z)),
])
def test_other_lines_do_not_reach_the_target(expr):
    assert not ex1.EXERCISE.reaches_target(expr)


def test_reevaluated_undoes_evaluate_false():
    with sp.evaluate(False):
        kept = (1 + sp.exp(-z) - 1) / (1 + sp.exp(-z))
    assert kept != sp.exp(-z) / (1 + sp.exp(-z))
    assert reevaluated(kept) == sp.exp(-z) / (1 + sp.exp(-z))
    assert reevaluated(z) is z


# Declaring is checked ------------------------------------------------------------------------
def test_exercise_is_frozen_and_its_maps_read_only():
    e = make()
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.target = z
    with pytest.raises(TypeError):
        e.symbols["y"] = sp.Symbol("y")
    with pytest.raises(TypeError):
        e.domains[z] = (0.0, 1.0)


@pytest.mark.parametrize(("changes", "error", "match"), [
    ({"id": "ex 1"}, ValueError, "argument 'id'"),
    ({"id": 1}, ValueError, "argument 'id'"),
    ({"statement": "  "}, ValueError, "argument 'statement' is empty"),
    ({"lhs": None}, TypeError, "argument 'lhs'"),
    ({"symbols": [z]}, TypeError, "argument 'symbols' must be a mapping"),
    ({"symbols": {"z": "z"}}, TypeError, "not a SymPy Symbol"),
    ({"symbols": {"__class__": z}}, ValueError, "leading underscore"),
    ({"symbols": {"z w": z}}, ValueError, "argument 'symbols'"),
    ({"functions": {"exp": 2}}, TypeError, "not callable"),
    ({"functions": {"z": sp.exp}}, ValueError, "reuses the symbol name"),
    ({"start": "z**2"}, TypeError, "argument 'start' must be a SymPy expression"),
    ({"target": 2 * sp.Symbol("y")}, ValueError, r"argument 'target' uses symbol\(s\) \['y'\]"),
    ({"start": sp.Derivative(z**2, z).subs(z, sp.Symbol("z"))}, ValueError, "argument 'start'"),
    ({"domains": [(0, 1)]}, TypeError, "argument 'domains'"),
    ({"domains": {sp.Symbol("y"): (0, 1)}}, ValueError, "not a declared symbol"),
    ({"domains": {z: (1.0, 0.0)}}, ValueError, "need low < high"),
    ({"domains": {z: (0.0,)}}, TypeError, "expected \\(low, high\\)"),
    ({"worked": "first_derivative"}, TypeError, "argument 'worked'"),
])
def test_bad_declarations_name_the_argument(changes, error, match):
    with pytest.raises(error, match=match):
        make(**changes)


def test_worked_proof_must_run_from_start_to_target():
    with pytest.raises(ValueError, match="does not run from the declared start"):
        make(worked=lambda: Derivation(sp.Derivative(z**2, z))).worked_proof()
    with pytest.raises(TypeError, match="not a Derivation"):
        make(worked=lambda: 2 * z).worked_proof()
    with pytest.raises(ValueError, match="declares no worked proof"):
        make(worked=None).worked_proof()
    assert make().worked_proof().result == 2 * z
