"""Exercise 4: sigmoid outputs need not sum to 1; softmax outputs always do.

The worked solution takes a one-neuron sigmoid layer (σ(z) < 1, so its one output never
sums to 1) and then writes the softmax sum as three lines, Σ_j e^{z_j}/Σ_k e^{z_k} = e^z/e^z
= 1. :func:`below_one` proves the first claim, :func:`excess` and :func:`example` add the
two-neuron case the source only mentions, and :func:`source_sum` follows the source's three
lines for general n. All hold, but the middle line carries no argument unless n = 1
(:func:`one_neuron_sum`); :func:`general_sum` supplies the missing step, and
:data:`WRITTEN_OUT` writes the sum out term by term for n = 2 … 6. :data:`EXERCISE` declares
the three-neuron sum once, for :func:`three_neuron_sum` and for the notebook's "Your turn"
box, in plain symbols a learner can type. The numeric checks add up sigmoid and softmax
outputs of random layers in float64, where σ(z) rounds to 1.0 from z ≈ 36.74 on and a sum
of n correctly rounded 1/n need not be 1.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from nblib.numerics.activations import sigmoid, softmax
from nblib.numerics.floats import float_warnings
from nblib.numerics.jacobians import EPS, naive_softmax, ulps_from_one
from nblib.numerics.neuron import first_float_where
from nblib.proof.derivation import Derivation, Remark
from nblib.proof.exercise import Exercise
from nblib.proof.rewrites import rename_sum_indices
from nblib.proof.softmax import (
    LAYER3_NAMES,
    LAYER3_Z,
    Z,
    layer3_a,
    softmax_a,
    softmax_sum_derivation,
)
from nblib.proof.symbolic import sigma
from nblib.reports.checks import CheckReport, CheckResult, check_claim, check_values
from nblib.reports.portable import fixed, number
from nblib.reports.table import Table

# Claim 1: one sigmoid neuron ----------------------------------------------------------------


# Claim 2: two sigmoid neurons ---------------------------------------------------------------


# Claim 3: softmax -----------------------------------------------------------------------------


def sum_of_layer(size: int) -> Derivation:
    """Claim 3 for a layer of ``size`` neurons, every term written out."""
    return softmax_sum_derivation(size)


# Claim 3 written out for n = 2 … 6 (the notebook displays three_neuron_sum for n = 3).
WRITTEN_OUT = tuple(functools.partial(sum_of_layer, size) for size in range(2, 7))


# --- begin cells exported from notebooks/07_ex4_softmax_sums_to_one.ipynb
z, z1, z2 = sp.symbols("z z_1 z_2", real=True)
n = sp.Symbol("n", integer=True, positive=True)  # the number of neurons
j, k = sp.Idx("j"), sp.Idx("k")
#: Layers for the numeric spot checks of general-n steps.
SIZES = ({n: 2}, {n: 3}, {n: 5})


def below_one() -> Derivation:
    """Claim 1: 1 − σ(z) = σ(−z), a sigmoid value and so positive: σ(z) < 1."""
    with sp.evaluate(False):  # keep "1 + e^{-z} - 1" as written
        over_common = (1 + sp.exp(-z) - 1) / (1 + sp.exp(-z))
    d = Derivation(1 - sigma(z))
    d.step(1 - 1 / (1 + sp.exp(-z)), "definition of σ")
    d.step(over_common, "common denominator")
    d.step(sp.exp(-z) / (1 + sp.exp(-z)), "1 − 1 = 0")
    return d.step(sigma(-z), r"multiply above and below by $e^{z}$")


def below_one_is_positive() -> bool | None:
    """SymPy's verdict on 1 − σ(z) > 0 for real z, with σ written out."""
    return below_one().result.doit().is_positive


def excess() -> Derivation:
    """Claim 2: σ(z_1) + σ(z_2) − 1 = (1 − e^{−(z_1+z_2)}) / ((1 + e^{−z_1})(1 + e^{−z_2}))."""
    d1, d2 = 1 + sp.exp(-z1), 1 + sp.exp(-z2)
    with sp.evaluate(False):
        common = (d2 + d1 - d1 * d2) / (d1 * d2)
    d = Derivation(sigma(z1) + sigma(z2) - 1)
    d.step(1 / d1 + 1 / d2 - 1, "definition of σ")
    d.step(common, "common denominator")
    return d.step((1 - sp.exp(-z1 - z2)) / (d1 * d2),
                  "expand the numerator: 2 − 1 = 1, the single exponentials cancel")


def example() -> Derivation:
    """Claim 2 at z_1 = z_2 = 1: 2σ(1) = 1 + (e − 1)/(e + 1) > 1."""
    with sp.evaluate(False):
        twice = sigma(1) + sigma(1)
    d = Derivation(twice)
    d.step(2 / (1 + sp.exp(-1)), "definition of σ")
    d.step(2 * sp.E / (sp.E + 1), "multiply above and below by $e$")
    return d.step(1 + (sp.E - 1) / (sp.E + 1), "split off 1")


