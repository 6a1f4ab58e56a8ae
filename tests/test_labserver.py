"""The server side of `make lab` (tools/labserver.py): the book is read-only, a saved
notebook keeps exactly the widget state its outputs show, and saved widgets carry a line
saying to run their cell."""

from __future__ import annotations

import asyncio
import base64
import copy
import io
import json
import shutil

import nbformat
import pytest
from nbformat.sign import NotebookNotary
from PIL import Image
from tornado.web import HTTPError

from tests.notebooks import NOTEBOOK_DIR, WIDGET_STATE, WIDGET_VIEW
from tools.labserver import (
    HINT,
    HINT_CLASS,
    BookContentsManager,
    add_hints,
    remove_hints,
    tidy_widget_state,
)

EX1 = "01_ex1_sigmoid_prime.ipynb"


def model(name: str, state: dict | None = None) -> dict:
    return {"model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
            "model_name": name, "state": state or {}}


def view(model_id: str, **data) -> dict:
    return {"output_type": "display_data", "metadata": {},
            "data": {WIDGET_VIEW: {"version_major": 2, "version_minor": 0,
                                   "model_id": model_id}, **data}}


def notebook(outputs: list, state: dict) -> dict:
    return {"cells": [{"cell_type": "code", "source": "", "metadata": {},
                       "execution_count": 1, "outputs": outputs}],
            "metadata": {"widgets": {WIDGET_STATE: {"state": state, "version_major": 2,
                                                    "version_minor": 0}}},
            "nbformat": 4, "nbformat_minor": 5}


def state_of(nb: dict) -> dict:
    return nb["metadata"]["widgets"][WIDGET_STATE]["state"]


def test_tidy_keeps_what_the_outputs_reach_and_nothing_else():
    state = {
        "box": model("VBoxModel", {"children": ["IPY_MODEL_slider"], "layout": "IPY_MODEL_l"}),
        "slider": model("FloatSliderModel", {"style": "IPY_MODEL_s"}),
        "l": model("LayoutModel"), "s": model("SliderStyleModel"),
        "old-box": model("VBoxModel", {"children": ["IPY_MODEL_old-slider"]}),
        "old-slider": model("FloatSliderModel"),
    }
    nb = notebook([view("box", **{"text/plain": "VBox()"})], state)
    tidy_widget_state(nb)
    assert set(state_of(nb)) == {"box", "slider", "l", "s"}
    assert WIDGET_VIEW in nb["cells"][0]["outputs"][0]["data"]


def test_a_view_without_its_model_falls_back_to_its_picture():
    # Saved without widget state, the output would show "model not found" when reopened.
    nb = notebook([view("gone", **{"image/png": "iVBOR", "text/plain": "Explorer"}),
                   view("alone")], {"box": model("VBoxModel")})
    tidy_widget_state(nb)
    first, second = (o["data"] for o in nb["cells"][0]["outputs"])
    assert set(first) == {"image/png", "text/plain"}
    assert WIDGET_VIEW in second  # nothing else to show: left as it is
    assert state_of(nb) == {}


def png(*colours: tuple) -> str:
    """A small PNG, base64-encoded, with one column per colour."""
    picture = Image.new("RGBA", (len(colours), 2))
    for x, colour in enumerate(colours):
        for y in range(2):
            picture.putpixel((x, y), colour)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


WHITE, BLUE = (255, 255, 255, 255), (31, 119, 180, 255)


@pytest.mark.parametrize("saved, kept", [
    (png(WHITE, WHITE), False), (None, False), ("data:image/png;base64,", False),
    (png(WHITE, BLUE), True),
], ids=["blank", "missing", "empty", "drawn"])
def test_a_figure_saved_blank_gets_the_picture_its_output_carries(saved, kept):
    # ipympl copies the picture one frame late: a save right after the first frame holds
    # an empty canvas, whereas the output's picture is what the figure first showed.
    canvas = {"_size": [2, 2]}
    if saved is not None:
        canvas["_data_url"] = saved if saved.startswith("data:") else \
            f"data:image/png;base64,{saved}"
    state = {"box": model("VBoxModel", {"children": ["IPY_MODEL_canvas"]}),
             "canvas": {**model("MPLCanvasModel", canvas), "model_module": "jupyter-matplotlib"}}
    first = png(BLUE, BLUE, WHITE)
    nb = notebook([view("box", **{"image/png": first, "text/plain": "Explorer"})], state)
    tidy_widget_state(nb)
    shown = state_of(nb)["canvas"]["state"]["_data_url"]
    assert shown == (canvas["_data_url"] if kept else f"data:image/png;base64,{first}")


