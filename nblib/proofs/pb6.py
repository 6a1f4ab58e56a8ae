"""Problem 6: the name "softmax". a_j = e^{c z_j}/Σ_k e^{c z_k} for a real factor c.

The source treats c > 0 only. It notes a_j ≥ 0 (in fact a_j > 0 for every real c; only
float64 can round a_j to 0) and Σ_j a_j = 1 (:func:`sum_general`, and written out for
n = 2 … 5 in :data:`WRITTEN_OUT`), then rewrites a_j = 1/(1 + Σ_{k≠j} e^{c(z_k − z_j)})
(:func:`rewrite`) and argues term by term: a term with z_k > z_j grows without bound, so a_j → 0
(:func:`nonmax_bound`); if z_j is one of m maximal inputs the sum tends to m − 1 and
a_j → 1/m (:func:`tie_limit`; the source calls this count n, which is also the number of
neurons). Every line of it holds. Added here: c → 0 gives the uniform distribution
(:func:`uniform_limit`), c → −∞ the minimal inputs (:func:`reflection`), and how a and its
entropy move with c (:func:`logit_slope`, :func:`entropy_slope`). :data:`EXERCISE` declares
claim 5's da_1/dc once, for :func:`logit_slope` and for the notebook's "Your turn" box.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from nblib.numerics.activations import softmax
from nblib.numerics.floats import float_warnings
from nblib.numerics.jacobians import ulps_from_one
from nblib.numerics.layer import entropy, softmax_limit
from nblib.proof.derivation import Derivation, Remark
from nblib.proof.exercise import Exercise
from nblib.proof.notation import named, named_symbol
from nblib.proof.rewrites import same_summation_index
from nblib.proof.symbolic import softmax_layer, symbols_vector
from nblib.reports.checks import (
    CheckReport,
    CheckResult,
    check_gradient,
    check_jacobian,
    check_values,
)
from nblib.reports.portable import scientific, vector
from nblib.reports.table import Table

# --- begin cells exported from notebooks/12_pb6_softmax_temperature.ipynb
c = sp.Symbol("c", real=True)
n = sp.Symbol("n", integer=True, positive=True)
j, k = sp.symbols("j k", integer=True, positive=True)
zi = sp.IndexedBase("z", real=True)
z4 = symbols_vector("z", 4)


def positivity() -> None:
    """Print, for n = 2 … 5, whether SymPy knows every a_j to be strictly positive."""
    lines = []
    for size in range(2, 6):
        layer = softmax_layer(symbols_vector("z", size), c)
        lines.append(f"n = {size}: every a_j > 0 for all real c and z: "
                     f"{all(a_j.is_positive for a_j in layer)}")
    print("\n".join(lines))


def sum_general() -> Derivation:
    """Σ_j a_j = 1 for n neurons and every real c (the source's second bullet)."""
    total = sp.Sum(sp.exp(c * zi[k]), (k, 1, n))
    d = Derivation(sp.Sum(sp.exp(c * zi[j]) / total, (j, 1, n)), lhs=r"\sum_j a_j",
                   integers=[{n: 2}, {n: 3}, {n: 5}], hints=[same_summation_index])
    d.step(sp.Sum(sp.exp(c * zi[j]), (j, 1, n)) / total,
           "the denominator does not depend on j")
    return d.step(1, "numerator and denominator are the same sum")


def sum_of_layer(size: int) -> Derivation:
    """Σ_j a_j = 1 on a layer of ``size`` neurons with explicit symbols z_1 … z_size."""
    if not isinstance(size, int) or size < 1:
        raise ValueError(f"sum_of_layer: argument 'size' must be a positive integer "
                         f"(got {size!r})")
    layer = softmax_layer(symbols_vector("z", size), c)
    return Derivation(sp.Add(*layer), lhs=r"\sum_j a_j").step(1, "common denominator")


def rewrite() -> Derivation:
    """The source's rewrite of a_1 (n = 4): divide above and below by e^{c z_1}."""
    others = z4[1:]
    with sp.evaluate(False):
        divided = 1 / (1 + sp.exp(-c * z4[0]) * sp.Add(*[sp.exp(c * z_k) for z_k in others]))
        differences = 1 / (1 + sp.Add(*[sp.exp(c * (z_k - z4[0])) for z_k in others]))
    d = Derivation(softmax_layer(z4, c)[0], lhs="a_1")
    d.step(divided, r"divide above and below by $e^{c z_1}$ (source)")
    return d.step(differences, r"$e^{-c z_1} e^{c z_k} = e^{c(z_k - z_1)}$ (source)")


def term_limits() -> list[sp.Eq]:
    """The three kinds of term in Σ_{k≠j} e^{c(z_k − z_j)} as c → ∞, by sympy.limit (d > 0)."""
    d = sp.Symbol("d", positive=True)
    terms = (sp.exp(c * d), sp.exp(sp.Mul(c, 0, evaluate=False), evaluate=False),
             sp.exp(-c * d))
    return [sp.Eq(sp.Limit(term, c, sp.oo), sp.limit(term, c, sp.oo)) for term in terms]


GAP_3, GAP_4 = sp.symbols("d_3 d_4", positive=True)
# A tie for the maximum (m = 2): z_2 = z_1 and z_3, z_4 below it; shown as z_k, checked as these.
TIED = [z4[0], named("z_{2}", z4[0], "z_2"), named("z_{3}", z4[0] - GAP_3, "z_3"),
        named("z_{4}", z4[0] - GAP_4, "z_4")]


def nonmax_bound() -> Derivation:
    """The source's other case: some z_m > z_j, so 0 < a_j ≤ 1/(1 + e^{c(z_m − z_j)}) → 0."""
    gap = sp.Symbol("d", positive=True)  # z_m − z_j
    bound = 1 / (1 + sp.exp(c * gap))
    d = Derivation(sp.Limit(bound, c, sp.oo),
                   lhs=r"\lim_{c \to \infty} \frac{1}{1 + e^{c(z_m - z_j)}}",
                   assumptions="$d = z_m - z_j > 0$")
    return d.step(0, r"$e^{c d} \to \infty$ (source)")


def tie_limit() -> Derivation:
    """The source's maximal case with m = 2 tied maxima of n = 4: a_1 → 1/m = 1/2."""
    with sp.evaluate(False):
        terms = [sp.exp(c * (z_k - TIED[0])) for z_k in TIED[1:]]
        rewritten = 1 / (1 + sp.Add(*terms))
        limits = 1 / (1 + sp.Add(1, 0, 0))
    d = Derivation(sp.Limit(rewritten, c, sp.oo), lhs=r"\lim_{c \to \infty} a_1",
                   assumptions="$z_2 = z_1$ (tied), $z_3 = z_1 - d_3$ and $z_4 = z_1 - d_4$ "
                               "with $d_3, d_4 > 0$")
    d.step(limits, "the tied term is 1, the other two tend to 0 (source)")
    return d.step(sp.Rational(1, 2), "$1/m$ with $m = 2$ maximal inputs")


def uniform_limit() -> Derivation:
    """c → 0: every a_j tends to 1/n (n = 4, arbitrary z)."""
    d = Derivation(sp.Limit(softmax_layer(z4, c)[0], c, 0), lhs=r"\lim_{c \to 0} a_1")
    return d.step(sp.Rational(1, 4), "$e^{c z_k} \\to 1$ for every k")


def reflection() -> Derivation:
    """a_j(c; z) = a_j(−c; −z): c → −∞ on z is c → +∞ on −z, whose maxima are z's minima."""
    with sp.evaluate(False):  # keep (−c)(−z_k) as written
        terms = [sp.exp((-c) * (-z_k)) for z_k in z4]
        reflected = terms[0] / sp.Add(*terms)
    d = Derivation(softmax_layer(z4, c)[0], lhs="a_1(c; z)")
    return d.step(reflected, "$c z_k = (-c)(-z_k)$: this is $a_1(-c; -z)$")


def logit_slope() -> Derivation:
    """da_1/dc = a_1 (z_1 − Σ_k a_k z_k): a_j grows with c exactly when z_j is above the mean.

    It starts and ends where :data:`EXERCISE` says: the "Your turn" box checks a learner's
    own lines against the same declaration.
    """
    return EXERCISE.derivation().step(EXERCISE.target, "quotient rule")


# Claim 5's da_1/dc on three neurons as an exercise: the learner's "Your turn" and
# logit_slope share it. The learner types a1 for a_1, a Symbol shown as a_1 and checked as
# its definition e^{c z_1}/Σ_k e^{c z_k}.
Z3 = symbols_vector("z", 3)
A3 = [named_symbol(f"a_{{{i + 1}}}", a_i, f"a_{i + 1}")
      for i, a_i in enumerate(softmax_layer(Z3, c))]
EXERCISE = Exercise(
    id="pb6",
    statement="da_1/dc = a_1(z_1 − (a_1 z_1 + a_2 z_2 + a_3 z_3))",
    symbols={"c": c, **{f"{name}{i + 1}": s for i, s in enumerate(Z3) for name in ("z", "z_")},
             **{f"{name}{i + 1}": s for i, s in enumerate(A3) for name in ("a", "a_")}},
    functions={"exp": sp.exp, "log": sp.log, "ln": sp.log, "Derivative": sp.Derivative},
    start=sp.Derivative(A3[0], c),
    target=A3[0] * (Z3[0] - sp.Add(*[a_i * z_i for a_i, z_i in zip(A3, Z3, strict=True)])),
    lhs=r"\frac{d a_1}{d c}",
    worked=logit_slope,
)


def entropy_slope() -> Derivation:
    """dH/dc = −c Var_a(z) ≤ 0 for c > 0: the entropy falls as c grows (n = 3)."""
    z3 = symbols_vector("z", 3)
    a = [named(f"a_{{{i + 1}}}", a_i, f"a_{i + 1}")
         for i, a_i in enumerate(softmax_layer(z3, c))]
    entropy_h = -sp.Add(*[a_i * sp.log(a_i) for a_i in a])
    mean = sp.Add(*[a_i * z_i for a_i, z_i in zip(a, z3, strict=True)])
    square = sp.Add(*[a_i * z_i**2 for a_i, z_i in zip(a, z3, strict=True)])
    d = Derivation(sp.Derivative(entropy_h, c), lhs=r"\frac{d H}{d c}")
    return d.step(-c * (square - mean**2), r"$\ln a_j = c z_j - \ln \sum_k e^{c z_k}$")
# --- end of exported cells (edit them in the notebook, then run `make export`)


# Σ a_j = 1 written out for n = 2 … 5 (the notebook shows n = 4).
WRITTEN_OUT = tuple(functools.partial(sum_of_layer, size) for size in (2, 3, 4, 5))
DERIVATIONS = (sum_general, *WRITTEN_OUT, rewrite, tie_limit, nonmax_bound,
               uniform_limit, reflection, logit_slope, entropy_slope)

#: Integer inputs, so that sympy.limit is quick: a unique maximum, a tie for the maximum, a
#: tie for the minimum.
LIMIT_CASES = (((2, -1, 3, 0), sp.oo, "c → ∞, unique maximum"),
               ((3, 3, 1, -1), sp.oo, "c → ∞, tie for the maximum"),
               ((2, -1, -1, 0), -sp.oo, "c → −∞, tie for the minimum"))


def limit_table() -> Table:
    """sympy.limit of each a_j for the three cases and c → 0, beside nblib.softmax_limit."""
    rows = []
    for values, point, label in LIMIT_CASES:
        exact = [sp.limit(a_j, c, point) for a_j in softmax_layer(sp.Matrix(values), c)]
        numeric = softmax_limit(np.array(values, dtype=float), float(point))
        rows.append((label, f"{values}", f"{exact}", f"{numeric.tolist()}"))
    exact = [sp.limit(a_j, c, 0) for a_j in softmax_layer(z4, c)]
    rows.append(("c → 0, any z", "(z_1, …, z_4)", f"{exact}",
                 f"{softmax_limit(np.zeros(4), 0).tolist()}"))
    return Table(("case", "z", "sympy", "softmax_limit"), tuple(rows), align="llll")


# Numeric checks ----------------------------------------------------------------------
BOOK = np.array([2.5, -1.0, 3.2, 0.5])
TIE_MAX = np.array([3.0, 3.0, 1.0, -1.0])
TIE_MIN = np.array([2.0, -1.0, -1.0, 0.5])
HUGE = np.array([1e300, 0.0, -1e300, 1e300])


def naive(values: np.ndarray, factor: float) -> np.ndarray:
    """The textbook formula e^{c z_j}/Σ_k e^{c z_k}, evaluated as written."""
    return np.exp(factor * values) / np.exp(factor * values).sum()


def overflow() -> None:
    """Print the naive formula and nblib.softmax at large c, with the warnings each raises."""
    for values, factor in ((BOOK, 1000.0), (BOOK, 1e6), (HUGE, 1e6)):
        naive_a, naive_warned = float_warnings(naive, values, factor)
        stable_a, stable_warned = float_warnings(softmax, values, factor)
        print(f"z = {values.tolist()}, c = {factor:g}")
        print(f"   naive:  {vector(naive_a)}  {naive_warned}")
        print(f"   stable: {vector(stable_a)}  {stable_warned}")


def stability_checks() -> CheckReport:
    """Stable softmax at c = 10⁶ and |z| = 10³⁰⁰: no warning, and exactly the c → ∞ limit."""
    results = []
    for values, label in ((BOOK, "book-like z"), (TIE_MAX, "tie for the max"),
                          (HUGE, "|z| = 1e300, tie")):
        out, warned = float_warnings(softmax, values, 1e6)
        results.append(check_values(out, softmax_limit(values, np.inf), kind="absolute",
                                    tol=0.0, name=f"c = 1e6, {label}: equals the limit"))
        results.append(CheckResult(f"c = 1e6, {label}: number of float warnings",
                                   len(warned), 0.0, "absolute"))
    out, warned = float_warnings(softmax, TIE_MIN, -1e6)
    results.append(check_values(out, softmax_limit(TIE_MIN, -np.inf), kind="absolute",
                                tol=0.0, name="c = −1e6, tie for the min: equals the limit"))
    results.append(CheckResult("c = −1e6: number of float warnings", len(warned), 0.0,
                               "absolute"))
    return CheckReport(results)


def distribution_checks(seed: int = 6) -> CheckReport:
    """Claim 1 in float64 over random z and c of every sign and size (10⁻³⁰⁰ to 10⁶).

    Entries are ≥ 0 and sum to 1 within a few ulps; strictly positive in exact arithmetic,
    they can underflow to exactly 0 in float64, so ≥ 0 is what float64 can promise.
    """
    rng = np.random.default_rng(seed)
    factors = np.concatenate([[0.0, 1e-300, -1e-300, 1e6, -1e6, 1.0, -1.0],
                              rng.choice([-1, 1], 200) * 10.0 ** rng.uniform(-3, 3, 200)])
    worst_sum, most_negative, zeros = 0.0, 0.0, 0
    for factor in factors:
        out = softmax(rng.normal(0.0, 5.0, size=int(rng.integers(2, 9))), factor)
        worst_sum = max(worst_sum, float(ulps_from_one(out.sum())))
        most_negative = min(most_negative, out.min())
        zeros += int((out == 0).sum())
    return CheckReport([
        check_values(worst_sum, 0.0, kind="ulps", tol=4,
                     name=f"Σ_j a_j = 1 for every c ({len(factors)} layers), in ulps of 1"),
        check_values(most_negative, 0.0, kind="absolute", tol=0.0,
                     name=f"no a_j below 0 ({len(factors)} layers; {zeros} outputs are "
                          "exactly 0 in float64)"),
    ])


def convergence_table() -> Table:
    """The distance max_j |a_j(c) − limit_j| as c grows, shrinks, and goes to −∞."""
    cases = (("book-like, c → ∞", BOOK, np.inf, [1.0, 4.0, 16.0, 64.0, 256.0]),
             ("tie for the max, c → ∞", TIE_MAX, np.inf, [1.0, 4.0, 16.0, 64.0, 256.0]),
             ("tie for the min, c → −∞", TIE_MIN, -np.inf, [-1.0, -4.0, -16.0, -64.0, -256.0]),
             ("book-like, c → 0", BOOK, 0.0, [1.0, 2.0**-4, 2.0**-8, 2.0**-12, 2.0**-16]))
    rows = []
    for label, values, limit, factors in cases:
        gaps = [np.abs(softmax(values, f) - softmax_limit(values, limit)).max() for f in factors]
        rows.append((label, *(cell for f, gap in zip(factors, gaps, strict=True)
                              for cell in (f"{f:.4g}", scientific(gap, 2)))))
    return Table(("case", *("c", "distance") * 5), tuple(rows), align="l" + "rr" * 5)


def bound_checks() -> CheckReport:
    """The limit argument made quantitative: |a_j − limit_j| ≤ (n − m)/m · e^{−c g}, c > 0.

    g is the gap between the largest input and the next smaller one, m the number of
    maximal inputs. The check reports how far the distance exceeds the bound (0 if never).
    """
    results = []
    factors = 2.0 ** np.arange(-2, 11)
    for values, label in ((BOOK, "book-like"), (TIE_MAX, "tie for the max")):
        top = values.max()
        m = int((values == top).sum())
        gap = top - values[values < top].max()
        excess = 0.0
        for factor in factors:
            distance = np.abs(softmax(values, factor) - softmax_limit(values, np.inf)).max()
            excess = max(excess, distance - (len(values) - m) / m * np.exp(-factor * gap))
        results.append(check_values(max(excess, 0.0), 0.0, kind="absolute", tol=0.0,
                                    name=f"{label}: distance to the limit ≤ (n − m)/m · e^(−c g), "
                                         "c = 1/4 … 1024"))
    return CheckReport(results)


def derivative_checks() -> CheckReport:
    """da/dc = a(z − ⟨z⟩) and dH/dc = −c Var_a(z) against central differences in c."""
    results = []
    for values, label in ((BOOK, "book-like"), (TIE_MAX, "tie for the max")):
        for factor in (-2.0, 0.25, 1.0, 3.0):
            def probabilities(v, z=values):
                return softmax(z, float(v[0]))

            def slope(v, z=values):
                a = softmax(z, float(v[0]))
                return (a * (z - a @ z))[:, None]

            def entropy_of(v, z=values):
                return entropy(softmax(z, float(v[0])))

            def entropy_slope_of(v, z=values):
                a = softmax(z, float(v[0]))
                return np.array([-float(v[0]) * (a @ z**2 - (a @ z) ** 2)])

            at = np.array([factor])
            results.append(check_jacobian(probabilities, slope, at, tol=1e-6, floor=1e-3,
                                          resolution=1e-7, name=f"da/dc, {label}, c = {factor:g}"))
            results.append(check_gradient(entropy_of, entropy_slope_of, at, tol=1e-6,
                                          floor=1e-3, resolution=1e-8,
                                                      name=f"dH/dc, {label}, c = {factor:g}"))
    return CheckReport(results)


def entropy_limit_checks() -> CheckReport:
    """H → ln n as c → 0 and H → ln m as c → ∞ (m maximal inputs)."""
    return CheckReport([
        check_values(entropy(softmax(BOOK, 2.0**-30)), np.log(4), tol=1e-8,
                     resolution=1e-15, name="book-like, c = 2^−30: H = ln 4"),
        check_values(entropy(softmax(BOOK, 2.0**12)), 0.0, kind="absolute", tol=0.0,
                     name="book-like, c = 2^12: H = ln 1 = 0"),
        check_values(entropy(softmax(TIE_MAX, 2.0**12)), np.log(2), tol=1e-15,
                     name="tie for the max, c = 2^12: H = ln 2"),
    ])


CHECKS = (stability_checks, distribution_checks, bound_checks, derivative_checks,
          entropy_limit_checks)


def positive_remark() -> Remark:
    """Source, first bullet: "a_j ≥ 0" where a_j > 0 holds (and float64 gives ≥ 0)."""
    return Remark(
        notebook="pb6",
        where="chapter 3 · Problem 6 · source, first bullet",
        source_says=r"we still have $a_j \ge 0$ for all $j$ (with $c > 0$).",
        what_holds=r'for real numbers $a_j > 0$ strictly, for every real $c$ (each $e^{c z_j}$ '
                   r'is positive), and "$\ge 0$" is all the argument needs. In float64 the '
                   r"strict sign is lost: an output rounds to exactly 0 once "
                   r"$c(z_j - \max z) < -745$, and there the source's $\ge 0$ is exactly what "
                   r"holds.",
        evidence=(sum_general(), distribution_checks()),
        float64=True,
    )


def sign_remark() -> Remark:
    """Source, first line: only c > 0 is treated."""
    return Remark(
        notebook="pb6",
        where="chapter 3 · Problem 6 · source, first line",
        source_says=r"consider $a_j = e^{c z_j} / \sum_k e^{c z_k}$ with $c > 0$.",
        what_holds=r"the outputs form a distribution for every real $c$. At $c = 0$ they are "
                   r"uniform (and tend to $1/n$ as $c \to 0$); for $c < 0$, "
                   r"$a_j(c; z) = a_j(-c; -z)$, so as $c \to -\infty$ the weight collects on the "
                   r"minimal inputs, $1/m$ on each of $m$ ties.",
        evidence=(uniform_limit(), reflection(), stability_checks()),
    )


def count_remark() -> Remark:
    """Source, maximal case: the number of maximal inputs is called n."""
    return Remark(
        notebook="pb6",
        where="chapter 3 · Problem 6 · source, maximal case",
        source_says=r"if $z_j$ is one of the $n \ge 1$ maximal weighted inputs, the sum tends to "
                    r"$n - 1$ and $a_j \to 1/n$.",
        what_holds=r"correct, with $n$ there the number of maximal inputs, not the number of "
                   r"neurons (also $n$ in the chapter). Written $m$: $a_j \to 1/m$ on the $m$ "
                   r"maximal inputs and 0 elsewhere.",
        evidence=(tie_limit(),),
    )


REMARKS = (positive_remark, sign_remark, count_remark)
