"""The chapter's experiment on real digits: the quadratic cost, the cross-entropy with
sigmoid outputs, and softmax with the log-likelihood, trained alike.

The derivations state what differs between the runs: only the output error δᴸ (BP1), whose
quadratic form carries the factor σ′(z_j) = a_j(1 − a_j) that the cross-entropy's lacks;
averaged over 0 ≤ a ≤ 1 that factor is ∫₀¹ a(1 − a) da = 1/6, the chapter's rough
heuristic for relating the two costs' learning rates (Chapter 1's η = 3.0 for the quadratic
cost is 6 times the 0.5 it uses for the cross-entropy).

The numeric part checks the vendored data, trains the runs
(:func:`nblib.network.experiment.train_digits`) and sets their counts beside the chapter's
MNIST figures, with the binomial standard error that says how far apart two accuracies must
be before the test set can tell them apart.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import sympy as sp

from nblib.network.datasets import DIGITS_FILE, DIGITS_SHA256, digit_images
from nblib.network.experiment import EPOCHS, TEST_IMAGES, digits_data, train_digits
from nblib.proof.derivation import Derivation
from nblib.proof.exercise import Exercise
from nblib.proof.notation import named
from nblib.reports.checks import CheckReport, check_claim
from nblib.reports.portable import fixed, number
from nblib.reports.table import Table

# --- begin cells exported from notebooks/16_digits_costs_compared.ipynb
a, y, z = sp.symbols("a y z", real=True)
_t = sp.Symbol("t", real=True)
A = named("a_j", 1 / (1 + sp.exp(-z)), "a_j")  # a_j = σ(z_j), one output neuron
Y = named("y_j", y, "y_j")
SLOPE = named(r"\sigma'(z_j)", sp.diff(1 / (1 + sp.exp(-_t)), _t).subs(_t, z), "σ′(z_j)")
DOMAINS = {y: (0.0, 1.0)}


def output_error_ratio() -> Derivation:
    """Per output neuron, δᴸ_j of the quadratic cost over δᴸ_j of the cross-entropy."""
    with sp.evaluate(False):
        quotient = (A - Y) * SLOPE / (A - Y)
    lhs = r"\frac{\delta^L_j\ \text{(quadratic)}}{\delta^L_j\ \text{(cross-entropy)}}"
    d = Derivation(quotient, lhs=lhs, domains=DOMAINS, reason="BP1 for each cost (Problem 1)")
    d.step(SLOPE, r"cancel $a_j - y_j$ (where $a_j \neq y_j$)")
    return d.step(A * (1 - A), r"$\sigma' = \sigma(1 - \sigma)$ (Exercise 1)")


ANTIDERIVATIVE = a**2 / 2 - a**3 / 3


def average_slope() -> Derivation:
    """The chapter's heuristic: σ′ = a(1 − a), averaged over 0 ≤ a ≤ 1, is 1/6."""
    d = EXERCISE.derivation()
    d.step(sp.Integral(a - a**2, (a, 0, 1)), "multiply out")
    d.step(named(rf"\left[{sp.latex(ANTIDERIVATIVE)}\right]_0^1",
                 ANTIDERIVATIVE.subs(a, 1) - ANTIDERIVATIVE.subs(a, 0),
                 f"[{ANTIDERIVATIVE}] from 0 to 1"), r"an antiderivative of $a - a^2$")
    half_minus_third = sp.Rational(1, 2) - sp.Rational(1, 3)
    d.step(named(r"\frac{1}{2} - \frac{1}{3}", half_minus_third, "1/2 - 1/3"),
           "its value at $a = 1$, minus its value at $a = 0$")
    return d.step(EXERCISE.target, "common denominator")


# The average of σ′ as an exercise: the "Your turn" box and the chain above share it.
EXERCISE = Exercise(
    id="digits",
    statement="∫₀¹ a(1 − a) da = 1/6: averaged over the output a, σ′ = a(1 − a) is 1/6",
    symbols={"a": a},
    functions={},
    start=sp.Integral(a * (1 - a), (a, 0, 1)),
    target=sp.Rational(1, 6),
    lhs=r"\overline{\sigma'}",
    reason=r"$\sigma' = a(1 - a)$, averaged over $0 \le a \le 1$",
    domains={a: (0.0, 1.0)},  # where a line in a (not yet integrated) is compared
    worked=average_slope,
)
# --- end of exported cells (edit them in the notebook, then run `make export`)


