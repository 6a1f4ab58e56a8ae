"""Exercise 5: softmax is monotone, ∂a_j/∂z_j > 0 and ∂a_j/∂z_k < 0 for k ≠ j (n ≥ 2).

The worked solution rewrites a_j = (1 + e^{−z_j} Σ_{k≠j} e^{z_k})^{−1} and differentiates
that. :func:`rewrite`, :func:`diagonal` and :func:`off_diagonal` follow its lines on a layer
of three neurons (j = 1), where Σ_{k≠j} is written out. Lines 2 and 3 of ∂a_j/∂z_j carry
e^{z_j} where e^{−z_j} belongs; they are recorded as source errors with their corrections.
:func:`fresh_index` repairs the letter k, which the source uses both for the fixed input
and for the summation index; :func:`general` derives a_j(δ_jk − a_k) for every n and
:func:`one_neuron` shows why the strict signs need n ≥ 2. :data:`EXERCISE` declares
∂a_1/∂z_1 = a_1(1 − a_1) once, for :func:`quotient_rule` and for the notebook's "Your turn"
box, in plain symbols a learner can type. The numeric checks compare the
float64 Jacobian with central differences and with 30-digit values where it saturates.
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from nblib.numerics.activations import softmax
from nblib.numerics.jacobians import (
    EPS,
    jacobian_from_activations,
    sign_pattern_holds,
    softmax_jacobian,
)
from nblib.proof.derivation import Derivation, Remark
from nblib.proof.exercise import Exercise
from nblib.proof.rewrites import sift_kronecker_sums
from nblib.proof.softmax import (
    LAYER3_NAMES,
    LAYER3_Z,
    Z,
    check_identity,
    check_jacobian_signs,
    jacobian_in_activations,
    layer3_a,
    softmax_a,
    symbolic_softmax_jacobian,
)
from nblib.reports.checks import (
    CheckReport,
    CheckResult,
    check_claim,
    check_jacobian,
    check_values,
    numerical_jacobian,
)
from nblib.reports.portable import scientific
from nblib.reports.table import Table


def a(index: int, size: int) -> sp.Expr:
    """a_index of a layer of ``size`` neurons: shown as a_j, checked as its definition."""
    return softmax_a(index, size)


# The source's lines, n = 3, j = 1 -------------------------------------------------------------


# The letter k -----------------------------------------------------------------------------------


# The whole Jacobian -----------------------------------------------------------------------------


# --- begin cells exported from notebooks/08_ex5_softmax_monotone.ipynb
z1, z2, z3 = Z[1], Z[2], Z[3]
n = sp.Symbol("n", integer=True, positive=True)  # the number of neurons
j, k, m = sp.Idx("j"), sp.Idx("k"), sp.Idx("m")
#: Σ_{k≠1} e^{z_k} for n = 3, and the bracket the source differentiates.
OTHERS = sp.exp(z2) + sp.exp(z3)
INNER = 1 + sp.exp(-z1) * OTHERS
#: Where :func:`diagonal` ends: ∂a_1/∂z_1 over the common denominator, visibly positive.
DIAGONAL = sp.exp(z1) * OTHERS / (sp.exp(z1) + OTHERS)**2


def rewrite() -> Derivation:
    """Source, first chain: a_1 = (1 + e^{−z_1}(e^{z_2} + e^{z_3}))^{−1}."""
    with sp.evaluate(False):
        split = sp.exp(z1) / (sp.exp(z1) + OTHERS)
        divided = 1 / INNER
    d = Derivation(a(1, 3))
    d.step(split, "source, line 1: split off the term $k = 1$")
    return d.step(divided, "source, lines 2–3: divide above and below by $e^{z_1}$")


def diagonal() -> Derivation:
    """Source, ∂a_j/∂z_j: lines 2 and 3 lose the minus sign in e^{−z_j} (✗, corrected)."""
    d = Derivation(sp.Derivative(a(1, 3), z1))
    d.step(-sp.Derivative(INNER, z1) / INNER**2, "source, line 1: chain rule on $(\\cdot)^{-1}$")
    d.source_error(sp.exp(z1) * OTHERS / INNER**2,
                   r"source, line 2: $(e^{z_j} \sum_{k \ne j} e^{z_k})(\cdot)^{-2}$",
                   correction=sp.exp(-z1) * OTHERS / INNER**2,
                   correction_reason=r"corrected: $\partial_{z_1} e^{-z_1} = -e^{-z_1}$",
                   quote=r"$\left( e^{z_j^L} \sum\limits_{k \neq j} e^{z_k^L} \right) "
                         r"\left( 1 + e^{-z_j^L} \sum\limits_{k \neq j} e^{z_k^L} \right) ^{-2}$")
    d.source_error(sp.exp(z1) * OTHERS * a(1, 3)**2,
                   r"source, line 3: $(e^{z_j} \sum_{k \ne j} e^{z_k})(a_j)^2$",
                   correction=sp.exp(-z1) * OTHERS * a(1, 3)**2,
                   correction_reason="corrected: $a_1$ is the reciprocal of the bracket",
                   quote=r"$\left( e^{z_j^L} \sum\limits_{k \neq j} e^{z_k^L} \right) "
                         r"\left( a_j^L \right) ^2$")
    d.step((1 / a(1, 3) - 1) * a(1, 3)**2, r"$e^{-z_1}(e^{z_2}+e^{z_3}) = 1/a_1 - 1$, from §1")
    d.step(a(1, 3) * (1 - a(1, 3)), "multiply out")
    return d.step(DIAGONAL, "definition (78)")


def quotient_rule() -> Derivation:
    """∂a_1/∂z_1 = a_1(1 − a_1) straight from the definition (78), n = 3: the chain of
    :data:`EXERCISE`, in plain symbols.

    The notebook's "Your turn" box checks a learner's own lines against it and reveals it
    one line at a time.
    """
    first = LAYER3_Z[0]
    top = sp.exp(first)
    total = sp.Add(*(sp.exp(v) for v in LAYER3_Z))
    with sp.evaluate(False):  # keep the lines as written, e.g. "e^{z_1} e^{z_1}"
        quotient = (top * total - top * top) / total**2
        split = (top / total) * ((total - top) / total)
        separated = (top / total) * (1 - top / total)
    d = EXERCISE.derivation()
    d.step(sp.Derivative(top / total, first), "definition (78)")
    d.step(quotient, r"quotient rule; $\partial_{z_1}$ of the denominator is $e^{z_1}$")
    d.step(split, "split the square")
    d.step(separated, "separate the fraction")
    return d.step(EXERCISE.target, "definition (78)")


# ∂a_1/∂z_1 as an exercise: the "Your turn" box and quotient_rule share it.
EXERCISE = Exercise(
    id="ex5",
    statement="∂a_1/∂z_1 = a_1(1 − a_1)",
    symbols=LAYER3_NAMES,
    functions={"a": layer3_a, "exp": sp.exp, "Derivative": sp.Derivative},
    start=sp.Derivative(layer3_a(1), LAYER3_Z[0]),
    target=layer3_a(1) * (1 - layer3_a(1)),
    lhs=r"\frac{\partial a_1}{\partial z_1}",
    domains={v: (-3.0, 3.0) for v in LAYER3_Z},  # the default for real symbols, stated
    worked=quotient_rule,
)


def off_diagonal() -> Derivation:
    """Source, ∂a_j/∂z_k for k ≠ j: every line right."""
    d = Derivation(sp.Derivative(a(1, 3), z2))
    d.step(-sp.Derivative(INNER, z2) / INNER**2, "source, line 1: chain rule")
    d.step(-sp.exp(-z1) * sp.exp(z2) / INNER**2, "source, line 2")
    d.step(-sp.exp(-z1) * sp.exp(z2) * a(1, 3)**2, "source, line 3")
    d.step(-a(1, 3) * a(2, 3), r"$e^{-z_1} e^{z_2}\, a_1 = a_2$")
    return d.step(-sp.exp(z1) * sp.exp(z2) / (sp.exp(z1) + OTHERS)**2, "definition (78)")


def clash() -> sp.Eq:
    """The source's notation taken literally: ∂/∂z_k of Σ_k e^{z_k}, as SymPy evaluates it."""
    literal = sp.Derivative(sp.Sum(sp.exp(Z[k]), (k, 1, n)), Z[k])
    return sp.Eq(literal, literal.doit(), evaluate=False)


