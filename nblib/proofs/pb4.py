"""Problem 4: inverting softmax. z_j = ln a_j + C, and softmax(ln a + C) = a for every C.

:func:`source_lines` follows the worked solution's two lines (take logarithms of the
definition of a_j, call ln Σ_k e^{z_k} the constant C); both hold. :func:`converse` proves
the other direction for general n, :func:`converse_n2` … :func:`converse_n5` add the
hypothesis Σ_k a_k = 1 on concrete layers, and :func:`round_trip` composes the two. The
numeric checks run the round trip in float64 and show what underflow does to it.
:data:`EXERCISE` declares the layer of three neurons (:func:`converse_n3`) once, for that
chain and for the notebook's "Your turn" box.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from nblib.numerics.activations import log_softmax, softmax
from nblib.numerics.floats import float_warnings
from nblib.numerics.layer import inverse_softmax
from nblib.proof.derivation import Derivation, Remark
from nblib.proof.exercise import Exercise
from nblib.proof.notation import named, named_symbol
from nblib.proof.rewrites import same_summation_index
from nblib.reports.checks import CheckReport, check_values
from nblib.reports.portable import vector


def _outputs_summing_to_one(size: int) -> list[sp.Symbol]:
    """a_1 … a_size of a layer whose outputs sum to 1: a_size = 1 − (a_1 + … + a_{size−1})."""
    outputs = list(sp.symbols(f"a_1:{size}", positive=True))
    outputs.append(named_symbol(f"a_{{{size}}}", 1 - sum(outputs), f"a_{size}"))
    return outputs


def _shifted_softmax_1(outputs: list[sp.Symbol]) -> sp.Expr:
    """softmax(ln a + C)_1 written out over the given outputs."""
    with sp.evaluate(False):
        return sp.exp(sp.log(outputs[0]) + SHIFT) / sp.Add(
            *[sp.exp(sp.log(a_k) + SHIFT) for a_k in outputs])


def _sum_one_domains(outputs: list[sp.Symbol]) -> dict[sp.Symbol, tuple[float, float]]:
    return {a_k: (0.01, 0.2) for a_k in outputs[:-1]}


def _sum_one_assumptions(size: int) -> str:
    """The hypothesis as text: a_n = 1 − a_1 for two neurons, 1 − (a_1 + … + a_{n−1}) after."""
    others = " + ".join(f"a_{k}" for k in range(1, size)) if size <= 3 else \
        f"a_1 + \\dots + a_{size - 1}"
    rest = f"1 - {others}" if size == 2 else f"1 - ({others})"
    return f"$a_k > 0$ and $a_{size} = {rest}$"


def converse_n2() -> Derivation:
    """Claim 2 with Σ a = 1 for n = 2."""
    return converse_with_sum_one(2)


def converse_n3() -> Derivation:
    """Claim 2 with Σ a = 1 for n = 3: the worked proof of :data:`EXERCISE`."""
    return converse_with_sum_one(3)


def converse_n5() -> Derivation:
    """Claim 2 with Σ a = 1 for n = 5."""
    return converse_with_sum_one(5)


# --- begin cells exported from notebooks/10_pb4_inverting_softmax.ipynb
n = sp.Symbol("n", integer=True, positive=True)  # the number of neurons
j, k, m = sp.symbols("j k m", integer=True, positive=True)
z = sp.IndexedBase("z", real=True)
a = sp.IndexedBase("a", positive=True)
SHIFT = sp.Symbol("C", real=True)
TOTAL = sp.Sum(sp.exp(z[k]), (k, 1, n))  # Σ_k e^{z_k}
A_J = named("a_{j}", sp.exp(z[j]) / TOTAL, "a_j")  # shown as a_j, checked as its definition
C = named("C", sp.log(TOTAL))
SIZES = ({n: 2, j: 1}, {n: 3, j: 2}, {n: 5, j: 5})  # layers for the numeric spot checks
SOFTMAX_OF_SHIFTED = r"\operatorname{softmax}(\ln a + C)"


def source_lines() -> Derivation:
    """Claim 1 along the source: take logarithms of a_j = e^{z_j}/Σ_k e^{z_k}, name C."""
    with sp.evaluate(False):  # keep each line as written
        log_of_exp = sp.log(sp.exp(z[j]))
        times_one = sp.log(sp.exp(z[j]) / TOTAL * TOTAL)
        split = sp.log(sp.exp(z[j]) / TOTAL) + sp.log(TOTAL)
    d = Derivation(z[j], lhs="z_j", integers=SIZES)
    d.step(log_of_exp, "$z_j$ is real")
    d.step(times_one, r"multiply and divide by $\sum_k e^{z_k}$")
    d.step(split, "ln of a product")
    d.step(sp.log(A_J) + sp.log(TOTAL), "definition of $a_j$ (source, line 2)")
    return d.step(sp.log(A_J) + C, r"source, line 3: call $\ln \sum_k e^{z_k}$ the constant $C$")


def constant() -> None:
    """Print C's definition and whether the index j occurs in it (it does not)."""
    print("C =", C.definition, "   does j occur in it?", j in C.definition.free_symbols)