def test_a_notebook_without_widgets_is_left_alone():
    nb = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    tidy_widget_state(nb)
    assert nb == {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_every_shown_box_gets_one_hint_and_loses_it_again():
    nb = json.loads((NOTEBOOK_DIR / EX1).read_text(encoding="utf-8"))
    tidy_widget_state(nb)
    before = copy.deepcopy(nb)
    add_hints(nb)
    add_hints(nb)  # once is enough
    state = state_of(nb)
    boxes = [o["data"][WIDGET_VIEW]["model_id"] for c in nb["cells"] if c["cell_type"] == "code"
             for o in c["outputs"] if WIDGET_VIEW in o.get("data", {})]
    assert len(boxes) == 2  # the Your-turn box and the Explore figure
    for box in boxes:
        first = state[box]["state"]["children"][0].removeprefix("IPY_MODEL_")
        assert state[first]["state"] == {**state[first]["state"], "value": HINT,
                                         "_dom_classes": [HINT_CLASS]}
        assert sum(HINT_CLASS in str(m) for m in state.values()) == 2
    remove_hints(nb)
    tidy_widget_state(nb)
    assert nb == before


@pytest.fixture
def repository(tmp_path):
    """A repository with the book's notebook 01 and the learner's copy of it."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "work").mkdir()
    shutil.copy(NOTEBOOK_DIR / EX1, tmp_path / "notebooks" / EX1)
    shutil.copy(NOTEBOOK_DIR / EX1, tmp_path / "work" / EX1)
    return tmp_path


@pytest.fixture
def manager(repository, tmp_path):
    contents = BookContentsManager(root_dir=str(repository))
    contents.notary = NotebookNotary(db_file=":memory:", secret=b"test")
    return contents


def run(coroutine):
    return asyncio.run(coroutine)


def test_only_work_is_writable(manager):
    assert run(manager.get(f"work/{EX1}", content=False))["writable"]
    assert not run(manager.get(f"notebooks/{EX1}", content=False))["writable"]
    assert not run(manager.get("notebooks", content=False))["writable"]
    assert run(manager.get("work", content=False))["writable"]


@pytest.mark.parametrize("action", [
    lambda m, nb: m.save({"type": "notebook", "content": nb}, f"notebooks/{EX1}"),
    lambda m, nb: m.save({"type": "notebook", "content": nb}, "Untitled.ipynb"),
    lambda m, nb: m.rename_file(f"notebooks/{EX1}", "notebooks/renamed.ipynb"),
    lambda m, nb: m.rename_file(f"work/{EX1}", f"notebooks/{EX1}"),
    lambda m, nb: m.rename_file("work", "elsewhere"),
    lambda m, nb: m.delete_file(f"notebooks/{EX1}"),
    lambda m, nb: m.delete_file("work"),
], ids=["save-book", "save-root", "rename-book", "rename-into-book", "rename-work",
        "delete-book", "delete-work"])
def test_the_book_is_never_written(manager, repository, action):
    before = (repository / "notebooks" / EX1).read_bytes()
    nb = run(manager.get(f"notebooks/{EX1}"))["content"]
    with pytest.raises(HTTPError) as refused:
        run(action(manager, nb))
    assert refused.value.status_code == 403
    assert "keeps read-only" in refused.value.log_message
    assert "work/" in refused.value.log_message
    assert (repository / "notebooks" / EX1).read_bytes() == before
    assert sorted(p.name for p in (repository / "notebooks").iterdir()) == [EX1]


def test_the_books_own_copy_is_trusted_and_shows_hints(manager, repository):
    nb = run(manager.get(f"work/{EX1}"))["content"]
    assert all(c.metadata.get("trusted") for c in nb.cells if c.cell_type == "code")
    assert sum(HINT_CLASS in str(m) for m in state_of(nb).values()) == 2
    book = run(manager.get(f"notebooks/{EX1}"))["content"]  # the book itself: as stored
    assert not any(HINT_CLASS in str(m) for m in state_of(book).values())


def test_a_saved_copy_is_tidied_signed_and_trusted_by_its_signature(manager, repository):
    nb = run(manager.get(f"work/{EX1}"))["content"]
    state_of(nb)["stale"] = model("VBoxModel")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata["trusted"] = True  # what JupyterLab sends for cells it ran
    nb.cells[1].source += "\n# the learner's edit"
    run(manager.save({"type": "notebook", "content": nb}, f"work/{EX1}"))
    saved = nbformat.read(repository / "work" / EX1, as_version=4)
    assert "stale" not in state_of(saved)
    assert not any(HINT_CLASS in str(m) for m in state_of(saved).values())
    assert manager.notary.check_signature(saved)
    reopened = run(manager.get(f"work/{EX1}"))["content"]
    assert all(c.metadata.get("trusted") for c in reopened.cells if c.cell_type == "code")
