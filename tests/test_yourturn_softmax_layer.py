""""Your turn" on the softmax-layer notebooks (pb4, pb5, pb6, bp), driven without a browser.

For each exercise: its example lines, one per syntax, and other correct lines
are accepted in SymPy syntax and in LaTeX, the target itself included; wrong lines are
refused with a counterexample this test checks by substituting it itself; unreadable input
gets a message; the buttons walk through the worked proof to the target and clear it.
Also :func:`nblib.proof.notation.named_symbol`, which makes a_1 typeable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import mpmath
import pytest
import sympy as sp

from nblib.proof.exercise import Exercise
from nblib.proof.notation import named, named_symbol
from nblib.proofs import bp, pb4, pb5, pb6
from nblib.yourturn import YourTurn
from nblib.yourturn.parse import parse_line
from tests.notebooks import NOTEBOOK_DIR


@dataclass(frozen=True)
class Case:
    """One notebook's exercise and the lines this test types into its box."""

    module: object
    notebook: str
    # The worked proof's first and last lines as written before EXERCISE (with named()):
    # the typeable start and target must print exactly as they did.
    old_start: sp.Expr
    old_target: sp.Expr
    examples: tuple[str, ...]  # a correct first line in each syntax
    correct: tuple[str, ...]  # more correct next lines after the start
    targets: tuple[str, ...]  # the target, typed in SymPy syntax and in LaTeX
    wrong: tuple[str, ...]  # sign slips, wrong powers, wrong indices
    chain: tuple[str, ...]  # a learner's chain from the start to the target

    @property
    def exercise(self) -> Exercise:
        return self.module.EXERCISE


# converse_n3 before EXERCISE: every line prints as it did (the other derivations' output is
# compared by strict nbval on the notebooks).
PB4_WORKED = """\\operatorname{softmax}(\\ln a + C)_1 = exp(C + log(a_1))/(exp(C + log(a_1)) + \
exp(C + log(a_2)) + exp(C + log(a_3)))
  = (a_1*exp(C))/(((a_1 + a_2 + a_3)*exp(C)))   [$e^{\\ln a_k + C} = e^C a_k$; factor out \
$e^C$] ✓
  = a_1/(a_1 + a_2 + a_3)   [cancel $e^C$] ✓
  = a_1   [$\\sum_k a_k = 1$] ✓
Assumptions: $a_k > 0$ and $a_3 = 1 - (a_1 + a_2)$
3 steps checked: 3 ✓"""

PB6_NAMED = [named(f"a_{{{i + 1}}}", a.definition, f"a_{i + 1}") for i, a in enumerate(pb6.A3)]
PB6_TOTAL = "(exp(c*z1) + exp(c*z2) + exp(c*z3))"
PB6_MOMENT = "(z1*exp(c*z1) + z2*exp(c*z2) + z3*exp(c*z3))"

# output_error's start and target as written before EXERCISE: named a^L_k and C_x (over the
# typeable inputs, which print as z^L_k: see test_named_symbol_may_carry_a_typeable_name_…).
BP_Z = bp._Z
_, BP_A, _ = bp._output_layer(3, BP_Z)
BP_Y = bp._targets(3)
BP_LOG_RULE = "y1/a1*Derivative(a1, z1) + y2/a2*Derivative(a2, z1) + y3/a3*Derivative(a3, z1)"
BP_COST = named("C_x", -sp.Add(*(y * sp.log(a) for y, a in zip(BP_Y, BP_A, strict=True))), "C_x")

