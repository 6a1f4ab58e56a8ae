"""Where the notebooks are and how to read them; shared by the notebook tests."""

from __future__ import annotations

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
PARTS = ("Claim", "Symbolic proof", "Numeric check", "Explore")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# The two pages that are not exercises: the index and the errata.
BOOK_PAGES = ("00_index", "99_errata")


def notebook_paths() -> list[Path]:
    """Every notebook of the book, in the book's order (file names sort that way)."""
    return sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def exercise_paths() -> list[Path]:
    """Notebooks that follow the four-part template (all but the index and errata)."""
    return [p for p in notebook_paths() if p.stem not in BOOK_PAGES]


def read(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` as nbformat v4."""
    return nbformat.read(path, as_version=4)


def displays(sources: list[str], notebook_id: str, function: str) -> bool:
    """Whether a cell shows ``function()``: a cell ending in ``function()`` (the derivation
    written out above it, in an exported cell) or the call ``<id>.function()``."""
    return any(s.strip().rsplit("\n", 1)[-1] in (f"{function}()", f"{notebook_id}.{function}()")
               for s in sources)


def picture_count(path: Path) -> int:
    """Outputs stored with a PNG: each Explore figure's picture and each static picture."""
    return sum("image/png" in out.get("data", {}) for cell in read(path).cells
               if cell.cell_type == "code" for out in cell.outputs)
