"""ClassifierExplorer driven without a browser: each control moves the artists to what an
independently trained network gives."""

from __future__ import annotations

import base64
import warnings

import matplotlib.colors as mcolors
import numpy as np
import pytest

from nblib.explore.classifier import (
    GRID,
    LIMIT,
    MAX_EPOCHS,
    TINT,
    ClassifierExplorer,
    TrainedRun,
    grid_points,
    region_image,
    train_run,
)
from nblib.network.datasets import spirals
from nblib.network.network import Network

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def explorer():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return ClassifierExplorer()


def reference(hidden: int, eta: float, epochs: int) -> tuple[Network, np.ndarray]:
    """The run trained here with Network.train directly: network after `epochs`, cost curve."""
    data = spirals(100, 3, seed=0)
    net = Network([2, hidden, 3], output="softmax", cost="log_likelihood", seed=1)
    if epochs == 0:
        return net, np.array([net.cost(data.X, data.Y)])
    history = net.train(data.X, data.Y, epochs, 10, eta, seed=2)
    return net, history.cost


def expected_image(net: Network) -> np.ndarray:
    """Probabilities on the grid, tinting white towards the class colours C0, C1, C2."""
    axis = np.linspace(-LIMIT, LIMIT, GRID)
    gx, gy = np.meshgrid(axis, axis)
    probs = net.feedforward(np.stack([gx.ravel(), gy.ravel()]))
    colours = np.array([mcolors.to_rgb(c) for c in ("C0", "C1", "C2")])
    rgb = sum(probs[k][:, None] * colours[k] for k in range(3))
    return ((1 - TINT) + TINT * rgb).reshape(GRID, GRID, 3)


def test_default_state(explorer):
    assert (explorer.value("hidden"), explorer.value("eta"), explorer.value("epochs")) == \
        (16, 2.0, MAX_EPOCHS)
    assert explorer.describe() == ("A [2, hidden, 3] softmax network learning three spirals "
                                   "(hidden = 16, eta = 2, epochs = 300)")


@pytest.mark.parametrize("settings", [
    {"epochs": 50},
    {"epochs": 0},
    {"hidden": 4, "epochs": 120},
    {"eta": 0.5, "epochs": 300},
    {"hidden": 32, "eta": 1.0, "epochs": 10},
])
def test_controls_move_regions_cost_and_readout(explorer, settings):
    explorer.set(hidden=16, eta=2.0, epochs=MAX_EPOCHS)
    explorer.set(**settings)
    hidden, eta, epochs = (explorer.value(k) for k in ("hidden", "eta", "epochs"))
    net, cost = reference(hidden, eta, epochs)
    np.testing.assert_allclose(explorer.image.get_array(), expected_image(net), rtol=0,
                               atol=1e-9)
    x, y = explorer.cost_line.get_data()
    np.testing.assert_array_equal(x, np.arange(epochs + 1))
    np.testing.assert_allclose(y, cost, rtol=1e-10)
    assert explorer.cost_point.get_data() == ([epochs], [pytest.approx(cost[-1], rel=1e-10)])
    data = spirals(100, 3, seed=0)
    accuracy = np.mean(net.feedforward(data.X).argmax(axis=0) == data.labels)
    assert explorer.readout.get_text() == (
        f"[2, {hidden}, 3], η = {eta:g}, epoch {epochs}: cost {cost[-1]:.3f}, "
        f"accuracy {100 * accuracy:.0f} %")


def test_update_is_in_place_and_runs_are_cached(explorer):
    before = (explorer.image, explorer.cost_line, explorer.cost_full, explorer.readout,
              list(explorer.figure.axes), len(explorer.ax_cost.lines))
    explorer.set(hidden=8, eta=1.0, epochs=200)
    run = explorer.run()
    explorer.set(hidden=16, epochs=100)
    explorer.set(hidden=8, epochs=40)
    assert explorer.run() is run  # coming back to (8, 1.0) does not train again
    after = (explorer.image, explorer.cost_line, explorer.cost_full, explorer.readout,
             list(explorer.figure.axes), len(explorer.ax_cost.lines))
    assert before == after
    assert len(explorer.ax_regions.images) == 1


def test_mimebundle_carries_widget_view_and_png(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert explorer.canvas._data_url == "data:image/png;base64," + bundle["image/png"]
    assert bundle["text/plain"] == explorer.describe()


def test_picture_changes_with_epochs(explorer):
    explorer.set(hidden=16, eta=2.0, epochs=300)
    before = explorer.png()
    explorer.set(epochs=20)
    assert explorer.png() != before


def test_train_run_keeps_every_epoch():
    run = train_run(2, 0.25, epochs=3)
    assert isinstance(run, TrainedRun)
    assert run.snapshots.shape == (4, 2 * 2 + 2 + 2 * 3 + 3) and run.cost.shape == (4,)
    net, cost = reference(2, 0.25, 3)
    np.testing.assert_allclose(run.network(3).flat_parameters(), net.flat_parameters(),
                               rtol=1e-12)
    np.testing.assert_allclose(run.cost, cost, rtol=1e-12)


def test_region_image_of_a_network_that_ignores_its_input():
    net = Network([2, 2, 3], output="softmax", cost="log_likelihood", seed=0)
    net.weights[-1][:] = 0.0
    net.biases[-1][:] = 0.0  # every output ⅓ everywhere: one mixed colour
    image = region_image(net)
    assert image.shape == (GRID, GRID, 3)
    assert np.ptp(image.reshape(-1, 3), axis=0).max() < 1e-15
    assert grid_points().shape == (2, GRID * GRID)


@pytest.mark.parametrize("call, error, match", [
    (lambda: train_run(3, 1.0), ValueError, "train_run: argument 'hidden' must be one of"),
    (lambda: train_run(4, 0.3), ValueError, "train_run: argument 'eta' must be one of"),
    (lambda: region_image("net"), TypeError, "region_image: argument 'net' must be a Network"),
    (lambda: region_image(Network([2, 3, 2], output="softmax", cost="log_likelihood")),
     ValueError, "must have 3 outputs"),
    (lambda: train_run(2, 0.25, epochs=1).network(5), ValueError, "argument 'epoch'"),
])
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