CASES = {
    "pb4": Case(
        module=pb4,
        notebook="10_pb4_inverting_softmax.ipynb",
        old_start=pb4._shifted_softmax_1(
            [pb4._A1, pb4._A2, named("a_{3}", 1 - pb4._A1 - pb4._A2, "a_3")]),
        old_target=sp.Symbol("a_1", positive=True),
        examples=("a1*exp(C)/((a1 + a2 + a3)*exp(C))",
                  r"\frac{a_1 e^{C}}{(a_1+a_2+a_3) e^{C}}"),
        correct=("exp(C)*a1/(exp(C)*(a_1 + a_2 + a_3))",
                 "exp(log(a1) + C)/(exp(C)*(a1 + a2 + a3))",
                 "a1/(a1 + a2 + a3)",
                 r"\frac{e^{C} a_1}{e^{C} a_1 + e^{C} a_2 + e^{C} a_3}",
                 "a1/(a1 + a2 + 1 - a1 - a2)"),
        targets=("a1", "a_1", r"a_{1}"),
        wrong=("a1*exp(C)/((a1 + a2 + a3)*exp(-C))",   # sign slip in e^{-C}
               "a1**2/(a1 + a2 + a3)",                  # wrong power
               "a2/(a1 + a2 + a3)",                     # wrong index
               "a1/(a1 + a2)",                          # a term of the sum lost
               r"\frac{a_1 e^{-C}}{(a_1+a_2+a_3) e^{C}}"),
        chain=("a1*exp(C)/((a1 + a2 + a3)*exp(C))", "a1/(a1 + a2 + a3)", "a1"),
    ),
    "pb5": Case(
        module=pb5,
        notebook="11_pb5_log_likelihood_gradient.ipynb",
        old_start=sp.Derivative(-sp.log(pb5.a[0]), pb5.z[0]),
        old_target=pb5.a[0] - pb5.y[0],
        examples=("-Derivative(a1, z1)/a1", r"-\frac{1}{a_1} \cdot a_1 (1 - a_1)"),
        correct=("Derivative(-log(exp(z1)/(exp(z1) + exp(z2) + exp(z3))), z1)",
                 "Derivative(-z1 + log(exp(z1) + exp(z2) + exp(z3)), z_1)",
                 "-(1/a1)*a1*(1 - a1)",
                 r"\frac{e^{z_1}}{e^{z_1}+e^{z_2}+e^{z_3}} - 1",
                 "a1 - 1"),
        targets=("a1 - y1", "a_1 - y_1", r"a_{1} - y_{1}", "-y1 + a1"),
        wrong=("-Derivative(a1, z2)/a1",      # wrong index
               "1 - a1",                      # sign slip
               "a1**2 - 1",                   # wrong power
               "a2 - 1",                      # wrong output
               r"\frac{e^{-z_1}}{e^{z_1}+e^{z_2}+e^{z_3}} - 1"),
        chain=("-Derivative(a1, z1)/a1", "-(1/a1)*a1*(1 - a1)", "a1 - 1", "a1 - y1"),
    ),
    "pb6": Case(
        module=pb6,
        notebook="12_pb6_softmax_temperature.ipynb",
        old_start=sp.Derivative(PB6_NAMED[0], pb6.c),
        old_target=PB6_NAMED[0] * (pb6.Z3[0] - sum(
            a * z for a, z in zip(PB6_NAMED, pb6.Z3, strict=True))),
        examples=(f"Derivative(exp(c*z1)/{PB6_TOTAL}, c)",
                  r"\frac{d}{dc} \frac{e^{c z_1}}{e^{c z_1}+e^{c z_2}+e^{c z_3}}"),
        correct=(f"(z1*exp(c*z1)*{PB6_TOTAL} - exp(c*z1)*{PB6_MOMENT})/{PB6_TOTAL}**2",
                 f"z1*a1 - a1*{PB6_MOMENT}/{PB6_TOTAL}",
                 r"\frac{z_1 e^{c z_1}}{e^{c z_1}+e^{c z_2}+e^{c z_3}} - \frac{e^{c z_1}(z_1 "
                 r"e^{c z_1}+z_2 e^{c z_2}+z_3 e^{c z_3})}{(e^{c z_1}+e^{c z_2}+e^{c z_3})^2}",
                 "a1*z1 - a1*(a1*z1 + a2*z2 + a3*z3)"),
        targets=("a1*(z1 - (a1*z1 + a2*z2 + a3*z3))",
                 "a_1*z_1 - a_1**2*z_1 - a_1*a_2*z_2 - a_1*a_3*z_3",
                 r"a_{1} (z_{1} - a_{1} z_{1} - a_{2} z_{2} - a_{3} z_{3})",
                 r"a_1 \left(z_1 - (a_1 z_1 + a_2 z_2 + a_3 z_3)\right)"),
        wrong=("a1*(z1 + a1*z1 + a2*z2 + a3*z3)",    # sign slip
               "a1**2*(z1 - (a1*z1 + a2*z2 + a3*z3))",  # wrong power
               "a1*(z2 - (a1*z1 + a2*z2 + a3*z3))",  # wrong index
               f"Derivative(exp(c*z2)/{PB6_TOTAL}, c)",
               r"\frac{d}{dc} \frac{e^{-c z_1}}{e^{c z_1}+e^{c z_2}+e^{c z_3}}"),
        chain=(f"Derivative(exp(c*z1)/{PB6_TOTAL}, c)",
               f"(z1*exp(c*z1)*{PB6_TOTAL} - exp(c*z1)*{PB6_MOMENT})/{PB6_TOTAL}**2",
               "a1*z1 - a1*(a1*z1 + a2*z2 + a3*z3)"),
    ),
    "bp": Case(
        module=bp,
        notebook="14_bp_softmax_backprop.ipynb",
        old_start=sp.Derivative(BP_COST, BP_Z[0]),
        old_target=BP_A[0] * sp.Add(*BP_Y) - BP_Y[0],
        examples=("-Derivative(y1*log(a1) + y2*log(a2) + y3*log(a3), z1)",
                  r"-\frac{y_1}{a_1} a_1 (1 - a_1) + \frac{y_2}{a_2} a_2 a_1 "
                  r"+ \frac{y_3}{a_3} a_3 a_1"),
        correct=("-(y1*Derivative(log(a1), z1) + y2*Derivative(log(a2), z1)"
                 " + y3*Derivative(log(a3), z1))",
                 f"-({BP_LOG_RULE})",
                 "-(y1/a1*a1*(1 - a1) - y2/a2*a2*a1 - y3/a3*a3*a1)",
                 "Derivative(C_x, z1)",
                 r"-\frac{y_1}{a_1} \cdot a_1 (1 - a_1) + \frac{y_2}{a_2} a_2 a_1 "
                 r"+ \frac{y_3}{a_3} a_3 a_1"),
        targets=("a1*(y1 + y2 + y3) - y1", "a_1*y_1 + a_1*y_2 + a_1*y_3 - y_1",
                 r"a_1 (y_1 + y_2 + y_3) - y_1", r"a_{1}\left(y_{1}+y_{2}+y_{3}\right)-y_{1}"),
        wrong=("a1*(y1 + y2 + y3) + y1",    # sign slip
               "a1**2*(y1 + y2 + y3) - y1",  # wrong power
               "a2*(y1 + y2 + y3) - y1",     # wrong index
               "a1 - y1",                    # the book's form: needs Σ y = 1
               "-Derivative(y1*log(a1) + y2*log(a2) + y3*log(a3), z2)",
               r"-y_1 (1 - a_1) - y_2 a_1 - y_3 a_1"),
        chain=("-Derivative(y1*log(a1) + y2*log(a2) + y3*log(a3), z1)",
               f"-({BP_LOG_RULE})",
               "a1*(y1 + y2 + y3) - y1"),
    ),
}
IDS = list(CASES)
CORRECT = [pytest.param(key, text, id=f"{key}-{text}")
           for key in IDS for text in CASES[key].correct]
