"""Rewrite hints for :class:`~nblib.proof.derivation.Derivation` steps, and substitutions.

A hint rewrites both sides of a step before the zero test; each one here is valid under a
condition it names, so it can only prove true steps.

* sums over a general number n of neurons: :func:`index_in_range`,
  :func:`same_summation_index`, :func:`rename_sum_indices`;
* Kronecker deltas inside sums: :func:`sifted`, :func:`in_range_pieces`,
  :func:`sift_kronecker_sums`, :func:`distinct_indices`;
* one neuron: :func:`subs_hint` (equal ``Subs`` made equal),
  :func:`unit_interval_substitution` (a variable in (0, 1) as 1/(1 + t), t > 0) and
  :func:`logs_below_one` (ln(s − 1) = ln(1 − s) + iπ for s in (0, 1));
* any expression: :func:`exponentials_as_symbols` (each e^(·) a symbol of its own).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import sympy as sp

from nblib.proof.equality import pull_constants_out_of_sums
from nblib.proof.inputs import as_expr

__all__ = [
    "distinct_indices",
    "exponentials_as_symbols",
    "in_range_pieces",
    "index_in_range",
    "logs_below_one",
    "rename_sum_indices",
    "same_summation_index",
    "sift_kronecker_sums",
    "sifted",
    "subs_hint",
    "unit_interval_substitution",
]


# --------------------------------------------------------------------------- sums over n neurons


def _reduce(expr: sp.Expr) -> sp.Expr:
    """The zero test's own rewrites (logs, sums, rational functions) in one pass."""
    expr = sp.expand_log(expr, force=True)
    return sp.cancel(pull_constants_out_of_sums(sp.expand(expr)))


_MAX_NESTING = 6  # sums nested inside sums: a layer's z_j = Σ_k w_jk x_k + b_j inside Σ_j


def index_in_range(ranges: Mapping[sp.Symbol, sp.Expr]) -> Callable[[sp.Expr], sp.Expr]:
    """A rewrite hint: each neuron index lies in its range, e.g. ``{j: n}`` for 1 ≤ j ≤ n.

    Differentiating Σ_{k=1}^{n} e^{z_k} by z_j gives ``Piecewise((e^{z_j}, j <= n), (0, True))``
    because SymPy does not know that j is one of the n neurons. The returned function
    evaluates the sums, settles such conditions to True and applies the zero test's rewrites.
    """
    if not isinstance(ranges, Mapping) or not ranges:
        raise TypeError(f"index_in_range: argument 'ranges' must be a non-empty mapping "
                        f"{{index: upper bound}} (got {ranges!r})")
    facts: dict[sp.Basic, bool] = {}
    for index, high in ranges.items():
        if not isinstance(index, sp.Symbol):
            raise TypeError(f"index_in_range: argument 'ranges' has key {index!r}, "
                            "which is not a SymPy Symbol")
        high = as_expr(high, f"ranges[{index}]", func="index_in_range")
        facts.update({sp.Le(index, high): True, sp.Ge(high, index): True,
                      sp.Ge(index, 1): True, sp.Le(1, index): True})

    def settle(expr: sp.Expr) -> sp.Expr:
        # A sum of e^{z_k}·KroneckerDelta(j, k) evaluates to a Piecewise; once its condition
        # is settled, an enclosing sum may evaluate in turn: repeat until nothing changes.
        # Only such sums are evaluated (a full doit of a layer's cost is 20× slower).
        for _ in range(_MAX_NESTING):
            settled = expr.replace(
                lambda e: isinstance(e, sp.Piecewise),
                lambda p: sp.Piecewise(*[(e, sp.sympify(c).subs(facts)) for e, c in p.args]),
            ).replace(
                lambda e: isinstance(e, sp.Sum) and e.has(sp.KroneckerDelta, sp.Piecewise),
                lambda e: e.doit(),
            )
            if settled == expr:
                break
            expr = settled
        quick = sp.cancel(pull_constants_out_of_sums(expr))
        return quick if quick == 0 else _reduce(expr)

    return settle


