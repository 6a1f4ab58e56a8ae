""""Your turn": the learner types the next line of a derivation and the notebook checks it.

A :class:`YourTurn` shows an exercise's starting line and a text box. Each line typed is
read by :func:`~nblib.yourturn.parse.parse_line` and checked against the line before it by
the very :class:`~nblib.proof.derivation.Derivation` the worked proofs use: ✓ and the line
joins the learner's chain, or ✗ with values of the symbols where the two lines differ.
Input that cannot be read gets a plain message, never a traceback.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import ipywidgets as widgets
import numpy as np
import sympy as sp

from nblib.proof.derivation import StepError, latex_text
from nblib.proof.equality import (
    compare,
    default_domain,
    reevaluated,
    worst_numeric_gap,
)
from nblib.proof.exercise import Exercise
from nblib.yourturn.diagnose import Slip, diagnose
from nblib.yourturn.help import help_html
from nblib.yourturn.limits import CHECK_SECONDS, TooLarge, time_limit
from nblib.yourturn.parse import (
    InputError,
    _first_line,
    _warm_latex_parser,
    load_latex_parser,
    looks_like_latex,
    parse_line,
)

# A relative gap this large at 30 digits is no rounding: the line is wrong (see _check).
CLEARLY_DIFFERENT = 1e-12
# Seconds spent looking for the slip in a refused line, on top of checking it.
DIAGNOSIS_SECONDS = 0.5


# Checking it -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Feedback:
    """What the notebook says about one action.

    ``status`` is ``"accepted"`` (✓, the line joined the chain), ``"refused"`` (✗, with
    ``counterexample`` and ``values``: the previous line's value and the learner's there,
    a complex number where a line is not real),
    ``"undecided"`` (the numbers agree but SymPy could not prove it), ``"invalid"``
    (unreadable input), ``"revealed"`` (a line of the worked proof was shown) or
    ``"done"`` (nothing left to reveal), ``"unchanged"`` (the line before, typed again:
    nothing is added) or ``"cleared"``. ``expr`` is the line read, if
    any; ``reached_target`` says whether the chain has reached the exercise's target;
    ``slip`` is the verified diagnosis of a refused line, when one was found.
    """

    status: str
    message: str
    expr: sp.Expr | None = None
    counterexample: Mapping[str, float] = field(default_factory=dict)
    values: tuple[float | complex, float | complex] | None = None
    reached_target: bool = False
    html: str = ""
    slip: Slip | None = None

    @property
    def ok(self) -> bool:
        """True when the chain grew by a checked line."""
        return self.status in ("accepted", "revealed")


def _plain(text: str) -> str:
    """Text for an HTMLMath widget that MathJax must leave alone (it may echo ``\\(``)."""
    escaped = html.escape(text, quote=False)
    return f'<span class="tex2jax_ignore mathjax_ignore">{escaped}</span>'


def _math(expr: sp.Basic | str) -> str:
    """Inline mathematics for an HTMLMath widget (escaped so the browser leaves it alone)."""
    latex = expr if isinstance(expr, str) else sp.latex(expr)
    return r"$\displaystyle " + html.escape(latex, quote=False) + "$"


def _number(value: float | complex, *, html: bool = False) -> str:
    """A value of a line, six digits; a complex one as ``a + bi (not a real number)``."""
    if isinstance(value, complex) and value.imag != 0:
        sign = "+" if value.imag >= 0 else "-"
        text = f"{value.real:.6g} {sign} {abs(value.imag):.6g}i"
        note = " (not a real number)"
        return _math(text.replace("i", r"\,i")) + note if html else text + note
    real = value.real if isinstance(value, complex) else value
    return _math(f"{real:.6g}") if html else f"{real:.6g}"


class YourTurn:
    """The "Your turn" widget of an exercise: type the next line, see ✓ or ✗ at once.

    State for tests and scripts: :meth:`submit`, :meth:`reveal_next`, :meth:`clear`,
    :attr:`chain` (the accepted expressions, start first), :attr:`feedback` (the last
    message), :attr:`reached_target`. The widget's controls are ``text``,
    ``check_button``, ``reveal_button``, ``clear_button`` and ``help_button``, which shows
    and hides ``help_view`` ("How to type a line", :mod:`nblib.yourturn.help`; hidden at
    first).
    """

    def __init__(self, exercise: Exercise) -> None:
        if not isinstance(exercise, Exercise):
            raise TypeError("YourTurn: argument 'exercise' must be an Exercise, got "
                            f"{type(exercise).__name__}")
        self.exercise = exercise
        _warm_latex_parser()
        self._worked_lines: list | None = None
        self.text = widgets.Text(
            placeholder="the next line of your derivation", continuous_update=False,
            layout=widgets.Layout(width="30em"),
        )
        self.check_button = widgets.Button(description="Check", button_style="primary",
                                           tooltip="check this line against the one above")
        self.reveal_button = widgets.Button(description="Show next step",
                                            tooltip="add the worked proof's next line")
        self.clear_button = widgets.Button(description="Clear", tooltip="start again")
        self.chain_view = widgets.HTMLMath()
        self.feedback_view = widgets.HTMLMath()
        heading = widgets.HTMLMath(
            f"<b>Your turn:</b> show {_plain(exercise.statement)}, one line at a time."
        )
        self.help_button = widgets.ToggleButton(
            description="How to type a line", layout=widgets.Layout(width="auto"),
            tooltip="show or hide how to write a line, and this exercise's names")
        self.help_view = widgets.HTMLMath(help_html(exercise),
                                          layout=widgets.Layout(display="none"))
        self.help_button.observe(self._on_help, names="value")
        self.text.observe(self._on_value, names="value")
        self.check_button.on_click(self._on_check)
        self.reveal_button.on_click(lambda _button: self.reveal_next())
        self.clear_button.on_click(lambda _button: self.clear())
        self.widget = widgets.VBox([
            heading, self.chain_view,
            widgets.HBox([self.text, self.check_button, self.reveal_button, self.clear_button]),
            self.feedback_view, self.help_button, self.help_view,
        ])
        self.clear()

    # State ------------------------------------------------------------------------------
    @property
    def chain(self) -> list[sp.Expr]:
        """The learner's chain: the start, then every accepted or revealed line."""
        return [s.expr for s in self._chain.steps]

    @property
    def feedback(self) -> str:
        """The last message shown under the box (plain text)."""
        return self._feedback.message

    @property
    def last(self) -> Feedback:
        """The last :class:`Feedback`."""
        return self._feedback

    @property
    def reached_target(self) -> bool:
        """True once the chain has reached the exercise's target."""
        return self._reached_target

    def clear(self) -> Feedback:
        """Start again from the exercise's first line."""
        self._chain = self.exercise.derivation()
        self._reached_target = False
        self._worked_index = 0  # the last line of the worked proof the chain has reached
        # The box's text whose answer is on show: Enter and then Check must not add it twice.
        self._last_text: str | None = ""
        # The learner's last accepted line as typed (spaces and a leading "=" aside).
        self._last_own: str | None = None
        self.text.value = ""
        return self._show(Feedback("cleared", ""))

    # Actions --------------------------------------------------------------------------
    def submit(self, text: str) -> Feedback:
        """Check ``text`` as the next line; ✓ appends it to the chain, ✗ gives a counterexample."""
        if not isinstance(text, str):
            raise TypeError(f"YourTurn.submit: argument 'text' must be a string, got "
                            f"{type(text).__name__}")
        typed = "".join(text.split()).removeprefix("=")
        if typed and typed == self._last_own:
            # Compared as typed: SymPy may turn two different lines into one expression.
            message = "This is the line before, unchanged: type the next step."
            return self._show(Feedback("unchanged", message, reached_target=self._reached_target,
                                       html=_plain(message)))
        if looks_like_latex(text):
            load_latex_parser()  # once per kernel, and not counted against the line
        try:
            with time_limit(CHECK_SECONDS):
                feedback = self._check(parse_line(text, self.exercise), own=True)
        except InputError as err:
            feedback = self._cannot_check(str(err))
        except TooLarge:
            feedback = self._cannot_check(
                f"it is too large to check here (more than {CHECK_SECONDS:g} s); break the step "
                "into smaller ones, or write it more simply")
        if feedback.status == "refused":
            feedback = self._diagnosed(feedback)
        if feedback.status == "accepted":
            self._last_own = typed
        return self._show(feedback)

    def _cannot_check(self, problem: str, expr: sp.Expr | None = None) -> Feedback:
        """The answer to a line that could not be read or checked, saying why."""
        message = f"Cannot check this line: {problem}."
        return Feedback("invalid", message, expr, reached_target=self._reached_target,
                        html=_plain("⚠ " + message))

    def reveal_next(self) -> Feedback:
        """Add the worked proof's next line to the chain (checked like any other line)."""
        lines = self._worked()
        statement = self.exercise.statement
        if self._reached_target or self._worked_index + 1 >= len(lines):
            message = (f"You have reached the target: you have shown {statement}. Clear "
                       "starts again.")
            return self._show(Feedback("done", message, reached_target=self._reached_target,
                                       html=_plain(message)))
        self._last_text = None  # the line in the box now follows a different line
        self._last_own = None
        step = lines[self._worked_index + 1]
        feedback = self._check(step.expr, own=False, reason=step.reason)
        if feedback.ok:
            self._worked_index += 1
        return self._show(feedback)

    def _check(self, expr: sp.Expr, *, own: bool, reason: str = "") -> Feedback:
        chain = self._chain
        try:
            gap, point, values = self._numeric_witness(expr)
        except Exception as err:  # e.g. no real values at the sample points
            problem = _first_line(err)
            if problem.startswith("numeric check"):
                problem = ("it has no real value at most points where the check samples it "
                           f"({self._sampling()})")
            return self._cannot_check(problem, expr)
        if gap > CLEARLY_DIFFERENT:
            return self._refused(expr, point, values)
        label = ("shown: " + reason) if (not own and reason) else ("shown" if not own else "")
        try:
            chain.step(expr, label)  # the worked proofs' check, recorded in the chain
        except StepError:
            # Rare: the numbers (nearly) agree and yet the step failed. Ask for the verdict.
            verdict = compare(chain.current, expr, domains=chain.domains,
                              integers=chain.integers, hints=chain.hints,
                              seed=chain.seed + len(chain.steps))
            if verdict.status == "different":
                return self._refused(expr, verdict.counterexample, verdict.values)
            message = ("? The two lines agree at every sample point, but SymPy could not "
                       "prove them equal: try a smaller step, or write it another way.")
            return Feedback("undecided", message, expr, reached_target=self._reached_target,
                            html=f"? {_math(expr)}: " + _plain(message[2:]))
        if own:
            self._advance(expr)
        reached = self.exercise.reaches_target(expr)
        self._reached_target = self._reached_target or reached
        status = "accepted" if own else "revealed"
        if own:
            message = f"✓ {sp.sstr(expr)} equals the line before it."
            shown = f"✓ {_math(expr)} equals the line before it."
        else:
            message = f"Next line of the worked proof ({reason}): {sp.sstr(expr)}."
            shown = f"Next line of the worked proof: {_math(expr)}."
        if reached:
            note = f" You have shown {self.exercise.statement}."
            message += note
            shown += f" <b>{_plain(note.strip())}</b>"
        return Feedback(status, message, expr, reached_target=self._reached_target, html=shown)

    def _numeric_witness(
        self, expr: sp.Expr, samples: int = 6, before: sp.Expr | None = None,
    ) -> tuple[float, dict, tuple[float, float]]:
        """The numeric half of :func:`nblib.proof.equality.compare`, run first and on its own.

        Same points (same seed, domains and integer assignments as the chain's next
        ``step``), so the counterexample is the one ``compare`` reports. A line whose
        numbers clearly differ is wrong whatever the symbolic test says, and that test (up
        to ``simplify``) is what costs seconds on a wrong line; a line whose numbers agree
        goes on to ``Derivation.step`` for the full check. Fewer ``samples`` make a cheaper
        first test, and ``before`` (instead of the chain's current line) another comparison
        at the same points: the slip search's (see :meth:`_agree`).
        """
        chain = self._chain
        before = chain.current if before is None else before
        return worst_numeric_gap(before, expr, domains=chain.domains,
                                 integers=chain.integers,
                                 rng=np.random.default_rng(chain.seed + len(chain.steps)),
                                 samples=samples)

    def _refused(self, expr: sp.Expr, counterexample: Mapping, values: Any) -> Feedback:
        point = {sp.sstr(k): float(v) for k, v in counterexample.items()}
        before, after = values
        where = ", ".join(f"{k} = {v:g}" for k, v in point.items())
        # Lines without a symbol (numbers, a definite integral) differ at no point: no "at".
        at, at_html = (f"at {where} ", f"at {_math(where)} ") if where else ("", "")
        message = (f"✗ {sp.sstr(expr)} is not equal to the line before it: {at}the "
                   f"line before is {_number(before)} and yours is {_number(after)}.")
        shown = (f"✗ {_math(expr)} is not equal to the line before it: {at_html}"
                 f"the line before is {_number(before, html=True)} and "
                 f"yours is {_number(after, html=True)}.")
        return Feedback("refused", message, expr, point, (before, after),
                        reached_target=self._reached_target, html=shown)

    def _diagnosed(self, feedback: Feedback) -> Feedback:
        """A refused line's feedback with its slip named, when a repair verifies within
        DIAGNOSIS_SECONDS (a limit of its own: the counterexample stands regardless)."""
        try:
            with time_limit(DIAGNOSIS_SECONDS):
                slip = diagnose(self._chain.current, feedback.expr, self._equals_previous,
                                self._agree)
        except TooLarge:
            slip = None
        if slip is None:
            return feedback
        message = (f"{feedback.message} Likely slip ({slip.kind}): {slip.where}. Repaired, "
                   f"the line reads {sp.sstr(slip.repaired)}, which does equal the line "
                   "before.")
        shown = (f"{feedback.html}<br>Likely slip ({html.escape(slip.kind)}): {slip.where}. "
                 f"Repaired, the line reads {_math(slip.repaired)}, which does equal the "
                 "line before.")
        return replace(feedback, message=message, html=shown, slip=slip)

    def _equals_previous(self, candidate: sp.Expr) -> bool:
        """Whether ``candidate`` passes the chain's own check against its current line: the
        numbers at one point first (cheap, and they reject nearly every candidate), then the
        full comparison."""
        chain = self._chain
        if not self._agree(chain.current, candidate):
            return False
        return compare(chain.current, candidate, domains=chain.domains,
                       integers=chain.integers, hints=chain.hints,
                       seed=chain.seed + len(chain.steps)).equal

    def _agree(self, a: sp.Expr, b: sp.Expr) -> bool:
        """Whether ``a`` and ``b`` have the same value (to :data:`CLEARLY_DIFFERENT`) at one
        of the chain's sample points: the slip search's cheap evidence, never a verdict."""
        try:
            gap, _, _ = self._numeric_witness(b, samples=1, before=a)
        except (ValueError, TypeError, ArithmeticError):
            return False
        return gap <= CLEARLY_DIFFERENT

    def _sampling(self) -> str:
        """Where the numeric check samples each symbol, in words."""
        parts = []
        for name, symbol in self.exercise.symbols.items():
            low, high = self._chain.domains.get(symbol, default_domain(symbol))
            parts.append(f"{name} between {low:g} and {high:g}")
        return ", ".join(parts)

    def _worked(self) -> list:
        """The worked proof's lines, its source's wrong lines left out (built once)."""
        if self._worked_lines is None:
            proof = self.exercise.worked_proof()
            self._worked_lines = [s for s in proof.steps if not s.source_error]
        return self._worked_lines

    def _advance(self, expr: sp.Expr) -> None:
        """After a learner's own line: if a later line of the worked proof has the same form,
        the next reveal continues from there (the first such line, so no step is skipped)."""
        form = reevaluated(expr)
        lines = self._worked()
        for i in range(self._worked_index + 1, len(lines)):
            if reevaluated(lines[i].expr) == form:
                self._worked_index = i
                return

    # Display --------------------------------------------------------------------------
    def _show(self, feedback: Feedback) -> Feedback:
        self._feedback = feedback
        self.feedback_view.value = feedback.html
        self.chain_view.value = html.escape(self._chain._repr_latex_(), quote=False)
        if feedback.status == "accepted":
            self._last_text = ""
            self.text.value = ""  # ready for the next line
        return feedback

    def _on_value(self, change: Mapping[str, Any]) -> None:
        # Enter (or leaving the box) sends the value; our own reset to "" is not a line.
        if change["new"].strip() and change["new"] != self._last_text:
            self._last_text = change["new"]
            self.submit(change["new"])

    def _on_check(self, _button: widgets.Button) -> None:
        value = self.text.value
        if not value.strip() and self._feedback is not None and self._feedback.status == "accepted":
            return  # Enter already checked the line and emptied the box: keep its ✓
        if value != self._last_text or not value.strip():
            self._last_text = value
            self.submit(value)

    def _on_help(self, change: Mapping[str, Any]) -> None:
        """Show the help while its toggle is down, hide it when it is up."""
        # None drops the style, so the open panel is laid out as any other HTMLMath.
        self.help_view.layout.display = None if change["new"] else "none"

    def describe(self) -> str:
        """One line for the text/plain output; the same on every run."""
        return (f"Your turn ({self.exercise.id}): show {self.exercise.statement}, starting "
                f"from {sp.sstr(self.exercise.start)}")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        start = self.exercise.derivation()._repr_latex_()
        # The statement as the live box words it (sp.latex would reorder its factors).
        note = (r"$\textbf{Your turn:}\ " + latex_text(
            f"show {self.exercise.statement}, starting from the line below (run the "
            "notebook to type yours).") + "$")
        return {
            "text/plain": self.describe(),
            "text/latex": note + "\n\n" + start,
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
        }
