""""Your turn" on the softmax notebooks ex4–ex6, driven without a browser.

Each exercise is a layer of three neurons in plain symbols (typed z1 or z_1, with a(1) for
a_1): ex4 a_1 + a_2 + a_3 = 1, ex5 ∂a_1/∂z_1 = a_1(1 − a_1), ex6 a_1(z + c) = a_1(z).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType

import mpmath
import nbformat
import pytest
import sympy as sp

from nblib.proof.derivation import Derivation
from nblib.proof.softmax import LAYER3_NAMES, LAYER3_Z, Z, layer3_a
from nblib.proofs import ex4, ex5, ex6
from nblib.yourturn import YourTurn
from nblib.yourturn.parse import parse_line
from tests.notebooks import NOTEBOOK_DIR, displays

z1, z2, z3 = LAYER3_Z
S = sp.exp(z1) + sp.exp(z2) + sp.exp(z3)  # the denominator of every a_j


@dataclass(frozen=True)
class Case:
    """One exercise: its module, notebook, worked proof and lines to type."""

    module: ModuleType
    notebook: str
    worked: str
    correct: tuple[str, ...]  # correct next lines from the start (SymPy syntax and LaTeX)
    target: tuple[str, ...]  # the target typed (SymPy syntax and LaTeX)
    wrong: tuple[str, ...]  # slips: sign, power, index


CASES = {
    "ex4": Case(
        ex4, "07_ex4_softmax_sums_to_one.ipynb", "three_neuron_sum",
        correct=(
            "exp(z1)/(exp(z1)+exp(z2)+exp(z3)) + a(2) + a(3)",
            "exp(z_1)/(exp(z_1)+exp(z_2)+exp(z_3)) + exp(z_2)/(exp(z_1)+exp(z_2)+exp(z_3))"
            " + exp(z_3)/(exp(z_1)+exp(z_2)+exp(z_3))",
            r"\frac{e^{z_1}}{e^{z_1}+e^{z_2}+e^{z_3}} + a(2) + a(3)",
            r"\frac{e^{z_{1}}}{e^{z_{1}}+e^{z_{2}}+e^{z_{3}}} + \frac{e^{z_2}}{e^{z_1}+e^{z_2}"
            r"+e^{z_3}} + \frac{e^{z_3}}{e^{z_1}+e^{z_2}+e^{z_3}}",
        ),
        target=("1", "{1}"),
        wrong=(
            "exp(z1)/(exp(z1)+exp(z2)+exp(z3)) + a(2) + a(2)",  # index: a_2 twice
            "exp(-z1)/(exp(z1)+exp(z2)+exp(z3)) + a(2) + a(3)",  # sign in the exponent
            r"\frac{e^{2z_1}}{e^{z_1}+e^{z_2}+e^{z_3}} + a(2) + a(3)",  # power
            r"\frac{e^{z_1}}{e^{z_1}+e^{z_2}} + a(2) + a(3)",  # a term lost
        ),
    ),
    "ex5": Case(
        ex5, "08_ex5_softmax_monotone.ipynb", "quotient_rule",
        correct=(
            "Derivative(exp(z1)/(exp(z1)+exp(z2)+exp(z3)), z1)",
            "(exp(z1)*(exp(z1)+exp(z2)+exp(z3)) - exp(z1)*exp(z1))/(exp(z1)+exp(z2)+exp(z3))**2",
            r"\frac{e^{z_1}(e^{z_1}+e^{z_2}+e^{z_3}) - e^{z_1} e^{z_1}}"
            r"{(e^{z_1}+e^{z_2}+e^{z_3})^2}",
            r"\frac{e^{z_1}}{e^{z_1}+e^{z_2}+e^{z_3}} \cdot \frac{e^{z_2}+e^{z_3}}"
            r"{e^{z_1}+e^{z_2}+e^{z_3}}",
        ),
        target=("a(1)*(1-a(1))", r"a(1)\left(1-a(1)\right)"),
        wrong=(
            # sign slip in the quotient rule
            "(exp(z1)*(exp(z1)+exp(z2)+exp(z3)) + exp(z1)*exp(z1))/(exp(z1)+exp(z2)+exp(z3))**2",
            # wrong power of the denominator
            "(exp(z1)*(exp(z1)+exp(z2)+exp(z3)) - exp(z1)*exp(z1))/(exp(z1)+exp(z2)+exp(z3))**3",
            # the source's line 2: e^{z_1} where e^{-z_1} belongs
            r"\frac{e^{z_1}(e^{z_2}+e^{z_3})}{(1+e^{-z_1}(e^{z_2}+e^{z_3}))^2}",
            "a(1)*(1-a(2))",  # index
            "-a(1)*a(2)",  # ∂a_1/∂z_2, not ∂a_1/∂z_1
        ),
    ),
    "ex6": Case(
        ex6, "09_ex6_softmax_not_local.ipynb", "three_neuron_shift",
        correct=(
            "exp(c)*exp(z1)/(exp(c)*exp(z1)+exp(c)*exp(z2)+exp(c)*exp(z3))",
            "exp(c)*exp(z1)/(exp(c)*(exp(z1)+exp(z2)+exp(z3)))",
            r"\frac{e^c e^{z_1}}{e^c e^{z_1}+e^c e^{z_2}+e^c e^{z_3}}",
            r"\frac{e^{z_1}}{e^{z_1}+e^{z_2}+e^{z_3}}",
        ),
        target=("a(1)", "{a(1)}"),
        wrong=(
            "exp(c)*exp(z1)/(exp(z1)+exp(z2)+exp(z3))",  # the denominator not shifted
            "exp(-c)*exp(z1)/(exp(c)*(exp(z1)+exp(z2)+exp(z3)))",  # sign of c
            "exp(2*c)*exp(z1)/(exp(c)*(exp(z1)+exp(z2)+exp(z3)))",  # power of e^c
            r"\frac{e^{c} e^{z_1}}{e^{c} e^{z_1}+e^{z_2}+e^{z_3}}",  # e^c left out of terms
            "a(2)",  # index
        ),
    ),
}
IDS = list(CASES)


def lines(kind: str) -> list[tuple[str, str]]:
    """(exercise id, line) for every line of one kind, for parametrize."""
    return [(key, text) for key, case in CASES.items() for text in getattr(case, kind)]


@pytest.fixture
def make():
    def build(key: str) -> YourTurn:
        return YourTurn(CASES[key].module.EXERCISE)

    return build


def worked_lines(key: str) -> list:
    """The worked proof's lines the reveal button may show (source errors left out)."""
    case = CASES[key]
    return [s for s in getattr(case.module, case.worked)().steps if not s.source_error]


