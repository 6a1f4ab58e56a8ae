"""JupyterLab in headless Chromium: every notebook opened before running, as JupyterLab opens
it by default (untrusted), shows each Explore picture and never a widget error.

Screenshots go to build/screenshots/. (The browser tests are split into one module per
scenario so that the test workers can run them side by side, each with its own JupyterLab.)
"""

from __future__ import annotations

import pytest

from tests.browser.lab import ROOT
from tests.browser.pages import (
    assert_no_widget_errors,
    close_and_shut_down,
    explorer_count,
    open_notebook,
)
from tests.notebooks import BOOK_PAGES, exercise_paths

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.mark.parametrize("path", exercise_paths(), ids=lambda p: p.stem)
def test_pictures_show_before_running(page, lab, path):
    expected = explorer_count(path)
    open_notebook(page, lab, path.name)
    pictures = page.locator('.jp-OutputArea-output[data-mime-type="image/png"] img')
    pictures.last.wait_for(timeout=30_000)
    assert pictures.count() >= expected
    for i in range(pictures.count()):
        assert pictures.nth(i).evaluate("img => img.complete && img.naturalWidth > 100")
    assert_no_widget_errors(page, path.name)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pictures.last.screenshot(path=SCREENSHOTS / f"{path.stem}_before_running.png")
    close_and_shut_down(page, lab)


@pytest.mark.parametrize("stem", BOOK_PAGES)
def test_book_pages_show_their_stored_tables(page, lab, stem):
    # The index and the errata have no widgets: opened, they show their stored tables and
    # derivations (run in the browser by no test: nbval runs them under three CPU settings).
    open_notebook(page, lab, f"{stem}.ipynb")
    rendered = page.locator(".jp-OutputArea-output.jp-RenderedMarkdown, "
                            ".jp-OutputArea-output.jp-RenderedLatex")
    rendered.first.wait_for(timeout=30_000)
    assert rendered.count() >= 1
    errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
    assert errors.count() == 0, f"{stem}: error output: {errors.first.inner_text()[:500]}"
    close_and_shut_down(page, lab)
