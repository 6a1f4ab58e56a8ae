""""Your turn" driven without a browser: lines typed, buttons clicked, answers checked."""

from __future__ import annotations

import warnings

import mpmath
import pytest
import sympy as sp

import nblib.proof.equality
import nblib.yourturn.parse as parse
from nblib.proof.symbolic import sigma
from nblib.proofs import ex1
from nblib.yourturn import YourTurn
from nblib.yourturn.parse import InputError, parse_line
from nblib.yourturn.widget import Feedback

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
E = ex1.EXERCISE
z = ex1.z
D = 1 + sp.exp(-z)


@pytest.fixture
def turn():
    return YourTurn(E)


def value_at(expr: sp.Expr, at: float) -> mpmath.mpf:
    """``expr`` at z = ``at`` with 30 digits, σ and derivatives unfolded: the test's own
    evaluation, independent of nblib.proof.equality."""
    with mpmath.workdps(30):
        return mpmath.mpf(str(sp.N(expr.doit().subs(z, sp.Float(at, 30)), 30)))


# Reading a line --------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("exp(-z)/(1+exp(-z))**2", sp.exp(-z) / D**2),
    ("exp(-z)/(1+exp(-z))^2", sp.exp(-z) / D**2),
    ("= exp(-z) * (1 + exp(-z))**-2", sp.exp(-z) / D**2),
    ("E**(-z)/(1+e**(-z))**2", sp.exp(-z) / D**2),
    ("sigma(z)(1 - sigma(z))", sigma(z) * (1 - sigma(z))),
    ("σ(z)·(1 − σ(z))", sigma(z) * (1 - sigma(z))),  # pasted from the book
    ("2z", 2 * z),
    ("0.5*z", sp.Float(0.5) * z),
    ("Derivative(1/(1+exp(-z)), z)", sp.Derivative(1 / D, z)),
    (r"\frac{e^{-z}}{(1+e^{-z})^2}", sp.exp(-z) / D**2),
    (r"\frac{e^{-z}}{\left(1+e^{-z}\right)^{2}}", sp.exp(-z) / D**2),
    (r"\sigma(z)\left(1-\sigma(z)\right)", sigma(z) * (1 - sigma(z))),
    (r"\sigma(z) \cdot (1 - \sigma(z))", sigma(z) * (1 - sigma(z))),
    (r"\exp(-z)(1+\exp(-z))^{-2}", sp.exp(-z) / D**2),
    (r"\mathrm{e}^{-z}", sp.exp(-z)),
    (r"\frac{d}{dz}\sigma(z)", sp.Derivative(sigma(z), z)),
    (r"\frac{1}{1+e^{-z}}\,\left(1-\frac{1}{1+e^{-z}}\right)", (1 - 1 / D) / D),
])
def test_parse_line_reads_sympy_syntax_and_latex(text, expected):
    expr = parse_line(text, E)
    assert expr == expected
    # The learner's z is the exercise's real z, and σ is nblib's σ.
    assert expr.free_symbols <= {z}
    assert all(type(f) in (sigma, sp.exp) for f in expr.atoms(sp.Function))


def test_parse_line_rejects_wrong_argument_types():
    with pytest.raises(TypeError, match="argument 'text'"):
        parse_line(3, E)
    with pytest.raises(TypeError, match="argument 'exercise'"):
        parse_line("z", "ex1")


# ✓: a correct line joins the chain ----------------------------------------------------------
@pytest.mark.parametrize("text", [
    "exp(-z)/(1+exp(-z))**2",
    r"\frac{e^{-z}}{(1+e^{-z})^2}",
    "Derivative((1+exp(-z))**-1, z)",
    r"\frac{1}{1+e^{-z}}\cdot\frac{e^{-z}}{1+e^{-z}}",
])
def test_a_correct_line_is_accepted(turn, text):
    feedback = turn.submit(text)
    assert isinstance(feedback, Feedback)
    assert feedback.status == "accepted" and feedback.ok
    assert turn.feedback.startswith("✓") and turn.feedback == feedback.message
    assert turn.chain == [E.start, parse_line(text, E)]
    assert not turn.reached_target
    # Shown at once: ✓ and the line as LaTeX under the box, and the chain holds it.
    assert feedback.html.startswith("✓ $\\displaystyle ")
    assert sp.latex(feedback.expr) in feedback.html
    assert sp.latex(feedback.expr) in turn.chain_view.value
    assert turn.feedback_view.value == feedback.html
    assert turn.text.value == ""  # ready for the next line


