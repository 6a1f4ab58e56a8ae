"""The explorers' training runs, by :meth:`Network.descend <nblib.network.network.Network.descend>`.

Two explorers retrain from scratch at every move of a control, by full-batch gradient
descent through the network's one backprop:

* Problem 2: a [1, 4, 1] network fitted with linear or with sigmoid outputs to 20 points
  (:data:`DATA_X`, :data:`DATA_Y`) under the quadratic cost; :func:`learning_curves` trains
  both from one seeded start (:func:`initial_network`) and returns a :class:`Run` each;
* the chapter's opening demo: the book's neuron (input 1, target 0) under one of
  :data:`RULES`, :func:`neuron_descent`, giving a :class:`Trajectory`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nblib.network.network import Network
from nblib.numerics.validation import as_scalar

__all__ = [
    "CURVE_SEED",
    "DATA_X",
    "DATA_Y",
    "ETAS",
    "HIDDEN",
    "RULES",
    "Run",
    "Trajectory",
    "initial_network",
    "learning_curves",
    "neuron_descent",
]

# --------------------------------------------------------------------------- Problem 2

#: The explorer's data: 20 points of an S-curve inside (0.2, 0.8), which σ can reach too.
DATA_X = np.linspace(0.0, 1.0, 20).reshape(1, 20)
DATA_Y = 0.2 + 0.6 / (1.0 + np.exp(-10.0 * (DATA_X - 0.5)))
HIDDEN = 4
CURVE_SEED = 3
ETAS = (0.125, 0.25, 0.5, 1.0)
OUTPUTS = ("linear", "sigmoid")


def initial_network(z0: float, output: str = "linear") -> Network:
    """A [1, 4, 1] network (seeded, the same parameters for either output) under the quadratic
    cost, with the output bias set so that the output weighted input averages ``z0`` over the
    data: a saturated start for |z0| ≳ 4."""
    net = Network([1, HIDDEN, 1], output=output, cost="quadratic", seed=CURVE_SEED)
    hidden = net.forward(DATA_X)[0][1]
    net.biases[-1][:] = as_scalar(z0, "z0", func="initial_network") - (
        net.weights[-1] @ hidden).mean()
    return net


@dataclass(frozen=True)
class Run:
    """A training run: the cost and the flat parameters after each epoch (entry 0 before
    training), and the trained network."""

    cost: np.ndarray
    network: Network
    parameters: np.ndarray

    @property
    def output(self) -> str:
        """The kind of output layer, ``"linear"`` or ``"sigmoid"``."""
        return self.network.output.name

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.cost) - 1

    def predict(self, x: np.ndarray, epoch: int | None = None) -> np.ndarray:
        """The network's output for inputs ``x`` (shape (1, m)) after ``epoch`` epochs of
        the run (after all of them by default)."""
        if epoch is None or epoch == self.epochs:
            return self.network.feedforward(x)
        if isinstance(epoch, bool) or not isinstance(epoch, int | np.integer) \
                or not 0 <= epoch <= self.epochs:
            raise ValueError(f"Run.predict: argument 'epoch' must be an integer in "
                             f"0..{self.epochs} (got {epoch!r})")
        net = self.network.copy()
        net.set_flat_parameters(self.parameters[epoch])
        return net.feedforward(x)


def learning_curves(z0: float, eta: float, epochs: int) -> dict[str, Run]:
    """Linear and sigmoid outputs trained from the same start; keys ``"linear"``, ``"sigmoid"``.

    ``eta`` and ``epochs`` are checked by :meth:`Network.descend
    <nblib.network.network.Network.descend>`. Full-batch descent is the same sequence of
    steps however long it runs, so the first e epochs of a run are the run of e epochs,
    bit for bit: one long run serves every shorter one (``cost[:e + 1]``,
    ``predict(x, e)``).
    """
    z0 = as_scalar(z0, "z0", func="learning_curves")
    runs = {}
    for output in OUTPUTS:
        net = initial_network(z0, output)
        history = net.descend(DATA_X, DATA_Y, epochs, eta, parameters=True)
        runs[output] = Run(history.cost, net, history.parameters)
    return runs


# --------------------------------------------------------------------------- the slowdown

#: The update rules of :func:`neuron_descent`: (cost, reading of BP1) of each.
RULES = {"quadratic": ("quadratic", "cost"), "cross_entropy": ("cross_entropy", "cost"),
         "book_page": ("cross_entropy", "dC_da")}


@dataclass(frozen=True)
class Trajectory:
    """A run of the one-neuron demo: entry e is the state after e epochs (e = 0..epochs)."""

    rule: str
    eta: float
    w: np.ndarray
    b: np.ndarray
    output: np.ndarray
    cost: np.ndarray

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.output) - 1


def neuron_descent(w0: float, b0: float, eta: float, epochs: int = 300,
                   rule: str = "quadratic") -> Trajectory:
    """Gradient descent on the book's neuron (x = 1, y = 0), one step per epoch.

    The neuron is the [1, 1] :class:`~nblib.network.network.Network` with w = ``w0``,
    b = ``b0`` and sigmoid output, trained by :meth:`Network.descend
    <nblib.network.network.Network.descend>` (which checks ``eta`` and ``epochs``).
    ``rule``: ``"quadratic"`` steps by ∂C/∂w = ∂C/∂b = a σ′(z) and records C = a²/2;
    ``"cross_entropy"`` by the true gradient a (C = −ln(1 − a)); ``"book_page"`` by
    ∂C/∂a = 1/(1 − a) in place of δ (``output_error="dC_da"``), recording the
    cross-entropy it is meant to lower.
    """
    func = "neuron_descent"
    w0, b0 = as_scalar(w0, "w0", func=func), as_scalar(b0, "b0", func=func)
    if not isinstance(rule, str) or rule not in RULES:
        raise ValueError(f"{func}: argument 'rule' must be one of {tuple(RULES)} (got {rule!r})")
    cost, output_error = RULES[rule]
    # Under the book page's rule every step lowers z = w + b (y = 0, 1/(1 − a) > 0), so its
    # largest step, 1 + e^z, is the first.
    if rule == "book_page" and w0 + b0 > 700:
        # number(z, 4)'s format: nblib.reports.portable lies above the network, and an
        # error message needs no guard against rounding boundaries.
        raise ValueError(f"{func}: the book page's step 1/(1 − a) = 1 + e^z overflows "
                         f"at z = {w0 + b0:.4g}")
    net = Network([1, 1], cost=cost)
    net.weights[0][0, 0], net.biases[0][0, 0] = w0, b0
    history = net.descend(np.ones((1, 1)), np.zeros((1, 1)), epochs, eta,
                          output_error=output_error, outputs=True, parameters=True)
    return Trajectory(rule, float(eta), history.parameters[:, 0], history.parameters[:, 1],
                      history.outputs[:, 0, 0], history.cost)
