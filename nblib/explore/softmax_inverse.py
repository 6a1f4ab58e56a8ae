"""Explorers for Problems 4 and 5: inverting softmax, and the gradient a − y of −ln a_ỹ.

* :class:`InverseExplorer`: weighted inputs z_j = ln a_j + C for a fixed distribution a;
  sliding C moves every z_j but the softmax outputs stay at a.
* :class:`GradientExplorer`: logits and a target class ỹ; the bars show a, the one-hot y
  and the gradient ∂C/∂b_j = a_j − y_j of equation (81).
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from nblib.explore.base import Explorer, label_height, slider
from nblib.numerics.activations import log_softmax, softmax
from nblib.numerics.layer import inverse_softmax, one_hot

#: Distributions a to invert (each sums to 1); the last is softmax of the book's logits.
DISTRIBUTIONS: dict[str, tuple[float, ...]] = {
    "(0.1, 0.2, 0.3, 0.4)": (0.1, 0.2, 0.3, 0.4),
    "(0.5, 0.25, 0.125, 0.125)": (0.5, 0.25, 0.125, 0.125),
    "softmax(2.5, −1, 3.2, 0.5)": tuple(softmax([2.5, -1.0, 3.2, 0.5]).tolist()),
}
DEFAULT_DISTRIBUTION = "(0.1, 0.2, 0.3, 0.4)"
C_RANGE = 4.0
Z_RANGE = 6.0
#: Logits of the gradient explorer: the book's softmax example, with 3.2 moved to 3.25 so
#: that it sits on the slider grid.
DEFAULT_LOGITS = (2.5, -1.0, 3.25, 0.5)
Z_NAMES = ("z1", "z2", "z3", "z4")


def _labels(ax, positions: np.ndarray) -> list:
    """One value label per bar, moved by ``update``."""
    return [ax.text(x, 0, "", ha="center", va="bottom", fontsize=9) for x in positions]


def _move_labels(labels: list, values: np.ndarray, pad: float = 0.0,
                 marks: np.ndarray | None = None, clearance: float = 0.06,
                 rules: tuple[float, ...] = ()) -> None:
    """Put each label ``pad`` beyond the end of its bar (below a negative bar), with its value.

    ``marks`` (one per bar: a dashed outline's edge, a tick) and ``rules`` (the heights of
    lines across every bar) are kept clear of the labels.
    """
    for j, (label, value) in enumerate(zip(labels, values, strict=True)):
        sign = 1.0 if value >= 0 else -1.0
        edges = [sign * rule for rule in rules]
        if marks is not None:
            edges.append(sign * marks[j])
        label.set_y(sign * label_height(sign * value, edges, pad, clearance))
        label.set_va("bottom" if value >= 0 else "top")
        label.set_text(f"{value:.3f}")


class InverseExplorer(Explorer):
    """Slide C: the weighted inputs ln a + C move, softmax(ln a + C) stays at a."""

    title = "inverting softmax"
    figsize = (8.5, 4.0)

    def make_controls(self) -> dict[str, widgets.ValueWidget]:
        """The constant C (exact steps of 1/4) and the distribution a."""
        return {
            "C": slider("C", 0.0, -C_RANGE, C_RANGE, 0.25),
            "a": widgets.Dropdown(options=list(DISTRIBUTIONS), value=DEFAULT_DISTRIBUTION,
                                  description="a", layout=widgets.Layout(width="20em")),
        }

    def distribution(self) -> np.ndarray:
        """The distribution a chosen in the dropdown."""
        return np.array(DISTRIBUTIONS[self.value("a")])

    def build(self, fig: Figure) -> None:
        """Left: the weighted inputs ln a + C; right: softmax of them, with a outlined."""
        n = len(Z_NAMES)
        self.positions = np.arange(1, n + 1)
        self.ax_z, self.ax_a = fig.subplots(1, 2)

        ax = self.ax_z
        self.z_bars = self.animate(ax.bar(self.positions, np.zeros(n), width=0.6, color="C1",
                                          label="$z_j = \\ln a_j + C$"))
        (self.ln_a,) = self.animate(ax.plot(self.positions, np.zeros(n), "_", color="k",
                                            markersize=22, markeredgewidth=2,
                                            label="$\\ln a_j$  (C = 0)"))
        self.animate(ax.axhline(0, color="0.4", linewidth=0.8))  # stays over the bars
        # Every z_j sits C above ln a_j: this line marks the common shift.
        self.shift_line = self.animate(ax.axhline(0, color="C1", linestyle="--", linewidth=1,
                                                  label="the shift $C$"))
        self.z_labels = self.animate(_labels(ax, self.positions))
        ax.set_xticks(self.positions, [f"$z_{j}$" for j in self.positions])
        # The band above the ticks is the legend's: the bars and the shift line stay below it.
        ax.set_ylim(-C_RANGE - 6.0, C_RANGE + 4.5)
        ax.set_yticks(np.arange(-8.0, C_RANGE + 1, 2.0))
        ax.set_ylabel("weighted input")
        ax.legend(loc="upper left", fontsize=9, ncols=2)

        ax = self.ax_a
        self.a_bars = self.animate(ax.bar(self.positions, np.zeros(n), width=0.6, color="C0",
                                          label="softmax$(\\ln a + C)_j$"))
        self.target_bars = self.animate(ax.bar(self.positions, np.zeros(n), width=0.8,
                                               fill=False, edgecolor="k", linestyle="--",
                                               label="$a_j$"))
        self.a_labels = self.animate(_labels(ax, self.positions))
        ax.set_xticks(self.positions, [f"$a_{j}$" for j in self.positions])
        ax.set_ylim(0, 1.0)
        ax.set_ylabel("softmax output")
        ax.legend(loc="upper left", fontsize=9)
        self.readout = self.animate(ax.set_title("", fontsize=10))

    def update(self) -> None:
        """Move the weighted-input bars; recompute softmax of them for the right panel."""
        a, constant = self.distribution(), float(self.value("C"))
        z = inverse_softmax(a, constant)
        outputs = softmax(z)
        for z_bar, a_bar, outline, z_j, a_out, a_j in zip(
            self.z_bars, self.a_bars, self.target_bars, z, outputs, a, strict=True
        ):
            z_bar.set_height(z_j)
            a_bar.set_height(a_out)
            outline.set_height(a_j)
        self.ln_a.set_ydata(np.log(a))
        self.shift_line.set_ydata([constant])
        _move_labels(self.z_labels, z, pad=0.3, marks=np.log(a), clearance=0.7,
                     rules=(constant,))
        _move_labels(self.a_labels, outputs, pad=0.01, marks=a)
        gap = float(np.abs(outputs - a).max())
        self.readout.set_text(f"C = {constant:+.2f}    max |softmax − a| = {gap:.1e}")


class GradientExplorer(Explorer):
    """Pick the target class and move the logits: a, y, and the gradient bars a − y."""

    title = "gradient of −ln a_ỹ"
    figsize = (8.5, 4.0)

    def __init__(self, **initial) -> None:
        """The explorer, its controls laid out in two rows."""
        super().__init__(**initial)
        # Two rows: the target class above, the four logits below.
        logits = widgets.HBox([self.controls[name] for name in Z_NAMES])
        self.widget = widgets.VBox([self.controls["target"], logits, self.canvas],
                                   layout=widgets.Layout(width="auto"))

    def make_controls(self) -> dict[str, widgets.ValueWidget]:
        """The target class ỹ (buttons 1–4) and one slider per logit (steps of 1/4)."""
        controls: dict[str, widgets.ValueWidget] = {
            "target": widgets.ToggleButtons(
                options=[(str(j + 1), j) for j in range(len(Z_NAMES))], value=0,
                description="target ỹ", style={"button_width": "3em"}),
        }
        for i, (name, value) in enumerate(zip(Z_NAMES, DEFAULT_LOGITS, strict=True)):
            controls[name] = slider(f"z{'₁₂₃₄'[i]}", value, -Z_RANGE, Z_RANGE, 0.25)
        return controls

    def logits(self) -> np.ndarray:
        """The weighted inputs z as set on the sliders."""
        return np.array([self.value(name) for name in Z_NAMES], dtype=float)

    def build(self, fig: Figure) -> None:
        """Left: a with the one-hot y outlined; right: the gradient a − y."""
        n = len(Z_NAMES)
        self.positions = np.arange(1, n + 1)
        self.ax_a, self.ax_grad = fig.subplots(1, 2)

        ax = self.ax_a
        self.a_bars = self.animate(ax.bar(self.positions, np.zeros(n), width=0.6, color="C0",
                                          label="$a_j$ = softmax$(z)_j$"))
        self.y_bars = self.animate(ax.bar(self.positions, np.zeros(n), width=0.8, fill=False,
                                          edgecolor="k", linestyle="--",
                                          label="$y_j$ (one-hot)"))
        self.a_labels = self.animate(_labels(ax, self.positions))
        ax.set_xticks(self.positions, [f"$a_{j}$" for j in self.positions])
        ax.set_ylim(0, 1.45)  # the legend's band lies above 1, out of the bars' way
        ax.set_yticks([0.0, 0.25, 0.5, 0.75, 1.0])
        ax.legend(loc="upper left", fontsize=9)
        self.readout = self.animate(ax.set_title("", fontsize=10))

        ax = self.ax_grad
        self.grad_bars = self.animate(ax.bar(
            self.positions, np.zeros(n), width=0.6, color="C2",
            label="$\\partial C / \\partial b_j = a_j - y_j$  (81)"))
        self.animate(ax.axhline(0, color="0.4", linewidth=0.8))  # stays over the bars
        self.grad_labels = self.animate(_labels(ax, self.positions))
        ax.set_xticks(self.positions, [f"$j = {j}$" for j in self.positions])
        ax.set_ylim(-1.15, 1.45)
        ax.set_yticks([-1.0, -0.5, 0.0, 0.5, 1.0])
        ax.legend(loc="upper left", fontsize=9)
        ax.set_title("gradient step moves $b$ by $-\\eta\\,(a - y)$", fontsize=10)

    def update(self) -> None:
        """Recompute a = softmax(z), y and a − y; move the bars and the cost readout."""
        z, target = self.logits(), int(self.value("target"))
        a = softmax(z)
        y = one_hot(target, len(z))
        gradient = a - y
        for bar, outline, grad_bar, value, hot, g in zip(
            self.a_bars, self.y_bars, self.grad_bars, a, y, gradient, strict=True
        ):
            bar.set_height(value)
            outline.set_height(hot)
            outline.set_visible(hot > 0)  # no flat dashes along the axis
            grad_bar.set_height(g)
            grad_bar.set_color("C3" if hot else "C2")
        _move_labels(self.a_labels, a, pad=0.01, marks=y, clearance=0.08)
        _move_labels(self.grad_labels, gradient, pad=0.01, clearance=0.08)
        cost = -float(log_softmax(z)[target])
        self.readout.set_text(f"$C = -\\ln a_{{{target + 1}}}$ = {cost:.4f}")
