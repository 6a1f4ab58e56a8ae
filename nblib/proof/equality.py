"""Deciding whether two SymPy expressions are equal: a symbolic proof and a numeric witness.

A derivation step is trusted only when two independent tests agree:

* a symbolic zero test of the difference (fast rewrites first, ``simplify`` last), and
* a numeric spot check at random points, evaluated with 30 significant digits.

If they disagree, or the symbolic test cannot decide a difference the numbers call zero,
the verdict is "undecided" and the caller must not mark the step either way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

# Relative size below which a difference evaluated at 30 digits counts as zero.
NUMERIC_ZERO = 1e-20
DIGITS = 30

Domain = tuple[float, float]


@dataclass(frozen=True)
class Verdict:
    """Outcome of comparing two expressions.

    ``status`` is ``"equal"``, ``"different"`` or ``"undecided"``. ``residual`` is the
    simplified difference (new − old); ``counterexample`` maps symbols to values at which
    the two sides differ, with the two values in ``values``.
    """

    status: str
    residual: sp.Expr
    method: str = ""
    counterexample: Mapping[sp.Basic, float] = field(default_factory=dict)
    values: tuple[float, float] | None = None
    note: str = ""

    @property
    def equal(self) -> bool:
        """True when both the symbolic and the numeric test say the two sides are equal."""
        return self.status == "equal"


def _zero_tests(hints: Iterable[Callable[[sp.Expr], sp.Expr]]):
    """The rewrites tried in turn on a difference; the first that gives 0 proves it zero."""
    yield from ((f"hint {i}", h) for i, h in enumerate(hints, 1))
    yield "cancel", lambda d: sp.cancel(sp.expand_log(d, force=True))
    yield "sums", lambda d: sp.cancel(pull_constants_out_of_sums(sp.expand(d)))
    yield "expand", lambda d: sp.cancel(sp.expand(sp.powsimp(d)))
    yield "simplify", sp.simplify


def pull_constants_out_of_sums(expr: sp.Expr) -> sp.Expr:
    """Rewrite Σ_k c·f(k) as c·Σ_k f(k) wherever a factor c does not involve k.

    SymPy leaves such sums alone, and general-n softmax identities need it: the
    denominator Σ_k e^{z_k} is a constant of every other sum over k.
    """

    def pull(s: sp.Sum) -> sp.Expr:
        if len(s.limits) != 1:
            return s
        index = s.limits[0][0]
        const, rest = [], []
        for factor in sp.Mul.make_args(s.function):
            (rest if index in factor.free_symbols else const).append(factor)
        if not const:
            return s
        return sp.Mul(*const) * sp.Sum(sp.Mul(*rest), s.limits[0])

    return expr.replace(lambda e: isinstance(e, sp.Sum), pull)


def symbolic_residual(
    difference: sp.Expr, hints: Iterable[Callable[[sp.Expr], sp.Expr]] = ()
) -> tuple[sp.Expr, str]:
    """Try to reduce ``difference`` to 0; return the reduced form and the method that did it."""
    reduced = difference
    for name, test in _zero_tests(hints):
        reduced = test(difference)
        if reduced == 0:
            return sp.S.Zero, name
    return reduced, ""


def _stand_in(func: type[AppliedUndef], arity: int, salt: int) -> sp.Lambda:
    """A concrete smooth function to put in place of an undefined one for the numeric check.

    Two expressions that agree for *every* function agree for this one; two that differ
    almost surely differ for it too, because its derivatives of every order are unrelated.
    """
    args = sp.symbols(f"_u0:{arity}", real=True)
    body = sum(
        (sp.Rational(7 + salt + i, 5)) * sp.sin(sp.Rational(3 + i, 4) * x + sp.Rational(1, 3))
        + sp.exp(x * sp.Rational(2 + salt, 9))
        for i, x in enumerate(args)
    )
    body += sp.Mul(*args) * sp.Rational(5, 7)
    return sp.Lambda(args, body)


@functools.lru_cache(maxsize=4096)
def evaluated(expr: sp.Expr) -> sp.Expr:
    """``expr.doit()``, remembered: each line of a chain is compared twice (as the new line
    and then as the previous one), and ``doit`` on general-n sums is costly."""
    return expr.doit()


def reevaluated(expr: sp.Basic) -> sp.Basic:
    """``expr`` rebuilt with SymPy's automatic evaluation on, undoing ``sp.evaluate(False)``
    (unlike :func:`evaluated`, nothing is carried out: derivatives and sums stay)."""
    if not expr.args:
        return expr
    return expr.func(*(reevaluated(arg) for arg in expr.args))


def concrete(expr: sp.Expr, integers: Mapping[sp.Symbol, int] | None = None) -> sp.Expr:
    """Replace undefined functions by stand-ins and integer symbols by values, then ``doit``."""
    return _concrete(expr, tuple(sorted((integers or {}).items(), key=str)))


@functools.lru_cache(maxsize=4096)
def _concrete(expr: sp.Expr, integers: tuple[tuple[sp.Symbol, int], ...]) -> sp.Expr:
    for i, f in enumerate(sorted({a.func for a in expr.atoms(AppliedUndef)}, key=str)):
        arity = next(len(a.args) for a in expr.atoms(AppliedUndef) if a.func == f)
        expr = expr.subs(f, _stand_in(f, arity, i))
    if integers:
        expr = expr.subs(dict(integers))
    return evaluated(expr)


def _unknowns(expr: sp.Expr) -> list[sp.Basic]:
    """Symbols and indexed entries that need a value, in a fixed order."""
    atoms = {s for s in expr.free_symbols if not isinstance(s, sp.Idx)}
    atoms |= expr.atoms(sp.Indexed)
    bases = _bases(expr)  # once: a walk of the whole tree
    atoms = {a for a in atoms if not (isinstance(a, sp.Symbol) and a in bases)}
    return sorted(atoms, key=sp.default_sort_key)


def _bases(expr: sp.Expr) -> set[sp.Symbol]:
    return {i.base.label for i in expr.atoms(sp.Indexed)}


def default_domain(symbol: sp.Basic) -> Domain:
    """Sampling interval implied by a symbol's assumptions."""
    if getattr(symbol, "is_positive", False) or getattr(symbol, "is_nonnegative", False):
        return (0.05, 3.0)
    if getattr(symbol, "is_negative", False):
        return (-3.0, -0.05)
    return (-3.0, 3.0)