def test_lines_chain_and_each_is_checked_against_the_one_before(turn):
    assert turn.submit("exp(-z)/(1+exp(-z))**2").status == "accepted"
    assert turn.submit("1/(1+exp(-z)) * (1 - 1/(1+exp(-z)))").status == "accepted"
    assert len(turn.chain) == 3
    # The chain is a Derivation like the worked proofs': every line after the start is ✓.
    assert [s.mark for s in turn._chain.steps] == ["", "✓", "✓"]


# ✗: a wrong line is refused with a real counterexample --------------------------------------
@pytest.mark.parametrize("text", [
    "-exp(-z)/(1+exp(-z))**2",       # sign slip in the chain rule
    "exp(-z)/(1+exp(-z))**3",        # wrong power
    "exp(z)/(1+exp(-z))**2",         # lost the minus in the exponent
    r"\frac{-e^{-z}}{(1+e^{-z})^2}",  # the sign slip, in LaTeX
    r"\sigma(z)(1+\sigma(z))",        # wrong target
])
def test_a_wrong_line_is_refused_with_a_counterexample_that_is_one(turn, text):
    previous = turn.chain[-1]
    feedback = turn.submit(text)
    assert feedback.status == "refused" and not feedback.ok
    assert turn.feedback.startswith("✗") and turn.chain == [previous]  # nothing appended
    assert set(feedback.counterexample) == {"z"}
    at = feedback.counterexample["z"]
    before, after = feedback.values
    # Substitute the counterexample ourselves: both reported values are right, and differ.
    expected_before = value_at(previous, at)
    expected_after = value_at(parse_line(text, E), at)
    assert before == pytest.approx(float(expected_before), rel=1e-12)
    assert after == pytest.approx(float(expected_after), rel=1e-12)
    assert abs(expected_before - expected_after) > 1e-6 * max(1, abs(expected_before))
    # The message names the point and both values.
    assert f"z = {at:g}" in feedback.message
    assert f"{before:.6g}" in feedback.message and f"{after:.6g}" in feedback.message
    assert feedback.html.startswith("✗ $\\displaystyle ")


def test_a_wrong_number_is_refused_without_a_point():
    # A chain of numbers (the digits notebook's ∫₀¹ a(1 − a) da = 1/6) differs at no point:
    # the message gives both values and no empty "at".
    from nblib.proofs import digits

    feedback = YourTurn(digits.EXERCISE).submit("1/4")
    assert feedback.status == "refused" and feedback.counterexample == {}
    assert feedback.values == (pytest.approx(1 / 6, rel=1e-12), pytest.approx(0.25, rel=1e-12))
    assert feedback.message.startswith("✗ 1/4 is not equal to the line before it: the line "
                                       "before is 0.166667 and yours is 0.25.")
    assert " at " not in feedback.message and " at " not in feedback.html


def test_a_refused_line_is_checked_against_the_last_accepted_one(turn):
    turn.submit("exp(-z)/(1+exp(-z))**2")
    feedback = turn.submit("exp(-z)/(1+exp(-z))")
    at = feedback.counterexample["z"]
    assert feedback.values[0] == pytest.approx(float(value_at(sp.exp(-z) / D**2, at)),
                                               rel=1e-12)


