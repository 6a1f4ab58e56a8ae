"""`make html` gives a static book: marks in every derivation, a picture per Explore figure."""

from __future__ import annotations

import re
from html import escape as html_escape
from html import unescape as html_unescape

import pytest

from tests.notebooks import exercise_paths, notebook_paths, picture_count, read
from tests.test_notebook_structure import explore_outputs
from tools.export_html import main as export_book
from tools.export_html import pages

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
    # Every Explore figure as one picture (never the widget as well), and each static
    # picture beside a proof.
    page = (html / f"{path.stem}.html").read_text(encoding="utf-8")
    assert len(PICTURE.findall(page)) == picture_count(path) >= len(explore_outputs(path))
    assert r"\checkmark" in page
    assert "application/vnd.jupyter.widget-view+json" not in page


@pytest.mark.parametrize("path", exercise_paths(), ids=lambda p: p.stem)
def test_every_picture_says_in_words_what_it_shows(html, path):
    # A screen reader (or a page whose picture fails to load) reads the output's own words:
    # the explorer's settings or the picture's description, never an empty alt.
    page = (html / f"{path.stem}.html").read_text(encoding="utf-8")
    alts = [html_unescape(found) for found in re.findall(r'<img alt="([^"]*)"', page)]
    words = [out["data"]["text/plain"] for cell in read(path).cells if cell.cell_type == "code"
             for out in cell.outputs if "image/png" in out.get("data", {})]
    assert alts == words
    assert all(len(text) > 20 for text in words)


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_no_error_output(html, path):
    page = (html / f"{path.stem}.html").read_text(encoding="utf-8")
    assert not ERROR.search(page)
    assert "Error displaying widget" not in page


def test_links_between_notebooks_point_at_pages(html):
    index = (html / "index.html").read_text(encoding="utf-8")
    assert 'href="01_ex1_sigmoid_prime.html"' in index
    assert not re.search(r'href="[^"/:]+\.ipynb"', index)


def test_every_link_inside_the_site_opens_a_page(html):
    for page in html.glob("*.html"):
        for target in re.findall(r'href="([^"#:]+\.html)', page.read_text(encoding="utf-8")):
            assert (html / target).is_file(), f"{page.name} links to a missing {target}"


def test_mathematics_is_typeset_from_the_site_itself(html):
    page = (html / "01_ex1_sigmoid_prime.html").read_text(encoding="utf-8")
    assert re.search(r'<script[^>]*src="mathjax/tex-svg-full.js"', page)
    assert (html / "mathjax" / "tex-svg-full.js").stat().st_size > 1_000_000
    # Nothing is fetched from elsewhere (links to the book are fine: a reader follows them).
    assert not re.search(r'src="(https?:)?//|<link[^>]*href="(https?:)?//', page)


def test_previous_and_next_walk_the_book_in_order(html):
    def link(page: str, rel: str) -> str | None:
        text = (html / page).read_text(encoding="utf-8")
        nav = re.search(r'<nav[^>]*class="book-nav top".*?</nav>', text, re.S).group()
        found = re.search(rf'<a href="([^"]+)" rel="{rel}"', nav)
        return found.group(1) if found else None

    forward = ["index.html"]
    while (following := link(forward[-1], "next")) is not None:
        forward.append(following)
    assert forward[1:] == [p.href for p in pages()][1:]
    backward = [forward[-1]]
    while (preceding := link(backward[-1], "prev")) is not None:
        backward.append(preceding)
    assert backward == [p.href for p in reversed(pages())]


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.notebook.stem)
def test_each_page_is_titled_with_its_claim(html, page):
    text = (html / page.href).read_text(encoding="utf-8")
    assert f"<title>{html_escape(page.title, quote=False)}</title>" in text
