"""Problem 5: equations (81) and (82), ∂C/∂b_j = a_j − y_j and ∂C/∂w_jk = a^{L−1}_k (a_j − y_j).

The cost is the log-likelihood C = −ln a_ỹ of a softmax layer with one-hot target y_ỹ = 1.
The source-following derivations run on a layer of n = 3 neurons with ỹ = 1, so that the
source's sums Σ_{k≠j} are explicit:

* :func:`same_class`: the case j = ỹ, source lines 2–10. Line 6 copies the slip of
  Exercise 5 (∂a_j/∂z_j written with e^{z_j} where e^{−z_j} belongs; the Exercise 5
  notebook records it there), line 7 inherits it: two source errors. Line 8 silently uses
  the right sign again;
* :func:`other_class`: the case j ≠ ỹ, source lines 2–11, all correct;
* :func:`bp3` and :func:`bp4`: the source's line 1 (BP3) and its claim that (82) is "the
  same proof" from BP4, checked on a layer of 3 outputs and 2 inputs;
* :func:`every_parameter` (target 0, 1, 2): (81) and (82) for every output and weight of that
  layer and every target class;
* :func:`general_delta`: δ_j = a_j − y_j for general n with SymPy sums; (81) and (82) then
  follow by BP3 and BP4 as on the concrete layer.

:data:`EXERCISE` declares the case j = ỹ = 1 once, for :func:`same_class` and for the
notebook's "Your turn" box.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from nblib.numerics.activations import log_softmax, softmax
from nblib.numerics.floats import float_warnings
from nblib.numerics.layer import layer_cost, layer_gradients, one_hot
from nblib.proof.derivation import Derivation, Remark
from nblib.proof.exercise import Exercise
from nblib.proof.notation import named, named_symbol
from nblib.proof.rewrites import index_in_range
from nblib.proof.symbolic import softmax_layer, symbols_vector, weight_matrix, weighted_input
from nblib.reports.checks import CheckReport, check_gradient
from nblib.reports.layer import check_layer_gradients
from nblib.reports.portable import fixed

# The concrete layer: 3 outputs, 2 inputs x_k = a^{L−1}_k, z = w x + b -------------------


# General n --------------------------------------------------------------------------


# --- begin cells exported from notebooks/11_pb5_log_likelihood_gradient.ipynb
# A softmax layer of n = 3 neurons, target ỹ = 1. Names (a_j, ∂a_i/∂z_j, ∂C/∂a_k, y_j) are
# shown as the book writes them and checked as their definitions.
N = 3
z = symbols_vector("z", N)
a = [named(f"a_{{{i + 1}}}", a_i, f"a_{i + 1}") for i, a_i in enumerate(softmax_layer(z))]
da_dz = [[named(rf"\frac{{\partial a_{{{i + 1}}}}}{{\partial z_{{{q + 1}}}}}",
                sp.Derivative(a[i], z[q]), f"da_{i + 1}/dz_{q + 1}") for q in range(N)]
         for i in range(N)]
# C = −ln a_1 as a function of the activations α: ∂C/∂a_k is its slope at α = a.
alpha = tuple(symbols_vector("alpha", N))
dC_da = [named(rf"\frac{{\partial C}}{{\partial a_{{{i + 1}}}}}",
               sp.Subs(sp.Derivative(-sp.log(alpha[0]), alpha[i]), alpha, tuple(a)),
               f"dC/da_{i + 1}") for i in range(N)]
y = [named(f"y_{{{i + 1}}}", int(i == 0), f"y_{i + 1}") for i in range(N)]  # one-hot, ỹ = 1
REST = sp.exp(z[1]) + sp.exp(z[2])  # Σ_{k≠1} e^{z_k}
TOTAL = sp.exp(z[0]) + REST  # Σ_k e^{z_k}
DEFINITION = r"definition of $\delta$ (source, line 2), $C = -\ln a_1$"


def same_class() -> Derivation:
    """(81) for j = ỹ = 1 along the source, lines 2–10, with its two wrong lines corrected.

    It starts and ends where :data:`EXERCISE` says: the "Your turn" box checks a learner's
    own lines against the same declaration.
    """
    with sp.evaluate(False):  # keep each line as the source writes it
        chain_rule = sp.Add(*[dC_da[i] * da_dz[i][0] for i in range(N)])
        only_target = dC_da[0] * da_dz[0][0]
        minus_inverse = -(1 / a[0]) * da_dz[0][0]
        line_6 = -(1 / a[0]) * (sp.exp(z[0]) * REST) * a[0] ** 2
        line_6_fixed = -(1 / a[0]) * (sp.exp(-z[0]) * REST) * a[0] ** 2
        line_7 = -a[0] * (1 + sp.exp(z[0]) * REST - 1)
        line_7_fixed = -a[0] * (1 + sp.exp(-z[0]) * REST - 1)
        line_8 = -a[0] * (1 / a[0] - 1)
    d = EXERCISE.derivation()
    d.step(chain_rule, "chain rule (source, line 3)")
    d.step(only_target, r"$C$ depends on $a_{\tilde y} = a_1$ only (source, line 4)")
    d.step(minus_inverse, r"$C = -\ln a_1$ (source, line 5)")
    d.source_error(line_6, r"source, line 6: $-\frac{1}{a_j}(e^{z_j} \sum_{k \ne j} e^{z_k})"
                           r"(a_j)^2$, Exercise 5's first expression",
                   correction=line_6_fixed,
                   correction_reason="Exercise 5's first expression, corrected",
                   quote=r"$- \frac{1}{a_j^L} \left( e^{z_j^L} \sum\limits_{k \neq j} e^{z_k^L} "
                         r"\right) \left( a_j^L \right) ^2$ (using the first expression from "
                         r"Exercise 5)")
    d.source_error(line_7, r"source, line 7: $-a_j(1 + e^{z_j} \sum_{k \ne j} e^{z_k} - 1)$",
                   correction=line_7_fixed,
                   correction_reason=r"$\frac{1}{a_1} (a_1)^2 = a_1$; add and subtract 1",
                   quote=r"$- a_j^L \left( 1 +  e^{z_j^L} \sum\limits_{k \neq j} e^{z_k^L} - 1 "
                         r"\right)$")
    d.step(line_8, r"$1 + e^{-z_1} \sum_{k \ne 1} e^{z_k} = 1/a_1$ (source, line 8)")
    d.step(a[0] - 1, "source, line 9")
    return d.step(EXERCISE.target, r"$y_1 = y_{\tilde y} = 1$ (source, line 10)")


# (81) for j = ỹ = 1 as an exercise: the learner's "Your turn" and same_class share it. The
# learner types a1 for a_1 and y1 for y_1: Symbols shown as the names above and checked as
# their definitions, e^{z_1}/Σ_k e^{z_k} and 1.
A_TYPED = [named_symbol(f"a_{{{i + 1}}}", a_i.definition, f"a_{i + 1}") for i, a_i in enumerate(a)]
Y1_TYPED = named_symbol("y_{1}", 1, "y_1")
EXERCISE = Exercise(
    id="pb5",
    statement="δ_1 = ∂(−ln a_1)/∂z_1 = a_1 − y_1 (target ỹ = 1, so y_1 = 1)",
    symbols={**{f"{name}{i + 1}": s for i, s in enumerate(z) for name in ("z", "z_")},
             **{f"{name}{i + 1}": s for i, s in enumerate(A_TYPED) for name in ("a", "a_")},
             "y1": Y1_TYPED, "y_1": Y1_TYPED},
    functions={"exp": sp.exp, "log": sp.log, "ln": sp.log, "Derivative": sp.Derivative},
    start=sp.Derivative(-sp.log(A_TYPED[0]), z[0]),
    target=A_TYPED[0] - Y1_TYPED,
    lhs=r"\delta_1",
    reason=DEFINITION,
    worked=same_class,
)


def other_class() -> Derivation:
    """(81) for j = 2 ≠ ỹ = 1 along the source, lines 2–11: every line holds."""
    with sp.evaluate(False):
        chain_rule = sp.Add(*[dC_da[i] * da_dz[i][1] for i in range(N)])
        only_target = dC_da[0] * da_dz[0][1]
        minus_inverse = -(1 / a[0]) * da_dz[0][1]
        line_6 = -(1 / a[0]) * (-sp.exp(-z[0]) * sp.exp(z[1])) * a[0] ** 2
        line_7 = a[0] * sp.exp(-z[0]) * sp.exp(z[1])
        line_8 = sp.exp(z[0]) / TOTAL * sp.exp(-z[0]) * sp.exp(z[1])
    d = Derivation(sp.Derivative(-sp.log(a[0]), z[1]), lhs=r"\delta_2", reason=DEFINITION)
    d.step(chain_rule, "chain rule (source, line 3)")
    d.step(only_target, r"$C$ depends on $a_{\tilde y} = a_1$ only (source, line 4)")
    d.step(minus_inverse, r"$C = -\ln a_1$ (source, line 5)")
    d.step(line_6, "Exercise 5's second expression (source, line 6)")
    d.step(line_7, "source, line 7")
    d.step(line_8, r"definition of $a_{\tilde y}$ (source, line 8)")
    d.step(sp.exp(z[1]) / TOTAL, "source, line 9")
    d.step(a[1], "source, line 10")
    return d.step(a[1] - y[1], r"$y_2 = 0$ since $2 \ne \tilde y$ (source, line 11)")


w, x, b = weight_matrix(N, 2), symbols_vector("x", 2), symbols_vector("b", N)
Z_LAYER = weighted_input(w, x, b)
A_LAYER = [named(f"a_{{{i + 1}}}", a_i, f"a_{i + 1}")
           for i, a_i in enumerate(softmax_layer(Z_LAYER))]
# δ_j: the slope of C(z) = −ln softmax(z)_1 in z_j, taken at z = w x + b.
DELTA = [named(rf"\delta_{{{i + 1}}}",
               sp.Subs(sp.Derivative(-sp.log(softmax_layer(z)[0]), z[i]), tuple(z),
                       tuple(Z_LAYER)), f"δ_{i + 1}") for i in range(N)]


def bp3() -> Derivation:
    """The source's line 1 on the layer: ∂C/∂b_2 = δ_2 (BP3) = a_2 − y_2 (81)."""
    d = Derivation(sp.Derivative(-sp.log(A_LAYER[0]), b[1]), lhs=r"\frac{\partial C}{\partial b_2}")
    d.step(DELTA[1], r"BP3 (source, line 1): $\partial z_2 / \partial b_2 = 1$")
    return d.step(A_LAYER[1] - y[1], "equation (81), proved above")


