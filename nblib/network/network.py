"""A small fully connected network trained by mini-batch SGD, after Nielsen's network2.py.

Conventions (the book's):

* **One column per example.**  A mini-batch ``X`` has shape ``(n_in, m)``, targets ``Y``
  shape ``(n_out, m)``; pass ``data.T`` if your examples are rows.
* ``weights[i]`` has shape ``(sizes[i+1], sizes[i])`` and ``biases[i]`` shape
  ``(sizes[i+1], 1)``: a column, so ``z = w @ a + b`` broadcasts it over the examples.
  Python index i counts from 0, so the book's wˡ, bˡ (layers 2..L) are ``weights[l − 2]``,
  ``biases[l − 2]``.  Training updates these arrays in place.
* Hidden layers are sigmoid; the output layer is sigmoid, softmax or linear, and the cost
  is quadratic, cross-entropy or log-likelihood (allowed pairs: see
  :mod:`nblib.network.costs`).
* C is the mean over the examples of the per-example cost; :meth:`Network.backprop`
  returns its gradient, computed for the whole mini-batch at once with matrix products
  (BP1–BP4 with one column per example), never with a Python loop over examples.
* Every random draw comes from a seeded ``numpy.random.Generator``: the initial weights
  and, unless ``train`` is given its own seed, the shuffling.  Each epoch draws
  ``rng.permutation(m)`` once and cuts it into consecutive mini-batches of
  ``batch_size`` examples (the last one may be smaller), as the book does.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import numbers
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, NamedTuple, TypeVar

import numpy as np

from nblib.network.costs import (
    Cost,
    CrossEntropyCost,
    LinearOutput,
    LogLikelihoodCost,
    OutputActivation,
    QuadraticCost,
    SigmoidOutput,
    SoftmaxOutput,
    make_cost,
    make_output,
)
from nblib.numerics.activations import sigmoid_parts, sigmoid_prime_from_parts
from nblib.numerics.validation import as_count, as_float_array, as_scalar, require_size

__all__ = [
    "HIDDEN_RULES",
    "MAX_EPOCHS",
    "OUTPUT_ERRORS",
    "CrossEntropyCost",
    "LinearOutput",
    "LogLikelihoodCost",
    "Network",
    "QuadraticCost",
    "SigmoidOutput",
    "SoftmaxOutput",
    "TrainingHistory",
]


_F = TypeVar("_F", bound=Callable[..., Any])

#: The most epochs :meth:`Network.train` and :meth:`Network.descend` run in one call. The
#: book's runs take a few hundred; a call that asks for more than a million is a typo (or
#: would keep the kernel busy for hours), and is refused before the first step. To watch a
#: long run, pass ``train`` a ``callback``: it is called after every epoch.
MAX_EPOCHS = 10**6


@contextlib.contextmanager
def _float64_guard(func: str) -> Iterator[None]:
    """Ignore underflow, and turn overflow, NaN and division by zero into a ``ValueError``.

    e^{−|z|} underflowing to 0 for a saturated neuron is the right limit, as in
    :mod:`nblib.numerics.activations`, whatever the caller's ``np.seterr``. Anything else
    means that a weighted input, an activation or the cost is beyond float64 (for example
    w = 1e200 applied to x = 1e200): an inf or NaN would be a wrong answer, so the caller
    gets an error naming the method instead.
    """
    with np.errstate(under="ignore", over="raise", invalid="raise", divide="raise"):
        try:
            yield
        except FloatingPointError as exc:
            raise ValueError(
                f"{func}: a weighted input, activation or cost is outside float64's range "
                f"({exc}); the parameters or inputs are too large for this network"
            ) from None


def _guarded(method: _F) -> _F:
    """Run a public method of :class:`Network` under :func:`_float64_guard`."""
    func = f"Network.{method.__name__}"

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        """Call the method under the guard."""
        with _float64_guard(func):
            return method(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


# --------------------------------------------------------------------------- validation


def _positive_int(value: Any, name: str, func: str) -> int:
    """Return ``value`` as a Python int ≥ 1, or raise naming the argument."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{func}: argument '{name}' must be an integer (got {type(value).__name__} {value!r})"
        )
    if value < 1:
        raise ValueError(f"{func}: argument '{name}' must be at least 1 (got {int(value)})")
    return int(value)


def _as_sizes(sizes: Any, func: str) -> list[int]:
    """Validate the layer sizes: at least two layers, each with at least one neuron."""
    if isinstance(sizes, str | bytes) or not isinstance(sizes, Sequence | np.ndarray):
        raise TypeError(
            f"{func}: argument 'sizes' must be a list of layer sizes such as [2, 30, 10] "
            f"(got {type(sizes).__name__} {sizes!r})"
        )
    if len(sizes) < 2:
        raise ValueError(
            f"{func}: argument 'sizes' needs at least 2 layers, input and output "
            f"(got {list(sizes)!r})"
        )
    return [_positive_int(n, f"sizes[{i}]", func) for i, n in enumerate(sizes)]