# Unreadable input: a message in words, never an exception ---------------------------------
@pytest.mark.parametrize(("text", "says"), [
    ("(1+exp(-z)", "'(' at character 1 is never closed"),
    ("exp(-z))", "')' at character 8 closes nothing"),
    (r"\frac{1}{1+e^{-z}", "'{' at character 9 is never closed"),
    ("q*z", "unknown symbol 'q'"),
    ("exp(-z)/(1+exp(-y))", "unknown symbol 'y'"),
    ("foo(z)", "unknown function 'foo'"),
    ("sin(z)", "unknown function 'sin'"),
    (r"f(z)", "unknown function 'f'"),
    (r"\frac{1}{q}", "unknown symbol 'q'"),
    ("__import__('os')", "'__import__' is not allowed"),
    ("__import__('os').system('true')", "'__import__' is not allowed"),
    ("z.__class__", "attribute access"),
    ("exp.__globals__", "attribute access"),
    ("(z).__class__.__mro__", "attribute access"),
    ("open('x')", "unknown function 'open'"),
    ("eval('1')", "unknown function 'eval'"),
    ("lambda: 1", "Python keyword"),
    ("'z'", "quotes are not allowed"),
    ("[z]", "'[' is not allowed"),
    ("z; z", "';' is not allowed"),
    ("z = 1", "equation or a comparison"),
    ("z, z", "type one expression"),
    ("sigma", "'sigma' is a function"),
    ("sigma(z, z)", "sigma takes exactly 1 argument"),
    ("1/0", "divides by zero"),
    ("10**10**10", "exponent 10**10 is too large"),
    ("(1+z)**1000", "exponent 1000 is too large"),
    ("1234567890123*z", "too large: at most 12 digits"),
    ("999999999999**(z**0*999999999999)", "exponent 999999999999 is too large"),
    ("(1+z)**10*(1+z)**10", "exponent 20 is too large"),
    ("(z + 1]", "']' at character 7 does not match the '(' at character 1"),
    ("0x1f", "not a number this box reads"),
    (r"\foo{z}", r"unsupported LaTeX command '\foo'"),
    (r"\sin(z)", r"unsupported LaTeX command '\sin'"),
    (r"\(z\)", r"unsupported LaTeX command '\('"),
    (r"\sigma^2(z)", r"'sigma' is a function: give it its argument, as in \sigma(…)"),
    (r"z = \sigma(z)", "equation or a comparison"),
    ("|z|", "'|' is not allowed"),
    (r"|z| + \sigma(z)", "the function Abs is not part of this exercise"),
    (r"\frac{1}{}", "cannot read this LaTeX"),
    ("z" * 501, "501 characters; the box takes at most 500"),
    ("", "the box is empty"),
    ("   ", "the box is empty"),
    ("=", "the box is empty"),
])
def test_unreadable_input_gets_a_message_and_no_exception(turn, text, says):
    feedback = turn.submit(text)
    assert feedback.status == "invalid" and not feedback.ok
    assert says in feedback.message, feedback.message
    assert turn.feedback.startswith("Cannot check this line: ")
    assert turn.chain == [E.start]
    assert "Traceback" not in feedback.message and " at 0x" not in feedback.message
    # MathJax must not typeset an echo of the learner's input.
    assert 'class="tex2jax_ignore mathjax_ignore"' in feedback.html


def test_parse_expr_sees_no_builtins(monkeypatch):
    seen = {}

    def spy(text, **kwargs):
        seen.update(kwargs)
        return sp.Integer(1)

    monkeypatch.setattr(parse, "parse_expr", spy)
    parse_line("z + 1", E)
    assert seen["global_dict"]["__builtins__"] == {}
    assert set(seen["global_dict"]) == {"__builtins__", *parse.SAFE_GLOBALS}
    assert set(seen["local_dict"]) == {"E", "e", "σ", *E.symbols, *E.functions}


def test_parse_errors_are_input_errors_that_are_value_errors():
    with pytest.raises(InputError, match="unknown symbol 'q'") as info:
        parse_line("q", E)
    assert isinstance(info.value, ValueError)


def test_latex_without_its_parser_says_so(monkeypatch):
    real = parse.importlib.util.find_spec
    monkeypatch.setattr(parse.importlib.util, "find_spec",
                        lambda name, *a: None if name == "antlr4" else real(name, *a))
    with pytest.raises(InputError, match="antlr4-python3-runtime"):
        parse_line(r"\frac{1}{2}", E)
    assert parse_line("1/2", E) == sp.Rational(1, 2)  # SymPy syntax still works