def value_at(expr: sp.Expr, point: dict[str, float]) -> mpmath.mpf:
    """``expr`` at ``point`` (symbol name → value) with 30 digits, a_j and derivatives
    unfolded: the test's own evaluation, independent of nblib.proof.equality."""
    unfolded = expr.doit()
    by_name = {str(s): s for s in unfolded.free_symbols}
    assert set(by_name) <= set(point), f"no value for {set(by_name) - set(point)}"
    values = {by_name[k]: sp.Float(v, 30) for k, v in point.items() if k in by_name}
    with mpmath.workdps(30):
        return mpmath.mpf(str(sp.N(unfolded.subs(values), 30)))


# The declarations -----------------------------------------------------------------------
@pytest.mark.parametrize("key", IDS)
def test_exercise_is_what_the_worked_proof_uses(key):
    case = CASES[key]
    e, worked = case.module.EXERCISE, getattr(case.module, case.worked)
    assert e.id == key and e.worked is worked and worked in case.module.DERIVATIONS
    proof = e.worked_proof()
    assert isinstance(proof, Derivation) and not proof.source_errors
    assert proof.steps[0].expr == e.start and proof.result == e.target
    assert all(s.verdict.equal for s in proof.steps[1:])
    assert proof.lhs == e.lhs and proof.domains == dict(e.domains)
    # Every symbol of the start and the target can be typed.
    typed = set(e.symbols.values())
    assert e.start.doit().free_symbols | e.target.doit().free_symbols <= typed
    assert {n: e.symbols[n] for n in LAYER3_NAMES} == LAYER3_NAMES
    assert all(s.is_real for s in typed)
    assert e.functions["a"] is layer3_a and e.functions["exp"] is sp.exp


