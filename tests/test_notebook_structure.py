"""Every exercise notebook has the book's template: four parts, stored outputs, a picture."""

from __future__ import annotations

import re

import pytest

import nblib.proofs
from nblib.book import errata
from nblib.book.catalogue import BOOK
from nblib.proof.derivation import Derivation
from tests.notebooks import (
    BOOK_PAGES,
    NOTEBOOK_DIR,
    PARTS,
    WIDGET_STATE,
    WIDGET_VIEW,
    exercise_paths,
    notebook_paths,
    read,
)

NAME = re.compile(r"^\d\d_[a-z0-9]+_[a-z0-9_]+$")


def test_there_are_notebooks():
    assert exercise_paths(), "no exercise notebooks found in notebooks/"


@pytest.mark.parametrize("path", exercise_paths(), ids=lambda p: p.name)
def test_file_name_carries_order_and_id(path):
    assert NAME.match(path.stem), f"{path.name}: expected NN_<id>_<topic>.ipynb"


def test_notebooks_are_the_books_catalogue():
    # Every catalogued notebook exists under its catalogued name, and nothing else does.
    on_disk = {p.name for p in exercise_paths()}
    assert on_disk == {e.filename for e in BOOK}, (
        f"missing: {sorted({e.filename for e in BOOK} - on_disk)}; "
        f"not in nblib.book.catalogue.BOOK: {sorted(on_disk - {e.filename for e in BOOK})}"
    )
    assert {p.stem for p in notebook_paths()} >= set(BOOK_PAGES)


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_kernel_is_python3(path):
    assert read(path).metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", exercise_paths(), ids=lambda p: p.name)
def test_four_parts_in_order(path):
    headings = [
        line[3:].strip()
        for cell in read(path).cells if cell.cell_type == "markdown"
        for line in cell.source.splitlines() if line.startswith("## ")
    ]
    found = [h for h in headings if h in PARTS]
    assert found == list(PARTS), f"{path.name}: level-2 parts are {headings}"


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_outputs_stored_and_no_errors(path):
    code = [c for c in read(path).cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), f"{path.name}: unexecuted cells"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: stored error output {errors[0].get('ename')}"
    stderr = [o for c in code for o in c.outputs
              if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"{path.name}: stored stderr output {stderr[0].text[:200]!r}"


def explore_outputs(path) -> list:
    """The outputs of a notebook's Explore part that carry a widget view and a PNG."""
    nb = read(path)
    heading = next(i for i, c in enumerate(nb.cells)
                   if c.cell_type == "markdown" and "## Explore" in c.source)
    outputs = [o for c in nb.cells[heading:] if c.cell_type == "code" for o in c.outputs
               if o.output_type in ("display_data", "execute_result")]
    return [o for o in outputs if WIDGET_VIEW in o.data and "image/png" in o.data]


@pytest.mark.parametrize("path", exercise_paths(), ids=lambda p: p.name)
def test_explore_output_has_widget_and_picture(path):
    nb = read(path)
    both = explore_outputs(path)
    assert both, f"{path.name}: no Explore output carrying a widget view and a PNG"
    # The widget state stored with the notebook must hold the viewed model, and the canvas
    # in it must carry the picture, or JupyterLab shows "model not found" before running.
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for output in both:
        assert output.data[WIDGET_VIEW]["model_id"] in state, f"{path.name}: view not in state"
    canvases = [m for m in state.values() if m.get("model_name") == "MPLCanvasModel"]
    assert canvases and all(
        str(m["state"].get("_data_url", "")).startswith("data:image/png;base64,")
        for m in canvases
    ), f"{path.name}: a stored figure canvas has no picture"


@pytest.mark.parametrize("path", exercise_paths(), ids=lambda p: p.name)
def test_symbolic_proof_marks_rendered(path):
    nb = read(path)
    latex = [o.data["text/latex"] for c in nb.cells if c.cell_type == "code"
             for o in c.outputs if "text/latex" in o.get("data", {})]
    assert any(r"\checkmark" in t for t in latex), f"{path.name}: no checked derivation shown"


@pytest.mark.parametrize("entry", BOOK, ids=lambda e: e.id)
def test_every_numeric_check_the_index_counts_is_shown_in_its_notebook(entry):
    # The index's tally runs a module's CHECKS; a reader must be able to see each of them
    # beside what it checks, and so it runs (under every CPU setting) in its own notebook.
    sources = [cell.source for cell in read(NOTEBOOK_DIR / entry.filename).cells
               if cell.cell_type == "code"]
    for run in nblib.proofs.load(entry.id).CHECKS:
        name = getattr(run, "func", run).__name__  # a functools.partial shows its function
        assert any(f"{entry.id}.{name}(" in source for source in sources), (
            f"{entry.filename}: {entry.id}.CHECKS has {name}, which no cell calls")


def test_every_numeric_report_on_the_errata_page_is_stored_in_its_notebook():
    # The errata page is not re-run under the emulated CPUs (tests/cpu_settings.py): its
    # numeric evidence must be what its notebook stores, which is re-run there.
    notebooks = {entry.id: entry.filename for entry in BOOK}
    numeric = 0
    for remark in errata.remarks():
        cells = read(NOTEBOOK_DIR / notebooks[remark.notebook]).cells
        stored = [out["data"]["text/plain"] for cell in cells if cell.cell_type == "code"
                  for out in cell.outputs if "text/plain" in out.get("data", {})]
        for evidence in remark.evidence:
            if isinstance(evidence, Derivation):
                continue  # SymPy and mpmath: the same on every CPU
            numeric += 1
            assert str(evidence) in stored, (
                f"{remark.where}: evidence not shown in {notebooks[remark.notebook]}:\n{evidence}")
    assert numeric >= 10


#: Words of prose a notebook may hold outside its Symbolic proof (issue 18's target: a
#: derivation may take the words it needs; the rest reads in one sitting).
PROSE_BUDGET = 1500


def prose_words(markdown: str) -> int:
    """Words of a Markdown cell, each formula counted as one word."""
    text = re.sub(r"\$\$.*?\$\$", " formula ", markdown, flags=re.S)
    text = re.sub(r"\$[^$]*\$", " formula ", text)
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*", text))


@pytest.mark.parametrize("path", exercise_paths(), ids=lambda p: p.name)
def test_prose_outside_the_derivations_reads_in_one_sitting(path):
    part, words = None, 0
    for cell in read(path).cells:
        if cell.cell_type != "markdown":
            continue
        for block in re.split(r"(?m)^(?=## )", cell.source):  # a part may start mid-cell
            if block.startswith("## "):
                part = block.splitlines()[0][3:].strip()
            if part != "Symbolic proof":
                words += prose_words(block)
    assert 200 < words <= PROSE_BUDGET, f"{path.name}: {words} words outside the derivations"
