"""Explorers of the softmax section (ex4–ex6): one four-neuron layer, seen three ways.

* :class:`SumsExplorer` (ex4): four logits; sigmoid bars and softmax bars with their sums.
* :class:`JacobianExplorer` (ex5): shift one logit; the activations move and the Jacobian
  a_j(δ_jk − a_k) is drawn as a heat map with fixed, symmetric colour limits.
* :class:`LocalityExplorer` (ex6): shift one logit; one sigmoid bar moves, every softmax
  bar moves.

The logits start at the book's example (2.5, −1, 3.2, 0.5), except that 3.2 is shown as
3.25: slider steps must be exact in binary (see :func:`nblib.explore.base.slider`), and no
binary grid contains 3.2.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from nblib.explore.base import Explorer, label_height, slider
from nblib.numerics.activations import sigmoid, softmax
from nblib.numerics.jacobians import softmax_jacobian

#: The book's example logits on the sliders' quarter grid (3.2 → 3.25).
BOOK_LOGITS = (2.5, -1.0, 3.25, 0.5)
Z_LIMIT = 5.0
STEP = 0.25
#: Every entry of a softmax Jacobian lies in [−¼, ¼]: a_j(1 − a_j) ≤ ¼ and
#: a_j a_k ≤ ((a_j + a_k)/2)² ≤ ¼. Fixed limits keep colours comparable between steps.
JACOBIAN_LIMIT = 0.25
NEURONS = len(BOOK_LOGITS)
LABELS = [f"{j + 1}" for j in range(NEURONS)]
SUBSCRIPTS = "₀₁₂₃₄"


def _neuron_selector() -> widgets.ToggleButtons:
    """Which logit z_k the shift slider moves."""
    return widgets.ToggleButtons(
        options=[(label, k + 1) for k, label in enumerate(LABELS)], value=1,
        description="k", style={"button_width": "2.5em"},
    )


def shifted_logits(k: int, shift: float) -> np.ndarray:
    """The book's logits with z_k moved by ``shift`` (k counts from 1)."""
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= NEURONS:
        raise ValueError(f"shifted_logits: argument 'k' must be one of 1..{NEURONS} (got {k!r})")
    z = np.array(BOOK_LOGITS)
    z[int(k) - 1] += float(shift)
    return z


def _bar_panel(ax, title: str, color: str):
    """Four bars at height 0 with value labels above them, on a [0, 1] scale."""
    bars = ax.bar(LABELS, np.zeros(NEURONS), color=color, width=0.6)
    labels = [ax.text(j, 0.0, "", ha="center", va="bottom", fontsize=9) for j in range(NEURONS)]
    ax.set_ylim(0, 1.25)  # room above a bar of 1 for its label, clear of the corner texts
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(r"neuron $j$")
    return bars, labels


def _set_bars(bars, labels, values: np.ndarray, outlines: np.ndarray | None = None) -> None:
    """Move bars and their value labels to ``values``; labels keep clear of ``outlines``."""
    for j, (bar, label, v) in enumerate(zip(bars, labels, values, strict=True)):
        bar.set_height(v)
        edges = [] if outlines is None else [outlines[j]]
        label.set_position((bar.get_x() + bar.get_width() / 2,
                            label_height(v, edges, pad=0.01, clearance=0.07)))
        label.set_text(f"{v:.3f}")