@pytest.mark.parametrize("key", IDS)
@pytest.mark.parametrize(("text", "expected"), [
    ("z1", z1), ("z_1", z1), (r"z_{1}", z1), (r"{z_3}", z3),
    ("a(1)", layer3_a(1)), (r"{a(2)}", layer3_a(2)),
    ("exp(z2)", sp.exp(z2)), (r"\exp(z_2)", sp.exp(z2)), (r"e^{z_2}", sp.exp(z2)),
])
def test_typed_names_are_the_exercises_symbols(key, text, expected):
    expr = parse_line(text, CASES[key].module.EXERCISE)
    assert expr == expected
    assert not expr.atoms(sp.Indexed)  # the plain z_1, not the general-n Z[1]


def test_layer3_a_is_shown_as_a_j_and_checked_as_its_definition():
    a1 = layer3_a(1)
    assert str(a1) == "a_1" and sp.latex(a1 ** 2) == "{a_{1}}^{2}"
    assert a1.doit() == sp.exp(z1) / S and a1.free_symbols == {z1, z2, z3}
    # Its derivatives come from the definition, not from the constant argument 1.
    assert sp.simplify(sp.diff(a1, z2) + layer3_a(1).doit() * layer3_a(2).doit()) == 0
    assert sp.simplify(sp.Derivative(a1, z1).doit() - (a1 * (1 - a1)).doit()) == 0
    for bad in (0, 4, z1, sp.Rational(1, 2)):
        with pytest.raises(ValueError, match=r"type a\(1\), a\(2\) or a\(3\)"):
            layer3_a(bad)
    assert sp.Symbol("z_1", real=True) == z1 != Z[1]


# ✓ -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("key", "text"), lines("correct"))
def test_a_correct_next_line_is_accepted(make, key, text):
    turn = make(key)
    feedback = turn.submit(text)
    assert feedback.status == "accepted" and feedback.ok, feedback.message
    assert turn.feedback.startswith("✓")
    assert turn.chain == [turn.exercise.start, parse_line(text, turn.exercise)]
    assert not turn.reached_target
    assert sp.latex(feedback.expr) in turn.chain_view.value
    assert turn.text.value == ""


@pytest.mark.parametrize(("key", "text"), lines("target"))
def test_typing_the_target_is_accepted_and_reaches_it(make, key, text):
    turn = make(key)
    feedback = turn.submit(text)
    assert feedback.status == "accepted" and feedback.reached_target and turn.reached_target
    assert turn.exercise.reaches_target(feedback.expr)
    assert turn.feedback.endswith(f"You have shown {turn.exercise.statement}.")


@pytest.mark.parametrize("key", IDS)
def test_a_chain_of_own_lines_reaches_the_target(make, key):
    turn = make(key)
    case = CASES[key]
    for text in (*case.correct, case.target[0]):
        assert turn.submit(text).status == "accepted", turn.feedback
    assert turn.reached_target and len(turn.chain) == len(case.correct) + 2
    assert [s.mark for s in turn._chain.steps[1:]] == ["✓"] * (len(turn.chain) - 1)


# ✗ -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("key", "text"), lines("wrong"))
def test_a_wrong_line_is_refused_with_a_counterexample_that_is_one(make, key, text):
    turn = make(key)
    previous = turn.chain[-1]
    feedback = turn.submit(text)
    assert feedback.status == "refused" and not feedback.ok, feedback.message
    assert turn.feedback.startswith("✗") and turn.chain == [previous]
    point = dict(feedback.counterexample)
    assert set(point) <= {str(s) for s in turn.exercise.symbols.values()}
    before, after = feedback.values
    # Substitute the counterexample ourselves: both reported values are right, and differ.
    expected_before = value_at(previous, point)
    expected_after = value_at(parse_line(text, turn.exercise), point)
    assert before == pytest.approx(float(expected_before), rel=1e-12)
    assert after == pytest.approx(float(expected_after), rel=1e-12)
    assert abs(expected_before - expected_after) > 1e-6 * max(1, abs(expected_before))
    for name, value in point.items():
        assert f"{name} = {value:g}" in feedback.message
    assert f"{before:.6g}" in feedback.message and f"{after:.6g}" in feedback.message


