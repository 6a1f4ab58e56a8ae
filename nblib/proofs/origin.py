"""Where the cross-entropy comes from: the chapter's equations (71)–(77), checked.

Follows the book's own text. Asking a sigmoid neuron's cost for the gradient (71)–(72),
∂C/∂w_j = x_j(a − y) and ∂C/∂b = a − y, the chain rule gives (73)–(74), ∂C/∂b =
∂C/∂a · σ′(z) = ∂C/∂a · a(1 − a), for any cost C(a, y) (an undefined SymPy function); (72)
then holds exactly when ∂C/∂a = (a − y)/(a(1 − a)) (75), checked as an equivalence; the
integral of (75) from a₀ to a, carried out by SymPy line by line, is the cross-entropy's
difference (76); averaging over examples adds the average of the constants, which no
gradient sees (77). Every line of the chapter checks. Its closing sentence credits (71) and
(72) with fixing the cost, while its derivation uses only (72) and the assumption that C
sees w and b only through a: :func:`regularised_bias` and :func:`regularised_weight` show a
cost with (72) but not (71), and :func:`bias_integral`, :func:`weight_condition` and
:func:`cost_in_z` derive the cross-entropy from (71) and (72) without that assumption
(:func:`uniqueness_remark`). :data:`EXERCISE` declares the partial fractions of (75), for
:func:`partial_fractions` and for the notebook's "Your turn" box.

The numeric checks integrate (75) by quadrature (:func:`nblib.numerics.quadrature.cost_from_slope`),
never using the closed form, and compare it with the cross-entropy; its gradient by central
differences with (71) and (72); and averages with different constants.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from nblib.numerics.activations import sigmoid
from nblib.numerics.costs import binary_entropy, cross_entropy
from nblib.numerics.neuron import kl_divergence
from nblib.numerics.quadrature import cost_from_slope
from nblib.proof.claims import Equivalence
from nblib.proof.derivation import Derivation, Remark
from nblib.proof.exercise import Exercise
from nblib.proof.notation import Softplus, named
from nblib.proof.rewrites import exponentials_as_symbols, logs_below_one, subs_hint
from nblib.proof.symbolic import sigma
from nblib.reports.checks import CheckReport, check_gradient, check_values, combine_checks

# Symbolic ---------------------------------------------------------------------------------


# --- begin cells exported from notebooks/15_origin_cross_entropy.ipynb
x = sp.symbols("x_1:3", real=True)  # two inputs; the argument does not depend on their number
w = sp.symbols("w_1:3", real=True)
a, y, b, t, u = sp.symbols("a y b t u", real=True)
a0 = sp.Symbol("a_0", real=True)
lam = sp.Symbol("lambda", positive=True)
C = sp.Function("C")  # the cost we are looking for: some function of the output a and the target y
Z_SUM = w[0] * x[0] + w[1] * x[1] + b
z = named("z", Z_SUM)  # shown as z, checked as the sum
A = named("a", sigma(Z_SUM))  # shown as a, checked as σ(z)
DC_DA = named(r"\frac{\partial C}{\partial a}", sp.Subs(sp.Derivative(C(u, y), u), u, sigma(Z_SUM)))
SIGMA_PRIME = named(r"\sigma'(z)", sp.diff(sigma.definition(u), u).subs(u, Z_SUM))
SLOPE_FACTOR = named("a(1 - a)", sigma(Z_SUM) * (1 - sigma(Z_SUM)))
#: Where the numeric spot checks sample a, a₀, t and y: inside (0, 1), away from the ends.
INSIDE = {a: (0.02, 0.98), a0: (0.02, 0.98), t: (0.02, 0.98), y: (0.02, 0.98)}


def cross_entropy_of(activation: sp.Expr) -> sp.Expr:
    """−[y ln a + (1 − y) ln(1 − a)] at the given activation: the cost of one example."""
    return -(y * sp.log(activation) + (1 - y) * sp.log(1 - activation))


def chain_rule() -> Derivation:
    """(73) and (74): ∂C/∂b = ∂C/∂a · σ′(z) = ∂C/∂a · a(1 − a), for any cost C(a, y)."""
    d = Derivation(sp.Derivative(C(A, y), b), lhs=r"\frac{\partial C}{\partial b}",
                   hints=[subs_hint])
    d.step(DC_DA * sp.Derivative(A, b), "chain rule: $C$ sees $b$ only through $a$")
    d.step(DC_DA * SIGMA_PRIME, r"$a = \sigma(z)$, $\partial z/\partial b = 1$: equation (73)")
    return d.step(DC_DA * SLOPE_FACTOR,
                  r"$\sigma' = \sigma(1-\sigma)$ (exercise 1) and $\sigma(z) = a$: equation (74)")


#: ∂C/∂a at one point: an unknown number, for the equivalence.
SLOPE = sp.Symbol(r"\frac{\partial C}{\partial a}", real=True)


def demanded_slope() -> Equivalence:
    """(72) with (74) ⇔ (75): ∂C/∂a · a(1 − a) = a − y ⇔ ∂C/∂a = (a − y)/(a(1 − a))."""
    with sp.evaluate(False):  # keep the equations as the chapter writes them
        wanted = (SLOPE * a * (1 - a), a - y)
        equation_75 = (SLOPE, (a - y) / (a * (1 - a)))
    return Equivalence(wanted, equation_75, 1 / (a * (1 - a)),
                       reason="divide both sides by $a(1-a)$", unit_symbols=[a], domains=INSIDE)


def weight_gradient() -> Derivation:
    """∂C/∂w₁ = x₁ ∂C/∂b for any cost C(a, y): (72) implies (71)."""
    d = Derivation(sp.Derivative(C(A, y), w[0]), lhs=r"\frac{\partial C}{\partial w_1}",
                   hints=[subs_hint])
    d.step(DC_DA * SLOPE_FACTOR * x[0], r"as in §1, with $\partial z/\partial w_1 = x_1$")
    return d.step(x[0] * sp.Derivative(C(A, y), b), r"§1: this is $x_1\,\partial C/\partial b$")


def partial_fractions() -> Derivation:
    """(75) split into partial fractions, −y/a + (1 − y)/(1 − a).

    It starts and ends where :data:`EXERCISE` says, under its domains: the "Your turn"
    widget checks a learner's own lines against the very same declaration.
    """
    with sp.evaluate(False):  # keep each line as written
        split_numerator = (a * (1 - y) - y * (1 - a)) / (a * (1 - a))
        two_fractions = a * (1 - y) / (a * (1 - a)) - y * (1 - a) / (a * (1 - a))
    d = EXERCISE.derivation()
    d.step(split_numerator, "write $a - y = a(1 - y) - y(1 - a)$")
    d.step(two_fractions, "one fraction per term of the numerator")
    return d.step(EXERCISE.target, "cancel $a$ in the first and $1 - a$ in the second")


# The split as an exercise: the learner's "Your turn" and the worked proof above share it.
EXERCISE = Exercise(
    id="origin",
    statement="(a − y)/(a(1 − a)) = −y/a + (1 − y)/(1 − a)",
    symbols={"a": a, "y": y},
    functions={"log": sp.log, "ln": sp.log, "exp": sp.exp},
    start=(a - y) / (a * (1 - a)),
    target=-y / a + (1 - y) / (1 - a),
    lhs=r"\frac{\partial C}{\partial a}",
    reason="equation (75)",
    domains={a: INSIDE[a], y: INSIDE[y]},  # 0 < a, y < 1, away from the poles at a = 0 and 1
    worked=partial_fractions,
)


C_CE = named(r"C_{\mathrm{CE}}(a)", cross_entropy_of(a))
C_CE_START = named(r"C_{\mathrm{CE}}(a_0)", cross_entropy_of(a0))


def integral() -> Derivation:
    """(76): ∫ from a₀ to a of (75) is C_CE(a) − C_CE(a₀), the cross-entropy's difference."""
    d = Derivation(sp.Integral((t - y) / (t * (1 - t)), (t, a0, a)), lhs="C(a) - C(a_0)",
                   reason="(75), integrated from $a_0$ to $a$", domains=INSIDE,
                   hints=[logs_below_one([a, a0])])
    d.step(sp.Integral(sp.Add(-y / t, (1 - y) / (1 - t), evaluate=False), (t, a0, a)),
           "partial fractions (§3)")
    d.step(-y * sp.Integral(1 / t, (t, a0, a)) + (1 - y) * sp.Integral(1 / (1 - t), (t, a0, a)),
           "one integral per term")
    d.step(-y * (sp.log(a) - sp.log(a0)) - (1 - y) * (sp.log(1 - a) - sp.log(1 - a0)),
           r"$\int dt/t = \ln t$, $\int dt/(1-t) = -\ln(1-t)$ for $0 < t < 1$")
    return d.step(C_CE - C_CE_START, "the terms in $a$, and the terms in $a_0$")


