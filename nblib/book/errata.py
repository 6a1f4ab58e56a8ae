"""Every wrong line found in the sources, gathered from the notebooks' own derivations.

Nothing here is retyped: :func:`errata` builds each notebook's derivations (the same
functions its cells call) and keeps the steps recorded with
:meth:`~nblib.proof.derivation.Derivation.source_error`. Imprecise claims (a condition left
unstated, "≥" where ">" holds, exact arithmetic versus float64) are :class:`Remark`\\ s that
a proof module lists in ``REMARKS``, each carrying the check that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from nblib.book.catalogue import BOOK, SOURCES, Entry, proofs_of
from nblib.proof.derivation import (
    CHECK,
    CROSS,
    Derivation,
    Remark,
    Step,
    counterexample_text,
    latex_text,
)
from nblib.proof.equality import Verdict
from nblib.proofs import derivations

# Shown for a wrong line whose source has no words to quote (the book page's demo).
NO_QUOTE = "(no words to quote: the rule is read off the source's interactive demo)"


@dataclass(frozen=True)
class Erratum:
    """A wrong line of a source: where it stands, the line before it, it, and its correction."""

    entry: Entry
    derivation: Derivation
    previous: sp.Expr
    wrong: Step
    correction: Step

    @property
    def where(self) -> str:
        """Document, exercise and line, e.g. ``chapter 3 · Exercise 5 · source, line 3``."""
        return f"{self.entry.source} · {self.entry.title} · {self.wrong.reason}"

    def _repr_latex_(self) -> str:
        residual = sp.latex(self.wrong.verdict.residual)
        rows = [
            rf"& {sp.latex(self.previous)} && {latex_text('the line before, checked')} && {CHECK}",
            rf"&= {sp.latex(self.wrong.expr)} && {latex_text(self.wrong.reason)} && {CROSS}",
            rf"&= {sp.latex(self.correction.expr)} && {latex_text(self.correction.reason)} "
            rf"&& {CHECK}",
        ]
        title = latex_text(self.where)
        quoted = (latex_text("The source writes: ") + " " + latex_text(self.wrong.quote)
                  if self.wrong.quote else latex_text(NO_QUOTE))
        counter = _counterexample_latex(self.wrong.verdict)
        return (rf"$\textbf{{{self.entry.title}}}\quad {title}$" + "\n\n"
                + f"$${quoted}$$" + "\n\n"
                + r"$$\begin{aligned}" + r"\\ ".join(rows) + r"\end{aligned}$$" + "\n\n"
                # On a line of its own: beside the wrong line it can run off the page.
                + "$$" + latex_text("the wrong line is off by ") + rf"\; {residual}$$" + "\n\n"
                + f"${counter}$")

    def __str__(self) -> str:
        return (f"{self.where}\n"
                f"  quoted:     {self.wrong.quote or NO_QUOTE}\n"
                f"  before:     {sp.sstr(self.previous)}\n"
                f"  source:     {sp.sstr(self.wrong.expr)}  ✗ off by "
                f"{sp.sstr(self.wrong.verdict.residual)}\n"
                f"  counterexample: {counterexample_text(self.wrong.verdict)}\n"
                f"  corrected:  {sp.sstr(self.correction.expr)}  ✓")

    __repr__ = __str__

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))


def _counterexample_latex(verdict: Verdict) -> str:
    """The counterexample as mathematics: symbols as LaTeX (``\\delta^{l+1}_{1}``), not as
    the code-like text of :func:`counterexample_text`, which ``\\text{}`` would garble."""
    where = ", ".join(f"{sp.latex(k)} = {v:g}" for k, v in verdict.counterexample.items())
    text = latex_text("counterexample: ") + " " + where
    if verdict.values is not None:
        before, after = verdict.values
        text += (" " + latex_text(" gives ") + f" {before:.6g} " + latex_text(" before, ")
                 + f" {after:.6g} " + latex_text(" after"))
    return text


def errata_of(e: Entry) -> list[Erratum]:
    """The wrong source lines in one notebook's derivations, in order."""
    module = proofs_of(e)
    if module is None:
        return []
    found = []
    for d in derivations(module):
        accepted = d.steps[0].expr
        for i, step in enumerate(d.steps):
            if step.source_error:
                found.append(Erratum(e, d, accepted, step, d.steps[i + 1]))
            elif step.verdict is None or step.verdict.equal:
                accepted = step.expr
    return found


def errata() -> list[Erratum]:
    """Every wrong source line in the book, in the book's order."""
    return [erratum for e in BOOK for erratum in errata_of(e)]


def remarks(float64: bool | None = None) -> list[Remark]:
    """Every imprecise claim the notebooks document, in the book's order: those that fail
    only in float64 (``float64=True``), the others (``False``), or all (``None``)."""
    found = []
    for e in BOOK:
        module = proofs_of(e)
        found.extend(make() for make in getattr(module, "REMARKS", ()))
    return [r for r in found if float64 is None or r.float64 == float64]


def documents() -> dict[str, str]:
    """The two sources, by the short name the errata use."""
    return dict(SOURCES)
