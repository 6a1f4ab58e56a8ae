"""The chapter's opening demo: one sigmoid neuron, input x = 1, target y = 0, learning by
gradient descent on its weight w and bias b.

The derivations give ∂C/∂w and ∂C/∂b of the one-neuron cost from the definitions:
(a − y) σ′(z) x and (a − y) σ′(z) for the quadratic cost (the book's (55) and (56) at x = 1,
y = 0), x (a − y) and a − y for the cross-entropy (the one-neuron (61) and (62)). They
also check the update the book's own page uses for its cross-entropy half, the derivative
∂C/∂a = 1/(1 − a) (for y = 0) in place of ∂C/∂w: a line recorded as wrong, with the
chain-rule factor σ′(z) x that turns it into the true gradient a.

The numeric part runs the descent (:func:`nblib.network.curves.neuron_descent`, which the
explorer runs too: the book's neuron as a one-neuron :class:`nblib.network.network.Network`,
trained by its one backprop), reproduces the book's quadratic runs and checks every step
against the gradients derived here.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from nblib.network.curves import neuron_descent
from nblib.numerics.activations import sigmoid
from nblib.numerics.neuron import neuron_cost
from nblib.proof.derivation import Derivation
from nblib.proof.exercise import Exercise
from nblib.proof.notation import named
from nblib.proof.symbolic import sigma
from nblib.reports.checks import (
    CheckReport,
    CheckResult,
    check_gradient,
    check_values,
    numerical_derivative,
)
from nblib.reports.portable import fixed
from nblib.reports.table import Table


def quadratic_cost(a: sp.Expr, target: sp.Expr) -> sp.Expr:
    """The one-neuron quadratic cost (a − y)²/2."""
    return (a - target) ** 2 / 2


def cross_entropy_cost(a: sp.Expr, target: sp.Expr) -> sp.Expr:
    """The one-neuron cross-entropy −[y ln a + (1 − y) ln(1 − a)]."""
    return -(target * sp.log(a) + (1 - target) * sp.log(1 - a))


def da_dparam(param: sp.Symbol) -> sp.Expr:
    """∂a/∂w or ∂a/∂b, shown by name, defined by differentiating σ(wx + b)."""
    return named(rf"\frac{{\partial a}}{{\partial {param}}}",
                 sp.diff(1 / (1 + sp.exp(-(w * x + b))), param), f"da/d{param}")


def dC_da(cost: str) -> sp.Expr:
    """∂C/∂a of the one-neuron cost, evaluated at a = σ(z)."""
    f = quadratic_cost if cost == "quadratic" else cross_entropy_cost
    return named(r"\frac{\partial C}{\partial a}",
                 sp.diff(f(_alpha, Y), _alpha).subs(_alpha, A), "dC/da")


def gradient_lhs(param: sp.Symbol) -> str:
    """LaTeX for ∂C/∂param, the left-hand side of a gradient's chain."""
    return rf"\frac{{\partial C}}{{\partial {param}}}"


# --- begin cells exported from notebooks/13_slowdown_learning_demo.ipynb
RULE_NAMES = {"quadratic": "quadratic cost", "cross_entropy": "cross-entropy, true gradient",
              "book_page": "cross-entropy, the book page's rule"}
w, b = sp.symbols("w b", real=True)
x, y = sp.symbols("x y", real=True)
_t = sp.Symbol("t", real=True)
_alpha = sp.Symbol("a", real=True)
Z = named("z", w * x + b, "z")
A = named("a", sigma(Z), "a")
Y = named("y", y, "y")  # shown by name, so that a − y prints in that order
SLOPE = named(r"\sigma'\left(z\right)", sp.diff(1 / (1 + sp.exp(-_t)), _t).subs(_t, Z), "σ′(z)")
DOMAINS = {y: (0.0, 1.0), _alpha: (0.01, 0.99)}
# The book's neuron: x = 1, so z = w + b.
Z1 = named("z", w + b, "z")
A1 = named("a", sigma(Z1), "a")
SLOPE1 = named(r"\sigma'\left(z\right)", sp.diff(1 / (1 + sp.exp(-_t)), _t).subs(_t, Z1), "σ′(z)")


