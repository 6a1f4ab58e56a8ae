"""Checked claims that are not chains of equalities: "P ⇔ Q" and "expr > 0 on (0, 1)".

:class:`Equivalence` (a checked "⇔" between two equations) and :class:`Positivity` (a
checked "> 0" when every listed symbol lies in (0, 1)), for exercise 3. Both are
:class:`~nblib.proof.derivation.Derivation`\\ s, so the index counts their steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import sympy as sp

from nblib.proof.derivation import CHECK, Derivation, StepError
from nblib.proof.equality import Domain, reevaluated
from nblib.proof.inputs import as_expr
from nblib.proof.rewrites import unit_interval_substitution

__all__ = ["Equivalence", "Positivity"]


def _sign_on_unit_interval(expr: sp.Expr, unit: Mapping[sp.Symbol, sp.Expr]) -> tuple[sp.Expr,
                                                                                      str]:
    """Rewrite ``expr`` with the substitution and ask SymPy for its sign."""
    rewritten = sp.factor(sp.together(expr.subs(unit)))
    if rewritten.is_positive:
        return rewritten, "positive"
    if rewritten.is_negative:
        return rewritten, "negative"
    return rewritten, "unknown"


def _ranges(unit: Mapping[sp.Symbol, sp.Expr]) -> str:
    return r",\ ".join(f"0 < {sp.latex(s)} < 1" for s in unit)


def _reason(text: str) -> str:
    """A reason as LaTeX: words in \\text{…}, ``$…$`` segments kept as mathematics."""
    parts = text.split("$")
    if len(parts) % 2 == 0:
        raise ValueError(f"reason {text!r} has an unmatched '$'")
    return " ".join(part if i % 2 else r"\text{" + part + "}"
                    for i, part in enumerate(parts) if part)


def _difference(lhs: sp.Expr, rhs: sp.Expr) -> sp.Expr:
    """lhs − rhs kept as written (just lhs when rhs is 0)."""
    if rhs == 0:
        return lhs
    with sp.evaluate(False):
        return lhs - rhs


def _pair_of(pair: Sequence[sp.Expr], name: str) -> tuple[sp.Expr, sp.Expr]:
    """Validate an equation given as a pair (lhs, rhs) of SymPy expressions."""
    if isinstance(pair, sp.Basic | str) or not isinstance(pair, Sequence) or len(pair) != 2:
        raise TypeError(f"Equivalence: argument '{name}' must be a pair (lhs, rhs)")
    return (as_expr(pair[0], f"{name}[0]", func="Equivalence"),
            as_expr(pair[1], f"{name}[1]", func="Equivalence"))


class Equivalence(Derivation):
    """A checked step "P ⇔ Q" between two equations P: L₁ = R₁ and Q: L₂ = R₂.

    It holds because L₂ − R₂ = f · (L₁ − R₁) for a factor f that is never 0 on the domain:
    then one difference is zero exactly when the other is. Both facts are checked: the
    identity as a one-step :class:`~nblib.proof.derivation.Derivation` (symbolic zero test and
    30-digit numbers), the sign of f by SymPy after :func:`unit_interval_substitution`.
    It counts as two checked steps.

    Parameters
    ----------
    before, after : (lhs, rhs) pairs of SymPy expressions
        The equations P and Q, written as the source writes them (build them under
        ``sp.evaluate(False)`` to keep that form).
    factor : SymPy expression
        f, with L₂ − R₂ = f (L₁ − R₁).
    reason : str
        What the step does, e.g. "multiply both sides by $a(1-a)$".
    unit_symbols : iterable of symbols
        Symbols that live in (0, 1), for the sign of f.
    domains : mapping
        Sampling intervals for the numeric check.

    Raises
    ------
    StepError
        If the identity fails or cannot be decided, or the sign of f cannot be shown.
    """

    def __init__(
        self,
        before: Sequence[sp.Expr],
        after: Sequence[sp.Expr],
        factor: sp.Expr,
        *,
        reason: str,
        unit_symbols: Iterable[sp.Symbol] = (),
        domains: Mapping[sp.Basic, Domain] | None = None,
    ) -> None:
        self.before, self.after = _pair_of(before, "before"), _pair_of(after, "after")
        self.factor = as_expr(factor, "factor", func="Equivalence")
        self.reason = reason
        _reason(reason)  # an unmatched '$' is reported before any work is done
        with sp.evaluate(True):  # the checks need SymPy's automatic simplification
            super().__init__(_difference(*self.after), domains=domains)
            with sp.evaluate(False):
                scaled = self.factor * _difference(*self.before)
            self.step(scaled, reason)
            self.unit = unit_interval_substitution(unit_symbols)
            self.factor_form, self.factor_sign = _sign_on_unit_interval(self.factor, self.unit)
        if self.factor_sign == "unknown":
            raise StepError(f"equivalence ({reason!r}): cannot show that the factor "
                            f"{sp.sstr(self.factor)} is never 0 on the domain")

    @property
    def checked_steps(self) -> int:
        """The identity and the sign of the factor."""
        return super().checked_steps + 1

    def _repr_latex_(self) -> str:
        def eq(pair: tuple[sp.Expr, sp.Expr]) -> str:
            return f"{sp.latex(pair[0], order='none')} = {sp.latex(pair[1], order='none')}"

        head = f"$${eq(self.before)} \\iff {eq(self.after)}$$"
        relation = "> 0" if self.factor_sign == "positive" else "< 0"
        start, scaled = self.steps[0].expr, self.steps[1].expr
        rows = [
            f"{sp.latex(start, order='none')} &= {sp.latex(scaled, order='none')} "
            f"&& {_reason(self.reason)} && {CHECK}",
        ]
        if self.factor.is_number:
            rows.append(f"{sp.latex(self.factor)} &\\ne 0 && && {CHECK}")
        else:
            subs = r",\ ".join(f"{sp.latex(k)} = {sp.latex(v)}" for k, v in self.unit.items())
            rows.append(f"{sp.latex(self.factor)} &= {sp.latex(self.factor_form)} {relation} "
                        f"&& {_reason('for ')}{_ranges(self.unit)}\\ ({subs}) && {CHECK}")
        return head + "\n\n" + r"$$\begin{aligned}" + r"\\ ".join(rows) + r"\end{aligned}$$"

    def __str__(self) -> str:
        return (f"{sp.sstr(self.before[0])} = {sp.sstr(self.before[1])}  <=>  "
                f"{sp.sstr(self.after[0])} = {sp.sstr(self.after[1])}   [{self.reason}] ✓; "
                f"factor {sp.sstr(self.factor)} is {self.factor_sign} ✓")

    __repr__ = __str__


class Positivity(Derivation):
    """A checked claim "expr > 0 whenever every listed symbol lies in (0, 1)".

    The expression is rewritten with :func:`unit_interval_substitution` (a = 1/(1 + t_a)
    with t_a > 0, and so on); the rewriting is checked as a one-step
    :class:`~nblib.proof.derivation.Derivation` in the new variables, and SymPy must then find
    the rewritten form positive. It counts as two checked steps.

    Parameters
    ----------
    expr : SymPy expression
    unit_symbols : iterable of symbols
        Symbols that live in (0, 1).
    lhs : str
        LaTeX for what the expression is, e.g. ``"C''(a)"``.

    Raises
    ------
    StepError
        If SymPy cannot show the rewritten expression positive.
    """

    def __init__(self, expr: sp.Expr, unit_symbols: Iterable[sp.Symbol], *, lhs: str = "") -> None:
        self.label = lhs
        with sp.evaluate(True):  # the checks need SymPy's automatic simplification
            self.expr = reevaluated(as_expr(expr, "expr", func="Positivity"))
            self.unit = unit_interval_substitution(unit_symbols)
            self.form, sign = _sign_on_unit_interval(self.expr, self.unit)
            if sign != "positive":
                raise StepError(f"Positivity: SymPy cannot show {sp.sstr(self.expr)} > 0 "
                                f"(rewritten: {sp.sstr(self.form)})")
            super().__init__(self.expr.subs(self.unit), lhs=lhs or None)
            self.step(self.form, "rewrite with " + ", ".join(
                f"${sp.latex(k)} = {sp.latex(v)}$" for k, v in self.unit.items()))

    @property
    def checked_steps(self) -> int:
        """The rewriting and the sign."""
        return super().checked_steps + 1

    @property
    def holds(self) -> bool:
        """True: the constructor raises otherwise."""
        return True

    def _repr_latex_(self) -> str:
        subs = r",\ ".join(f"{sp.latex(k)} = {sp.latex(v)}" for k, v in self.unit.items())
        head = f"{self.label} &= " if self.label else "& "
        rows = [
            f"{head}{sp.latex(self.expr)} && && ",
            f"&= {sp.latex(self.form)} && {_reason('with ')}{subs} && {CHECK}",
            f"&> 0 && {_reason('every factor is positive: ')}{_ranges(self.unit)} && {CHECK}",
        ]
        return r"$$\begin{aligned}" + r"\\ ".join(rows) + r"\end{aligned}$$"

    def __str__(self) -> str:
        return f"{sp.sstr(self.expr)} = {sp.sstr(self.form)} > 0 ✓"

    __repr__ = __str__
