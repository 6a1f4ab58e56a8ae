"""Explorers of the cross-entropy section: exercises 2 and 3 and problem 3.

* :class:`CostRolesExplorer` (ex2): the right cost and the swapped one, against a and y;
* :class:`MinimumExplorer` (ex3): C(a) for a target y, its minimum H(y) at a = y, and
  the gap C(a) − H(y) = KL(y‖a);
* :class:`InputFactorExplorer` (pb3): ∂C/∂w₁ against the input x₁ with z held fixed.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from nblib.explore.base import Explorer, slider
from nblib.numerics.costs import binary_entropy, cross_entropy
from nblib.numerics.neuron import (
    dcost_dz,
    input_with_same_z,
    kl_divergence,
    swapped_cross_entropy,
    weight_gradient,
)

__all__ = ["CostRolesExplorer", "InputFactorExplorer", "MinimumExplorer"]

#: Activations at which the curves are drawn: inside (0, 1), ends included up to 2⁻⁹.
A_GRID = np.linspace(2**-9, 1 - 2**-9, 511)


def _finite_or_nan(values: np.ndarray) -> np.ndarray:
    """Infinite values become NaN, which matplotlib leaves out of a line."""
    return np.where(np.isfinite(values), values, np.nan)


class CostRolesExplorer(Explorer):
    """Slide y: the right cost −[y ln a + (1−y) ln(1−a)] and the swapped one, over a and y.

    Left: both forms against a at the chosen y; the swapped form is +∞ for every a when
    y is 0 or 1 and is then drawn as a band at the top. Right: both forms against y at
    the fixed activation a = ⅞, with the chosen y marked.
    """

    title = "right and swapped cross-entropy"
    figsize = (9.0, 4.0)
    top = 6.0
    fixed_a = 0.875

    def make_controls(self):
        """One slider, y, on a grid of sixteenths so that 0 and 1 are reachable."""
        return {"y": slider("y", 0.25, 0.0, 1.0, 0.0625, fmt=".4f")}

    def build(self, fig: Figure) -> None:
        """Two axes: costs against a (moving), costs against y at a = ⅞ (fixed curves)."""
        self.ax_a, self.ax_y = fig.subplots(1, 2, sharey=True)
        blank = np.full_like(A_GRID, np.nan)
        (self.right_line,) = self.animate(self.ax_a.plot(
            A_GRID, blank, color="C0", label="right: −[y ln a + (1−y) ln(1−a)]"))
        (self.swapped_line,) = self.animate(self.ax_a.plot(
            A_GRID, blank.copy(), color="C3", ls="--",
            label="swapped: −[a ln y + (1−a) ln(1−y)]"))
        (self.minimum,) = self.animate(self.ax_a.plot([], [], "o", color="C0",
                                                      label="minimum, at a = y"))
        (self.infinite_band,) = self.animate(self.ax_a.plot(
            [0, 1], [self.top * 0.97] * 2, color="C3", lw=6, alpha=0.35,
            solid_capstyle="butt"))
        self.note = self.animate(self.ax_a.set_title(" ", fontsize="medium"))
        self.ax_a.set(xlim=(0, 1), ylim=(0, self.top), xlabel="activation a", ylabel="cost")
        self.ax_a.legend(loc="upper center", bbox_to_anchor=(0.5, 0.92), fontsize=9)

        y_grid = np.linspace(0.0, 1.0, 513)
        fixed = np.full_like(y_grid, self.fixed_a)
        self.ax_y.plot(y_grid, cross_entropy(fixed, y_grid), color="C0")
        self.ax_y.plot(y_grid, _finite_or_nan(swapped_cross_entropy(fixed, y_grid)),
                       color="C3", ls="--")
        self.y_marker = self.animate(self.ax_y.axvline(0.0, color="0.6", lw=1, ls=":"))
        (self.right_point,) = self.animate(self.ax_y.plot([], [], "o", color="C0"))
        (self.swapped_point,) = self.animate(self.ax_y.plot([], [], "o", color="C3",
                                                            clip_on=False))
        self.readout = self.animate(self.ax_y.set_title(" ", fontsize="medium"))
        self.ax_y.set(xlim=(0, 1), xlabel=f"target y (activation fixed at a = {self.fixed_a})")
        for ax in (self.ax_a, self.ax_y):  # few tick labels: text is most of a frame's cost
            ax.set_xticks([0.0, 0.25, 0.5, 0.75, 1.0])
        self.ax_a.set_yticks([0, 2, 4, 6])
        # One legend for both panels (same colours): every legend is redrawn on every step.

    def update(self) -> None:
        """Recompute both curves over a for the current y and move the markers."""
        y = float(self.value("y"))
        targets = np.full_like(A_GRID, y)
        self.right_line.set_ydata(cross_entropy(A_GRID, targets))
        swapped = swapped_cross_entropy(A_GRID, targets)
        infinite = bool(np.isinf(swapped).all())
        self.swapped_line.set_ydata(_finite_or_nan(swapped))
        self.infinite_band.set_visible(infinite)
        self.note.set_text(f"y = {y:.4f}" + (": swapped form +∞ for every a (ln 0)"
                                             if infinite else ""))
        if 0.0 < y < 1.0:
            self.minimum.set_data([y], [float(binary_entropy(y))])
        else:  # at y = 0 or 1 the infimum sits at the end of the open interval
            self.minimum.set_data([], [])
        right = float(cross_entropy(self.fixed_a, y))
        swapped_here = float(swapped_cross_entropy(self.fixed_a, y))
        self.y_marker.set_xdata([y, y])
        self.right_point.set_data([y], [right])
        shown = swapped_here if np.isfinite(swapped_here) else self.top
        self.swapped_point.set_data([y], [shown])
        self.swapped_point.set_marker("o" if np.isfinite(swapped_here) else "^")
        swapped_text = f"{swapped_here:.3f}" if np.isfinite(swapped_here) else "+∞"
        self.readout.set_text(f"at a = {self.fixed_a}: right {right:.3f}, "
                              f"swapped {swapped_text}")


class MinimumExplorer(Explorer):
    """Slide y: C(a), its minimum H(y) at a = y, and the gap C(a) − H(y) = KL(y‖a) below."""

    title = "the cross-entropy's minimum"
    figsize = (7.5, 4.5)

    def make_controls(self):
        """One slider, y, on a grid of 32nds strictly inside (0, 1)."""
        return {"y": slider("y", 0.25, 1 / 32, 31 / 32, 1 / 32, fmt=".5f")}

    def build(self, fig: Figure) -> None:
        """C(a) with its minimum and the level H(y) above; KL(y‖a) below."""
        self.ax_cost, self.ax_kl = fig.subplots(2, 1, sharex=True)
        blank = np.full_like(A_GRID, np.nan)
        (self.cost_line,) = self.animate(self.ax_cost.plot(
            A_GRID, blank, color="C0", label="C(a) = −[y ln a + (1−y) ln(1−a)]"))
        self.entropy_line = self.animate(self.ax_cost.axhline(
            0.0, color="C2", ls="--", lw=1, label="H(y), the binary entropy"))
        # Stops below the legend, which sits where C(a) never reaches (a near ½, C ≥ 2).
        self.at_y = self.animate(self.ax_cost.axvline(0.0, ymax=0.55, color="0.6", ls=":", lw=1))
        (self.minimum,) = self.animate(self.ax_cost.plot([], [], "o", color="C3",
                                                         label="minimum at a = y"))
        self.readout = self.animate(self.ax_cost.set_title("", fontsize="medium"))
        self.ax_cost.set(xlim=(0, 1), ylim=(0, 3.5), ylabel="cost")
        self.ax_cost.legend(loc="upper center", fontsize=9)
        (self.kl_line,) = self.animate(self.ax_kl.plot(A_GRID, blank.copy(), color="C4",
                                                       label="C(a) − H(y) = KL(y‖a) ≥ 0"))
        (self.kl_zero,) = self.animate(self.ax_kl.plot([], [], "o", color="C3"))
        self.ax_kl.set(ylim=(0, 2.5), xlabel="activation a", ylabel="gap")
        # Few tick labels: drawing text is most of a frame's cost.
        self.ax_cost.set_yticks([0, 1, 2, 3])
        self.ax_kl.set_yticks([0, 1, 2])
        self.ax_kl.set_xticks([0.0, 0.25, 0.5, 0.75, 1.0])
        self.ax_kl.legend(loc="upper center", fontsize=9)

    def update(self) -> None:
        """Redraw C(a) and KL(y‖a) for the current y; move the minimum and the level H(y)."""
        y = float(self.value("y"))
        targets = np.full_like(A_GRID, y)
        entropy = float(binary_entropy(y))
        self.cost_line.set_ydata(cross_entropy(A_GRID, targets))
        self.kl_line.set_ydata(kl_divergence(targets, A_GRID))
        self.entropy_line.set_ydata([entropy, entropy])
        self.at_y.set_xdata([y, y])
        self.minimum.set_data([y], [entropy])
        self.kl_zero.set_data([y], [0.0])
        self.readout.set_text(f"minimum at a = y = {y:.5f}:  C(y) = H(y) = {entropy:.4f}")


class InputFactorExplorer(Explorer):
    """Slide x₁ with z held fixed: ∂C/∂w₁ = (∂C/∂z) · x₁ moves along a line through 0.

    The neuron has w = (½, −1, ¾) and b = ¼; its third input is −1. When x₁ moves, the
    second input moves too, x₂ ← x₂ − w₁ Δx₁ / w₂, so that z = w·x + b keeps the value set
    by the z slider. With z (and the target y) fixed, a = σ(z) and every cost's ∂C/∂a are
    fixed, and only the factor x₁ changes.
    """

    title = "the x₁ factor in ∂C/∂w₁"
    figsize = (9.0, 4.0)
    w = np.array([0.5, -1.0, 0.75])
    b = 0.25
    x3 = -1.0
    costs = (("quadratic", "C1", "quadratic"), ("cross_entropy", "C0", "cross-entropy"))

    def make_controls(self):
        """Sliders for the input x₁ and for the weighted input z that is held fixed; target y."""
        return {
            "x1": slider("x₁", 1.0, -2.0, 2.0, 0.125, fmt=".3f"),
            "z": slider("z (held fixed)", 2.0, -8.0, 8.0, 0.5),
            "y": widgets.ToggleButtons(options=[("y = 0", 0.0), ("y = 1", 1.0)], value=0.0,
                                       description="target"),
        }

    def build(self, fig: Figure) -> None:
        """Left: ∂C/∂w₁ against x₁ for both costs. Right: the three inputs as bars."""
        self.ax_grad, self.ax_x = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        self.x1_grid = np.array([-2.0, 2.0])
        self.lines, self.points = {}, {}
        for cost, color, label in self.costs:
            (self.lines[cost],) = self.animate(self.ax_grad.plot(
                self.x1_grid, [np.nan, np.nan], color=color, label=f"{label}: (∂C/∂z) · x₁"))
            (self.points[cost],) = self.animate(self.ax_grad.plot([], [], "o", color=color))
        self.ax_grad.axhline(0.0, color="0.6", lw=0.8)
        self.ax_grad.axvline(0.0, color="0.6", lw=0.8)
        # Above the axes: the lines through 0 sweep every corner of the plot.
        self.readout = self.animate(self.ax_grad.set_title(" ", fontsize=9))
        self.ax_grad.set(xlim=(-2.0, 2.0), ylim=(-2.1, 2.1), xlabel="input x₁",
                         ylabel="∂C/∂w₁")
        # |∂C/∂z| < 1, so the lines keep to |∂C/∂w₁| < |x₁|: the top middle is free.
        self.ax_grad.legend(loc="upper center", fontsize=9)
        self.bars = self.animate(self.ax_x.bar(["x₁", "x₂", "x₃"], [0.0, 0.0, 0.0],
                                               color=["C3", "0.6", "0.6"]))
        self.animate(self.ax_x.axhline(0.0, color="0.3", lw=0.8))  # stays over the bars
        # A title: the bar of x₂ can reach almost to either end of the axis.
        self.z_text = self.animate(self.ax_x.set_title(" ", fontsize=10))
        self.ax_x.set(ylim=(-10.0, 10.0), xlabel="the input (x₂ compensates for x₁)")
        # Few tick labels: drawing text is most of a frame's cost.
        self.ax_grad.set_xticks([-2, -1, 0, 1, 2])
        self.ax_grad.set_yticks([-2, -1, 0, 1, 2])
        self.ax_x.set_yticks([-10, -5, 0, 5, 10])

    def input(self) -> np.ndarray:
        """The current input: x₁ from its slider, x₂ chosen so that w·x + b = z."""
        z = float(self.value("z"))
        x2 = (z - self.b - self.w[2] * self.x3) / self.w[1]  # the input with x₁ = 0
        base = np.array([0.0, x2, self.x3])
        return input_with_same_z(base, self.w, 0, float(self.value("x1")), via=1)

    def update(self) -> None:
        """Move the lines (their slope is ∂C/∂z at the fixed z), the points and the bars."""
        x = self.input()
        z, y = float(self.value("z")), float(self.value("y"))
        parts = []
        for cost, _, label in self.costs:
            factor = float(dcost_dz(z, y, cost))
            gradient = float(weight_gradient(self.w, x, self.b, y, cost)[0])
            self.lines[cost].set_ydata(factor * self.x1_grid)
            self.points[cost].set_data([x[0]], [gradient])
            # Adding 0.0 turns a −0.0 (a negative factor times x₁ = 0) into +0.0 for display.
            parts.append(f"{label}: ∂C/∂w₁ = {gradient + 0.0:+.3e} = ({factor + 0.0:+.3e}) · x₁")
        self.readout.set_text("\n".join(parts))
        for bar, value in zip(self.bars, x, strict=True):
            bar.set_height(value)
        self.z_text.set_text(f"z = w·x + b = {float(self.w @ x + self.b):.3f}")