def converse() -> Derivation:
    """Claim 2 for general n: softmax(ln a + C)_j = a_j / Σ_k a_k for any positive a, any C."""
    with sp.evaluate(False):  # sums are built outside: SymPy would write Σ 1·a_k inside
        term = sp.exp(sp.log(a[k]) + SHIFT)
    denominator, total_a = sp.Sum(term, (k, 1, n)), sp.Sum(a[k], (k, 1, n))
    with sp.evaluate(False):
        start = sp.exp(sp.log(a[j]) + SHIFT) / denominator
        factored = sp.exp(SHIFT) * a[j] / (sp.exp(SHIFT) * total_a)
    d = Derivation(start, lhs=SOFTMAX_OF_SHIFTED + "_j", integers=SIZES)
    d.step(sp.exp(SHIFT) * a[j] / sp.Sum(sp.exp(SHIFT) * a[k], (k, 1, n)),
           r"$e^{\ln a_k + C} = e^C a_k$ since $a_k > 0$")
    d.step(factored, "$e^C$ does not depend on k")
    return d.step(a[j] / total_a, "cancel $e^C$")


# Claim 2 on three neurons as an exercise: the learner's "Your turn" and converse_n3 share it.
# a_3 is a Symbol standing for 1 − a_1 − a_2, so the learner can type it (a3 or a_3) and
# every check still sees the hypothesis Σ_k a_k = 1.
EXERCISE_SIZE = 3
_A1, _A2, _A3 = _outputs_summing_to_one(EXERCISE_SIZE)
EXERCISE = Exercise(
    id="pb4",
    statement="softmax(ln a + C)_1 = a_1 when a_1 + a_2 + a_3 = 1",
    symbols={"a1": _A1, "a2": _A2, "a3": _A3, "a_1": _A1, "a_2": _A2, "a_3": _A3,
             "C": SHIFT},
    functions={"exp": sp.exp, "log": sp.log, "ln": sp.log},
    start=_shifted_softmax_1([_A1, _A2, _A3]),
    target=_A1,
    lhs=SOFTMAX_OF_SHIFTED + "_1",
    domains=_sum_one_domains([_A1, _A2, _A3]),
    assumptions=_sum_one_assumptions(EXERCISE_SIZE),
    worked=converse_n3,
)


