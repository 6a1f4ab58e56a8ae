"""Step-checked derivations: a chain ``start = e1 = e2 = …`` in which the code checks every "=".

Each step carries its reason ("quotient rule", "BP1", "source, line 3"). A step is
accepted only when :func:`nblib.proof.equality.compare` finds it equal to the line before it.
A wrong step raises :class:`StepError` naming the step, unless it was recorded with
:meth:`Derivation.source_error`: a line of the source that is known to be wrong. That one
is shown with ✗, its residual and the corrected line, and the chain goes on from the
correction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from nblib.proof.equality import Domain, Verdict, compare
from nblib.proof.inputs import as_expr


class StepError(AssertionError):
    """A step does not follow from the line before it (or the checks could not tell)."""


@dataclass(frozen=True)
class Step:
    """One line of a derivation: its expression, the reason given and the check's verdict."""

    expr: sp.Expr
    reason: str
    verdict: Verdict | None  # None for the starting line
    source_error: bool = False
    # A wrong line's words in its source, verbatim (text with $…$ mathematics), if any.
    quote: str = ""

    @property
    def mark(self) -> str:
        """✓ for a verified line, ✗ for a source line shown to be wrong, blank for the start."""
        if self.verdict is None:
            return ""
        return "✓" if self.verdict.equal else "✗"


def _latex(expr: sp.Basic | str) -> str:
    return expr if isinstance(expr, str) else sp.latex(expr)


def latex_text(reason: str) -> str:
    """A reason as LaTeX: plain words in ``\\text{}``, ``$…$`` segments kept as mathematics."""
    parts = reason.split("$")
    if len(parts) % 2 == 0:
        raise ValueError(f"reason {reason!r} has an unmatched '$'")
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(part)
        elif part:
            for bad, good in (("\\", "/"), ("{", "("), ("}", ")"), ("&", "and"), ("%", " percent")):
                part = part.replace(bad, good)
            # MathJax's text fonts lack the prime; set it as mathematics between text runs.
            text = r"\text{" + part.replace("′", "}'\\text{") + "}"
            out.append(text.replace(r"\text{}", ""))
    return " ".join(out)


CHECK = r"\color{green}{\checkmark}"
CROSS = r"\color{red}{\boldsymbol{\times}}"


