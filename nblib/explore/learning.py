"""Explorers of learning speed: problem 1, problem 2 and the chapter's slowdown demo.

* :class:`GradientSizeExplorer` (pb1): |∂C/∂w| of one output neuron against its weighted
  input z, quadratic against cross-entropy, for target 0 or 1;
* :class:`LinearOutputExplorer` (pb2): learning curves of a small network with a linear
  and with a sigmoid output layer, both under the quadratic cost, from the same start;
* :class:`SlowdownExplorer` (slowdown): the book's one neuron (input 1, target 0) trained
  by gradient descent under the quadratic cost, the cross-entropy, or the book page's rule.

The last two train by the network's full-batch descent (:mod:`nblib.network.curves`),
once per start and learning rate, for as many epochs as the epochs slider reaches: the first
e epochs of that run are the run of e epochs, bit for bit, so a step of the slider only
slices the stored run (the fifty most recent runs are kept). The axes are fixed by the whole
run, not by the slice, so moving the epochs slider never redraws the static background.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

from nblib.explore.base import Explorer, slider
from nblib.network import curves
from nblib.numerics.activations import sigmoid, sigmoid_prime
from nblib.numerics.neuron import weight_gradient_size

__all__ = ["GradientSizeExplorer", "LinearOutputExplorer", "SlowdownExplorer"]

#: The cost axis of pb2: fixed, wide enough for every setting of the controls.
COST_LIMITS = (1e-4, 1e2)
#: Tops the slowdown's cost axis may take, the first above the whole run's largest cost:
#: the axis moves (a full redraw) only when a new start or rule needs another rung.
COST_TOPS = (0.125, 0.25, 0.375, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0,
             24.0, 32.0)
#: Epochs of the stored runs: the epochs sliders' maxima.
LINEAR_EPOCHS = 300
SLOWDOWN_EPOCHS = 600
#: How many runs each explorer keeps (a few MB at most).
KEPT_RUNS = 50

COST_STYLE = (("quadratic", "C3", "quadratic: |a − y| σ′(z)"),
              ("cross_entropy", "C0", "cross-entropy: |a − y|"))


def _few_log_ticks(ax: Axes, decades: list[float]) -> None:
    """Major ticks at the given powers of ten, plain labels, no minor ticks.

    Drawing tick labels is most of a frame's cost; a log axis would otherwise draw a
    dozen minor ticks and typeset every label as mathematics.
    """
    ax.yaxis.set_major_locator(FixedLocator(decades))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_yticklabels([f"{d:g}" for d in decades])


def _first_at_least(ladder: tuple[float, ...], value: float) -> float:
    """The first rung of ``ladder`` at or above ``value`` (the last rung if none is)."""
    return next((rung for rung in ladder if rung >= value), ladder[-1])


@lru_cache(maxsize=KEPT_RUNS)
def whole_learning_curves(z0: float, eta: float) -> dict[str, curves.Run]:
    """Problem 2's two runs from z0 at rate η, for the epochs slider's whole range."""
    return curves.learning_curves(z0, eta, LINEAR_EPOCHS)


@lru_cache(maxsize=KEPT_RUNS)
def whole_descent(w: float, b: float, eta: float, rule: str) -> curves.Trajectory:
    """The slowdown's descent from (w, b) at rate η under ``rule``, for the slider's range."""
    return curves.neuron_descent(w, b, eta, SLOWDOWN_EPOCHS, rule)


def _target_toggle() -> widgets.ToggleButtons:
    """The target y of the output neuron: 0 or 1."""
    return widgets.ToggleButtons(options=[("y = 0", 0.0), ("y = 1", 1.0)], value=0.0,
                                 description="target")


class GradientSizeExplorer(Explorer):
    """Slide the output neuron's weighted input z: the size of ∂C/∂w under both costs.

    The neuron's input activation is a_kᴸ⁻¹ = 1, so |∂C/∂w| = |∂C/∂b|. Left: both sizes
    against z on a log scale, with the current z marked. Right: the two values as bars.
    """

    title = "size of ∂C/∂w for one output neuron"
    figsize = (9.0, 4.0)
    z_range = 8.0

    def make_controls(self):
        """The weighted input z (exact steps of ¼) and the target y."""
        return {"z": slider("z", 6.0, -self.z_range, self.z_range, 0.25), "y": _target_toggle()}

    def build(self, fig: Figure) -> None:
        """Curves of |∂C/∂w| against z (log scale), markers at z, and two bars."""
        self.ax_curve, self.ax_bars = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        self.z_grid = np.linspace(-self.z_range, self.z_range, 321)
        self.curves, self.points = {}, {}
        for cost, color, label in COST_STYLE:
            (self.curves[cost],) = self.animate(self.ax_curve.plot(
                self.z_grid, np.ones_like(self.z_grid), color=color, label=label))
            (self.points[cost],) = self.animate(self.ax_curve.plot([], [], "o", color=color))
        self.z_line = self.animate(self.ax_curve.axvline(0.0, color="0.5", lw=0.8, ls=":"))
        self.ax_curve.set(yscale="log", ylim=(1e-4, 2.0), xlim=(-self.z_range, self.z_range),
                          xlabel="weighted input z of the output neuron",
                          ylabel="|∂C/∂w|  (input activation 1)")
        # Above the panels: for either target the two curves pass through every corner.
        fig.legend(*self.ax_curve.get_legend_handles_labels(), loc="outside upper left",
                   ncols=2, fontsize=9)
        _few_log_ticks(self.ax_curve, [1e-4, 1e-3, 1e-2, 1e-1, 1.0])
        self.ax_curve.set_xticks([-8, -4, 0, 4, 8])
        self.bars = self.animate(self.ax_bars.barh([1, 0], [0.0, 0.0], color=["C3", "C0"],
                                                   height=0.6))
        # Room right of a bar of 1 for its value label.
        self.ax_bars.set(xlim=(0.0, 1.35), yticks=[1, 0],
                         yticklabels=["quadratic", "cross-entropy"], xlabel="|∂C/∂w|",
                         xticks=[0.0, 0.5, 1.0])
        self.bar_text = self.animate([self.ax_bars.text(0.0, pos, "", va="center",
                                                        fontsize=9) for pos in (1, 0)])
        # Right-aligned: centred over the narrow panel, its longest line would leave the figure.
        self.readout = self.animate(self.ax_bars.text(1.0, 1.02, "", ha="right", va="bottom",
                                                      transform=self.ax_bars.transAxes,
                                                      fontsize=9))

    def sizes(self) -> dict[str, float]:
        """|∂C/∂w| at the current z and y, by cost."""
        z, y = float(self.value("z")), float(self.value("y"))
        return {cost: float(weight_gradient_size(z, y, cost)) for cost, _, _ in COST_STYLE}

    def update(self) -> None:
        """Redraw the curves for the target, then the markers, bars and readout at z."""
        z, y = float(self.value("z")), float(self.value("y"))
        sizes = self.sizes()
        for (cost, _, _), bar, text in zip(COST_STYLE, self.bars, self.bar_text, strict=True):
            self.curves[cost].set_ydata(weight_gradient_size(self.z_grid, y, cost))
            self.points[cost].set_data([z], [sizes[cost]])
            bar.set_width(sizes[cost])
            text.set_position((sizes[cost] + 0.02, bar.get_y() + bar.get_height() / 2))
            text.set_text(f"{sizes[cost]:.2e}")
        self.z_line.set_xdata([z, z])
        a, slope = float(sigmoid(z)), float(sigmoid_prime(z))
        self.readout.set_text(f"a = σ(z) = {a:.4f}, σ′(z) = {slope:.2e}\n"
                              f"cross-entropy / quadratic = 1/σ′(z) = {1 / slope:.3g}")


class LinearOutputExplorer(Explorer):
    """Learning curves from a saturated start: linear against sigmoid output neurons.

    A [1, 4, 1] network (seeded) is fitted to 20 points of an S-curve by full-batch
    gradient descent on the quadratic cost, once with a linear output neuron and once with
    a sigmoid one, from the same parameters; the output bias is set so the output's
    weighted input starts at z0 on average.
    """

    title = "quadratic cost: linear vs sigmoid output"
    figsize = (9.0, 4.0)

    def make_controls(self):
        """Initial output z0, learning rate η (a dropdown of exact values), epochs."""
        return {
            "z0": slider("initial output z", 6.0, -8.0, 8.0, 0.5),
            "eta": widgets.Dropdown(options=list(curves.ETAS), value=0.5, description="η"),
            "epochs": widgets.IntSlider(value=LINEAR_EPOCHS, min=10, max=LINEAR_EPOCHS,
                                        step=10, description="epochs"),
        }

    def build(self, fig: Figure) -> None:
        """Left: cost against epoch (log scale), faint past the chosen epoch. Right: the data
        and both fits after the chosen epoch."""
        self.ax_cost, self.ax_fit = fig.subplots(1, 2)
        self.x_fine = np.linspace(0.0, 1.0, 101).reshape(1, -1)
        self.epoch_axis = np.arange(LINEAR_EPOCHS + 1)
        styles = {"linear": ("C2", "linear output"), "sigmoid": ("C3", "sigmoid output")}
        self.cost_lines, self.cost_rest, self.fit_lines = {}, {}, {}
        for output, (color, label) in styles.items():
            (self.cost_rest[output],) = self.animate(self.ax_cost.plot(
                [0, 1], [1, 1], color=color, alpha=0.3, lw=1))
            (self.cost_lines[output],) = self.animate(self.ax_cost.plot(
                [0, 1], [1, 1], color=color, label=label))
            (self.fit_lines[output],) = self.animate(self.ax_fit.plot(
                self.x_fine[0], self.x_fine[0], color=color, label=label))
        # Fixed limits: every (z0, η, epochs) keeps the cost within [10⁻³, 10²] (checked in
        # the tests), and a step that leaves the axes alone is blitted.
        self.ax_cost.set(yscale="log", xlabel="epoch", ylabel="quadratic cost C",
                         xlim=(0, self.controls["epochs"].max), ylim=COST_LIMITS)
        _few_log_ticks(self.ax_cost, [10.0**k for k in range(-4, 3)])
        self.ax_fit.plot(curves.DATA_X[0], curves.DATA_Y[0], "o", color="0.3", ms=4, label="data")
        self.ax_fit.set(xlim=(0, 1), ylim=(-0.25, 1.25), xlabel="input x",
                        ylabel="output after training")
        # One legend for both panels, above them: a linear output's fit can cross any
        # part of the right panel.
        fig.legend(*self.ax_fit.get_legend_handles_labels(), loc="outside upper center",
                   ncols=3, fontsize=9)
        self.ax_fit.set(xticks=[0.0, 0.5, 1.0], yticks=[0.0, 0.5, 1.0])
        self.ax_cost.xaxis.set_major_locator(MaxNLocator(5))
        self.readout = self.animate(self.ax_cost.text(0.02, 0.03, "", fontsize=9,
                                                      transform=self.ax_cost.transAxes,
                                                      va="bottom"))

    def runs(self) -> dict[str, curves.Run]:
        """Both networks trained from the current z0 at the current η, for every epoch the
        slider reaches (trained once per pair)."""
        return whole_learning_curves(float(self.value("z0")), float(self.value("eta")))

    def update(self) -> None:
        """Slice both runs at the chosen epoch: the curves, the fits and the readout."""
        runs = self.runs()
        epochs = int(self.value("epochs"))
        for output, run in runs.items():
            self.cost_rest[output].set_data(self.epoch_axis, run.cost)
            self.cost_lines[output].set_data(self.epoch_axis[:epochs + 1],
                                             run.cost[:epochs + 1])
            self.fit_lines[output].set_ydata(run.predict(self.x_fine, epochs)[0])
        self.readout.set_text(
            f"after {epochs} epochs: C = {runs['linear'].cost[epochs]:.4f} (linear),\n"
            f"{runs['sigmoid'].cost[epochs]:.4f} (sigmoid)")


class SlowdownExplorer(Explorer):
    """The book's neuron (input 1, target 0): output and cost against epoch.

    w and b are typed (text boxes), so the book's starts 0.6 and 0.9 can be entered
    exactly as the book writes them; no slider grid contains 0.6. η comes from a dropdown,
    which hands back exactly the listed value (0.005, 0.15, …).
    """

    title = "learning slowdown of one neuron"
    figsize = (9.0, 4.0)
    etas = (0.005, 0.05, 0.15, 0.5, 1.0, 2.0)
    rules = (("quadratic cost", "quadratic"), ("cross-entropy (true gradient)", "cross_entropy"),
             ("book page's rule, 1/(1 − a)", "book_page"))

    def make_controls(self):
        """w, b (bounded text boxes), η (dropdown), the update rule, epochs."""
        def box(description: str, value: float) -> widgets.BoundedFloatText:
            """A text box for a number in [−8, 8]."""
            return widgets.BoundedFloatText(value=value, min=-8.0, max=8.0,
                                            description=description,
                                            layout=widgets.Layout(width="140px"),
                                            style={"description_width": "initial"})

        return {
            "w": box("w", 0.6),
            "b": box("b", 0.9),
            "eta": widgets.Dropdown(options=list(self.etas), value=0.15, description="η",
                                    layout=widgets.Layout(width="140px")),
            "rule": widgets.Dropdown(options=list(self.rules), value="quadratic",
                                     description="update"),
            "epochs": widgets.IntSlider(value=300, min=10, max=SLOWDOWN_EPOCHS, step=10,
                                        description="epochs"),
        }

    def build(self, fig: Figure) -> None:
        """Output against epoch (left) and cost against epoch (right): the whole run faint,
        up to the chosen epoch in colour, a point at that epoch."""
        self.ax_out, self.ax_cost = fig.subplots(1, 2)
        self.epoch_axis = np.arange(SLOWDOWN_EPOCHS + 1)
        self.lines = {}
        for ax, key, color in ((self.ax_out, "output", "C0"), (self.ax_cost, "cost", "C3")):
            (rest,) = ax.plot([0, 1], [0, 0], color=color, alpha=0.3, lw=1)
            (line,) = ax.plot([0, 1], [0, 0], color=color)
            (point,) = ax.plot([], [], "o", color=color, ms=5)
            self.lines[key] = self.animate([rest, line, point])
            # The whole run is on the axis: moving the epochs slider never moves a limit.
            ax.set_xlim(0, SLOWDOWN_EPOCHS)
            ax.set_xticks(np.arange(0, SLOWDOWN_EPOCHS + 1, 100))
            ax.set_xlabel("epoch")
        self.output_line, self.cost_line = self.lines["output"][1], self.lines["cost"][1]
        self.ax_out.set(ylim=(0.0, 1.0), ylabel="output a")
        self.ax_out.set_yticks([0.0, 0.25, 0.5, 0.75, 1.0])
        self.ax_cost.set_ylabel("cost")
        self.ax_cost.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
        self.readout = self.animate(self.ax_out.set_title("", fontsize=9))
        self.cost_title = self.animate(self.ax_cost.set_title("", fontsize=9))

    def trajectory(self) -> curves.Trajectory:
        """The descent for the current start, η and rule, over the slider's whole range
        (run once per setting)."""
        return whole_descent(float(self.value("w")), float(self.value("b")),
                             float(self.value("eta")), self.value("rule"))

    def update(self) -> None:
        """Slice the run at the chosen epoch: both curves, the points and the readout."""
        t = self.trajectory()
        epochs = int(self.value("epochs"))
        for key, values in (("output", t.output), ("cost", t.cost)):
            rest, line, point = self.lines[key]
            rest.set_data(self.epoch_axis, values)
            line.set_data(self.epoch_axis[:epochs + 1], values[:epochs + 1])
            point.set_data([epochs], [values[epochs]])
        # The whole run's largest cost picks the top: the same for every epoch.
        self.set_limits(self.ax_cost,
                        ylim=(0.0, _first_at_least(COST_TOPS, float(t.cost.max()) * 1.02)))
        self.cost_title.set_text("C = a²/2" if t.rule == "quadratic" else "C = −ln(1 − a)")
        self.readout.set_text(f"a({epochs}) = {t.output[epochs]:.4f};  "
                              f"first step: Δw = Δb = {t.w[1] - t.w[0]:+.4g}")