def bp4() -> Derivation:
    """(82) "from BP4", checked rather than trusted: ∂C/∂w_12 = x_2 δ_1 = x_2 (a_1 − y_1)."""
    d = Derivation(sp.Derivative(-sp.log(A_LAYER[0]), w[0, 1]),
                   lhs=r"\frac{\partial C}{\partial w_{12}}")
    d.step(x[1] * DELTA[0], r"BP4: $\partial z_1 / \partial w_{12} = x_2 = a^{L-1}_2$")
    return d.step(x[1] * (A_LAYER[0] - y[0]), r"$\delta_1 = a_1 - y_1$, equation (81)")


BETA, V = symbols_vector("beta", N), weight_matrix(N, 2, "v")
TOTAL_LAYER = sp.Add(*[sp.exp(z_j) for z_j in Z_LAYER])  # Σ_k e^{z_k} at z = w x + b
LOG_TOTAL = sp.log(TOTAL_LAYER)


def cost_form() -> Derivation:
    """C = −ln a_ỹ = −z_ỹ + ln Σ_k e^{z_k} on the layer (ỹ = 1): the form differentiated below."""
    with sp.evaluate(False):
        quotient = -sp.log(sp.exp(Z_LAYER[0]) / TOTAL_LAYER)
    d = Derivation(-sp.log(A_LAYER[0]), lhs="C")
    d.step(quotient, "definition of $a_1$")
    return d.step(-Z_LAYER[0] + LOG_TOTAL, "ln of a quotient")