class Derivation:
    """A chain of equalities checked step by step.

    Parameters
    ----------
    start
        The first expression. It may be unevaluated (``sp.Derivative(...)``), so the chain
        can begin where the book begins.
    lhs
        What the chain is about, shown left of the first "=" (LaTeX string or expression).
    reason
        Why the start holds (e.g. "definition").
    domains
        Sampling intervals for the numeric check, e.g. ``{y: (0.01, 0.99)}``; symbols not
        listed are sampled according to their SymPy assumptions.
    assumptions
        Human-readable statement of the assumptions, shown under the chain.
    integers
        Assignments of integer symbols (such as ``n``) for the numeric check of general-n
        steps.
    hints
        Extra rewrites tried first in the symbolic zero test.
    """

    def __init__(
        self,
        start: sp.Expr,
        *,
        lhs: sp.Expr | str | None = None,
        reason: str = "",
        title: str = "",
        domains: Mapping[sp.Basic, Domain] | None = None,
        assumptions: str = "",
        integers: Iterable[Mapping[sp.Symbol, int]] = ({},),
        hints: Iterable[Callable[[sp.Expr], sp.Expr]] = (),
        seed: int = 0,
    ) -> None:
        self.title = title
        self.lhs = lhs
        self.assumptions = assumptions
        self.domains = dict(domains or {})
        self.integers = tuple(integers)
        self.hints = tuple(hints)
        self.seed = seed
        self.steps: list[Step] = [Step(as_expr(start, "start", func="Derivation"), reason, None)]

    # Building the chain -------------------------------------------------------------
    @property
    def current(self) -> sp.Expr:
        """The last accepted expression: what the next step is compared with."""
        return next(s.expr for s in reversed(self.steps) if not s.source_error)

    def _compare(self, expr: sp.Expr, hints: Iterable[Callable] = ()) -> Verdict:
        return compare(
            self.current, expr, domains=self.domains, integers=self.integers,
            hints=(*hints, *self.hints), seed=self.seed + len(self.steps),
        )

    def _label(self, reason: str) -> str:
        return f"step {len(self.steps)} ({reason!r})" if reason else f"step {len(self.steps)}"

    def step(
        self, expr: sp.Expr, reason: str = "", *, hints: Iterable[Callable] = ()
    ) -> Derivation:
        """Append ``= expr`` and check it; raise :class:`StepError` if it does not follow."""
        expr = as_expr(expr, "expr", func="Derivation.step")
        verdict = self._compare(expr, hints)
        if verdict.status == "different":
            raise StepError(
                f"{self._label(reason)} does not follow from the line before it:\n"
                f"  previous: {sp.sstr(self.current)}\n  this:     {sp.sstr(expr)}\n"
                f"  residual (this − previous): {sp.sstr(verdict.residual)}\n"
                f"  counterexample: {counterexample_text(verdict)}"
            )
        if verdict.status == "undecided":
            raise StepError(f"{self._label(reason)} could not be decided: {verdict.note}")
        self.steps.append(Step(expr, reason, verdict))
        return self

    def source_error(
        self,
        wrong: sp.Expr,
        reason: str,
        *,
        correction: sp.Expr,
        correction_reason: str = "corrected line",
        hints: Iterable[Callable] = (),
        quote: str = "",
    ) -> Derivation:
        """Record a line of the source that is wrong, then its correction.

        The wrong line must really fail the check (otherwise :class:`StepError`: the claim
        of an error would itself be an error); the correction must pass. ``quote`` is the
        line as the source writes it (text with ``$…$`` mathematics), for the errata.
        """
        wrong = as_expr(wrong, "wrong", func="Derivation.source_error")
        verdict = self._compare(wrong, hints)
        if verdict.status != "different":
            raise StepError(
                f"{self._label(reason)} was recorded as a source error, but the check "
                f"says {verdict.status}: {sp.sstr(wrong)}"
            )
        self.steps.append(Step(wrong, reason, verdict, source_error=True, quote=quote))
        return self.step(correction, correction_reason, hints=hints)

    # Reading it ---------------------------------------------------------------------
    @property
    def result(self) -> sp.Expr:
        """The last accepted expression."""
        return self.current

    @property
    def checked_steps(self) -> int:
        """Number of "=" signs the code checked (source errors included)."""
        return sum(s.verdict is not None for s in self.steps)

    @property
    def source_errors(self) -> list[Step]:
        """The source's wrong lines found in this derivation."""
        return [s for s in self.steps if s.source_error]

    def _repr_latex_(self) -> str:
        rows = []
        for i, s in enumerate(self.steps):
            left = _latex(self.lhs) if (i == 0 and self.lhs is not None) else ""
            mark = ""
            if s.source_error:
                mark = (CROSS + r"\ " + latex_text("off by ") + r"\;"
                        + sp.latex(s.verdict.residual))
            elif s.verdict is not None:
                mark = CHECK
            rel = "&=" if (i > 0 or self.lhs is not None) else "&"
            reason = latex_text(s.reason) if s.reason else ""
            rows.append(f"{left} {rel} {sp.latex(s.expr)} && {reason} && {mark}")
        body = r"\\ ".join(rows)
        out = r"$$\begin{aligned}" + body + r"\end{aligned}$$"
        if self.title:
            out = r"$\textbf{" + self.title.replace("&", r"\&") + "}$\n\n" + out
        if self.assumptions:
            out += "\n\n$" + latex_text("Assumptions: " + self.assumptions) + "$"
        return out

    def __str__(self) -> str:
        lines = [self.title] if self.title else []
        for i, s in enumerate(self.steps):
            head = (sp.sstr(self.lhs) if isinstance(self.lhs, sp.Basic) else (self.lhs or ""))
            rel = (head + " = ") if i == 0 and self.lhs is not None else ("  = " if i else "    ")
            note = f"   [{s.reason}]" if s.reason else ""
            line = f"{rel}{sp.sstr(s.expr)}{note} {s.mark}".rstrip()
            if s.source_error:
                residual = sp.sstr(s.verdict.residual)
                line += f"  off by {residual}; counterexample {counterexample_text(s.verdict)}"
            lines.append(line)
        if self.assumptions:
            lines.append(f"Assumptions: {self.assumptions}")
        n, bad = self.checked_steps, len(self.source_errors)
        summary = f"{n} step{'s' if n != 1 else ''} checked: {n - bad} ✓"
        lines.append(summary + (f", {bad} ✗ (source errors, corrected)" if bad else ""))
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))