def fresh_index() -> Derivation:
    """With a fresh summation index m, only the term m = k depends on z_k."""
    d = Derivation(sp.Derivative(sp.Sum(sp.exp(Z[m]), (m, 1, n)), Z[k]),
                   integers=[{n: 3, k: 2}, {n: 5, k: 5}], hints=[sift_kronecker_sums],
                   assumptions="1 ≤ k ≤ n")
    d.step(sp.Sum(sp.KroneckerDelta(k, m) * sp.exp(Z[m]), (m, 1, n)), "differentiate term by term")
    return d.step(sp.exp(Z[k]), "only the term $m = k$ is left")


def jacobian_matrix(size: int = 4) -> sp.Matrix:
    """The claim in matrix form, a_j(δ_jk − a_k), for a layer of ``size`` neurons."""
    return jacobian_in_activations(size)


def general() -> Derivation:
    """Claim 1 for every n: ∂a_j/∂z_k = a_j(δ_jk − a_k), by the quotient rule."""
    total = sp.Sum(sp.exp(Z[m]), (m, 1, n))
    with sp.evaluate(False):
        quotient = (sp.Derivative(sp.exp(Z[j]), Z[k]) * total
                    - sp.exp(Z[j]) * sp.Derivative(total, Z[k])) / total**2
    d = Derivation(sp.Derivative(softmax_a(j, n), Z[k]), hints=[sift_kronecker_sums],
                   integers=[{n: 2, j: 1, k: 1}, {n: 3, j: 1, k: 2}, {n: 3, j: 3, k: 3},
                             {n: 5, j: 2, k: 5}],
                   assumptions="1 ≤ j, k ≤ n")
    d.step(quotient, "quotient rule")
    d.step((sp.KroneckerDelta(j, k) * sp.exp(Z[j]) * total - sp.exp(Z[j]) * sp.exp(Z[k]))
           / total**2, r"$\partial_{z_k} e^{z_j} = \delta_{jk} e^{z_j}$; only $m = k$ in the sum")
    d.step(sp.exp(Z[j]) / total * (sp.KroneckerDelta(j, k) - sp.exp(Z[k]) / total),
           r"factor out $e^{z_j}/\sum_m e^{z_m}$")
    return d.step(softmax_a(j, n) * (sp.KroneckerDelta(j, k) - softmax_a(k, n)),
                  "definition (78)")


