"""A learner's sessions with `make lab`, from a fresh clone, in headless Chromium.

The test clones the repository as it stands (tools/… and the Makefile included) and, as a
learner does over a few days, runs `make lab` there three times as from a terminal, opens
the address it prints, and stops it with one Ctrl-C. (One story rather than one test per
scenario: each `make lab` start and page load costs more than the checks after it.)

* The first minute: the printed address opens the index of the learner's copy and nothing
  else, with no news pop-up and one kernel; a closed notebook's kernel stops.
* Reload with the kernel running: after a save the controls come back live and respond;
  without one, the picture comes back with a line saying to run the cell. The book's own
  copy opens read-only. Ctrl-C stops the server and every kernel.
* The next start comes back to the index alone. Run, autosave, stop, start, reopen: the
  figures and the Your-turn box are drawn from the saved widget state with that line,
  never "model not found", and the book's files are as they were cloned (`git status`
  clean).
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import TimeoutError as PageTimeout

from tests.browser.lab import (
    LAB_SETTINGS,
    ROOT,
    fresh_clone,
    git_status,
    kernel_processes,
    make_lab,
    shutdown_errors,
)
from tests.browser.pages import (
    ACTIVATE,
    CANVAS_STATS,
    CLOSE,
    CURRENT_PATH,
    DIRTY,
    OPEN_DOCUMENTS,
    OPEN_IN_APP,
    RENDER_TIMEOUT_MS,
    RUN_ALL,
    SAVE,
    assert_no_widget_errors,
    console_tail,
    explorer_count,
    figure_canvases,
    leave_without_asking,
    load_lab,
    reload_lab,
)
from tests.notebooks import NOTEBOOK_DIR, notebook_paths, read
from tools.labserver import HINT_CLASS, WIDGET_STATE, WIDGET_VIEW

pytestmark = pytest.mark.browser

INDEX = "work/00_index.ipynb"
EX1 = "work/01_ex1_sigmoid_prime.ipynb"
EX3 = "work/03_ex3_minimum_at_y.ipynb"
PB6 = "work/12_pb6_softmax_temperature.ipynb"
BOOK_EX1 = "notebooks/01_ex1_sigmoid_prime.ipynb"
WRITABLE = "() => window.jupyterapp.shell.currentWidget.context.contentsModel.writable"
HINTS = f".{HINT_CLASS}"
SCREENSHOTS = ROOT / "build" / "screenshots"
# Autosave every 3 s instead of 2 minutes, so that a test can wait for it.
QUICK_AUTOSAVE = LAB_SETTINGS | {"@jupyterlab/docmanager-extension/plugin": {"autosaveInterval": 3}}


@pytest.fixture(scope="module")
def browser(page):
    leave_without_asking(page)
    return page


@pytest.fixture
def repo(tmp_path):
    return fresh_clone(tmp_path / "repo")


def kernel_count(lab, expected: int, timeout: float = 15.0) -> int:
    """The number of running kernels, once it is ``expected`` (or the timeout is over)."""
    deadline = time.monotonic() + timeout
    while (count := len(lab.api("/api/kernels"))) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return count


def open_and_activate(page, path: str) -> None:
    page.evaluate(OPEN_IN_APP, path)
    page.evaluate(ACTIVATE, path)


def assert_stopped_cleanly(lab, home, kernels: int) -> None:
    """One Ctrl-C: the server stops, shutting its kernels down, and no kernel is left."""
    output = lab.interrupt(timeout=60)
    assert "Shutting down..." in output, output[-2000:]
    after = output[output.index("Shutting down..."):]
    assert f"Shutting down {kernels} kernel" in after, after
    assert not shutdown_errors(after), after
    deadline = time.monotonic() + 10
    while kernel_processes(home / "runtime") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not kernel_processes(home / "runtime"), "kernels outlived the server"


def first_minute(page, lab) -> None:
    """The address opens the index alone, quietly, with one kernel; opening two notebooks
    starts two more, and closing one stops its kernel."""
    printed = lab.output()
    assert f"Copied the book's {len(notebook_paths())} notebooks into work/." in printed
    assert "Your notebooks are in work/" in printed
    assert lab.address.startswith(f"http://127.0.0.1:{lab.port}/lab/tree/{INDEX}?token=")
    load_lab(page, lab.address)
    loaded = time.monotonic()
    assert page.evaluate(OPEN_DOCUMENTS) == [INDEX]
    assert page.evaluate(CURRENT_PATH) == INDEX
    assert page.locator(".jp-Launcher").count() == 0
    assert kernel_count(lab, 1) == 1
    open_and_activate(page, EX1)
    open_and_activate(page, EX3)
    assert kernel_count(lab, 3) == 3
    # The news question comes within a second of the page when it is asked at all; a
    # pop-up stays until answered, so looking once 5 s after the page load is enough.
    page.wait_for_timeout(max(0.0, 5.0 - (time.monotonic() - loaded)) * 1000)
    toasts = page.locator(".Toastify__toast").all_inner_texts()
    assert not toasts, f"a pop-up appeared: {toasts}"
    page.evaluate(CLOSE, EX3)  # a closed notebook's kernel stops with it
    assert kernel_count(lab, 2) == 2


def type_a_line(page) -> str:
    """Type the first line of Exercise 1's derivation into the Your-turn box; the answer."""
    box = page.locator(".jp-Notebook .widget-text input")
    box.fill("exp(-z)/(1+exp(-z))**2")
    box.press("Enter")
    answer = page.locator(".jp-Notebook .widget-htmlmath").filter(has_text="equals the line")
    answer.wait_for(timeout=30_000)
    return answer.inner_text()


