"""Explorers driven without a browser: move a control, the artists follow the numerics."""

from __future__ import annotations

import asyncio
import base64
import warnings

import numpy as np
import pytest

from nblib.explore import slider
from nblib.explore.base import Explorer
from nblib.explore.sigmoid import SigmoidExplorer
from nblib.numerics.activations import sigmoid, sigmoid_prime

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def explorer():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield SigmoidExplorer()


def test_default_state_and_description(explorer):
    assert explorer.value("z0") == 1.0
    assert explorer.describe() == "σ and its slope (z0 = 1.0)"


@pytest.mark.parametrize("z0", [-8.0, -2.5, 0.0, 0.25, 7.75])
def test_slider_moves_point_tangent_and_readout(explorer, z0):
    explorer.controls["z0"].value = z0  # as the browser would set it
    s, slope = sigmoid(z0), sigmoid_prime(z0)
    assert explorer.point.get_data() == ([z0], [s])
    assert explorer.slope_point.get_data() == ([z0], [slope])
    tz, ty = explorer.tangent.get_data()
    np.testing.assert_allclose(ty, s + slope * (np.asarray(tz) - z0), rtol=0, atol=1e-15)
    # The tangent touches σ at z₀: its value there is σ(z₀).
    assert np.interp(z0, tz, ty) == pytest.approx(s, abs=1e-12)
    assert f"σ′(z₀) = {slope:.4f}" in explorer.readout.get_text()


def test_update_is_in_place(explorer):
    artists_before = (explorer.point, explorer.tangent, explorer.readout,
                      list(explorer.figure.axes))
    explorer.set(z0=-3.0)
    assert artists_before == (explorer.point, explorer.tangent, explorer.readout,
                              list(explorer.figure.axes))
    assert len(explorer.ax_sigma.lines) == 3


def test_mimebundle_carries_widget_view_png_and_picture_in_state(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert explorer.canvas._data_url == "data:image/png;base64," + bundle["image/png"]
    assert bundle["text/plain"] == explorer.describe()
    assert explorer.canvas in explorer.widget.children


def test_picture_changes_with_the_control(explorer):
    before = explorer.png()
    explorer.set(z0=-5.0)
    assert explorer.png() != before


def test_unknown_controls_are_named():
    with pytest.raises(TypeError, match=r"unknown control\(s\) \['w'\]"):
        SigmoidExplorer(w=1.0)
    with pytest.raises(KeyError, match="no control 'b'"):
        SigmoidExplorer().set(b=2.0)


def test_initial_values_are_applied():
    assert SigmoidExplorer(z0=-2.0).point.get_data()[0] == [-2.0]


@pytest.mark.parametrize("bad", [dict(step=0.1), dict(value=0.3), dict(value=0.125 + 1 / 3)])
def test_slider_steps_must_be_exact_in_binary(bad):
    args = dict(value=0.0, lo=-1.0, hi=1.0, step=0.25) | bad
    with pytest.raises(ValueError, match="slider 'x'"):
        slider("x", **args)


def test_slider_value_must_sit_on_the_grid():
    with pytest.raises(ValueError, match="not on the grid"):
        slider("x", 0.125, -1.0, 1.0, 0.25)


def test_base_class_requires_the_three_methods():
    with pytest.raises(NotImplementedError):
        Explorer()


def test_explorers_finds_the_explorer_of_every_notebook():
    # The benchmarks time what explorers() finds: one explorer per exercise notebook, the one
    # its Explore section displays.
    from nblib.explore import explorers
    from tests.notebooks import exercise_paths, read

    shown = set()
    for path in exercise_paths():
        cells = [c.source for c in read(path).cells if c.cell_type == "code"]
        shown.add(cells[-1].split("(")[0].strip())
    assert {cls.__name__ for cls in explorers()} == shown


def count_frames(explorer) -> list:
    """Make the canvas record the frames it sends (the slider's value at each) instead."""
    frames = []
    explorer.canvas.send_binary = lambda png: frames.append(explorer.value("z0"))
    explorer.canvas.syncing_data_url = False  # as once a page shows the figure
    return frames


def test_a_settled_figure_sends_one_more_frame(explorer):
    # ipympl's page saves the picture one frame late: after the last change, one more.
    frames = count_frames(explorer)

    async def drag():
        for z0 in (1.5, 2.0, 2.5):
            explorer.controls["z0"].value = z0
            await asyncio.sleep(explorer.settle / 10)
        await asyncio.sleep(explorer.settle * 3)

    asyncio.run(drag())
    assert frames == [1.5, 2.0, 2.5, 2.5]


def test_a_page_showing_the_figure_gets_a_second_frame(explorer):
    frames = count_frames(explorer)

    async def shown():
        explorer._on_canvas_message(explorer.canvas, {"type": "initialized"}, [])
        await asyncio.sleep(explorer.settle * 3)

    asyncio.run(shown())
    assert frames == [1.0]


def test_without_an_event_loop_no_frame_is_scheduled(explorer):
    frames = count_frames(explorer)
    explorer.controls["z0"].value = 2.0
    assert frames == [2.0]