class SumsExplorer(Explorer):
    """Ex4: four logits feed a sigmoid layer and a softmax layer; compare the two sums."""

    title = "sigmoid and softmax outputs and their sums"
    figsize = (8.0, 3.8)

    def make_controls(self) -> dict[str, widgets.ValueWidget]:
        """Four logit sliders, −5..5 in quarter steps, at the book's example."""
        return {f"z{j + 1}": slider(f"z{SUBSCRIPTS[j + 1]}", v, -Z_LIMIT, Z_LIMIT, STEP)
                for j, v in enumerate(BOOK_LOGITS)}

    def logits(self) -> np.ndarray:
        """The current z as an array."""
        return np.array([float(self.value(f"z{j + 1}")) for j in range(NEURONS)])

    def build(self, fig: Figure) -> None:
        """Two bar panels side by side, each with its sum written in the corner."""
        self.ax_sigmoid, self.ax_softmax = fig.subplots(1, 2, sharey=True)
        self.sigmoid_bars, self.sigmoid_labels = self.animate(_bar_panel(
            self.ax_sigmoid, r"sigmoid layer: $a_j = \sigma(z_j)$", "C0"))
        self.softmax_bars, self.softmax_labels = self.animate(_bar_panel(
            self.ax_softmax, r"softmax layer: $a_j = \exp(z_j)\,/\,\Sigma_k\,\exp(z_k)$", "C1"))
        self.ax_sigmoid.set_ylabel(r"activation $a_j$")
        self.sigmoid_sum = self.animate(self.ax_sigmoid.text(
            0.02, 0.97, "", transform=self.ax_sigmoid.transAxes, va="top", fontsize=10,
            color="C3"))
        self.softmax_sum = self.animate(self.ax_softmax.text(
            0.02, 0.97, "", transform=self.ax_softmax.transAxes, va="top", fontsize=10,
            color="C2"))

    def update(self) -> None:
        """Recompute both layers from the sliders and move bars, labels and sums."""
        z = self.logits()
        s, a = sigmoid(z), softmax(z)
        _set_bars(self.sigmoid_bars, self.sigmoid_labels, s)
        _set_bars(self.softmax_bars, self.softmax_labels, a)
        self.sigmoid_sum.set_text(f"σ(z₁) + … + σ(z₄) = {s.sum():.4f}")
        self.softmax_sum.set_text(f"a₁ + … + a₄ = {a.sum():.4f}")


class JacobianExplorer(Explorer):
    """Ex5: shift one logit z_k; watch every activation and the Jacobian a_j(δ_jk − a_k)."""

    title = "softmax activations and their Jacobian"
    figsize = (8.5, 3.9)

    def make_controls(self) -> dict[str, widgets.ValueWidget]:
        """Which logit (k) and how far it is moved from the book's value (Δz_k)."""
        return {"k": _neuron_selector(), "shift": slider("Δzₖ", 0.0, -Z_LIMIT, Z_LIMIT, STEP)}

    def build(self, fig: Figure) -> None:
        """Bars with the unshifted layer as outlines; a 4×4 heat map with a marked column."""
        self.ax_bars, self.ax_jac = fig.subplots(1, 2, width_ratios=(1, 1.15))
        base = self.base = softmax(np.array(BOOK_LOGITS))
        self.ax_bars.bar(LABELS, base, width=0.6, fill=False, edgecolor="0.5", ls="--",
                         label="at the book's z")
        self.bars, self.labels = self.animate(_bar_panel(self.ax_bars, r"softmax outputs $a_j$",
                                                         "C1"))
        self.ax_bars.legend(loc="upper left", fontsize=9)
        self.ax_bars.set_ylabel(r"$a_j$")
        # A mesh of 4 × 4 cells, row j from the top: drawn as 16 quadrilaterals, where an
        # image would be resampled to the axes' pixels at every step.
        edges = np.arange(NEURONS + 1) + 0.5
        self.image = self.animate(self.ax_jac.pcolormesh(
            edges, edges, np.zeros((NEURONS, NEURONS)), cmap="RdBu_r", vmin=-JACOBIAN_LIMIT,
            vmax=JACOBIAN_LIMIT))
        self.ax_jac.set(xlim=(0.5, NEURONS + 0.5), ylim=(NEURONS + 0.5, 0.5), aspect="equal")
        fig.colorbar(self.image, ax=self.ax_jac, shrink=0.85)
        # Numbers only in the chosen column: the rates at which the bars move. Sixteen labels
        # would double the text drawn on every step.
        self.column_values = self.animate([self.ax_jac.text(1, j + 1, "", ha="center",
                                                            va="center", fontsize=9)
                                           for j in range(NEURONS)])
        self.column = self.animate(self.ax_jac.add_patch(_column_box()))
        self.ax_jac.set_xticks(range(1, NEURONS + 1))
        self.ax_jac.set_yticks(range(1, NEURONS + 1))
        self.ax_jac.set_xlabel(r"$k$ (input $z_k$)")
        self.ax_jac.set_ylabel(r"$j$ (output $a_j$)")
        self.ax_jac.set_title(r"$\partial a_j / \partial z_k = a_j(\delta_{jk} - a_k)$",
                              fontsize=10)
        self.readout = self.animate(self.ax_bars.text(0.98, 0.97, "", ha="right", va="top",
                                                      transform=self.ax_bars.transAxes,
                                                      fontsize=9))

    def logits(self) -> np.ndarray:
        """The book's z with z_k shifted."""
        return shifted_logits(int(self.value("k")), float(self.value("shift")))

    def update(self) -> None:
        """Move the bars, recolour the heat map, rewrite its numbers, move the column box."""
        k = int(self.value("k"))
        z = self.logits()
        a, jac = softmax(z), softmax_jacobian(z)
        _set_bars(self.bars, self.labels, a, self.base)
        for j, bar in enumerate(self.bars):
            bar.set_color("C3" if j + 1 == k else "C1")
        self.image.set_array(jac)
        for j, label in enumerate(self.column_values):
            label.set_position((k, j + 1))
            label.set_text(f"{jac[j, k - 1]:+.3f}")
            # Dark cells (|value| past half the colour scale) take white numbers.
            label.set_color("white" if abs(jac[j, k - 1]) > JACOBIAN_LIMIT / 2 else "black")
        self.column.set_x(k - 0.5)
        self.readout.set_text(f"z{SUBSCRIPTS[k]} = {z[k - 1]:.2f}")


