"""Output activations and costs for :class:`~nblib.network.network.Network`, after network2.py.

Each output activation keeps its forward map and its derivative side by side; each cost
keeps its value ``fn``, its gradient ``grad_a`` = ∂C_x/∂aᴸ and its output error ``delta`` =
δᴸ side by side, so the algebra of the book (δᴸ = aᴸ − y and friends) sits next to the code
that uses it.

These are the network's parts, as in network2.py. Each formula is written once, in a
private method (``_forward``, ``_delta``, …) that does the arithmetic on float64 arrays
:class:`~nblib.network.network.Network` has validated at its boundary (its public methods
check shapes, finiteness and the targets, with :meth:`Cost.check_targets`); the network
calls those. The public methods of the same names (``forward``, ``delta``, …) are for a
reader trying a part on its own: they validate their arguments as every public function of
nblib does (finite real arrays of one shape, activations in the output's range, targets
that suit the cost), then call the private one. Building a part is validated too:
:func:`make_output`, :func:`make_cost` and a cost's pairing with its output raise
``TypeError``/``ValueError`` naming the argument.

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
    log_softmax_of_shifted,
    shifted,
    sigmoid_error,
    sigmoid_parts,
    sigmoid_prime_from_parts,
    softmax_error,
    softmax_of_shifted,
    softplus_parts,
)
from nblib.numerics.validation import (
    as_float_array,
    require_closed_unit,
    require_distribution,
    require_finite_result,
    require_interval,
    require_same_shape,
    require_size,
)

__all__ = [
    "COSTS",
    "OUTPUTS",
    "TARGETS",
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


def _mean_over_examples(per_neuron: np.ndarray) -> float:
    """Sum a per-neuron cost over the neurons (axis 0), then average over the examples.

    The sum and the division of ``np.mean``, without its dispatch: the descent evaluates
    this once per epoch.
    """
    per_example = np.add.reduce(per_neuron, axis=0)
    return float(per_example.sum()) / per_example.size


def _layer_arrays(func: str, **arrays: Any) -> list[np.ndarray]:
    """Validate a part's arguments: finite float64 arrays of one shape, (n_L,) or (n_L, m)."""
    out = []
    for name, value in arrays.items():
        arr = as_float_array(value, name, func=func)
        if arr.ndim not in (1, 2):
            raise ValueError(f"{func}: argument '{name}' must have shape (n_L,) or (n_L, m), "
                             f"one column per example (got shape {arr.shape})")
        if out:
            require_same_shape(out[0], arr, (next(iter(arrays)), name), func=func)
        out.append(arr)
    return out


# --------------------------------------------------------------------------- outputs