def _as_epochs(epochs: Any, func: str) -> int:
    """Validate a number of epochs: an integer from 1 to :data:`MAX_EPOCHS`."""
    return as_count(epochs, "epochs", func=func, minimum=1, maximum=MAX_EPOCHS,
                    limit="nblib.network.network.MAX_EPOCHS")


def _as_rng(seed: Any, name: str, func: str) -> np.random.Generator:
    """Return ``seed`` itself if it is a Generator, else a new Generator seeded with it."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"{func}: argument '{name}' must be an integer seed or a numpy.random.Generator "
            f"(got {type(seed).__name__} {seed!r})"
        )
    if seed < 0:
        raise ValueError(f"{func}: argument '{name}' must be a nonnegative seed (got {seed})")
    return np.random.default_rng(int(seed))


def _as_eta(eta: Any, func: str) -> float:
    """Validate the learning rate: a finite number > 0."""
    eta = as_scalar(eta, "eta", func=func)
    if eta <= 0:
        raise ValueError(f"{func}: argument 'eta' (the learning rate) must be positive (got {eta})")
    return eta


def _as_batch(x: Any, name: str, rows: int, what: str, func: str) -> np.ndarray:
    """Validate a batch: finite float64, shape (rows, m), one column per example."""
    arr = as_float_array(x, name, func=func)
    if arr.ndim != 2 or arr.shape[0] != rows:
        hint = ""
        if arr.ndim == 2 and arr.shape[1] == rows:
            hint = f"; your examples look like rows: pass {name}.T"
        elif arr.ndim == 1 and arr.shape[0] == rows:
            hint = f"; for a single example pass {name}.reshape({rows}, 1)"
        raise ValueError(
            f"{func}: argument '{name}' must have shape ({rows}, m), one column per example "
            f"with {rows} {what} (got shape {arr.shape}){hint}"
        )
    return arr


@contextlib.contextmanager
def _training(func: str) -> Iterator[None]:
    """Run training steps with overflow, invalid operations and division by zero raised,
    and report them as the run diverging (underflow stays quiet)."""
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        try:
            yield
        except (FloatingPointError, ValueError) as exc:
            raise ValueError(
                f"{func}: training diverged, the weighted inputs or parameters are no longer "
                f"finite ({exc}); argument 'eta' is probably too large for this network and data"
            ) from None


# --------------------------------------------------------------------------- readings

#: How BP1 starts (``output_error``): the cost's own δᴸ; the shortcut δᴸ = aᴸ − y, which is
#: the cost's δᴸ for (sigmoid, cross-entropy) and for (softmax, log-likelihood) with targets
#: that sum to 1; or ∂C/∂aᴸ taken for δᴸ, the chain rule's f′(zᴸ) left out (the update rule
#: of the book's web page for its cross-entropy demo).
OUTPUT_ERRORS = ("cost", "a_minus_y", "dC_da")
#: How BP2 carries δ back (``hidden``): ``"bp2"``, δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ); or
#: ``"as_written"``, the second source's instruction read literally, aˡ⁺¹(1 − aˡ⁺¹) put where
#: δˡ⁺¹ stands: δˡ = ((wˡ⁺¹)ᵀ (aˡ⁺¹ ⊙ (1 − aˡ⁺¹))) ⊙ σ′(zˡ). Only ``"bp2"`` is backpropagation.
HIDDEN_RULES = ("bp2", "as_written")


def _readings(output_error: Any, hidden: Any, func: str) -> dict[str, str]:
    """Validate the readings of BP1 and BP2: one of :data:`OUTPUT_ERRORS`, :data:`HIDDEN_RULES`."""
    for name, value, choices in (("output_error", output_error, OUTPUT_ERRORS),
                                 ("hidden", hidden, HIDDEN_RULES)):
        if not isinstance(value, str) or value not in choices:
            raise ValueError(
                f"{func}: argument '{name}' must be one of {choices} (got {value!r})")
    return {"output_error": output_error, "hidden": hidden}


class _Pass(NamedTuple):
    """What :meth:`Network._propagate` computed for one batch."""

    activations: list[np.ndarray]  # [a¹ = X, a², …, aᴸ]
    zs: list[np.ndarray]  # [z², …, zᴸ]
    delta: np.ndarray | None  # δᴸ of each example, unscaled; None without targets
    grad_w: list[np.ndarray]  # scale·∂C_x/∂wˡ summed over the examples (BP4), unless a step
    grad_b: list[np.ndarray]  # scale·∂C_x/∂bˡ summed over the examples (BP3), unless a step


# --------------------------------------------------------------------------- history


@dataclass(frozen=True)
class TrainingHistory:
    """What :meth:`Network.train` or :meth:`Network.descend` recorded.

    Attributes
    ----------
    cost : numpy.ndarray or None
        ``cost[e]`` is the cost on the whole training set after e epochs, e = 0..epochs
        (entry 0 is the starting cost); ``None`` when monitoring was off.
    accuracy : numpy.ndarray or None
        Same layout for :meth:`Network.accuracy`, when requested.
    outputs : numpy.ndarray or None
        :meth:`Network.descend` only: ``outputs[e]`` is aᴸ on the training set after e
        epochs, shape (epochs + 1, sizes[-1], m), when requested.
    parameters : numpy.ndarray or None
        :meth:`Network.descend` only: ``parameters[e]`` is :meth:`Network.flat_parameters`
        after e epochs, shape (epochs + 1, num_parameters), when requested.
    """

    cost: np.ndarray | None
    accuracy: np.ndarray | None = None
    outputs: np.ndarray | None = None
    parameters: np.ndarray | None = None


# --------------------------------------------------------------------------- network


class Network:
    """Fully connected network: sigmoid hidden layers, a chosen output layer and cost.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input first, e.g. ``[784, 30, 10]``; at least two layers.
    output : {"sigmoid", "softmax", "linear"} or OutputActivation
        Activation of the output layer.
    cost : {"quadratic", "cross_entropy", "log_likelihood"} or Cost subclass or instance
        Cost; quadratic fits every output, cross-entropy only sigmoid outputs,
        log-likelihood only softmax outputs (other pairs raise ``ValueError``).
    seed : int or numpy.random.Generator
        Source of the initial parameters and of the default shuffling.  Biases are drawn
        from N(0, 1), then weights from N(0, 1/n_in), layer by layer (network2's default
        initialiser).

    Attributes
    ----------
    sizes : list of int
    weights : list of numpy.ndarray
        ``weights[i]`` of shape (sizes[i+1], sizes[i]); updated in place by training.
    biases : list of numpy.ndarray
        ``biases[i]`` of shape (sizes[i+1], 1); updated in place by training.
    output : OutputActivation
    cost_function : Cost
        The cost object (its ``fn``, ``grad_a`` and ``delta``); :meth:`cost` evaluates it on
        data.
    rng : numpy.random.Generator

    Notes
    -----
    The forward pass and BP1–BP4 are written once, in :meth:`_propagate`; every method
    that computes (``forward``, ``cost``, ``backprop``, ``sgd_step``, ``train``,
    ``descend``, …) validates its arguments once and then calls it.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        output: str | type[OutputActivation] | OutputActivation = "sigmoid",
        cost: str | type[Cost] | Cost = "quadratic",
        seed: int | np.random.Generator = 0,
    ) -> None:
        """Build the network and draw its initial parameters."""
        func = "Network"
        self.sizes = _as_sizes(sizes, func)
        require_size(sum((n_in + 1) * n_out for n_in, n_out in pairwise(self.sizes)),
                     f"the weights and biases of sizes {self.sizes}", func=func)
        self.output = make_output(output, func=func)
        self.cost_function = make_cost(cost, self.output, func=func)
        self.rng = _as_rng(seed, "seed", func)
        self.biases = [self.rng.standard_normal((n, 1)) for n in self.sizes[1:]]
        self.weights = [
            self.rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)
            for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:], strict=True)
        ]

    # ----------------------------------------------------------------- parameters

    @classmethod
    def from_parameters(
        cls,
        weights: Sequence[Any],
        biases: Sequence[Any],
        output: str | type[OutputActivation] | OutputActivation = "sigmoid",
        cost: str | type[Cost] | Cost = "quadratic",
        seed: int | np.random.Generator = 0,
    ) -> Network:
        """Build a network with the given parameters (copied), e.g. the book's one neuron.

        ``Network.from_parameters([[[0.6]]], [[0.9]])`` is the neuron with w = 0.6,
        b = 0.9.  The sizes are read off the weights; each bias may have shape (n,) or
        (n, 1).  ``seed`` only drives the shuffling.
        """
        func = "Network.from_parameters"
        ws = _weight_list(weights, func)
        net = cls.__new__(cls)
        net.sizes = [ws[0].shape[1], *(w.shape[0] for w in ws)]
        net.output = make_output(output, func=func)
        net.cost_function = make_cost(cost, net.output, func=func)
        net.rng = _as_rng(seed, "seed", func)
        net.weights = [np.array(w, dtype=np.float64, order="C") for w in ws]
        net.biases = _bias_list(biases, net.sizes, func)
        return net

    def set_parameters(self, weights: Sequence[Any], biases: Sequence[Any]) -> None:
        """Replace every weight and bias with (copies of) the given arrays.

        Shapes must match ``sizes``: ``weights[i]`` (sizes[i+1], sizes[i]) and
        ``biases[i]`` (sizes[i+1], 1) or (sizes[i+1],).
        """
        func = "Network.set_parameters"
        ws = _weight_list(weights, func)
        if [w.shape for w in ws] != self._weight_shapes():
            raise ValueError(
                f"{func}: argument 'weights' must have shapes {self._weight_shapes()} for "
                f"sizes {self.sizes} (got {[w.shape for w in ws]})"
            )
        bs = _bias_list(biases, self.sizes, func)
        self.weights = [np.array(w, dtype=np.float64, order="C") for w in ws]
        self.biases = bs

    def _weight_shapes(self) -> list[tuple[int, int]]:
        """Shapes the weight matrices must have."""
        return list(zip(self.sizes[1:], self.sizes[:-1], strict=True))

    def copy(self) -> Network:
        """Return an independent copy: parameters, output, cost and generator state."""
        return copy.deepcopy(self)

    @property
    def num_layers(self) -> int:
        """Number of layers, input layer included (the book's L)."""
        return len(self.sizes)

    @property
    def num_parameters(self) -> int:
        """Total number of weights and biases."""
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases, strict=True))

    def flat_parameters(self) -> np.ndarray:
        """All parameters in one new vector: weights[0] (row-major), biases[0], weights[1], …."""
        return _flatten(self.weights, self.biases)

    def set_flat_parameters(self, theta: Any) -> None:
        """Set all parameters from a vector in the order of :meth:`flat_parameters`."""
        func = "Network.set_flat_parameters"
        theta = as_float_array(theta, "theta", func=func)
        if theta.shape != (self.num_parameters,):
            raise ValueError(
                f"{func}: argument 'theta' must have shape ({self.num_parameters},) for sizes "
                f"{self.sizes} (got {theta.shape})"
            )
        self._unflatten(theta.copy())

    def _unflatten(self, theta: np.ndarray) -> None:
        """Make the parameters views into a validated vector ``theta`` (no copy)."""
        weights, biases, start = [], [], 0
        for n_out, n_in in self._weight_shapes():
            weights.append(theta[start : start + n_out * n_in].reshape(n_out, n_in))
            start += n_out * n_in
            biases.append(theta[start : start + n_out].reshape(n_out, 1))
            start += n_out
        self.weights, self.biases = weights, biases

    def __repr__(self) -> str:
        """E.g. ``Network([2, 3, 1], output='sigmoid', cost='quadratic')``."""
        return (
            f"Network({self.sizes}, output={self.output.name!r}, "
            f"cost={self.cost_function.name!r})"
        )

    # ----------------------------------------------------------------- validation

    def _check_x(self, X: Any, func: str) -> np.ndarray:
        """Validate inputs: shape (sizes[0], m)."""
        return _as_batch(X, "X", self.sizes[0], "inputs", func)

    def _check_xy(self, X: Any, Y: Any, func: str) -> tuple[np.ndarray, np.ndarray]:
        """Validate a batch of inputs and targets against the layer sizes and the cost."""
        X = self._check_x(X, func)
        Y = _as_batch(Y, "Y", self.sizes[-1], "targets (one per output neuron)", func)
        if Y.shape[1] != X.shape[1]:
            raise ValueError(
                f"{func}: arguments 'X' and 'Y' must hold the same number of examples "
                f"(columns): got {X.shape[1]} and {Y.shape[1]}"
            )
        self.cost_function.check_targets(Y, "Y", func)
        return X, Y

    # ----------------------------------------------------------------- the one pass

    def _propagate(
        self,
        X: np.ndarray,
        Y: np.ndarray | None = None,
        scale: float = 0.0,
        *,
        step: bool = False,
        output_error: str = "cost",
        hidden: str = "bp2",
    ) -> _Pass:
        """The forward pass and BP1–BP4, the only ones in the package, on validated arrays.

        Forward: zˡ = wˡ aˡ⁻¹ + bˡ and aˡ = σ(zˡ) for the hidden layers, aᴸ = f(zᴸ) for the
        output, one column per example.  With targets ``Y``: δᴸ by BP1 (as ``output_error``
        reads it).  With a ``scale`` s ≠ 0 as well: Δᴸ = s·δᴸ carried back by BP2 (as
        ``hidden`` reads it), and per layer s·Δˡ (aˡ⁻¹)ᵀ (BP4) and the row sums of s·Δˡ
        (BP3): the gradient of the mean cost for s = 1/m, the step of gradient descent for
        s = η/m.  Every step after BP1 is linear in δ, so scaling δᴸ once scales them all.
        With ``step``, each layer's parameters are moved by −(its scaled gradient) as soon as
        its weights have carried δ one layer back, so BP2 always sees the weights before the
        step, and the gradients are not kept.  σ′ of the hidden layers reuses the e^{−|z|} of
        the forward pass.

        The caller has validated ``X``, ``Y`` and the readings, and runs this with underflow
        ignored (and, when training, overflow and invalid operations raised).
        """
        weights, biases = self.weights, self.biases
        last = len(weights) - 1
        activations, zs, parts = [X], [], []
        a = X
        for layer in range(last):
            z = weights[layer] @ a
            z += biases[layer]  # in place: z is a fresh array, so this saves one temporary
            a, e, d = sigmoid_parts(z)
            zs.append(z)
            activations.append(a)
            parts.append((e, d))
        z = weights[last] @ a
        z += biases[last]
        a = self.output._forward(z)
        zs.append(z)
        activations.append(a)
        if Y is None:
            return _Pass(activations, zs, None, [], [])
        if output_error == "cost":
            delta = self.cost_function._delta(z, a, Y)  # BP1
        elif output_error == "a_minus_y":
            delta = a - Y
        else:  # "dC_da": ∂C/∂aᴸ where BP1 has ∂C/∂aᴸ pulled back through f′(zᴸ)
            delta = self.cost_function._grad_a(z, a, Y)
        if not scale:
            return _Pass(activations, zs, delta, [], [])
        grad_w, grad_b = [], []
        carried = delta * scale
        for layer in range(last, -1, -1):
            w = weights[layer]
            step_w = carried @ activations[layer].T  # BP4
            step_b = np.add.reduce(carried, axis=1, keepdims=True)  # BP3
            if layer:  # BP2, with the weights before this step's update
                if hidden == "bp2":
                    carried = w.T @ carried
                else:  # as written: aˡ⁺¹(1 − aˡ⁺¹) where δˡ⁺¹ stands, scaled as δ is
                    a_next = activations[layer + 1]
                    carried = w.T @ ((a_next * (1.0 - a_next)) * scale)
                carried *= sigmoid_prime_from_parts(*parts[layer - 1])
            if step:  # the step is taken, not kept: its arrays are freed at once
                w -= step_w
                biases[layer] -= step_b
            else:
                grad_w.append(step_w)
                grad_b.append(step_b)
        grad_w.reverse()
        grad_b.reverse()
        return _Pass(activations, zs, delta, grad_w, grad_b)

    # ----------------------------------------------------------------- forward

    @_guarded
    def forward(self, X: Any) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Run a batch through the network.

        Parameters
        ----------
        X : array_like
            Inputs, shape (sizes[0], m): one column per example.

        Returns
        -------
        activations : list of numpy.ndarray
            [a¹ = X, a², …, aᴸ], ``activations[l]`` of shape (sizes[l], m).
        zs : list of numpy.ndarray
            [z², …, zᴸ], ``zs[l]`` the weighted input of layer l + 1, so
            ``activations[l + 1] = f(zs[l])``.
        """
        done = self._propagate(self._check_x(X, "Network.forward"))
        return done.activations, done.zs

    @_guarded
    def feedforward(self, X: Any) -> np.ndarray:
        """Return the output activations aᴸ, shape (sizes[-1], m), for inputs X (n_in, m)."""
        return self._propagate(self._check_x(X, "Network.feedforward")).activations[-1]

    @_guarded
    def cost(self, X: Any, Y: Any) -> float:
        """Return C: the per-example cost averaged over the m columns of X and Y.

        The logarithmic costs are evaluated from the output weighted inputs z, so they
        stay finite for saturated outputs.
        """
        X, Y = self._check_xy(X, Y, "Network.cost")
        done = self._propagate(X)
        return self.cost_function._fn(done.activations[-1], Y, done.zs[-1])

    @_guarded
    def accuracy(self, X: Any, Y: Any) -> float:
        """Fraction of examples classified right.

        With several outputs, an example is right when the largest output and the largest
        target are in the same row (ties go to the first); with one output, when a and y
        lie on the same side of ½.
        """
        X, Y = self._check_xy(X, Y, "Network.accuracy")
        return _fraction_right(self._propagate(X).activations[-1], Y)

    # ----------------------------------------------------------------- backprop

    @_guarded
    def output_error(self, X: Any, Y: Any) -> np.ndarray:
        """Return δᴸ = ∂C_x/∂zᴸ for every example, shape (sizes[-1], m) (BP1).

        This is the per-example error, not divided by m: (sigmoid, cross-entropy) and
        (softmax, log-likelihood) give aᴸ − y, (sigmoid, quadratic) gives (aᴸ − y)σ′(zᴸ).
        """
        X, Y = self._check_xy(X, Y, "Network.output_error")
        return self._propagate(X, Y).delta

    @_guarded
    def backprop(
        self, X: Any, Y: Any, *, output_error: str = "cost", hidden: str = "bp2"
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Gradient of the mini-batch cost C = (1/m) Σₓ Cₓ by backpropagation.

        Parameters
        ----------
        X, Y : array_like
            Inputs (sizes[0], m) and targets (sizes[-1], m), one column per example.
        output_error : {"cost", "a_minus_y", "dC_da"}
            How BP1 starts (see :data:`OUTPUT_ERRORS`): the cost's δᴸ, or one of the
            sources' readings that the notebooks test against finite differences.
        hidden : {"bp2", "as_written"}
            How BP2 carries δ back (see :data:`HIDDEN_RULES`).

        Returns
        -------
        grad_w, grad_b : list of numpy.ndarray
            ∂C/∂wˡ and ∂C/∂bˡ, shaped like ``weights`` and ``biases``.

        Notes
        -----
        With Δ the matrix whose columns are the examples' errors:
        Δᴸ from the cost (BP1); Δˡ = ((wˡ⁺¹)ᵀ Δˡ⁺¹) ⊙ σ′(zˡ) (BP2);
        ∂C/∂bˡ = mean of the columns of Δˡ (BP3); ∂C/∂wˡ = Δˡ (aˡ⁻¹)ᵀ / m (BP4).
        """
        func = "Network.backprop"
        X, Y = self._check_xy(X, Y, func)
        readings = _readings(output_error, hidden, func)
        done = self._propagate(X, Y, 1.0 / X.shape[1], **readings)
        return done.grad_w, done.grad_b

    def flat_gradient(
        self, X: Any, Y: Any, *, output_error: str = "cost", hidden: str = "bp2"
    ) -> np.ndarray:
        """:meth:`backprop` as one vector, in the order of :meth:`flat_parameters`."""
        return _flatten(*self.backprop(X, Y, output_error=output_error, hidden=hidden))

    @_guarded
    def gradient_check_functions(
        self, X: Any, Y: Any, *, output_error: str = "cost", hidden: str = "bp2"
    ) -> tuple[Callable[[np.ndarray], float], Callable[[np.ndarray], np.ndarray]]:
        """Return θ ↦ C(θ) and θ ↦ ∇C(θ) on the batch (X, Y), for ``check_gradient``.

        The readings go to :meth:`backprop`.  Both functions evaluate a private copy of the
        network, so ``self`` is never changed::

            f, grad = net.gradient_check_functions(X, Y)
            check_gradient(f, grad, net.flat_parameters(), name="backprop")
        """
        func = "Network.gradient_check_functions"
        X, Y = self._check_xy(X, Y, func)
        readings = _readings(output_error, hidden, func)
        scratch = self.copy()
        scale = 1.0 / X.shape[1]
        cost = scratch.cost_function

        def cost_at(theta: np.ndarray) -> float:
            """Cost of the network with parameters θ."""
            scratch._unflatten(theta)
            with _float64_guard(func):
                done = scratch._propagate(X)
                return cost._fn(done.activations[-1], Y, done.zs[-1])

        def gradient_at(theta: np.ndarray) -> np.ndarray:
            """Backprop gradient of the network with parameters θ."""
            scratch._unflatten(theta)
            with _float64_guard(func):
                done = scratch._propagate(X, Y, scale, **readings)
            return _flatten(done.grad_w, done.grad_b)

        return cost_at, gradient_at

    # ----------------------------------------------------------------- training

    @_guarded
    def sgd_step(self, X: Any, Y: Any, eta: float) -> None:
        """One gradient-descent step on the mini-batch (X, Y): w → w − η ∂C/∂w, b likewise.

        C is the mean cost over the batch, so η is per example as in the book's
        ``update_mini_batch``.  Parameters are updated in place.
        """
        func = "Network.sgd_step"
        X, Y = self._check_xy(X, Y, func)
        eta = _as_eta(eta, func)
        with _training(func):
            self._propagate(X, Y, eta / X.shape[1], step=True)

    def _epoch(
        self,
        source: tuple[np.ndarray, np.ndarray, bool],
        batch_size: int,
        eta: float,
        rng: np.random.Generator,
    ) -> None:
        """One epoch on validated data: shuffle with ``rng.permutation(m)``, one step per
        mini-batch.

        ``source`` comes from :func:`_batch_source`: the data with examples as rows or as
        columns, whichever makes gathering a mini-batch cheaper.
        """
        X, Y, rows = source
        m = X.shape[0] if rows else X.shape[1]
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            if rows:  # contiguous rows, then a transposed view: no second copy
                self._propagate(X[batch].T, Y[batch].T, eta / batch.size, step=True)
            else:
                self._propagate(X[:, batch], Y[:, batch], eta / batch.size, step=True)

    @_guarded
    def sgd_epoch(
        self,
        X: Any,
        Y: Any,
        batch_size: int,
        eta: float,
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """One epoch of mini-batch SGD: shuffle with ``rng.permutation(m)``, step per batch.

        ``seed`` gives the generator for the shuffle (an int seeds a new one); ``None``
        uses the network's own ``rng``.
        """
        func = "Network.sgd_epoch"
        X, Y = self._check_xy(X, Y, func)
        batch_size = _positive_int(batch_size, "batch_size", func)
        eta = _as_eta(eta, func)
        rng = self.rng if seed is None else _as_rng(seed, "seed", func)
        with _training(func):
            self._epoch(_batch_source(X, Y, epochs=1), batch_size, eta, rng)

    def train(
        self,
        X: Any,
        Y: Any,
        epochs: int,
        batch_size: int,
        eta: float,
        seed: int | np.random.Generator | None = None,
        *,
        monitor: bool = True,
        accuracy: bool = False,
        callback: Callable[[int, Network], None] | None = None,
    ) -> TrainingHistory:
        """Train by mini-batch SGD for ``epochs`` epochs and return the learning curve.

        Parameters
        ----------
        X, Y : array_like
            Training inputs (sizes[0], m) and targets (sizes[-1], m), one column per example.
        epochs, batch_size : int
            Positive integers, epochs at most :data:`MAX_EPOCHS`; a batch larger than m
            means full-batch gradient descent.
        eta : float
            Learning rate, finite and positive.
        seed : int, numpy.random.Generator or None
            Shuffling: an int seeds a fresh generator (so the same call gives the same
            run), a Generator is used as is, ``None`` uses the network's ``rng``.
        monitor : bool
            Record the cost on (X, Y) before training and after every epoch (one extra
            forward pass per epoch).
        accuracy : bool
            Also record :meth:`accuracy` on (X, Y) (from the same forward pass).
        callback : callable, optional
            Called as ``callback(epoch, network)`` after every epoch (epoch = 1..epochs),
            e.g. to show progress: ``callback=lambda e, net: print(e, end=" ")``.

        Returns
        -------
        TrainingHistory
            ``cost`` (and ``accuracy``) arrays of length epochs + 1, entry e after e epochs.
        """
        func = "Network.train"
        X, Y = self._check_xy(X, Y, func)
        epochs = _as_epochs(epochs, func)
        batch_size = _positive_int(batch_size, "batch_size", func)
        eta = _as_eta(eta, func)
        rng = self.rng if seed is None else _as_rng(seed, "seed", func)
        if callback is not None and not callable(callback):
            raise TypeError(f"{func}: argument 'callback' must be callable or None")
        costs: list[float] = []
        accuracies: list[float] = []

        def record() -> None:
            """Append the current cost (and accuracy) on the training data."""
            if monitor or accuracy:
                done = self._propagate(X)
            if monitor:
                costs.append(self.cost_function._fn(done.activations[-1], Y, done.zs[-1]))
            if accuracy:
                accuracies.append(_fraction_right(done.activations[-1], Y))

        source = _batch_source(X, Y, epochs)
        with _float64_guard(func):
            record()
        for epoch in range(1, epochs + 1):
            with _training(func):
                self._epoch(source, batch_size, eta, rng)
                record()
            if callback is not None:  # outside, under the caller's float settings
                callback(epoch, self)
        return TrainingHistory(
            cost=np.array(costs) if monitor else None,
            accuracy=np.array(accuracies) if accuracy else None,
        )

    @_guarded
    def descend(
        self,
        X: Any,
        Y: Any,
        epochs: int,
        eta: float,
        *,
        output_error: str = "cost",
        hidden: str = "bp2",
        outputs: bool = False,
        parameters: bool = False,
    ) -> TrainingHistory:
        """Full-batch gradient descent: ``epochs`` steps θ → θ − η ∇C(θ) on all of (X, Y).

        No shuffling and no mini-batches: each epoch is one :meth:`sgd_step` on the whole
        data, and the cost of every epoch comes from that step's own forward pass (the
        explorers' learning curves: Problem 2's and the slowdown demo's).

        Parameters
        ----------
        X, Y : array_like
            Training inputs (sizes[0], m) and targets (sizes[-1], m).
        epochs : int
            Number of steps, from 1 to :data:`MAX_EPOCHS`.
        eta : float
            Learning rate, finite and positive.
        output_error, hidden : str
            Readings of BP1 and BP2, as in :meth:`backprop` (``output_error="dC_da"``
            steps by ∂C/∂aᴸ, the update rule of the book's web page).
        outputs, parameters : bool
            Also record aᴸ on (X, Y), and the flat parameters, after every epoch.

        Returns
        -------
        TrainingHistory
            ``cost`` of length epochs + 1 (entry e after e epochs), and ``outputs`` and
            ``parameters`` when requested.
        """
        func = "Network.descend"
        X, Y = self._check_xy(X, Y, func)
        epochs = _as_epochs(epochs, func)
        if outputs:
            require_size((epochs + 1) * Y.size, "the recorded outputs", func=func)
        if parameters:
            require_size((epochs + 1) * self.num_parameters, "the recorded parameters",
                         func=func)
        eta = _as_eta(eta, func)
        readings = _readings(output_error, hidden, func)
        scale = eta / X.shape[1]
        fn = self.cost_function._fn
        costs, activations, thetas = [], [], []
        with _training(func):
            for epoch in range(epochs + 1):
                if parameters:
                    thetas.append(self.flat_parameters())
                # Each pass measures the parameters it then steps from; the last one, after
                # the last step, only measures.
                done = (self._propagate(X) if epoch == epochs else
                        self._propagate(X, Y, scale, step=True, **readings))
                costs.append(fn(done.activations[-1], Y, done.zs[-1]))
                if outputs:
                    activations.append(done.activations[-1])
        return TrainingHistory(
            cost=np.array(costs),
            outputs=np.array(activations) if outputs else None,
            parameters=np.array(thetas) if parameters else None,
        )


# --------------------------------------------------------------------------- helpers


def _fraction_right(a: np.ndarray, Y: np.ndarray) -> float:
    """Fraction of the columns classified right (see :meth:`Network.accuracy`)."""
    if a.shape[0] == 1:
        right = (a[0] > 0.5) == (Y[0] > 0.5)
    else:
        right = np.argmax(a, axis=0) == np.argmax(Y, axis=0)
    return float(np.mean(right))


def _flatten(weights: list[np.ndarray], biases: list[np.ndarray]) -> np.ndarray:
    """Per layer wˡ (row-major) then bˡ, in one new vector."""
    return np.concatenate([p.ravel() for w, b in zip(weights, biases, strict=True)
                           for p in (w, b)])


def _batch_source(X: np.ndarray, Y: np.ndarray, epochs: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """Choose how mini-batches are gathered: ``(X, Y, False)`` or ``(X.T, Y.T, True)``.

    Taking scattered columns of a row-major array touches every row of it; taking rows of
    its transpose copies contiguous blocks and is several times faster, but making that
    transposed copy costs about as much as one epoch of column gathers.  So: rows when
    X.T is contiguous already (X was built as ``data.T``) or when several epochs share the
    copy, columns otherwise.  Either way the mini-batches are the same.
    """
    if X.flags.f_contiguous or epochs > 1:
        return np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T), True
    return X, Y, False


# --------------------------------------------------------------------------- parameter lists


def _weight_list(weights: Any, func: str) -> list[np.ndarray]:
    """Validate a list of weight matrices whose shapes chain: (n₂, n₁), (n₃, n₂), …."""
    if isinstance(weights, str | bytes | np.ndarray) or not isinstance(weights, Sequence):
        raise TypeError(
            f"{func}: argument 'weights' must be a list of 2-d arrays, one per layer "
            f"(got {type(weights).__name__})"
        )
    if len(weights) == 0:
        raise ValueError(f"{func}: argument 'weights' needs at least one matrix")
    out = []
    for i, w in enumerate(weights):
        arr = as_float_array(w, f"weights[{i}]", func=func)
        if arr.ndim != 2:
            raise ValueError(
                f"{func}: argument 'weights[{i}]' must be a 2-d matrix (n_out, n_in) "
                f"(got shape {arr.shape})"
            )
        if out and arr.shape[1] != out[-1].shape[0]:
            raise ValueError(
                f"{func}: argument 'weights[{i}]' has shape {arr.shape}, but the layer before "
                f"has {out[-1].shape[0]} neurons, so it needs {out[-1].shape[0]} columns"
            )
        out.append(arr)
    return out


def _bias_list(biases: Any, sizes: list[int], func: str) -> list[np.ndarray]:
    """Validate biases against the sizes; return fresh (n, 1) float64 columns."""
    if isinstance(biases, str | bytes | np.ndarray) or not isinstance(biases, Sequence):
        raise TypeError(
            f"{func}: argument 'biases' must be a list of arrays, one per layer "
            f"(got {type(biases).__name__})"
        )
    if len(biases) != len(sizes) - 1:
        raise ValueError(
            f"{func}: argument 'biases' must hold {len(sizes) - 1} arrays, one per "
            f"non-input layer (got {len(biases)})"
        )
    out = []
    for i, (b, n) in enumerate(zip(biases, sizes[1:], strict=True)):
        arr = as_float_array(b, f"biases[{i}]", func=func)
        if arr.shape not in ((n,), (n, 1)):
            raise ValueError(
                f"{func}: argument 'biases[{i}]' must have shape ({n}, 1) or ({n},) "
                f"(got {arr.shape})"
            )
        out.append(np.array(arr, dtype=np.float64).reshape(n, 1))
    return out
