"""An exercise declared once: its symbols, functions, start, target and worked proof.

The worked proof in ``nblib/proofs/<id>.py`` and the "Your turn" widget
(:class:`nblib.yourturn.YourTurn`) both build from the same :class:`Exercise`, so a learner's
lines are checked under exactly the assumptions (symbols, sampling domains) the worked proof
is checked under, and a learner who reaches ``target`` has shown what the proof shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import sympy as sp

from nblib.proof.derivation import Derivation
from nblib.proof.equality import Domain, reevaluated
from nblib.proof.inputs import as_expr


def _fail(name: str, problem: str, error: type[Exception] = ValueError) -> Exception:
    return error(f"Exercise: argument '{name}' {problem}")


@dataclass(frozen=True, eq=False)
class Exercise:
    """What a learner proves and what the checker may assume while they do.

    Parameters
    ----------
    id
        The notebook id, e.g. ``"ex1"``.
    statement
        The claim as plain text, e.g. ``"σ′(z) = σ(z)(1 − σ(z))"``: what the learner has shown
        on reaching ``target``.
    symbols
        The names a learner may type for symbols, each mapped to the SymPy symbol (with its
        assumptions) that the worked proof uses.
    functions
        The names a learner may call, e.g. ``{"sigma": sigma, "exp": sp.exp}``.
    start
        The first line of the derivation (it may be unevaluated, e.g. ``Derivative``).
    target
        The form the derivation must reach, e.g. ``σ(z)(1 − σ(z))``.
    lhs
        LaTeX for what the chain is about, shown left of the first "=".
    domains
        Sampling intervals of the numeric check, e.g. ``{z: (-3.0, 3.0)}``.
    worked
        Builds the worked proof: a :class:`Derivation` from ``start`` to ``target``.
    reason
        Why the start holds (e.g. "definition of σ′").
    assumptions
        Human-readable assumptions, shown under the chain (empty: none beyond the symbols').
    """

    id: str
    statement: str
    symbols: Mapping[str, sp.Symbol]
    functions: Mapping[str, Callable[..., sp.Expr]]
    start: sp.Expr
    target: sp.Expr
    lhs: str
    domains: Mapping[sp.Symbol, Domain] = field(default_factory=dict)
    worked: Callable[[], Derivation] | None = None
    reason: str = ""
    assumptions: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.isidentifier():
            raise _fail("id", f"must be a notebook id such as 'ex1', got {self.id!r}")
        for name in ("statement", "lhs", "reason", "assumptions"):
            if not isinstance(getattr(self, name), str):
                raise _fail(name, f"must be a string, got {type(getattr(self, name)).__name__}",
                            TypeError)
        if not self.statement.strip():
            raise _fail("statement", "is empty; say what the learner shows")
        symbols = self._names("symbols", self.symbols)
        for name, symbol in symbols.items():
            if not isinstance(symbol, sp.Symbol):
                raise _fail("symbols", f"maps {name!r} to {symbol!r}, which is not a SymPy Symbol",
                            TypeError)
        functions = self._names("functions", self.functions)
        for name, func in functions.items():
            if not callable(func):
                raise _fail("functions", f"maps {name!r} to {func!r}, which is not callable",
                            TypeError)
        clash = sorted(set(symbols) & set(functions))
        if clash:
            raise _fail("functions", f"reuses the symbol name(s) {clash}")
        known = set(symbols.values())
        for name in ("start", "target"):
            expr = getattr(self, name)
            if not isinstance(expr, sp.Expr):
                raise _fail(name, f"must be a SymPy expression, got {type(expr).__name__}",
                            TypeError)
            # Bound variables (a Derivative's z) are the declared symbols too.
            stray = sorted(map(str, (expr.free_symbols | _variables(expr)) - known))
            if stray:
                raise _fail(name, f"uses symbol(s) {stray} that 'symbols' does not declare")
        if not isinstance(self.domains, Mapping):
            raise _fail("domains", "must be a mapping from symbol to (low, high)", TypeError)
        domains = {}
        for symbol, interval in self.domains.items():
            if symbol not in known:
                raise _fail("domains", f"gives an interval for {symbol!r}, not a declared symbol")
            try:
                low, high = (float(v) for v in interval)
            except (TypeError, ValueError):
                raise _fail("domains", f"maps {symbol} to {interval!r}; expected (low, high)",
                            TypeError) from None
            if not low < high:
                raise _fail("domains", f"maps {symbol} to ({low}, {high}); need low < high")
            domains[symbol] = (low, high)
        if self.worked is not None and not callable(self.worked):
            raise _fail("worked", "must be a function returning the worked Derivation", TypeError)
        object.__setattr__(self, "symbols", MappingProxyType(symbols))
        object.__setattr__(self, "functions", MappingProxyType(functions))
        object.__setattr__(self, "domains", MappingProxyType(domains))

    @staticmethod
    def _names(argument: str, mapping: object) -> dict[str, object]:
        if not isinstance(mapping, Mapping):
            raise _fail(argument, "must be a mapping from name to object", TypeError)
        out = {}
        for name, value in mapping.items():
            if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
                raise _fail(argument, f"has the name {name!r}; names are identifiers without "
                            "a leading underscore")
            out[name] = value
        return out

    def derivation(self) -> Derivation:
        """A new chain holding only the start, checked under this exercise's domains."""
        return Derivation(self.start, lhs=self.lhs, reason=self.reason,
                          domains=dict(self.domains), assumptions=self.assumptions)

    def worked_proof(self) -> Derivation:
        """The worked proof, checked to run from ``start`` to ``target``."""
        if self.worked is None:
            raise ValueError(f"Exercise {self.id!r} declares no worked proof")
        proof = self.worked()
        if not isinstance(proof, Derivation):
            raise TypeError(f"Exercise {self.id!r}: worked() returned "
                            f"{type(proof).__name__}, not a Derivation")
        if proof.steps[0].expr != self.start or not self.reaches_target(proof.result):
            raise ValueError(f"Exercise {self.id!r}: the worked proof does not run from the "
                             f"declared start to the declared target")
        return proof

    def reaches_target(self, expr: sp.Expr) -> bool:
        """True when ``expr`` is the target written another way by algebra alone.

        Every line of a correct chain *equals* the target; this asks whether the line is
        in the target's *form*: the same expression after expanding products and powers,
        with no definition (such as σ's) unfolded and no derivative taken.
        """
        expr = as_expr(expr, "expr", func="Exercise.reaches_target")
        if expr.has(sp.Derivative):
            return False
        return sp.expand(reevaluated(expr) - reevaluated(self.target)) == 0


def _variables(expr: sp.Basic) -> set[sp.Basic]:
    """The variables of every Derivative in ``expr``."""
    return {v for d in expr.atoms(sp.Derivative) for v in d.variables}