def one_neuron() -> Derivation:
    """n = 1: a_1 is the constant 1, so ∂a_1/∂z_1 = 0, not > 0."""
    with sp.evaluate(False):
        ratio = sp.exp(z1) / sp.exp(z1)
    d = Derivation(sp.Derivative(a(1, 1), z1))
    d.step(sp.Derivative(ratio, z1), "definition (78) with $n = 1$")
    d.step(sp.Derivative(sp.S.One, z1), "the ratio is 1")
    return d.step(sp.S.Zero, "a constant has derivative 0")
# --- end of exported cells (edit them in the notebook, then run `make export`)


def diagonal_is_positive() -> CheckResult:
    """SymPy's assumption system on the last line of :func:`diagonal`, :data:`DIAGONAL`."""
    positive = DIAGONAL.is_positive
    return check_claim("∂a_1/∂z_1 > 0", positive is True, str(positive))


def jacobian_table() -> CheckReport:
    """n = 2 … 5: SymPy's own Jacobian against a_j(δ_jk − a_k) entry by entry, then the sign
    of every entry from SymPy's assumption system."""
    results = []
    for size in range(2, 6):
        results.append(check_identity(symbolic_softmax_jacobian(size),
                                      jacobian_in_activations(size),
                                      label=f"n = {size}: ∂a_j/∂z_k = a_j(δ_jk − a_k)"))
        results.append(check_jacobian_signs(size))
    return CheckReport(results)


DERIVATIONS = (rewrite, diagonal, quotient_rule, off_diagonal, fresh_index, general,
               one_neuron)


# Numeric checks -----------------------------------------------------------------------------
DIFFERENCE_SIZES = (1, 2, 3, 4, 5, 6)
MANY = 20_000