DERIVATIONS = (output_error_ratio, average_slope)

# --------------------------------------------------------------------------- the data

#: UCI's description of its test set (optdigits.names, "Class Distribution"), digits 0..9.
UCI_TEST_COUNTS = (178, 182, 177, 183, 181, 182, 181, 179, 174, 180)


def data_checks() -> CheckReport:
    """The vendored file is the one scikit-learn ships, and holds what UCI describes."""
    images, labels = digit_images()
    digest = hashlib.sha256(DIGITS_FILE.read_bytes()).hexdigest()
    counts = np.bincount(labels, minlength=10)
    train, test = digits_data()
    return CheckReport([
        check_claim("the file", digest == DIGITS_SHA256,
                    f"SHA-256 {digest[:16]}…, the checksum scikit-learn 1.9.1 lists for it"),
        check_claim("the images", images.shape == (1797, 8, 8)
                    and images.min() == 0 and images.max() == 16,
                    f"{len(images)} images of 8 × 8 pixel counts from {images.min()} to "
                    f"{images.max()}"),
        check_claim("the digits", tuple(counts.tolist()) == UCI_TEST_COUNTS,
                    "images per digit 0–9: " + ", ".join(map(str, counts))
                    + ", as UCI lists them for its test set"),
        check_claim("the split", (train.labels.size, test.labels.size) == (1200, TEST_IMAGES)
                    and np.bincount(test.labels, minlength=10).min() > 0,
                    f"{train.labels.size} training and {test.labels.size} test images, "
                    f"every digit in both (test images per digit: "
                    f"{', '.join(map(str, np.bincount(test.labels, minlength=10)))})"),
    ])


# --------------------------------------------------------------------------- the runs

NAMES = {"quadratic": "quadratic", "cross_entropy": "cross-entropy",
         "log_likelihood": "softmax + log-likelihood"}
#: The runs of the table, seed 1: the three costs at the cross-entropy's η = 0.5, then the
#: quadratic cost at Chapter 1's η = 3.0 (6 × 0.5, the heuristic).
RUNS = (("quadratic", 0.5), ("cross_entropy", 0.5), ("log_likelihood", 0.5),
        ("quadratic", 3.0))
#: A seed whose quadratic run has output neurons that never learn (seed 1 has none).
STUCK_SEED = 5


def _percent(right: int, images: int = TEST_IMAGES) -> str:
    """A count as a percentage with one decimal (exact integers in, the same text out)."""
    return fixed(100 * right / images, 1) + " %"


def standard_error(right: int, images: int = TEST_IMAGES) -> float:
    """The binomial standard error of an accuracy right/images, in test images:
    √(n p (1 − p)) with p = right/images."""
    p = right / images
    return math.sqrt(images * p * (1 - p))


def runs_table() -> Table:
    """The four runs of :data:`RUNS`: test images right after 1 and 30 epochs, and the best."""
    rows = []
    for cost, eta in RUNS:
        run = train_digits(cost, eta)
        best = int(run.right.argmax())
        rows.append((NAMES[cost], f"{eta:.1f}", str(run.right[1]), str(run.right[EPOCHS]),
                     _percent(int(run.right[EPOCHS])), f"{run.right[best]} (epoch {best})"))
    return Table(("cost", "η", "after 1 epoch", f"after {EPOCHS}", "%", "best (epoch)"),
                 tuple(rows), caption=f"Test images right, of {TEST_IMAGES} (seed 1)",
                 align="llrrrr")


