"""Exercise 2: why y and a cannot change places in the cross-entropy.

The worked solution's lines, in order: (1) the right cost −[y ln a + (1 − y) ln(1 − a)];
(2) the swapped form −[a ln y + (1 − a) ln(1 − y)] is undefined at y ∈ {0, 1}; (3) those
targets occur; (4) the right form never meets ln 0 because 0 < σ(z) < 1 for every z.
Lines 1–3 are proved symbolically. Line 4 is true in exact arithmetic and false in
float64, where σ(z) is exactly 1.0 from z ≈ 36.74 on; the numeric checks show the
textbook formula returning inf there, and the form through z (softplus) staying finite.
:data:`EXERCISE` declares the slope ∂C/∂z = σ(z) − y once, for :func:`slope_from_z` and for
the notebook's "Your turn" box.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from nblib.numerics.activations import sigmoid
from nblib.numerics.costs import cross_entropy, cross_entropy_from_z
from nblib.numerics.floats import float_warnings
from nblib.numerics.neuron import first_float_where, swapped_cross_entropy, textbook_cross_entropy
from nblib.proof.derivation import Derivation, Remark
from nblib.proof.exercise import Exercise
from nblib.proof.notation import Softplus
from nblib.proof.rewrites import unit_interval_substitution
from nblib.proof.symbolic import sigma
from nblib.reports.checks import CheckReport, check_values, numerical_derivative
from nblib.reports.oracles import cross_entropy_reference
from nblib.reports.portable import error, number
from nblib.reports.table import Table

# Symbolic ---------------------------------------------------------------------------------


# --- begin cells exported from notebooks/02_ex2_cost_roles.ipynb
a, y, z = sp.symbols("a y z", real=True)
RIGHT = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
SWAPPED = -(a * sp.log(y) + (1 - a) * sp.log(1 - y))
#: a = 1/(1 + t_a) with t_a > 0: exactly the activations 0 < a < 1, in a form SymPy can use.
INSIDE = unit_interval_substitution([a])


def swapped_at_ends() -> list[sp.Expr]:
    """The swapped form at y = 0 and y = 1: SymPy's ln 0 is zoo (complex infinity)."""
    return [SWAPPED.subs(y, 0), SWAPPED.subs(y, 1)]


def swapped_limits() -> list[sp.Expr]:
    """Its limits as y → 0⁺ and y → 1⁻ for every 0 < a < 1: both +∞."""
    inside = SWAPPED.subs(INSIDE)
    return [sp.limit(inside, y, 0, "+"), sp.limit(inside, y, 1, "-")]


def right_at_ends() -> tuple[list[sp.Expr], list[bool | None]]:
    """The right form at y = 0 and y = 1, and whether SymPy finds it finite on 0 < a < 1."""
    ends = [RIGHT.subs(y, 0), RIGHT.subs(y, 1)]
    return ends, [end.subs(INSIDE).is_finite for end in ends]


def right_from_z() -> Derivation:
    """Claim 3: C(σ(z), y) = y softplus(−z) + (1 − y) softplus(z)."""
    d = Derivation(RIGHT.subs(a, sigma(z)), lhs=r"C(\sigma(z), y)", domains={y: (0, 1)},
                   reason="source, line 1, with $a = \\sigma(z)$")
    d.step(-(y * sp.log(1 / (1 + sp.exp(-z)))
             + (1 - y) * sp.log(sp.exp(-z) / (1 + sp.exp(-z)))),
           r"definition of σ, and $1 - \sigma(z) = e^{-z}/(1+e^{-z})$")
    d.step(y * sp.log(1 + sp.exp(-z)) + (1 - y) * (z + sp.log(1 + sp.exp(-z))),
           r"$\ln(1/u) = -\ln u$ and $\ln(e^{-z}/u) = -z - \ln u$")
    d.step(y * sp.log(1 + sp.exp(-z)) + (1 - y) * sp.log(1 + sp.exp(z)),
           r"$z + \ln(1+e^{-z}) = \ln(e^{z}+1)$")
    return d.step(y * Softplus(-z) + (1 - y) * Softplus(z), "definition of softplus")