WRONG = [pytest.param(key, text, id=f"{key}-{text}") for key in IDS for text in CASES[key].wrong]


@pytest.fixture(params=IDS)
def case(request) -> Case:
    return CASES[request.param]


@pytest.fixture
def turn(case) -> YourTurn:
    return YourTurn(case.exercise)


def by_name(exercise: Exercise) -> dict[str, sp.Symbol]:
    """The exercise's symbols under the names a counterexample reports (``sstr``)."""
    return {sp.sstr(s): s for s in exercise.symbols.values()}


def value_at(expr: sp.Expr, point: dict[str, float], exercise: Exercise) -> mpmath.mpf:
    """``expr`` at ``point`` with 30 digits, every name and derivative unfolded: the test's
    own evaluation, independent of nblib.proof.equality."""
    names = by_name(exercise)
    values = {names[k]: sp.Float(v, 30) for k, v in point.items()}
    with mpmath.workdps(30):
        number = sp.N(expr.doit().subs(values), 30)
        assert number.is_number, f"{expr} is not a number at {point}: {number}"
        return mpmath.mpf(str(number))


# The declaration ------------------------------------------------------------------------
def test_exercise_is_one_of_the_modules_worked_derivations(case):
    e = case.exercise
    assert e.id == case.module.__name__.rsplit(".", 1)[1]
    assert e.worked in case.module.DERIVATIONS
    proof = e.worked_proof()
    assert proof.steps[0].expr == e.start and proof.result == e.target
    assert proof.lhs == e.lhs and proof.steps[0].reason == e.reason
    assert proof.domains == dict(e.domains)