def value_at_one_half() -> Derivation:
    """C_CE(½) = ln 2 for every target y: from a₀ = ½ the constant is C(½) − ln 2."""
    d = Derivation(sp.Subs(cross_entropy_of(a), a, sp.Rational(1, 2)),
                   lhs=r"C_{\mathrm{CE}}(\tfrac12)", domains=INSIDE)
    return d.step(sp.log(2), r"$1 - \tfrac12 = \tfrac12$: $-[y + (1 - y)]\ln\tfrac12 = \ln 2$")


X = sp.symbols("x_1:4", real=True)  # the inputs of three training examples
Y = sp.symbols("y_1:4", real=True)  # their targets
CONSTANTS = sp.symbols("c_1:4", real=True)  # their constants of integration
w_1 = sp.Symbol("w", real=True)  # a one-input neuron: weight w, bias b
ACTIVATIONS = [named(f"a_{{{k + 1}}}", sigma(w_1 * X[k] + b)) for k in range(3)]
EXAMPLE_COSTS = [named(f"C_{{{k + 1}}}", -(Y[k] * sp.log(ACTIVATIONS[k])
                                           + (1 - Y[k]) * sp.log(1 - ACTIVATIONS[k])))
                 for k in range(3)]  # each example's cross-entropy


def average_gradient() -> Derivation:
    """(77) differentiated: the constants c_x drop out, ∂C/∂w = (1/n) Σ_x x (a − y)."""
    third = sp.Rational(1, 3)
    with sp.evaluate(False):  # keep the average as a third of a sum
        average = third * sp.Add(*(EXAMPLE_COSTS[k] + CONSTANTS[k] for k in range(3)))
        each = third * sp.Add(*(sp.Derivative(EXAMPLE_COSTS[k], w_1) for k in range(3)))
        gradient = third * sp.Add(*(X[k] * (ACTIVATIONS[k] - Y[k]) for k in range(3)))
    d = Derivation(sp.Derivative(average, w_1), lhs=r"\frac{\partial C}{\partial w}",
                   domains=dict.fromkeys(Y, INSIDE[y]), hints=[exponentials_as_symbols])
    d.step(each, "term by term; no $c_x$ depends on $w$")
    return d.step(gradient, "(71) for each example: the chapter's (61)")


