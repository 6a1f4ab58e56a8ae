"""The strict nbval run over every notebook, against its floor.

The floor is what no notebook test can avoid: starting a kernel and importing numpy,
sympy, matplotlib and ipywidgets, once per notebook, shared between the pytest-xdist
workers (a notebook runs on one worker, so the floor is that time × ⌈notebooks/workers⌉).
Target: the suite takes at most twice that.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
TARGET_RATIO = 2.0
IMPORTS = "import numpy, sympy, matplotlib, ipywidgets"


def bare_kernel_seconds(repeats: int = 3) -> float:
    """Median time to start a kernel and run the core imports in it."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        manager, client = start_new_kernel(kernel_name="python3")
        try:
            client.execute_interactive(IMPORTS, timeout=120)
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def suite_seconds() -> float:
    """Wall time of the nbval run exactly as `make test` runs it on the notebooks."""
    command = [
        sys.executable, "-m", "pytest", "-q",
        "-n", str(WORKERS), "--dist", "loadfile",
        "--nbval", "--nbval-current-env", "--nbval-cell-timeout=300", "notebooks",
    ]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                          env=os.environ | {"PYTHONHASHSEED": "0"})
    if done.returncode != 0:
        last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "no output"
        raise RuntimeError(f"the notebooks do not pass nbval ({last}); run `make test`")
    return time.perf_counter() - start


def main() -> bool:
    """Print the suite time, the floor and their ratio; True if within the target."""
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    bare = bare_kernel_seconds()
    floor = bare * math.ceil(len(notebooks) / WORKERS)
    suite = suite_seconds()
    ratio = suite / floor
    print(f"\nnbval suite: {len(notebooks)} notebooks on {WORKERS} workers")
    print(f"  bare kernel + imports {bare:5.2f} s   floor {floor:5.2f} s   "
          f"suite {suite:5.2f} s   ×{ratio:4.2f} of floor (target ≤ {TARGET_RATIO:.0f})   "
          f"{'ok' if ratio <= TARGET_RATIO else 'MISSED'}")
    return ratio <= TARGET_RATIO


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
