"""JupyterLab in headless Chromium: every notebook opened trusted restores its live widgets
from the stored widget state, each figure drawing its stored picture, never "model not found".
"""

from __future__ import annotations

import pytest

from tests.browser.pages import (
    CANVAS_STATS,
    assert_no_widget_errors,
    close_and_shut_down,
    explorer_count,
    figure_canvases,
    open_notebook,
)
from tests.notebooks import exercise_paths

pytestmark = pytest.mark.browser


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
