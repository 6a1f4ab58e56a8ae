"""The exporter that copies a notebook's ``#| export`` cells into its proof module."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools import export_proofs
from tools.export_proofs import END, Export, ExportError, exported_code, exports, notebook_id


def write_notebook(path: Path, *cells: tuple[str, str]) -> Path:
    """A minimal .ipynb with the given (cell type, source) pairs."""
    path.write_text(json.dumps({
        "cells": [{"cell_type": kind, "metadata": {}, "source": source.splitlines(True),
                   **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                  for kind, source in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


def write_module(path: Path, region: str = "old = 1") -> Path:
    path.write_text(f'"""A proof module."""\n\nimport sympy as sp\n\n\n'
                    f"# --- begin cells exported from notebooks/{path.stem}.ipynb\n{region}\n"
                    f"{END}\n\n\ndef numeric_check():\n    return 1\n", encoding="utf-8")
    return path


@pytest.fixture
def book(tmp_path):
    """A notebooks/ and a proofs/ folder holding one notebook with two exported cells."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "proofs").mkdir()
    write_notebook(tmp_path / "notebooks" / "01_ex9_demo.ipynb",
                   ("markdown", "# Title"),
                   ("code", "from nblib.proofs import ex9"),
                   ("code", "#| export\nz = sp.symbols('z')  # the variable\n"),
                   ("code", "#| export\ndef square():\n    \"\"\"z².\"\"\"\n    return z**2\n\n"
                            "\nsquare()"),
                   ("code", "square()"))
    write_module(tmp_path / "proofs" / "ex9.py")
    return tmp_path


def test_displays_are_left_out_and_everything_else_is_copied_verbatim():
    source = "#| export\nx = 1  # why\n\nx\n# a comment\ndef f():\n    x\n    return x\nf()\n"
    expected = "x = 1  # why\n\n# a comment\ndef f():\n    x\n    return x"
    assert exported_code(source, "cell") == expected


def test_a_multiline_display_is_left_out_whole():
    assert exported_code("#| export\ny = 2\nprint(\n    y,\n)", "cell") == "y = 2"


def test_an_exported_cell_must_be_plain_python():
    with pytest.raises(ExportError, match="cell 3: an exported cell must be plain Python"):
        exported_code("#| export\n%matplotlib widget\n", "cell 3")


def test_the_module_id_comes_from_the_notebook_name():
    assert notebook_id(Path("01_ex1_sigmoid_prime.ipynb")) == "ex1"
    assert notebook_id(Path("13_slowdown_learning_demo.ipynb")) == "slowdown"
    with pytest.raises(ExportError, match="expected a name like"):
        notebook_id(Path("index.ipynb"))


def test_export_replaces_only_the_region(book):
    [export] = exports(book / "notebooks", book / "proofs")
    assert not export.in_sync()
    text = export.updated()
    assert text.startswith('"""A proof module."""\n\nimport sympy as sp\n\n\n# --- begin cells '
                           "exported from notebooks/01_ex9_demo.ipynb\nz = sp.symbols('z')  # the "
                           "variable\n\n\ndef square():\n")
    assert "old = 1" not in text and "\nsquare()" not in text
    assert text.endswith(f"    return z**2\n{END}\n\n\ndef numeric_check():\n    return 1\n")
    export.module.write_text(text, encoding="utf-8")
    assert export.in_sync()


def test_the_exported_module_runs_the_notebooks_lines(book):
    [export] = exports(book / "notebooks", book / "proofs")
    namespace: dict = {}
    exec(compile(export.updated(), str(export.module), "exec"), namespace)
    assert str(namespace["square"]()) == "z**2"


def test_an_edited_cell_puts_the_module_out_of_sync(book):
    [export] = exports(book / "notebooks", book / "proofs")
    export.module.write_text(export.updated(), encoding="utf-8")
    notebook = json.loads(export.notebook.read_text(encoding="utf-8"))
    notebook["cells"][3]["source"] = ["#| export\n", "def square():\n", "    return z**3\n"]
    export.notebook.write_text(json.dumps(notebook), encoding="utf-8")
    assert not export.in_sync()


def test_a_module_without_markers_is_named(book):
    module = book / "proofs" / "ex9.py"
    module.write_text("x = 1\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"ex9\.py: needs one begin and one end marker"):
        Export(book / "notebooks" / "01_ex9_demo.ipynb", module).updated()


def test_a_notebook_without_a_module_is_named(book):
    (book / "proofs" / "ex9.py").unlink()
    with pytest.raises(ExportError, match=r"01_ex9_demo\.ipynb exports cells but ex9\.py"):
        exports(book / "notebooks", book / "proofs")


def test_notebooks_without_exported_cells_are_skipped(book):
    write_notebook(book / "notebooks" / "00_index.ipynb", ("code", "contents()"))
    assert [e.notebook.name for e in exports(book / "notebooks", book / "proofs")] == [
        "01_ex9_demo.ipynb"]


def test_every_proof_module_holds_its_notebooks_cells(capsys):
    # The book's own pairs: a module that drifted from its notebook fails here.
    assert export_proofs.main(["--check"]) == 0, capsys.readouterr().out


def test_a_learner_who_edits_a_line_of_a_cell_sees_that_step_fail():
    # The promise of the Symbolic-proof cells: change one d.step line, run the cell, and the
    # check names the step. Run ex1's first derivation cell as the notebook does, with the
    # power rule's result altered (e^{-z} squared instead of the denominator squared).
    from nblib.proof.derivation import StepError
    from nblib.proofs import ex1
    from tests.notebooks import NOTEBOOK_DIR, read

    notebook = read(NOTEBOOK_DIR / "01_ex1_sigmoid_prime.ipynb")
    [cell] = [c.source for c in notebook.cells
              if c.cell_type == "code" and c.source.startswith("#| export\ndef first_derivative")]
    right = "d.step(sp.exp(-z) * DENOMINATOR**-2,"
    assert right in cell
    kernel = dict(vars(ex1))  # the names the notebook's earlier cells define
    exec(compile(cell, "cell", "exec"), kernel)
    assert kernel["first_derivative"]().result == ex1.EXERCISE.target
    wrong = cell.replace(right, "d.step(sp.exp(-z) * sp.exp(-z)**-2,")
    with pytest.raises(StepError, match=r'step 2 \("power rule'):  # raised by the display line
        exec(compile(wrong, "cell", "exec"), dict(vars(ex1)))