def move_slider(page) -> None:
    """Two key presses on the first slider: the readout and the figure's pixels change."""
    canvas = figure_canvases(page)[-1]
    canvas.scroll_into_view_if_needed()
    readout = page.locator(".widget-slider .widget-readout").first
    text, pixels = readout.inner_text(), page.evaluate(CANVAS_STATS, canvas)["hash"]
    page.locator(".widget-slider .noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([el, t]) => el.innerText !== t",
                           arg=[readout.element_handle(), text], timeout=10_000)
    page.wait_for_function(f"(c) => ({CANVAS_STATS})(c).hash !== {pixels}",
                           arg=canvas, timeout=15_000)


# What each output of the open notebook is, for a failure message: its MIME type, whether
# it holds a hint line, a widget box, a figure, and the start of its text.
OUTPUT_KINDS = f"""() => Array.from(document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output')).map(o => ({{
  mime: o.getAttribute('data-mime-type'), hint: !!o.querySelector('.{HINT_CLASS}'),
  box: !!o.querySelector('.widget-box'), figure: !!o.querySelector('.jupyter-matplotlib'),
  text: o.innerText.slice(0, 80)}}))"""


def assert_saved_pictures(page, path: str) -> None:
    """The notebook's widgets drawn from saved state: every figure drawn, a line per output
    saying to run its cell, no widget error."""
    hints = page.locator(HINTS)
    book = read(NOTEBOOK_DIR / path.removeprefix("work/"))
    shown = [o for c in book.cells if c.cell_type == "code" for o in c.outputs
             if WIDGET_VIEW in o.get("data", {})]
    # The outputs are drawn one after another: wait for all of them, then check there are
    # no more (the Explore figure and the Your-turn box).
    try:
        page.wait_for_function("([selector, n]) => document.querySelectorAll(selector).length"
                               " >= n", arg=[HINTS, len(shown)], timeout=RENDER_TIMEOUT_MS)
    except PageTimeout:
        pytest.fail(f"{path}: {hints.count()} of {len(shown)} 'run this cell' lines; the "
                    f"outputs:\n{page.evaluate(OUTPUT_KINDS)}\nthe console:\n"
                    f"{console_tail(page)}")
    assert hints.count() == len(shown)
    assert all("run this cell" in text for text in hints.all_inner_texts())
    canvases = figure_canvases(page)
    assert len(canvases) >= explorer_count(NOTEBOOK_DIR / path.removeprefix("work/"))
    for canvas in canvases:  # drawn once the saved picture has loaded
        try:
            page.wait_for_function(f"(c) => ({CANVAS_STATS})(c).ink > 1000", arg=canvas,
                                   timeout=20_000)
        except PageTimeout:
            pytest.fail(f"{path}: blank figure {page.evaluate(CANVAS_STATS, canvas)}")
    assert_no_widget_errors(page, path)