def test_typeable_start_and_target_print_as_the_named_ones_did(case):
    e = case.exercise
    for new, old in ((e.start, case.old_start), (e.target, case.old_target)):
        assert str(new) == str(old)
        assert sp.latex(new) == sp.latex(old)
        assert sp.simplify((new - old).doit()) == 0


def test_pb4_worked_proof_prints_as_before():
    assert str(pb4.converse_n3()) == PB4_WORKED


def test_every_symbol_of_start_and_target_can_be_typed(case):
    e = case.exercise
    typed = set(e.symbols.values())
    assert (e.start.free_symbols | e.target.free_symbols) <= typed
    for name, symbol in e.symbols.items():
        assert parse_line(name, e) == symbol
        latex = name if "_" in name else None
        if latex:  # a_1 in LaTeX is the same symbol
            assert parse_line(latex, e) == symbol
            assert parse_line(latex.replace("_", "_{") + "}", e) == symbol


def test_the_notebook_shows_the_box(case):
    cells = json.loads((NOTEBOOK_DIR / case.notebook).read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells]
    assert f"YourTurn({case.exercise.id}.EXERCISE)" in sources
    assert any("from nblib.yourturn import YourTurn" in s for s in sources)


# ✓ ------------------------------------------------------------------------------------------
def test_the_example_lines_are_correct_next_lines(case, turn):
    assert any("\\" in x for x in case.examples) and any("\\" not in x for x in case.examples)
    for text in case.examples:
        turn.clear()
        feedback = turn.submit(text)
        assert feedback.status == "accepted", feedback.message
        assert turn.chain == [case.exercise.start, parse_line(text, case.exercise)]


@pytest.mark.parametrize(("key", "text"), CORRECT)
def test_a_correct_line_is_accepted(key, text):
    case = CASES[key]
    turn = YourTurn(case.exercise)
    feedback = turn.submit(text)
    assert feedback.status == "accepted" and feedback.ok, feedback.message
    assert turn.feedback.startswith("✓")
    assert turn.chain[-1] == parse_line(text, case.exercise)
    assert turn.text.value == ""


def test_typing_the_target_is_accepted_and_reaches_it(case, turn):
    syntaxes = {"latex": False, "sympy": False}
    for text in case.targets:
        turn.clear()
        feedback = turn.submit(text)
        assert feedback.status == "accepted", feedback.message
        assert feedback.reached_target and turn.reached_target
        assert f"You have shown {case.exercise.statement}" in turn.feedback
        syntaxes["latex" if "{" in text or "\\" in text else "sympy"] = True
    assert all(syntaxes.values())


def test_a_chain_reaches_the_target(case, turn):
    for text in case.chain[:-1]:
        assert turn.submit(text).status == "accepted"
        assert not turn.reached_target
    feedback = turn.submit(case.chain[-1])
    assert feedback.status == "accepted" and turn.reached_target
    assert len(turn.chain) == len(case.chain) + 1
    assert [s.mark for s in turn._chain.steps] == ["", *["✓"] * len(case.chain)]