def converse_with_sum_one(size: int) -> Derivation:
    """Claim 2 on a layer of ``size`` neurons whose outputs sum to 1: softmax(ln a + C) = a.

    The hypothesis enters through the last output, a_n = 1 − (a_1 + … + a_{n−1}), shown as
    a_n and checked as that difference; a_1 … a_{n−1} are sampled in (0.01, 0.2) so that
    a_n > 0 too (n ≤ 5). For n = 3 the chain starts from :data:`EXERCISE`, the declaration
    the notebook's "Your turn" box checks a learner's lines under.
    """
    if not isinstance(size, int) or not 2 <= size <= 5:
        raise ValueError(f"converse_with_sum_one: argument 'size' must be 2, 3, 4 or 5 "
                         f"(got {size!r})")
    outputs = _outputs_summing_to_one(size)
    with sp.evaluate(False):
        factored = sp.exp(SHIFT) * outputs[0] / (sp.exp(SHIFT) * sp.Add(*outputs))
    if size == EXERCISE_SIZE:
        d = EXERCISE.derivation()
    else:
        d = Derivation(_shifted_softmax_1(outputs), lhs=SOFTMAX_OF_SHIFTED + "_1",
                       domains=_sum_one_domains(outputs),
                       assumptions=_sum_one_assumptions(size))
    d.step(factored, r"$e^{\ln a_k + C} = e^C a_k$; factor out $e^C$")
    d.step(outputs[0] / sp.Add(*outputs), "cancel $e^C$")
    return d.step(outputs[0], r"$\sum_k a_k = 1$")


def converse_sizes() -> None:
    """Build the n = 2, 3 and 5 chains and print how many steps each checked."""
    print("\n".join(f"n = {size}: {converse_with_sum_one(size).checked_steps} steps checked ✓"
                    for size in (2, 3, 5)))


def round_trip() -> Derivation:
    """z → a = softmax(z) → softmax(ln a + C) = a, for general n."""
    total_m = sp.Sum(sp.exp(z[m]), (m, 1, n))  # its own index, to read ln a_k unambiguously
    a_j = named("a_{j}", sp.exp(z[j]) / total_m, "a_j")
    a_k = named("a_{k}", sp.exp(z[k]) / total_m, "a_k")
    with sp.evaluate(False):
        term, term_z = sp.exp(sp.log(a_k) + SHIFT), sp.exp(z[k] - sp.log(total_m) + SHIFT)
    denominator, denominator_z = sp.Sum(term, (k, 1, n)), sp.Sum(term_z, (k, 1, n))
    with sp.evaluate(False):
        start = sp.exp(sp.log(a_j) + SHIFT) / denominator
        expanded = sp.exp(z[j] - sp.log(total_m) + SHIFT) / denominator_z
    d = Derivation(start, lhs=SOFTMAX_OF_SHIFTED + "_j", integers=SIZES,
                   hints=[same_summation_index])
    d.step(expanded, r"$\ln a_k = z_k - \ln \sum_m e^{z_m}$")
    d.step(sp.exp(z[j]) / TOTAL, r"cancel $e^{C - \ln \sum_m e^{z_m}}$, a factor of every term")
    return d.step(a_j, "definition of $a_j$ (the name of a summation index does not matter)")
# --- end of exported cells (edit them in the notebook, then run `make export`)


DERIVATIONS = (source_lines, converse, converse_n2, converse_n3,
               functools.partial(converse_with_sum_one, 4), converse_n5,
               round_trip)

# Numeric checks ----------------------------------------------------------------------
EDGE = np.array([0.0, -740.0, -800.0, 1.0])  # a subnormal output and one that underflows to 0
HUGE = np.array([1e300, 0.0, -1e300])