def _domain_of(atom: sp.Basic, domains: Mapping[sp.Basic, Domain]) -> Domain:
    if atom in domains:
        return domains[atom]
    if isinstance(atom, sp.Indexed) and atom.base in domains:
        return domains[atom.base]
    if isinstance(atom, sp.Indexed) and atom.base.label in domains:
        return domains[atom.base.label]
    return default_domain(atom)


class _NotNumeric(Exception):
    """A node :func:`_mp_value` has no mpmath rule for (the caller falls back to ``sp.N``)."""


# SymPy functions of one argument and the mpmath functions that compute them.
_MP_FUNCTIONS = {
    sp.exp: mpmath.exp, sp.log: mpmath.log, sp.sin: mpmath.sin, sp.cos: mpmath.cos,
    sp.tan: mpmath.tan, sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh, sp.tanh: mpmath.tanh,
    sp.atan: mpmath.atan, sp.Abs: abs,
}


def _mp_value(expr: sp.Basic, point: Mapping[sp.Basic, mpmath.mpf]) -> mpmath.mpf | mpmath.mpc:
    """``expr`` at ``point`` in mpmath arithmetic, walking the tree once (``sp.N`` rebuilds
    the tree with the numbers in it, which costs many times more)."""
    if expr in point:
        return point[expr]
    if expr.is_Integer:
        return mpmath.mpf(int(expr))
    if expr.is_Rational:
        return mpmath.mpf(int(expr.p)) / int(expr.q)
    if expr.is_Float:
        return mpmath.mpf(expr._mpf_)
    if expr is sp.pi:
        return +mpmath.pi
    if expr is sp.E:
        return +mpmath.e
    if expr is sp.I:
        return mpmath.mpc(0, 1)
    if expr.is_Add:
        return mpmath.fsum(_mp_value(arg, point) for arg in expr.args)
    if expr.is_Mul:
        return mpmath.fprod(_mp_value(arg, point) for arg in expr.args)
    if expr.is_Pow:
        base, exponent = expr.args
        if exponent.is_Integer:
            return _mp_value(base, point) ** int(exponent)
        return mpmath.power(_mp_value(base, point), _mp_value(exponent, point))
    function = _MP_FUNCTIONS.get(expr.func)
    if function is not None and len(expr.args) == 1:
        return function(_mp_value(expr.args[0], point))
    raise _NotNumeric(type(expr).__name__)