# ✗ ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("key", "text"), WRONG)
def test_a_wrong_line_is_refused_with_a_counterexample_that_is_one(key, text):
    case = CASES[key]
    turn = YourTurn(case.exercise)
    e = case.exercise
    previous = turn.chain[-1]
    feedback = turn.submit(text)
    assert feedback.status == "refused" and not feedback.ok, feedback.message
    assert turn.feedback.startswith("✗") and turn.chain == [previous]
    point = dict(feedback.counterexample)
    assert point and set(point) <= set(by_name(e))
    before, after = feedback.values
    # Substitute the counterexample ourselves: both reported values are right, and differ.
    expected_before = value_at(previous, point, e)
    expected_after = value_at(parse_line(text, e), point, e)
    assert before == pytest.approx(float(expected_before), rel=1e-12, abs=1e-300)
    assert after == pytest.approx(float(expected_after), rel=1e-12, abs=1e-300)
    assert abs(expected_before - expected_after) > 1e-6 * max(1, abs(expected_before))
    for name, value in point.items():
        assert f"{name} = {value:g}" in feedback.message
    assert f"{before:.6g}" in feedback.message and f"{after:.6g}" in feedback.message


def test_a_wrong_line_after_a_correct_one_is_checked_against_it(case, turn):
    turn.submit(case.chain[0])
    feedback = turn.submit(case.wrong[0])
    assert feedback.status == "refused"
    point = dict(feedback.counterexample)
    assert feedback.values[0] == pytest.approx(
        float(value_at(turn.chain[-1], point, case.exercise)), rel=1e-12)


# Unreadable input -----------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "says"), [
    ("q + 1", "unknown symbol 'q'"),
    (r"\frac{1}{q}", "unknown symbol 'q'"),
    ("(1 + exp(2)", "'(' at character 1 is never closed"),
    ("exp(2))", "')' at character 7 closes nothing"),
    (r"\frac{1}{2", "'{' at character 9 is never closed"),
    (r"\sin(2)", r"unsupported LaTeX command '\sin'"),
    (r"\int 2", r"unsupported LaTeX command '\int'"),
    ("foo(2)", "unknown function 'foo'"),
    ("__import__('os')", "'__import__' is not allowed"),
    ("", "the box is empty"),
])
def test_unreadable_input_gets_a_message_and_no_exception(case, turn, text, says):
    feedback = turn.submit(text)
    assert feedback.status == "invalid" and not feedback.ok
    assert says in feedback.message, feedback.message
    assert turn.feedback.startswith("Cannot check this line: ")
    assert turn.chain == [case.exercise.start]
    assert "Traceback" not in feedback.message


# The buttons -------------------------------------------------------------------------------
def test_reveal_button_walks_the_worked_proof_to_the_target(case, turn):
    worked = [s for s in case.exercise.worked_proof().steps if not s.source_error]
    for i, step in enumerate(worked[1:], 1):
        turn.reveal_button.click()
        feedback = turn.last
        assert feedback.status == "revealed", feedback.message
        assert feedback.expr == step.expr
        assert turn.chain == [s.expr for s in worked[: i + 1]]
        assert feedback.reached_target == (i == len(worked) - 1)
    assert turn.reached_target
    turn.reveal_button.click()
    assert turn.last.status == "done" and len(turn.chain) == len(worked)


def test_check_button_and_clear_button(case, turn):
    turn.text.value = case.examples[0]  # Enter sends the value
    assert turn.last.status == "accepted" and len(turn.chain) == 2
    turn.check_button.click()  # the box was emptied: nothing more is added
    assert len(turn.chain) == 2
    turn.text.value = case.wrong[0]
    assert turn.last.status == "refused"
    turn.reveal_button.click()
    turn.clear_button.click()
    assert turn.chain == [case.exercise.start] and not turn.reached_target
    assert turn.text.value == "" and turn.feedback == "" and turn.feedback_view.value == ""
    for text in case.chain:
        turn.text.value = text
        turn.check_button.click()
    assert turn.reached_target
    turn.clear_button.click()
    assert turn.chain == [case.exercise.start] and not turn.reached_target


def test_the_box_describes_itself_the_same_on_every_run(case, turn):
    bundle = turn._repr_mimebundle_()
    assert bundle["text/plain"].startswith(f"Your turn ({case.exercise.id}): show ")
    other = YourTurn(case.exercise)
    other.submit(case.examples[0])
    assert other._repr_mimebundle_()["text/latex"] == bundle["text/latex"]


# named_symbol ----------------------------------------------------------------------------------
z1, z2 = sp.symbols("z_1 z_2", real=True)
SOFTMAX_1 = sp.exp(z1) / (sp.exp(z1) + sp.exp(z2))


