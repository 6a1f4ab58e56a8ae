"""Run every benchmark and print one block per measurement (``make bench``)."""

from __future__ import annotations

import sys

from benchmarks import browser_latency, explorers, nbval_suite, network, softmax, yourturn


def main() -> int:
    """Run each benchmark in turn; exit 1 if any target is missed."""
    results = [run() for run in (explorers.main, network.main, softmax.main, yourturn.main,
                                 browser_latency.main, nbval_suite.main)]
    print("\nall targets met" if all(results) else "\nsome targets missed (see above)")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
