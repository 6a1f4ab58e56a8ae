"""The digits explorer driven headless: each control moves the artists to what the runs of
nblib.network.experiment give (themselves tested against plain NumPy SGD), and the sample
picture shows the file's own images."""

from __future__ import annotations

import base64
import gzip
import warnings

import numpy as np
import pytest

from nblib.explore.digits import COST_LIMITS, ETAS, NAMES, DigitsExplorer, sample_digits
from nblib.network.datasets import DIGITS_FILE
from nblib.network.experiment import COSTS, EPOCHS, train_digits
from tests.test_experiment import reference_data

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def explorer():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return DigitsExplorer()


def test_default_state(explorer):
    assert [explorer.value(k) for k in ("cost", "eta", "epochs", "seed")] == \
        ["cross_entropy", 0.5, 30, 1]
    assert explorer.describe() == ("a [64, 30, 10] network learning the 8 × 8 digits (cost = "
                                   "cross-entropy, eta = 0.5, epochs = 30, seed = 1)")
    assert ETAS[2] == 0.5 and 3.0 in ETAS and all((e * 8).is_integer() for e in ETAS)


@pytest.mark.parametrize("settings", [
    {},
    {"epochs": 0},
    {"cost": "quadratic", "seed": 5},
    {"cost": "quadratic", "eta": 3.0, "epochs": 12},
    {"cost": "log_likelihood", "epochs": 7},
])
def test_controls_move_the_artists_to_the_runs(explorer, settings):
    explorer.set(cost="cross_entropy", eta=0.5, epochs=EPOCHS, seed=1)
    explorer.set(**settings)
    cost, eta, epoch, seed = (explorer.value(k) for k in ("cost", "eta", "epochs", "seed"))
    runs = {c: train_digits(c, eta, EPOCHS, seed) for c in COSTS}
    for c, line in explorer.right_lines.items():
        x, y = line.get_data()
        np.testing.assert_array_equal(x, np.arange(epoch + 1))
        np.testing.assert_allclose(y, 100 * runs[c].right[: epoch + 1] / 597, rtol=1e-15)
        assert line.get_linewidth() == (2.2 if c == cost else 1.0)
    run = runs[cost]
    x, y = explorer.cost_line.get_data()
    np.testing.assert_array_equal(x, np.arange(epoch + 1))
    np.testing.assert_array_equal(y, run.training_cost[: epoch + 1])
    assert COST_LIMITS[0] < run.training_cost.min() and run.training_cost.max() < COST_LIMITS[1]
    assert explorer.right_point.get_data() == (
        [epoch], [pytest.approx(100 * run.right[epoch] / 597, rel=1e-15)])
    # The bars: each digit's test images answered right, as a share of that digit's images.
    _, _, _, labels_test = reference_data()
    heights = [bar.get_height() for bar in explorer.bars]
    np.testing.assert_allclose(heights, 100 * run.right_by_digit[epoch]
                               / np.bincount(labels_test, minlength=10), rtol=1e-15)
    right = int(run.right[epoch])
    assert explorer.readout.get_text() == (
        f"{NAMES[cost]}, η = {eta:g}, seed {seed}, epoch {epoch}:\n{right} of 597 test "
        f"images right ({100 * right / 597:.1f} %)")


def test_a_stuck_output_neuron_shows_as_empty_bars(explorer):
    # Quadratic cost, seed 5: the output neurons of 0 and 4 never learn to fire, so no test
    # 0 or 4 is ever answered right; the cross-entropy from the same start learns them.
    explorer.set(cost="quadratic", eta=0.5, epochs=EPOCHS, seed=5)
    heights = [bar.get_height() for bar in explorer.bars]
    assert heights[0] == heights[4] == 0 and min(heights[1:4] + heights[5:]) > 50
    explorer.set(cost="cross_entropy")
    assert min(bar.get_height() for bar in explorer.bars) > 90


def test_update_is_in_place_and_runs_are_kept(explorer):
    before = ([*explorer.right_lines.values()], explorer.cost_line, list(explorer.bars),
              explorer.readout, list(explorer.figure.axes))
    explorer.set(cost="cross_entropy", eta=0.5, epochs=EPOCHS, seed=1)
    runs = explorer.runs()
    explorer.set(eta=3.0, epochs=10)
    explorer.set(eta=0.5, cost="quadratic")
    assert all(explorer.runs()[c] is runs[c] for c in COSTS)  # not trained again
    after = ([*explorer.right_lines.values()], explorer.cost_line, list(explorer.bars),
             explorer.readout, list(explorer.figure.axes))
    assert before == after


def test_mimebundle_carries_widget_view_and_png(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert bundle["text/plain"] == explorer.describe()


def test_picture_changes_with_the_epoch(explorer):
    explorer.set(cost="cross_entropy", eta=0.5, epochs=EPOCHS, seed=1)
    before = explorer.png()
    explorer.set(epochs=3)
    assert explorer.png() != before


def test_sample_digits_shows_the_files_first_images_of_each_digit():
    table = np.loadtxt(gzip.open(DIGITS_FILE), delimiter=",", dtype=int)
    picture = sample_digits(2)
    assert picture.description.startswith("the first 2 images of each digit 0–9")
    (ax,) = picture.figure.axes
    mosaic = ax.images[0].get_array()
    assert mosaic.shape == (2 * 9 - 1, 10 * 9 - 1)
    for digit in range(10):
        rows = np.flatnonzero(table[:, 64] == digit)[:2]
        for row, index in enumerate(rows):
            shown = mosaic[9 * row: 9 * row + 8, 9 * digit: 9 * digit + 8]
            np.testing.assert_array_equal(shown, table[index, :64].reshape(8, 8))
    assert not mosaic[8].any() and not mosaic[:, 8::9].any()  # white lines between images
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(d) for d in range(10)]
    assert picture.png().startswith(b"\x89PNG")


@pytest.mark.parametrize("bad", [0, 5, 1.0, True])
def test_sample_digits_refuses_a_bad_count(bad):
    with pytest.raises(ValueError, match="'per_digit' must be an integer from 1 to 4"):
        sample_digits(bad)