def samples(seed: int = 5) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """From one generator, in this order: a layer of each size in :data:`DIFFERENCE_SIZES`
    (z ~ N(0, 2²)), :data:`MANY` four-neuron layers (N(0, 3²)), 500 five-neuron layers."""
    rng = np.random.default_rng(seed)
    layers = [rng.normal(0.0, 2.0, size) for size in DIFFERENCE_SIZES]
    many = rng.normal(0.0, 3.0, size=(MANY, 4))
    batch = rng.normal(0.0, 2.0, size=(500, 5))
    return layers, many, batch


def difference_checks() -> CheckReport:
    """Claim 1 against central differences of nblib.softmax, one random layer per size.

    Entries below 1e-4 are compared in absolute terms: the differences carry an absolute
    noise of about 1e-10.
    """
    layers, _, _ = samples()
    return CheckReport([
        check_jacobian(softmax, softmax_jacobian, z, floor=1e-4,
                       resolution=1e-7,
                       name=f"n = {z.size}: a_j(δ_jk − a_k) against central differences")
        for z in layers
    ])


def sign_pattern_count() -> CheckResult:
    """Claims 2 and 3 on :data:`MANY` random four-neuron layers: how often the pattern holds."""
    _, many, _ = samples()
    holds = sign_pattern_holds(softmax_jacobian(many))
    return check_claim("sign pattern", holds.all(),
                       f"holds in {holds.sum()} of {holds.size} random layers")


SATURATION_GAPS = (20.0, 40.0, 800.0)


def exact_saturated_slope(d: float) -> mpmath.mpf:
    """∂a_2/∂z_2 = e^{−d}/(1 + e^{−d})² for z = (0, d), with 30 digits."""
    with mpmath.workdps(30):
        return mpmath.exp(-mpmath.mpf(d)) / (1 + mpmath.exp(-mpmath.mpf(d))) ** 2


def saturation_table() -> Table:
    """Two neurons, z = (0, d): the exact diagonal entry, softmax_jacobian's, the literal
    a_2(1 − a_2), and whether the strict sign pattern survives in float64."""
    rows = []
    for d in SATURATION_GAPS:
        careful = softmax_jacobian([0.0, d])
        literal = jacobian_from_activations(softmax([0.0, d]))
        rows.append((f"{d:g}", mpmath.nstr(exact_saturated_slope(d), 4),
                     scientific(careful[1, 1], 5), scientific(literal[1, 1], 5),
                     str(bool(sign_pattern_holds(careful)))))
    return Table(("d", "exact ∂a_2/∂z_2", "softmax_jacobian", "a_2(1 − a_2) literally",
                  "pattern holds"), tuple(rows))


def saturation_checks() -> CheckReport:
    """Claim 2 near saturation: strict in exact arithmetic, lost to rounding in float64.

    softmax_jacobian keeps the diagonal entry to a few ulps until it underflows (d ≈ 745);
    the literal a_2(1 − a_2) is 0.0 as soon as a_2 rounds to 1.0 (d ≈ 36.7).
    """
    careful = {d: softmax_jacobian([0.0, d]) for d in SATURATION_GAPS}
    literal = jacobian_from_activations(softmax([0.0, 40.0]))
    exact = [float(exact_saturated_slope(d)) for d in SATURATION_GAPS]
    return CheckReport([
        check_values(float(min(exact_saturated_slope(d) for d in SATURATION_GAPS) > 0), 1.0,
                     kind="absolute", tol=0.0,
                     name="exact ∂a_2/∂z_2 > 0 at d = 20, 40, 800 (30-digit mpmath)"),
        check_values([careful[d][1, 1] for d in (20.0, 40.0)], exact[:2], tol=4 * EPS,
                     name="d = 20, 40: softmax_jacobian's ∂a_2/∂z_2 against mpmath"),
        check_values(literal[1, 1], 0.0, kind="absolute", tol=0.0,
                     name="d = 40: the literal a_2(1 − a_2) is exactly 0.0 (a_2 rounds to 1)"),
        check_values(careful[800.0][1, 1], 0.0, kind="absolute", tol=0.0,
                     name="d = 800: softmax_jacobian's ∂a_2/∂z_2 underflows to exactly 0.0"),
        check_values([float(sign_pattern_holds(careful[d])) for d in SATURATION_GAPS],
                     [1.0, 1.0, 0.0], kind="absolute", tol=0.0,
                     name="float64 sign pattern: holds at d = 20, 40, fails at d = 800"),
    ])