def test_undecided_step_is_neither_accepted_nor_refused(turn, monkeypatch):
    # Make SymPy's zero test fail on a true step: the numbers agree, the proof does not.
    monkeypatch.setattr(nblib.proof.equality, "symbolic_residual", lambda d, hints=(): (d, ""))
    feedback = turn.submit("1/(1+exp(-z)) * (1 - 1/(1+exp(-z)))")
    assert feedback.status == "undecided" and not feedback.ok
    assert "SymPy could not prove them equal" in turn.feedback
    assert turn.chain == [E.start]


# Show the next step, reaching the target, clearing ------------------------------------------
def test_reveal_walks_through_the_worked_proof_to_the_target(turn):
    worked = [s for s in ex1.first_derivative().steps if not s.source_error]
    for i, step in enumerate(worked[1:], 1):
        feedback = turn.reveal_next()
        assert feedback.status == "revealed" and feedback.expr == step.expr
        assert turn.chain == [s.expr for s in worked[: i + 1]]
        assert step.reason in feedback.message
        assert feedback.reached_target == (i == len(worked) - 1)
    assert turn.reached_target
    assert "You have shown σ′(z) = σ(z)(1 − σ(z))" in turn.feedback
    # …and then says so, without adding anything.
    feedback = turn.reveal_next()
    assert feedback.status == "done" and "You have reached the target" in feedback.message
    assert len(turn.chain) == len(worked)


def test_reveal_continues_after_the_learners_own_line(turn):
    turn.submit(r"\frac{e^{-z}}{(1+e^{-z})^2}")  # the worked proof's line 2, in LaTeX
    feedback = turn.reveal_next()
    assert "split the square" in feedback.message
    assert turn.chain[-1] == ex1.first_derivative().steps[3].expr


def test_reaching_the_target_gives_the_note(turn):
    for text in ["Derivative(1/(1+exp(-z)), z)", "exp(-z)/(1+exp(-z))**2",
                 "1/(1+exp(-z)) * (1 - 1/(1+exp(-z)))"]:
        assert turn.submit(text).status == "accepted"
        assert not turn.reached_target and "You have shown" not in turn.feedback
    feedback = turn.submit(r"\sigma(z)(1-\sigma(z))")
    assert feedback.status == "accepted" and feedback.reached_target and turn.reached_target
    assert turn.feedback.endswith("You have shown σ′(z) = σ(z)(1 − σ(z)).")
    assert "You have shown" in turn.feedback_view.value


def test_clear_resets_everything(turn):
    turn.submit("exp(-z)/(1+exp(-z))**2")
    turn.submit("sigma(z) - sigma(z)**2")
    assert turn.reached_target
    turn.text.value = "exp(-z)"  # refused, left in the box
    feedback = turn.clear()
    assert feedback.status == "cleared"
    assert turn.chain == [E.start] and turn.feedback == "" and not turn.reached_target
    assert turn.text.value == "" and turn.feedback_view.value == ""
    assert turn.reveal_next().expr == ex1.first_derivative().steps[1].expr


# The buttons, as the browser drives them ------------------------------------------------
def test_enter_then_check_button_checks_the_line_once(turn):
    turn.text.value = "exp(-z)/(1+exp(-z))**2"  # Enter sends the value
    assert turn.last.status == "accepted" and len(turn.chain) == 2
    turn.check_button.click()  # the box was emptied: nothing more is added
    assert len(turn.chain) == 2


def test_check_button_after_a_refusal_does_not_repeat_it(turn):
    turn.text.value = "exp(-z)"
    first = turn.last
    assert first.status == "refused" and turn.text.value == "exp(-z)"
    turn.check_button.click()
    assert turn.last is first


def test_check_button_on_an_empty_box_says_so(turn):
    turn.check_button.click()
    assert turn.last.status == "invalid" and "the box is empty" in turn.feedback