def quadratic_weight() -> Derivation:
    """Quadratic cost: ∂C/∂w = (a − y) σ′(z) x, the book's (55) before x = 1, y = 0."""
    d = Derivation(sp.Derivative(quadratic_cost(A, Y), w), lhs=gradient_lhs(w), domains=DOMAINS,
                   reason=r"$C = (y - a)^2 / 2$")
    d.step((A - Y) * da_dparam(w), "chain rule")
    return d.step((A - Y) * SLOPE * x, r"$a = \sigma(wx + b)$, chain rule again")


def quadratic_bias() -> Derivation:
    """Quadratic cost: ∂C/∂b = (a − y) σ′(z), the book's (56) before y = 0."""
    d = Derivation(sp.Derivative(quadratic_cost(A, Y), b), lhs=gradient_lhs(b), domains=DOMAINS,
                   reason=r"$C = (y - a)^2 / 2$")
    d.step((A - Y) * da_dparam(b), "chain rule")
    return d.step((A - Y) * SLOPE, r"$\partial z / \partial b = 1$")


def cross_entropy_weight() -> Derivation:
    """Cross-entropy: ∂C/∂w = x (a − y), the one-neuron (61): σ′(z) cancels."""
    with sp.evaluate(False):
        expanded = -((Y / A - (1 - Y) / (1 - A)) * A * (1 - A) * x)
    d = Derivation(sp.Derivative(cross_entropy_cost(A, Y), w), lhs=gradient_lhs(w), domains=DOMAINS,
                   reason=r"$C = -[y \ln a + (1 - y) \ln(1 - a)]$")
    d.step(dC_da("cross_entropy") * SLOPE * x, "chain rule")
    d.step(expanded, r"$\partial C / \partial a$; $\sigma' = \sigma(1 - \sigma)$ (Exercise 1)")
    return d.step(x * (A - Y), "the $a(1 - a)$ cancels")


def cross_entropy_bias() -> Derivation:
    """Cross-entropy: ∂C/∂b = a − y, the one-neuron (62)."""
    d = Derivation(sp.Derivative(cross_entropy_cost(A, Y), b), lhs=gradient_lhs(b), domains=DOMAINS,
                   reason=r"$C = -[y \ln a + (1 - y) \ln(1 - a)]$")
    d.step(dC_da("cross_entropy") * SLOPE, r"chain rule, $\partial z / \partial b = 1$")
    return d.step(A - Y, "as for the weight")


def book_quadratic() -> Derivation:
    """The book's neuron (x = 1, y = 0) under the quadratic cost: ∂C/∂w = ∂C/∂b = a σ′(z)."""
    d = Derivation(sp.Derivative(quadratic_cost(A1, 0), w), lhs=gradient_lhs(w),
                   reason=r"$x = 1$, $y = 0$: $C = a^2 / 2$")
    return d.step(A1 * SLOPE1, "(55)")


def book_cross_entropy() -> Derivation:
    """The book's neuron under the cross-entropy: ∂C/∂w = ∂C/∂b = a."""
    d = Derivation(sp.Derivative(cross_entropy_cost(A1, 0), w), lhs=gradient_lhs(w),
                   reason=r"$x = 1$, $y = 0$: $C = -\ln(1 - a)$")
    return d.step(A1, "(61) with $x = 1$, $y = 0$")


def book_cross_entropy_steps() -> Derivation:
    """The book's neuron under the cross-entropy, step by step in plain symbols: ∂C/∂w = σ(w + b).

    :func:`book_cross_entropy` in one line, here through the chain rule and Exercise 1, with
    a written σ(w + b). It starts and ends where :data:`EXERCISE` says, and the "Your turn"
    box checks a learner's own lines against the same declaration.
    """
    a = sigma(w + b)
    d = EXERCISE.derivation()
    d.step(sp.Derivative(a, w) / (1 - a), r"$(\ln u)' = u'/u$ with $u = 1 - a$")
    # σ′ multiplied out: σ(1 − σ)/(1 − σ) would already be the target by algebra alone
    # (SymPy cancels it on sight), and this line is the step before the cancelling.
    d.step((a - a**2) / (1 - a), r"$\sigma' = \sigma - \sigma^2$ (Exercise 1), "
                                 r"$\partial (w + b) / \partial w = 1$")
    return d.step(EXERCISE.target, r"$\sigma - \sigma^2 = \sigma (1 - \sigma)$; cancel "
                                   r"$1 - \sigma$")