REGULARISED = cross_entropy_of(sigma(z)) + lam / 2 * w[0] ** 2


def regularised_bias() -> Derivation:
    """The L2-regularised cost satisfies (72): the penalty does not involve b."""
    d = Derivation(sp.Derivative(REGULARISED, b), lhs=r"\frac{\partial C}{\partial b}",
                   domains={y: INSIDE[y]})
    return d.step(sigma(z) - y, "the cross-entropy's gradient ($w_1^2$ has no $b$): (72) holds")


def regularised_weight() -> Derivation:
    """The L2-regularised cost misses (71) by λw₁."""
    d = Derivation(sp.Derivative(REGULARISED, w[0]), lhs=r"\frac{\partial C}{\partial w_1}",
                   domains={y: INSIDE[y]})
    return d.step(x[0] * (sigma(z) - y) + lam * w[0], r"(71) plus the penalty's $\lambda w_1$")


BIAS_ANTIDERIVATIVE = Softplus(z) - y * b


def bias_integral() -> Derivation:
    """softplus(z) − yb has the bias gradient (72)."""
    d = Derivation(sp.Derivative(BIAS_ANTIDERIVATIVE, b), domains={y: INSIDE[y]})
    d.step(sigma(z) * sp.Derivative(z, b) - y, r"$\operatorname{softplus}' = \sigma$, chain rule")
    return d.step(sigma(z) - y, r"$\partial z/\partial b = 1$: equation (72)")


def weight_condition() -> Derivation:
    """(71) leaves ∂g/∂w₁ = −y x₁ (and likewise ∂g/∂w₂ = −y x₂)."""
    d = Derivation(x[0] * (sigma(z) - y) - sp.Derivative(BIAS_ANTIDERIVATIVE, w[0]),
                   lhs=r"\frac{\partial g}{\partial w_1}", domains={y: INSIDE[y]})
    d.step(x[0] * (sigma(z) - y) - x[0] * sigma(z), r"$\partial z/\partial w_1 = x_1$")
    return d.step(-y * x[0], "the terms in σ(z) cancel")