def source_sum() -> Derivation:
    """Claim 3 along the source's lines 1 and 3, for general n (line 2 is discussed below)."""
    d = Derivation(sp.Sum(softmax_a(j, n), (j, 1, n)), integers=SIZES, hints=[rename_sum_indices])
    d.step(sp.Sum(sp.exp(Z[j]), (j, 1, n)) / sp.Sum(sp.exp(Z[k]), (k, 1, n)), "source, line 1")
    return d.step(sp.S.One, "source, line 3")


def one_neuron_sum() -> Derivation:
    """The source's lines for its own example, one neuron: both sums are the term e^{z_1}."""
    with sp.evaluate(False):
        single = sp.exp(Z[1]) / sp.exp(Z[1])
    d = Derivation(softmax_a(1, 1), lhs=r"\sum_{j=1}^{1} a_j")
    d.step(single, r"source, line 2, with $z = z_1$: each sum has the one term $e^{z_1}$")
    return d.step(sp.S.One, "source, line 3")


def general_sum() -> Derivation:
    """Claim 3 for every n, with the step the source leaves out: numerator = denominator."""
    total = sp.Sum(sp.exp(Z[k]), (k, 1, n))
    with sp.evaluate(False):
        renamed = total / total
    d = Derivation(sp.Sum(softmax_a(j, n), (j, 1, n)), integers=SIZES, hints=[rename_sum_indices])
    d.step(sp.Sum(sp.exp(Z[j]) / total, (j, 1, n)), "definition (78)")
    d.step(sp.Sum(sp.exp(Z[j]), (j, 1, n)) / total, "the denominator does not depend on $j$")
    d.step(renamed, "rename the summation index $j$ to $k$")
    return d.step(sp.S.One, "numerator = denominator")


def three_neuron_sum() -> Derivation:
    """Claim 3 for a layer of three neurons in plain symbols: the chain of :data:`EXERCISE`.

    The same three lines as ``sum_of_layer(3)``, which the notebook's "Your turn" box checks a
    learner's own lines against and reveals one at a time.
    """
    exps = [sp.exp(v) for v in LAYER3_Z]
    with sp.evaluate(False):  # keep each line as written: three fractions, then one
        total = sp.Add(*exps)
        fractions = sp.Add(*(e / total for e in exps))
        one_fraction = total / total
    d = EXERCISE.derivation()
    d.step(fractions, "definition (78)")
    d.step(one_fraction, "common denominator")
    return d.step(EXERCISE.target, "numerator = denominator")


# Claim 3 for three neurons as an exercise: the "Your turn" box and three_neuron_sum share it.
EXERCISE = Exercise(
    id="ex4",
    statement="a_1 + a_2 + a_3 = 1",
    symbols=LAYER3_NAMES,
    functions={"a": layer3_a, "exp": sp.exp},
    start=sp.Add(*(layer3_a(j) for j in (1, 2, 3))),
    target=sp.S.One,
    lhs=r"\sum_{j=1}^{3} a_j",
    domains={v: (-3.0, 3.0) for v in LAYER3_Z},  # the default for real symbols, stated
    worked=three_neuron_sum,
)
# --- end of exported cells (edit them in the notebook, then run `make export`)


def example_value() -> CheckResult:
    """The value of :func:`example` to six digits, and SymPy's verdict on the part above 1."""
    positive = ((sp.E - 1) / (sp.E + 1)).is_positive
    return check_claim(f"2σ(1) = {sp.N(example().result, 6)}; the part above 1, "
                       "(e − 1)/(e + 1), is positive", positive is True, str(positive))


def layer_sizes() -> CheckReport:
    """One line per written-out chain, n = 2 … 6: its result and how many steps it checked."""
    results = []
    for size, build in zip(range(2, 7), WRITTEN_OUT, strict=True):
        chain = build()
        results.append(check_claim(f"n = {size}", chain.result == 1 and not chain.source_errors,
                                   f"a_1 + … + a_{size} = {chain.result}, "
                                   f"{chain.checked_steps} steps checked"))
    return CheckReport(results)


DERIVATIONS = (below_one, excess, example, source_sum, one_neuron_sum, general_sum,
               three_neuron_sum, *WRITTEN_OUT)


# Numeric checks -------------------------------------------------------------------------------
#: The book's example layer, and the explorer's start (3.2 → 3.25: its sliders move in
#: quarter steps; see nblib.explore.softmax_layer.BOOK_LOGITS).
BOOK_EXAMPLE = (2.5, -1.0, 3.2, 0.5)
EXPLORER_START = (2.5, -1.0, 3.25, 0.5)
LAYER_SIZES = (1, 2, 3, 4, 10)
SAMPLES = 20_000