def same_summation_index(expr: sp.Expr) -> sp.Expr:
    """A rewrite hint: give every sum the same (fresh) index, then apply the zero test.

    Σ_j e^{z_j} and Σ_k e^{z_k} are the same number, but SymPy compares them as different
    expressions; renaming each bound index to one fresh symbol makes them identical.
    """
    if not isinstance(expr, sp.Basic):
        raise TypeError(f"same_summation_index: argument 'expr' must be a SymPy expression "
                        f"(got {type(expr).__name__})")
    fresh = sp.Dummy("i", integer=True)

    def rename(s: sp.Sum) -> sp.Expr:
        if len(s.limits) != 1:
            return s
        index, low, high = s.limits[0]
        return sp.Sum(s.function.xreplace({index: fresh}), (fresh, low, high))

    return _reduce(expr.replace(lambda e: isinstance(e, sp.Sum), rename))


def rename_sum_indices(expr: sp.Expr) -> sp.Expr:
    """Zero-test hint: pull constants out of sums, give every (non-nested) sum the same
    dummy index, then cancel.

    Σ_j e^{z_j} and Σ_k e^{z_k} are the same number, but SymPy compares them as different
    expressions; renaming the bound index makes them identical.
    """
    expr = pull_constants_out_of_sums(expr)
    canonical = sp.Dummy("i")

    def rename(s: sp.Sum) -> sp.Expr:
        if len(s.limits) != 1 or s.function.has(sp.Sum):
            return s
        index, lo, hi = s.limits[0]
        return sp.Sum(s.function.xreplace({index: canonical}), (canonical, lo, hi))

    return sp.cancel(expr.replace(lambda e: isinstance(e, sp.Sum), rename))



# --------------------------------------------------------------------------- Kronecker deltas


def sifted(expr: sp.Expr) -> sp.Expr:
    """Evaluate Σ_m f(m)·δ_{km} as f(k) (the sifting property, valid for k in the range)."""

    def sift(s: sp.Sum) -> sp.Expr:
        if len(s.limits) != 1:
            return s
        index = s.limits[0][0]
        factors = sp.Mul.make_args(s.function)
        for f in factors:
            if isinstance(f, sp.KroneckerDelta) and index in f.args:
                other = f.args[0] if f.args[1] == index else f.args[1]
                rest = sp.Mul(*[g for g in factors if g is not f])
                return rest.xreplace({index: other})
        return s

    return expr.replace(lambda e: isinstance(e, sp.Sum), sift)


def _in_range_condition(condition: sp.Basic) -> bool:
    """True if ``condition`` only says that indices lie in 1..n (i ≥ 1, i ≤ n, n ≥ i)."""
    parts = condition.args if isinstance(condition, sp.And) else (condition,)
    for part in parts:
        if isinstance(part, sp.GreaterThan):
            big, small = part.lhs, part.rhs
        elif isinstance(part, sp.LessThan):
            big, small = part.rhs, part.lhs
        else:
            return False
        index_at_least_one = isinstance(big, sp.Idx) and small == 1
        index_at_most_top = isinstance(small, sp.Idx) and isinstance(big, sp.Symbol)
        if not (index_at_least_one or index_at_most_top):
            return False
    return True


def in_range_pieces(expr: sp.Expr) -> sp.Expr:
    """Replace each Piecewise by its piece for "every index in 1..n", where it has one.

    SymPy evaluates Σ_m f(m)·δ_{km} as "f(k) if 1 ≤ k ≤ n, else something"; in a layer of
    n neurons every index is in range, so that piece is the value.
    """

    def pick(p: sp.Piecewise) -> sp.Expr:
        for piece in p.args:
            if piece.cond is not sp.true and _in_range_condition(piece.cond):
                return piece.expr
        return p

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), pick)


def sift_kronecker_sums(expr: sp.Expr) -> sp.Expr:
    """Zero-test hint: Σ_m f(m)·δ_{km} → f(k) (:func:`sifted`, :func:`in_range_pieces`),
    then cancel. Valid when every index lies in 1..n."""
    return sp.cancel(in_range_pieces(sifted(expr)))


