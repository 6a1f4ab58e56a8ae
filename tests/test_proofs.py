"""Every proof module builds its derivations and passes its numeric checks; every erratum
they show quotes its source.

The notebooks display these same objects (nbval compares them); here a failure names the
module and the function directly, without a kernel.
"""

from __future__ import annotations

import pkgutil
import re

import pytest

import nblib.proofs
from nblib.book import errata
from nblib.proof.derivation import Derivation
from nblib.reports.checks import CheckReport, CheckResult
from tests.notebooks import NOTEBOOK_DIR, ROOT, read

MODULES = sorted(m.name for m in pkgutil.iter_modules(nblib.proofs.__path__))


def test_there_are_proof_modules():
    assert "ex1" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_derivations_build_and_check_every_step(name):
    module = nblib.proofs.load(name)
    built = nblib.proofs.derivations(module)
    assert built, f"{name}: DERIVATIONS is empty"
    for derivation in built:
        assert isinstance(derivation, Derivation)
        assert derivation.checked_steps >= 1
        assert all(s.verdict is None or s.verdict.equal or s.source_error
                   for s in derivation.steps)


@pytest.mark.parametrize("name", MODULES)
def test_numeric_checks_pass(name):
    module = nblib.proofs.load(name)
    for run in module.CHECKS:
        report = run()
        if isinstance(report, CheckResult):
            report = CheckReport([report])
        assert isinstance(report, CheckReport) and len(report) >= 1
        assert report.passed, f"{name}.{run.__name__}:\n{report}"
        # The report states a bound, never the error's CPU-dependent digits; the bound
        # holds on any CPU only with room to spare (see nblib.reports.portable).
        for result in report:
            if result.tolerance > 0:
                assert result.worst_error <= result.bound / 2, (
                    f"{name}.{run.__name__}: {result.name}: error {result.worst_error:.2g} "
                    f"leaves less than a factor of two below the stated bound {result.bound:g}; "
                    "state a larger resolution, or tighten the check")


def test_unknown_notebook_id():
    with pytest.raises(ValueError, match="no proofs for notebook 'ex99'"):
        nblib.proofs.load("ex99")
    with pytest.raises(ValueError, match="is not a notebook id"):
        nblib.proofs.load("../x")


def test_every_erratum_quotes_the_source_line_it_corrects():
    # Here rather than in test_book.py: the errata rebuild every derivation, and after the
    # tests above (same worker) each step's verdict is remembered (equality.compare).
    found = errata.errata()
    assert found
    for erratum in found:
        shown, latex = str(erratum), erratum._repr_latex_()
        if erratum.entry.source == "book page":  # an interactive demo: no words to quote
            assert erratum.wrong.quote == "" and errata.NO_QUOTE in shown
        else:
            assert erratum.wrong.quote and erratum.wrong.quote in shown
            assert "The source writes" in latex


def test_the_readme_states_the_books_counts():
    # The index page's headline is the tally, and nbval keeps the stored one current.
    index = read(NOTEBOOK_DIR / "00_index.ipynb")
    headline = next("".join(out["text"]) for cell in index.cells if cell.cell_type == "code"
                    for out in cell.outputs if "derivation steps machine-checked" in
                    "".join(out.get("text", "")))
    counted = re.match(r"(\d+) derivation steps machine-checked: (\d+) proved \(✓\) and (\d+) "
                       r"lines? of the sources shown wrong \(✗\); (\d+) numeric checks", headline)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"\*\*(\d+) derivation steps\*\* \((\d+) proved ✓, and (\d+) lines of the"
                       r"\s+sources shown wrong ✗\) and runs \*\*(\d+) numeric checks\*\*", readme)
    assert counted and stated, "the index's or the README's sentence has changed its wording"
    assert stated.groups() == counted.groups()
    statements, float64_only = errata.remarks(float64=False), errata.remarks(float64=True)
    assert f"**{len(statements)} imprecise statements**" in readme
    assert f"**{len(float64_only)} claims that hold for real numbers" in readme
