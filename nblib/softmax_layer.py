"""A softmax output layer, for Problems 4–6: notation for the proofs, float64 for the checks.

Symbolic side
    :func:`named` shows a short name (``a_1``, ``δ_1``, ``∂C/∂a_2``) in a derivation while
    every check sees the definition behind it, the way :class:`nblib.symbolic.sigma` shows σ.
    :func:`named_symbol` does the same with a SymPy Symbol, which a learner can type in a
    "Your turn" box (``a1`` for a_1 = e^{z_1}/Σ_k e^{z_k}).
    :func:`index_in_range` and :func:`same_summation_index` are rewrite hints for
    :class:`nblib.Derivation` steps about sums over a general number n of neurons.

Numeric side
    :func:`inverse_softmax` (ln a + C), :func:`entropy`, :func:`softmax_limit` (the
    c → ±∞ and c → 0 limits of e^{c z_j}/Σ_k e^{c z_k}, ties included), :func:`one_hot`,
    and a layer z = w x + b under the log-likelihood cost C = −ln a_ỹ:
    :func:`layer_cost`, :func:`layer_gradients` (equations (81) and (82)) and
    :func:`check_layer_gradients` (both against central differences).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import sympy as sp

from nblib.activations import log_softmax, softmax
from nblib.checks import DEFAULT_FLOOR, CheckResult, check_gradient
from nblib.datasets import one_hot
from nblib.equality import pull_constants_out_of_sums
from nblib.validation import as_axis, as_float_array, as_scalar, require_distribution

__all__ = [
    "check_layer_gradients",
    "entropy",
    "index_in_range",
    "inverse_softmax",
    "layer_cost",
    "layer_gradients",
    "named",
    "named_symbol",
    "same_summation_index",
    "softmax_limit",
]


# --------------------------------------------------------------------------- notation


class _Named(sp.Function):
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
        if exp:
            return r"\left(" + self._name_latex + r"\right)^{" + exp + "}"
        return self._name_latex

    def _sympystr(self, printer: Any) -> str:
        return self._name_text


_NAMED_CLASSES: dict[tuple[str, str], type[_Named]] = {}


def named(latex: str, definition: Any, text: str | None = None) -> sp.Expr:
    """An expression shown as ``latex`` in a derivation and checked as ``definition``.

    Parameters
    ----------
    latex : str
        How the name is typeset, e.g. ``"a_{1}"`` or ``r"\\frac{\\partial C}{\\partial a_{2}}"``.
    definition : sympy expression (or anything ``sympify`` accepts)
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
    try:
        definition = sp.sympify(definition, strict=True)
    except sp.SympifyError:
        raise TypeError(
            f"named: argument 'definition' must be a SymPy expression (got {definition!r})"
        ) from None
    text = text or latex
    key = (latex, text)
    cls = _NAMED_CLASSES.get(key)
    if cls is None:
        # One class per name: SymPy tells functions apart by class, so two names never clash.
        cls = type(f"Named{len(_NAMED_CLASSES)}", (_Named,),
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
    definition : sympy expression (or anything ``sympify`` accepts)
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
    try:
        definition = sp.sympify(definition, strict=True)
    except sp.SympifyError:
        raise TypeError(f"named_symbol: argument 'definition' must be a SymPy expression "
                        f"(got {definition!r})") from None
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
        high = sp.sympify(high)
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


# --------------------------------------------------------------------------- distributions


def _distribution(a: Any, func: str, axis: Any) -> tuple[np.ndarray, int]:
    """Validate a probability distribution along ``axis`` (at least 1-d)."""
    a = require_distribution(a, "a", func=func, axis=axis)
    return a, as_axis(axis, a.ndim, func=func)


def inverse_softmax(a: Any, constant: float = 0.0, axis: int = -1) -> np.ndarray:
    """Weighted inputs z = ln a + C that a softmax layer maps to ``a`` (Problem 4).

    Parameters
    ----------
    a : array_like
        Softmax outputs: positive, summing to 1 along ``axis``.
    constant : float
        The free constant C; every choice gives back ``a`` under softmax.
    axis : int
        Axis holding the neurons.

    Returns
    -------
    numpy.ndarray
        ln a + C, with the shape of ``a``.

    Raises
    ------
    ValueError
        If ``a`` is not a distribution, or some a_j = 0: an output that underflowed to 0
        has lost its weighted input (ln 0 = −inf); take ``log_softmax(z)`` instead.
    """
    func = "inverse_softmax"
    a, axis = _distribution(a, func, axis)
    constant = as_scalar(constant, "constant", func=func)
    zero = a == 0
    if zero.any():
        where = tuple(int(i) for i in np.argwhere(zero)[0])
        raise ValueError(
            f"{func}: argument 'a' has a_j = 0 at index {where if a.ndim > 1 else where[0]}: "
            "ln 0 = −inf, so that weighted input cannot be recovered (the output underflowed); "
            "compute log_softmax(z) from the weighted inputs instead"
        )
    return np.log(a) + constant


def entropy(a: Any, axis: int = -1) -> np.ndarray | np.float64:
    """Entropy H(a) = −Σ_j a_j ln a_j of a distribution, in nats, with 0 ln 0 = 0.

    Parameters
    ----------
    a : array_like
        Probabilities summing to 1 along ``axis``.
    axis : int
        Axis holding the outcomes; it is summed away.

    Returns
    -------
    numpy.ndarray or numpy.float64
        H in [0, ln n]: ln n for the uniform distribution on n outcomes, ln m for 1/m on m
        of them, 0 for a certainty.  A scalar for 1-d input.
    """
    a, axis = _distribution(a, "entropy", axis)
    positive = a > 0
    # Take logs only where a > 0, so 0 ln 0 = 0 without a divide-by-zero warning.
    with np.errstate(under="ignore"):
        terms = np.where(positive, a * np.log(np.where(positive, a, 1.0)), 0.0)
        out = 0.0 - terms.sum(axis=axis)  # 0.0 − (…) turns −0.0 into +0.0
    return out if out.ndim else out[()]


def softmax_limit(z: Any, c: float, axis: int = -1) -> np.ndarray:
    """The limit of softmax(z, c) = e^{c z_j}/Σ_k e^{c z_k} as c → +∞, −∞ or 0 (Problem 6).

    Parameters
    ----------
    z : array_like
        Weighted inputs, at least one-dimensional.
    c : float
        ``np.inf``: 1/m on the m maximal inputs, 0 elsewhere (the arg-max indicator when
        the maximum is unique); ``-np.inf``: the same on the minimal inputs; ``0``: the
        uniform distribution 1/n.
    axis : int
        Axis holding the neurons.

    Returns
    -------
    numpy.ndarray
        The limiting distribution, with the shape of ``z``. Ties are exact float64 ties.
    """
    func = "softmax_limit"
    if isinstance(c, bool | np.bool_) or not isinstance(c, numbers.Real):
        raise TypeError(f"{func}: argument 'c' must be np.inf, -np.inf or 0 "
                        f"(got {type(c).__name__} {c!r})")
    c = float(c)
    if c not in (np.inf, -np.inf, 0.0):
        raise ValueError(f"{func}: argument 'c' must be np.inf, -np.inf or 0 (got {c!r}); "
                         "for a finite c use nblib.softmax(z, c)")
    z = as_float_array(z, "z", func=func)
    if z.ndim == 0:
        raise ValueError(f"{func}: argument 'z' needs at least one neuron: pass a 1-d array")
    axis = as_axis(axis, z.ndim, func=func)
    if c == 0:
        chosen = np.ones_like(z)
    else:
        extreme = z.max(axis=axis, keepdims=True) if c > 0 else z.min(axis=axis, keepdims=True)
        chosen = (z == extreme).astype(np.float64)
    return chosen / chosen.sum(axis=axis, keepdims=True)


# --------------------------------------------------------------------------- the layer


def _layer(
    w: Any, b: Any, x: Any, target: Any, func: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Validate a softmax layer's weights, biases, input and target class."""
    w = as_float_array(w, "w", func=func)
    b = as_float_array(b, "b", func=func)
    x = as_float_array(x, "x", func=func)
    if w.ndim != 2:
        raise ValueError(f"{func}: argument 'w' must be a matrix (outputs × inputs), "
                         f"got shape {w.shape}")
    if b.shape != (w.shape[0],) or x.shape != (w.shape[1],):
        raise ValueError(
            f"{func}: w has shape {w.shape}, so b needs shape {(w.shape[0],)} and x shape "
            f"{(w.shape[1],)}; got b {b.shape} and x {x.shape}"
        )
    if isinstance(target, bool | np.bool_) or not isinstance(target, numbers.Integral):
        raise TypeError(f"{func}: argument 'target' must be an integer class index "
                        f"(got {type(target).__name__} {target!r})")
    if not 0 <= target < w.shape[0]:
        raise ValueError(f"{func}: argument 'target' must be in 0..{w.shape[0] - 1} "
                         f"(got {target})")
    return w, b, x, int(target)


def _weighted_input(w: np.ndarray, b: np.ndarray, x: np.ndarray, func: str) -> np.ndarray:
    """z = w x + b, refusing an overflow to inf rather than returning it."""
    with np.errstate(over="ignore", invalid="ignore"):
        z = w @ x + b
    if not np.isfinite(z).all():
        raise ValueError(f"{func}: the weighted input w x + b overflows float64")
    return z


def layer_cost(w: Any, b: Any, x: Any, target: int) -> np.float64:
    """Log-likelihood cost C = −ln a_ỹ of a softmax layer z = w x + b, a = softmax(z).

    Parameters
    ----------
    w : array_like
        Weights, shape (outputs, inputs): w[j, k] = w_jk.
    b : array_like
        Biases, shape (outputs,).
    x : array_like
        The layer's input a^{L−1}, shape (inputs,).
    target : int
        The class ỹ with y_ỹ = 1 (counting from 0).

    Returns
    -------
    numpy.float64
        C, computed as −log_softmax(z)[ỹ]: finite even where a_ỹ underflows to 0.
    """
    w, b, x, target = _layer(w, b, x, target, "layer_cost")
    return -log_softmax(_weighted_input(w, b, x, "layer_cost"))[target]


def layer_gradients(w: Any, b: Any, x: Any, target: int) -> tuple[np.ndarray, np.ndarray]:
    """∂C/∂w and ∂C/∂b of :func:`layer_cost` by equations (82) and (81).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ∂C/∂w_jk = x_k (a_j − y_j), shaped like ``w``, and ∂C/∂b_j = a_j − y_j, shaped
        like ``b``.
    """
    w, b, x, target = _layer(w, b, x, target, "layer_gradients")
    a = softmax(_weighted_input(w, b, x, "layer_gradients"))
    delta = a - one_hot(target, len(a))
    return np.outer(delta, x), delta


def check_layer_gradients(
    w: Any,
    b: Any,
    x: Any,
    target: int,
    *,
    name: str,
    tol: float = 1e-6,
    h: float = 1e-6,
    floor: float = DEFAULT_FLOOR,
    resolution: float | None = None,
) -> list[CheckResult]:
    """Equations (82) and (81) against central differences of :func:`layer_cost`.

    Parameters
    ----------
    w, b, x, target
        The layer and the target class, as in :func:`layer_cost`.
    name : str
        Label put in front of each report line.
    tol, h, floor, resolution : float
        Passed to :func:`nblib.checks.check_gradient`. For saturated layers (|z| in the
        hundreds) take a larger relative step h: z = w x + b is rounded to the spacing of
        floats near |z|, which is a relative error of that spacing/h in the step.

    Returns
    -------
    list of CheckResult
        Two results: the weights (82), then the biases (81).
    """
    w, b, x, target = _layer(w, b, x, target, "check_layer_gradients")
    if not isinstance(name, str):
        raise TypeError(f"check_layer_gradients: argument 'name' must be a str (got {name!r})")
    return [
        check_gradient(lambda v: layer_cost(v, b, x, target),
                       lambda v: layer_gradients(v, b, x, target)[0], w,
                       name=f"{name}: ∂C/∂w, (82)", tol=tol, h=h, floor=floor,
                       resolution=resolution),
        check_gradient(lambda v: layer_cost(w, v, x, target),
                       lambda v: layer_gradients(w, v, x, target)[1], b,
                       name=f"{name}: ∂C/∂b, (81)", tol=tol, h=h, floor=floor,
                       resolution=resolution),
    ]
