"""The bp notebook's explorer: a small softmax network learning three spirals.

A [2, hidden, 3] network (sigmoid hidden layer, softmax outputs, log-likelihood cost) is
trained by mini-batch SGD with :class:`nblib.network.network.Network` on
:func:`nblib.network.datasets.spirals`.
Left: the decision regions on a fixed grid, each pixel the class probabilities blended
into the class colours; right: the cost against epoch.

Each (hidden, η) pair is trained once, to :data:`MAX_EPOCHS`, keeping the parameters after
every epoch; the epochs control then only picks a stored snapshot, and coming back to a
pair already trained costs nothing but the redraw.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from nblib.explore.base import Explorer
from nblib.network.datasets import Dataset, spirals
from nblib.network.network import Network

HIDDEN_SIZES = (2, 4, 8, 16, 32)
ETAS = (0.25, 0.5, 1.0, 2.0, 4.0)
MAX_EPOCHS = 300
EPOCH_STEP = 10
BATCH_SIZE = 10
#: Seeds of the initial parameters and of the shuffling: the default state is reproducible.
NET_SEED = 1
SHUFFLE_SEED = 2
#: The decision regions are evaluated on GRID × GRID points covering [−LIMIT, LIMIT]².
GRID = 110
LIMIT = 1.25
CLASS_COLOURS = np.array([to_rgb(c) for c in ("C0", "C1", "C2")])
#: How strongly the class colours tint the background (0 white, 1 full colour).
TINT = 0.45


def data() -> Dataset:
    """The data set every run learns: three spiral arms of 100 points each (seed 0)."""
    return spirals(100, 3, seed=0)


def grid_points() -> np.ndarray:
    """The (2, GRID²) inputs of the decision-region image, row by row from the bottom."""
    axis = np.linspace(-LIMIT, LIMIT, GRID)
    gx, gy = np.meshgrid(axis, axis)
    return np.stack([gx.ravel(), gy.ravel()])


def region_image(net: Network, points: np.ndarray | None = None) -> np.ndarray:
    """RGB image (GRID, GRID, 3) of the network's class probabilities on the grid.

    Each pixel is white tinted by Σ_k a_k · colour_k, so a confident region shows its class's
    colour and a boundary the mixture.
    """
    if not isinstance(net, Network):
        raise TypeError(f"region_image: argument 'net' must be a Network "
                        f"(got {type(net).__name__})")
    probs = net.feedforward(grid_points() if points is None else points)  # (classes, GRID²)
    if probs.shape[0] != len(CLASS_COLOURS):
        raise ValueError(f"region_image: argument 'net' must have {len(CLASS_COLOURS)} outputs "
                         f"(got {probs.shape[0]})")
    rgb = (1 - TINT) + TINT * (probs.T @ CLASS_COLOURS)
    return rgb.reshape(GRID, GRID, 3)


@dataclass(frozen=True)
class TrainedRun:
    """One (hidden, η) setting trained to MAX_EPOCHS.

    ``snapshots[e]`` holds the flat parameters after e epochs (e = 0 is the start) and
    ``cost[e]`` the training cost then; ``seconds`` is the wall time of the training.
    """

    hidden: int
    eta: float
    snapshots: np.ndarray
    cost: np.ndarray
    seconds: float

    def network(self, epoch: int) -> Network:
        """A network holding the parameters after ``epoch`` epochs."""
        if not 0 <= epoch < len(self.snapshots):
            raise ValueError(f"TrainedRun.network: argument 'epoch' must lie in "
                             f"0..{len(self.snapshots) - 1} (got {epoch})")
        net = _new_network(self.hidden)
        net.set_flat_parameters(self.snapshots[epoch])
        return net


def _new_network(hidden: int) -> Network:
    """A fresh [2, hidden, 3] softmax network with the explorer's initial parameters."""
    return Network([2, hidden, 3], output="softmax", cost="log_likelihood", seed=NET_SEED)


def train_run(hidden: int, eta: float, epochs: int = MAX_EPOCHS) -> TrainedRun:
    """Train [2, hidden, 3] on :func:`data` for ``epochs`` epochs, keeping every epoch's state.

    Mini-batches of :data:`BATCH_SIZE`, shuffled by a generator seeded with
    :data:`SHUFFLE_SEED`, as :meth:`Network.train` does.
    """
    if hidden not in HIDDEN_SIZES:
        raise ValueError(f"train_run: argument 'hidden' must be one of {HIDDEN_SIZES} "
                         f"(got {hidden!r})")
    if eta not in ETAS:
        raise ValueError(f"train_run: argument 'eta' must be one of {ETAS} (got {eta!r})")
    dataset = data()
    net = _new_network(hidden)
    snapshots = [net.flat_parameters()]

    def keep(epoch: int, network: Network) -> None:
        """Store the parameters after each epoch."""
        snapshots.append(network.flat_parameters())

    start = time.perf_counter()
    history = net.train(dataset.X, dataset.Y, epochs, BATCH_SIZE, eta, seed=SHUFFLE_SEED,
                        callback=keep)
    seconds = time.perf_counter() - start
    return TrainedRun(hidden, eta, np.array(snapshots), history.cost, seconds)


