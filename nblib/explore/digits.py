"""The digits notebook's figures: the data at a glance, and the experiment to explore.

* :func:`sample_digits`: a static picture of a few of the 8 × 8 digits, as the network
  reads them;
* :class:`DigitsExplorer`: choose the cost, η, the epoch and the seed; the test images
  right against the epoch for the three costs (the chosen one in full colour), the chosen
  run's training cost, and its share right of each digit at the chosen epoch.

Every run comes from :func:`nblib.network.experiment.train_digits`, trained once for all
:data:`~nblib.network.experiment.EPOCHS` epochs and kept: the epoch control only picks an
entry, and coming back to a setting already trained costs nothing but the drawing. A new
(η, seed) trains the three costs, about a second in all.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, NullLocator

from nblib.explore.base import Explorer
from nblib.explore.pictures import DPI, Picture
from nblib.network.datasets import digit_images
from nblib.network.experiment import (
    COSTS,
    EPOCHS,
    SEED,
    DigitsRun,
    digits_data,
    train_digits,
)

__all__ = ["COST_LIMITS", "ETAS", "NAMES", "SEEDS", "DigitsExplorer", "sample_digits"]

#: The learning rates offered: the book's 0.5 (cross-entropy) and 3.0 (quadratic, Chapter 1)
#: among powers of two, every one exact in binary.
ETAS = (0.125, 0.25, 0.5, 1.0, 2.0, 3.0, 4.0)
SEEDS = (1, 2, 3, 4, 5)
NAMES = {"quadratic": "quadratic", "cross_entropy": "cross-entropy",
         "log_likelihood": "softmax + log-likelihood"}
COLOURS = {"quadratic": "C3", "cross_entropy": "C0", "log_likelihood": "C2"}
#: The cost axis (log scale): every run of every setting stays inside (the tests check).
COST_LIMITS = (1e-3, 1e2)
#: Pixels from one sample digit to the next in the mosaic: 8 and a white line.
MOSAIC_CELL = 9


def sample_digits(per_digit: int = 2) -> Picture:
    """The first ``per_digit`` images of each digit in the file, as 8 × 8 grey squares.

    One image of the whole mosaic (a column per digit, a white line between images): one
    artist to draw instead of one axes per digit.
    """
    if not isinstance(per_digit, int) or isinstance(per_digit, bool) or not 1 <= per_digit <= 4:
        raise ValueError(f"sample_digits: argument 'per_digit' must be an integer from 1 to 4 "
                         f"(got {per_digit!r})")
    images, labels = digit_images()
    cell = MOSAIC_CELL
    mosaic = np.zeros((per_digit * cell - 1, 10 * cell - 1))
    for digit in range(10):
        for row, index in enumerate(np.flatnonzero(labels == digit)[:per_digit]):
            mosaic[row * cell: row * cell + 8, digit * cell: digit * cell + 8] = images[index]
    figure = Figure(figsize=(6.4, 0.62 * per_digit + 0.35), dpi=DPI, layout="constrained")
    ax = figure.subplots()
    ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=16, interpolation="nearest")
    ax.set_xticks(np.arange(10) * cell + 3.5, [str(d) for d in range(10)])
    ax.set_yticks([])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return Picture(figure, f"the first {per_digit} images of each digit 0–9: 8 × 8 pixels, "
                           "each a count of ink from 0 (white) to 16 (black)")


class DigitsExplorer(Explorer):
    """Cost, η, epoch and seed: test accuracy of the three costs, training cost, per digit."""

    title = "a [64, 30, 10] network learning the 8 × 8 digits"
    figsize = (9.5, 3.9)

    def make_controls(self) -> dict[str, widgets.ValueWidget]:
        """The cost, η and the seed as exact choices; the epoch on a slider."""
        style = {"description_width": "initial"}
        return {
            "cost": widgets.Dropdown(options=[(NAMES[c], c) for c in COSTS],
                                     value="cross_entropy", description="cost", style=style,
                                     layout=widgets.Layout(width="260px")),
            "eta": widgets.Dropdown(options=[(f"{e:g}", e) for e in ETAS], value=0.5,
                                    description="η", style=style,
                                    layout=widgets.Layout(width="110px")),
            "epochs": widgets.IntSlider(value=EPOCHS, min=0, max=EPOCHS, step=1,
                                        description="epochs", style=style,
                                        continuous_update=True),
            "seed": widgets.Dropdown(options=list(SEEDS), value=SEED, description="seed",
                                     style=style, layout=widgets.Layout(width="110px")),
        }

    def build(self, fig: Figure) -> None:
        """Accuracy curves, the training cost, and the share right of each digit."""
        self.ax_right, self.ax_cost, self.ax_digit = fig.subplots(
            1, 3, width_ratios=(1.2, 1.0, 1.0))
        self.test_counts = np.bincount(digits_data()[1].labels, minlength=10)
        self.right_lines = {c: self.animate(self.ax_right.plot([], [], color=COLOURS[c])[0])
                            for c in COSTS}
        (self.right_point,) = self.animate(self.ax_right.plot([], [], "o", ms=5, clip_on=False))
        self.ax_right.set(xlim=(0, EPOCHS), ylim=(0, 100), xlabel="epoch",
                          ylabel="test images right (%)", xticks=[0, 10, 20, 30],
                          yticks=[0, 25, 50, 75, 100])
        # Proxies: the legend stays as drawn while the chosen line thickens.
        self.ax_right.legend([Line2D([], [], color=COLOURS[c]) for c in COSTS],
                             [NAMES[c] for c in COSTS], loc="upper left",
                             bbox_to_anchor=(0.0, -0.18), fontsize=9, ncols=3)
        (self.cost_line,) = self.animate(self.ax_cost.plot([], []))
        (self.cost_point,) = self.animate(self.ax_cost.plot([], [], "o", ms=5, clip_on=False))
        self.ax_cost.set(yscale="log", xlim=(0, EPOCHS), ylim=COST_LIMITS, xlabel="epoch",
                         ylabel="cost on the training images", xticks=[0, 10, 20, 30])
        # Few fixed ticks, plain labels: tick labels are most of a redraw's cost.
        decades = [1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0]
        self.ax_cost.yaxis.set_major_locator(FixedLocator(decades))
        self.ax_cost.yaxis.set_minor_locator(NullLocator())
        self.ax_cost.set_yticklabels([f"{d:g}" for d in decades])
        self.bars = self.animate(self.ax_digit.bar(np.arange(10), np.zeros(10), width=0.7))
        self.ax_digit.set(xlim=(-0.6, 9.6), ylim=(0, 105), xticks=range(10),
                          yticks=[0, 25, 50, 75, 100], xlabel="digit",
                          ylabel="its test images right (%)")
        # Over the middle panel, across the figure: a figure-level text would be left out of
        # the static picture (matplotlib saves a figure's animated children only in axes).
        self.readout = self.animate(self.ax_cost.set_title(" ", fontsize=9))

    def runs(self) -> dict[str, DigitsRun]:
        """The three costs' runs at the chosen η and seed, each trained once."""
        eta, seed = float(self.value("eta")), int(self.value("seed"))
        return {c: train_digits(c, eta, EPOCHS, seed) for c in COSTS}

    def update(self) -> None:
        """Pick the runs and the epoch, then move the curves, the bars and the readout."""
        runs = self.runs()
        chosen, epoch = self.value("cost"), int(self.value("epochs"))
        epochs = np.arange(epoch + 1)
        for cost, line in self.right_lines.items():
            line.set_data(epochs, 100 * runs[cost].accuracy[: epoch + 1])
            line.set_linewidth(2.2 if cost == chosen else 1.0)
            line.set_alpha(1.0 if cost == chosen else 0.45)
        run = runs[chosen]
        colour = COLOURS[chosen]
        self.right_point.set_data([epoch], [100 * run.accuracy[epoch]])
        self.right_point.set_color(colour)
        self.cost_line.set_data(epochs, run.training_cost[: epoch + 1])
        self.cost_line.set_color(colour)
        self.cost_point.set_data([epoch], [run.training_cost[epoch]])
        self.cost_point.set_color(colour)
        for bar, share in zip(self.bars, 100 * run.right_by_digit[epoch] / self.test_counts,
                              strict=True):
            bar.set_height(share)
            bar.set_color(colour)
        right, images = int(run.right[epoch]), run.test_images
        self.readout.set_text(f"{NAMES[chosen]}, η = {run.eta:g}, seed {run.seed}, epoch "
                              f"{epoch}:\n{right} of {images} test images right "
                              f"({100 * right / images:.1f} %)")
