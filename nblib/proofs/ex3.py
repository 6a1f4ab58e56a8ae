"""Exercise 3: for 0 < y < 1 the cross-entropy C(a) is smallest at a = y.

Follows the worked solution line by line: (1) C′(a) = −y/a + (1 − y)/(1 − a); (2)–(4) the
chain C′(a) = 0 ⇔ y/a = (1 − y)/(1 − a) ⇔ y − ay = a − ay ⇔ a = y, each "⇔" checked as an
identity L₂ − R₂ = f (L₁ − R₁) with f ≠ 0 on the domain; (5) C″(a) = y/a² + (1 − y)/(1 − a)².
The source then concludes (line 6) "C″ ≥ 0": true but imprecise, since C″ > 0 holds
strictly on 0 < a < 1 (for 0 ≤ y ≤ 1), which :func:`second_positive` shows. Beyond the source: the
minimum value is the binary entropy H(y), and C(a) − H(y) is the KL divergence, ≥ 0 with
equality only at a = y. :data:`EXERCISE` declares claim 1 (start, target, symbols, domains)
once, for :func:`first_derivative` and for the notebook's "Your turn" box.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from nblib.numerics.costs import binary_entropy, cross_entropy
from nblib.numerics.neuron import (
    cost_prime,
    cost_second,
    cross_entropy_argmin,
    cross_entropy_grid,
    kl_divergence,
)
from nblib.proof.claims import Equivalence, Positivity
from nblib.proof.derivation import Derivation
from nblib.proof.exercise import Exercise
from nblib.reports.checks import CheckReport, check_values, numerical_derivative
from nblib.reports.portable import fixed, scientific

# Symbolic ---------------------------------------------------------------------------------


# --- begin cells exported from notebooks/03_ex3_minimum_at_y.ipynb
a, y = sp.symbols("a y", real=True)
u = sp.Symbol("u", positive=True)
#: Where the numeric spot checks of the derivations sample a and y.
INSIDE = {a: (0.02, 0.98), y: (0.02, 0.98)}
C = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
H = -(y * sp.log(y) + (1 - y) * sp.log(1 - y))
C_PRIME = -y / a + (1 - y) / (1 - a)  # source, line 1
C_SECOND = y / a**2 + (1 - y) / (1 - a) ** 2  # source, line 5


def _source_lines() -> tuple[tuple[sp.Expr, sp.Expr], ...]:
    """The four equations of the source's chain of equivalences, as (lhs, rhs) pairs."""
    with sp.evaluate(False):  # keep the source's lines as written
        line_2 = (y / a, (1 - y) / (1 - a))
        line_3 = (y - a * y, a - a * y)
    return (C_PRIME, sp.S.Zero), line_2, line_3, (a, y)


def first_derivative() -> Derivation:
    """Claim 1: C′(a), as in the source, then over a common denominator.

    It starts and ends where :data:`EXERCISE` says, under its domains: the "Your turn"
    widget checks a learner's own lines against the very same declaration.
    """
    d = EXERCISE.derivation()
    d.step(C_PRIME, r"$(\ln a)' = 1/a$, $(\ln(1-a))' = -1/(1-a)$ (source, line 1)")
    return d.step(EXERCISE.target, "common denominator")


# Claim 1 as an exercise: the learner's "Your turn" and the worked proof above share it.
EXERCISE = Exercise(
    id="ex3",
    statement="C′(a) = (a − y)/(a(1 − a))",
    symbols={"a": a, "y": y},
    functions={"log": sp.log, "ln": sp.log, "exp": sp.exp, "Derivative": sp.Derivative},
    start=sp.Derivative(C, a),
    target=(a - y) / (a * (1 - a)),
    lhs="C'(a)",
    domains=INSIDE,  # 0 < a, y < 1, kept away from the ends where ln and 1/a blow up
    worked=first_derivative,
)


def first_equivalence() -> Equivalence:
    """Source, line 2: C′(a) = 0 ⇔ y/a = (1 − y)/(1 − a)."""
    line_1, line_2, _, _ = _source_lines()
    return Equivalence(line_1, line_2, -1, reason="move $y/a$ to the other side",
                       domains=INSIDE)


def second_equivalence() -> Equivalence:
    """Source, line 3: y/a = (1 − y)/(1 − a) ⇔ y − ay = a − ay (multiply by a(1 − a) > 0)."""
    _, line_2, line_3, _ = _source_lines()
    return Equivalence(line_2, line_3, a * (1 - a), reason="multiply both sides by $a(1-a)$",
                       unit_symbols=[a], domains=INSIDE)


def third_equivalence() -> Equivalence:
    """Source, line 4: y − ay = a − ay ⇔ a = y."""
    _, _, line_3, line_4 = _source_lines()
    return Equivalence(line_3, line_4, -1, reason="add $ay$ to both sides", domains=INSIDE)


