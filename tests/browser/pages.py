"""What the browser tests do to a JupyterLab page: open, run, read pixels, ask the kernel."""

from __future__ import annotations

import time

from tests.notebooks import WIDGET_VIEW, read

WIDGET_ERRORS = ("Error displaying widget", "model not found", "Failed to create view")

# How long a widget view may take to appear after its output arrives, in ms. On a 2-core
# machine running the whole suite (two emulated-CPU nbval passes, kernels, JupyterLab) a
# view has taken over 30 s; a view that never comes still fails, after a minute.
RENDER_TIMEOUT_MS = 60_000
# Console messages a page keeps for a failure to show (the page fixture records them).
CONSOLE_LINES = 40


def console_tail(page) -> str:
    """The page's last console messages, one per line, for a failure message."""
    return "\n".join(getattr(page, "console_tail", ())) or "(no console messages)"


# Resolves when every cell has run (JupyterLab's own command returns that promise).
RUN_ALL = """async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  await panel.sessionContext.ready;
  await window.jupyterapp.commands.execute('notebook:run-all-cells');
  const kernel = panel.sessionContext.session.kernel;
  while (kernel.status !== 'idle') { await new Promise(r => setTimeout(r, 50)); }
}"""

# Runs the cells at the given indices, in order, and resolves when the kernel is idle; throws
# if JupyterLab did not run one of them (its run command resolves to false).
RUN_CELLS = """async (indices) => {
  const panel = window.jupyterapp.shell.currentWidget;
  await panel.sessionContext.ready;
  for (const index of indices) {
    panel.content.activeCellIndex = index;
    const active = panel.content.activeCellIndex;
    const ran = await window.jupyterapp.commands.execute('notebook:run-cell');
    if (!ran || active !== index) {
      throw new Error(`cell ${index} did not run (active cell ${active}, ran ${ran})`);
    }
  }
  const kernel = panel.sessionContext.session.kernel;
  while (kernel.status !== 'idle') { await new Promise(r => setTimeout(r, 50)); }
}"""

