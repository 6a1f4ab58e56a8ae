"""Exercise 6: softmax is not local; every a_j depends on every z_k (n ≥ 2).

The worked solution argues twice: from Exercise 5's off-diagonal derivative (a proof,
redone for general n in :func:`off_diagonal`), and "directly", because z_k occurs in the
denominator of a_j. The second argument alone proves nothing: :func:`shift` shows that
raising every z_k by the same c changes that denominator while leaving every a_j as it was,
and :func:`row_sums` says the same for the Jacobian (each row sums to 0); :data:`EXERCISE`
declares the shift for a layer of three neurons once, for :func:`three_neuron_shift` and for
the notebook's "Your turn" box, in plain symbols a learner can type. The numeric checks
set the softmax layer beside a sigmoid layer, whose Jacobian is diagonal, and show float64
hiding the dependence once an output underflows.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from nblib.numerics.activations import sigmoid, softmax
from nblib.numerics.floats import float_warnings
from nblib.numerics.jacobians import EPS, naive_softmax, sigmoid_layer_jacobian, softmax_jacobian
from nblib.proof.derivation import Derivation, Remark
from nblib.proof.exercise import Exercise
from nblib.proof.rewrites import distinct_indices, in_range_pieces, rename_sum_indices
from nblib.proof.softmax import (
    LAYER3_NAMES,
    LAYER3_Z,
    Z,
    check_identity,
    check_jacobian_signs,
    layer3_a,
    softmax_a,
    z_vector,
)
from nblib.proof.symbolic import sigmoid_layer, softmax_layer
from nblib.reports.checks import (
    CheckReport,
    check_claim,
    check_jacobian,
    check_values,
    numerical_jacobian,
)
from nblib.reports.portable import fixed, number, vector

# Symbolic ---------------------------------------------------------------------------------------


# --- begin cells exported from notebooks/09_ex6_softmax_not_local.ipynb
n = sp.Symbol("n", integer=True, positive=True)  # the number of neurons
c = sp.Symbol("c", real=True)  # a common shift of every weighted input
j, k, m = sp.Idx("j"), sp.Idx("k"), sp.Idx("m")
TOTAL = sp.Sum(sp.exp(Z[m]), (m, 1, n))  # Σ_m e^{z_m}, the denominator of every a_j


def off_diagonal() -> Derivation:
    """Claim 1 for every n: ∂a_j/∂z_k = −a_j a_k for k ≠ j."""
    with sp.evaluate(False):
        only_denominator = -sp.exp(Z[j]) * sp.Derivative(TOTAL, Z[k]) / TOTAL**2
    d = Derivation(sp.Derivative(softmax_a(j, n), Z[k]), hints=[distinct_indices(j, k)],
                   integers=[{n: 2, j: 1, k: 2}, {n: 3, j: 3, k: 1}, {n: 5, j: 2, k: 4}],
                   assumptions="j ≠ k and 1 ≤ j, k ≤ n")
    d.step(only_denominator, "quotient rule; $e^{z_j}$ does not depend on $z_k$")
    d.step(-sp.exp(Z[j]) * sp.exp(Z[k]) / TOTAL**2, "only the term $m = k$ depends on $z_k$")
    return d.step(-softmax_a(j, n) * softmax_a(k, n), "definition (78), twice")


def sigmoid_jacobian(size: int = 3) -> sp.Matrix:
    """Claim 2: SymPy's Jacobian of the sigmoid layer σ(z_1), …, σ(z_size)."""
    z = z_vector(size)
    return sigmoid_layer(z).jacobian(z)


def shift() -> Derivation:
    """Claim 3 for every n: a_j(z + c) = a_j(z)."""
    shifted_total = sp.Sum(sp.exp(Z[m] + c), (m, 1, n))
    factored = sp.Sum(sp.Mul(sp.exp(c), sp.exp(Z[m]), evaluate=False), (m, 1, n))
    with sp.evaluate(False):
        inside = sp.exp(c) * sp.exp(Z[j]) / factored
        outside = sp.exp(c) * sp.exp(Z[j]) / (sp.exp(c) * TOTAL)
    d = Derivation(sp.exp(Z[j] + c) / shifted_total, lhs="a_j(z + c)", hints=[rename_sum_indices],
                   integers=[{n: 2, j: 1}, {n: 3, j: 2}, {n: 5, j: 5}])
    d.step(inside, "$e^{x + c} = e^c e^x$")
    d.step(outside, "$e^c$ does not depend on $m$")
    d.step(sp.exp(Z[j]) / TOTAL, "cancel $e^c$")
    return d.step(softmax_a(j, n), "definition (78)")


def three_neuron_shift() -> Derivation:
    """Claim 3 for a layer of three neurons and j = 1, every term written out: the chain of
    :data:`EXERCISE`, in plain symbols.

    The notebook's "Your turn" box checks a learner's own lines against it and reveals it
    one line at a time.
    """
    exps = [sp.exp(v) for v in LAYER3_Z]
    with sp.evaluate(False):  # keep e^c apart from e^{z_k}, and the factor e^c outside
        split = sp.exp(c) * exps[0] / sp.Add(*(sp.exp(c) * e for e in exps))
        factored = sp.exp(c) * exps[0] / (sp.exp(c) * sp.Add(*exps))
        cancelled = exps[0] / sp.Add(*exps)
    d = EXERCISE.derivation()
    d.step(split, "$e^{x + c} = e^c e^x$")
    d.step(factored, "factor out $e^c$")
    d.step(cancelled, "cancel $e^c$")
    return d.step(EXERCISE.target, "definition (78)")