# The book's neuron's cross-entropy gradient as an exercise: the "Your turn" box and the
# chain above share it.
EXERCISE = Exercise(
    id="slowdown",
    statement="∂C/∂w = σ(w + b) = a for the book's neuron (x = 1, y = 0) under the "
              "cross-entropy",
    symbols={"w": w, "b": b},
    functions={"sigma": sigma, "exp": sp.exp, "log": sp.log, "Derivative": sp.Derivative},
    start=sp.Derivative(-sp.log(1 - sigma(w + b)), w),
    target=sigma(w + b),
    lhs=gradient_lhs(w),
    reason=r"$x = 1$, $y = 0$: $C = -\ln(1 - a)$ with $a = \sigma(w + b)$",
    domains={w: (-3.0, 3.0), b: (-3.0, 3.0)},  # the default for a real symbol, stated
    worked=book_cross_entropy_steps,
)


def book_page_dC_da() -> Derivation:
    """For y = 0 the cross-entropy is −ln(1 − a), and ∂C/∂a = 1/(1 − a) holds."""
    d = Derivation(sp.Derivative(-sp.log(1 - _alpha), _alpha), lhs=r"\frac{\partial C}{\partial a}",
                   domains=DOMAINS, reason="$y = 0$")
    return d.step(1 / (1 - _alpha), r"$(\ln u)' = u'/u$")


#: The two factors of the chain rule for the book's neuron, as functions of a = σ(z):
#: ∂C/∂a = 1/(1 − a) (``book_page_dC_da``) and ∂a/∂w = σ′(z) x = a(1 − a) (Exercise 1, x = 1).
INVERSE = named(r"\frac{1}{1 - a}", 1 / (1 - _alpha), "1/(1 - a)")
DA_DW = named(r"\frac{\partial a}{\partial w}", _alpha * (1 - _alpha), "da/dw")
A_ONE_MINUS_A = named(r"a\left(1 - a\right)", _alpha * (1 - _alpha), "a(1 - a)")


def book_page_rule() -> Derivation:
    """The book page's update takes ∂C/∂a = 1/(1 − a) for ∂C/∂w; the chain rule says a.

    Written in a (0 < a < 1) with both factors of the chain rule known:
    ∂C/∂a = 1/(1 − a) and ∂a/∂w = σ′(z) x = a(1 − a) for x = 1.
    """
    page_dC_da = named(r"\frac{\partial C}{\partial a}", 1 / (1 - _alpha), "dC/da")
    d = Derivation(page_dC_da * DA_DW, lhs=gradient_lhs(w), domains=DOMAINS,
                   reason="chain rule, $x = 1$, $y = 0$")
    d.source_error(INVERSE, r"the book page's update rule: $\partial C/\partial a$ used as "
                   r"$\partial C/\partial w$", correction=INVERSE * A_ONE_MINUS_A,
                   correction_reason=r"$\partial C/\partial a = 1/(1 - a)$, "
                                     r"$\partial a/\partial w = \sigma'(z) x = a(1 - a)$")
    return d.step(_alpha, "cancel $1 - a$")


def step_ratio() -> Derivation:
    """The book page's step over the true step: 1/((1 − a) a) = 1/σ′(z) ≥ 4."""
    book_step = named(r"\frac{1}{1 - a}", 1 / (1 - A1), "1/(1 - a)")
    d = Derivation(book_step / A1, lhs=r"\frac{\text{book page's step}}{\text{true step}}",
                   reason=r"$1/(1 - a)$ against $a$")
    d.step(1 / (A1 * (1 - A1)), "one fraction")
    return d.step(1 / SLOPE1, r"$a(1 - a) = \sigma'(z)$, Exercise 1")
# --- end of exported cells (edit them in the notebook, then run `make export`)


