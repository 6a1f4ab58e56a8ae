""""Your turn" for the cross-entropy notebooks (ex2, ex3, pb3, origin), driven without a browser.

Each exercise's box is driven through its widgets (the text box and the buttons) the way a
learner drives it: correct lines in SymPy syntax and in LaTeX are accepted, wrong ones are
refused with a counterexample that this file checks by substituting it itself, unreadable
lines get a message, "Show next step" walks the worked proof to the target, "Clear" resets.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import pytest
import sympy as sp

from nblib.proof.symbolic import sigma
from nblib.proofs import ex2, ex3, origin, pb3
from nblib.yourturn import YourTurn
from nblib.yourturn.parse import parse_line
from nblib.yourturn.widget import Feedback

# pb3's weighted input, written out as a learner types it.
S = "(w1*x1+w2*x2+w3*x3+b)"
L = "(w_1x_1+w_2x_2+w_3x_3+b)"  # the same in LaTeX


@dataclass(frozen=True)
class Case:
    """One exercise and lines typed into its box."""

    module: object
    notebook: str
    correct: tuple[str, ...]  # correct next lines after the start, SymPy syntax and LaTeX
    targets: tuple[str, ...]  # the target itself, SymPy syntax and LaTeX
    wrong: tuple[str, ...]  # sign slips, wrong powers, wrong indices
    garbage: tuple[tuple[str, str], ...]  # (line, what the message must say)

    @property
    def exercise(self):
        return self.module.EXERCISE


CASES = {
    "ex2": Case(
        ex2, "02_ex2_cost_roles",
        correct=(
            "-y*sigma(-z) + (1-y)*sigma(z)",
            "= -y*exp(-z)/(1+exp(-z)) + (1-y)*exp(z)/(1+exp(z))",
            "Derivative(y*log(1+exp(-z)) + (1-y)*ln(1+exp(z)), z)",
            r"-y\sigma(-z)+(1-y)\sigma(z)",
            r"-\frac{y e^{-z}}{1+e^{-z}}+\frac{(1-y)e^{z}}{1+e^{z}}",
            r"\frac{d}{dz}(y\ln(1+e^{-z})+(1-y)\ln(1+e^{z}))",
        ),
        targets=("sigma(z) - y", r"\sigma(z)-y"),
        wrong=(
            "y*sigma(-z) + (1-y)*sigma(z)",  # lost the chain rule's minus sign
            "-y*sigma(-z)**2 + (1-y)*sigma(z)",  # wrong power
            "-y*sigma(z) + (1-y)*sigma(-z)",  # softplus′(±z) swapped
            "sigma(z) + y",  # sign slip in the target
            r"y\sigma(-z)+(1-y)\sigma(z)",  # the sign slip, in LaTeX
            r"\sigma(-z)-y",  # wrong argument, in LaTeX
        ),
        garbage=(
            ("sigma(a) - y", "unknown symbol 'a'"),
            ("-y*sigma(-z + (1-y)*sigma(z)", "'(' at character 9 is never closed"),
            (r"\operatorname{softplus}(z)", r"unsupported LaTeX command '\operatorname'"),
            (r"\frac{\partial}{\partial z}\sin(z)", r"unsupported LaTeX command '\sin'"),
            ("relu(z)", "unknown function 'relu'"),
        ),
    ),
    "ex3": Case(
        ex3, "03_ex3_minimum_at_y",
        correct=(
            "-y/a + (1-y)/(1-a)",
            "= (a*(1-y) - y*(1-a))/(a*(1-a))",
            "Derivative(-y*ln(a) - (1-y)*log(1-a), a)",
            r"-\frac{y}{a}+\frac{1-y}{1-a}",
            r"\frac{(1-y)a-(1-a)y}{(1-a)a}",
            r"\frac{d}{da}(-y\ln a-(1-y)\ln(1-a))",
        ),
        targets=("(a-y)/(a*(1-a))", r"\frac{a-y}{a\cdot(1-a)}"),
        wrong=(
            "y/a + (1-y)/(1-a)",  # sign slip
            "-y/a - (1-y)/(1-a)",  # lost the inner derivative of ln(1 − a)
            "-y/a**2 + (1-y)/(1-a)",  # wrong power
            "(y-a)/(a*(1-a))",  # sign slip in the target
            r"\frac{a-y}{(a\cdot(1-a))^{2}}",  # wrong power, in LaTeX
            r"-\frac{y}{a}-\frac{1-y}{1-a}",  # the lost minus, in LaTeX
        ),
        garbage=(
            ("-y/z + (1-y)/(1-z)", "unknown symbol 'z'"),
            ("(a-y)/(a*(1-a)", "'(' at character 7 is never closed"),
            ("Derivative(C(a), a)", "unknown function 'C'"),
            (r"\frac{\partial C}{\partial a}", "unknown symbol 'C'"),
            (r"\sin(a)", r"unsupported LaTeX command '\sin'"),
        ),
    ),
    "pb3": Case(
        pb3, "06_pb3_no_x_cancel",
        correct=(
            f"(-y/sigma{S} + (1-y)/(1-sigma{S}))*Derivative(sigma{S}, w1)",
            f"(-y/sigma{S} + (1-y)/(1-sigma{S}))*sigma{S}*(1-sigma{S})*x1",
            f"-y*(1-sigma{S})*x_1 + (1-y)*sigma{S}*x_1",
            rf"(-\frac{{y}}{{\sigma{L}}}+\frac{{1-y}}{{1-\sigma{L}}})\sigma{L}(1-\sigma{L})x_1",
            rf"-(1-\sigma{L})y\cdot x_1+(1-y)\sigma{L}\cdot x_1",
        ),
        targets=(f"(sigma{S} - y)*x1", rf"(\sigma{L}-y)x_1"),
        wrong=(
            f"(sigma{S} + y)*x1",  # sign slip
            f"(y - sigma{S})*x1",  # sign slip
            f"(sigma{S} - y)*x2",  # wrong index
            f"(sigma{S} - y)*x1**2",  # wrong power
            f"(sigma{S} - y)*sigma{S}*(1-sigma{S})*x1",  # σ′ kept: the quadratic cost's form
            rf"(\sigma{L}-y)x_2",  # wrong index, in LaTeX
            r"(\sigma(w_1x_1+w_2x_2+w_3x_3-b)-y)x_1",  # sign slip inside z, in LaTeX
        ),
        garbage=(
            ("(sigma(z) - y)*x1", "unknown symbol 'z'"),
            ("(sigma(w1*x1+w2*x2+w3*x3+b) - y*x1", "'(' at character 1 is never closed"),
            ("(sigma(w4*x4) - y)*x1", "unknown symbol 'w4'"),
            (r"\frac{\partial C}{\partial w_1}", "unknown symbol 'C'"),
            (r"\nabla_{w} C", r"unsupported LaTeX command '\nabla'"),
        ),
    ),
    "origin": Case(
        origin, "15_origin_cross_entropy",
        correct=(
            "(a*(1-y) - y*(1-a))/(a*(1-a))",
            "= a*(1-y)/(a*(1-a)) - y*(1-a)/(a*(1-a))",
            "1/(1-a) - y/(1-a) - y/a",
            r"\frac{a(1-y)-y(1-a)}{a(1-a)}",
            r"\frac{1}{1-a}-\frac{y}{1-a}-\frac{y}{a}",
        ),
        targets=("-y/a + (1-y)/(1-a)", r"-\frac{y}{a}+\frac{1-y}{1-a}"),
        wrong=(
            "y/a + (1-y)/(1-a)",  # sign slip
            "-y/a + (1-y)/(1+a)",  # slip in a denominator
            "(1-y)/a - y/(1-a)",  # the two numerators swapped
            "(a*(1-y) + y*(1-a))/(a*(1-a))",  # sign slip in the split numerator
            r"\frac{y}{a}+\frac{1-y}{1-a}",  # the sign slip, in LaTeX
            r"-\frac{a}{y}+\frac{1-a}{1-y}",  # a and y swapped, in LaTeX
        ),
        garbage=(
            ("-y/z + (1-y)/(1-z)", "unknown symbol 'z'"),
            ("(a-y)/(a*(1-a)", "'(' at character 7 is never closed"),
            ("Integral(1/a, a)", "unknown function 'Integral'"),
            (r"\int \frac{1}{a} da", r"unsupported LaTeX command '\int'"),
            (r"\sin(a)", r"unsupported LaTeX command '\sin'"),
        ),
    ),
}
IDS = sorted(CASES)


@pytest.fixture(params=IDS)
def case(request) -> Case:
    return CASES[request.param]


def type_line(turn: YourTurn, text: str) -> Feedback:
    """Type ``text`` and press Enter; a line left in the box is then also sent by Check,
    which must not check it again. The line is checked once either way."""
    before = len(turn.chain)
    turn.text.value = text  # Enter sends the box's value
    feedback = turn.last
    if feedback.status == "accepted":
        assert turn.text.value == ""  # emptied, ready for the next line
    else:
        assert turn.text.value == text  # left in the box to be corrected
        turn.check_button.click()
        assert turn.last is feedback
    assert len(turn.chain) == before + (feedback.status == "accepted")
    return feedback


def value_at(expr: sp.Expr, point: dict[sp.Symbol, float]) -> mpmath.mpf:
    """``expr`` at ``point`` with 30 digits, σ, softplus and derivatives unfolded: the test's
    own evaluation, independent of nblib.proof.equality."""
    with mpmath.workdps(30):
        exact = expr.doit().subs({k: sp.Float(v, 30) for k, v in point.items()})
        return mpmath.mpf(str(sp.N(exact, 30)))


def worked_lines(case: Case) -> list[sp.Expr]:
    return [s.expr for s in case.exercise.worked_proof().steps if not s.source_error]


# The declaration and the worked proof ------------------------------------------------------
# The worked proofs' text before they were rebuilt on EXERCISE: the rebuild must not change it.
SLOPE_FROM_Z = """\\frac{\\partial C}{\\partial z} = \
Derivative(y*softplus(-z) + (1 - y)*softplus(z), z)
  = -y*σ(-z) + (1 - y)*σ(z)   [$\\operatorname{softplus}'(t) = \\sigma(t)$, chain rule] ✓
  = -y*(1 - σ(z)) + (1 - y)*σ(z)   [$\\sigma(-z) = 1 - \\sigma(z)$ (exercise 1)] ✓
  = -y + σ(z)   [multiply out] ✓
3 steps checked: 3 ✓"""
FIRST_DERIVATIVE = """C'(a) = Derivative(-y*log(a) - (1 - y)*log(1 - a), a)
  = (1 - y)/(1 - a) - y/a   [$(\\ln a)' = 1/a$, $(\\ln(1-a))' = -1/(1-a)$ (source, line 1)] ✓
  = (a - y)/(a*(1 - a))   [common denominator] ✓
2 steps checked: 2 ✓"""


@pytest.mark.parametrize(("module", "worked", "text"), [
    (ex2, ex2.slope_from_z, SLOPE_FROM_Z),
    (ex3, ex3.first_derivative, FIRST_DERIVATIVE),
])
def test_worked_proofs_unchanged_by_the_declaration(module, worked, text):
    assert module.EXERCISE.worked is worked
    d = worked()
    assert str(d) == text
    assert d._repr_latex_().startswith(r"$$\begin{aligned}")
    assert module.EXERCISE.worked_proof().result == module.EXERCISE.target


def test_pb3_written_out_gradient_is_the_exercise_and_matches_section_3():
    e = pb3.EXERCISE
    assert e.worked is pb3.written_out_gradient
    assert pb3.written_out_gradient in pb3.DERIVATIONS
    proof = e.worked_proof()
    assert [s.mark for s in proof.steps] == ["", "✓", "✓", "✓"]
    # The same start and result as §3's cross_entropy_gradient, once z is written out.
    section_3 = pb3.cross_entropy_gradient()
    assert section_3.steps[0].expr.doit() == proof.steps[0].expr.doit()
    assert section_3.result.doit() == proof.result.doit()


def test_every_symbol_of_start_and_target_can_be_typed(case):
    e = case.exercise
    typed = set(e.symbols.values())
    for expr in (e.start, e.target):
        assert expr.free_symbols <= typed
    assert all(sym.is_real for sym in typed)
    # pb3's x_1 … w_3 under both spellings: x1 in SymPy syntax, x_1 from LaTeX.
    if case.module is pb3:
        for name in ("x1", "x_1", "w3", "w_3"):
            assert parse_line(name, e) == e.symbols[name]
        assert e.symbols["x1"] is e.symbols["x_1"] is pb3.x[0]


# ✓: correct lines ---------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "text"),
                         [(n, t) for n in IDS for t in CASES[n].correct])
def test_a_correct_next_line_is_accepted(name, text):
    case = CASES[name]
    turn = YourTurn(case.exercise)
    feedback = type_line(turn, text)
    assert feedback.status == "accepted" and feedback.ok, feedback.message
    assert turn.feedback.startswith("✓")
    expr = parse_line(text, case.exercise)
    assert turn.chain == [case.exercise.start, expr]
    # A line that multiplies out to the target has reached it; the others have not.
    assert turn.reached_target == case.exercise.reaches_target(expr)
    assert sp.latex(feedback.expr) in turn.chain_view.value
    assert turn.text.value == ""  # ready for the next line


@pytest.mark.parametrize(("name", "text"),
                         [(n, t) for n in IDS for t in CASES[n].targets])
def test_typing_the_target_itself_is_accepted_and_reaches_it(name, text):
    case = CASES[name]
    turn = YourTurn(case.exercise)
    assert case.exercise.reaches_target(parse_line(text, case.exercise))
    feedback = type_line(turn, text)
    assert feedback.status == "accepted" and feedback.reached_target and turn.reached_target
    assert turn.feedback.endswith(f"You have shown {case.exercise.statement}.")
    assert "You have shown" in turn.feedback_view.value


def test_a_chain_of_own_lines_reaches_the_target(case):
    turn = YourTurn(case.exercise)
    for text in (case.correct[0], case.targets[1]):
        assert type_line(turn, text).status == "accepted"
    assert turn.reached_target and len(turn.chain) == 3
    assert [s.mark for s in turn._chain.steps] == ["", "✓", "✓"]


# ✗: wrong lines, with a counterexample that is one -----------------------------------------
@pytest.mark.parametrize(("name", "text"),
                         [(n, t) for n in IDS for t in CASES[n].wrong])
def test_a_wrong_line_is_refused_with_a_counterexample_that_is_one(name, text):
    case = CASES[name]
    e = case.exercise
    turn = YourTurn(e)
    if name != "pb3":  # wrong lines after a correct one, too (pb3: straight from the start)
        assert type_line(turn, case.correct[0]).status == "accepted"
    previous = turn.chain[-1]
    feedback = type_line(turn, text)
    assert feedback.status == "refused" and not feedback.ok
    assert turn.feedback.startswith("✗") and turn.chain[-1] is previous  # nothing appended
    assert turn.text.value == text  # left in the box to be corrected
    point = {e.symbols[k]: v for k, v in feedback.counterexample.items()}
    assert set(point) <= set(e.symbols.values()) and point
    for symbol, v in point.items():  # inside the declared sampling interval
        low, high = e.domains.get(symbol, (-3.0, 3.0))
        assert low <= v <= high
    before, after = feedback.values
    # Substitute the counterexample ourselves: both reported values are right, and differ.
    expected_before = value_at(previous, point)
    expected_after = value_at(parse_line(text, e), point)
    assert before == pytest.approx(float(expected_before), rel=1e-12, abs=1e-300)
    assert after == pytest.approx(float(expected_after), rel=1e-12, abs=1e-300)
    assert abs(expected_before - expected_after) > 1e-6 * max(1, abs(expected_before))
    # The message names the point and both values.
    for k, v in feedback.counterexample.items():
        assert f"{k} = {v:g}" in feedback.message
    assert f"{before:.6g}" in feedback.message and f"{after:.6g}" in feedback.message


# Unreadable lines: a message, no exception ---------------------------------------------------
@pytest.mark.parametrize(("name", "text", "says"),
                         [(n, t, s) for n in IDS for t, s in CASES[n].garbage])
def test_unreadable_input_gets_a_message_and_no_exception(name, text, says):
    case = CASES[name]
    turn = YourTurn(case.exercise)
    feedback = type_line(turn, text)
    assert feedback.status == "invalid" and not feedback.ok
    assert says in feedback.message, feedback.message
    assert turn.feedback.startswith("Cannot check this line: ")
    assert turn.chain == [case.exercise.start]
    assert "Traceback" not in feedback.message
    assert 'class="tex2jax_ignore mathjax_ignore"' in feedback.html


# Show next step, Clear --------------------------------------------------------------------
def test_reveal_button_walks_the_worked_proof_to_the_target(case):
    turn = YourTurn(case.exercise)
    worked = worked_lines(case)
    for i in range(1, len(worked)):
        turn.reveal_button.click()
        feedback = turn.last
        assert feedback.status == "revealed", feedback.message
        assert turn.chain == worked[: i + 1]
        if turn.reached_target:
            break
    assert turn.reached_target and turn.last.reached_target
    assert case.exercise.reaches_target(turn.chain[-1])
    assert f"You have shown {case.exercise.statement}" in turn.feedback
    # Nothing is left to reveal: the button says so and adds nothing.
    length = len(turn.chain)
    turn.reveal_button.click()
    assert turn.last.status == "done" and "You have reached the target" in turn.feedback
    assert len(turn.chain) == length


def test_reveal_continues_after_the_learners_own_line(case):
    turn = YourTurn(case.exercise)
    worked = worked_lines(case)
    assert type_line(turn, sp.sstr(worked[1])).status == "accepted"  # line 1, typed
    turn.reveal_button.click()
    assert turn.last.status == "revealed" and turn.chain[-1] == worked[2]


def test_clear_button_resets_everything(case):
    turn = YourTurn(case.exercise)
    type_line(turn, case.correct[0])
    type_line(turn, case.targets[0])
    assert turn.reached_target and len(turn.chain) == 3
    turn.text.value = case.wrong[0]  # refused, left in the box
    assert turn.last.status == "refused"
    turn.clear_button.click()
    assert turn.last.status == "cleared"
    assert turn.chain == [case.exercise.start] and not turn.reached_target
    assert turn.feedback == "" and turn.text.value == "" and turn.feedback_view.value == ""
    # …and starts again from the start: the first reveal is the worked proof's first step.
    turn.reveal_button.click()
    assert turn.chain == worked_lines(case)[:2]


def test_the_box_shows_the_start_and_the_statement(case):
    turn = YourTurn(case.exercise)
    bundle = turn._repr_mimebundle_()
    assert bundle["text/plain"].startswith(
        f"Your turn ({case.exercise.id}): show {case.exercise.statement}, starting from ")
    assert sp.latex(case.exercise.start) in bundle["text/latex"]
    assert sp.latex(case.exercise.start) in turn.chain_view.value


def test_sigma_is_nblibs_sigma_in_both_syntaxes():
    for case in (CASES["ex2"], CASES["pb3"]):
        for text in case.targets:
            expr = parse_line(text, case.exercise)
            assert expr.atoms(sigma) and all(type(f) is sigma for f in expr.atoms(sigma))