def counterexample_text(verdict: Verdict) -> str:
    """A counterexample as text: the symbol values and the two sides' values there."""
    if not verdict.counterexample:
        return "none"
    where = ", ".join(f"{sp.sstr(k)} = {v:g}" for k, v in verdict.counterexample.items())
    if verdict.values is None:
        return where
    return f"{where} gives {verdict.values[0]:.6g} before, {verdict.values[1]:.6g} after"


@dataclass(frozen=True)
class Remark:
    """An imprecise claim of a source, with the checks that show what actually holds.

    ``where``, ``source_says`` and ``what_holds`` are Markdown: words, with every formula
    written as inline TeX between ``$`` signs (``$\\partial a_j/\\partial z_k$``) and a code
    name between backticks; JupyterLab and the static site typeset the formulas. Outside
    those spans a text holds no TeX markup (``\\ { } ^ _``), which a reader would see raw:
    the constructor refuses it, and a ``$`` or backtick without its pair.
    ``evidence`` holds displayable results: derivations, check reports or plain text.
    ``float64`` marks a claim that is exact for real numbers and fails only in float64,
    which the errata page lists apart from imprecise mathematics.
    """

    notebook: str
    where: str
    source_says: str
    what_holds: str
    evidence: Sequence[Any] = field(default_factory=tuple)
    float64: bool = False

    # Characters that are TeX markup: outside $…$ and `…` they would show raw.
    _TEX_MARKUP = frozenset("\\{}^_")

    def __post_init__(self) -> None:
        """Refuse a text whose TeX a reader would see raw (see the class docstring)."""
        for name in ("where", "source_says", "what_holds"):
            text = getattr(self, name)
            if not isinstance(text, str):
                raise TypeError(f"Remark: argument '{name}' must be a str (got {text!r})")
            bad = sorted(self._TEX_MARKUP & set(self._prose(name, text)))
            if bad:
                raise ValueError(f"Remark: {name} has TeX markup ({' '.join(bad)}) outside "
                                 f"$…$ in {text!r}; write each formula between $ signs")

    @staticmethod
    def _prose(name: str, text: str) -> str:
        """The words of ``text``: what lies outside its ``$…$`` formulas and `…` code spans."""
        words, i = [], 0
        while i < len(text):
            if text[i] not in "$`":
                words.append(text[i])
                i += 1
                continue
            end = text.find(text[i], i + 1)
            if end < 0:
                raise ValueError(f"Remark: {name} has a '{text[i]}' without its pair in "
                                 f"{text!r}")
            if not text[i + 1:end].strip():
                raise ValueError(f"Remark: {name} has an empty {text[i]}…{text[i]} in {text!r}")
            i = end + 1
        return "".join(words)

    def _repr_markdown_(self) -> str:
        return (f"**{self.where}**. The source says: {self.source_says} "
                f"What holds: {self.what_holds}")

    # The plain text (a terminal, and what nbval compares) shows the same Markdown, formulas
    # as TeX between $ signs, as the errata beside it show their quotes: TeX is the one
    # notation that reads unambiguously as source and is typeset wherever Markdown is; a
    # Unicode transcription would be a second rendering of each formula, with its own slips.
    def __str__(self) -> str:
        return f"{self.where}\n  source says: {self.source_says}\n  holds: {self.what_holds}"

    __repr__ = __str__

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))