ONE_NEURON = (3.0,)


def one_neuron_numbers() -> CheckResult:
    """n = 1: the formula, central differences and the sign pattern (which fails: the claim)."""
    formula = softmax_jacobian(ONE_NEURON)
    differences = numerical_jacobian(softmax, ONE_NEURON)
    holds = bool(sign_pattern_holds(formula))
    return check_claim("n = 1", not holds and not formula.any() and not differences.any(),
                       f"formula {formula}  central differences {differences}  "
                       f"pattern holds: {holds}")


def consistency_checks() -> CheckReport:
    """A batch gives the same matrices as one layer at a time, and away from saturation the
    literal a_j(δ_jk − a_k) agrees with softmax_jacobian."""
    _, _, batch = samples()
    return CheckReport([
        check_values(softmax_jacobian(batch), np.stack([softmax_jacobian(row) for row in batch]),
                     tol=1e-15, name="batched against one layer at a time"),
        check_values(jacobian_from_activations(softmax(batch)), softmax_jacobian(batch), tol=1e-9,
                     resolution=1e-13,
                     name="literal a_j(δ_jk − a_k) against softmax_jacobian, unsaturated"),
    ])


CHECKS = (difference_checks, sign_pattern_count, saturation_checks, one_neuron_numbers,
          consistency_checks)



# The source's imprecisions, for the errata page ----------------------------------------------
def notation_remark() -> Remark:
    """Source, ∂a_j/∂z_k: k is both the fixed input and the summation index."""
    return Remark(
        notebook="ex5",
        where=r"chapter 3 · Exercise 5 · source, $\partial a_j/\partial z_k$, line 2",
        source_says=r"$\partial/\partial z_k$ of $(1 + e^{-z_j} \sum_{k \ne j} e^{z_k})$ is "
                    r"$e^{-z_j} e^{z_k}$, with $k$ at once the fixed input and the summation "
                    r"index.",
        what_holds=r"the result is right for the intended reading, in which the sum runs over a "
                   r"fresh index $m$ and only the term $m = k$ depends on $z_k$. Read literally, "
                   r"$\partial/\partial z_k \sum_k e^{z_k}$ differentiates every term by its own "
                   r"$z_k$ and gives the whole sum back.",
        evidence=(clash(), fresh_index()),
    )


def one_neuron_remark() -> Remark:
    """Source, both chains: the strict signs need at least two neurons."""
    return Remark(
        notebook="ex5",
        where='chapter 3 · Exercise 5 · source, last lines "$> 0$" and "$< 0$": layer size',
        source_says=r"$\partial a_j/\partial z_j > 0$ and $\partial a_j/\partial z_k < 0$ for "
                    r"$k \ne j$, with no condition on the layer.",
        what_holds=r"both hold for $n \ge 2$ neurons. For $n = 1$ there is no $k \ne j$, the sum "
                   r"$\sum_{k \ne j} e^{z_k}$ is empty, $a_1 = 1$ is constant and "
                   r'$\partial a_1/\partial z_1 = 0$: "$> 0$" fails.',
        evidence=(general(), one_neuron(), one_neuron_numbers()),
    )


def saturation_remark() -> Remark:
    """Source, both chains: the strict signs are exact-arithmetic statements."""
    return Remark(
        notebook="ex5",
        where='chapter 3 · Exercise 5 · source, last lines "$> 0$" and "$< 0$": float64',
        source_says=r"$\partial a_j/\partial z_j > 0$ and $\partial a_j/\partial z_k < 0$: "
                    r"raising $z_j$ always raises $a_j$.",
        what_holds=r"strict in exact arithmetic for every finite $z$. In float64 the entries "
                   r"round to 0 once a layer saturates: $a_j(1 - a_j)$ computed literally is 0.0 "
                   r"as soon as $a_j$ rounds to 1.0 (a gap of about 36.7 between inputs), and even "
                   r"a careful formula underflows to 0.0 at a gap of about 745; there the strict "
                   r"signs, and the monotonicity they give, are lost.",
        evidence=(saturation_table(), saturation_checks()),
        float64=True,
    )


REMARKS = (notation_remark, one_neuron_remark, saturation_remark)