def distinct_indices(j: sp.Basic, k: sp.Basic) -> Callable[[sp.Expr], sp.Expr]:
    """Zero-test hint for j ≠ k: set δ_jk = 0, then apply :func:`sift_kronecker_sums`."""
    if not all(isinstance(i, sp.Idx | sp.Symbol) for i in (j, k)):
        raise TypeError("distinct_indices: arguments 'j' and 'k' must be SymPy indices")

    def hint(expr: sp.Expr) -> sp.Expr:
        return sift_kronecker_sums(expr.subs(sp.KroneckerDelta(j, k), 0))

    return hint


# --------------------------------------------------------------------------- one neuron


_BOUND = sp.Symbol("u_bound")


def subs_hint(expr: sp.Expr) -> sp.Expr:
    """A rewrite for a :class:`~nblib.proof.derivation.Derivation`'s ``hints``: equal ``Subs``
    made equal.

    Differentiating C(σ(z), y) for an undefined C gives ∂C/∂a as a ``Subs`` whose bound
    variable is a fresh dummy and whose point is left unevaluated, so two copies of the same
    ∂C/∂a do not cancel and the zero test falls through to a slow ``simplify``. This renames
    every single-variable ``Subs``'s bound variable to one fixed symbol, evaluates its point,
    and cancels.
    """

    def rename(s: sp.Subs) -> sp.Expr:
        (variable,), (point,) = s.variables, s.point
        return sp.Subs(s.expr.xreplace({variable: _BOUND}), _BOUND, point.doit())

    return sp.cancel(as_expr(expr, "expr", func="subs_hint").replace(
        lambda e: isinstance(e, sp.Subs) and len(e.variables) == 1, rename))


def unit_interval_substitution(symbols: Iterable[sp.Symbol]) -> dict[sp.Symbol, sp.Expr]:
    """Map each symbol s to 1/(1 + t_s) with t_s > 0, which runs over exactly (0, 1).

    SymPy cannot assume "0 < a < 1" directly; after this substitution its sign rules can
    reason about a and 1 − a = t_a/(1 + t_a) as positive quantities.
    """
    out = {}
    for s in symbols:
        if not isinstance(s, sp.Symbol):
            raise TypeError(f"unit_interval_substitution: expected SymPy symbols, got {s!r}")
        out[s] = 1 / (1 + sp.Symbol(f"t_{{{s.name}}}", positive=True))
    return out


def logs_below_one(symbols: Iterable[sp.Symbol]) -> Callable[[sp.Expr], sp.Expr]:
    """A rewrite hint: ln(s − 1) = ln(1 − s) + iπ for each listed symbol s, which lies in (0, 1).

    SymPy integrates 1/(1 − t) to −ln(t − 1), the logarithm of a negative number when
    t < 1. Between two limits inside (0, 1) the two iπ cancel, but the zero test does not
    see that. On the principal branch ln(−x) = ln x + iπ for x > 0, so the rewrite is valid
    exactly for s < 1. The returned function rewrites, then expands the logarithms and
    cancels.
    """
    symbols = tuple(symbols)
    for s in symbols:
        if not isinstance(s, sp.Symbol):
            raise TypeError(f"logs_below_one: expected SymPy symbols, got {s!r}")
    below_one = {s - 1: s for s in symbols}

    def rewrite(argument: sp.Expr) -> sp.Expr:
        s = below_one.get(sp.cancel(argument))
        return sp.log(argument) if s is None else sp.log(1 - s) + sp.I * sp.pi

    def hint(expr: sp.Expr) -> sp.Expr:
        expr = as_expr(expr, "expr", func="logs_below_one")
        return sp.cancel(sp.expand_log(expr.replace(sp.log, rewrite), force=True))

    return hint


def exponentials_as_symbols(expr: sp.Expr) -> sp.Expr:
    """A rewrite hint: put a positive symbol of its own in place of each distinct e^(·), then
    cancel.

    An identity between rational functions of independent positive symbols holds in
    particular when they are the exponentials, so the rewrite can only prove true steps. It
    spares the zero test the expansion of products of several σ(z_k) = 1/(1 + e^(−z_k)),
    which SymPy's ``cancel`` takes about a second to do.
    """
    expr = as_expr(expr, "expr", func="exponentials_as_symbols")
    powers = sorted(expr.atoms(sp.exp), key=sp.default_sort_key)
    return sp.cancel(expr.xreplace({p: sp.Dummy("e", positive=True) for p in powers}))
