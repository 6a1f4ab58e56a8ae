""""Your turn": median milliseconds from a submitted line to the answer under the box.

Typical lines of exercise 1, right and wrong, in SymPy syntax and in LaTeX, each checked
against the starting line (as a learner's first line is) and against the line after it. A
line's time covers reading it, the check and updating the widget's views.

For comparison it also times :func:`nblib.proof.equality.compare` alone on the same lines: the
full check that ``Derivation.step`` makes, whose symbolic zero test runs ``simplify`` on a
wrong line before its numeric check is consulted. ``YourTurn`` consults the numeric check
first (see ``YourTurn._numeric_witness``), which is what keeps wrong lines fast.
"""

from __future__ import annotations

import statistics
import time

from sympy.core.cache import clear_cache as clear_sympy_cache

from nblib.proof import equality
from nblib.proof.equality import compare
from nblib.proofs import ex1
from nblib.yourturn import YourTurn
from nblib.yourturn.parse import parse_line

TARGET_MS = 200.0
REPEATS = 3
# A wrong line answered with its slip named (issue "Your turn names the slip").
DIAGNOSIS_MEDIAN_MS = 200.0
DIAGNOSIS_WORST_MS = 1000.0

# (line, right?) — what a learner types on the way from σ′ to σ(1 − σ).
LINES = [
    ("Derivative(1/(1+exp(-z)), z)", True),
    ("exp(-z)/(1+exp(-z))**2", True),
    (r"\frac{e^{-z}}{(1+e^{-z})^2}", True),
    ("1/(1+exp(-z)) * exp(-z)/(1+exp(-z))", True),
    (r"\frac{1}{1+e^{-z}}\left(1-\frac{1}{1+e^{-z}}\right)", True),
    ("sigma(z)*(1 - sigma(z))", True),
    (r"\sigma(z)(1-\sigma(z))", True),
    ("-exp(-z)/(1+exp(-z))**2", False),
    ("exp(-z)/(1+exp(-z))**3", False),
    (r"\frac{e^{z}}{(1+e^{-z})^2}", False),
    ("sigma(z)*(1 + sigma(z))", False),
    ("(1+exp(-z))**-1", False),
]


def clear_cache() -> None:
    """Forget everything remembered: SymPy's cache and nblib's remembered verdicts, so each
    line is timed as a first answer, never as a repeat."""
    clear_sympy_cache()
    equality._compare.cache_clear()
    equality.evaluated.cache_clear()
    equality._concrete.cache_clear()


def time_lines(turn: YourTurn, after: str | None) -> list[float]:
    """Milliseconds for each line of LINES, each submitted to a fresh chain."""
    times = []
    for text, _right in LINES:
        turn.clear()
        if after:
            turn.submit(after)
        clear_cache()
        start = time.perf_counter()
        turn.submit(text)
        times.append((time.perf_counter() - start) * 1000)
    return times


def time_compare_alone(after: str | None) -> list[float]:
    """Milliseconds for compare() alone on the same lines (the check without the prescreen)."""
    exercise = ex1.EXERCISE
    previous = parse_line(after, exercise) if after else exercise.start
    times = []
    for text, _right in LINES:
        expr = parse_line(text, exercise)
        clear_cache()
        start = time.perf_counter()
        compare(previous, expr, domains=exercise.domains, seed=1)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> bool:
    """Print the median and worst ms per line; True if the median meets the target."""
    turn = YourTurn(ex1.EXERCISE)
    parse_line(r"\frac{1}{2}", ex1.EXERCISE)  # the LaTeX parser loads once per kernel
    time_lines(turn, None)  # warm SymPy's caches as a first use would
    per_line = {text: [] for text, _ in LINES}
    alone = {text: [] for text, _ in LINES}
    for _ in range(REPEATS):
        for after in (None, "exp(-z)/(1+exp(-z))**2"):
            for (text, _), ms in zip(LINES, time_lines(turn, after), strict=True):
                per_line[text].append(ms)
            for (text, _), ms in zip(LINES, time_compare_alone(after), strict=True):
                alone[text].append(ms)
    medians = {text: statistics.median(v) for text, v in per_line.items()}
    median = statistics.median(t for v in per_line.values() for t in v)
    worst = max(t for v in per_line.values() for t in v)
    ok = median <= TARGET_MS
    print(f"Your turn: ms per submitted line (target: median ≤ {TARGET_MS:.0f} ms)")
    for text, right in LINES:
        print(f"  {'right' if right else 'wrong'}  {medians[text]:7.1f} ms   "
              f"compare() alone {statistics.median(alone[text]):8.1f} ms   {text}")
    wrong = [t for (text, right) in LINES if not right for t in per_line[text]]
    wrong_alone = [t for (text, right) in LINES if not right for t in alone[text]]
    print(f"  wrong lines: median {statistics.median(wrong):.1f} ms with the numeric check "
          f"first, {statistics.median(wrong_alone):.1f} ms through compare() alone")
    print(f"  all lines: median {median:.1f} ms, worst {worst:.1f} ms   "
          f"{'ok' if ok else 'MISSED'}")
    return ok


def time_diagnoses() -> bool:
    """Every wrong line of the slip catalogue (tests/test_yourturn_slips.py) answered as a
    learner gets it, with the live time limits: ms per answer (the slowest three shown), and
    how many slips are named in time against how many the catalogue expects. The target
    (issue #17) is met when every slip is named and the median and worst are within theirs."""
    from nblib.proofs import load
    from tests.test_yourturn_slips import CATALOGUE

    times, missed, expected = [], [], 0
    for notebook, before, line, kind in CATALOGUE:
        turn = YourTurn(load(notebook).EXERCISE)
        for correct in before:
            turn.submit(correct)
        start = time.perf_counter()
        feedback = turn.submit(line)
        times.append(((time.perf_counter() - start) * 1000, f"{notebook}: {line}"))
        expected += kind is not None
        if kind is not None and (feedback.slip is None or feedback.slip.kind != kind):
            missed.append(f"{notebook}: {line}")
    median, worst = statistics.median(t for t, _ in times), max(t for t, _ in times)
    ok = median <= DIAGNOSIS_MEDIAN_MS and worst <= DIAGNOSIS_WORST_MS and not missed
    print(f"Your turn, wrong lines with the slip named ({len(times)} lines of the catalogue; "
          f"targets: median ≤ {DIAGNOSIS_MEDIAN_MS:.0f} ms, worst ≤ {DIAGNOSIS_WORST_MS:.0f} ms)")
    for ms, line in sorted(times, reverse=True)[:3]:
        print(f"  slowest  {ms:7.1f} ms   {line}")
    for line in missed:
        print(f"  not named within the live limits: {line}")
    print(f"  median {median:.1f} ms, worst {worst:.1f} ms; {expected - len(missed)} of "
          f"{expected} slips named within the live limits   {'ok' if ok else 'MISSED'}")
    return ok


if __name__ == "__main__":
    results = [main(), time_diagnoses()]  # both run, whether or not the first meets its target
    raise SystemExit(0 if all(results) else 1)