def from_z_is_finite() -> bool | None:
    """SymPy's verdict on the finiteness of the softplus form for real z and y."""
    return right_from_z().result.doit().is_finite


def softplus_shift() -> Derivation:
    """softplus(z) = z + softplus(−z): the rewriting that never exponentiates a positive z."""
    d = Derivation(Softplus(z))
    d.step(sp.log(sp.exp(z) * (1 + sp.exp(-z))), r"factor out $e^{z}$")
    return d.step(z + Softplus(-z), r"$\ln e^{z} = z$; used for $z > 0$")


def slope_from_z() -> Derivation:
    """∂C/∂z = σ(z) − y, from softplus′ = σ.

    It starts and ends where :data:`EXERCISE` says, under its domains: the "Your turn"
    widget checks a learner's own lines against the very same declaration.
    """
    d = EXERCISE.derivation()
    d.step(-y * sigma(-z) + (1 - y) * sigma(z),
           r"$\operatorname{softplus}'(t) = \sigma(t)$, chain rule")
    d.step(-y * (1 - sigma(z)) + (1 - y) * sigma(z), r"$\sigma(-z) = 1 - \sigma(z)$ (exercise 1)")
    return d.step(EXERCISE.target, "multiply out")


# Claim 3's slope as an exercise: the learner's "Your turn" and the worked proof above share it.
EXERCISE = Exercise(
    id="ex2",
    statement="∂C/∂z = σ(z) − y",
    symbols={"z": z, "y": y},
    functions={"sigma": sigma, "softplus": Softplus, "exp": sp.exp, "log": sp.log,
               "ln": sp.log, "Derivative": sp.Derivative},
    start=sp.Derivative(y * Softplus(-z) + (1 - y) * Softplus(z), z),
    target=sigma(z) - y,
    lhs=r"\frac{\partial C}{\partial z}",
    domains={y: (0, 1)},  # targets in [0, 1]; z is sampled in (-3, 3), as every real symbol
    worked=slope_from_z,
)


def gap_exact() -> Derivation:
    """Source, line 4, in exact arithmetic: 1 − σ(z) = e^{−z}/(1 + e^{−z})."""
    return Derivation(1 - sigma(z)).step(sp.exp(-z) / (1 + sp.exp(-z)), "definition of σ")


def gap_is_positive() -> list[bool | None]:
    """SymPy's verdicts: σ(z) > 0 and 1 − σ(z) > 0 for every real z."""
    return [sigma(z).doit().is_positive, gap_exact().result.is_positive]


def swapped_slope() -> Derivation:
    """Claim 5: ∂C̃/∂a = ln((1 − y)/y), the same at every a, so C̃ is linear in a."""
    d = Derivation(sp.Derivative(SWAPPED, a), lhs=r"\frac{\partial \tilde C}{\partial a}",
                   domains={y: (0, 1)})
    d.step(-sp.log(y) + sp.log(1 - y), r"$\tilde C = -\ln(1-y) + a\,[\ln(1-y) - \ln y]$")
    return d.step(sp.log((1 - y) / y), r"$\ln u - \ln v = \ln(u/v)$ for $u, v > 0$")
# --- end of exported cells (edit them in the notebook, then run `make export`)


DERIVATIONS = (right_from_z, softplus_shift, slope_from_z, gap_exact, swapped_slope)


# Numeric ----------------------------------------------------------------------------------
def saturation_points() -> dict[str, float]:
    """Where float64 leaves the open interval: found by bisection over the floats."""
    z_one = first_float_where(lambda t: sigmoid(t) == 1.0, 0.0, 100.0)
    z_zero = float(np.nextafter(first_float_where(lambda t: sigmoid(t) > 0.0, -1000.0, 0.0),
                                -np.inf))
    return {"z_one": z_one, "just_below": float(np.nextafter(z_one, -np.inf)), "z_zero": z_zero}


def show_saturation() -> None:
    """Print the three points of :func:`saturation_points` with σ there (to 6 digits: the
    exact floats depend on the CPU's exp, and :func:`saturation_check` checks them exactly)."""
    p = saturation_points()
    print(f"smallest z with σ(z) == 1.0: {number(p['z_one'], 6)}   "
          f"(53 ln 2 = {number(53 * np.log(2), 6)})")
    print(f"the float just below it:     1 − σ(z) = {number(1.0 - sigmoid(p['just_below']))}"
          f" = 2⁻⁵²")
    print(f"largest z with σ(z) == 0.0:  {number(p['z_zero'], 6)}")