def reload_with_the_kernel_running(page) -> None:
    """Reloads of the page with Exercise 1 saved since its run, Exercise 3 not; the book's
    own copy of Exercise 1 opened beside them."""
    # Saved since the run: the reloaded page gets the live widgets back from the kernel.
    open_and_activate(page, EX1)
    page.wait_for_function(DIRTY)  # its widgets' state counts as a change to save
    page.evaluate(RUN_ALL)
    page.evaluate(SAVE)
    reload_lab(page)
    page.evaluate(ACTIVATE, EX1)
    assert "✓" in type_a_line(page)
    move_slider(page)
    assert page.locator(HINTS).count() == 0
    assert page.locator(".jupyter-widgets-disconnected").count() == 0
    assert_no_widget_errors(page, EX1)
    page.evaluate(CLOSE, EX1)

    # Not saved since the run: the file holds the book's outputs, whose widgets the
    # kernel never made. The page shows their pictures, each with a line to run it.
    open_and_activate(page, EX3)
    page.evaluate(RUN_ALL)
    reload_lab(page)
    page.evaluate(ACTIVATE, EX3)
    assert_saved_pictures(page, EX3)

    # The book's own copy opens read-only: JupyterLab never autosaves it, and Ctrl-S
    # says to use Save As.
    open_and_activate(page, BOOK_EX1)
    assert page.evaluate(WRITABLE) is False
    page.locator(".jp-NotebookPanel:visible .jp-Notebook").first.click()
    page.keyboard.press("Control+s")
    toast = page.locator(".Toastify__toast").filter(has_text="is read-only")
    toast.wait_for(timeout=10_000)
    assert f'{BOOK_EX1} is read-only. Use "Save as…" instead.' in toast.inner_text()


def run_until_autosaved(page, saved) -> None:
    """Run every cell of the open notebook and wait for autosave to write ``saved``."""
    page.evaluate(RUN_ALL)
    ran = time.time()
    deadline = time.monotonic() + 60
    while (saved.stat().st_mtime < ran or page.evaluate(DIRTY)) and \
            time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert saved.stat().st_mtime >= ran, "autosave did not save the notebook"


def assert_saved_state_is_the_runs(saved) -> None:
    """The learner's file holds this run's outputs and the state of every widget they show
    (and no more), none of them the book's."""
    nb = read(saved)
    state = nb.metadata["widgets"][WIDGET_STATE]["state"]
    views = [o.data[WIDGET_VIEW]["model_id"] for c in nb.cells if c.cell_type == "code"
             for o in c.outputs if WIDGET_VIEW in o.get("data", {})]
    assert views and all(view in state for view in views)
    assert not any(HINT_CLASS in str(model) for model in state.values())
    book = read(NOTEBOOK_DIR / saved.name)
    assert not set(views) & set(book.metadata["widgets"][WIDGET_STATE]["state"])


def test_a_learners_sessions(browser, repo, tmp_path):
    home = tmp_path / "home"
    with make_lab(repo, home) as lab:
        first_minute(browser, lab)
        reload_with_the_kernel_running(browser)
        # Open: the index, Exercise 3 and the book's Exercise 1 (Exercise 1 was closed).
        assert kernel_count(lab, 3) == 3
        assert_stopped_cleanly(lab, home, kernels=3)

    saved = repo / PB6
    with make_lab(repo, home, settings=QUICK_AUTOSAVE) as lab:
        assert "Copied" not in lab.output()  # the copies are there already
        load_lab(browser, lab.address)
        assert browser.evaluate(OPEN_DOCUMENTS) == [INDEX]  # a fresh workspace
        assert kernel_count(lab, 1) == 1
        open_and_activate(browser, PB6)
        run_until_autosaved(browser, saved)
        assert_stopped_cleanly(lab, home, kernels=2)
    assert_saved_state_is_the_runs(saved)

    with make_lab(repo, home) as lab:
        load_lab(browser, lab.address)
        open_and_activate(browser, PB6)
        assert_saved_pictures(browser, PB6)
        assert browser.locator(".jp-Notebook .widget-text input").count() == 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.locator(".jp-OutputArea-output").filter(
            has=browser.locator(".jupyter-matplotlib")).last.screenshot(
            path=SCREENSHOTS / "pb6_reopened_after_restart.png")
    assert git_status(repo) == ""
