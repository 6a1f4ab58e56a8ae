"""The server side of `make lab`: only work/ is written, and saved widget state stays true.

:class:`BookContentsManager` is the Jupyter server's file access under `make lab`
(tools/lab.py names it): the book outside work/ is read-only, a book's copy in work/ that
is still the book's own file is trusted, and every notebook saved keeps exactly the widget
state its outputs show (:func:`tidy_widget_state`), with a line saying to run the cell
wherever JupyterLab has to draw an output from that state (:func:`add_hints`).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from pathlib import Path

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from PIL import Image
from tornado.web import HTTPError

from tools import workcopy

WORK = workcopy.WORK.name
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# How one widget model names another in its state, and how an output names the model it views.
_REFERENCE = re.compile(r'"IPY_MODEL_([\w-]+)"|"model_id":\s*"([\w-]+)"')

# The line shown above an output's saved widgets when no kernel holds them (add_hints).
HINT_CLASS = "lab-saved-output"
HINT = ("<i>Saved output, not connected to the kernel: run this cell to use its "
        "controls.</i>")

READ_ONLY = (
    "{path} belongs to the book, which `make lab` keeps read-only so that `make test` "
    "checks the book as published. Your copies of the notebooks are in {work}/: open and "
    "save them there (File > Save Notebook As… saves this one into {work}/)."
)


def _learners(path: str) -> bool:
    """True for work/ and what lies in it (an API path, relative to the repository)."""
    path = path.strip("/")
    return path == WORK or path.startswith(f"{WORK}/")


def _refuse(path: str) -> HTTPError:
    return HTTPError(403, READ_ONLY.format(path=path.strip("/") or "The repository", work=WORK))


class BookContentsManager(AsyncLargeFileManager):
    """The server's file access for `make lab`: only work/ can be written.

    Everything else reports itself not writable, so JupyterLab opens the book's notebooks
    read-only (no autosave; Save offers Save As); a save, rename or delete that reaches the
    server anyway is refused with a message saying where the learner's copies are.

    A notebook read from work/ is trusted when it is still the book's own file, byte for
    byte (the learner's saves are signed as usual), and its saved widget views come with a
    line saying to run the cell (:func:`add_hints`); a notebook saved into work/ loses those
    lines again and goes through :func:`tidy_widget_state`.
    """

    def is_writable(self, path: str) -> bool:
        return _learners(path) and super().is_writable(path)

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if model.get("type") == "notebook" and model.get("content") and _learners(path):
            add_hints(model["content"])
        return model

    def mark_trusted_cells(self, nb, path=""):
        if self._is_books_copy(path):
            self.notary.mark_cells(nb, True)
        else:
            super().mark_trusted_cells(nb, path)

    def _is_books_copy(self, path: str) -> bool:
        name = path.strip("/").rsplit("/", 1)[-1]
        book = Path(self.root_dir) / workcopy.BOOK.name / name
        return (_learners(path) and path.strip("/") == f"{WORK}/{name}" and book.is_file()
                and workcopy.digest(Path(self._get_os_path(path))) == workcopy.digest(book))

    async def save(self, model, path=""):
        if not _learners(path):
            raise _refuse(path)
        if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
            remove_hints(model["content"])
            tidy_widget_state(model["content"])
        return await super().save(model, path)

    async def delete_file(self, path):
        if not _learners(path) or path.strip("/") == WORK:
            raise _refuse(path)
        return await super().delete_file(path)

    async def rename_file(self, old_path, new_path):
        for path in (old_path, new_path):
            if not _learners(path) or path.strip("/") == WORK:
                raise _refuse(path)
        return await super().rename_file(old_path, new_path)


def _state(nb: dict) -> dict[str, dict]:
    """The stored widget state of a notebook (as JSON): model id → model."""
    return nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def _hint_models(box_id: str, module_version: str) -> dict[str, dict]:
    """The models of a hint line for the box ``box_id``: its HTML, layout and style."""
    ids = [hashlib.md5(f"{box_id}/{part}".encode()).hexdigest()
           for part in ("hint", "layout", "style")]
    controls = {"model_module": "@jupyter-widgets/controls",
                "model_module_version": module_version}
    return {
        ids[0]: {**controls, "model_name": "HTMLModel", "state": {
            "_dom_classes": [HINT_CLASS], "value": HINT,
            "layout": f"IPY_MODEL_{ids[1]}", "style": f"IPY_MODEL_{ids[2]}"}},
        ids[1]: {"model_module": "@jupyter-widgets/base", "model_module_version": "2.0.0",
                 "model_name": "LayoutModel", "state": {}},
        ids[2]: {**controls, "model_name": "HTMLStyleModel", "state": {}},
    }


def add_hints(nb: dict) -> None:
    """Put a line saying to run the cell at the top of every box an output shows, in the
    stored widget state (in place).

    JupyterLab draws an output from this state only when no kernel holds its widgets:
    after a restart, or after a reload of the page when the notebook was not saved since
    the cell ran. The controls drawn then do nothing, and the line says so. When the
    kernel does hold the widgets, its state wins and no line is shown.
    """
    state = _state(nb)
    for output in _views(nb):
        box = state.get(output["data"][WIDGET_VIEW].get("model_id"))
        children = box and box.get("state", {}).get("children")
        if not isinstance(children, list):
            continue
        hint = _hint_models(output["data"][WIDGET_VIEW]["model_id"],
                            box.get("model_module_version", "2.0.0"))
        line = f"IPY_MODEL_{next(iter(hint))}"
        if line not in children:
            state.update(hint)
            box["state"]["children"] = [line, *children]


def remove_hints(nb: dict) -> None:
    """Undo :func:`add_hints` (the widget state a notebook is saved with has no hints)."""
    state = _state(nb)
    hints = {f"IPY_MODEL_{i}" for i, m in state.items()
             if HINT_CLASS in m.get("state", {}).get("_dom_classes", [])}
    for model in state.values():
        children = model.get("state", {}).get("children")
        if isinstance(children, list) and hints & set(children):
            model["state"]["children"] = [c for c in children if c not in hints]


def _views(nb: dict) -> list[dict]:
    """Every output of a notebook (as JSON) that carries a widget view."""
    return [output for cell in nb.get("cells", []) for output in cell.get("outputs", [])
            if WIDGET_VIEW in output.get("data", {})]


def _reach(stored: dict[str, dict], roots: list[str]) -> dict[str, dict]:
    """The models of ``stored`` that ``roots`` name, and those they name in turn."""
    reached: dict[str, dict] = {}
    todo = list(roots)
    while todo:
        model_id = todo.pop()
        if model_id in stored and model_id not in reached:
            reached[model_id] = stored[model_id]
            todo += [a or b for a, b in _REFERENCE.findall(json.dumps(stored[model_id]))]
    return reached


def _blank(data_url: object) -> bool:
    """True for a missing picture, or one of a single colour (an empty canvas)."""
    if not isinstance(data_url, str) or "," not in data_url:
        return True
    try:
        with Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1]))) as picture:
            return all(low == high for low, high in picture.getextrema())
    except (OSError, ValueError):
        return True


def tidy_widget_state(nb: dict) -> None:
    """Keep the stored widget state in step with the outputs, in place.

    JupyterLab saves the state of every widget model its page holds, including those of
    outputs long since replaced (each run of a cell adds a figure's worth). The state kept
    is what the outputs' widget views reach, through the models they name. An output whose
    model is not in the state (saved without widget state, or with that model closed)
    would show "Error displaying widget: model not found" when the notebook is reopened:
    its widget view is dropped, so JupyterLab shows the output's other form, the picture
    or the text stored beside it. A figure saved before its page had a picture of it
    (ipympl copies the picture one frame late) gets its output's picture, which is what
    it showed first.
    """
    views, stored = _views(nb), _state(nb)
    if not views and not stored:
        return
    kept = _reach(stored, [output["data"][WIDGET_VIEW].get("model_id") for output in views])
    for output in views:
        data = output["data"]
        if data[WIDGET_VIEW].get("model_id") not in kept:
            if len(data) > 1:
                del data[WIDGET_VIEW]
            continue
        canvases = [m for m in _reach(kept, [data[WIDGET_VIEW]["model_id"]]).values()
                    if m.get("model_name") == "MPLCanvasModel"]
        if "image/png" in data and len(canvases) == 1 and \
                _blank(canvases[0].get("state", {}).get("_data_url")):
            canvases[0].setdefault("state", {})["_data_url"] = (
                f"data:image/png;base64,{data['image/png']}")
    if stored:
        nb["metadata"]["widgets"][WIDGET_STATE]["state"] = kept
