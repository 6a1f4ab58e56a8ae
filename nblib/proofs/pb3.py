"""Problem 3: no cost function C(a, y) can cancel the x_j factor of ∂C/∂w_j.

Follows the worked solution's argument: (1) the chain rule ∂C/∂w_j = ∂C/∂a · ∂a/∂w_j;
(2) ∂a/∂w_j = x_j σ′(z); (3) the cross-entropy makes ∂C/∂a cancel σ′(z); (4) a cost sees
only a and y, and many inputs share one z, so it cannot cancel x_j. Each step is checked
for an arbitrary cost (an undefined SymPy function) on a neuron with three inputs; the
argument does not depend on the number of inputs. The source has no wrong line here.
:data:`EXERCISE` declares the cross-entropy's ∂C/∂w₁ with z written out, for
:func:`written_out_gradient` and for the notebook's "Your turn" box.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from nblib.numerics.neuron import dcost_dz, input_with_same_z, neuron_cost, weight_gradient
from nblib.proof.derivation import Derivation
from nblib.proof.exercise import Exercise
from nblib.proof.notation import named
from nblib.proof.rewrites import subs_hint
from nblib.proof.symbolic import sigma
from nblib.reports.checks import (
    CheckReport,
    CheckResult,
    check_gradient,
    check_values,
    combine_checks,
    numerical_gradient,
)
from nblib.reports.portable import fixed, number


def gradient_factor(weighted: sp.Expr) -> sp.Expr:
    """G = ∂C/∂a · σ′ at the weighted input ``weighted``: the factor every weight shares."""
    return (sp.Subs(sp.Derivative(C(a, y), a), a, sigma(weighted))
            * sigma(weighted) * (1 - sigma(weighted)))


# Symbolic ---------------------------------------------------------------------------------


# --- begin cells exported from notebooks/06_pb3_no_x_cancel.ipynb
x = sp.symbols("x_1:4", real=True)  # n = 3 inputs
w = sp.symbols("w_1:4", real=True)
b, y, a, t = sp.symbols("b y a t", real=True)
C = sp.Function("C")  # an arbitrary cost C(a, y): nothing is known about it
Z_SUM = w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + b
z = named("z", Z_SUM)  # displayed as z, checked as the sum
G = gradient_factor(z)
COSTS = ("quadratic", "cross_entropy")


def chain_rule() -> Derivation:
    """Claim 1 for an arbitrary cost: ∂C/∂w₁ = ∂C/∂a · σ′(z) · x₁ (source, lines 1–2)."""
    dc_da = sp.Subs(sp.Derivative(C(a, y), a), a, sigma(z))
    d = Derivation(sp.Derivative(C(sigma(z), y), w[0]), lhs=r"\frac{\partial C}{\partial w_1}",
                   hints=[subs_hint])
    d.step(dc_da * sp.Derivative(sigma(z), w[0]),
           r"chain rule: $\partial C/\partial w_1 = (\partial C/\partial a)"
           r"(\partial a/\partial w_1)$ (source, line 1)")
    d.step(dc_da * sigma(z) * (1 - sigma(z)) * sp.Derivative(z, w[0]),
           r"chain rule again, $\sigma' = \sigma(1-\sigma)$ (exercise 1)")
    return d.step(dc_da * sigma(z) * (1 - sigma(z)) * x[0],
                  r"$\partial z/\partial w_1 = x_1$, so $\partial a/\partial w_1 = x_1\sigma'(z)$ "
                  "(source, line 2)")


def shared_factor() -> Derivation:
    """Claim 2: (∂C/∂w_j)/x_j is the same G for j = 1, 2, 3, and equals ∂C/∂b."""
    d = Derivation(sp.Derivative(C(sigma(z), y), w[0]) / x[0],
                   lhs=r"\frac{1}{x_1}\frac{\partial C}{\partial w_1}", hints=[subs_hint])
    d.step(G, "§1")
    d.step(sp.Derivative(C(sigma(z), y), w[1]) / x[1], "the same chain rule for $w_2$")
    d.step(sp.Derivative(C(sigma(z), y), w[2]) / x[2], "and for $w_3$")
    return d.step(sp.Derivative(C(sigma(z), y), b),
                  r"and for the bias: $\partial z/\partial b = 1$")


CROSS_ENTROPY = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))


def cross_entropy_gradient() -> Derivation:
    """Source, line 3: the cross-entropy cancels σ′(z) but keeps x₁ (equation (61))."""
    d = Derivation(sp.Derivative(CROSS_ENTROPY.subs(a, sigma(z)), w[0]),
                   lhs=r"\frac{\partial C_{\mathrm{CE}}}{\partial w_1}", domains={y: (0, 1)})
    d.step((-y / sigma(z) + (1 - y) / (1 - sigma(z))) * sigma(z) * (1 - sigma(z)) * x[0],
           r"§1 with $\partial C/\partial a = -y/a + (1-y)/(1-a)$")
    return d.step((sigma(z) - y) * x[0], "σ′(z) cancels; $x_1$ stays: equation (61)")


def written_out_gradient() -> Derivation:
    """§3 again with z written out, w₁x₁ + w₂x₂ + w₃x₃ + b: every line can be typed in the
    "Your turn" box, so this is the worked proof behind :data:`EXERCISE`.

    It starts and ends where :data:`EXERCISE` says, under its domains: the widget checks a
    learner's own lines against the very same declaration.
    """
    a_z = sigma(Z_SUM)
    dc_da = -y / a_z + (1 - y) / (1 - a_z)
    d = EXERCISE.derivation()
    d.step(dc_da * sp.Derivative(a_z, w[0]),
           r"chain rule: $\partial C/\partial w_1 = (\partial C/\partial a)"
           r"(\partial a/\partial w_1)$ with $\partial C/\partial a = -y/a + (1-y)/(1-a)$")
    d.step(dc_da * a_z * (1 - a_z) * x[0],
           r"$\sigma' = \sigma(1-\sigma)$ (exercise 1) and $\partial z/\partial w_1 = x_1$")
    return d.step(EXERCISE.target, "σ′(z) cancels; $x_1$ stays: equation (61)")


# §3 as an exercise, z written out so that a learner can type it: the "Your turn" box and
# written_out_gradient share it. Each symbol can be typed as x1 or x_1 (LaTeX gives x_1).
EXERCISE = Exercise(
    id="pb3",
    statement="∂C/∂w₁ = (σ(z) − y)·x₁ for the cross-entropy, z = w₁x₁ + w₂x₂ + w₃x₃ + b",
    symbols={"x1": x[0], "x2": x[1], "x3": x[2], "w1": w[0], "w2": w[1], "w3": w[2],
             "x_1": x[0], "x_2": x[1], "x_3": x[2], "w_1": w[0], "w_2": w[1], "w_3": w[2],
             "b": b, "y": y},
    functions={"sigma": sigma, "exp": sp.exp, "log": sp.log, "ln": sp.log,
               "Derivative": sp.Derivative},
    start=sp.Derivative(CROSS_ENTROPY.subs(a, sigma(Z_SUM)), w[0]),
    target=(sigma(Z_SUM) - y) * x[0],
    lhs=r"\frac{\partial C_{\mathrm{CE}}}{\partial w_1}",
    domains={y: (0, 1)},  # as in §3; weights, inputs and b in (-3, 3), so |z| < 30
    worked=written_out_gradient,
)


def quadratic_gradient() -> Derivation:
    """The quadratic cost keeps both σ′(z) and x₁."""
    d = Derivation(sp.Derivative((sigma(z) - y) ** 2 / 2, w[0]),
                   lhs=r"\frac{\partial C_{\mathrm{quad}}}{\partial w_1}")
    return d.step((sigma(z) - y) * sigma(z) * (1 - sigma(z)) * x[0],
                  r"§1 with $\partial C/\partial a = a - y$")


#: z at the moved input x' = x + t v, v = (w₂, −w₁, 0).
Z_MOVED = Z_SUM.subs({x[0]: x[0] + t * w[1], x[1]: x[1] - t * w[0]}, simultaneous=True)


def same_z() -> Derivation:
    """Source, line 4: moving x along v = (w₂, −w₁, 0) leaves z unchanged."""
    with sp.evaluate(False):
        regrouped = Z_SUM + t * (w[0] * w[1] - w[1] * w[0])
    d = Derivation(Z_MOVED, lhs="z(x + t v)")
    d.step(regrouped, "collect the terms in $t$")
    return d.step(Z_SUM, "$w_1 w_2 - w_2 w_1 = 0$")


def gradient_ratio() -> Derivation:
    """Claim 3: at x' = x + t v the gradient of w₁ is G(z')·x'₁ with z' = z, so the ratio of
    the two gradients is x'₁/x₁ for every cost."""
    z_prime = named("z'", Z_MOVED)  # displayed as z′, checked as the moved sum
    d = Derivation((gradient_factor(z_prime) * (x[0] + t * w[1])) / (G * x[0]),
                   lhs=r"\frac{\partial C/\partial w_1\,(x')}{\partial C/\partial w_1\,(x)}",
                   hints=[subs_hint])
    return d.step((x[0] + t * w[1]) / x[0],
                  r"$z' = z$, so $G(z') = G(z)$ cancels: the ratio $x'_1 / x_1$")