def saturation_check() -> CheckReport:
    """Source, line 4, in float64: σ(z) is exactly 1.0 (and exactly 0.0) at finite z."""
    p = saturation_points()
    after_zero = float(np.nextafter(p["z_zero"], np.inf))
    return CheckReport([
        check_values(sigmoid(p["z_one"]), 1.0, kind="absolute", tol=0.0,
                     name=f"claim 4: σ(z) == 1.0 exactly at z = {number(p['z_one'], 6)}…"),
        check_values(1.0 - sigmoid(p["just_below"]), 2.0**-52, kind="absolute", tol=0.0,
                     name="claim 4: one float earlier, 1 − σ(z) = 2⁻⁵² (σ jumps from 1 − 2⁻⁵² "
                          "to 1)"),
        check_values((p["z_one"] - 53 * np.log(2)) / np.spacing(p["z_one"]), 0.0, kind="ulps",
                     tol=4, name="claim 4: the jump sits at z = 53 ln 2, where e^{−z} = 2⁻⁵³"),
        check_values(sigmoid(p["z_zero"]), 0.0, kind="absolute", tol=0.0,
                     name=f"claim 4: σ(z) == 0.0 exactly at z = {number(p['z_zero'], 6)}…"),
        check_values(float(sigmoid(after_zero) > 0), 1.0, kind="absolute", tol=0.0,
                     name="claim 4: one float later, σ(z) > 0"),
    ])


#: Weighted inputs of a confidently wrong neuron (target 0), up to the float64 range.
BREAKDOWN_Z = np.array([30.0, 36.0, 53 * np.log(2), 40.0, 800.0, 1e300])


def breakdown_z() -> np.ndarray:
    """:data:`BREAKDOWN_Z` with its third entry replaced by the exact saturation point."""
    zs = BREAKDOWN_Z.copy()
    zs[2] = saturation_points()["z_one"]
    return zs


def show_textbook_breakdown(target: float) -> Table:
    """The textbook formula at a = σ(z) beside the form through z, and NumPy's warnings."""
    zs = breakdown_z()
    targets = np.full_like(zs, target)
    textbook, warnings = float_warnings(textbook_cross_entropy, sigmoid(zs), targets)
    rows = tuple((number(z_value, 6), number(raw, 6), number(stable, 6)) for z_value, raw, stable
                 in zip(zs, textbook, cross_entropy_from_z(zs, targets), strict=True))
    return Table(("z", "textbook", "from z"), rows, notes=(f"warnings: {warnings}",))


def breakdown_check() -> CheckReport:
    """The textbook formula returns inf (y = 0) and nan (y = 1) from z ≈ 36.74 on; the form
    through z is finite everywhere, and exact at z = ±1e300."""
    zs = breakdown_z()
    saturated = zs >= saturation_points()["z_one"]
    results = []
    for target, bad, kind in ((0.0, np.isinf, "inf"), (1.0, np.isnan, "nan")):
        targets = np.full_like(zs, target)
        textbook, _ = float_warnings(textbook_cross_entropy, sigmoid(zs), targets)
        results += [
            check_values(bad(textbook).astype(float), saturated.astype(float), kind="absolute",
                         tol=0.0, name=f"claim 4: y = {target:g}, the textbook formula is {kind} "
                                       "exactly where σ(z) == 1.0"),
            check_values(np.isfinite(cross_entropy_from_z(zs, targets)).astype(float),
                         np.ones_like(zs), kind="absolute", tol=0.0,
                         name=f"claim 4: y = {target:g}, the form through z is finite at every z, "
                              "1e300 included"),
        ]
    extremes = np.array([-1e300, -1e300, -1e300, 1e300, 1e300, 1e300])
    targets = np.array([0.0, 0.5, 1.0, 0.0, 0.5, 1.0])
    # Exact values: softplus(±z) is |z| or 0 at |z| = 1e300, so the cost is (1 − y)·1e300
    # at z = 1e300 and y·1e300 at z = −1e300.
    expected = np.where(extremes > 0, (1 - targets) * 1e300, targets * 1e300)
    results.append(check_values(cross_entropy_from_z(extremes, targets), expected, tol=0.0,
                                name="claim 3: at z = ±1e300 the form through z is exact, "
                                     "y ∈ {0, ½, 1}"))
    return CheckReport(results)


