"""Learning curves of Problem 2: a [1, 4, 1] network fitted with linear or sigmoid outputs.

The explorer of Problem 2 retrains from scratch at every move of a control, so the loop
here is full-batch gradient descent written out with the unchecked σ kernel
(:func:`descend`), vectorised over the 20 examples of its data (:data:`DATA_X`,
:data:`DATA_Y`); :func:`learning_curves` runs it from one start (:func:`initial_parameters`)
for both kinds of output. The notebook checks it against :meth:`Network.train
<nblib.network.network.Network.train>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nblib.network.network import Network
from nblib.numerics.activations import sigmoid_parts
from nblib.numerics.validation import as_scalar

__all__ = [
    "CURVE_SEED",
    "DATA_X",
    "DATA_Y",
    "ETAS",
    "HIDDEN",
    "Run",
    "descend",
    "initial_parameters",
    "learning_curves",
]

#: The explorer's data: 20 points of an S-curve inside (0.2, 0.8), which σ can reach too.
DATA_X = np.linspace(0.0, 1.0, 20).reshape(1, 20)
DATA_Y = 0.2 + 0.6 / (1.0 + np.exp(-10.0 * (DATA_X - 0.5)))
HIDDEN = 4
CURVE_SEED = 3
ETAS = (0.125, 0.25, 0.5, 1.0)


def initial_parameters(z0: float) -> list[np.ndarray]:
    """[w², b², w³, b³] of a [1, 4, 1] network (seeded), with the output bias set so that the
    output weighted input averages ``z0`` over the data: a saturated start for |z0| ≳ 4."""
    net = Network([1, HIDDEN, 1], seed=CURVE_SEED)
    hidden = net.forward(DATA_X)[0][1]
    net.biases[-1][:] = z0 - (net.weights[-1] @ hidden).mean()
    return [net.weights[0], net.biases[0], net.weights[1], net.biases[1]]


@dataclass(frozen=True)
class Run:
    """A training run: the cost after each epoch (entry 0 before training), final parameters."""

    cost: np.ndarray
    parameters: tuple[np.ndarray, ...]
    output: str

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The trained network's output for inputs ``x`` (shape (1, m))."""
        w2, b2, w3, b3 = self.parameters
        z = w3 @ sigmoid_parts(w2 @ x + b2)[0] + b3
        return z if self.output == "linear" else sigmoid_parts(z)[0]


def descend(parameters: Sequence[np.ndarray], output: str, eta: float, epochs: int) -> Run:
    """Full-batch gradient descent on the quadratic cost of the data, vectorised over examples.

    The same BP1–BP4 as :meth:`nblib.network.network.Network.train` with one mini-batch of all 20
    examples (so no shuffling matters); ``learning_curve_checks`` compares the two.
    """
    if output not in ("linear", "sigmoid"):
        raise ValueError(f"descend: argument 'output' must be 'linear' or 'sigmoid' "
                         f"(got {output!r})")
    eta = as_scalar(eta, "eta", func="descend")
    if eta <= 0:
        raise ValueError(f"descend: argument 'eta' must be positive (got {eta})")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"descend: argument 'epochs' must be a positive integer (got {epochs!r})")
    w2, b2, w3, b3 = (np.array(p, dtype=float) for p in parameters)
    X, Y = DATA_X, DATA_Y
    scale = eta / X.shape[1]
    cost = np.empty(epochs + 1)
    for epoch in range(epochs + 1):
        a2 = sigmoid_parts(w2 @ X + b2)[0]  # nblib's σ kernel, unchecked: a hot loop
        z3 = w3 @ a2 + b3
        a3 = z3 if output == "linear" else sigmoid_parts(z3)[0]
        error = a3 - Y
        cost[epoch] = 0.5 * np.mean(np.sum(error * error, axis=0))
        if epoch == epochs:
            break
        d3 = error if output == "linear" else error * (a3 * (1.0 - a3))  # BP1
        d3 = d3 * scale
        d2 = (w3.T @ d3) * (a2 * (1.0 - a2))  # BP2, with the weights before the step
        w3 -= d3 @ a2.T  # BP4
        b3 -= d3.sum(axis=1, keepdims=True)  # BP3
        w2 -= d2 @ X.T
        b2 -= d2.sum(axis=1, keepdims=True)
    return Run(cost, (w2, b2, w3, b3), output)


def learning_curves(z0: float, eta: float, epochs: int) -> dict[str, Run]:
    """Linear and sigmoid outputs trained from the same start; keys ``"linear"``, ``"sigmoid"``."""
    start = initial_parameters(as_scalar(z0, "z0", func="learning_curves"))
    return {output: descend(start, output, eta, epochs) for output in ("linear", "sigmoid")}