@pytest.mark.parametrize("key", IDS)
def test_a_wrong_line_after_an_accepted_one_is_checked_against_it(make, key):
    turn = make(key)
    case = CASES[key]
    assert turn.submit(case.correct[0]).status == "accepted"
    feedback = turn.submit(case.wrong[-1])
    assert feedback.status == "refused" and len(turn.chain) == 2
    expected = value_at(turn.chain[-1], dict(feedback.counterexample))
    assert feedback.values[0] == pytest.approx(float(expected), rel=1e-12)


# Unreadable input ------------------------------------------------------------------------
GARBAGE = [
    ("q*z1", "unknown symbol 'q'"),
    ("exp(z4)", "unknown symbol 'z4'"),
    ("a_1", "unknown symbol 'a_1'"),
    (r"z1 + \frac{1}{2}", "unknown symbol 'z'"),  # LaTeX reads z1 as z·1
    ("sin(z1)", "unknown function 'sin'"),
    ("a", "'a' is a function"),
    ("a(4)", "type a(1), a(2) or a(3)"),
    ("a(z1)", "type a(1), a(2) or a(3)"),
    ("a(1, 2)", "type a(1), a(2) or a(3)"),
    ("(exp(z1)", "'(' at character 1 is never closed"),
    ("exp(z1))", "')' at character 8 closes nothing"),
    (r"\frac{e^{z_1}}{e^{z_1}+e^{z_2}", "'{' at character 15 is never closed"),
    (r"\partial", r"unsupported LaTeX command '\partial'"),
    (r"\frac{\partial}{\partial z_1}", r"unsupported LaTeX command '\partial'"),
    (r"\sin(z_1)", r"unsupported LaTeX command '\sin'"),
    (r"\frac{1}{}", "cannot read this LaTeX"),
    ("z1.real", "attribute access"),
    ("__import__('os')", "'__import__' is not allowed"),
    ("z1 = 1", "equation or a comparison"),
    ("", "the box is empty"),
]


@pytest.mark.parametrize("key", IDS)
@pytest.mark.parametrize(("text", "says"), GARBAGE)
def test_unreadable_input_gets_a_message_and_no_exception(make, key, text, says):
    turn = make(key)
    feedback = turn.submit(text)
    assert feedback.status == "invalid" and not feedback.ok
    assert says in feedback.message, feedback.message
    assert turn.feedback.startswith("Cannot check this line: ")
    assert turn.chain == [turn.exercise.start]
    assert "Traceback" not in feedback.message and " at 0x" not in feedback.message
    assert 'class="tex2jax_ignore mathjax_ignore"' in feedback.html


@pytest.mark.parametrize(("key", "text", "says"), [
    ("ex4", "Derivative(a(1), z1)", "unknown function 'Derivative'"),
    ("ex4", "c", "unknown symbol 'c'"),
    ("ex5", "Derivative(a(1), q)", "unknown symbol 'q'"),
    ("ex5", r"\frac{d}{dq} a(1)", "unknown symbol 'q'"),
    ("ex6", r"\frac{\partial}{\partial z_1} a(1)", "derivatives are not part of this exercise"),
    ("ex6", "Derivative(a(1), c)", "unknown function 'Derivative'"),
])
def test_names_of_other_exercises_are_refused(make, key, text, says):
    feedback = make(key).submit(text)
    assert feedback.status == "invalid" and says in feedback.message, feedback.message


