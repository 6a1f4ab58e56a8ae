"""What the proof tools accept from a caller: SymPy objects and numbers, never strings.

``sp.sympify`` turns a string into an expression by evaluating it as Python, so
``Derivation("__import__('os').getcwd()")`` would run that code. Every public entry point of
:mod:`nblib.proof` that takes an expression passes it through :func:`as_expr`, and every
function class a caller may apply (σ, softplus, a_j) derives from :class:`StrictFunction`:
a ``str`` is refused with a ``TypeError`` naming the function and the argument. (A learner's
typed line goes through the restricted parser of :mod:`nblib.yourturn` instead.)
"""

from __future__ import annotations

import numbers
from typing import Any

import sympy as sp

__all__ = ["StrictFunction", "as_expr"]


def as_expr(value: Any, name: str, *, func: str) -> Any:
    """``value`` as a SymPy object: an expression, a matrix, or a number made one.

    Parameters
    ----------
    value : SymPy object or real/complex number
        What the caller passed; anything with a ``_sympy_`` method counts as a SymPy object.
    name, func : str
        Argument and function names used in error messages.

    Returns
    -------
    sympy.Basic or sympy.MatrixBase
        ``value`` itself when it already is one, else its SymPy form (``2`` → ``Integer(2)``).

    Raises
    ------
    TypeError
        For a ``str`` or ``bytes`` (never parsed: parsing would evaluate it), a bool, or
        anything SymPy does not take without parsing text (``None``, lists, arbitrary
        objects).
    """
    prefix = f"{func}: argument '{name}'"
    if isinstance(value, str | bytes):
        shown = repr(value) if len(value) <= 40 else repr(value[:37]) + "…"
        raise TypeError(
            f"{prefix} is a {type(value).__name__} ({shown}); strings are never evaluated: "
            "build the expression from SymPy objects, e.g. sp.Symbol('x') + 1"
        )
    if isinstance(value, sp.Basic | sp.MatrixBase):
        return value
    if isinstance(value, bool) or not (
        isinstance(value, numbers.Number) or hasattr(value, "_sympy_")
    ):
        raise TypeError(
            f"{prefix} must be a SymPy expression or a number "
            f"(got {type(value).__name__} {value!r:.60})"
        )
    try:
        return sp.sympify(value, strict=True)
    except sp.SympifyError:
        raise TypeError(
            f"{prefix} must be a SymPy expression or a number (got {type(value).__name__})"
        ) from None


class StrictFunction(sp.Function):
    """A SymPy function class whose arguments pass :func:`as_expr`: ``f("x")`` is a TypeError.

    SymPy's own ``Function`` would sympify a string argument, which evaluates it.
    """

    def __new__(cls, *args: Any, **options: Any) -> Any:
        """Check every argument, then build the application as SymPy does."""
        checked = [as_expr(arg, f"args[{i}]", func=cls.__name__) for i, arg in enumerate(args)]
        return super().__new__(cls, *checked, **options)
