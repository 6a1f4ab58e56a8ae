"""`make html` gives a static book: marks in every derivation, a picture per Explore figure."""

from __future__ import annotations

import re

import pytest

from tests.notebooks import exercise_paths, notebook_paths
from tests.test_notebook_structure import explore_outputs
from tools.export_html import main as export_book

PICTURE = re.compile(r'<img[^>]*src="data:image/png;base64,')
ERROR = re.compile(r'data-mime-type="application/vnd\.jupyter\.(stderr|error)"')


@pytest.fixture(scope="module")
def html(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    assert export_book([str(out)]) == 0
    return out


def test_every_notebook_and_an_index_page(html):
    assert {p.name for p in html.glob("*.html")} == (
        {f"{p.stem}.html" for p in notebook_paths()} | {"index.html"})


@pytest.mark.parametrize("path", exercise_paths(), ids=lambda p: p.stem)
def test_one_picture_per_explorer_and_marks_shown(html, path):
    page = (html / f"{path.stem}.html").read_text(encoding="utf-8")
    assert len(PICTURE.findall(page)) == len(explore_outputs(path))
    assert r"\checkmark" in page
    assert "application/vnd.jupyter.widget-view+json" not in page


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_no_error_output(html, path):
    page = (html / f"{path.stem}.html").read_text(encoding="utf-8")
    assert not ERROR.search(page)
    assert "Error displaying widget" not in page


def test_links_between_notebooks_point_at_pages(html):
    index = (html / "index.html").read_text(encoding="utf-8")
    assert 'href="01_ex1_sigmoid_prime.html"' in index
    assert not re.search(r'href="[^"/:]+\.ipynb"', index)