def _evaluate(expr: sp.Expr, point: Mapping[sp.Basic, float]) -> mpmath.mpf | mpmath.mpc | None:
    """Value of ``expr`` at ``point`` with 30 digits, or None if it is not a finite number.

    A value with an imaginary part is returned as a complex number (an ``mpc``): the
    caller compares it with the other side's value, so a line that leaves the real numbers
    where the line before it does not (``2 log z`` for ``log z²`` at z < 0) differs from it.
    An imaginary part below :data:`NUMERIC_ZERO` of the real part is rounding: a real value.

    The value is computed by mpmath with 20 guard digits over the 30; an expression with a
    node it has no rule for is evaluated by ``sp.N`` instead.
    """
    try:
        with mpmath.workdps(DIGITS + 20):
            value = _mp_value(expr, {k: mpmath.mpf(v) for k, v in point.items()})
    except _NotNumeric:
        return _evaluate_with_sympy(expr, point)
    except (ZeroDivisionError, ValueError, OverflowError):
        return None
    real, imag = (value.real, value.imag) if isinstance(value, mpmath.mpc) else (value, 0)
    return _finite(mpmath.mpf(real), mpmath.mpf(imag))


def _evaluate_with_sympy(
    expr: sp.Expr, point: Mapping[sp.Basic, float]
) -> mpmath.mpf | mpmath.mpc | None:
    """:func:`_evaluate` by ``sp.N``, for the nodes :func:`_mp_value` has no rule for."""
    try:
        value = sp.N(expr.xreplace({k: sp.Float(v, DIGITS) for k, v in point.items()}), DIGITS)
    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
        return None
    if not value.is_number or value.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        return None
    re, im = value.as_real_imag()
    try:
        real = mpmath.mpf(str(sp.Float(re, DIGITS)))
        imag = mpmath.mpf(str(sp.Float(im, DIGITS)))
    except (TypeError, ValueError):  # a part that is not a number (unevaluated)
        return None
    return _finite(real, imag)


def _finite(real: mpmath.mpf, imag: mpmath.mpf) -> mpmath.mpf | mpmath.mpc | None:
    """The value with parts ``real`` and ``imag``; None unless both are finite."""
    if not (mpmath.isfinite(real) and mpmath.isfinite(imag)):
        return None
    if abs(imag) <= NUMERIC_ZERO * max(1, abs(real)):
        return real
    return mpmath.mpc(real, imag)


def _plain_number(value: mpmath.mpf | mpmath.mpc) -> float | complex:
    """An mpmath value as a Python float, or a complex if it has an imaginary part."""
    return complex(value) if isinstance(value, mpmath.mpc) else float(value)


def numeric_difference(
    old: sp.Expr,
    new: sp.Expr,
    *,
    domains: Mapping[sp.Basic, Domain],
    rng: np.random.Generator,
    samples: int = 6,
) -> tuple[float, dict, tuple[float, float] | None]:
    """Largest relative gap between ``old`` and ``new`` over random points.

    Returns (worst gap, the point where it occurs, the two values there). The points are
    drawn from the whole of each symbol's domain. A point where either side is undefined
    (a division by zero, an infinity) is skipped; one where a side is complex is not: a
    complex value where the other side is real, or two complex values that differ, are a
    gap like any other (the values are then Python complex numbers). If too few points
    are usable, ValueError.
    """
    unknowns = sorted(set(_unknowns(old)) | set(_unknowns(new)), key=sp.default_sort_key)
    worst, worst_point, worst_values, used = -1.0, {}, None, 0
    for _ in range(samples * 20):
        if used == samples:
            break
        point = {}
        for u in unknowns:
            lo, hi = _domain_of(u, domains)
            # Round to a short decimal so a counterexample reads well and is exact.
            point[u] = float(np.round(rng.uniform(lo, hi), 3)) or 0.125
        a, b = _evaluate(old, point), _evaluate(new, point)
        if a is None or b is None:
            continue
        used += 1
        gap = float(abs(a - b) / max(mpmath.mpf(1), abs(a), abs(b)))
        if gap > worst:
            worst, worst_point, worst_values = gap, point, (_plain_number(a), _plain_number(b))
    if used < samples:
        raise ValueError(
            f"numeric check: only {used} of {samples} random points gave finite values "
            f"for both sides; give the symbols sampling domains where both are defined"
        )
    return worst, worst_point, worst_values