def zero_input() -> Derivation:
    """Claim 3: x₁ = 0 gives ∂C/∂w₁ = 0 for every cost."""
    d = Derivation(sp.Subs(sp.Derivative(C(sigma(z), y), w[0]), x[0], 0), hints=[subs_hint])
    return d.step(0, "§1: the factor $x_1$ is 0")
# --- end of exported cells (edit them in the notebook, then run `make export`)


DERIVATIONS = (chain_rule, shared_factor, cross_entropy_gradient, written_out_gradient,
               quadratic_gradient, same_z, gradient_ratio, zero_input)


# Numeric ----------------------------------------------------------------------------------
def neurons(seed: int = 7) -> list[tuple[np.ndarray, np.ndarray, float, float]]:
    """40 random neurons (w, x, b, y) with 5 inputs, and two badly wrong saturated ones
    (z = ±8 against targets 0 and 1)."""
    rng = np.random.default_rng(seed)
    cases = [(rng.normal(0, 1, 5), rng.normal(0, 1, 5), float(rng.normal()), float(rng.uniform()))
             for _ in range(40)]
    saturated = [(np.full(5, 1.5), np.ones(5), 0.5, 0.0), (np.full(5, -1.5), np.ones(5), -0.5, 1.0)]
    return cases + saturated


