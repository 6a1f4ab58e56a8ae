"""Exercise 1: σ′(z) = σ(z)(1 − σ(z)), with σ″, the symmetry of σ and the peak of σ′.

The first derivation follows the worked solution: it differentiates (1 + e^{−z})^{−1} and
then reads the expansion of σ(1 − σ) backwards, so the two halves meet in one chain.
:data:`EXERCISE` declares claim 1 once (symbols, start, target, domains) for that chain and
for the notebook's "Your turn" box, which checks a learner's own lines the same way.

The derivations are written in the notebook's cells marked ``#| export``; the block between
the marker lines below is a verbatim copy made by ``make export``. The numeric checks after
it are this module's own.
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from nblib.numerics.activations import sigmoid, sigmoid_prime
from nblib.numerics.floats import float_warnings
from nblib.proof.derivation import Derivation
from nblib.proof.exercise import Exercise
from nblib.proof.symbolic import sigma
from nblib.reports.checks import CheckReport, check_values, numerical_derivative
from nblib.reports.table import Table

# --- begin cells exported from notebooks/01_ex1_sigmoid_prime.ipynb
z = sp.symbols("z", real=True)
DENOMINATOR = 1 + sp.exp(-z)


def first_derivative() -> Derivation:
    """Claim 1, σ′ = σ(1 − σ), along the worked solution's lines.

    It starts and ends where :data:`EXERCISE` says, under its domains: the "Your turn"
    widget checks a learner's own lines against the very same declaration.
    """
    with sp.evaluate(False):  # keep the source's lines as written, e.g. "1 + e^{-z} - 1"
        split = (1 / DENOMINATOR) * (sp.exp(-z) / DENOMINATOR)
        plus_minus_one = (1 / DENOMINATOR) * ((DENOMINATOR - 1) / DENOMINATOR)
    d = EXERCISE.derivation()
    d.step(sp.Derivative(DENOMINATOR**-1, z), r"$\sigma(z) = (1+e^{-z})^{-1}$")
    d.step(sp.exp(-z) * DENOMINATOR**-2, r"power rule; the denominator's derivative is $-e^{-z}$")
    d.step(split, "split the square")
    d.step(plus_minus_one, "add and subtract 1 in the numerator")
    d.step((1 / DENOMINATOR) * (1 - 1 / DENOMINATOR), "separate the fraction")
    return d.step(EXERCISE.target, "definition of σ")


# Claim 1 as an exercise: the learner's "Your turn" and the worked proof above share it.
EXERCISE = Exercise(
    id="ex1",
    statement="σ′(z) = σ(z)(1 − σ(z))",
    symbols={"z": z},
    functions={"sigma": sigma, "exp": sp.exp, "log": sp.log, "Derivative": sp.Derivative},
    start=sp.Derivative(sigma(z), z),
    target=sigma(z) * (1 - sigma(z)),
    lhs=r"\sigma'(z)",
    reason="definition of σ′",
    domains={z: (-3.0, 3.0)},  # the default for a real symbol, stated where the learner sees it
    worked=first_derivative,
)


def second_derivative() -> Derivation:
    """Claim 2, σ″ = σ(1 − σ)(1 − 2σ), by the product rule and claim 1."""
    d = Derivation(sp.Derivative(sigma(z), (z, 2)), lhs=r"\sigma''(z)")
    d.step(sp.Derivative(sigma(z) * (1 - sigma(z)), z), "claim 1")
    d.step(sp.Derivative(sigma(z), z) * (1 - sigma(z)) - sigma(z) * sp.Derivative(sigma(z), z),
           "product rule")
    d.step(sigma(z) * (1 - sigma(z)) ** 2 - sigma(z) ** 2 * (1 - sigma(z)), "claim 1, twice")
    return d.step(sigma(z) * (1 - sigma(z)) * (1 - 2 * sigma(z)), "factor out σ(1 − σ)")


def symmetry() -> Derivation:
    """Claim 3, σ(−z) = 1 − σ(z)."""
    with sp.evaluate(False):
        rewritten = (DENOMINATOR - 1) / DENOMINATOR
    d = Derivation(sigma(-z), lhs=r"\sigma(-z)")
    d.step(1 / (1 + sp.exp(z)), "definition of σ")
    d.step(sp.exp(-z) / (sp.exp(-z) + 1), r"multiply above and below by $e^{-z}$")
    d.step(rewritten, "add and subtract 1 in the numerator")
    return d.step(1 - sigma(z), "definition of σ")


def peak() -> Derivation:
    """Claim 4: σ′ = ¼ − (σ − ½)², so σ′ ≤ ¼ with equality exactly where σ = ½."""
    d = Derivation(sigma(z) * (1 - sigma(z)), lhs=r"\sigma'(z)")
    return d.step(sp.Rational(1, 4) - (sigma(z) - sp.Rational(1, 2)) ** 2, "complete the square")


def at_zero() -> Derivation:
    """σ(0) = ½: the one point where σ′ reaches ¼."""
    return Derivation(sigma(0), lhs=r"\sigma(0)").step(sp.Rational(1, 2), "$e^0 = 1$")


def critical_points() -> list[sp.Expr]:
    """The zeros of σ″ that SymPy finds: where σ′ can peak."""
    return sp.solve(second_derivative().result.doit(), z)
# --- end of exported cells (edit them in the notebook, then run `make export`)


DERIVATIONS = (first_derivative, second_derivative, symmetry, peak, at_zero)

# Numeric checks ----------------------------------------------------------------------
EXTREMES = np.array([-1e300, -1000.0, -745.0, -37.0, 0.0, 37.0, 745.0, 1000.0, 1e300])


def overflow_warnings() -> Table:
    """NumPy's warnings for the textbook σ and for nblib's σ and σ′ at extreme z."""
    formulas = (("textbook 1/(1 + exp(-z))", lambda v: 1 / (1 + np.exp(-v))),
                ("nblib sigmoid", sigmoid), ("nblib sigmoid_prime", sigmoid_prime))
    return Table(("formula", "NumPy's warnings"), tuple(
        (name, str(float_warnings(f, EXTREMES)[1])) for name, f in formulas), align="ll")


def check_grid(seed: int = 2024) -> np.ndarray:
    """|z| up to 1000 (well past e^z's overflow at 709.8), random points and near-saturation."""
    rng = np.random.default_rng(seed)
    return np.concatenate([np.linspace(-1000, 1000, 4001), rng.normal(0, 6, 2000),
                           [0.0, 36.5, -36.5]])


def claim_checks(grid: np.ndarray | None = None) -> CheckReport:
    """Claims 1–3 in float64: central differences, a 40-digit oracle, the symmetry.

    Differences are compared in absolute terms: near saturation σ′ and the difference
    quotient are both far below the rounding unit of σ ≈ 1, so a relative error would
    measure rounding, not the formula. The mpmath oracle gives the relative check over the
    range where float64 numbers are normal.
    """
    grid = check_grid() if grid is None else grid
    s = sigmoid(grid)
    normal = grid[np.abs(grid) < 700]
    with mpmath.workdps(40):
        oracle = np.array([float(mpmath.exp(-t) / (1 + mpmath.exp(-t)) ** 2) for t in normal])
    return CheckReport([
        check_values(sigmoid_prime(grid), numerical_derivative(sigmoid, grid), kind="absolute",
                     tol=1e-9, name="claim 1: σ′ against central differences of σ"),
        check_values(sigmoid_prime(normal), oracle, kind="relative", tol=1e-13,
                     resolution=1e-14, name="claim 1: σ′ against 40-digit mpmath"),
        check_values(s * (1 - s) * (1 - 2 * s), numerical_derivative(sigmoid_prime, grid),
                     kind="absolute", tol=1e-8,
                     resolution=1e-9,
                     name="claim 2: σ(1 − σ)(1 − 2σ) against central differences of σ′"),
        # Measured in ulps of 1 (2⁻⁵²); dividing by a power of two is exact.
        check_values((sigmoid(-grid) - (1 - s)) / 2**-52, np.zeros_like(s), kind="ulps", tol=2,
                     name="claim 3: σ(−z) against 1 − σ(z), in ulps of 1"),
    ])


def peak_check() -> CheckReport:
    """Claim 4 on a fine grid: the largest σ′ is exactly ¼, at exactly z = 0, and σ′
    rises strictly before it and falls strictly after it."""
    fine = np.linspace(-10, 10, 20001)
    slopes = sigmoid_prime(fine)
    at = fine[slopes.argmax()]
    # Worst violation of "strictly rising before 0, strictly falling after": 0 if none.
    violation = max(0.0, -np.diff(slopes[fine <= 0]).min(), np.diff(slopes[fine >= 0]).max())
    return CheckReport([
        check_values(slopes.max(), 0.25, kind="absolute", tol=0.0,
                     name="claim 4: largest σ′ on a grid of 20001 points is ¼"),
        check_values(at, 0.0, kind="absolute", tol=0.0, name="claim 4: it sits at z = 0"),
        check_values(violation, 0.0, kind="absolute", tol=0.0,
                     name="claim 4: σ′ strictly rises before z = 0 and falls after"),
    ])


CHECKS = (claim_checks, peak_check)
