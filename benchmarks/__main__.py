"""Run every benchmark and print one block per measurement (``make bench``)."""

from __future__ import annotations

import sys

from benchmarks import explorers, nbval_suite


def main() -> int:
    """Run the explorer and nbval-suite benchmarks; exit 1 if a target is missed."""
    ok = explorers.main()
    ok = nbval_suite.main() and ok
    print("\nall targets met" if ok else "\nsome targets missed (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