# Runs code in the notebook's kernel and returns what it printed.
KERNEL_PRINT = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, store_history: false});
  let text = '';
  future.onIOPub = (msg) => { if (msg.header.msg_type === 'stream') text += msg.content.text; };
  await future.done;
  return text;
}"""

# A cheap fingerprint of what a canvas shows, and how many pixels are not background.
CANVAS_STATS = """(canvas) => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let hash = 0, ink = 0;
  for (let i = 0; i < data.length; i += 4) {
    const v = data[i] * 65536 + data[i + 1] * 256 + data[i + 2];
    hash = (hash * 31 + v + data[i + 3]) % 2147483647;
    if (data[i + 3] > 0 && v !== 0xffffff) ink += 1;
  }
  return {hash, ink, width: canvas.width, height: canvas.height};
}"""


def explorer_count(path) -> int:
    """Number of Explore outputs (widget view + picture) stored in a notebook."""
    return sum(
        1 for cell in read(path).cells if cell.cell_type == "code"
        for out in cell.outputs
        if WIDGET_VIEW in out.get("data", {}) and "image/png" in out.get("data", {})
    )


def widget_cells(path) -> list[int]:
    """Indices of the cells a notebook's widgets need: its first code cell (the imports)
    and every cell whose stored output is a widget (the Your-turn box, the explorer)."""
    cells = read(path).cells
    code = [i for i, cell in enumerate(cells) if cell.cell_type == "code"]
    widgets = [i for i in code
               if any(WIDGET_VIEW in out.get("data", {}) for out in cells[i].outputs)]
    return [code[0], *(i for i in widgets if i != code[0])]


# Opens a notebook in the JupyterLab already loaded in the page (a reload costs seconds).
OPEN_IN_APP = """async (path) => {
  const widget = await window.jupyterapp.commands.execute('docmanager:open', {path});
  await widget.context.ready;
  window.jupyterapp.shell.activateById(widget.id);
}"""

# Closes every document without asking to save: the lab serves a copy of the book.
DISCARD_ALL = """() => {
  for (const widget of Array.from(window.jupyterapp.shell.widgets('main'))) widget.dispose();
}"""

READY = ("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
         " && window.jupyterapp.shell.currentWidget.context"
         " && window.jupyterapp.shell.currentWidget.context.isReady")


def _lab_loaded(page, lab) -> bool:
    return (page.url.startswith(f"http://127.0.0.1:{lab.port}/lab")
            and page.evaluate("() => Boolean(window.jupyterapp)"))


def open_notebook(page, lab, name: str) -> None:
    """Open a notebook and wait until its outputs are rendered.

    The first call loads JupyterLab with the notebook; later calls on the same page open the
    next notebook inside the running app, which is what a reader does and saves a reload.
    """
    if _lab_loaded(page, lab):
        page.evaluate(DISCARD_ALL)
        page.evaluate(OPEN_IN_APP, name)
    else:
        page.goto(lab.url(name))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(READY, timeout=60_000)


def close_and_shut_down(page, lab, timeout: float = 20.0) -> None:
    """Close the notebook without saving and stop every kernel, so runs stay independent.

    Returns once the server holds no session: a notebook opened again at once would
    otherwise join the session its closed tab is still shutting down, and lose its kernel.
    """
    page.evaluate(DISCARD_ALL)
    for kernel in lab.api("/api/kernels"):
        lab.delete(f"/api/kernels/{kernel['id']}")
    deadline = time.monotonic() + timeout
    while lab.api("/api/sessions") and time.monotonic() < deadline:
        time.sleep(0.1)


def figure_canvases(page) -> list:
    """The canvas that shows each ipympl figure (the second one is a transparent overlay)."""
    return [figure.query_selector("canvas")
            for figure in page.query_selector_all(".jupyter-matplotlib")]


def assert_no_widget_errors(page, name: str) -> None:
    text = page.inner_text(".jp-Notebook")
    for error in WIDGET_ERRORS:
        assert error not in text, f"{name}: the page shows {error!r}"




# The paths of the documents open in the lab, and the current one's.
OPEN_DOCUMENTS = """() => Array.from(window.jupyterapp.shell.widgets('main'))
  .filter(w => w.context).map(w => w.context.path)"""
CURRENT_PATH = "() => window.jupyterapp.shell.currentWidget.context.path"

# Brings an open notebook to the front; resolves when its file is loaded and its kernel
# has started (answered its first request).
ACTIVATE = """async (path) => {
  const widget = Array.from(window.jupyterapp.shell.widgets('main'))
    .find(w => w.context && w.context.path === path);
  window.jupyterapp.shell.activateById(widget.id);
  await widget.context.ready;
  await widget.sessionContext.ready;
  await widget.sessionContext.session.kernel.info;
}"""

# Closes one document (no question asked), as its tab's close button does.
CLOSE = """(path) => Array.from(window.jupyterapp.shell.widgets('main'))
  .find(w => w.context && w.context.path === path).dispose()"""

# Saves the current notebook, as Ctrl-S does; resolves when the server has written it.
SAVE = "async () => { await window.jupyterapp.shell.currentWidget.context.save(); }"
DIRTY = "() => window.jupyterapp.shell.currentWidget.context.model.dirty"


def load_lab(page, address: str) -> None:
    """Go to a lab's address; wait until its notebook is loaded and its kernel started."""
    page.goto(address)
    page.wait_for_function(READY, timeout=60_000)
    page.evaluate(ACTIVATE, page.evaluate(CURRENT_PATH))


def reload_lab(page) -> None:
    """Reload the page (leaving unsaved changes behind) and wait for the lab to be back."""
    page.reload()
    page.wait_for_function(READY, timeout=60_000)


def leave_without_asking(page) -> None:
    """Accept the browser's "leave this page?" question (JupyterLab asks when a notebook
    has unsaved changes), as a learner reloading the page does."""
    page.on("dialog", lambda dialog: dialog.accept())
