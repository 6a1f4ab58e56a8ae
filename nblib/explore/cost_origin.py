"""The explorer of "where the cross-entropy comes from": the cost built from its slope.

:class:`CostFromSlopeExplorer` shows the chapter's equation (75), the slope
∂C/∂a = (a − y)/(a(1 − a)), with the area under it from a chosen start a₀ to a; below, that
area as a function of a, which is the cross-entropy shifted by a constant.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from nblib.explore.base import Explorer, slider
from nblib.numerics.costs import cross_entropy
from nblib.numerics.neuron import cost_prime
from nblib.numerics.quadrature import cost_from_slope

__all__ = ["CostFromSlopeExplorer"]

#: Activations at which the curves are drawn: inside (0, 1), ends included up to 2⁻⁹.
A_GRID = np.linspace(2**-9, 1 - 2**-9, 511)
#: Points along the shaded area and the traced part of the cost.
SAMPLES = 129


class CostFromSlopeExplorer(Explorer):
    """Slide y, the start a₀ and the end a: the area under the slope, and the cost it builds.

    Above: the slope (a − y)/(a(1 − a)) against a, zero at a = y, with the area from a₀ to a
    shaded (blue where it adds to the integral, red where it takes away). Below: the integral
    from a₀ as a function of a (faint), the part from a₀ to a traced, and the cross-entropy
    −[y ln a + (1 − y) ln(1 − a)] (dashed), which lies above the integral by the same
    constant C_CE(a₀) at every a.
    """

    title = "the cost built from its slope"
    figsize = (8.0, 5.5)
    slope_limit = 8.0

    def make_controls(self):
        """Sliders for the target y, the start a₀ and the end a (binary fractions)."""
        return {
            "y": slider("target y", 0.25, 0.0, 1.0, 0.0625, fmt=".4f"),
            "a0": slider("start a₀", 0.5, 0.0625, 0.9375, 0.0625, fmt=".4f"),
            "a": slider("end a", 0.875, 1 / 64, 63 / 64, 1 / 64, fmt=".5f"),
        }

    def build(self, fig: Figure) -> None:
        """The slope with its shaded area above; the cost from a₀ and the cross-entropy below."""
        self.ax_slope, self.ax_cost = fig.subplots(2, 1, sharex=True)
        blank = np.full_like(A_GRID, np.nan)
        (self.slope_line,) = self.animate(self.ax_slope.plot(
            A_GRID, blank, color="0.2", label="slope ∂C/∂a = (a − y)/(a(1 − a))"))
        self.added = self.animate(self.ax_slope.fill_between(
            [], [], color="C0", alpha=0.35, lw=0, label="area added"))
        self.taken = self.animate(self.ax_slope.fill_between(
            [], [], color="C3", alpha=0.35, lw=0, label="area taken away"))
        self.ax_slope.axhline(0.0, color="0.6", lw=0.8)
        self.zero_at_y = self.animate(self.ax_slope.axvline(0.0, color="0.5", ls=":", lw=1,
                                                            label="a = y: the slope is 0"))
        self.start_marker = self.animate(self.ax_slope.axvline(0.0, color="0.4", ls="--",
                                                               lw=1))
        self.end_marker = self.animate(self.ax_slope.axvline(0.0, color="C3", lw=1))
        self.slope_readout = self.animate(self.ax_slope.set_title("", fontsize="medium"))
        self.ax_slope.set(xlim=(0, 1), ylim=(-self.slope_limit, self.slope_limit),
                          ylabel="slope")
        self.ax_slope.set_yticks([-8, -4, 0, 4, 8])
        self.ax_slope.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)

        (self.entropy_line,) = self.animate(self.ax_cost.plot(
            A_GRID, blank.copy(), color="0.5", ls="--",
            label="cross-entropy −[y ln a + (1 − y) ln(1 − a)]"))
        (self.cost_line,) = self.animate(self.ax_cost.plot(
            A_GRID, blank.copy(), color="C0", alpha=0.35))
        (self.traced,) = self.animate(self.ax_cost.plot(
            [], [], color="C0", lw=2.2, label="C(a) − C(a₀) = area from a₀ to a"))
        (self.start_point,) = self.animate(self.ax_cost.plot([], [], "o", color="0.4",
                                                             mfc="white"))
        (self.end_point,) = self.animate(self.ax_cost.plot([], [], "o", color="C3"))
        (self.gap,) = self.animate(self.ax_cost.plot([], [], color="C2", lw=1.5,
                                                     label="the gap: the cross-entropy at a₀"))
        self.cost_readout = self.animate(self.ax_cost.set_title("", fontsize="medium"))
        self.ax_cost.axhline(0.0, color="0.6", lw=0.8)
        self.ax_cost.set(ylim=(-3.0, 6.0), xlabel="activation a", ylabel="cost")
        self.ax_cost.set_yticks([-2, 0, 2, 4, 6])
        self.ax_cost.set_xticks([0.0, 0.25, 0.5, 0.75, 1.0])
        self.ax_cost.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
        self._curves_for: tuple[float, float] | None = None

    def _area_polygons(self, y: float, a0: float, a: float) -> tuple[np.ndarray, np.ndarray]:
        """The shaded area from a₀ to a, split at a = y where the slope changes sign: the part
        that adds to the integral and the part that takes away (each possibly empty)."""
        low, high = min(a0, a), max(a0, a)
        below = (low, min(high, y))  # slope ≤ 0 here
        above = (max(low, y), high)  # slope ≥ 0 here
        polygons = []
        for start, end in (above, below):
            if end <= start:
                polygons.append(np.empty((0, 2)))
                continue
            t = np.linspace(start, end, SAMPLES)
            curve = np.clip(cost_prime(t, np.full_like(t, y)), -2 * self.slope_limit,
                            2 * self.slope_limit)
            polygons.append(np.vstack([[start, 0.0], np.column_stack([t, curve]), [end, 0.0]]))
        positive_slope, negative_slope = polygons
        # Integrating to the right, a positive slope adds; to the left, it takes away.
        return (positive_slope, negative_slope) if a >= a0 else (negative_slope, positive_slope)

    def _curves(self, y: float, a0: float) -> None:
        """The whole curves, which depend on y and a₀ only: redrawn when one of them moved."""
        if self._curves_for == (y, a0):
            return
        self._curves_for = (y, a0)
        targets = np.full_like(A_GRID, y)
        self.slope_line.set_ydata(cost_prime(A_GRID, targets))
        self.entropy_line.set_ydata(cross_entropy(A_GRID, targets))
        self.cost_line.set_ydata(cost_from_slope(A_GRID, targets, a0))
        self.zero_at_y.set_xdata([y, y])
        self.start_marker.set_xdata([a0, a0])
        self.start_point.set_data([a0], [0.0])

    def update(self) -> None:
        """Recompute the slope, the area and the cost for the current y, a₀ and a."""
        y, a0, a = (float(self.value(name)) for name in ("y", "a0", "a"))
        self._curves(y, a0)
        added, taken = self._area_polygons(y, a0, a)
        self.added.set_verts([added])
        self.taken.set_verts([taken])
        self.end_marker.set_xdata([a, a])
        path = np.linspace(min(a0, a), max(a0, a), SAMPLES)
        traced = cost_from_slope(path, np.full_like(path, y), a0)
        self.traced.set_data(path, traced)
        area = float(traced[-1] if a >= a0 else traced[0])  # the integral from a₀ to a
        constant = float(cross_entropy(a0, y))
        self.end_point.set_data([a], [area])
        self.gap.set_data([a, a], [area, area + constant])
        # Short readouts: drawing text is most of a step's cost.
        self.slope_readout.set_text(f"area from a₀ to a: {area:+.4f}")
        self.cost_readout.set_text(f"gap: {constant:.4f}")