# Claim 3 for three neurons as an exercise: the "Your turn" box and three_neuron_shift share it.
EXERCISE = Exercise(
    id="ex6",
    statement="a_1(z + c) = a_1(z)",
    symbols={**LAYER3_NAMES, "c": c},
    functions={"a": layer3_a, "exp": sp.exp},
    start=sp.exp(LAYER3_Z[0] + c) / sp.Add(*(sp.exp(v + c) for v in LAYER3_Z)),
    target=layer3_a(1),
    lhs="a_1(z + c)",
    reason="definition (78), every $z_k$ raised by $c$",
    domains={v: (-3.0, 3.0) for v in (*LAYER3_Z, c)},  # the default for real symbols, stated
    worked=three_neuron_shift,
)


def row_sums() -> Derivation:
    """Claim 3 for the Jacobian: Σ_k ∂a_j/∂z_k = 0, from Exercise 5 and Σ_k a_k = 1."""
    with sp.evaluate(False):
        cancelled = softmax_a(j, n) - softmax_a(j, n)
    d = Derivation(sp.Sum(softmax_a(j, n) * (sp.KroneckerDelta(j, k) - softmax_a(k, n)),
                          (k, 1, n)),
                   lhs=r"\sum_{k=1}^{n} \frac{\partial a_j}{\partial z_k}", reason="Exercise 5",
                   hints=[lambda e: rename_sum_indices(in_range_pieces(e))],
                   integers=[{n: 2, j: 1}, {n: 3, j: 2}, {n: 5, j: 4}], assumptions="1 ≤ j ≤ n")
    d.step(softmax_a(j, n) - softmax_a(j, n) * sp.Sum(softmax_a(k, n), (k, 1, n)),
           r"only $k = j$ survives in $\sum_k \delta_{jk}$")
    d.step(cancelled, r"$\sum_k a_k = 1$ (Exercise 4)")
    return d.step(sp.S.Zero, "")
# --- end of exported cells (edit them in the notebook, then run `make export`)


def locality_table() -> CheckReport:
    """n = 2 … 5: the signs of the softmax Jacobian (off-diagonal entries < 0, so nonzero)
    beside whether the sigmoid layer's Jacobian is diagonal, one claim per n."""
    results = []
    for size in range(2, 6):
        z = z_vector(size)
        signs = check_jacobian_signs(size)
        diagonal = sigmoid_layer(z).jacobian(z).is_diagonal()
        results.append(check_claim(signs.name, signs.passed and diagonal,
                                   f"{signs.detail}; sigmoid Jacobian diagonal: {diagonal}"))
    return CheckReport(results)


def shift_table() -> CheckReport:
    """Claim 3 with every term written out, n = 2 … 5 and every output j."""
    return CheckReport([
        check_identity(softmax_layer(z_vector(size) + c * sp.ones(size, 1)),
                       softmax_layer(z_vector(size)), label=f"n = {size}: a(z + c) = a(z)")
        for size in range(2, 6)
    ])


DERIVATIONS = (off_diagonal, shift, three_neuron_shift, row_sums)


# Numeric ----------------------------------------------------------------------------------------
NUDGE = 0.5
SHIFTS = (-40.0, -1.0, 0.5, 3.0, 40.0, 1000.0)


