"""nblib: the helpers behind the Chapter 3 companion notebooks.

The notebooks import from here so their cells read like the book: the mathematics, one
call, the result.

* numerics: :mod:`nblib.activations`, :mod:`nblib.costs` (float64, stable, validated);
* proofs: :class:`Derivation` (every "=" checked), :mod:`nblib.symbolic` (σ and layers);
* checks: :mod:`nblib.checks` (finite differences, deterministic reports);
* networks: :class:`Network` (vectorised backprop and SGD, costs beside their δᴸ);
* figures: :mod:`nblib.explore` (one interactive pattern for every notebook).
"""

from nblib.activations import log_softmax, sigmoid, sigmoid_prime, softmax
from nblib.checks import (
    CheckReport,
    CheckResult,
    check_gradient,
    check_jacobian,
    check_values,
    numerical_gradient,
    numerical_jacobian,
)
from nblib.costs import (
    binary_entropy,
    cross_entropy,
    cross_entropy_from_z,
    log_likelihood,
    quadratic_cost,
    softplus,
)
from nblib.derivation import Derivation, StepError
from nblib.floats import float_warnings
from nblib.network import Network
from nblib.symbolic import sigma

__all__ = [
    "CheckReport",
    "CheckResult",
    "Derivation",
    "Network",
    "StepError",
    "binary_entropy",
    "check_gradient",
    "check_jacobian",
    "check_values",
    "cross_entropy",
    "cross_entropy_from_z",
    "float_warnings",
    "log_likelihood",
    "log_softmax",
    "numerical_gradient",
    "numerical_jacobian",
    "quadratic_cost",
    "sigma",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
    "softplus",
]