def cost_in_z() -> Derivation:
    """softplus(z) − yb − y(w₁x₁ + w₂x₂) = softplus(z) − yz: the cross-entropy of σ(z)."""
    d = Derivation(BIAS_ANTIDERIVATIVE - y * (w[0] * x[0] + w[1] * x[1]), lhs="C - c",
                   domains={y: INSIDE[y]})
    d.step(Softplus(z) - y * z, "$b + w_1x_1 + w_2x_2 = z$")
    d.step(y * (Softplus(z) - z) + (1 - y) * Softplus(z),
           r"split $\operatorname{softplus}(z)$ into $y$ and $1 - y$ parts")
    d.step(y * Softplus(-z) + (1 - y) * Softplus(z),
           r"$\ln(1 + e^{z}) - z = \ln(1 + e^{-z})$")
    return d.step(cross_entropy_of(sigma(z)), r"$-\ln\sigma(z) = \operatorname{softplus}(-z)$, "
                  r"$-\ln(1-\sigma(z)) = \operatorname{softplus}(z)$")
# --- end of exported cells (edit them in the notebook, then run `make export`)


DERIVATIONS = (chain_rule, demanded_slope, weight_gradient, partial_fractions, integral,
               value_at_one_half, average_gradient, regularised_bias, regularised_weight,
               bias_integral, weight_condition, cost_in_z)


# Numeric ----------------------------------------------------------------------------------
#: Activations k/4096, k = 1 … 4095: within 2.4e-4 of both ends of (0, 1).
GRID = np.arange(1, 4096) / 4096
#: Targets for the grid: the ends, binary fractions, and four random ones.
FIXED_TARGETS = np.array([0.0, 0.125, 0.25, 0.5, 0.75, 1.0])


def grid_targets(seed: int = 15) -> np.ndarray:
    """The ten targets of the grid checks: six fixed, four random inside (0, 1)."""
    random = np.random.default_rng(seed).uniform(0.01, 0.99, 4)
    return np.concatenate([FIXED_TARGETS, random])


def integral_checks() -> CheckReport:
    """(76) numerically: the quadrature of (75) from ½ is the cross-entropy minus ln 2, and
    from a₀ = y it is KL(y‖a), the cross-entropy minus H(y), on the whole grid."""
    targets = grid_targets()
    from_half = [cost_from_slope(GRID, np.full_like(GRID, y)) for y in targets]
    closed_form = [cross_entropy(GRID, np.full_like(GRID, y)) - np.log(2.0) for y in targets]
    inside = targets[(targets > 0) & (targets < 1)]
    from_y = [cost_from_slope(GRID, np.full_like(GRID, y), start=y) for y in inside]
    divergence = [kl_divergence(np.full_like(GRID, y), GRID) for y in inside]
    return CheckReport([
        check_values(np.concatenate(from_half), np.concatenate(closed_form), kind="absolute",
                     tol=1e-12, resolution=1e-13,
                     name=f"∫ from ½ to a of (75) against the cross-entropy − ln 2, "
                          f"{GRID.size} activations × {targets.size} targets"),
        check_values(np.concatenate(from_y), np.concatenate(divergence), kind="absolute",
                     tol=1e-12, resolution=1e-13,
                     name=f"∫ from y to a of (75) against KL(y‖a) = the cross-entropy − H(y), "
                          f"{inside.size} targets inside (0, 1)"),
    ])


def neurons(seed: int = 16, count: int = 40) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Random neurons with three inputs: (input x, parameters θ = (w, b), target y).

    The first ten have target 0 and the next ten target 1; |z| stays below about 13, so that
    a = σ(z) is not rounded to 0 or 1.
    """
    rng = np.random.default_rng(seed)
    targets = np.concatenate([np.zeros(10), np.ones(10), rng.uniform(0, 1, count - 20)])
    return [(rng.uniform(-2, 2, 3), np.append(rng.uniform(-2, 2, 3), rng.uniform(-1, 1)),
             float(y)) for y in targets]


def integrated_cost(theta: np.ndarray, x: np.ndarray, y: float) -> float:
    """The cost of one neuron taken as the numerical integral of (75) from ½ to a = σ(w·x + b)."""
    activation = sigmoid(theta[:-1] @ x + theta[-1])
    return float(cost_from_slope(activation, y))


def wanted_gradient(theta: np.ndarray, x: np.ndarray, y: float) -> np.ndarray:
    """(71) and (72): (x_j(a − y) for each weight, then a − y for the bias)."""
    error = sigmoid(theta[:-1] @ x + theta[-1]) - y
    return np.append(x * error, error)


def gradient_checks() -> CheckReport:
    """The integrated cost's gradient, by central differences, against (71) and (72)."""
    results = [check_gradient(lambda v, x=x, y=y: integrated_cost(v, x, y),
                              lambda v, x=x, y=y: wanted_gradient(v, x, y), theta,
                              name="one neuron", tol=1e-6, floor=1e-6)
               for x, theta, y in neurons()]
    return CheckReport([combine_checks(
        results, f"(71) and (72): central differences of the integrated cost, "
                 f"{len(results)} neurons with 3 inputs")])