DERIVATIONS = (quadratic_weight, quadratic_bias, cross_entropy_weight, cross_entropy_bias,
               book_quadratic, book_cross_entropy, book_cross_entropy_steps, book_page_dC_da,
               book_page_rule, step_ratio)


# --------------------------------------------------------------------------- the book's runs

BOOK_FAST = (0.6, 0.9)   # "output 0.82", learns from the start
BOOK_SLOW = (2.0, 2.0)   # "output 0.98", stuck at first
BOOK_ETA = 0.15
BOOK_PAGE_ETA = 0.005


def _violation(amount: float) -> float:
    return max(0.0, float(amount))


def book_checks() -> CheckReport:
    """The book's quadratic runs, reproduced and asserted."""
    fast = neuron_descent(*BOOK_FAST, BOOK_ETA, 300)
    slow = neuron_descent(*BOOK_SLOW, BOOK_ETA, 300)
    return CheckReport([
        check_values(fast.output[0], 0.82, tol=0.005, kind="absolute",
                     name="w = 0.6, b = 0.9: starting output near 0.82"),
        check_values(fast.output[300], 0.09, tol=0.01, kind="absolute",
                     name="w = 0.6, b = 0.9, η = 0.15: output after 300 epochs near 0.09"),
        check_values(slow.output[0], 0.98, tol=0.005, kind="absolute",
                     name="w = b = 2: starting output near 0.98"),
        check_values(_violation(0.93 - slow.output[:151].min()), 0.0, tol=0.0, kind="absolute",
                     name="w = b = 2, η = 0.15: output stays above 0.93 for epochs 0–150"),
        check_values(_violation(0.4 - (slow.output[150] - slow.output[250])), 0.0, tol=0.0,
                     kind="absolute",
                     name="w = b = 2, η = 0.15: then falls by more than 0.4 in epochs 150–250"),
    ])


def network_checks() -> CheckReport:
    """Every step of the runs against the gradient derived above (quadratic and cross-entropy).

    The run is the network's full-batch descent on the example (x, y) = (1, 0); each epoch
    moves (w, b) by −η (∂C/∂w, ∂C/∂b) with the derivations' formulas, (55)–(56) and
    (61)–(62) at x = 1, y = 0, evaluated at that epoch's (w, b).
    """
    results = []
    for start, eta, rule in ((BOOK_FAST, BOOK_ETA, "quadratic"), (BOOK_SLOW, BOOK_ETA, "quadratic"),
                             (BOOK_SLOW, BOOK_ETA, "cross_entropy"),
                             (BOOK_SLOW, BOOK_PAGE_ETA, "cross_entropy")):
        t = neuron_descent(*start, eta, 300, rule)
        steps = np.column_stack([np.diff(t.w), np.diff(t.b)])
        derived = np.array([-eta * _neuron_gradient(np.array(p), 1.0, 0.0, rule)
                            for p in zip(t.w[:-1], t.b[:-1], strict=True)])
        results.append(check_values(steps, derived, tol=1e-11, resolution=1e-12,
                                    name=f"{RULE_NAMES[rule]}, w = {start[0]}, b = {start[1]}, "
                                         f"η = {eta}: all 300 steps are −η (∂C/∂w, ∂C/∂b)"))
    return CheckReport(results)


def _neuron_cost(theta: np.ndarray, xv: float, yv: float, cost: str) -> float:
    """The one-neuron cost C(σ(w x + b), y) at θ = (w, b), by nblib's :func:`neuron_cost`."""
    return neuron_cost(theta[:1], [xv], theta[1], yv, cost)


def _neuron_gradient(theta: np.ndarray, xv: float, yv: float, cost: str) -> np.ndarray:
    """(∂C/∂w, ∂C/∂b) by the formulas derived above: (a − y) σ′(z) (x, 1) or (a − y) (x, 1)."""
    a = float(sigmoid(theta[0] * xv + theta[1]))
    error = (a - yv) * a * (1 - a) if cost == "quadratic" else a - yv
    return np.array([error * xv, error])


