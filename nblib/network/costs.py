"""Output activations and costs for :class:`~nblib.network.network.Network`, after network2.py.

Each output activation keeps its forward map and its derivative side by side; each cost
keeps its value ``fn`` and its output error ``delta`` side by side, so the algebra of the
book (δᴸ = aᴸ − y and friends) sits next to the code that uses it.

Layout: one column per example.  ``z``, ``a`` and ``y`` have shape ``(n_L, m)`` for a
mini-batch of m examples (a 1-d array of length n_L is read as a single example); the
output neurons run along axis 0.

Allowed pairs (anything else raises ``ValueError`` when the cost is built):

==========================  ======================================================
cost                        output layers it fits
==========================  ======================================================
:class:`QuadraticCost`      any: sigmoid, softmax, linear
:class:`CrossEntropyCost`   sigmoid only (each aⱼ must be a probability on its own)
:class:`LogLikelihoodCost`  softmax only (the outputs must form a distribution)
==========================  ======================================================
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from nblib.numerics.activations import (
    log_softmax,
    sigmoid,
    sigmoid_parts,
    sigmoid_prime,
    sigmoid_prime_from_parts,
    softmax,
    softmax_of_shifted,
)
from nblib.numerics.costs import cross_entropy, cross_entropy_from_z, log_likelihood, quadratic_cost
from nblib.numerics.validation import as_float_array, require_closed_unit, require_distribution

__all__ = [
    "COSTS",
    "OUTPUTS",
    "Cost",
    "CrossEntropyCost",
    "LinearOutput",
    "LogLikelihoodCost",
    "OutputActivation",
    "QuadraticCost",
    "SigmoidOutput",
    "SoftmaxOutput",
    "make_cost",
    "make_output",
]


# --------------------------------------------------------------------------- helpers


def _layer_array(x: Any, name: str, func: str) -> np.ndarray:
    """Validate one layer's values: a finite float64 array of shape (n,) or (n, m)."""
    arr = as_float_array(x, name, func=func)
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"{func}: argument '{name}' must have shape (n, m), one column per example, "
            f"or (n,) for one example (got shape {arr.shape})"
        )
    return arr


def _same_layout(arrays: dict[str, Any], func: str) -> list[np.ndarray]:
    """Validate several same-shaped layer arrays, named for the error messages."""
    names = list(arrays)
    out = [_layer_array(arrays[name], name, func) for name in names]
    for name, arr in zip(names[1:], out[1:], strict=True):
        if arr.shape != out[0].shape:
            raise ValueError(
                f"{func}: arguments '{names[0]}' and '{name}' must have the same shape "
                f"(got {out[0].shape} and {arr.shape})"
            )
    return out


# The training loop uses the unchecked kernels of nblib.numerics.activations directly: the caller
# guarantees finite float64 input and runs under np.errstate(under="ignore").


