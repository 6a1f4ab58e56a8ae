"""Re-execute notebooks in place so their stored outputs are the ones nbval expects.

Run through ``make notebooks``, which fixes PYTHONHASHSEED. Cells run in a fresh kernel
from this virtual environment; widget state is stored so JupyterLab can draw each Explore
figure before the kernel runs, and no timing metadata is written, so an unchanged
notebook re-executes to an unchanged file apart from widget model ids.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CELL_TIMEOUT = 300


def execute(path: Path) -> float:
    """Execute one notebook in place; return the seconds it took."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        raise SystemExit("run this through `make notebooks` (it sets PYTHONHASHSEED=0)")
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=True,
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(notebook, path)
    return elapsed


def main(paths: list[str]) -> int:
    """Execute each notebook given on the command line, printing one line per notebook."""
    if not paths:
        print("usage: execute_notebooks.py NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    for name in paths:
        seconds = execute(Path(name))
        print(f"executed {name} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