def experiment_checks() -> CheckReport:
    """What the runs show, each claim one that other numbers would have failed."""
    q, ce, ll, q6 = (train_digits(cost, eta) for cost, eta in RUNS)
    stuck, unstuck = (train_digits(cost, 0.5, seed=STUCK_SEED)
                      for cost in ("quadratic", "cross_entropy"))
    se = standard_error(int(ce.right[EPOCHS]))
    never = [d for d in range(10) if stuck.answers[EPOCHS, d] == 0]
    return CheckReport([
        check_claim("the slowdown, η = 0.5", q.right[1] < min(ce.right[1], ll.right[1]),
                    f"after 1 epoch the quadratic cost has {q.right[1]} test images right, "
                    f"the cross-entropy {ce.right[1]}, softmax + log-likelihood {ll.right[1]}"),
        check_claim("still behind after 30 epochs, η = 0.5",
                    q.right[EPOCHS] < ce.right[EPOCHS] - 2 * se,
                    f"quadratic {q.right[EPOCHS]}, cross-entropy {ce.right[EPOCHS]}: more than "
                    f"two standard errors (2 × {number(se, 2)} images) apart"),
        check_claim("the two logarithmic costs, η = 0.5",
                    abs(int(ce.right[EPOCHS]) - int(ll.right[EPOCHS])) < 2 * se,
                    f"{ce.right[EPOCHS]} and {ll.right[EPOCHS]} right: within two standard "
                    "errors, which this test set cannot tell apart"),
        check_claim("the heuristic η = 6 × 0.5 for the quadratic cost",
                    abs(int(q6.right[EPOCHS]) - int(ce.right[EPOCHS])) < 2 * se,
                    f"quadratic at η = 3: {q6.right[EPOCHS]} right, cross-entropy at 0.5: "
                    f"{ce.right[EPOCHS]}: within two standard errors"),
        check_claim(f"stuck output neurons, seed {STUCK_SEED}",
                    bool(never) and unstuck.answers[EPOCHS].min() > 0,
                    f"after {EPOCHS} epochs the quadratic cost's network never answers "
                    f"{' or '.join(map(str, never))} ({stuck.right[EPOCHS]} right); the "
                    f"cross-entropy's, from the same start, answers every digit "
                    f"({unstuck.right[EPOCHS]} right)"),
    ])


# --------------------------------------------------------------------------- the book

#: The chapter's figures on MNIST: (run, η, test accuracy in percent, what the figure is).
MNIST_FIGURES = (("quadratic (Chapter 1)", 3.0, 95.42, 9542, "best of 30 epochs (epoch 28)"),
        ("cross-entropy", 0.5, 95.49, 9549, "as reported"))
MNIST_TEST_IMAGES = 10_000


def comparison_table() -> Table:
    """The chapter's two MNIST figures beside the runs here, each with its standard error."""
    rows = [(f"book: {name}", "MNIST, 28 × 28", "50,000", f"{MNIST_TEST_IMAGES:,}", f"{eta:.1f}",
             f"{percent:.2f} %", fixed(100 * standard_error(right, MNIST_TEST_IMAGES)
                                       / MNIST_TEST_IMAGES, 2), note)
            for name, eta, percent, right, note in MNIST_FIGURES]
    for cost, eta in RUNS:
        right = int(train_digits(cost, eta).right[EPOCHS])
        rows.append((f"here: {NAMES[cost]}", "UCI digits, 8 × 8", "1,200", str(TEST_IMAGES),
                     f"{eta:.1f}", _percent(right),
                     fixed(100 * standard_error(right) / TEST_IMAGES, 2), f"after {EPOCHS} epochs"))
    return Table(("run", "data", "training", "test", "η", "test accuracy", "± (points)",
                  "which epoch"), tuple(rows), align="llrrrrrl",
                 notes=("± is one binomial standard error, √(p(1 − p)/n), in percentage points",))


def seed_table(seeds: tuple[int, ...] = (1, 2, 3, 4, 5)) -> Table:
    """The cross-entropy's count after 30 epochs (η = 0.5) for several seeds."""
    counts = [int(train_digits("cross_entropy", 0.5, seed=s).right[EPOCHS]) for s in seeds]
    return Table(("seed", *map(str, seeds)), (("right", *map(str, counts)),),
                 caption=f"Cross-entropy, η = 0.5: test images right after {EPOCHS} epochs, "
                         f"of {TEST_IMAGES}")


CHECKS = (data_checks, experiment_checks)
