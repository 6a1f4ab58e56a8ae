"""The catalogue, the tally and the errata, against a proof module built in the test."""

from __future__ import annotations

import types

import pytest
import sympy as sp

from nblib.book import catalogue, errata
from nblib.proof.derivation import Derivation, Remark
from nblib.reports.checks import CheckReport, check_values
from tests.notebooks import NOTEBOOK_DIR, read

z = sp.symbols("z", real=True)
SIG = 1 / (1 + sp.exp(-z))


def fake_module() -> types.ModuleType:
    def with_error():
        d = Derivation(sp.Derivative(SIG, z), reason="definition")
        d.source_error(sp.exp(z) / (1 + sp.exp(-z)) ** 2, "source, line 2: e^{z}",
                       correction=sp.exp(-z) / (1 + sp.exp(-z)) ** 2)
        return d.step(SIG * (1 - SIG), "factor")

    def clean():
        return Derivation(z + z).step(2 * z, "collect")

    def report():
        return CheckReport([check_values(1.0, 1.0 + 1e-12, name="a", tol=1e-9,
                                         resolution=1e-11),
                            check_values(0.5, 0.5 + 4e-9, name="b", tol=1e-8,
                                         kind="absolute", resolution=1e-8),
                            check_values(0.5, 0.5, name="c", tol=0.0)])

    def remark():
        return Remark("fake", "Exercise 0 · line 1", "C″ ≥ 0.", "C″ > 0.", (clean(),))

    def float64_remark():
        return Remark("fake", "Exercise 0 · line 2", "σ < 1.", "σ == 1.0 in float64.",
                      float64=True)

    module = types.ModuleType("fake")
    module.DERIVATIONS, module.CHECKS = (with_error, clean), (report,)
    module.REMARKS = (remark, float64_remark)
    return module


@pytest.fixture
def only_fake(monkeypatch):
    first = catalogue.BOOK[0]
    monkeypatch.setattr(catalogue, "BOOK", (first,))
    monkeypatch.setattr(errata, "BOOK", (first,))
    monkeypatch.setattr(catalogue, "proofs_of", lambda e: fake_module())
    monkeypatch.setattr(errata, "proofs_of", lambda e: fake_module())
    return first


def test_catalogue_is_ordered_and_unique():
    assert [e.number for e in catalogue.BOOK] == list(range(1, len(catalogue.BOOK) + 1))
    assert len({e.id for e in catalogue.BOOK}) == len(catalogue.BOOK) == 16
    assert catalogue.entry("pb6").filename == "12_pb6_softmax_temperature.ipynb"
    with pytest.raises(ValueError, match="no notebook 'pb9'"):
        catalogue.entry("pb9")


def test_contents_links_every_notebook():
    text = catalogue.contents()._repr_markdown_()
    for e in catalogue.BOOK:
        assert f"]({e.filename})" in text and e.claim in text


@pytest.mark.parametrize("section", catalogue.SECTIONS, ids=lambda s: s.anchor)
def test_a_problem_answered_inside_a_notebook_is_listed_under_its_name(section):
    # The contents link to the section, and the section carries the anchor and the name.
    text = catalogue.contents()._repr_markdown_()
    assert f"[{section.title}]({section.link})" in text
    notebook, anchor = section.link.split("#")
    headed = [cell.source for cell in read(NOTEBOOK_DIR / notebook).cells
              if cell.cell_type == "markdown" and f'<a id="{anchor}"></a>' in cell.source]
    assert len(headed) == 1
    name = section.title.split("“")[1].rstrip("”")
    assert f"\"{name}\"" in headed[0]


def test_tally_counts_what_it_ran(only_fake):
    tally = catalogue.tally()
    (row,) = tally.rows
    assert (row.derivations, row.steps, row.source_errors) == (2, 4, 1)
    assert (row.checks, row.failed) == (3, 0)
    # One exact check, and the loosest tolerance of each kind: constants, not measurements.
    assert row.tolerance_text() == "1 exact · 1e-09 relative · 1e-08 absolute"
    assert tally.steps == 4 and tally.checks == 3 and tally.failed == 0
    assert (tally.proved, tally.source_errors) == (3, 1)
    assert tally.headline() == ("4 derivation steps machine-checked: 3 proved (✓) and 1 line "
                                "of the sources shown wrong (✗); 3 numeric checks run, 0 failed")
    table = tally._repr_markdown_()
    assert (f"[01 · ex1]({only_fake.filename}) | 2 | 3 | 1 | 3/3 passed | "
            "1 exact · 1e-09 relative · 1e-08 absolute |") in table
    assert "| **total** | 2 | 3 | 1 | 3/3 passed | |" in table


def test_errata_gather_the_wrong_line_with_its_neighbours(only_fake):
    (erratum,) = errata.errata()
    assert erratum.where == "chapter 3 · Exercise 1 · source, line 2: e^{z}"
    assert erratum.previous == sp.Derivative(SIG, z)
    assert erratum.wrong.mark == "✗" and erratum.correction.mark == "✓"
    assert erratum.correction.expr == sp.exp(-z) / (1 + sp.exp(-z)) ** 2
    latex = erratum._repr_latex_()
    assert latex.count(r"\checkmark") == 2 and r"\times" in latex
    # How far off the wrong line is stands on a line of its own, after the three lines,
    # so that a long residual cannot push the table off the page.
    aligned, after = latex.split(r"\end{aligned}")
    assert "off by" not in aligned and "off by" in after
    assert "counterexample" in str(erratum)


def test_remarks_are_collected_with_their_evidence(only_fake):
    statement, float64_only = errata.remarks()
    assert statement.what_holds == "C″ > 0." and statement.evidence[0].checked_steps == 1
    assert [r.where for r in errata.remarks(float64=False)] == [statement.where]
    assert [r.where for r in errata.remarks(float64=True)] == [float64_only.where]


@pytest.mark.parametrize("e", catalogue.BOOK, ids=lambda e: e.id)
def test_each_notebook_cites_the_book_and_the_text_it_follows(e):
    opening = read(NOTEBOOK_DIR / e.filename).cells[0].source
    assert e.citation in opening
    assert f"]({e.book_url})" in opening
