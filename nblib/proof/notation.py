"""Names for the proofs: a derivation shows a short name, every check sees the definition.

* :func:`named` shows a short name (``a_1``, ``δ_1``, ``∂C/∂a_2``) in a derivation while
  every check sees the definition behind it, the way :class:`nblib.proof.symbolic.sigma`
  shows σ; :func:`named_symbol` does the same with a SymPy Symbol, which a learner can type
  in a "Your turn" box (``a1`` for a_1 = e^{z_1}/Σ_k e^{z_k});
* :class:`NamedFunction` shows a function by its name (σ, softplus) and checks it as its
  definition; :class:`Softplus` is one.
"""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

from nblib.proof.inputs import StrictFunction, as_expr

# A name that reads as one symbol (a, z', a_{1}, \delta_{2}): raised to a power it needs no
# parentheses, a_{1}^{2}; anything longer (a fraction, a product) gets them.
_ATOM = re.compile(r"(\\[A-Za-z]+|[A-Za-z])'*(_\{[^{}]*\}|_[A-Za-z0-9])?'*")

__all__ = ["NamedFunction", "Softplus", "named", "named_symbol"]


class _Named(StrictFunction):
    """A definition displayed under a short name; ``doit`` (and so every check) expands it."""

    nargs = 1
    _name_latex = ""
    _name_text = ""

    @property
    def definition(self) -> sp.Expr:
        """The expression the name stands for."""
        return self.args[0]

    def doit(self, deep: bool = True, **hints: Any) -> sp.Expr:
        """Replace the name by its definition."""
        (definition,) = self.args
        return definition.doit(deep=deep, **hints) if deep else definition

    def _eval_derivative(self, s: sp.Symbol) -> sp.Expr:
        # Differentiating the name means differentiating what it stands for.
        return self.args[0].diff(s)

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        if not exp:
            return self._name_latex
        if _ATOM.fullmatch(self._name_latex):
            return self._name_latex + "^{" + exp + "}"
        return r"\left(" + self._name_latex + r"\right)^{" + exp + "}"

    def _sympystr(self, printer: Any) -> str:
        return self._name_text


_NAMED_CLASSES: dict[tuple[str, str], type[_Named]] = {}


def named(latex: str, definition: Any, text: str | None = None) -> sp.Expr:
    """An expression shown as ``latex`` in a derivation and checked as ``definition``.

    Parameters
    ----------
    latex : str
        How the name is typeset, e.g. ``"a_{1}"`` or ``r"\\frac{\\partial C}{\\partial a_{2}}"``.
    definition : sympy expression or number (never a string)
        What the name stands for. A :class:`nblib.Derivation` compares the definitions, so a
        step written with names is checked exactly as if the definitions were written out.
    text : str, optional
        The name in plain-text output (defaults to ``latex``).

    Returns
    -------
    sympy.Expr
        An unevaluated application whose ``doit()`` is ``definition.doit()``.
    """
    if not isinstance(latex, str) or not latex:
        raise TypeError(f"named: argument 'latex' must be a non-empty str (got {latex!r})")
    if text is not None and not isinstance(text, str):
        raise TypeError(f"named: argument 'text' must be a str (got {text!r})")
    definition = as_expr(definition, "definition", func="named")
    text = text or latex
    key = (latex, text)
    cls = _NAMED_CLASSES.get(key)
    if cls is None:
        # One class per name: SymPy tells functions apart by class, so two names never clash.
        cls = type(text, (_Named,),
                   {"_name_latex": latex, "_name_text": text})
        _NAMED_CLASSES[key] = cls
    return cls(definition, evaluate=False)


class _NamedSymbol(sp.Symbol):
    """A Symbol that stands for a definition: shown and typed as a name, checked as the
    definition (``doit``), differentiated as the definition, and ordered in sums and
    products where its :func:`named` twin would be."""

    _definition: sp.Expr = sp.S.Zero
    _name_latex = ""
    _name_text = ""
    _twin: sp.Expr = sp.S.Zero  # named(latex, definition, text)

    @property
    def definition(self) -> sp.Expr:
        """The expression the symbol stands for."""
        return self._definition

    @property
    def free_symbols(self) -> set[sp.Basic]:
        # Its definition's symbols too: ∂a_1/∂z_1 must not vanish as "a_1 has no z_1 in it".
        return {self} | self._definition.free_symbols

    def doit(self, deep: bool = True, **hints: Any) -> sp.Expr:
        """Replace the symbol by its definition."""
        return self._definition.doit(deep=deep, **hints) if deep else self._definition

    def _eval_derivative(self, s: sp.Basic) -> sp.Expr:
        return sp.S.One if s == self else self._definition.diff(s)

    def _eval_derivative_n_times(self, s: sp.Basic, n: Any) -> sp.Expr | None:
        # A Symbol's own rule says ∂a/∂s = 0 for s ≠ a; differentiate the definition instead.
        return sp.Basic._eval_derivative_n_times(self, s, n)

    def sort_key(self, order: Any = None) -> tuple:
        # Ordered (and so printed) where the same name made by named() would be: a chain
        # reads the same whichever of the two it is built from.
        return self._twin.sort_key(order)

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        return self._name_latex

    def _sympystr(self, printer: Any) -> str:
        return self._name_text