class ClassifierExplorer(Explorer):
    """Hidden size, η and epochs: decision regions of the trained network and its cost curve."""

    title = "A [2, hidden, 3] softmax network learning three spirals"
    figsize = (7.5, 3.5)

    def make_controls(self) -> dict[str, widgets.ValueWidget]:
        """Hidden size and η as exact choices; epochs on a slider in steps of 10."""
        style = {"description_width": "initial"}
        return {
            "hidden": widgets.Dropdown(options=list(HIDDEN_SIZES), value=16,
                                       description="hidden neurons", style=style,
                                       layout=widgets.Layout(width="180px")),
            "eta": widgets.Dropdown(options=[(f"{e:g}", e) for e in ETAS], value=2.0,
                                    description="η", style=style,
                                    layout=widgets.Layout(width="120px")),
            "epochs": widgets.IntSlider(value=MAX_EPOCHS, min=0, max=MAX_EPOCHS,
                                        step=EPOCH_STEP, description="epochs", style=style,
                                        continuous_update=True),
        }

    def build(self, fig: Figure) -> None:
        """Regions with the data on the left, cost against epoch on the right."""
        self._runs: dict[tuple[int, float], TrainedRun] = {}
        self.data = data()
        self.points = grid_points()
        self.ax_regions, self.ax_cost = fig.subplots(1, 2, width_ratios=(1, 1.25))
        self.image = self.animate(self.ax_regions.imshow(
            np.ones((GRID, GRID, 3)), origin="lower", extent=(-LIMIT, LIMIT, -LIMIT, LIMIT),
            interpolation="nearest"))  # smooth enough at this grid, cheap to draw and send
        # The data points lie over the moving image, so they are drawn with it.
        for k in range(len(CLASS_COLOURS)):
            x, y = self.data.X[:, self.data.labels == k]
            self.animate(self.ax_regions.scatter(x, y, s=9, color=CLASS_COLOURS[k],
                                                 edgecolors="black", linewidths=0.3,
                                                 label=f"class {k + 1}"))
        self.ax_regions.set_xticks([])
        self.ax_regions.set_yticks([])
        epochs = np.arange(MAX_EPOCHS + 1)
        # Grey: the whole run; red: up to the chosen epoch. No legend (the notebook says so):
        # it would cost a tenth of every redraw.
        (self.cost_full,) = self.animate(self.ax_cost.plot(epochs, np.full(epochs.size, np.nan),
                                                           color="0.75", lw=1))
        (self.cost_line,) = self.animate(self.ax_cost.plot([], [], color="C3", lw=1.5))
        (self.cost_point,) = self.animate(self.ax_cost.plot([], [], "o", color="C3"))
        self.ax_cost.set_xlim(0, MAX_EPOCHS)
        self.ax_cost.set_ylim(0, 1.8)
        # Few fixed ticks: tick labels are most of a redraw's cost.
        self.ax_cost.set_xticks(np.arange(0, MAX_EPOCHS + 1, 100))
        self.ax_cost.set_yticks([0.0, 0.5, 1.0, 1.5])
        self.ax_cost.set_xlabel("epoch")
        self.ax_cost.set_ylabel("cost on the training data")
        self.readout = self.animate(self.ax_cost.set_title(" ", fontsize=9))

    def run(self, hidden: int | None = None, eta: float | None = None) -> TrainedRun:
        """The trained run for (hidden, η), the controls' values by default; trained once."""
        key = (self.value("hidden") if hidden is None else hidden,
               self.value("eta") if eta is None else eta)
        if key not in self._runs:
            self._runs[key] = train_run(*key)
        return self._runs[key]

    def update(self) -> None:
        """Pick the run and epoch, then move the image, the curves and the readout."""
        run = self.run()
        epoch = int(self.value("epochs"))
        net = run.network(epoch)
        self.image.set_data(region_image(net, self.points))
        self.cost_full.set_ydata(run.cost)
        self.cost_line.set_data(np.arange(epoch + 1), run.cost[: epoch + 1])
        self.cost_point.set_data([epoch], [run.cost[epoch]])
        accuracy = net.accuracy(self.data.X, self.data.Y)
        self.readout.set_text(f"[2, {run.hidden}, 3], η = {run.eta:g}, epoch {epoch}: "
                              f"cost {run.cost[epoch]:.3f}, accuracy {100 * accuracy:.0f} %")