def _column_box() -> Rectangle:
    """An outline around one column of the heat map (moved with set_x)."""
    return Rectangle((0.5, 0.5), 1.0, NEURONS, fill=False, edgecolor="k", lw=2)


class LocalityExplorer(Explorer):
    """Ex6: shift one logit z_k; a sigmoid layer changes one output, a softmax layer all."""

    title = "local sigmoid layer, non-local softmax layer"
    figsize = (8.0, 3.8)

    def make_controls(self) -> dict[str, widgets.ValueWidget]:
        """Which logit (k) and how far it is moved from the book's value (Δz_k)."""
        return {"k": _neuron_selector(), "shift": slider("Δzₖ", 0.0, -Z_LIMIT, Z_LIMIT, STEP)}

    def build(self, fig: Figure) -> None:
        """Two bar panels, each with the unshifted layer drawn as dashed outlines."""
        self.ax_sigmoid, self.ax_softmax = fig.subplots(1, 2, sharey=True)
        z = np.array(BOOK_LOGITS)
        self.base = {"sigmoid": sigmoid(z), "softmax": softmax(z)}
        for ax, key in ((self.ax_sigmoid, "sigmoid"), (self.ax_softmax, "softmax")):
            ax.bar(LABELS, self.base[key], width=0.6, fill=False, edgecolor="0.5", ls="--",
                   label="at the book's z")
        self.sigmoid_bars, self.sigmoid_labels = self.animate(_bar_panel(
            self.ax_sigmoid, r"sigmoid layer: $a_j = \sigma(z_j)$", "C0"))
        self.softmax_bars, self.softmax_labels = self.animate(_bar_panel(
            self.ax_softmax, r"softmax layer: $a_j = \exp(z_j)\,/\,\Sigma_k\,\exp(z_k)$", "C1"))
        self.ax_sigmoid.legend(loc="upper left", fontsize=9)
        self.ax_sigmoid.set_ylabel(r"activation $a_j$")
        self.sigmoid_moved = self.animate(self.ax_sigmoid.text(
            0.98, 0.97, "", ha="right", va="top", transform=self.ax_sigmoid.transAxes,
            fontsize=9))
        self.softmax_moved = self.animate(self.ax_softmax.text(
            0.98, 0.97, "", ha="right", va="top", transform=self.ax_softmax.transAxes,
            fontsize=9))

    def logits(self) -> np.ndarray:
        """The book's z with z_k shifted."""
        return shifted_logits(int(self.value("k")), float(self.value("shift")))

    def update(self) -> None:
        """Move both layers' bars and count how many outputs differ from the unshifted ones."""
        k = int(self.value("k"))
        z = self.logits()
        for key, values, bars, labels, note in (
            ("sigmoid", sigmoid(z), self.sigmoid_bars, self.sigmoid_labels, self.sigmoid_moved),
            ("softmax", softmax(z), self.softmax_bars, self.softmax_labels, self.softmax_moved),
        ):
            _set_bars(bars, labels, values, self.base[key])
            moved = values != self.base[key]
            for bar, changed in zip(bars, moved, strict=True):
                bar.set_alpha(1.0 if changed else 0.45)
            note.set_text(f"outputs moved: {int(moved.sum())} of {NEURONS}")
        for bars in (self.sigmoid_bars, self.softmax_bars):
            for j, bar in enumerate(bars):
                bar.set_edgecolor("C3" if j + 1 == k else "none")
                bar.set_linewidth(2.0)