def gradient_checks() -> CheckReport:
    """Claim 1: weight_gradient (G·x) against central differences of neuron_cost, both costs.

    Deeper saturation is left to :func:`family_checks`: there the quadratic gradient falls
    below the rounding noise of a difference quotient (about 1e-10).
    """
    results = []
    for cost in COSTS:
        per_neuron = [
            check_gradient(lambda v, x=x, b=b, y=y, c=cost: neuron_cost(v, x, b, y, c),
                           lambda v, x=x, b=b, y=y, c=cost: weight_gradient(v, x, b, y, c),
                           w, name=cost, tol=1e-6, floor=1e-6)
            for w, x, b, y in neurons()
        ]
        results.append(combine_checks(
            per_neuron, name=f"claim 1: ∂C/∂w = G·x against central differences, 42 neurons "
                             f"({cost})"))
    return CheckReport(results)


def pair(seed: int = 8) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """A neuron (w, b) and two inputs x, x′ with the same z: x′₁ = 3x₁, x′₂ compensates."""
    rng = np.random.default_rng(seed)
    w_pair, x_pair = rng.normal(0, 1, 5), rng.normal(0, 1, 5)
    return w_pair, x_pair, input_with_same_z(x_pair, w_pair, 0, 3 * x_pair[0], via=1), 0.5


def show_pair() -> None:
    """Print the two inputs, their z and both costs' gradients of w₁ with their ratio."""
    w_pair, x_pair, x_moved, b_pair = pair()
    for label, x in (("x ", x_pair), ("x′", x_moved)):
        print(f"{label} = {np.array2string(x, precision=4)}   z = {number(w_pair @ x + b_pair, 6)}")
    for cost in COSTS:
        g, g_moved = (weight_gradient(w_pair, v, b_pair, 0.0, cost) for v in (x_pair, x_moved))
        print(f"{cost:>13}: ∂C/∂w₁ at x {number(g[0], 4)}, at x′ {number(g_moved[0], 4)}, "
              f"ratio {fixed(g_moved[0] / g[0], 5)}")


