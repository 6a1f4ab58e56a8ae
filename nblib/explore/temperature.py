"""Problem 6's explorer, the temperature widget: softmax(z, c) as |c| runs over a log scale.

a_j = e^{c z_j}/Σ_k e^{c z_k}. Small |c| flattens the distribution towards uniform (entropy
ln n); large c sharpens it onto the maximal inputs (1/m on m tied maxima, entropy ln m),
and large negative c onto the minimal ones. The slider sets |c| and a toggle its sign.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from nblib.explore.base import Explorer, label_height, log_slider, slider
from nblib.numerics.activations import softmax
from nblib.numerics.layer import entropy, softmax_limit

#: Exponent range and step of the c slider (base 10): all exact in binary, so the exponent
#: the browser sends back is always one of the grid values.
LOG_C_MIN, LOG_C_MAX, LOG_C_STEP = -2.0, 2.0, 0.125
Z_RANGE, Z_STEP = 4.0, 0.25
Z_NAMES = ("z1", "z2", "z3", "z4")
CUSTOM = "custom"
#: Logit presets, all on the slider grid. The book's softmax example uses z₃ = 3.2; 3.25 is
#: the nearest grid value.
PRESETS: dict[str, tuple[float, ...]] = {
    "book-like (2.5, −1, 3.25, 0.5)": (2.5, -1.0, 3.25, 0.5),
    "tie for the maximum (3, 3, 1, −1)": (3.0, 3.0, 1.0, -1.0),
    "tie for the minimum (2, −1, −1, 0.5)": (2.0, -1.0, -1.0, 0.5),
    "all equal (1, 1, 1, 1)": (1.0, 1.0, 1.0, 1.0),
}
DEFAULT_PRESET = "book-like (2.5, −1, 3.25, 0.5)"
CURVE_POINTS = 257  # the entropy curve H(c) over the slider's range
#: The sign toggle: its labels and the sign each stands for.
SIGNS = (("c > 0", 1.0), ("c < 0", -1.0))


class TemperatureExplorer(Explorer):
    """|c| on a log scale with a sign toggle, logits by slider or preset: softmax bars,
    entropy, limit markers."""

    title = "softmax with temperature"
    figsize = (8.5, 4.2)

    def __init__(self, **initial: Any) -> None:
        """The explorer; a preset given by name sets the four logits it stands for."""
        # A preset given by name stands for its four logits (explicit logits win).
        preset = initial.get("preset", DEFAULT_PRESET)
        if preset != CUSTOM:
            if preset not in PRESETS:
                raise ValueError(f"TemperatureExplorer: unknown preset {preset!r}; "
                                 f"choose one of {[*PRESETS, CUSTOM]}")
            for name, value in zip(Z_NAMES, PRESETS[preset], strict=True):
                initial.setdefault(name, value)
        self._syncing = False
        super().__init__(**initial)
        # Two rows of controls: |c|, its sign and the preset above, the four logits below.
        top = widgets.HBox([self.controls[name] for name in ("c", "sign", "preset")])
        logits = widgets.HBox([self.controls[name] for name in Z_NAMES])
        self.widget = widgets.VBox([top, logits, self.canvas], layout=widgets.Layout(width="auto"))

    def make_controls(self) -> dict[str, widgets.ValueWidget]:
        """|c| (log slider, base 10), the sign of c, a preset selector and one slider per
        logit."""
        controls: dict[str, widgets.ValueWidget] = {
            "c": log_slider("|c|", 0.0, LOG_C_MIN, LOG_C_MAX, LOG_C_STEP),
            "sign": widgets.ToggleButtons(options=SIGNS, value=1.0,
                                          style={"button_width": "4.5em"}),
            "preset": widgets.Dropdown(options=[*PRESETS, CUSTOM], value=DEFAULT_PRESET,
                                       description="logits",
                                       layout=widgets.Layout(width="22em")),
        }
        for i, (name, value) in enumerate(zip(Z_NAMES, PRESETS[DEFAULT_PRESET], strict=True)):
            controls[name] = slider(f"z{'₁₂₃₄'[i]}", value, -Z_RANGE, Z_RANGE, Z_STEP)
        return controls

    # Reading the controls ------------------------------------------------------------
    def logits(self) -> np.ndarray:
        """The weighted inputs z as set on the sliders."""
        return np.array([self.value(name) for name in Z_NAMES], dtype=float)

    def temperature(self) -> float:
        """c itself: the slider's |c| with the toggle's sign."""
        return float(self.value("sign")) * float(self.value("c"))

    def _matching_preset(self) -> str:
        """The preset whose logits the sliders hold, or ``custom``."""
        z = tuple(self.logits())
        return next((name for name, values in PRESETS.items() if values == z), CUSTOM)

    def _on_change(self, change: Mapping[str, Any]) -> None:
        """Keep the preset menu and the logit sliders in step, then update once."""
        if self._syncing:
            return  # one update, after the preset has moved all four sliders
        self._syncing = True
        try:
            if change["owner"] is self.controls["preset"]:
                if change["new"] != CUSTOM:
                    for name, value in zip(Z_NAMES, PRESETS[change["new"]], strict=True):
                        self.controls[name].value = value
            elif change["owner"] not in (self.controls["c"], self.controls["sign"]):
                self.controls["preset"].value = self._matching_preset()
        finally:
            self._syncing = False
        super()._on_change(change)

    # The figure --------------------------------------------------------------------------
    def build(self, fig: Figure) -> None:
        """Bars of a with the c → ±∞ limit outlined; H against log₁₀ |c| beside them."""
        self.controls["preset"].value = self._matching_preset()  # no observers yet
        n = len(Z_NAMES)
        self.positions = np.arange(1, n + 1)
        self.ax_bars, self.ax_entropy = fig.subplots(1, 2, width_ratios=[3, 2])

        ax = self.ax_bars
        self.bars = self.animate(ax.bar(
            self.positions, np.zeros(n), width=0.6, color="C0",
            label="$a_j = \\exp(c\\,z_j)\\,/\\,\\Sigma_k\\,\\exp(c\\,z_k)$"))
        self.limit_bars = self.animate(ax.bar(
            self.positions, np.zeros(n), width=0.8, fill=False, edgecolor="C3",
            linestyle="--", linewidth=1.3, label=_limit_label(1.0)))
        # Moves with the bars so that it stays visible over them.
        self.animate(ax.axhline(1 / n, color="0.5", linestyle=":", linewidth=1,
                                label=f"limit $c \\to 0$: uniform $1/{n}$"))
        self.bar_labels = self.animate([ax.text(x, 0, "", ha="center", va="bottom", fontsize=9)
                                        for x in self.positions])
        ax.set_xticks(self.positions, [f"$a_{j}$" for j in self.positions])
        # Probabilities reach 1; the band above is the legend's, out of the bars' way.
        ax.set_ylim(0, 1.6)
        ax.set_yticks([0.0, 0.25, 0.5, 0.75, 1.0])
        ax.set_ylabel("probability")
        # Its limit entry names the maxima or the minima; the sign toggle rewrites it.
        legend = ax.legend(loc="upper left", fontsize=9)
        self.limit_legend = next(text for text in legend.get_texts()
                                 if text.get_text() == _limit_label(1.0))
        self.readout = self.animate(ax.set_title("", fontsize=10))

        ax = self.ax_entropy
        self.log_c = np.linspace(LOG_C_MIN, LOG_C_MAX, CURVE_POINTS)
        (self.entropy_curve,) = self.animate(ax.plot(self.log_c, np.zeros(CURVE_POINTS),
                                                     color="C0"))
        (self.entropy_marker,) = self.animate(ax.plot([], [], "o", color="C3"))
        # The two limits are labelled beside the axes, where neither the curve nor the
        # marker can run over them: c → 0 above its line, c → ∞ below its own.
        beside = ax.get_yaxis_transform()
        ax.axhline(np.log(n), color="0.5", linestyle=":", linewidth=1)
        ax.text(1.02, np.log(n), f"ln {n}\nc → 0", transform=beside, va="bottom", fontsize=9)
        self.tie_line = self.animate(ax.axhline(0.0, color="C3", linestyle="--", linewidth=1))
        self.tie_label = self.animate(ax.text(1.02, 0.0, "", transform=beside, va="top",
                                              fontsize=9, color="C3"))
        ax.set_xlim(LOG_C_MIN, LOG_C_MAX)
        ax.set_ylim(-0.05, np.log(n) * 1.12)
        ax.set_xlabel("$\\log_{10} |c|$")
        ax.set_ylabel("entropy $H(a)$ (nats)")

    def update(self) -> None:
        """Move the bars, the limit outlines, the entropy curve, marker and readouts."""
        z, c, sign = self.logits(), self.temperature(), float(self.value("sign"))
        a = softmax(z, c)
        h = float(entropy(a))
        limit = softmax_limit(z, sign * np.inf)
        m = int(np.count_nonzero(limit))
        for bar, outline, label, value, target in zip(
            self.bars, self.limit_bars, self.bar_labels, a, limit, strict=True
        ):
            bar.set_height(value)
            outline.set_height(target)
            outline.set_visible(target > 0)  # no flat dashes along the axis
            # Clear of the dashed outline and of the dotted uniform line alike.
            label.set_y(label_height(value, [target, 1 / len(a)], pad=0.01))
            label.set_text(f"{value:.3f}")
        # The whole curve H(c) depends on the logits, so it moves with them.
        curve = entropy(softmax(np.outer(sign * 10.0**self.log_c, z)), axis=-1)
        self.entropy_curve.set_ydata(curve)
        self.entropy_marker.set_data([np.log10(abs(c))], [h])
        self.tie_line.set_ydata([np.log(m)])
        self.tie_label.set_y(np.log(m))
        end, extremes = ("∞", "max.") if sign > 0 else ("−∞", "min.")
        self.tie_label.set_text(f"ln {m}\nc → {end}\n({m} {extremes})")
        if self.limit_legend.get_text() != _limit_label(sign):  # a static artist: a full redraw
            self.limit_legend.set_text(_limit_label(sign))
        self.readout.set_text(f"c = {c:.4g}    H(a) = {h:.4f} nats    Σ a = {a.sum():.12f}")


def _limit_label(sign: float) -> str:
    """The legend's entry for the dashed outlines, for c of the given sign."""
    if sign > 0:
        return "limit $c \\to \\infty$: $1/m$ on the $m$ maxima"
    return "limit $c \\to -\\infty$: $1/m$ on the $m$ minima"