def samples(seed: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """From one generator: a five-neuron layer, then 1000 more (z ~ N(0, 2²))."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 2.0, 5)
    return logits, rng.normal(0.0, 2.0, size=(1000, 5))


def _nudged(logits: np.ndarray, position: int) -> np.ndarray:
    """``logits`` with entry ``position`` raised by :data:`NUDGE`."""
    out = logits.copy()
    out[position] += NUDGE
    return out


def _moves(logits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Output changes when each z_k in turn is raised: softmax[k] and sigmoid[k], (n, n)."""
    soft = np.stack([softmax(_nudged(logits, p)) - softmax(logits) for p in range(logits.size)])
    local = np.stack([sigmoid(_nudged(logits, p)) - sigmoid(logits) for p in range(logits.size)])
    return soft, local


def perturbation_table() -> CheckReport:
    """Raise each z_k of a random five-neuron layer by ½: which outputs move, and which way;
    the claim for each k: every softmax output moves (a_k up, the others down), one sigmoid
    output moves."""
    logits, _ = samples()
    soft, local = _moves(logits)
    results = []
    for position, (moved, near) in enumerate(zip(soft, local, strict=True)):
        up, down = bool(moved[position] > 0), bool(np.all(np.delete(moved, position) < 0))
        count, count_local = np.count_nonzero(moved), np.count_nonzero(near)
        results.append(check_claim(
            f"raise z_{position + 1}", count == 5 and up and down and count_local == 1,
            f"softmax outputs moved {count} of 5 (a_{position + 1} up: {up}, others down: "
            f"{down}); sigmoid outputs moved {count_local} of 5"))
    return CheckReport(results)


def difference_table() -> CheckReport:
    """Off-diagonal entries of both finite-difference Jacobians: 0.0 for sigmoid, never 0 for
    softmax."""
    logits, _ = samples()
    off = ~np.eye(5, dtype=bool)
    fd_sigmoid = numerical_jacobian(sigmoid, logits)[off]
    fd_softmax = numerical_jacobian(softmax, logits)[off]
    return CheckReport([
        check_claim("sigmoid layer", np.all(fd_sigmoid == 0),
                    f"largest |off-diagonal entry| = {number(np.abs(fd_sigmoid).max())}"),
        check_claim("softmax layer", np.all(fd_softmax != 0),
                    f"smallest |off-diagonal entry| = {number(np.abs(fd_softmax).min(), 2)}"),
    ])


def shift_overflow() -> CheckReport:
    """The textbook formula at z + 1000 (overflow, nan) against nblib.softmax at z + 1000 and
    z: finite, and the same outputs to the six decimals shown."""
    logits, _ = samples()
    raised = logits + 1000.0
    naive, warnings = float_warnings(naive_softmax, raised)
    shifted, unshifted = (", ".join(fixed(v, 6) for v in softmax(x)) for x in (raised, logits))
    return CheckReport([
        check_claim("textbook formula at z + 1000", np.isnan(naive).all(), f"{naive} {warnings}"),
        check_claim("nblib softmax at z + 1000", np.isfinite(softmax(raised)).all(), shifted),
        # padded to stand under the line above, for the eye to compare
        check_claim("nblib softmax at z", unshifted == shifted, f"{'':7}{unshifted}"),
    ])


#: a_2 ≈ e^{−801} is below the smallest positive float64.
TINY = (0.0, -800.0, 1.0)


def underflow() -> CheckReport:
    """Raise z_1 of a layer whose a_2 underflows: a_2 stays exactly 0.0 in float64, the other
    two outputs move."""
    tiny = np.array(TINY)
    before, after = softmax(tiny), softmax(tiny + np.array([NUDGE, 0.0, 0.0]))
    moved = np.count_nonzero(after - before)
    return CheckReport([
        check_claim("outputs before", before[1] == after[1] == 0.0,
                    f"{vector(before)}  after raising z_1: {vector(after)}"),
        check_claim("outputs moved", moved == 2, f"{moved} of 3"),
    ])


def shift_checks() -> CheckReport:
    """Claim 3 in float64 on 1000 random layers, for several c.

    Rounding z_k + c moves each input by up to (|z_k| + |c|)·2⁻⁵³, hence a tolerance that
    grows with |c|.
    """
    _, batch = samples()
    return CheckReport([
        check_values(softmax(batch + shift_by), softmax(batch), tol=(16 + 2 * abs(shift_by)) * EPS,
                     name=f"softmax(z + c) against softmax(z), c = {shift_by:g}")
        for shift_by in SHIFTS
    ])


def jacobian_checks() -> CheckReport:
    """Both Jacobians against central differences, and the zero row sums of softmax's."""
    logits, batch = samples()
    return CheckReport([
        check_jacobian(sigmoid, sigmoid_layer_jacobian, logits, floor=1e-4,
                       resolution=1e-8,
                       name="sigmoid layer: diag(σ′(z)) against central differences"),
        check_jacobian(softmax, softmax_jacobian, logits, floor=1e-4,
                       name="softmax layer: a_j(δ_jk − a_k) against central differences"),
        check_values(softmax_jacobian(batch).sum(axis=-1), np.zeros((1000, 5)), kind="absolute",
                     tol=4 * EPS, name="row sums of the softmax Jacobian"),
    ])


CHECKS = (perturbation_table, difference_table, jacobian_checks, shift_overflow, shift_checks,
          underflow)


# The source's imprecision, for the errata page ------------------------------------------------
def direct_argument_remark() -> Remark:
    """Source, second paragraph: z_k in the denominator does not by itself prove dependence."""
    return Remark(
        notebook="ex6",
        where="chapter 3 · Exercise 6 · source, the \"direct\" argument",
        source_says=r"because of the sum $\sum_k e^{z_k}$ in the denominator of $a_j$, changing "
                    r"any $z_k$ changes $a_j$.",
        what_holds=r"the conclusion is true for $n \ge 2$, but the reason given does not prove "
                   r"it: raising every $z_k$ by the same $c$ changes that denominator (by the "
                   r"factor $e^c$) and leaves every $a_j$ unchanged, so each row of the Jacobian "
                   r"sums to 0. What proves it is the sign: for $k \ne j$ only the denominator "
                   r"involves $z_k$, and $\partial a_j/\partial z_k = -a_j a_k < 0$. For $n = 1$, "
                   r"$a_1 = 1$ depends on nothing.",
        evidence=(shift(), row_sums(), off_diagonal(), shift_checks()),
    )


REMARKS = (direct_argument_remark,)