def pair_checks() -> CheckReport:
    """Claim 3 by finite differences: the gradients of w₁ at x and x′ are in the ratio
    x′₁/x₁; the gradients of the weights whose inputs did not move are unchanged."""
    w_pair, x_pair, x_moved, b_pair = pair()
    results = []
    for cost in COSTS:
        at = [numerical_gradient(lambda v, x=x, c=cost: neuron_cost(v, x, b_pair, 0.0, c), w_pair)
              for x in (x_pair, x_moved)]
        results += [
            check_values(at[1][0] / at[0][0], x_moved[0] / x_pair[0], tol=1e-6,
                         resolution=1e-8,
                         name=f"claim 3: finite-difference ratio of ∂C/∂w₁ at x′ and x "
                              f"is x′₁/x₁ ({cost})"),
            check_values(at[1][2:], at[0][2:], tol=1e-6,
                         resolution=1e-9,
                         name=f"claim 3: inputs 3–5 unmoved, their gradients unchanged ({cost})"),
        ]
    return CheckReport(results)


def family_checks(seed: int = 9) -> CheckReport:
    """Claim 2 along families x + s v (w·v = 0, nine values of s) at z = 0, +30, −30: every
    member's gradient is G·(x + s v) with G computed once, at the family's first input.
    At z = ±30 the quadratic gradient is about 1e-13, below what differences resolve."""
    rng = np.random.default_rng(seed)
    results = []
    for cost in COSTS:
        errors: list[CheckResult] = []
        for at_z in (0.0, 30.0, -30.0):
            w_f, x_f = rng.normal(0, 1, 6), rng.normal(0, 1, 6)
            b_f = at_z - w_f @ x_f
            v = rng.normal(0, 1, 6)
            v -= (v @ w_f) / (w_f @ w_f) * w_f  # w · v = 0
            factor = float(dcost_dz(w_f @ x_f + b_f, 0.0, cost))  # G of the first input only
            for s in np.linspace(-2, 2, 9):
                x_s = x_f + s * v
                errors.append(check_values(weight_gradient(w_f, x_s, b_f, 0.0, cost),
                                           factor * x_s, tol=1e-12, resolution=1e-14, name=cost))
        results.append(combine_checks(
            errors, name=f"claim 2: one G for a whole family with one z, saturated ones "
                         f"included ({cost})"))
    return CheckReport(results)


def zero_input_entries(seed: int = 10) -> np.ndarray:
    """∂C/∂w₁ with x₁ = 0, by the formula and by central differences, for both costs and
    both targets at z = 0, ±40, ±1000."""
    rng = np.random.default_rng(seed)
    entries = []
    for at_z in (0.0, 40.0, -40.0, 1000.0, -1000.0):
        for target in (0.0, 1.0):
            w_0, x_0 = rng.normal(0, 1, 4), rng.normal(0, 1, 4)
            x_0[0] = 0.0
            b_0 = at_z - w_0 @ x_0
            for cost in COSTS:
                entries.append(weight_gradient(w_0, x_0, b_0, target, cost)[0])
                entries.append(numerical_gradient(
                    lambda v, x=x_0, b=b_0, y=target, c=cost: neuron_cost(v, x, b, y, c),
                    w_0)[0])
    return np.array(entries)


def zero_input_checks() -> CheckReport:
    """Claim 3: a zero input gives exactly zero gradient, for every case of
    :func:`zero_input_entries` (changing w₁ does not change z at all)."""
    entries = zero_input_entries()
    return CheckReport([
        check_values(entries, np.zeros_like(entries), kind="absolute", tol=0.0,
                     name=f"claim 3: x₁ = 0 gives ∂C/∂w₁ = 0 exactly ({entries.size} cases, "
                          "formula and differences)"),
    ])


CHECKS = (gradient_checks, pair_checks, family_checks, zero_input_checks)