def denominator_positive() -> Positivity:
    """a(1 − a) > 0 on 0 < a < 1: C′ has the sign of a − y."""
    return Positivity(a * (1 - a), [a], lhs="a(1-a)")


def second_derivative() -> Derivation:
    """C″(a), differentiating the source's C′ (source, line 5)."""
    d = Derivation(sp.Derivative(C, (a, 2)), lhs="C''(a)", domains=INSIDE)
    d.step(sp.Derivative(C_PRIME, a), "differentiate the source's $C'(a)$")
    return d.step(C_SECOND, "source, line 5")


def second_positive() -> Positivity:
    """Claim 2, more than the source's "C″ ≥ 0" (line 6): C″ > 0 for all 0 < a, y < 1."""
    return Positivity(C_SECOND, [a, y], lhs="C''(a)")


def second_at_ends() -> list[tuple[sp.Expr, bool]]:
    """C″ at the excluded targets y = 0 and y = 1, and that it is still positive there."""
    return [(C_SECOND.subs(y, end), Positivity(C_SECOND.subs(y, end), [a]).holds)
            for end in (0, 1)]


def minimum_value() -> sp.Expr:
    """Claim 3: C(y), the cost at its minimiser; by definition the binary entropy H(y)."""
    return C.subs(a, y)


def kl_identity() -> Derivation:
    """Claim 4: C(a) − H(y) = y ln(y/a) + (1 − y) ln((1 − y)/(1 − a)) = KL(y‖a)."""
    d = Derivation(C - H, lhs="C(a) - H(y)", domains=INSIDE)
    d.step(y * (sp.log(y) - sp.log(a)) + (1 - y) * (sp.log(1 - y) - sp.log(1 - a)),
           "collect the terms in $y$ and in $1 - y$")
    return d.step(y * sp.log(y / a) + (1 - y) * sp.log((1 - y) / (1 - a)),
                  r"$\ln u - \ln v = \ln(u/v)$: this is $\mathrm{KL}(y \| a)$")


def log_bound_slope() -> Derivation:
    """g(u) = u − 1 − ln u has g′(u) = (u − 1)/u: g ≥ 0 with equality only at u = 1."""
    d = Derivation(sp.Derivative(u - 1 - sp.log(u), u), lhs="g'(u)")
    d.step(1 - 1 / u, r"$(\ln u)' = 1/u$")
    return d.step((u - 1) / u, "common denominator: negative for $u < 1$, positive for $u > 1$")


def gibbs_bound() -> Derivation:
    """The bound ln u ≤ u − 1 applied to −KL gives a right-hand side that is exactly 0."""
    with sp.evaluate(False):
        bound = y * (a / y - 1) + (1 - y) * ((1 - a) / (1 - y) - 1)
        multiplied_out = (a - y) + ((1 - a) - (1 - y))
    d = Derivation(bound, domains=INSIDE)
    d.step(multiplied_out, "multiply out")
    return d.step(0, "the terms cancel")
# --- end of exported cells (edit them in the notebook, then run `make export`)


DERIVATIONS = (first_derivative, first_equivalence, second_equivalence, third_equivalence,
               denominator_positive, second_derivative, second_positive,
               kl_identity, log_bound_slope, gibbs_bound)


# Numeric ----------------------------------------------------------------------------------
#: Activations k/4096, k = 1 … 4095: within 2.4e-4 of both ends of (0, 1).
GRID = np.arange(1, 4096) / 4096
#: Targets that are grid points.
ON_GRID = np.arange(1, 128) / 128


def off_grid_targets(seed: int = 3) -> np.ndarray:
    """200 random targets between grid points."""
    return np.random.default_rng(seed).uniform(0.001, 0.999, 200)


def grid_checks() -> CheckReport:
    """The minimum on the grid: at a = y exactly for grid targets, within a spacing for the
    others, with value H(y); at the excluded targets y ∈ {0, 1} it runs to the grid's end."""
    off = off_grid_targets()
    costs = cross_entropy_grid(ON_GRID, GRID)
    return CheckReport([
        check_values(cross_entropy_argmin(ON_GRID, GRID), ON_GRID, kind="absolute", tol=0.0,
                     name="claim 1: grid argmin is exactly a = y (127 grid targets)"),
        check_values(cross_entropy_argmin(off, GRID), off, kind="absolute", tol=1 / 4096,
                     name="claim 1: grid argmin within one spacing of y (200 random targets)"),
        check_values(costs.min(axis=1), binary_entropy(ON_GRID), tol=1e-15,
                     name="claim 3: grid minimum against H(y)"),
        check_values(cross_entropy_argmin(np.array([0.0, 1.0]), GRID), GRID[[0, -1]],
                     kind="absolute", tol=0.0,
                     name="y = 0 and y = 1: no interior minimum, the argmin is a grid end"),
    ])


