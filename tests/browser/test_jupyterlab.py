"""JupyterLab in headless Chromium, used the way a reader uses the book.

1. Every notebook opened before running shows each Explore picture, never a widget error,
   both as JupyterLab opens it by default (untrusted: the PNG) and trusted (the live widget
   restored from the stored widget state, drawing the stored picture).
2. Every notebook run in the browser produces no error output anywhere on the page.
Screenshots go to build/screenshots/. The temperature slider has its own module.
"""

from __future__ import annotations

import pytest

from tests.browser.lab import ROOT
from tests.browser.pages import (
    CANVAS_STATS,
    RUN_ALL,
    assert_no_widget_errors,
    close_and_shut_down,
    explorer_count,
    figure_canvases,
    open_notebook,
)
from tests.notebooks import exercise_paths, notebook_paths

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


@pytest.mark.parametrize("path", exercise_paths(), ids=lambda p: p.stem)
def test_trusted_notebook_restores_widgets_with_their_pictures(page, lab, path):
    # Trusted, JupyterLab prefers the widget view; the stored widget state must restore
    # the figure with its picture, not an empty canvas or "model not found".
    lab.trust(path.name)
    open_notebook(page, lab, path.name)
    page.locator(".jupyter-matplotlib canvas").first.wait_for(timeout=30_000)
    drawn = [page.evaluate(CANVAS_STATS, handle) for handle in figure_canvases(page)]
    assert len(drawn) >= explorer_count(path)
    assert all(stats["ink"] > 1000 for stats in drawn), f"{path.name}: blank figure {drawn}"
    assert_no_widget_errors(page, path.name)
    close_and_shut_down(page, lab)


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_run_all_cells_without_errors(page, lab, path):
    open_notebook(page, lab, path.name)
    page.evaluate(RUN_ALL)
    errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
    assert errors.count() == 0, f"{path.name}: error output: {errors.first.inner_text()[:500]}"
    assert_no_widget_errors(page, path.name)
    assert len(figure_canvases(page)) >= explorer_count(path)
    close_and_shut_down(page, lab)