def _fast_sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z), unchecked."""
    return sigmoid_parts(z)[0]


def _fast_sigmoid_prime(z: np.ndarray) -> np.ndarray:
    """σ′(z), unchecked."""
    return sigmoid_prime_from_parts(*sigmoid_parts(z)[1:])


def _fast_softmax(z: np.ndarray) -> np.ndarray:
    """Softmax down the columns, unchecked."""
    return softmax_of_shifted(z - z.max(axis=0, keepdims=True), axis=0)


def _mean_over_examples(per_neuron: np.ndarray) -> float:
    """Sum a per-neuron cost over the neurons (axis 0), then average over the examples."""
    return float(np.mean(np.sum(per_neuron, axis=0)))


# --------------------------------------------------------------------------- outputs


class OutputActivation:
    """Activation f of the output layer: aᴸ = f(zᴸ), with its derivative next to it.

    Subclasses define :meth:`_forward` and :meth:`_backward` (unchecked, used in the
    training loop) and :meth:`derivative`; the public :meth:`forward` and
    :meth:`backward` validate their arguments first.
    """

    name: ClassVar[str] = ""

    def forward(self, z: Any) -> np.ndarray:
        """Return aᴸ = f(zᴸ) for weighted inputs ``z`` of shape (n_L, m) or (n_L,)."""
        raise NotImplementedError

    def derivative(self, z: Any) -> np.ndarray:
        """Return f′(z): elementwise for sigmoid and linear outputs (see subclasses)."""
        raise NotImplementedError

    def backward(self, z: Any, a: Any, grad_a: Any) -> np.ndarray:
        """Return ∂C/∂z from g = ∂C/∂a by the chain rule, (Jᵀg) per example.

        Parameters
        ----------
        z, a : array_like
            Weighted inputs and activations a = f(z) of the output layer, shape (n_L, m).
        grad_a : array_like
            ∂C/∂a, same shape.

        Returns
        -------
        numpy.ndarray
            ∂C/∂z, same shape: g·f′(z) for an elementwise f, Jᵀg for softmax.
        """
        func = f"{type(self).__name__}.backward"
        z, a, grad_a = _same_layout({"z": z, "a": a, "grad_a": grad_a}, func)
        with np.errstate(under="ignore"):
            return self._backward(z, a, grad_a)

    def _forward(self, z: np.ndarray) -> np.ndarray:
        """Unchecked f(z) for a validated array."""
        raise NotImplementedError

    def _forward_cached(self, z: np.ndarray) -> tuple[np.ndarray, Any]:
        """Unchecked f(z) plus whatever :meth:`_backward` can reuse (``None`` here)."""
        return self._forward(z), None

    def _backward(
        self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray, cache: Any = None
    ) -> np.ndarray:
        """Unchecked vector–Jacobian product for validated arrays (``cache`` is single-use)."""
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        """Two output activations are equal when they are of the same kind."""
        return type(other) is type(self)

    def __hash__(self) -> int:
        """Hash by kind, consistent with :meth:`__eq__`."""
        return hash(type(self))

    def __repr__(self) -> str:
        """E.g. ``SigmoidOutput()``."""
        return f"{type(self).__name__}()"


class SigmoidOutput(OutputActivation):
    """Sigmoid output neurons: a = σ(z), f′(z) = σ′(z) = σ(z)(1 − σ(z))."""

    name = "sigmoid"

    def forward(self, z: Any) -> np.ndarray:
        """Return σ(z), elementwise, stable for every finite z."""
        return sigmoid(_layer_array(z, "z", "SigmoidOutput.forward"))

    def _forward(self, z: np.ndarray) -> np.ndarray:
        """σ(z) by the same formula, unchecked."""
        return _fast_sigmoid(z)

    def derivative(self, z: Any) -> np.ndarray:
        """Return σ′(z), elementwise, with the shape of ``z``."""
        return sigmoid_prime(_layer_array(z, "z", "SigmoidOutput.derivative"))

    def _forward_cached(self, z: np.ndarray) -> tuple[np.ndarray, Any]:
        """σ(z), and (e^{−|z|}, 1 + e^{−|z|}) so that σ′ needs no second exp."""
        a, e, d = sigmoid_parts(z)
        return a, (e, d)

    def _backward(
        self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray, cache: Any = None
    ) -> np.ndarray:
        """g·σ′(z); σ′ from z (not a(1 − a)) keeps its relative accuracy when saturated."""
        sp = _fast_sigmoid_prime(z) if cache is None else sigmoid_prime_from_parts(*cache)
        return grad_a * sp


class LinearOutput(OutputActivation):
    """Linear output neurons (problem 2): a = z, f′(z) = 1."""

    name = "linear"

    def forward(self, z: Any) -> np.ndarray:
        """Return a = z (as a float64 array)."""
        return _layer_array(z, "z", "LinearOutput.forward")

    def _forward(self, z: np.ndarray) -> np.ndarray:
        """The identity: a = z (the same array, not a copy)."""
        return z

    def derivative(self, z: Any) -> np.ndarray:
        """Return f′(z) = 1, an array of ones with the shape of ``z``."""
        return np.ones_like(_layer_array(z, "z", "LinearOutput.derivative"))

    def _backward(
        self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray, cache: Any = None
    ) -> np.ndarray:
        """f′ = 1, so ∂C/∂z = ∂C/∂a."""
        return grad_a


class SoftmaxOutput(OutputActivation):
    """Softmax output layer: aⱼ = e^{zⱼ}/Σₖ e^{zₖ} over the neurons (axis 0) of each example.

    Softmax is not elementwise: its derivative is the Jacobian ∂aⱼ/∂zₖ = aⱼ(δⱼₖ − aₖ).
    """

    name = "softmax"

    def forward(self, z: Any) -> np.ndarray:
        """Return the softmax of each column (of ``z`` itself when 1-d)."""
        return softmax(_layer_array(z, "z", "SoftmaxOutput.forward"), axis=0)

    def _forward(self, z: np.ndarray) -> np.ndarray:
        """Softmax down each column by the same formula, unchecked."""
        return _fast_softmax(z)

    def derivative(self, z: Any) -> np.ndarray:
        """Return the Jacobian J[j, k] = ∂aⱼ/∂zₖ = aⱼ(δⱼₖ − aₖ).

        Shape (n, n) for z of shape (n,), and (n, n, m) for z of shape (n, m), i.e. one
        n×n Jacobian per example in ``J[:, :, x]``.
        """
        a = softmax(_layer_array(z, "z", "SoftmaxOutput.derivative"), axis=0)
        eye = np.eye(a.shape[0]).reshape((a.shape[0], a.shape[0]) + (1,) * (a.ndim - 1))
        return a[:, None] * (eye - a[None, :])

    def _backward(
        self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray, cache: Any = None
    ) -> np.ndarray:
        """Jᵀg with J = diag(a) − a aᵀ: (Jᵀg)ₖ = aₖ(gₖ − Σⱼ aⱼgⱼ), without forming J."""
        return a * (grad_a - np.sum(a * grad_a, axis=0, keepdims=True))


OUTPUTS: dict[str, type[OutputActivation]] = {
    "sigmoid": SigmoidOutput,
    "softmax": SoftmaxOutput,
    "linear": LinearOutput,
}


def make_output(output: Any, *, func: str, name: str = "output") -> OutputActivation:
    """Turn a name (``"sigmoid"``, ``"softmax"``, ``"linear"``), class or instance into an output.

    Raises ``TypeError``/``ValueError`` naming the argument for anything else.
    """
    if isinstance(output, OutputActivation):
        return output
    if isinstance(output, type) and issubclass(output, OutputActivation) and output.name:
        return output()
    if isinstance(output, str):
        if output in OUTPUTS:
            return OUTPUTS[output]()
        raise ValueError(
            f"{func}: argument '{name}' must be one of {sorted(OUTPUTS)} (got {output!r})"
        )
    raise TypeError(
        f"{func}: argument '{name}' must be a name such as 'sigmoid' or an OutputActivation "
        f"(got {type(output).__name__} {output!r})"
    )


# --------------------------------------------------------------------------- costs


class Cost:
    """A cost C together with its output error δᴸ = ∂C_x/∂zᴸ, bound to an output layer.

    Parameters
    ----------
    output : str, OutputActivation class or instance
        The output layer the cost is used with; a pair that does not fit (see the module
        docstring) raises ``ValueError``.
    func : str, optional
        Caller named in error messages (the :class:`~nblib.network.network.Network` passes its own).

    Notes
    -----
    ``fn(a, y, z)`` is the cost of a mini-batch: the per-example cost summed over the
    output neurons, averaged over the m examples.  ``delta(z, a, y)`` is the error of each
    example, one column per example, *not* divided by m; the gradient of the mean cost is
    the mean of the per-example gradients (see :meth:`nblib.network.network.Network.backprop`).
    """

    name: ClassVar[str] = ""
    #: Names of the output layers this cost fits; ``None`` means every one.
    allowed_outputs: ClassVar[tuple[str, ...] | None] = None
    #: Why other outputs do not fit, and what to use instead (for the error message).
    mismatch_hint: ClassVar[str] = ""
    default_output: ClassVar[str] = "sigmoid"

    def __init__(self, output: Any = None, *, func: str | None = None) -> None:
        """Bind the cost to ``output`` and check that the pair fits."""
        func = func or type(self).__name__
        self.output = make_output(self.default_output if output is None else output, func=func)
        if self.allowed_outputs is not None and self.output.name not in self.allowed_outputs:
            allowed = " or ".join(repr(name) for name in self.allowed_outputs)
            raise ValueError(
                f"{func}: arguments 'output' and 'cost' do not fit together: cost "
                f"{self.name!r} needs {allowed} outputs, not {self.output.name!r}; "
                f"{self.mismatch_hint}"
            )

    def fn(self, a: Any, y: Any, z: Any = None) -> float:
        """Return the mini-batch cost: the mean over examples of the per-example cost.

        Parameters
        ----------
        a, y : array_like
            Output activations and targets, shape (n_L, m) (or (n_L,) for one example).
        z : array_like, optional
            Weighted inputs with a = f(z); the logarithmic costs use it for a value that
            stays finite where a rounds to 0 or 1.
        """
        func = f"{type(self).__name__}.fn"
        named = {"a": a, "y": y} if z is None else {"a": a, "y": y, "z": z}
        arrays = _same_layout(named, func)
        self.check_targets(arrays[1], "y", func)
        return self._fn(arrays[0], arrays[1], None if z is None else arrays[2])

    def delta(self, z: Any, a: Any, y: Any) -> np.ndarray:
        """Return the output error δᴸ = ∂C_x/∂zᴸ of each example, shape of ``a``."""
        func = f"{type(self).__name__}.delta"
        z, a, y = _same_layout({"z": z, "a": a, "y": y}, func)
        self.check_targets(y, "y", func)
        with np.errstate(under="ignore"):
            return self._delta(z, a, y)

    def check_targets(self, y: np.ndarray, name: str, func: str) -> None:
        """Raise ``ValueError`` naming ``name`` if the targets do not suit this cost."""

    def _fn(self, a: np.ndarray, y: np.ndarray, z: np.ndarray | None) -> float:
        """Unchecked mini-batch cost of validated arrays."""
        raise NotImplementedError

    def _delta(
        self, z: np.ndarray, a: np.ndarray, y: np.ndarray, cache: Any = None
    ) -> np.ndarray:
        """Unchecked output error of validated arrays (the training loop calls this).

        Must return a new array (the training loop scales it in place); ``cache`` is what
        the output's ``_forward_cached`` returned, or ``None``.
        """
        raise NotImplementedError

    def __repr__(self) -> str:
        """E.g. ``CrossEntropyCost(output='sigmoid')``."""
        return f"{type(self).__name__}(output={self.output.name!r})"


class QuadraticCost(Cost):
    """C = ½‖a − y‖² per example; fits every output layer.

    δᴸ = (∂a/∂z)ᵀ(a − y): that is (a − y)·f′(z) for an elementwise f — (a − y)·σ′(z) for
    sigmoid outputs, a − y for linear ones (f′ = 1) — and a ⊙ ((a − y) − aᵀ(a − y)) for
    softmax outputs, whose Jacobian is not diagonal.
    """

    name = "quadratic"

    def _fn(self, a: np.ndarray, y: np.ndarray, z: np.ndarray | None) -> float:
        """½‖a − y‖² summed over the neurons, averaged over the examples."""
        return _mean_over_examples(quadratic_cost(a, y))

    def _delta(
        self, z: np.ndarray, a: np.ndarray, y: np.ndarray, cache: Any = None
    ) -> np.ndarray:
        """∂C/∂a = a − y, pulled back through the output activation."""
        return self.output._backward(z, a, a - y, cache)


class CrossEntropyCost(Cost):
    """C = −Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)] per example, on sigmoid outputs; δᴸ = a − y.

    The σ′(z) of the chain rule cancels against ∂C/∂a = (a − y)/(a(1 − a)), which is the
    point of the cross-entropy.  Targets must lie in [0, 1].
    """

    name = "cross_entropy"
    allowed_outputs = ("sigmoid",)
    mismatch_hint = (
        "the binary cross-entropy treats every output aⱼ as a probability of its own, "
        "which softmax outputs (coupled) and linear outputs (unbounded) are not; "
        "use cost='log_likelihood' with softmax outputs or cost='quadratic'"
    )

    def check_targets(self, y: np.ndarray, name: str, func: str) -> None:
        """Targets must lie in [0, 1]."""
        require_closed_unit(y, name, func=func)

    def _fn(self, a: np.ndarray, y: np.ndarray, z: np.ndarray | None) -> float:
        """From z with the stable softplus form when z is given, else from a."""
        per_neuron = cross_entropy(a, y) if z is None else cross_entropy_from_z(z, y)
        return _mean_over_examples(per_neuron)

    def _delta(
        self, z: np.ndarray, a: np.ndarray, y: np.ndarray, cache: Any = None
    ) -> np.ndarray:
        """δᴸ = a − y: no σ′ factor, so a saturated wrong neuron still learns fast."""
        return a - y


class LogLikelihoodCost(Cost):
    """C = −Σⱼ yⱼ ln aⱼ per example (−ln a_y for one-hot y), on softmax outputs; δᴸ = a − y.

    δᴸ = a − y needs Σⱼ yⱼ = 1 (in general δᴸᵢ = aᵢ Σⱼ yⱼ − yᵢ), so the targets must be
    distributions down each column: one-hot or soft labels.
    """

    name = "log_likelihood"
    allowed_outputs = ("softmax",)
    default_output = "softmax"
    mismatch_hint = (
        "−Σⱼ yⱼ ln aⱼ is a cost only when the outputs form a probability distribution; "
        "use cost='cross_entropy' with sigmoid outputs or cost='quadratic'"
    )

    def check_targets(self, y: np.ndarray, name: str, func: str) -> None:
        """Targets must be probability distributions along axis 0 (each column sums to 1)."""
        require_distribution(y, name, func=func, axis=0)

    def _fn(self, a: np.ndarray, y: np.ndarray, z: np.ndarray | None) -> float:
        """From log_softmax(z) when z is given (finite where a underflows to 0), else from a."""
        if z is None:
            return float(np.mean(log_likelihood(a, y, axis=0)))
        # 0·ln aⱼ counts as 0 even where ln aⱼ = −inf (an output beyond float64's range).
        terms = np.where(y > 0, y * log_softmax(z, axis=0), 0.0)
        return -_mean_over_examples(terms)

    def _delta(
        self, z: np.ndarray, a: np.ndarray, y: np.ndarray, cache: Any = None
    ) -> np.ndarray:
        """δᴸ = a − y for targets that sum to 1."""
        return a - y


COSTS: dict[str, type[Cost]] = {
    "quadratic": QuadraticCost,
    "cross_entropy": CrossEntropyCost,
    "log_likelihood": LogLikelihoodCost,
}


def make_cost(cost: Any, output: OutputActivation, *, func: str) -> Cost:
    """Turn a name, ``Cost`` subclass or instance into a cost bound to ``output``.

    Raises ``ValueError`` for a pair that does not fit (e.g. cross-entropy on softmax
    outputs) or an instance bound to a different output, ``TypeError`` for anything else.
    """
    if isinstance(cost, Cost):
        if cost.output != output:
            raise ValueError(
                f"{func}: argument 'cost' is bound to {cost.output.name!r} outputs but the "
                f"network has {output.name!r} outputs; pass the name {cost.name!r} instead"
            )
        return cost
    if isinstance(cost, type) and issubclass(cost, Cost) and cost.name:
        return cost(output, func=func)
    if isinstance(cost, str):
        if cost in COSTS:
            return COSTS[cost](output, func=func)
        raise ValueError(f"{func}: argument 'cost' must be one of {sorted(COSTS)} (got {cost!r})")
    raise TypeError(
        f"{func}: argument 'cost' must be a name such as 'quadratic' or a Cost class "
        f"(got {type(cost).__name__} {cost!r})"
    )