def test_reveal_and_clear_buttons(turn):
    turn.reveal_button.click()
    turn.reveal_button.click()
    assert len(turn.chain) == 3 and turn.last.status == "revealed"
    # After a reveal the same text is checked again, against the new last line.
    turn.text.value = "exp(-z)"
    assert turn.last.status == "refused"
    turn.clear_button.click()
    assert turn.chain == [E.start] and turn.text.value == ""


def test_bad_arguments_raise():
    with pytest.raises(TypeError, match="argument 'exercise'"):
        YourTurn("ex1")
    with pytest.raises(TypeError, match="argument 'text'"):
        YourTurn(E).submit(None)


# Display -------------------------------------------------------------------------------
def test_mimebundle_is_widget_view_plus_deterministic_text_and_latex(turn):
    bundle = turn._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == turn.widget.model_id
    assert bundle["text/plain"] == (
        "Your turn (ex1): show σ′(z) = σ(z)(1 − σ(z)), starting from Derivative(σ(z), z)")
    assert r"\frac{d}{d z} \sigma\left(z\right)" in bundle["text/latex"]
    assert bundle["text/latex"].startswith(r"$\textbf{Your turn:}")
    # The same on every run and for every instance, whatever the learner has done.
    other = YourTurn(E)
    other.submit("exp(-z)/(1+exp(-z))**2")
    again = other._repr_mimebundle_()
    assert {k: again[k] for k in ("text/plain", "text/latex")} == {
        k: bundle[k] for k in ("text/plain", "text/latex")}
    assert set(bundle) == {"text/plain", "text/latex", WIDGET_VIEW}


def test_widget_holds_chain_box_buttons_and_feedback(turn):
    views = turn.widget.children
    assert turn.chain_view in views and turn.feedback_view in views
    row = next(v for v in views if hasattr(v, "children"))
    assert list(row.children) == [turn.text, turn.check_button, turn.reveal_button,
                                  turn.clear_button]
    assert [b.description for b in row.children[1:]] == ["Check", "Show next step", "Clear"]
    assert turn.text.continuous_update is False
    assert r"\frac{d}{d z} \sigma\left(z\right)" in turn.chain_view.value


def test_a_tuple_product_is_refused_without_printing_a_warning(turn):
    # "z(z, z)" parses as z times a tuple; SymPy would print a deprecation to stderr.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        turn.submit("z(z, z)")
    assert turn.feedback.startswith("Cannot check this line")


def test_left_right_brackets_and_a_symbol_before_a_bracket_in_latex(turn):
    turn.submit(r"\left(\frac{e^{-z}}{(1+e^{-z})^{2}}\right)")
    assert turn.last.status == "accepted"
    turn.submit(r"\sigma(z)\left(1-\sigma(z)\right)")
    assert turn.last.status == "accepted"


def test_check_after_enter_keeps_the_tick(turn):
    turn.text.value = "exp(-z)/(1+exp(-z))**2"  # Enter: the line is checked, the box emptied
    assert turn.last.status == "accepted"
    turn.check_button.click()
    assert turn.last.status == "accepted"


@pytest.mark.parametrize("text", ["log(-1 - z**2)",
                                  "Derivative(sigma(z), z) + log(z**2) - 2*log(z)"])
def test_a_line_that_is_not_real_where_the_line_before_is_differs_from_it(turn, text):
    # log(z²) − 2 log z is 0 for z > 0 only: the whole domain is sampled, complex values
    # included, and a complex value where the line before is real is a difference.
    feedback = turn.submit(text)
    assert feedback.status == "refused"
    assert "(not a real number)" in feedback.message
    assert isinstance(feedback.values[1], complex)


def test_the_line_before_typed_again_adds_nothing(turn):
    assert turn.submit("exp(-z)/(1+exp(-z))**2").status == "accepted"
    feedback = turn.submit("= exp(-z) / (1+exp(-z))**2")
    assert feedback.status == "unchanged" and not feedback.ok
    assert "the line before, unchanged" in feedback.message
    assert len(turn.chain) == 2
    # A different way of writing it is a step of its own (SymPy may read both alike).
    assert turn.submit(r"\frac{e^{-z}}{(1+e^{-z})^2}").status == "accepted"