class OutputActivation:
    """Activation f of the output layer: aᴸ = f(zᴸ), with its derivative next to it.

    Subclasses define ``_forward``, ``_derivative`` and ``_backward`` on validated float64
    arrays of shape (n_L, m) or (n_L,); the public :meth:`forward`, :meth:`derivative` and
    :meth:`backward` validate their arguments and call them.
    """

    name: ClassVar[str] = ""
    #: Whether every activation lies in [0, 1] (sigmoid, softmax), checked on a given ``a``.
    unit_range: ClassVar[bool] = True

    def _func(self, method: str) -> str:
        """The name of a public method for error messages, e.g. ``SigmoidOutput.backward``."""
        return f"{type(self).__name__}.{method}"

    def check_activations(self, a: np.ndarray, name: str, func: str) -> None:
        """Raise ``ValueError`` naming ``name`` if ``a`` cannot be this layer's output."""
        if self.unit_range:
            require_closed_unit(a, name, func=func)

    def forward(self, z: Any) -> np.ndarray:
        """Return aᴸ = f(zᴸ) for finite weighted inputs of shape (n_L,) or (n_L, m)."""
        (z,) = _layer_arrays(self._func("forward"), z=z)
        with np.errstate(under="ignore"):
            return self._forward(z)

    def derivative(self, z: Any) -> np.ndarray:
        """Return f′(z): elementwise for sigmoid and linear outputs (see subclasses)."""
        (z,) = _layer_arrays(self._func("derivative"), z=z)
        with np.errstate(under="ignore"):
            return self._derivative(z)

    def backward(self, z: Any, a: Any, grad_a: Any) -> np.ndarray:
        """Return ∂C/∂z from g = ∂C/∂a by the chain rule, (Jᵀg) per example.

        Parameters
        ----------
        z, a : array_like
            Weighted inputs and activations a = f(z) of the output layer, shape (n_L, m)
            or (n_L,); for sigmoid and softmax outputs every a lies in [0, 1].
        grad_a : array_like
            ∂C/∂a, same shape.

        Returns
        -------
        numpy.ndarray
            ∂C/∂z, same shape: g·f′(z) for an elementwise f, Jᵀg for softmax.

        Raises
        ------
        ValueError
            If an argument is not finite, the shapes differ, some a lies outside the
            output's range, or the result is outside float64's range.
        """
        func = self._func("backward")
        z, a, grad_a = _layer_arrays(func, z=z, a=a, grad_a=grad_a)
        self.check_activations(a, "a", func)
        with np.errstate(under="ignore", over="ignore", invalid="ignore"):
            return require_finite_result(self._backward(z, a, grad_a), func=func)

    def _forward(self, z: np.ndarray) -> np.ndarray:
        """Unchecked aᴸ = f(zᴸ)."""
        raise NotImplementedError

    def _derivative(self, z: np.ndarray) -> np.ndarray:
        """Unchecked f′(z)."""
        raise NotImplementedError

    def _backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """Unchecked ∂C/∂z from g = ∂C/∂a."""
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
    """Sigmoid output neurons: a = σ(z), f′(z) = σ′(z) = σ(z)(1 − σ(z)).

    σ and σ′ are nblib's stable kernels (:func:`nblib.numerics.activations.sigmoid_parts`),
    the same numbers as :func:`nblib.sigmoid` and :func:`nblib.sigmoid_prime`.
    """

    name = "sigmoid"

    def _forward(self, z: np.ndarray) -> np.ndarray:
        """σ(z), elementwise, stable for every finite z."""
        return sigmoid_parts(z)[0]

    def _derivative(self, z: np.ndarray) -> np.ndarray:
        """σ′(z) = e^{−|z|}/(1 + e^{−|z|})², elementwise, with the shape of ``z``."""
        return sigmoid_prime_from_parts(*sigmoid_parts(z)[1:])

    def _backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """g·σ′(z); σ′ from z (not a(1 − a)) keeps its relative accuracy when saturated."""
        return grad_a * self._derivative(z)


class LinearOutput(OutputActivation):
    """Linear output neurons (problem 2): a = z, f′(z) = 1."""

    name = "linear"
    unit_range = False

    def _forward(self, z: np.ndarray) -> np.ndarray:
        """The identity: a = z (the same array, not a copy)."""
        return z

    def _derivative(self, z: np.ndarray) -> np.ndarray:
        """f′(z) = 1, an array of ones with the shape of ``z``."""
        return np.ones_like(z)

    def _backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """f′ = 1, so ∂C/∂z = ∂C/∂a."""
        return grad_a