def training_set(seed: int = 17, n: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """n examples with three inputs, and targets inside (0, 1) (a start a₀ = y must be)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(-2, 2, (n, 3)), rng.uniform(0.05, 0.95, n)


def average_cost(theta: np.ndarray, inputs: np.ndarray, targets: np.ndarray,
                 from_targets: bool) -> float:
    """(77): the average of the examples' integrated costs, each integrated from ½, or each
    from its own target (constant −H(y) per example)."""
    activations = sigmoid(inputs @ theta[:-1] + theta[-1])
    if not from_targets:
        return float(np.mean(cost_from_slope(activations, targets)))
    return float(np.mean([cost_from_slope(a, y, start=y) for a, y in zip(activations, targets,
                                                                          strict=True)]))


def average_gradient_of(theta: np.ndarray, inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The averages of (71) and (72) over the examples: the chapter's (61) and (62)."""
    errors = sigmoid(inputs @ theta[:-1] + theta[-1]) - targets
    return np.append(inputs.T @ errors, errors.sum()) / targets.size


def average_checks(seed: int = 18) -> CheckReport:
    """Two averages with different constants: the same gradient, (61)–(62), and a difference
    that is the same number at random parameters, the average of the constants."""
    inputs, targets = training_set()
    rng = np.random.default_rng(seed)
    thetas = rng.uniform(-1, 1, (5, 4))
    results = []
    for from_targets, label in ((False, "from ½"), (True, "from each y")):
        results.append(combine_checks(
            [check_gradient(lambda v, f=from_targets: average_cost(v, inputs, targets, f),
                            lambda v: average_gradient_of(v, inputs, targets), theta,
                            name=label, tol=1e-6, floor=1e-6, resolution=1e-7)
             for theta in thetas],
            f"(61) and (62): the averaged cost integrated {label}, {targets.size} examples, "
            f"{len(thetas)} parameter settings"))
    gaps = [average_cost(theta, inputs, targets, False) - average_cost(theta, inputs, targets, True)
            for theta in thetas]
    constant = float(np.mean(binary_entropy(targets)) - np.log(2.0))
    results.append(check_values(np.array(gaps), np.full(len(gaps), constant), kind="absolute",
                                tol=1e-12, resolution=1e-13,
                                name="(77): the two averages differ by (1/n) Σ H(y_x) − ln 2 "
                                     "at every parameter setting"))
    return CheckReport(results)


CHECKS = (integral_checks, gradient_checks, average_checks)


# The source's imprecision, for the errata page --------------------------------------------
def uniqueness_remark() -> Remark:
    """The sentence after (77): (71) and (72) fix the cost, while the derivation uses (72)
    and an unstated assumption."""
    return Remark(
        notebook="origin",
        where="book text · Where the cross-entropy comes from · the conclusion after (77)",
        source_says="equations (71) and (72) together determine the cross-entropy uniquely, "
                    "up to an overall constant.",
        what_holds=r"true, but the derivation (73)–(76) uses only (72), together with an "
                   r"assumption it does not state: that $C$ depends on $w$ and $b$ only through "
                   r"$a$. Under that assumption (71) follows from (72) and adds nothing. Without "
                   r"it, (72) alone is met by the cross-entropy plus any function of the weights, "
                   r"such as the L2-regularised $C_{\mathrm{CE}} + (\lambda/2) w_1^2$, whose "
                   r"$\partial C/\partial w_1$ misses (71) by $\lambda w_1$; (71) is what makes "
                   r"that function a constant. Integrating (72) in $b$ and then (71) in $w$ gives "
                   r"$\operatorname{softplus}(z) - yz + c$, the cross-entropy, with no assumption.",
        evidence=(regularised_bias(), regularised_weight(), weight_condition(), cost_in_z()),
    )


REMARKS = (uniqueness_remark,)