#: (w, b, x, y) points: the book's starts, saturated neurons wrong and right, y at 0 and 1.
EDGE_POINTS = ((0.6, 0.9, 1.0, 0.0), (2.0, 2.0, 1.0, 0.0), (-3.0, -3.0, 1.0, 1.0),
               (6.0, 6.0, 1.0, 0.0), (6.0, 6.0, 1.0, 1.0), (0.5, -0.25, -2.0, 0.3))


def derivative_checks(seed: int = 55) -> CheckReport:
    """The formulas above against central differences of the one-neuron cost.

    Random (w, b, x, y) plus the edge points. At z = 12 the quadratic gradient (≈ 6e-6)
    is far below the cost (≈ 0.5), so the step is h = 1e-4 to keep rounding noise small.
    """
    rng = np.random.default_rng(seed)
    points = [tuple(p) for p in np.column_stack([rng.normal(0, 2, 20), rng.normal(0, 2, 20),
                                                 rng.normal(0, 1, 20), rng.uniform(0, 1, 20)])]
    results = []
    for cost, form in (("quadratic", "(a − y)σ′(z)·(x, 1)"), ("cross_entropy", "(a − y)·(x, 1)")):
        worst = max(
            (check_gradient(lambda t, p=p, c=cost: _neuron_cost(t, p[2], p[3], c),
                            lambda t, p=p, c=cost: _neuron_gradient(t, p[2], p[3], c),
                            np.array(p[:2]), h=1e-4, name="")
             for p in (*points, *EDGE_POINTS)), key=lambda r: r.worst_error)
        results.append(CheckResult(f"{_pretty(cost)}: (∂C/∂w, ∂C/∂b) = {form} at "
                                   f"{len(points) + len(EDGE_POINTS)} points",
                                   worst.worst_error, 1e-6))
    a = np.linspace(0.01, 0.99, 99)
    results.append(check_values(numerical_derivative(lambda v: -np.log1p(-v), a),
                                1 / (1 - a), tol=1e-8,
                                name="book page: ∂C/∂a = 1/(1 − a) at y = 0, 0.01 ≤ a ≤ 0.99"))
    return CheckReport(results)


def _pretty(cost: str) -> str:
    return {"quadratic": "quadratic", "cross_entropy": "cross-entropy"}[cost]


def book_page_table() -> Table:
    """At the book's starts: ∂C/∂a = 1/(1 − a), the true ∂C/∂w = a, and their ratio 1/σ′(z)."""
    rows = []
    for w0, b0 in (BOOK_FAST, BOOK_SLOW):
        z = w0 + b0
        a = float(sigmoid(z))
        rows.append((f"{w0:g}", f"{b0:g}", fixed(a, 4), fixed(1 / (1 - a), 2), fixed(a, 4),
                     fixed(1 / (a * (1 - a)), 2)))
    return Table(("w", "b", "a", "book page 1/(1 − a)", "true ∂C/∂w = a", "ratio 1/σ′(z)"),
                 tuple(rows))


RUNS = (("quadratic", BOOK_FAST, BOOK_ETA), ("quadratic", BOOK_SLOW, BOOK_ETA),
        ("cross_entropy", BOOK_FAST, BOOK_ETA), ("cross_entropy", BOOK_SLOW, BOOK_ETA),
        ("cross_entropy", BOOK_SLOW, BOOK_PAGE_ETA), ("book_page", BOOK_FAST, BOOK_PAGE_ETA),
        ("book_page", BOOK_SLOW, BOOK_PAGE_ETA))
EPOCHS_SHOWN = (0, 50, 100, 150, 200, 250, 300)


def runs_table() -> Table:
    """The output after 0, 50, …, 300 epochs for the book's starts under each rule."""
    rows = []
    for rule, start, eta in RUNS:
        t = neuron_descent(*start, eta, 300, rule)
        rows.append((RULE_NAMES[rule], f"{start[0]:g}, {start[1]:g}", f"{eta:g}",
                     *(fixed(t.output[e], 4) for e in EPOCHS_SHOWN)))
    return Table(("update", "w, b", "η", *(f"a({e})" for e in EPOCHS_SHOWN)), tuple(rows))


CHECKS = (book_checks, network_checks, derivative_checks)
