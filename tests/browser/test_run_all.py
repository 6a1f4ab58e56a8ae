"""JupyterLab in headless Chromium: every exercise notebook run in the browser produces no
error output anywhere on the page, and brings every figure to life.

The index and the errata, which have no widgets, are opened by test_pictures_before_running
and run by nbval (under three CPU settings), not again here: each spends 10–20 s rebuilding
every proof of the book.
"""

from __future__ import annotations

import pytest

from tests.browser.pages import (
    RUN_ALL,
    assert_no_widget_errors,
    close_and_shut_down,
    explorer_count,
    figure_canvases,
    open_notebook,
)
from tests.notebooks import exercise_paths

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", exercise_paths(), ids=lambda p: p.stem)
def test_run_all_cells_without_errors(page, lab, path):
    open_notebook(page, lab, path.name)
    page.evaluate(RUN_ALL)
    errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
    assert errors.count() == 0, f"{path.name}: error output: {errors.first.inner_text()[:500]}"
    assert_no_widget_errors(page, path.name)
    assert len(figure_canvases(page)) >= explorer_count(path)
    close_and_shut_down(page, lab)
