"""Every notebook in JupyterLab in headless Chromium, as a reader meets it, in one visit:

1. opened as JupyterLab opens it by default (untrusted), before anything runs: each Explore
   output shows its stored picture, and no widget error;
2. trusted and opened again: the live widgets come back from the stored widget state, each
   figure drawing its stored picture, never "model not found";
3. its widgets made live: the imports cell run, then each cell that makes a widget (the
   Your-turn box, the explorer): no error output anywhere on the page, every figure live.

Every cell's execution is nbval's job (under three CPU settings); running every cell here
as well would re-typeset every derivation in the browser for nothing the test reads. The
learner-session test runs all cells of three (ex1, ex3, pb6) in JupyterLab.

One visit per notebook rather than one per scenario: each scenario's own JupyterLab, page
and kernel start cost more than the checks themselves. The index and the errata, which
have no widgets, are opened and read; nbval runs them, not the browser: each spends
10–20 s rebuilding every proof of the book.

Last, in the same JupyterLab, pb6's temperature slider driven by keyboard and by mouse.
After each move the readout shows the new value, the figure's pixels change, and the
kernel holds exactly the value the page holds, with the slider's exponent on its binary
grid (a browser writing back a rounded float would break the equality).

Screenshots of the pictures go to build/screenshots/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PageTimeout

from tests.browser.lab import LAB_SETTINGS, ROOT, running_lab
from tests.browser.pages import (
    CANVAS_STATS,
    DISCARD_ALL,
    RENDER_TIMEOUT_MS,
    RUN_CELLS,
    assert_no_widget_errors,
    close_and_shut_down,
    console_tail,
    explorer_count,
    figure_canvases,
    open_notebook,
    widget_cells,
)
from tests.browser.temperature import (
    LABEL,
    NOTEBOOK,
    assert_same_value_in_page_and_kernel,
    slider_named,
    wait_for_change,
)
from tests.notebooks import BOOK_PAGES, NOTEBOOK_DIR, exercise_paths

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "build" / "screenshots"
# A closed tab keeps its kernel here (the book ships the opposite), so that the notebook
# opened again, trusted, finds its kernel running instead of starting one more.
KEEP_KERNELS = LAB_SETTINGS | {
    "@jupyterlab/notebook-extension/tracker": {
        **LAB_SETTINGS["@jupyterlab/notebook-extension/tracker"], "kernelShutdown": False},
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """This module's JupyterLab: the tests' settings, closed tabs keeping their kernels."""
    with running_lab(tmp_path_factory.mktemp("lab"), settings=KEEP_KERNELS) as running:
        yield running
ERRORS = '[data-mime-type="application/vnd.jupyter.stderr"]'


def assert_pictures_before_running(page, path) -> None:
    pictures = page.locator('.jp-OutputArea-output[data-mime-type="image/png"] img')
    pictures.last.wait_for(timeout=RENDER_TIMEOUT_MS)
    assert pictures.count() >= explorer_count(path)
    for i in range(pictures.count()):
        assert pictures.nth(i).evaluate("img => img.complete && img.naturalWidth > 100")
    assert_no_widget_errors(page, path.name)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pictures.last.screenshot(path=SCREENSHOTS / f"{path.stem}_before_running.png")


def assert_widgets_restored(page, path) -> None:
    # Trusted, JupyterLab prefers the widget view; the stored widget state must restore
    # the figure with its picture, not an empty canvas or "model not found".
    page.locator(".jupyter-matplotlib canvas").first.wait_for(timeout=RENDER_TIMEOUT_MS)
    drawn = [page.evaluate(CANVAS_STATS, handle) for handle in figure_canvases(page)]
    assert len(drawn) >= explorer_count(path)
    assert all(stats["ink"] > 1000 for stats in drawn), f"{path.name}: blank figure {drawn}"
    assert_no_widget_errors(page, path.name)


def assert_widgets_live(page, path) -> None:
    # The kernel is idle, but the new figures' views render after their outputs arrive:
    # wait for them (on a busy machine this takes seconds), then look for errors.
    try:
        page.wait_for_function("(n) => document.querySelectorAll('.jupyter-matplotlib')"
                               ".length >= n", arg=explorer_count(path),
                               timeout=RENDER_TIMEOUT_MS)
    except PageTimeout:
        outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
        pytest.fail(f"{path.name}: no live figure; the outputs say {outputs[-3:]}; the "
                    f"console:\n{console_tail(page)}")
    errors = page.locator(ERRORS)
    assert errors.count() == 0, f"{path.name}: error output: {errors.first.inner_text()[:500]}"
    assert_no_widget_errors(page, path.name)
    assert len(figure_canvases(page)) >= explorer_count(path)


@pytest.mark.parametrize("path", exercise_paths(), ids=lambda p: p.stem)
def test_before_running_trusted_and_run(page, lab, path):
    open_notebook(page, lab, path.name)
    assert_pictures_before_running(page, path)

    page.evaluate(DISCARD_ALL)
    lab.trust(path.name)
    open_notebook(page, lab, path.name)
    assert_widgets_restored(page, path)

    page.evaluate(RUN_CELLS, widget_cells(path))
    assert_widgets_live(page, path)
    close_and_shut_down(page, lab)


@pytest.mark.parametrize("stem", BOOK_PAGES)
def test_book_pages_show_their_stored_tables(page, lab, stem):
    # The index and the errata have no widgets: opened, they show their stored tables and
    # derivations.
    open_notebook(page, lab, f"{stem}.ipynb")
    rendered = page.locator(".jp-OutputArea-output.jp-RenderedMarkdown, "
                            ".jp-OutputArea-output.jp-RenderedLatex")
    rendered.first.wait_for(timeout=30_000)
    assert rendered.count() >= 1
    errors = page.locator(ERRORS)
    assert errors.count() == 0, f"{stem}: error output: {errors.first.inner_text()[:500]}"
    close_and_shut_down(page, lab)


def test_temperature_slider_by_keyboard_and_mouse(page, lab):
    open_notebook(page, lab, NOTEBOOK)
    page.evaluate(RUN_CELLS, widget_cells(NOTEBOOK_DIR / NOTEBOOK))
    slider = slider_named(page, LABEL)
    slider.scroll_into_view_if_needed()
    canvas = figure_canvases(page)[-1]
    output = page.locator(".jp-OutputArea-output").filter(has=page.locator(".jupyter-matplotlib"))
    readout = slider.locator(".widget-readout")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    output.last.screenshot(path=SCREENSHOTS / "temperature_before.png")
    start = assert_same_value_in_page_and_kernel(page, slider)
    text, pixels = readout.inner_text(), page.evaluate(CANVAS_STATS, canvas)["hash"]

    # Keyboard: focus the handle, three steps to the right.
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    pixels = wait_for_change(page, readout, canvas, text, pixels)["hash"]
    keyed = assert_same_value_in_page_and_kernel(page, slider)
    assert keyed > start

    # Mouse: drag the handle left by a fifth of the track.
    text = readout.inner_text()
    track = slider.locator(".noUi-target").bounding_box()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - track["width"] / 5, y, steps=8)
    page.mouse.up()
    wait_for_change(page, readout, canvas, text, pixels)
    dragged = assert_same_value_in_page_and_kernel(page, slider)
    assert dragged < keyed
    output.last.screenshot(path=SCREENSHOTS / "temperature_after.png")
    assert_no_widget_errors(page, NOTEBOOK)
    close_and_shut_down(page, lab)