def every_parameter(target: int) -> Derivation:
    """(81) and (82) for every bias and weight of the layer, for the target class ``target``.

    With free coefficients β_j and v_jk, the identity
    Σ_j β_j ∂C/∂b_j + Σ_jk v_jk ∂C/∂w_jk = Σ_j (β_j + Σ_k v_jk x_k)(a_j − y_j) holds for
    all β, v exactly when every partial derivative matches its formula: one checked step
    stands for all 9.
    """
    if target not in range(N):
        raise ValueError(f"every_parameter: argument 'target' must be 0, 1 or 2 (got {target!r})")
    cost = -Z_LAYER[target] + LOG_TOTAL  # = −ln a_ỹ, see cost_form
    y_t = [named(f"y_{{{i + 1}}}", int(i == target), f"y_{i + 1}") for i in range(N)]
    by_b = [named(rf"\frac{{\partial C}}{{\partial b_{{{i + 1}}}}}", sp.Derivative(cost, b[i]),
                  f"dC/db_{i + 1}") for i in range(N)]
    by_w = [[named(rf"\frac{{\partial C}}{{\partial w_{{{i + 1}{q + 1}}}}}",
                   sp.Derivative(cost, w[i, q]), f"dC/dw_{i + 1}{q + 1}") for q in range(2)]
            for i in range(N)]
    start = sp.Add(*[BETA[i] * by_b[i] + sum(V[i, q] * by_w[i][q] for q in range(2))
                     for i in range(N)])
    with sp.evaluate(False):  # keep the grouping by output j
        formula = sp.Add(*[sp.Add(BETA[i], V[i, 0] * x[0], V[i, 1] * x[1])
                           * (A_LAYER[i] - y_t[i]) for i in range(N)])
    d = Derivation(start, title=f"Target class {target + 1}")
    return d.step(formula, r"(81) and (82), grouped by output $j$")


