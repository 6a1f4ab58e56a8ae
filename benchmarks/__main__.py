"""Run every benchmark and print one block per measurement (``make bench``).

A benchmark that cannot run (no browser, a red notebook, a missing package) prints one line
saying why; the others still run and the summary still prints. Words after the command pick
the benchmarks whose names contain one of them: ``python -m benchmarks "your turn"`` runs
the two Your-turn benchmarks only.
"""

from __future__ import annotations

import sys

from benchmarks import browser_latency, explorers, nbval_suite, network, softmax, yourturn

BENCHMARKS = {
    "explorers": explorers.main,
    "network": network.main,
    "softmax": softmax.main,
    "your turn": yourturn.main,
    "your turn, slips named": yourturn.time_diagnoses,
    "browser latency": browser_latency.main,
    "nbval suite": nbval_suite.main,
}


def run(name: str, benchmark) -> bool | None:
    """Run one benchmark: True or False for its target, None if it could not run."""
    try:
        return bool(benchmark())
    except Exception as error:  # a report, not a crash: say why in one line and go on
        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"\n{name}: could not run ({type(error).__name__}: {reason})")
        return None


def main(words: list[str] | None = None) -> int:
    """Run each benchmark in turn (those whose names contain one of ``words``, if any);
    exit 1 if any target is missed or any could not run, 2 if no benchmark is picked."""
    chosen = {name: benchmark for name, benchmark in BENCHMARKS.items()
              if not words or any(word in name for word in words)}
    if not chosen:
        print(f"no benchmark is named like {' or '.join(map(repr, words))}; the benchmarks: "
              f"{', '.join(BENCHMARKS)}")
        return 2
    results = {name: run(name, benchmark) for name, benchmark in chosen.items()}
    missed = [name for name, ok in results.items() if ok is False]
    broken = [name for name, ok in results.items() if ok is None]
    print()
    if missed:
        print(f"some targets missed (see above): {', '.join(missed)}")
    if broken:
        print(f"could not run: {', '.join(broken)}")
    if not missed and not broken:
        print("all targets met")
    return 1 if missed or broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
