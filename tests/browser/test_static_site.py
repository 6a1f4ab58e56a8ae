"""The static site (`make html`) read offline: every page opened from file:// in headless
Chromium with every other request refused shows its mathematics typeset, its pictures, no
error and no raw TeX."""

from __future__ import annotations

import pytest

from tests.browser.lab import chromium_page
from tests.notebooks import exercise_paths, picture_count
from tools.export_html import main as build_site
from tools.export_html import pages

pytestmark = pytest.mark.browser

# TeX that a reader would see if the mathematics were not typeset (a "$" too: MathJax
# removes the delimiters of everything it typesets, inline formulas included).
RAW_TEX = ("\\begin", "\\frac", "$", "\\text{", "\\checkmark")
# The page's text outside code: code spans show what to type into a box, TeX included.
TEXT_OUTSIDE_CODE = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('code, pre, mjx-container, script, style').forEach(e => e.remove());
  return copy.innerText;
}"""
TYPESET = "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
EXERCISES = {p.stem for p in exercise_paths()}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    assert build_site([str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def offline_page():
    """A Chromium page that refuses every request not for a file:// address, and records
    them with every console error and uncaught exception."""
    with chromium_page(width=1200, height=900) as page:
        page.refused, page.errors = [], []

        def route(request_route):
            if request_route.request.url.startswith("file://"):
                request_route.continue_()
            else:
                page.refused.append(request_route.request.url)
                request_route.abort()

        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        yield page


def open_offline(page, path) -> None:
    """Open a page of the site and wait until MathJax has typeset all of it."""
    page.refused.clear()
    page.errors.clear()
    page.goto(path.as_uri())
    page.wait_for_function(TYPESET, timeout=30_000)
    page.evaluate("() => MathJax.startup.promise")


@pytest.mark.parametrize("page_of_site", pages(), ids=lambda p: p.notebook.stem)
def test_page_reads_offline(site, offline_page, page_of_site):
    page = offline_page
    open_offline(page, site / page_of_site.href)
    assert page.refused == []
    assert page.errors == []
    text = page.evaluate(TEXT_OUTSIDE_CODE)
    assert [tex for tex in RAW_TEX if tex in text] == []
    assert page.locator("mjx-merror").count() == 0  # TeX that MathJax could not read
    assert page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count() == 0
    assert page.locator('[data-mime-type="application/vnd.jupyter.error"]').count() == 0
    assert page.title() == page_of_site.title
    stem = page_of_site.notebook.stem
    if stem in EXERCISES:
        assert page.locator("mjx-container").count() > 20  # claims, derivations, checks
        pictures = page.locator(".jp-RenderedImage img[src^='data:image/png']")
        assert pictures.count() == picture_count(page_of_site.notebook)
        for i in range(pictures.count()):
            assert pictures.nth(i).evaluate("img => img.complete && img.naturalWidth > 100")



def test_next_link_opens_the_next_page(site, offline_page):
    page, order = offline_page, pages()
    open_offline(page, site / order[1].href)
    page.locator('nav.top a[rel="next"]').click()
    page.wait_for_load_state()
    assert page.title() == order[2].title
