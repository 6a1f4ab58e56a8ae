"""Static pictures beside a proof: what a derivation says, drawn once, with no controls.

An explorer (:mod:`nblib.explore.base`) is the live figure at the end of a notebook; a
:class:`Picture` is the figure a reader wants while reading a derivation: σ′ beside its
formula, the cross-entropy for several targets beside the proof of its minimum, the
Jacobian's signs beside the proof of them. It shows as a PNG, with a one-line text
description that is the same on every machine (nbval compares the text, not the pixels).
"""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nblib.numerics.activations import sigmoid, sigmoid_prime
from nblib.numerics.costs import cross_entropy
from nblib.numerics.jacobians import softmax_jacobian

DPI = 100


class Picture:
    """A figure drawn once and shown as a PNG, with a one-line text description."""

    def __init__(self, figure: Figure, description: str) -> None:
        """Keep the figure and the text shown in its place where pictures are not."""
        self.figure = figure
        self.description = description

    def png(self) -> bytes:
        """The figure rendered to PNG bytes (no timestamp metadata)."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {"image/png": base64.b64encode(self.png()).decode("ascii"),
                "text/plain": self.description}

    def __repr__(self) -> str:
        return self.description


def _figure(width: float, height: float, columns: int = 1) -> tuple[Figure, list[Axes]]:
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    return figure, list(np.atleast_1d(figure.subplots(1, columns)))


def sigmoid_and_slope() -> Picture:
    """σ and σ′ = σ(1 − σ) on −8 ≤ z ≤ 8: the slope peaks at ¼ where σ = ½, at z = 0."""
    figure, (ax,) = _figure(6.4, 2.8)
    z = np.linspace(-8, 8, 401)
    ax.plot(z, sigmoid(z), color="C0", label=r"$\sigma(z)$")
    ax.plot(z, sigmoid_prime(z), color="C1", label=r"$\sigma'(z) = \sigma(z)(1-\sigma(z))$")
    ax.axhline(0.25, color="C1", lw=0.8, ls=":")
    ax.plot([0], [0.25], "o", color="C1")
    ax.annotate(r"$\sigma'(0) = \frac{1}{4}$, where $\sigma = \frac{1}{2}$", (0, 0.25),
                xytext=(1.2, 0.42), arrowprops={"arrowstyle": "-", "color": "0.4"})
    ax.set_xlabel("$z$")
    ax.set_xlim(-8, 8)
    ax.set_ylim(-0.02, 1.05)
    ax.legend(loc="upper left", frameon=False)
    return Picture(figure, "σ(z) and σ′(z) for −8 ≤ z ≤ 8; σ′ peaks at ¼ at z = 0")


def cross_entropy_for_targets(targets: tuple[float, ...] = (0.125, 0.25, 0.5, 0.75, 0.875)
                              ) -> Picture:
    """C(a) = −[y ln a + (1 − y) ln(1 − a)] for several targets y, each with its minimum
    H(y) marked at a = y."""
    figure, (ax,) = _figure(6.4, 3.0)
    a = np.linspace(0.005, 0.995, 397)
    for i, y in enumerate(targets):
        color = f"C{i}"
        ax.plot(a, cross_entropy(a, np.full_like(a, y)), color=color, label=f"y = {y:g}")
        ax.plot([y], [cross_entropy(y, y)], "o", color=color)
    ax.set_xlabel("$a$")
    ax.set_ylabel("$C(a)$")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 3)
    ax.set_title("each curve is lowest at a = y (dot), where it equals H(y)", fontsize=10)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=9)
    labels = ", ".join(f"{y:g}" for y in targets)
    return Picture(figure, f"the cross-entropy C(a) for y = {labels}, minima marked at a = y")


def jacobian_signs(z: tuple[float, ...] = (2.5, -1.0, 3.2, 0.5)) -> Picture:
    """The softmax Jacobian ∂a_j/∂z_k of a layer as a grid: each entry's value, its sign
    as the colour (positive on the diagonal, negative off it)."""
    jac = softmax_jacobian(np.array(z, dtype=float))
    n = len(z)
    figure, (ax,) = _figure(3.8, 3.3)
    # The colour says the sign only: a magnitude scale would fade the tiny entries to white.
    ax.imshow(np.sign(jac), cmap="RdBu", vmin=-2.5, vmax=2.5)
    for j in range(n):
        for k in range(n):
            value = jac[j, k]
            ax.text(k, j, f"{'+' if value > 0 else '−'}{abs(value):.2g}",
                    ha="center", va="center", fontsize=9)
    ticks = range(n)
    ax.set_xticks(ticks, [f"$z_{k + 1}$" for k in ticks])
    ax.set_yticks(ticks, [f"$a_{j + 1}$" for j in ticks])
    ax.set_title(r"$\partial a_j / \partial z_k$", fontsize=11)
    values = ", ".join(f"{v:g}" for v in z)
    return Picture(figure, f"signs of the softmax Jacobian at z = ({values}): "
                           f"+ on the diagonal, − off it")
