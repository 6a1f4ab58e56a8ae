"""nblib: the helpers behind the Chapter 3 companion notebooks.

The notebooks import from here so their cells read like the book: the mathematics, one
call, the result. The names below come from the packages, whose imports run one way,
lowest first (``tests/test_layering.py`` holds them to it):

* :mod:`nblib.numerics`: float64 NumPy, stable and validated (activations, costs, the
  neuron, the softmax layer and its Jacobian);
* :mod:`nblib.reports`: finite-difference checks and reports that read alike on every CPU;
* :mod:`nblib.network`: :class:`Network` (vectorised backprop and SGD, costs beside their δᴸ);
* :mod:`nblib.proof`: SymPy proof tools, :class:`Derivation` (every "=" checked) and σ;
* :mod:`nblib.proofs`, one module per notebook, and :mod:`nblib.book`, the index and errata;
* :mod:`nblib.yourturn` and :mod:`nblib.explore`: the "Your turn" box and the figures.
"""

from nblib.network.network import Network
from nblib.numerics.activations import log_softmax, sigmoid, sigmoid_prime, softmax
from nblib.numerics.costs import (
    binary_entropy,
    cross_entropy,
    cross_entropy_from_z,
    log_likelihood,
    quadratic_cost,
    softplus,
)
from nblib.numerics.floats import float_warnings
from nblib.proof.derivation import Derivation, Remark, StepError
from nblib.proof.exercise import Exercise
from nblib.proof.symbolic import sigma
from nblib.reports.checks import (
    CheckReport,
    CheckResult,
    check_gradient,
    check_jacobian,
    check_values,
    numerical_gradient,
    numerical_jacobian,
)

__all__ = [
    "CheckReport",
    "CheckResult",
    "Derivation",
    "Exercise",
    "Network",
    "Remark",
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