n = sp.Symbol("n", integer=True, positive=True)  # the number of outputs
j, k, yt = sp.symbols("j k ytilde", integer=True, positive=True)
zi = sp.IndexedBase("z", real=True)
Y_J = named("y_{j}", sp.KroneckerDelta(j, yt), "y_j")


def general_delta() -> Derivation:
    """δ_j = a_j − y_j for n neurons, with y_j = [j = ỹ] (a Kronecker delta)."""
    total = sp.Sum(sp.exp(zi[k]), (k, 1, n))
    cases = [{n: 3, j: 1, yt: 1}, {n: 3, j: 2, yt: 1}, {n: 4, j: 4, yt: 2}]
    d = Derivation(sp.Derivative(-sp.log(sp.exp(zi[yt]) / total), zi[j]), lhs=r"\delta_j",
                   integers=cases, hints=[index_in_range({j: n})])
    d.step(sp.Derivative(-zi[yt] + sp.log(total), zi[j]), "ln of a quotient")
    d.step(-sp.KroneckerDelta(j, yt) + sp.Derivative(total, zi[j]) / total,
           r"$\partial z_{\tilde y} / \partial z_j = [j = \tilde y]$; derivative of ln")
    d.step(-sp.KroneckerDelta(j, yt) + sp.exp(zi[j]) / total,
           "only the term k = j of the sum depends on $z_j$ ($1 \\le j \\le n$)")
    return d.step(named("a_{j}", sp.exp(zi[j]) / total, "a_j") - Y_J,
                  "definition of $a_j$ and $y_j$")
