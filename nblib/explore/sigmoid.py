"""Exercise 1's explorer: σ, σ′ and the tangent to σ at a chosen z₀."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from nblib.explore.base import Explorer, slider
from nblib.numerics.activations import sigmoid, sigmoid_prime

Z_RANGE = 8.0


class SigmoidExplorer(Explorer):
    """Slide z₀: the point (z₀, σ(z₀)), the tangent there, and σ′(z₀) on the lower curve."""

    title = "σ and its slope"
    figsize = (7.5, 4.5)

    def make_controls(self):
        """One slider, z₀, on an exactly representable grid."""
        return {"z0": slider("z₀", 1.0, -Z_RANGE, Z_RANGE, 0.25)}

    def build(self, fig: Figure) -> None:
        """Two stacked axes: σ with its tangent above, σ′ with the point below."""
        z = np.linspace(-Z_RANGE, Z_RANGE, 401)
        self.ax_sigma, self.ax_prime = fig.subplots(2, 1, sharex=True)
        self.ax_sigma.plot(z, sigmoid(z), color="C0", label="σ(z)")
        (self.tangent,) = self.animate(self.ax_sigma.plot([], [], color="C3", lw=1.2,
                                                          label="tangent at z₀"))
        (self.point,) = self.animate(self.ax_sigma.plot([], [], "o", color="C3"))
        # σ < 1 everywhere, and a tangent rises above 1 only right of its point: the band
        # above 1 on the left is the legend's, where no tangent and no point can reach.
        self.ax_sigma.set_ylim(-0.15, 1.4)
        self.ax_sigma.set_yticks([0.0, 0.25, 0.5, 0.75, 1.0])
        self.ax_sigma.set_ylabel("σ(z)")
        self.ax_sigma.legend(loc="upper left", ncols=2)
        self.ax_prime.plot(z, sigmoid_prime(z), color="C2", label="σ′(z) = σ(z)(1 − σ(z))")
        self.ax_prime.axhline(0.25, color="0.6", ls=":", lw=1, label="maximum ¼ at z = 0")
        (self.slope_point,) = self.animate(self.ax_prime.plot([], [], "o", color="C3"))
        self.ax_prime.set_ylim(0, 0.3)
        self.ax_prime.set_xlabel("z")
        self.ax_prime.set_ylabel("σ′(z)")
        # Left of the middle, σ′ is near 0 and the ¼ line runs clear above the legend.
        self.ax_prime.legend(loc="center left")
        # Above the axes, where neither the tangent nor the curves can cross it.
        self.readout = self.animate(self.ax_sigma.set_title(" ", fontsize=10))
        self.tangent_z = np.array([-Z_RANGE, Z_RANGE])

    def update(self) -> None:
        """Move the point, the tangent line and the readout to z₀."""
        z0 = float(self.value("z0"))
        s, slope = float(sigmoid(z0)), float(sigmoid_prime(z0))
        self.point.set_data([z0], [s])
        self.tangent.set_data(self.tangent_z, s + slope * (self.tangent_z - z0))
        self.slope_point.set_data([z0], [slope])
        self.readout.set_text(f"z₀ = {z0:.2f}   σ(z₀) = {s:.4f}   σ′(z₀) = {slope:.4f}")