def worst_numeric_gap(
    old: sp.Expr,
    new: sp.Expr,
    *,
    domains: Mapping[sp.Basic, Domain],
    integers: Iterable[Mapping[sp.Symbol, int]],
    rng: np.random.Generator,
    samples: int = 6,
) -> tuple[float, dict, Any]:
    """The numeric half of :func:`compare`: the largest :func:`numeric_difference` over the
    integer assignments, with the point (assignment included) and the two values there."""
    worst: tuple[float, dict, Any] = (-1.0, {}, None)
    for assignment in integers:
        gap, point, values = numeric_difference(
            concrete(old, assignment), concrete(new, assignment),
            domains=domains, rng=rng, samples=samples,
        )
        if gap > worst[0]:
            worst = (gap, {**assignment, **point}, values)
    return worst


def compare(
    old: sp.Expr,
    new: sp.Expr,
    *,
    domains: Mapping[sp.Basic, Domain] | None = None,
    integers: Iterable[Mapping[sp.Symbol, int]] = ({},),
    hints: Iterable[Callable[[sp.Expr], sp.Expr]] = (),
    seed: int = 0,
    samples: int = 6,
) -> Verdict:
    """Decide whether ``old == new`` by a symbolic zero test backed by a numeric spot check.

    ``integers`` lists assignments for integer symbols (such as a layer size ``n``) under
    which the numeric check is run; the symbolic test always runs on the general form.
    The verdict depends only on the arguments, so it is remembered: pages that rebuild the
    notebooks' derivations (the index, the errata, "Your turn") do not re-check them.
    """
    domain_items = tuple(sorted((domains or {}).items(), key=lambda kv: sp.default_sort_key(kv[0])))
    integer_items = tuple(tuple(sorted(a.items(), key=str)) for a in integers)
    try:
        return _compare(old, new, domain_items, integer_items, tuple(hints), seed, samples)
    except TypeError:  # an unhashable argument (e.g. a hint that is a list): no memory
        return _compare.__wrapped__(old, new, domain_items, integer_items, tuple(hints),
                                    seed, samples)


@functools.lru_cache(maxsize=4096)
def _compare(
    old: sp.Expr,
    new: sp.Expr,
    domain_items: tuple,
    integer_items: tuple,
    hints: tuple,
    seed: int,
    samples: int,
) -> Verdict:
    domains = dict(domain_items)
    integers = [dict(a) for a in integer_items]
    rng = np.random.default_rng(seed)
    residual, method = symbolic_residual(evaluated(new) - evaluated(old), hints)
    worst, point, values = worst_numeric_gap(old, new, domains=domains, integers=integers,
                                             rng=rng, samples=samples)
    numerically_equal = worst <= NUMERIC_ZERO
    if residual == 0 and numerically_equal:
        return Verdict("equal", residual, method)
    if residual != 0 and not numerically_equal:
        return Verdict("different", residual, "numeric", point, values)
    if residual == 0:
        note = (f"SymPy reduced the difference to 0 ({method}) but at {point} the sides are "
                f"{values[0]:.6g} and {values[1]:.6g}: check the symbols' assumptions")
    else:
        note = ("the numbers agree at every sample point but SymPy could not reduce the "
                f"difference {sp.sstr(residual)} to 0; pass a rewrite hint")
    return Verdict("undecided", residual, method, point, values, note)
