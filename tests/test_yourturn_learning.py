""""Your turn" for the learning notebooks (pb1, pb2, slowdown), driven without a browser.

Each exercise is declared once in its proof module (``EXERCISE``) and walked through by the
worked proof listed in that module's ``DERIVATIONS``. Here lines are typed and buttons
clicked as a learner would: a correct first line and the target are accepted,
slips are refused with a counterexample this file re-evaluates itself, unreadable input
gets a message, and Show next step walks the worked proof to the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import mpmath
import nbformat
import pytest
import sympy as sp

from nblib.proof.equality import reevaluated
from nblib.proof.exercise import Exercise
from nblib.proofs import pb1, pb2, slowdown
from nblib.yourturn import YourTurn
from nblib.yourturn.parse import parse_line
from nblib.yourturn.widget import Feedback
from tests.notebooks import NOTEBOOK_DIR, displays


@dataclass(frozen=True)
class Case:
    """One exercise and the lines a learner types into it."""

    module: ModuleType
    notebook: str
    worked: str  # the name of the worked proof in the module's DERIVATIONS
    example: tuple[str, str]  # a correct first line: SymPy syntax, LaTeX
    target: tuple[str, str]  # the target typed in SymPy syntax and in LaTeX
    wrong: tuple[str, ...]  # wrong first lines (sign slip, wrong power, wrong letter)
    statement: str  # how the "You have shown" note begins

    @property
    def exercise(self) -> Exercise:
        return self.module.EXERCISE

    def __str__(self) -> str:
        return self.module.__name__.rsplit(".", 1)[-1]


CASES = (
    Case(
        module=pb1,
        notebook="04_pb1_many_layers.ipynb",
        worked="cross_entropy_delta_one_output",
        example=("-(y/sigma(z) - (1-y)/(1-sigma(z)))*Derivative(sigma(z), z)",
                 r"-\left(\frac{y}{\sigma(z)} - \frac{1-y}{1-\sigma(z)}\right)"
                 r"\frac{d}{dz}\sigma(z)"),
        target=("sigma(z) - y", r"\sigma(z) - y"),
        wrong=(
            "(y/sigma(z) - (1-y)/(1-sigma(z)))*Derivative(sigma(z), z)",  # lost the minus
            "-(y/sigma(z)**2 - (1-y)/(1-sigma(z)))*Derivative(sigma(z), z)",  # wrong power
            r"y - \sigma(z)",  # the sign slip at the end, in LaTeX
            r"-\left(\frac{z}{\sigma(z)} - \frac{1-y}{1-\sigma(z)}\right)"
            r"\frac{d}{dz}\sigma(z)",  # z written for y
        ),
        statement="You have shown δ_j = σ(z) − y",
    ),
    Case(
        module=pb2,
        notebook="05_pb2_linear_outputs.ipynb",
        worked="linear_weight_one_neuron",
        example=("(w*x + b - y)*Derivative(w*x + b, w)", r"(wx + b - y)\frac{d}{dw}(wx + b)"),
        target=("x*(w*x + b - y)", r"x \cdot (wx + b - y)"),
        wrong=(
            "-x*(w*x + b - y)",  # sign slip
            "x**2*(w*x + b - y)",  # wrong power
            "(w*x + b + y)*Derivative(w*x + b, w)",  # sign slip inside the error
            r"w \cdot (wx + b - y)",  # w written for x, in LaTeX
        ),
        statement="You have shown ∂C/∂w = x(a − y)",
    ),
    Case(
        module=slowdown,
        notebook="13_slowdown_learning_demo.ipynb",
        worked="book_cross_entropy_steps",
        example=("Derivative(sigma(w+b), w)/(1-sigma(w+b))",
                 r"\frac{\frac{d}{dw}\sigma(w+b)}{1-\sigma(w+b)}"),
        target=("sigma(w+b)", r"\sigma(w+b)"),
        wrong=(
            "1/(1-sigma(w+b))",  # the book page's update: ∂C/∂a used as ∂C/∂w
            "-Derivative(sigma(w+b), w)/(1-sigma(w+b))",  # sign slip
            "sigma(w+b)**2",  # wrong power
            r"\frac{\frac{d}{dw}\sigma(w+b)}{1+\sigma(w+b)}",  # sign slip, in LaTeX
        ),
        statement="You have shown ∂C/∂w = σ(w + b)",
    ),
)
SYNTAXES = ("sympy", "latex")


def each(cases=CASES):
    return pytest.mark.parametrize("case", cases, ids=str)


def worked_lines(case: Case) -> list:
    """The worked proof's lines the reveal walks through (its source's wrong lines skipped)."""
    return [s for s in case.exercise.worked_proof().steps if not s.source_error]


def value_at(expr: sp.Expr, exercise: Exercise, point: dict[str, float]) -> mpmath.mpf:
    """``expr`` at ``point`` with 30 digits, σ and derivatives unfolded: the test's own
    evaluation, independent of nblib.proof.equality."""
    subs = {exercise.symbols[name]: sp.Float(value, 30) for name, value in point.items()}
    with mpmath.workdps(30):
        return mpmath.mpf(str(sp.N(expr.doit().subs(subs), 30)))


@pytest.fixture(scope="module")
def notebooks() -> dict[str, nbformat.NotebookNode]:
    return {case.notebook: nbformat.read(NOTEBOOK_DIR / case.notebook, as_version=4)
            for case in CASES}


# The declaration -------------------------------------------------------------------------
@each()
def test_exercise_is_declared_once_and_built_by_a_listed_derivation(case):
    e = case.exercise
    worked = getattr(case.module, case.worked)
    assert e.id == str(case) and e.worked is worked and worked in case.module.DERIVATIONS
    proof = e.worked_proof()
    assert proof.steps[0].expr == e.start and proof.result == e.target
    assert proof.lhs == e.lhs and proof.steps[0].reason == e.reason
    assert proof.domains == dict(e.domains) and proof.assumptions == e.assumptions
    assert all(s.verdict is None or s.verdict.equal for s in proof.steps)
    assert not proof.source_errors
    # Only the last line is in the target's form, so Show next step shows every line.
    assert [e.reaches_target(s.expr) for s in proof.steps] == (
        [False] * (len(proof.steps) - 1) + [True])


@each()
def test_every_symbol_of_start_and_target_can_be_typed(case):
    e = case.exercise
    used = e.start.free_symbols | e.target.free_symbols
    assert used <= set(e.symbols.values())
    for name, symbol in e.symbols.items():
        assert parse_line(name, e) is symbol
        assert parse_line(rf"2 \cdot {name}", e) == 2 * symbol  # the LaTeX reader too


# The notebook ------------------------------------------------------------------------------
@each()
def test_notebook_has_the_box(case, notebooks):
    cells = notebooks[case.notebook].cells
    (i,) = [i for i, c in enumerate(cells)
            if c.cell_type == "markdown" and c.source.startswith("### Your turn")]
    # In the Claim part, before the symbolic proof, and followed by the box itself.
    claim = next(j for j, c in enumerate(cells) if c.source.startswith("## Claim"))
    proof = next(j for j, c in enumerate(cells) if c.source.startswith("## Symbolic proof"))
    assert claim < i < proof
    assert cells[i + 1].source == f"YourTurn({case}.EXERCISE)"
    assert "from nblib.yourturn import YourTurn" in cells[claim + 1].source
    if case.module is slowdown:  # the notebook invites the book page's update, refused below
        assert f"`{case.wrong[0]}`" in cells[i].source
    # The worked proof the box reveals is displayed in the symbolic proof.
    assert displays([c.source for c in cells[proof:]], str(case), case.worked)


# ✓: a first line and the target ----------------------------------------------------------------
@each()
@pytest.mark.parametrize("syntax", SYNTAXES)
def test_a_correct_first_line_is_accepted(case, syntax):
    turn = YourTurn(case.exercise)
    text = case.example[SYNTAXES.index(syntax)]
    feedback = turn.submit(text)
    assert isinstance(feedback, Feedback)
    assert feedback.status == "accepted" and feedback.ok, feedback.message
    assert turn.chain == [case.exercise.start, parse_line(text, case.exercise)]
    assert turn.feedback.startswith("✓") and not turn.reached_target
    assert sp.latex(feedback.expr) in turn.chain_view.value
    assert turn.text.value == ""


@each()
@pytest.mark.parametrize("syntax", SYNTAXES)
def test_typing_the_target_is_a_correct_line_that_reaches_it(case, syntax):
    turn = YourTurn(case.exercise)
    feedback = turn.submit(case.target[SYNTAXES.index(syntax)])
    assert feedback.status == "accepted", feedback.message
    assert feedback.reached_target and turn.reached_target
    assert case.exercise.reaches_target(feedback.expr)
    assert case.statement in turn.feedback and "You have shown" in turn.feedback_view.value


@each()
def test_the_example_then_the_target_makes_a_chain_of_two_checked_lines(case):
    turn = YourTurn(case.exercise)
    assert turn.submit(case.example[0]).status == "accepted"
    assert turn.submit(case.target[1]).status == "accepted"
    assert turn.reached_target
    assert [s.mark for s in turn._chain.steps] == ["", "✓", "✓"]


# ✗: slips are refused with a counterexample that is one ------------------------------------
def check_refusal(turn: YourTurn, text: str) -> Feedback:
    e = turn.exercise
    previous = turn.chain[-1]
    chain = list(turn.chain)
    feedback = turn.submit(text)
    assert feedback.status == "refused" and not feedback.ok, feedback.message
    assert turn.feedback.startswith("✗") and turn.chain == chain  # nothing appended
    learner = parse_line(text, e)
    point = dict(feedback.counterexample)
    assert set(point) == {sp.sstr(s) for s in previous.free_symbols | learner.free_symbols}
    for name, value in point.items():  # the point lies where the check samples
        low, high = e.domains[e.symbols[name]]
        assert low <= value <= high
    before, after = feedback.values
    # Substitute the counterexample ourselves: both reported values are right, and differ.
    expected_before = value_at(previous, e, point)
    expected_after = value_at(learner, e, point)
    assert before == pytest.approx(float(expected_before), rel=1e-9, abs=1e-12)
    assert after == pytest.approx(float(expected_after), rel=1e-9, abs=1e-12)
    assert abs(expected_before - expected_after) > 1e-6 * max(1, abs(expected_before))
    for name, value in point.items():
        assert f"{name} = {value:g}" in feedback.message
    assert f"{before:.6g}" in feedback.message and f"{after:.6g}" in feedback.message
    return feedback


@pytest.mark.parametrize(("case", "text"), [(c, t) for c in CASES for t in c.wrong],
                         ids=lambda v: str(v) if isinstance(v, Case) else None)
def test_a_wrong_first_line_is_refused_with_a_real_counterexample(case, text):
    check_refusal(YourTurn(case.exercise), text)


@each()
def test_a_wrong_line_is_checked_against_the_last_accepted_one(case):
    turn = YourTurn(case.exercise)
    assert turn.submit(case.example[0]).status == "accepted"
    check_refusal(turn, case.wrong[0])


# Unreadable input: a message, never an exception ------------------------------------------
GARBAGE = {
    pb1: (("a - y", "unknown symbol 'a'"),
          ("sigma(z", "'(' at character 6 is never closed"),
          (r"\frac{y}{\sigma(z)", "'{' at character 9 is never closed"),
          (r"\partial z", r"unsupported LaTeX command '\partial'"),
          ("tanh(z)", "unknown function 'tanh'")),
    pb2: (("a - y", "unknown symbol 'a'"),
          ("x*(w*x + b - y))", "')' at character 16 closes nothing"),
          (r"\frac{1}{2}(wx + b - y]", "']' at character 23 does not match"),
          (r"\sin(w)", r"unsupported LaTeX command '\sin'"),
          ("exp(w)", "unknown function 'exp'")),
    slowdown: (("z*w", "unknown symbol 'z'"),
               ("sigma(w+b", "'(' at character 6 is never closed"),
               (r"\sigma(w+b", "'(' at character 7 is never closed"),
               (r"\tanh(w+b)", r"unsupported LaTeX command '\tanh'"),
               ("sigma(w, b)", "sigma takes exactly 1 argument")),
}


@pytest.mark.parametrize(("case", "text", "says"),
                         [(c, t, s) for c in CASES for t, s in GARBAGE[c.module]],
                         ids=lambda v: str(v) if isinstance(v, Case) else None)
def test_unreadable_input_gets_a_message_and_no_exception(case, text, says):
    turn = YourTurn(case.exercise)
    turn.text.value = text  # as the browser sends it on Enter
    feedback = turn.last
    assert feedback.status == "invalid" and not feedback.ok
    assert says in feedback.message, feedback.message
    assert turn.feedback.startswith("Cannot check this line: ")
    assert turn.chain == [case.exercise.start]
    assert "Traceback" not in feedback.message and " at 0x" not in feedback.message
    assert 'class="tex2jax_ignore mathjax_ignore"' in feedback.html
    turn.check_button.click()  # the same text again: no exception, no second answer
    assert turn.last is feedback


# Show next step, Clear, and the buttons -----------------------------------------------------
@each()
def test_reveal_button_walks_the_worked_proof_to_the_target(case):
    turn = YourTurn(case.exercise)
    worked = worked_lines(case)
    for i, step in enumerate(worked[1:], 1):
        assert not turn.reached_target
        turn.reveal_button.click()
        feedback = turn.last
        assert feedback.status == "revealed" and feedback.expr == step.expr
        assert turn.chain == [s.expr for s in worked[: i + 1]]
        assert step.reason in feedback.message
        assert feedback.reached_target == (i == len(worked) - 1)
    assert turn.reached_target and case.statement in turn.feedback
    assert turn.chain[-1] == case.exercise.target
    turn.reveal_button.click()  # nothing left: it says so and adds nothing
    assert turn.last.status == "done" and "You have reached the target" in turn.feedback
    assert len(turn.chain) == len(worked)


@each()
def test_reveal_continues_from_the_learners_own_line(case):
    worked = worked_lines(case)
    # The example is the worked proof's first line, written another way.
    assert reevaluated(parse_line(case.example[1], case.exercise)) == reevaluated(worked[1].expr)
    turn = YourTurn(case.exercise)
    turn.text.value = case.example[1]  # Enter, in LaTeX
    assert turn.last.status == "accepted"
    while not turn.reached_target:
        turn.reveal_button.click()
        assert turn.last.status == "revealed", turn.feedback
    assert turn.chain[-1] == case.exercise.target
    # The reveal went on after the learner's line: no worked line was added twice.
    assert len(turn.chain) == len(worked)


@each()
def test_clear_button_resets_everything(case):
    turn = YourTurn(case.exercise)
    turn.submit(case.example[0])
    turn.submit(case.target[0])
    assert turn.reached_target
    turn.text.value = case.wrong[0]  # refused, left in the box
    assert turn.last.status == "refused"
    turn.clear_button.click()
    assert turn.last.status == "cleared"
    assert turn.chain == [case.exercise.start] and turn.feedback == ""
    assert not turn.reached_target and turn.text.value == "" and turn.feedback_view.value == ""
    turn.reveal_button.click()
    assert turn.chain == [s.expr for s in worked_lines(case)[:2]]


@each()
def test_enter_then_check_button_checks_the_line_once(case):
    turn = YourTurn(case.exercise)
    turn.text.value = case.example[0]
    assert turn.last.status == "accepted" and len(turn.chain) == 2
    turn.check_button.click()  # the box was emptied: nothing more is added
    assert len(turn.chain) == 2
    turn.text.value = case.wrong[0]
    refused = turn.last
    turn.check_button.click()  # the same refused text: not checked twice
    assert turn.last is refused and len(turn.chain) == 2


@each()
def test_stored_text_is_the_same_on_every_run(case):
    bundle = YourTurn(case.exercise)._repr_mimebundle_()
    other = YourTurn(case.exercise)
    other.submit(case.example[0])
    again = other._repr_mimebundle_()
    assert bundle["text/plain"] == again["text/plain"]
    assert bundle["text/latex"] == again["text/latex"]
    assert bundle["text/plain"].startswith(f"Your turn ({case}): show {case.exercise.statement}")