class SoftmaxOutput(OutputActivation):
    """Softmax output layer: aⱼ = e^{zⱼ}/Σₖ e^{zₖ} over the neurons (axis 0) of each example.

    Softmax is not elementwise: its derivative is the Jacobian ∂aⱼ/∂zₖ = aⱼ(δⱼₖ − aₖ).
    """

    name = "softmax"

    def derivative(self, z: Any) -> np.ndarray:
        """The Jacobian J[j, k] = ∂aⱼ/∂zₖ = aⱼ(δⱼₖ − aₖ).

        Shape (n, n) for z of shape (n,), and (n, n, m) for z of shape (n, m), i.e. one
        n×n Jacobian per example in ``J[:, :, x]``; at most
        :data:`~nblib.numerics.validation.MAX_ENTRIES` numbers in all.
        """
        func = self._func("derivative")
        (z,) = _layer_arrays(func, z=z)
        require_size(z.size * z.shape[0], "the Jacobians", func=func)
        with np.errstate(under="ignore"):
            return self._derivative(z)

    def _forward(self, z: np.ndarray) -> np.ndarray:
        """The softmax of each column (of ``z`` itself when 1-d), by nblib's stable kernel."""
        return softmax_of_shifted(shifted(z, axis=0), axis=0)

    def _derivative(self, z: np.ndarray) -> np.ndarray:
        """Unchecked Jacobians aⱼ(δⱼₖ − aₖ), one per example."""
        a = self._forward(z)
        eye = np.eye(a.shape[0]).reshape((a.shape[0], a.shape[0]) + (1,) * (a.ndim - 1))
        return a[:, None] * (eye - a[None, :])

    def _backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
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
    """A cost C together with ∂C_x/∂aᴸ and its output error δᴸ = ∂C_x/∂zᴸ, bound to an output.

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
    output neurons, averaged over the m examples.  ``grad_a(z, a, y)`` and
    ``delta(z, a, y)`` are per example, one column per example, *not* divided by m; the
    gradient of the mean cost is the mean of the per-example gradients (see
    :meth:`nblib.network.network.Network.backprop`).  ``delta`` returns a new array (the
    network scales it in place). Subclasses define ``_fn``, ``_grad_a`` and ``_delta`` on
    validated arrays; the public methods validate and call them.
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

    def check_targets(self, y: np.ndarray, name: str, func: str) -> None:
        """Raise ``ValueError`` naming ``name`` if the targets do not suit this cost.

        The network's boundary calls this once per call, on its validated targets.
        """

    def _checked(self, method: str, z: Any, a: Any, y: Any) -> tuple[np.ndarray, ...]:
        """Validate (z, a, y) for a public method: one shape, a in the output's range, targets
        that suit the cost."""
        func = f"{type(self).__name__}.{method}"
        z, a, y = _layer_arrays(func, z=z, a=a, y=y)
        self.output.check_activations(a, "a", func)
        self.check_targets(y, "y", func)
        return z, a, y

    def fn(self, a: Any, y: Any, z: Any) -> float:
        """The mini-batch cost: the mean over examples of the per-example cost.

        ``z`` are the weighted inputs with a = f(z); the logarithmic costs use them for a
        value that stays finite where a rounds to 0 or 1. Raises ``ValueError`` for
        arguments that do not fit (see :meth:`backward <OutputActivation.backward>`) or a
        cost beyond float64's range.
        """
        z, a, y = self._checked("fn", z, a, y)
        with np.errstate(under="ignore", over="ignore", invalid="ignore"):
            value = self._fn(a, y, z)
        return float(require_finite_result(np.float64(value), func=f"{type(self).__name__}.fn",
                                           what="the cost"))

    def grad_a(self, z: Any, a: Any, y: Any) -> np.ndarray:
        """∂C_x/∂aᴸ of each example, shape of ``a``."""
        z, a, y = self._checked("grad_a", z, a, y)
        with np.errstate(under="ignore", over="ignore", invalid="ignore", divide="ignore"):
            out = self._grad_a(z, a, y)
        return require_finite_result(out, func=f"{type(self).__name__}.grad_a")

    def delta(self, z: Any, a: Any, y: Any) -> np.ndarray:
        """The output error δᴸ = ∂C_x/∂zᴸ of each example (BP1), a new array."""
        z, a, y = self._checked("delta", z, a, y)
        with np.errstate(under="ignore", over="ignore", invalid="ignore"):
            out = self._delta(z, a, y)
        return require_finite_result(out, func=f"{type(self).__name__}.delta")

    def _fn(self, a: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
        """Unchecked mini-batch cost."""
        raise NotImplementedError

    def _grad_a(self, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Unchecked ∂C_x/∂aᴸ."""
        raise NotImplementedError

    def _delta(self, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Unchecked δᴸ."""
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

    def _fn(self, a: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
        """½‖a − y‖² summed over the neurons, averaged over the examples."""
        error = a - y
        return _mean_over_examples(0.5 * (error * error))

    def _grad_a(self, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∂C/∂a = a − y."""
        return a - y

    def _delta(self, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∂C/∂a = a − y, pulled back through the output activation."""
        return self.output._backward(z, a, self._grad_a(z, a, y))


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

    def _fn(self, a: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
        """From z in the stable softplus form y·softplus(−z) + (1 − y)·softplus(z)."""
        positive, negative = softplus_parts(z)
        return _mean_over_examples(y * negative + (1.0 - y) * positive)

    def _grad_a(self, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∂C/∂a = (a − y)/(a(1 − a)) = (1 − y)/(1 − a) − y/a.

        Written as the two fractions with 1 − a = σ(−z) taken from z, so that each keeps its
        relative accuracy where a rounds to 1 or to 0 (for y = 0 this is 1/(1 − a) = 1 + e^z,
        finite however negative z is); a term whose coefficient is 0 counts as 0.
        """
        one_minus_a = sigmoid_parts(-z)[0]
        away_from_0 = np.divide(1.0 - y, one_minus_a, out=np.zeros_like(a), where=y < 1)
        away_from_1 = np.divide(y, a, out=np.zeros_like(a), where=y > 0)
        return away_from_0 - away_from_1

    def _delta(self, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """δᴸ = a − y: no σ′ factor, so a saturated wrong neuron still learns fast.

        Computed by :func:`~nblib.numerics.activations.sigmoid_error`: for y ≥ ½ as
        (1 − y) − σ(−z), so an output saturated at a = 1.0 still gives −σ(−z) at y = 1
        (relative accuracy kept) where a − y would give 0.
        """
        return sigmoid_error(z, a, y)


#: What a :class:`LogLikelihoodCost` accepts as targets.
TARGETS = ("distributions", "nonnegative")


class LogLikelihoodCost(Cost):
    """C = −Σⱼ yⱼ ln aⱼ per example (−ln a_y for one-hot y), on softmax outputs.

    BP1 for this cost is δᴸ = aᴸ Σⱼ yⱼ − y for every y ≥ 0, which is aᴸ − y for targets
    that sum to 1 down each column. Those are the targets it accepts by default
    (``targets="distributions"``: one-hot or soft labels, δᴸ = aᴸ − y);
    ``targets="nonnegative"`` accepts any y ≥ 0, the form in which the second source
    writes the cost, with δᴸ in its general form.
    """

    name = "log_likelihood"
    allowed_outputs = ("softmax",)
    default_output = "softmax"
    mismatch_hint = (
        "−Σⱼ yⱼ ln aⱼ is a cost only when the outputs form a probability distribution; "
        "use cost='cross_entropy' with sigmoid outputs or cost='quadratic'"
    )

    def __init__(self, output: Any = None, *, targets: str = "distributions",
                 func: str | None = None) -> None:
        """Bind the cost to ``output``; ``targets`` is one of :data:`TARGETS`."""
        super().__init__(output, func=func)
        if targets not in TARGETS:
            raise ValueError(f"{func or type(self).__name__}: argument 'targets' must be one "
                             f"of {TARGETS} (got {targets!r})")
        self.targets = targets

    def check_targets(self, y: np.ndarray, name: str, func: str) -> None:
        """Targets must be distributions along axis 0, or (``"nonnegative"``) at least ≥ 0."""
        if self.targets == "distributions":
            require_distribution(y, name, func=func, axis=0)
        else:
            require_interval(y, name, func=func, low=0.0, high=np.inf, closed=(True, False),
                             why="the cost weighs ln aⱼ by yⱼ")

    def _fn(self, a: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
        """From log_softmax(z) (finite where a underflows to 0)."""
        # 0·ln aⱼ counts as 0 even where ln aⱼ = −inf (an output beyond float64's range).
        terms = np.where(y > 0, y * log_softmax_of_shifted(shifted(z, axis=0), axis=0), 0.0)
        return -_mean_over_examples(terms)

    def _grad_a(self, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∂C/∂a = −y/a, 0 where y = 0 (even where a underflowed to 0)."""
        return np.divide(-y, a, out=np.zeros_like(a), where=y > 0)

    def _delta(self, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """δᴸ = a Σⱼ yⱼ − y, BP1 for every y ≥ 0: a − y for distributions.

        Computed by :func:`~nblib.numerics.activations.softmax_error` as
        aⱼ Σ_{k≠j} yₖ − yⱼ Σ_{k≠j} aₖ, so for one-hot y the target's entry is −Σ_{k≠j} aₖ,
        accurate where a_ỹ rounds to 1 (and a_ỹ − 1 would be 0).
        """
        return softmax_error(a, y, axis=0)

    def __repr__(self) -> str:
        """E.g. ``LogLikelihoodCost(output='softmax')``, with ``targets`` when not the default."""
        extra = "" if self.targets == "distributions" else f", targets={self.targets!r}"
        return f"{type(self).__name__}(output={self.output.name!r}{extra})"


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