def book_example() -> CheckReport:
    """Both sums for the book's example layer and the explorer's start; the claim for each:
    the sigmoid outputs add up to more than 2, the softmax outputs to 1 within 4 ulps."""
    results = []
    for label, logits in (("book", BOOK_EXAMPLE), ("explorer", EXPLORER_START)):
        shown = ", ".join(f"{v:g}" for v in logits)
        sigmoids, softmaxes = sigmoid(logits).sum(), softmax(logits).sum()
        results.append(check_claim(f"{label:>8}", sigmoids > 2 and ulps_from_one(softmaxes) <= 4,
                                   f"z = ({shown})   Σ σ(z_j) = {fixed(sigmoids, 4)}   "
                                   f"Σ a_j = {fixed(softmaxes, 4)}"))
    return CheckReport(results)


def random_layers(seed: int = 4) -> dict[int, np.ndarray]:
    """:data:`SAMPLES` random layers of each size in :data:`LAYER_SIZES`, z ~ N(0, 2.5²)."""
    rng = np.random.default_rng(seed)
    return {size: rng.normal(0.0, 2.5, size=(SAMPLES, size)) for size in LAYER_SIZES}


def _sigmoid_sum_claim(size: int, sums: np.ndarray) -> bool:
    """Claims 1 and 2 on a sample: below 1 for one neuron, above 1 somewhere for more."""
    return bool(sums.max() < 1) if size == 1 else bool(sums.max() > 1)


def sigmoid_sum_table() -> Table:
    """Smallest and largest sigmoid sum per layer size, and the share of sums above 1 (the
    claims on them are :func:`sigmoid_sum_checks`)."""
    rows = []
    for size, logits in random_layers().items():
        sums = sigmoid(logits).sum(axis=1)
        rows.append((f"{size}", fixed(sums.min(), 5), fixed(sums.max(), 5),
                     fixed(np.mean(sums > 1), 3)))
    return Table(("n", "smallest Σσ", "largest Σσ", "share > 1"), tuple(rows))


def sigmoid_sum_checks() -> CheckReport:
    """Claims 1 and 2 on the random layers: every one-neuron sum is below 1, and for
    n ≥ 2 some sum lies above 1 (each a yes/no, asserted exactly)."""
    results = []
    for size, logits in random_layers().items():
        sums = sigmoid(logits).sum(axis=1)
        claim = "every Σ σ(z_j) < 1" if size == 1 else "some Σ σ(z_j) > 1"
        results.append(check_values(float(_sigmoid_sum_claim(size, sums)), 1.0, kind="absolute",
                                    tol=0.0, name=f"n = {size:2d}: {claim} (sigmoid layer)"))
    return CheckReport(results)


def softmax_sum_checks() -> CheckReport:
    """Claim 3 on the random layers: |Σ a_j − 1| within 4 ulps of 1, for every layer."""
    return CheckReport([
        check_values(ulps_from_one(softmax(logits).sum(axis=1)), np.zeros(len(logits)),
                     kind="ulps", tol=4, name=f"n = {size:2d}: |Σ a_j − 1| in ulps of 1")
        for size, logits in random_layers().items()
    ])


SATURATION_Z = (10.0, 30.0, 36.0, 37.0, 800.0)


def first_saturated() -> float:
    """The smallest float64 z at which σ(z) is exactly 1.0 (found over the floats)."""
    return first_float_where(lambda t: sigmoid(t) == 1.0, 0.0, 100.0)


def saturation_table() -> Table:
    """σ(z) in float64 near saturation, and the first z at which it is exactly 1.0."""
    rows = []
    for value in SATURATION_Z:
        s = float(sigmoid(value))
        rows.append((f"{value:g}", number(1 - s), str(s < 1)))
    return Table(("z", "1 − σ(z)", "below 1 in float64"), tuple(rows),
                 notes=(f"first float64 z with σ(z) == 1.0: {number(first_saturated(), 6)}… "
                        f"(53 ln 2 = {number(53 * np.log(2), 6)}…)",))


def _listed(values: list[float]) -> str:
    """Numbers for a check's name: ``10, 30, 36``."""
    return ", ".join(f"{v:g}" for v in values)