def refusal() -> str:
    """The message with which nblib.cross_entropy refuses an activation rounded to 1.0."""
    try:
        cross_entropy(sigmoid(40.0), 0.0)
    except ValueError as error:
        return str(error)
    raise AssertionError("cross_entropy accepted a = 1.0")  # pragma: no cover


PROBE_Z = np.array([5.0, 10.0, 20.0, 30.0, 35.0, 36.5])


def show_accuracy() -> Table:
    """The relative error of both forms against mpmath (y = 0) as σ(z) nears 1."""
    zeros = np.zeros_like(PROBE_Z)
    reference = cross_entropy_reference(PROBE_Z, zeros)
    textbook = np.abs(cross_entropy(sigmoid(PROBE_Z), zeros) - reference) / reference
    stable = np.abs(cross_entropy_from_z(PROBE_Z, zeros) - reference) / reference
    rows = tuple((f"{z_value:.1f}", error(e1, 1e-13), error(e2, 1e-13))
                 for z_value, e1, e2 in zip(PROBE_Z, textbook, stable, strict=True))
    return Table(("z", "textbook relative error", "from z"), rows)


def check_points(seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Random z and y, targets exactly 0 and 1, and |z| up to 1e300."""
    rng = np.random.default_rng(seed)
    z_one = saturation_points()["z_one"]
    zs = np.concatenate([rng.normal(0, 8, 300), np.linspace(-745, 745, 61),
                         [-1e300, -1e3, -z_one, 0.0, z_one, 1e3, 1e300]])
    ys = rng.uniform(0, 1, zs.size)
    ys[::4], ys[1::4] = 0.0, 1.0  # a quarter of the targets at each end
    return zs, ys


def claim_checks() -> CheckReport:
    """Claim 3 in float64: against mpmath everywhere, against the textbook form where that is
    still accurate, and the slope σ(z) − y against central differences."""
    zs, ys = check_points()
    moderate = np.abs(zs) <= 10
    slope = numerical_derivative(lambda t: cross_entropy_from_z(t, ys), zs)
    return CheckReport([
        check_values(cross_entropy_from_z(zs, ys), cross_entropy_reference(zs, ys), tol=1e-14,
                     resolution=1e-15,
                     name="claim 3: softplus form against 40-digit mpmath, |z| up to 1e300"),
        check_values(cross_entropy(sigmoid(zs[moderate]), ys[moderate]),
                     cross_entropy_from_z(zs[moderate], ys[moderate]), tol=1e-11,
                     name="claim 3: textbook form against softplus form, |z| ≤ 10"),
        check_values(sigmoid(zs) - ys, slope, kind="absolute", tol=1e-6,
                     resolution=1e-9, name="claim 3: ∂C/∂z = σ(z) − y against central differences"),
    ])


ACTIVATIONS = np.linspace(0.01, 0.99, 99)


def swapped_warnings() -> Table:
    """NumPy's warnings for the swapped form typed as printed, at y = 0, 1 and ½."""
    return Table(("target", "NumPy's warnings"), tuple(
        (f"y = {target:g}", str(float_warnings(textbook_cross_entropy,
                                               np.full_like(ACTIVATIONS, target), ACTIVATIONS)[1]))
        for target in (0.0, 1.0, 0.5)), align="ll")


def swapped_check() -> CheckReport:
    """Claim 1 in float64: the swapped form is infinite at every activation when y ∈ {0, 1},
    finite when y = ½; the formula as printed and nblib's quiet version agree."""
    results = []
    for target in (0.0, 1.0, 0.5):
        targets = np.full_like(ACTIVATIONS, target)
        printed, _ = float_warnings(textbook_cross_entropy, targets, ACTIVATIONS)
        quiet = swapped_cross_entropy(ACTIVATIONS, targets)
        expected = 1.0 if target in (0.0, 1.0) else 0.0
        verdict = "infinite" if expected else "finite"
        results += [
            check_values(np.isinf(quiet).astype(float), np.full_like(ACTIVATIONS, expected),
                         kind="absolute", tol=0.0,
                         name=f"claim 1: y = {target:g}, swapped form {verdict} at all 99 "
                              "activations"),
            check_values(np.isinf(printed).astype(float), np.isinf(quiet).astype(float),
                         kind="absolute", tol=0.0,
                         name=f"claim 1: y = {target:g}, as printed and nblib's version agree"),
        ]
    return CheckReport(results)


# Claim 5 on a grid: activations j/1024 and targets k/16, all exact in binary.
MINIMISER_GRID = np.arange(1025) / 1024
MINIMISER_TARGETS = np.array([k / 16 for k in range(1, 16) if k != 8])


def minimisers(target: float) -> tuple[float, float]:
    """Where the swapped and the right form are smallest on the grid, for one target."""
    inside = MINIMISER_GRID[1:-1]  # the right form needs 0 < a < 1
    swapped = swapped_cross_entropy(MINIMISER_GRID, np.full_like(MINIMISER_GRID, target))
    right = cross_entropy(inside, np.full_like(inside, target))
    return float(MINIMISER_GRID[np.argmin(swapped)]), float(inside[np.argmin(right)])


def show_minimisers() -> Table:
    """Claim 5 for a few targets: where each form is smallest among 1025 activations."""
    rows = []
    for target in (1 / 8, 1 / 4, 3 / 8, 5 / 8, 3 / 4, 7 / 8):
        swapped_at, right_at = minimisers(target)
        rows.append((f"{target:g}", f"{swapped_at:g}", f"{right_at:g}"))
    return Table(("target y", "swapped form smallest at a =", "right form smallest at a ="),
                 tuple(rows))


def minimiser_check() -> CheckReport:
    """Claim 5: for each target k/16 ≠ ½, the swapped form is smallest at an end (0 below ½,
    1 above) and the right form exactly at a = y, on the grid a = j/1024."""
    found = np.array([minimisers(t) for t in MINIMISER_TARGETS])
    ends = np.where(MINIMISER_TARGETS < 0.5, 0.0, 1.0)
    return CheckReport([
        check_values(found[:, 0], ends, kind="absolute", tol=0.0,
                     name="claim 5: the swapped form is smallest at a = 0 for y < ½ and at "
                          "a = 1 for y > ½, y = k/16"),
        check_values(found[:, 1], MINIMISER_TARGETS, kind="absolute", tol=0.0,
                     name="claim 5: the right form is smallest at a = y, y = k/16"),
    ])


CHECKS = (saturation_check, breakdown_check, claim_checks, swapped_check, minimiser_check)


# The source's imprecision, for the errata page --------------------------------------------
def float64_remark() -> Remark:
    """Source, line 4: "0 < σ(z) < 1 for every z" holds for real numbers, not in float64."""
    return Remark(
        notebook="ex2",
        where="chapter 3 · Exercise 2 · source, line 4",
        source_says=r"the right cost never meets $\ln 0$, because a sigmoid output $a = \sigma(z)$ "
                    r"lies strictly between 0 and 1 whatever $z$ is.",
        what_holds=r"true in exact arithmetic ($1 - \sigma(z) = e^{-z}/(1 + e^{-z}) > 0$), false "
                   r"in float64: $\sigma(z)$ is exactly 1.0 for $z \ge 36.7368\ldots$ "
                   r"($\approx 53 \ln 2$) and exactly 0.0 for $z \le -745.13\ldots$, where the "
                   r"cost typed as printed returns inf (or nan, $0 \cdot \ln 0$, for a right "
                   r"answer). Computing it from $z$, "
                   r"$y \cdot \operatorname{softplus}(-z) + (1 - y) \cdot "
                   r"\operatorname{softplus}(z)$, is finite for every finite $z$.",
        evidence=(gap_exact(), saturation_check(), breakdown_check()),
        float64=True,
    )


REMARKS = (float64_remark,)