def second_differences() -> np.ndarray:
    """C(a_{k−1}) − 2C(a_k) + C(a_{k+1}) on the grid, for grid, random and end targets."""
    targets = np.concatenate([ON_GRID, off_grid_targets(), [0.0, 1.0]])
    return np.diff(cross_entropy_grid(targets, GRID), n=2, axis=1)


def convexity_checks() -> CheckReport:
    """Claim 2 on the grid: every second difference is positive, and divided by h² they
    approach C″ away from the edges (where the O(h²) truncation is small)."""
    diffs = second_differences()
    middle = (GRID[1:-1] >= 1 / 16) & (GRID[1:-1] <= 15 / 16)
    curvature = diffs[:ON_GRID.size, middle] * 4096**2
    shape = curvature.shape
    exact = cost_second(np.broadcast_to(GRID[1:-1][middle], shape),
                        np.broadcast_to(ON_GRID[:, None], shape))
    return CheckReport([
        check_values(float((diffs <= 0).sum()), 0.0, kind="absolute", tol=0.0,
                     name=f"claim 2: all {diffs.size} second differences are positive "
                          f"(smallest {scientific(diffs.min())})"),
        check_values(curvature, exact, tol=1e-4,
                     name="claim 2: C″ against second differences of the grid, 1/16 ≤ a ≤ 15/16"),
    ])


def sample_points(seed: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Random (a, y) and the edges a = 1e-3, 1 − 1e-3 with y = 0 and y = 1."""
    rng = np.random.default_rng(seed)
    points = np.concatenate([rng.uniform(0.001, 0.999, 400), [1e-3, 1 - 1e-3, 1e-3, 1 - 1e-3]])
    targets = np.concatenate([rng.uniform(0, 1, 400), [0.0, 0.0, 1.0, 1.0]])
    return points, targets


def derivative_checks() -> CheckReport:
    """Claims 1 and 2 against central differences, and C″ > 0 at every test point.

    Where C′ nearly vanishes (a ≈ y) its error is measured in absolute terms below 1e-2
    (``floor``): the difference quotient carries rounding noise of about 1e-9. For C″ the
    step is 1e-7, since near a = 1e-3 the default step's truncation error would dominate.
    """
    points, targets = sample_points()
    slope = numerical_derivative(lambda t: cross_entropy(t, targets), points)
    curvature = numerical_derivative(lambda t: cost_prime(t, targets), points, h=1e-7)
    second = cost_second(points, targets)
    return CheckReport([
        check_values(cost_prime(points, targets), slope, tol=1e-6, floor=1e-2,
                     name="claim 1: C′ = (a − y)/(a(1 − a)) against central differences"),
        check_values(second, curvature, tol=1e-6,
                     resolution=1e-7,
                     name="claim 2: C″ = y/a² + (1 − y)/(1 − a)² against central differences"),
        check_values(float((second <= 0).sum()), 0.0, kind="absolute", tol=0.0,
                     name=f"claim 2: C″ > 0 at all {points.size} test points, edges and "
                          f"y ∈ {{0, 1}} included (smallest {fixed(second.min(), 4)})"),
    ])


def kl_checks() -> CheckReport:
    """Claim 4 on the grid: C(a) − H(y) = KL(y‖a) (absolute: both sides are differences of
    nearly equal numbers near a = y), KL ≥ 0, and KL = 0 exactly once per row, at a = y."""
    costs = cross_entropy_grid(ON_GRID, GRID)
    shape = costs.shape
    divergence = kl_divergence(np.broadcast_to(ON_GRID[:, None], shape),
                               np.broadcast_to(GRID, shape))
    zeros = divergence == 0
    return CheckReport([
        check_values(costs - binary_entropy(ON_GRID)[:, None], divergence, kind="absolute",
                     tol=1e-14, name="claim 4: C(a) − H(y) against KL(y‖a)"),
        check_values(float((divergence < 0).sum()), 0.0, kind="absolute", tol=0.0,
                     name="claim 4: KL(y‖a) ≥ 0 at every grid point"),
        check_values(zeros.sum(axis=1).astype(float), np.ones(ON_GRID.size), kind="absolute",
                     tol=0.0, name="claim 4: KL = 0 at exactly one grid point per target"),
        check_values(GRID[np.argmax(zeros, axis=1)], ON_GRID, kind="absolute", tol=0.0,
                     name="claim 4: that point is a = y"),
    ])


CHECKS = (grid_checks, convexity_checks, derivative_checks, kl_checks)