def test_named_symbol_is_a_symbol_shown_by_name_and_checked_as_its_definition():
    a1 = named_symbol("a_{1}", SOFTMAX_1, "a_1")
    assert isinstance(a1, sp.Symbol) and a1.name == "a_1"
    assert str(a1) == "a_1" and sp.latex(a1) == "a_{1}"
    assert a1.definition == SOFTMAX_1 and a1.doit() == SOFTMAX_1
    assert a1.free_symbols == {a1, z1, z2}
    assert named_symbol("a_{1}", SOFTMAX_1, "a_1") is a1
    assert a1 != sp.Symbol("a_1") and a1 != named_symbol("a_{1}", z1, "a_1")
    # Sums and products print as they would with named(): in the same order.
    shown, y = named("a_{1}", SOFTMAX_1, "a_1"), named("y_{1}", 1, "y_1")
    y1 = named_symbol("y_{1}", 1, "y_1")
    for build in (lambda a, y: a - y, lambda a, y: y * (1 - a),
                  lambda a, y: a * sp.exp(z1) / (a + z2 + y)):
        assert str(build(a1, y1)) == str(build(shown, y))
        assert sp.latex(build(a1, y1)) == sp.latex(build(shown, y))


def test_named_symbol_differentiates_as_its_definition():
    a1 = named_symbol("a_{1}", SOFTMAX_1, "a_1")
    assert sp.Derivative(a1, z1) != 0  # not "a_1 has no z_1 in it"
    assert sp.simplify((a1.diff(z1) - SOFTMAX_1 * (1 - SOFTMAX_1)).doit()) == 0
    assert sp.simplify(sp.Derivative(-sp.log(a1), z1).doit() - (SOFTMAX_1 - 1)) == 0
    assert a1.diff(a1) == 1
    assert sp.simplify((a1.diff(z1, 2) - SOFTMAX_1.diff(z1, 2)).doit()) == 0


def test_named_symbol_matches_named_in_a_derivation():
    from nblib.proof.derivation import Derivation

    a1, shown = named_symbol("a_{1}", SOFTMAX_1, "a_1"), named("a_{1}", SOFTMAX_1, "a_1")
    d = Derivation(sp.Derivative(-sp.log(a1), z1)).step(shown - 1).step(a1 - 1)
    assert d.checked_steps == 2
    with pytest.raises(AssertionError):
        Derivation(a1).step(SOFTMAX_1 + 1)


def test_named_symbol_may_carry_a_typeable_name_of_its_own():
    a1 = named_symbol("a^{L}_{1}", SOFTMAX_1, "a^L_1", name="a_1")
    assert a1.name == "a_1" and str(a1) == "a^L_1" and sp.latex(a1) == "a^{L}_{1}"
    assert str(2 * a1 + z1) == str(2 * named("a^{L}_{1}", SOFTMAX_1, "a^L_1") + z1)
    assert bp.EXERCISE.symbols["a1"].name == "a_1" and str(bp.EXERCISE.symbols["a1"]) == "a^L_1"
    # bp's inputs: named z_1 for the parser, shown and sampled as z^L_1.
    z_typed = bp.EXERCISE.symbols["z1"]
    assert z_typed.name == "z_1" and str(z_typed) == "z^L_1" and sp.latex(z_typed) == "z^{L}_{1}"
    assert z_typed.is_real and z_typed.sort_key() == sp.Symbol("z^L_1", real=True).sort_key()
    assert str(z_typed**2 + z_typed) == str(sp.Symbol("z^L_1", real=True) ** 2
                                            + sp.Symbol("z^L_1", real=True))


@pytest.mark.parametrize(("latex", "definition", "text", "name", "match"), [
    ("", SOFTMAX_1, None, None, "argument 'latex'"),
    (3, SOFTMAX_1, None, None, "argument 'latex'"),
    ("a_{1}", SOFTMAX_1, "", None, "argument 'text'"),
    ("a_{1}", SOFTMAX_1, None, "", "argument 'name'"),
    ("a_{1}", object(), None, None, "argument 'definition'"),
])
def test_named_symbol_rejects_bad_input(latex, definition, text, name, match):
    with pytest.raises(TypeError, match=f"named_symbol: {match}"):
        named_symbol(latex, definition, text, name=name)