# --- end of exported cells (edit them in the notebook, then run `make export`)


# (81) and (82) for every parameter, one chain per target class (the notebook shows all three).
TARGETS = tuple(functools.partial(every_parameter, target) for target in range(3))
DERIVATIONS = (same_class, other_class, bp3, bp4, cost_form, *TARGETS, general_delta)

# Numeric checks ----------------------------------------------------------------------
W_SAT = np.array([[400.0, -300.0], [-500.0, 200.0], [100.0, 100.0]])
B_SAT, X_SAT = np.array([0.0, 50.0, -25.0]), np.array([1.5, -2.0])
Z_HUGE = np.array([1000.0, -1000.0, 0.0, 1000.0])
#: Gradient entries below FLOOR are compared in absolute terms (error ≤ TOL·FLOOR = 1e-8):
#: central differences carry absolute noise of about 1e-10 times the cost.
TOL, FLOOR = 1e-6, 1e-2


def saturated_cost() -> None:
    """Print the saturated layer's z, the textbook −ln a_2 (inf) and layer_cost (finite)."""
    zs = W_SAT @ X_SAT + B_SAT
    textbook, warned = float_warnings(lambda: -np.log(softmax(zs)[1]))
    print("z =", zs)
    print(f"−ln a_2 from softmax: {textbook}  {warned}")
    print(f"layer_cost:           {fixed(layer_cost(W_SAT, B_SAT, X_SAT, 1), 1)}")


def gradient_checks(seed: int = 81) -> CheckReport:
    """(81) and (82) against central differences of the cost.

    Six random layers (2–6 outputs, 1–5 inputs, random target), the saturated layer with its
    winning and its losing class as target, and δ = a − y directly in z at |z| = 1000.
    """
    rng = np.random.default_rng(seed)
    results = []
    for trial in range(1, 7):
        outputs, inputs = int(rng.integers(2, 7)), int(rng.integers(1, 6))
        w_r, b_r = rng.normal(size=(outputs, inputs)), rng.normal(size=outputs)
        x_r, target = rng.normal(size=inputs), int(rng.integers(outputs))
        results += check_layer_gradients(
            w_r, b_r, x_r, target, tol=TOL, floor=FLOOR,
            name=f"random layer {trial} ({outputs}×{inputs}, ỹ = {target + 1})")
    winner = int(np.argmax(W_SAT @ X_SAT + B_SAT))
    for target, label in ((winner, "winning"), (1, "losing")):
        # |z| ≈ 1200 is rounded to 2.3e-13, so the relative step is 1e-4, not 1e-6.
        results += check_layer_gradients(W_SAT, B_SAT, X_SAT, target, tol=TOL, h=1e-4,
                                         floor=FLOOR,
                                         resolution=1e-8,
                                         name=f"saturated layer, {label} target ỹ = {target + 1}")
    for target in (0, 1):
        results.append(check_gradient(
            lambda v, t=target: -log_softmax(v)[t], lambda v, t=target: softmax(v) - one_hot(t, 4),
            Z_HUGE, tol=TOL, floor=FLOOR, name=f"δ = a − y at |z| = 1000, ỹ = {target + 1}"))
    return CheckReport(results)


def saturated_gradients() -> None:
    """Print a − y and the largest |∂C/∂w| of the saturated layer for both targets."""
    winner = int(np.argmax(W_SAT @ X_SAT + B_SAT))
    for target in (winner, 1):
        grad_w, grad_b = layer_gradients(W_SAT, B_SAT, X_SAT, target)
        with np.printoptions(precision=3, suppress=True):
            print(f"ỹ = {target + 1}:  ∂C/∂b = a − y = {grad_b + 0.0},  "
                  f"max |∂C/∂w| = {fixed(np.abs(grad_w).max(), 3)}")