_NAMED_SYMBOL_CLASSES: dict[tuple[str, str, str], type[_NamedSymbol]] = {}


def named_symbol(latex: str, definition: Any, text: str | None = None,
                 name: str | None = None) -> sp.Symbol:
    """A Symbol shown as ``latex`` (and ``text``) and checked as ``definition``.

    Like :func:`named`, but the result is a :class:`sympy.Symbol`: an exercise can let a
    learner type it (``a1`` for a_1), while every check (``doit``, ``diff``) sees the
    definition. Sums and products print as they would with ``named(latex, definition,
    text)``, so a chain may use either. Differences from :func:`named`: a power prints as
    ``a_{1}^{2}``, not ``\\left(a_{1}\\right)^{2}``, and ``free_symbols`` holds the symbol
    and its definition's symbols.

    Parameters
    ----------
    latex : str
        How the symbol is typeset, e.g. ``"a_{1}"``.
    definition : sympy expression or number (never a string)
        What the symbol stands for.
    text : str, optional
        The name in plain-text output (defaults to ``latex``).
    name : str, optional
        The Symbol's own name (defaults to ``text``). Give an identifier, such as ``"a_1"``
        for a_1 shown as ``a^L_1``, when the exercise's parser must find the symbol by it.

    Returns
    -------
    sympy.Symbol
        The same object for the same name and definition.
    """
    if not isinstance(latex, str) or not latex:
        raise TypeError(f"named_symbol: argument 'latex' must be a non-empty str (got {latex!r})")
    if text is not None and (not isinstance(text, str) or not text):
        raise TypeError(f"named_symbol: argument 'text' must be a non-empty str (got {text!r})")
    if name is not None and (not isinstance(name, str) or not name):
        raise TypeError(f"named_symbol: argument 'name' must be a non-empty str (got {name!r})")
    definition = as_expr(definition, "definition", func="named_symbol")
    text = text or latex
    twin = named(latex, definition, text)
    key = (latex, text, sp.srepr(definition))
    cls = _NAMED_SYMBOL_CLASSES.get(key)
    if cls is None:
        # One class per name and definition: two named symbols are equal only if both match.
        cls = type(f"NamedSymbol{len(_NAMED_SYMBOL_CLASSES)}", (_NamedSymbol,),
                   {"_definition": definition, "_name_latex": latex, "_name_text": text,
                    "_twin": twin})
        _NAMED_SYMBOL_CLASSES[key] = cls
    return cls(name or text)


class NamedFunction(StrictFunction):
    """A function of one argument shown by its name, e.g. σ(z), and checked as its definition.

    A subclass sets ``latex_name`` and ``text_name`` and defines :meth:`definition`; ``doit``
    (and so every check) replaces the name by that definition.
    """

    nargs = 1
    latex_name = ""
    text_name = ""

    @classmethod
    def definition(cls, t: sp.Expr) -> sp.Expr:
        """The expression the function stands for, at the argument ``t``."""
        raise NotImplementedError

    def doit(self, deep: bool = True, **hints: Any) -> sp.Expr:
        """Replace the name by its definition."""
        (t,) = self.args
        if deep:
            t = t.doit(deep=deep, **hints)
        return self.definition(t)

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        power = f"^{{{exp}}}" if exp else ""
        return self.latex_name + power + r"\left(" + printer.doprint(self.args[0]) + r"\right)"

    def _sympystr(self, printer: Any) -> str:
        return self.text_name + "(" + printer.doprint(self.args[0]) + ")"


class Softplus(NamedFunction):
    """softplus(t) = ln(1 + e^t); shown by name, checked as its definition."""

    latex_name = r"\operatorname{softplus}"
    text_name = "softplus"

    @classmethod
    def definition(cls, t: sp.Expr) -> sp.Expr:
        """ln(1 + e^t)."""
        return sp.log(1 + sp.exp(t))

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """softplus′(t) = e^t/(1 + e^t) = σ(t)."""
        (t,) = self.args
        return sp.exp(t) / (1 + sp.exp(t))