# Show the next step, reaching the target, clearing ------------------------------------------
@pytest.mark.parametrize("key", IDS)
def test_reveal_walks_through_the_worked_proof_to_the_target(make, key):
    turn = make(key)
    worked = worked_lines(key)
    revealed = []
    while not turn.reached_target:
        assert len(revealed) < len(worked) - 1, "the worked proof never reached the target"
        turn.reveal_button.click()
        assert turn.last.status == "revealed" and turn.last.ok
        revealed.append(turn.last.expr)
        assert worked[len(revealed)].reason in turn.feedback
    # The worked proof's lines in order, up to the first in the target's form.
    assert revealed == [s.expr for s in worked[1:len(revealed) + 1]]
    assert turn.chain == [s.expr for s in worked[:len(revealed) + 1]]
    reached = [turn.exercise.reaches_target(e) for e in revealed]
    assert reached[-1] and not any(reached[:-1]) and len(revealed) >= 2
    # Whatever the box did not show is the target again, written another way.
    assert all(turn.exercise.reaches_target(s.expr) for s in worked[len(revealed) + 1:])
    assert turn.reached_target
    assert f"You have shown {turn.exercise.statement}" in turn.feedback_view.value
    turn.reveal_button.click()
    assert turn.last.status == "done" and len(turn.chain) == len(revealed) + 1


@pytest.mark.parametrize("key", IDS)
def test_reveal_continues_after_the_learners_own_line(make, key):
    turn = make(key)
    worked = worked_lines(key)
    line = worked[1].expr  # the worked proof's first line, typed in LaTeX where it can be
    own = sp.sstr(line) if line.has(sp.Derivative) else sp.latex(line)
    assert turn.submit(own).status == "accepted", turn.feedback
    turn.reveal_button.click()
    assert turn.last.status == "revealed" and turn.chain[-1] == worked[2].expr


@pytest.mark.parametrize("key", IDS)
def test_clear_resets_everything(make, key):
    turn = make(key)
    case = CASES[key]
    turn.text.value = case.correct[0]  # Enter sends the value
    assert turn.last.status == "accepted" and len(turn.chain) == 2
    turn.check_button.click()  # the box was emptied: nothing more is added
    turn.reveal_button.click()
    turn.text.value = case.wrong[0]
    assert turn.last.status == "refused" and turn.text.value == case.wrong[0]
    turn.clear_button.click()
    assert turn.last.status == "cleared"
    assert turn.chain == [turn.exercise.start] and turn.feedback == ""
    assert not turn.reached_target and turn.text.value == ""
    assert turn.feedback_view.value == ""
    turn.reveal_button.click()
    assert turn.chain == [s.expr for s in worked_lines(key)[:2]]


# The notebooks ------------------------------------------------------------------------------
def your_turn_cells(key: str) -> tuple[str, str, list]:
    """The notebook's "### Your turn" markdown, the cell after it, and all its cells."""
    nb = nbformat.read(NOTEBOOK_DIR / CASES[key].notebook, as_version=4)
    (i,) = [i for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown" and c.source.startswith("### Your turn")]
    return nb.cells[i].source, nb.cells[i + 1].source, nb.cells


@pytest.mark.parametrize("key", IDS)
def test_notebook_has_the_box_at_the_end_of_the_claim(key):
    markdown, code, cells = your_turn_cells(key)
    assert code == f"YourTurn({key}.EXERCISE)"
    sources = [c.source for c in cells]
    claim = next(i for i, s in enumerate(sources) if s.startswith("## Claim"))
    proof = next(i for i, s in enumerate(sources) if s.startswith("## Symbolic proof"))
    assert claim < sources.index(markdown) < sources.index(code) < proof
    assert "from nblib.yourturn import YourTurn" in "\n".join(sources[claim:proof])
    # The worked proof the box reveals is shown in the notebook.
    assert displays(sources, key, CASES[key].worked)


@pytest.mark.parametrize("key", IDS)
def test_the_notebooks_typed_target_reaches_it(make, key):
    markdown, _, _ = your_turn_cells(key)
    typed = re.findall(r"typed `([^`]+)`", markdown)
    for text in typed:  # ex4's target, 1, needs no hint
        feedback = make(key).submit(text)
        assert feedback.status == "accepted" and feedback.reached_target
    assert typed or key == "ex4"