def round_trip_checks(seed: int = 4) -> CheckReport:
    """Claims 1 and 2 on 1000 random layers of 6 neurons (z of typical size 5).

    Errors in z are absolute (ln turns the relative error of a into an absolute one);
    errors in a are relative. With |C| up to 500, ln a_j + C is rounded to the spacing of
    floats near C (about |C|·2⁻⁵²), which is the relative error then seen in a.
    """
    rng = np.random.default_rng(seed)
    zs = rng.normal(0.0, 5.0, size=(1000, 6))
    outputs = softmax(zs)
    recovered = np.log(outputs)  # ln a = z − C, row by row
    top = zs.max(axis=1, keepdims=True)
    layer_constant = top + np.log(np.exp(zs - top).sum(axis=1, keepdims=True))
    small = rng.uniform(-1.0, 1.0, size=(1000, 1))
    large = rng.uniform(-500.0, 500.0, size=(1000, 1))
    return CheckReport([
        check_values(recovered - recovered.mean(axis=1, keepdims=True),
                     zs - zs.mean(axis=1, keepdims=True), kind="absolute", tol=1e-13,
                     name="claim 1: ln a = z up to a constant (each layer's mean removed)"),
        check_values(zs - recovered, np.broadcast_to(layer_constant, zs.shape),
                     kind="absolute", tol=1e-13,
                     name="claim 1: the constant is C = ln Σ_k e^{z_k}"),
        check_values(softmax(recovered + small), outputs, tol=1e-13,
                     name="claim 2: softmax(ln a + C) = a, |C| ≤ 1"),
        check_values(softmax(recovered + large), outputs, tol=1e-12,
                     name="claim 2: softmax(ln a + C) = a, |C| ≤ 500 (rounding of ln a + C)"),
    ])


def underflow() -> None:
    """Print a = softmax(z) for z with a subnormal and an underflowed output, ln a, ln a − z."""
    outputs = softmax(EDGE)
    ln_a, warned = float_warnings(np.log, outputs)
    print("z          =", vector(EDGE))
    print("a          =", vector(outputs))
    print("ln a       =", vector(ln_a), warned)
    print("ln a − z   =", vector(ln_a - EDGE))


def refusal() -> None:
    """Print the error inverse_softmax gives for an output that underflowed to 0."""
    try:
        inverse_softmax(softmax(EDGE))
    except ValueError as error:
        print(error)


def stable_logs() -> None:
    """Print log_softmax(z) − z for the underflow example and for |z| = 1e300, with warnings."""
    for label, values in (("z as above", EDGE), ("huge |z|  ", HUGE)):
        logs, warned = float_warnings(log_softmax, values)
        print(f"{label}: log_softmax(z) − z = {vector(logs - values)} {warned}")


def log_softmax_checks() -> CheckReport:
    """Claim 3: log-softmax recovers z up to a constant where softmax underflows."""
    logs, huge_logs = log_softmax(EDGE), log_softmax(HUGE)
    return CheckReport([
        check_values(logs - EDGE, np.full(4, logs[0] - EDGE[0]), kind="absolute", tol=1e-12,
                     resolution=1e-13,
                     name="log-softmax: ln a − z is one constant, underflowed outputs included "
                          "(float spacing at 800 is 1.1e-13)"),
        check_values(huge_logs - HUGE, np.full(3, -1e300), tol=0.0,
                     name="log-softmax at |z| = 1e300: ln a − z = −1e300 for every neuron"),
    ])


CHECKS = (round_trip_checks, log_softmax_checks)


def float64_remark() -> Remark:
    """Source, line 2: ln a_j + C gives back every z_j; in float64 only if no a_j underflows."""
    return Remark(
        notebook="pb4",
        where="chapter 3 · Problem 4 · source, line 2",
        source_says=r"$z_j = \ln a_j + \ln \sum_k e^{z_k}$: the logarithms of the outputs give "
                    r"back the weighted inputs, up to one constant.",
        what_holds=r"true in exact arithmetic. In float64 an output below about 2.2e-308 is "
                   r"subnormal and $\ln a_j$ loses digits ($z_j = -740$ comes back 0.0087 off), "
                   r"and below about 4.9e-324 it is exactly 0, $\ln 0 = -\infty$, and $z_j$ is "
                   r"lost. `log_softmax` computes $\ln a_j$ from $z$ directly and recovers every "
                   r"$z_j$ up to the constant, to rounding.",
        evidence=(log_softmax_checks(),),
        float64=True,
    )


REMARKS = (float64_remark,)