def saturation_checks() -> CheckReport:
    """Claim 1 in float64: σ(z) < 1 up to z ≈ 36.74, exactly 1.0 from there on."""
    start = first_saturated()
    below = [value for value in SATURATION_Z if value < start]
    above = [value for value in SATURATION_Z if value >= start]
    return CheckReport([
        check_values((sigmoid(below) < 1).astype(float), np.ones(len(below)), kind="absolute",
                     tol=0.0, name=f"float64: σ(z) < 1 at z = {_listed(below)}"),
        check_values(sigmoid(above), np.ones(len(above)), kind="absolute", tol=0.0,
                     name=f"float64: σ(z) == 1.0 exactly at z = {_listed(above)}"),
        check_values(1 - sigmoid(float(np.nextafter(start, 0))), EPS, kind="absolute", tol=0.0,
                     name="float64: one float below the first saturated z, 1 − σ(z) = 2⁻⁵²"),
        # 1 + e^{−z} rounds to 1 once e^{−z} ≤ 2⁻⁵³; a libm's last-bit rounding of e^{−z}
        # may move the first such float by an ulp (7e-15 here), hence a few ulps of slack.
        check_values(start, 53 * np.log(2), kind="absolute", tol=1e-13,
                     name="float64: σ(z) reaches 1.0 at z = 53 ln 2, where e^{−z} = 2⁻⁵³"),
    ])


#: Layers whose textbook softmax overflows (rows 1, 2) or divides 0 by 0 (row 3).
EXTREMES = ((1000.0, 999.0, -1000.0), (1e300, -1e300, 0.0), (-800.0, -800.0, -801.0))


def overflow() -> CheckReport:
    """The textbook formula at extreme z (nan, with NumPy's warnings) against nblib.softmax."""
    extremes = np.array(EXTREMES)
    naive, warnings = float_warnings(naive_softmax, extremes)
    sums, finite = naive.sum(axis=1), bool(np.isfinite(softmax(extremes)).all())
    return CheckReport([
        check_claim("textbook formula", np.isnan(sums).all(),
                    f"sums {sums} with warnings {warnings}"),
        check_claim("nblib softmax", finite, f"all outputs finite: {finite}"),
    ])


TIE_SIZES = (2, 3, 5, 7, 10)


def tie_table() -> CheckReport:
    """n equal inputs: each output is the float nearest 1/n; their sum, in ulps from 1."""
    results = []
    for size in TIE_SIZES:
        tied = softmax(np.full(size, 3.7))
        nearest = bool(np.all(tied == 1 / size))
        results.append(check_claim(
            f"n = {size:2d}: every a_j is the float nearest 1/n", nearest,
            f"{nearest}, Σ a_j − 1 = {fixed((tied.sum() - 1) / EPS, 1, sign=True)} ulps"))
    return CheckReport(results)


def edge_case_checks() -> CheckReport:
    """Claim 3 at extreme z and at ties: |Σ a_j − 1| within 4 ulps of 1."""
    ties = np.array([softmax(np.full(size, 3.7)).sum() for size in TIE_SIZES])
    return CheckReport([
        check_values(ulps_from_one(softmax(np.array(EXTREMES)).sum(axis=1)), np.zeros(3),
                     kind="ulps", tol=4, name="huge |z|: |Σ a_j − 1| in ulps of 1"),
        check_values(ulps_from_one(ties), np.zeros(len(ties)), kind="ulps", tol=4,
                     name="ties: |Σ a_j − 1| in ulps of 1"),
    ])


CHECKS = (sigmoid_sum_checks, softmax_sum_checks, saturation_checks, edge_case_checks)



# The source's imprecisions, for the errata page ----------------------------------------------
def middle_line_remark() -> Remark:
    """Source, softmax line 2: e^z/e^z is the sum only for one neuron."""
    return Remark(
        notebook="ex4",
        where="chapter 3 · Exercise 4 · source, softmax line 2",
        source_says=r"$\sum_j e^{z_j} / \sum_k e^{z_k} = e^z/e^z = 1$.",
        what_holds=r"every line equals 1, but $e^z/e^z$ is the sum only for a layer of one neuron "
                   r"(the source's example), where both sums are the single term $e^{z_1}$. For "
                   r"$n \ge 2$ neither sum is $e^z$, and the step that proves the claim is "
                   r"missing: numerator and denominator are the same sum, "
                   r"$\sum_j e^{z_j} = \sum_k e^{z_k}$, written with different names for the "
                   r"summation index.",
        evidence=(source_sum(), one_neuron_sum(), general_sum()),
    )


def float64_remark() -> Remark:
    """Source, first paragraph: σ(z) < 1 for every z holds in exact arithmetic only."""
    return Remark(
        notebook="ex4",
        where="chapter 3 · Exercise 4 · source, one-neuron example",
        source_says=r"$a = \sigma(z) < 1$ for every real $z$, so the one output of a one-neuron "
                    r"sigmoid layer never sums to 1.",
        what_holds=r"true in exact arithmetic ($1 - \sigma(z) = \sigma(-z) > 0$). In float64, "
                   r"$\sigma(z)$ is exactly 1.0 from $z = 53 \ln 2 \approx 36.74$ on, so there "
                   "the one-neuron sigmoid layer's output does \"sum to 1\".",
        evidence=(below_one(), saturation_checks()),
        float64=True,
    )


REMARKS = (middle_line_remark, float64_remark)