CHECKS = (gradient_checks,)


def recovery_remark() -> Remark:
    """Source, line 8: the right answer is reached through two wrong lines."""
    return Remark(
        notebook="pb5",
        where="chapter 3 · Problem 5 · source, line 8",
        source_says=r'$-a_j(1/a_j - 1)$, "recalling from Exercise 5 that '
                    r'$a_j = (1 + e^{-z_j} \sum_{k \ne j} e^{z_k})^{-1}$".',
        what_holds=r"line 8 itself is right, but it does not follow from line 7 as printed: it "
                   r"quotes the formula with $e^{-z_j}$, while lines 6 and 7 carry $e^{+z_j}$. "
                   r"The derivation reaches $\partial C/\partial b_j = a_j - 1$ only because "
                   r"line 8 silently switches back to the correct sign.",
        evidence=(same_class(),),
    )


def bp4_remark() -> Remark:
    """Source, last paragraph: (82) is "exactly the same" proof, starting from BP4."""
    return Remark(
        notebook="pb5",
        where="chapter 3 · Problem 5 · equation (82)",
        source_says=r"the proof of (82) is the same as that of (81), starting from "
                    r"$\partial C/\partial w_{jk} = a^{L-1}_k \delta_j$ (BP4) instead of BP3.",
        what_holds=r"true, but not shown. On a layer of 3 outputs and 2 inputs, BP4 and then "
                   r"(81) give $\partial C/\partial w_{12} = x_2(a_1 - y_1)$, and every weight and "
                   r"bias has the claimed derivative for every target class.",
        evidence=(bp4(), every_parameter(1)),
    )


def two_hot_error() -> Derivation:
    """δ_1 for y = (1, 1, 0), a target "made only of 0s and 1s" that is not one-hot:
    C = −Σ_j y_j ln a_j = −ln a_1 − ln a_2 gives δ_1 = 2a_1 − 1, not a_1 − y_1."""
    d = Derivation(sp.Derivative(-sp.log(a[0]) - sp.log(a[1]), z[0]), lhs=r"\delta_1",
                   reason=r"$C = -\sum_j y_j \ln a_j$ with $y = (1, 1, 0)$")
    with sp.evaluate(False):
        chain = -(a[0] * (1 - a[0])) / a[0] + (a[1] * a[0]) / a[1]
    d.step(chain, r"$\partial a_1/\partial z_1 = a_1(1 - a_1)$, "
                  r"$\partial a_2/\partial z_1 = -a_2 a_1$")
    return d.step(2 * a[0] - 1,
                  r"cancel: $a_1 \sum_j y_j - y_1$ with $\sum_j y_j = 2$")


def one_hot_remark() -> Remark:
    """Source, set-up: y "made only of 0s and 1s" where exactly one 1 is meant."""
    return Remark(
        notebook="pb5",
        where=r"chapter 3 · Problem 5 · source, set-up of $y$ and $\tilde y$",
        source_says=r'$y$ is the expected output vector, "made only of 0s and 1s", and $\tilde y$ '
                    r"the integer such that $y_{\tilde y} = 1$.",
        what_holds=r"$\tilde y$ is defined only when $y$ has exactly one 1 (one-hot). "
                   r"$y = (1, 1, 0)$ is made only of 0s and 1s, yet $y_{\tilde y} = 1$ holds for "
                   r"$\tilde y = 1$ and for $\tilde y = 2$; with $C = -\sum_j y_j \ln a_j$ the "
                   r"output error is then $\delta_1 = 2a_1 - 1$, not $a_1 - y_1$. (81) needs "
                   r"$\sum_j y_j = 1$.",
        evidence=(two_hot_error(),),
    )


REMARKS = (recovery_remark, bp4_remark, one_hot_remark)
