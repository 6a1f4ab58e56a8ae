"""Naming the slip in a wrong line: repairs tried in turn, one reported only once verified.

When a learner's line is not equal to the line before it, :func:`diagnose` tries the
repairs of the slips most common in these derivations, computed from the two lines alone
(nothing is written per exercise):

1. the whole line's sign, then one term's sign;
2. one exponential with its exponent's sign flipped (e^{z} where e^{−z} belongs);
3. one sign inside a bracket (1 + a for 1 − a), new brackets and denominators first;
4. a constant factor, a power of one factor, or a chain-rule factor (the derivative of an
   inner expression by a variable the lines differentiate by) missing or extra, read off
   the ratio of the two lines;
5. two symbols of both lines swapped (a and y, z_1 and z_2), the symbols of that ratio
   first.

A repair is reported only when the caller's ``verify`` (the exercise's own checker: the
symbolic zero test and the numeric agreement) accepts the repaired line. Nothing that was
not verified is ever shown; when no repair verifies, there is no diagnosis.

Which factor or power to propose is read off the ratio of the two lines by the caller's
``agree``, a comparison of two expressions' values at a point: the numbers only choose what
to propose (``verify`` decides), and a symbolic test there cost seconds on a line of
Problem 3, more than the whole search may take.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sympy as sp

from nblib.proof.equality import evaluated
from nblib.yourturn.limits import cpu_clock

# CPU seconds spent trying repairs before giving up (the line keeps its counterexample).
# CPU time, like the widget's hard limit around the search: on a machine busy with other
# work the search is not cut short, and the hard limit's wall-clock backstop still holds.
BUDGET = 0.4

# ``agree(a, b)``: whether two expressions have the same value at a sample point.
Agree = Callable[[sp.Expr, sp.Expr], bool]


@dataclass(frozen=True)
class Slip:
    """A verified diagnosis: the kind of slip, where it is (LaTeX between ``$``), and the
    repaired line, which equals the line before."""

    kind: str
    where: str
    repaired: sp.Expr


def diagnose(previous: sp.Expr, line: sp.Expr, verify: Callable[[sp.Expr], bool],
             agree: Agree, budget: float | None = None) -> Slip | None:
    """The first candidate repair of ``line`` that ``verify`` accepts, or None.

    ``verify(candidate)`` must say whether ``candidate`` equals ``previous`` under the
    exercise's checker; ``agree(a, b)`` whether ``a`` and ``b`` have the same value at a
    point of the exercise's domains (cheap evidence, used only to choose which factor or
    power to propose). Candidates are tried until ``budget`` CPU seconds (default
    :data:`BUDGET`) have passed.
    """
    clock = cpu_clock()
    deadline = clock() + (BUDGET if budget is None else budget)
    seen: set[sp.Expr] = {line}
    for slip in _candidates(previous, line, agree):
        if clock() > deadline:
            return None
        if slip.repaired in seen:
            continue
        seen.add(slip.repaired)
        if verify(slip.repaired):
            return slip
    return None


def _m(expr: sp.Basic) -> str:
    """An expression as inline mathematics for a message."""
    return f"${sp.latex(expr)}$"


def _candidates(previous: sp.Expr, line: sp.Expr, agree: Agree) -> Iterator[Slip]:
    """Every candidate repair, the most common slips first."""
    yield Slip("sign slip", "the whole line has the wrong sign", -line)
    terms = sp.Add.make_args(line)
    if len(terms) > 1:
        for term in terms:
            yield Slip("sign slip", f"the sign of the term {_m(term)}", line - 2 * term)
    for applied in sorted(line.atoms(sp.Function), key=sp.default_sort_key):
        if len(applied.args) == 1 and applied.args[0].free_symbols:
            flipped = applied.func(-applied.args[0])
            kind = "flipped exponent" if applied.func == sp.exp else "flipped argument"
            where = f"{_m(applied)} where {_m(flipped)} belongs"
            for term in terms:  # in one term, then everywhere
                if term.has(applied) and len(terms) > 1:
                    yield Slip(kind, f"{where}, in the term {_m(term)}",
                               line - term + term.xreplace({applied: flipped}))
            yield Slip(kind, where, line.xreplace({applied: flipped}))
    yield from _bracket_repairs(previous, line)
    ratio = _ratio(previous, line)
    if ratio is not None:
        yield from _ratio_repairs(previous, line, ratio, agree)
    yield from _swaps(previous, line, ratio)


def _ratio(previous: sp.Expr, line: sp.Expr) -> sp.Expr | None:
    """What the line must be multiplied by to give the previous one, in lowest terms (None
    when SymPy cannot form it)."""
    try:
        ratio = sp.cancel(evaluated(previous) / evaluated(line))
    except (ZeroDivisionError, ValueError, TypeError, NotImplementedError):
        return None
    return None if ratio == 1 or ratio.has(sp.zoo, sp.nan) else ratio


def _ratio_repairs(previous: sp.Expr, line: sp.Expr, ratio: sp.Expr,
                   agree: Agree) -> Iterator[Slip]:
    """A constant factor, a power of one factor, or a chain-rule factor: the ``ratio`` of
    the lines, when that is one simple thing."""
    if not ratio.free_symbols:
        yield Slip("constant factor", f"a factor {_m(ratio)} is missing" if abs(ratio) > 1
                   else f"a factor {_m(1 / ratio)} too many", ratio * line)
        return
    variables = _differentiation_variables(previous, line)
    for inner in _inner_expressions(previous, line):
        for symbol in sorted(inner.free_symbols & variables, key=sp.default_sort_key):
            # Through the definitions: σ′ of an argument comes out in exponentials, not
            # as an unevaluated Subs.
            slope = sp.diff(evaluated(inner), symbol)
            if not slope.free_symbols:
                continue
            missing = agree(ratio, slope)
            if not missing and not agree(ratio * slope, sp.S.One):
                continue
            derivative = sp.Derivative(inner, symbol)
            shown = sp.diff(inner, symbol)
            shown = derivative if shown.has(sp.Subs) else shown
            if missing:
                yield Slip("chain-rule factor", f"the inner derivative {_m(derivative)} "
                           f"$= {sp.latex(shown)}$ is missing", line * shown)
            else:
                yield Slip("chain-rule factor", f"the factor {_m(shown)} (the inner "
                           f"derivative {_m(derivative)}) does not belong here", line / shown)
    powers = sp.Mul(*sp.Mul.make_args(line)).as_powers_dict()
    for base in _bases(line):
        had = powers.get(base, 0)
        if had == 0:  # not a factor of the line: "its power" would mean nothing
            continue
        for change in (1, -1, 2, -2, 3, -3):
            if agree(ratio, base**change):
                written = sp.Pow(base, had, evaluate=False)
                meant = sp.Pow(base, had + change, evaluate=False)
                yield Slip("wrong power", f"{_m(written)} where {_m(meant)} belongs",
                           line * base**change)
                break


def _swaps(previous: sp.Expr, line: sp.Expr, ratio: sp.Expr | None) -> Iterator[Slip]:
    """Two symbols of both lines swapped, the pairs in the ``ratio`` of the lines first:
    w_1 written for x_1 and x_1 for w_1 leave x_1/w_1 there."""
    shared = sorted(line.free_symbols & previous.free_symbols, key=sp.default_sort_key)
    hinted = ratio.free_symbols if ratio is not None else set()
    pairs = sorted(itertools.combinations(shared, 2), key=lambda pair: -len(hinted & set(pair)))
    for a, b in pairs:
        swapped = line.xreplace({a: b, b: a})
        if swapped != line:
            yield Slip("swapped symbols", f"{_m(a)} and {_m(b)} are swapped", swapped)


def _differentiation_variables(*lines: sp.Expr) -> set[sp.Symbol]:
    """The variables the lines differentiate by: a chain-rule factor can be missing only
    where a derivative is being taken (the derivative by any other symbol is no slip)."""
    return {v for line in lines for d in line.atoms(sp.Derivative) for v in d.variables}


def _bases(line: sp.Expr) -> list[sp.Expr]:
    """The factors of a line that a power could be wrong on: every base of a power, and
    every factor of a product, that is not a number."""
    found: set[sp.Expr] = set()
    for node in sp.preorder_traversal(line):
        if isinstance(node, sp.Pow):
            found.add(node.base)
        elif isinstance(node, sp.Mul):
            found.update(a for a in node.args if not isinstance(a, sp.Pow))
    return sorted((b for b in found if b.free_symbols), key=sp.default_sort_key)


def _inner_expressions(*lines: sp.Expr) -> list[sp.Expr]:
    """Functions applied, their arguments and bases of powers: the inner expressions whose
    derivative a chain rule multiplies in."""
    inner: set[sp.Expr] = set()
    for line in lines:
        for node in sp.preorder_traversal(line):
            if isinstance(node, sp.Function) and len(node.args) == 1:
                inner.update((node, node.args[0]))
            elif isinstance(node, sp.Pow) and not node.base.is_Atom:
                inner.add(node.base)
    return sorted((e for e in inner if not e.is_Atom), key=sp.default_sort_key)


def _bracket_repairs(previous: sp.Expr, line: sp.Expr) -> Iterator[Slip]:
    """One term's sign flipped inside a bracket: 1 + a for 1 − a. Brackets copied from the
    line before are tried last (the slip is more likely in what was newly written), and
    denominators before other brackets."""
    denominators = {p.base for p in line.atoms(sp.Pow) if p.exp.is_negative}
    brackets = {node for node in sp.preorder_traversal(line)
                if isinstance(node, sp.Add) and node != line}
    copied = set(sp.preorder_traversal(previous))
    for bracket in sorted(brackets, key=lambda b: (b in copied, b not in denominators,
                                                   sp.default_sort_key(b))):
        # Terms with a symbol first: 1 + a for 1 − a, rather than −1 − a.
        for term in sorted(sp.Add.make_args(bracket), key=lambda t: not t.free_symbols):
            fixed = bracket - 2 * term
            kind = "slip in a denominator" if bracket in denominators else "sign slip"
            yield Slip(kind, f"{_m(bracket)} where {_m(fixed)} belongs",
                       line.xreplace({bracket: fixed}))
