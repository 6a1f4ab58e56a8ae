"""Hostile and extreme input at every public entry point of nblib.numerics and nblib.network
(and the reports and proof entry points that take a caller's numbers, sizes or expressions).

Each call either returns a finite result or raises a ``TypeError``/``ValueError`` whose
message starts with the name of the function called, raised from nblib's own code (not from
deep inside NumPy or SymPy). It runs with warnings as errors and ``np.errstate(all="raise")``,
so a RuntimeWarning or a floating-point exception anywhere fails the test. Hypothesis draws
every argument either from values that are valid for it or from :data:`HOSTILE`; the profile
is derandomized, so a run is the same on every machine.
"""

from __future__ import annotations

import dataclasses
import os
import traceback
import warnings
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nblib
from nblib.network import datasets, experiment
from nblib.network.costs import (
    CrossEntropyCost,
    LinearOutput,
    LogLikelihoodCost,
    QuadraticCost,
    SigmoidOutput,
    SoftmaxOutput,
)
from nblib.network.network import Network
from nblib.numerics import activations, costs, jacobians, layer, neuron, quadrature
from nblib.proof import notation, softmax, symbolic
from nblib.reports import checks, oracles

NBLIB = Path(nblib.__file__).resolve().parent
# FUZZ_EXAMPLES=400 for a deeper search by hand; the suite's 25 keep it to a few seconds.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None,
                derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])

x = sp.Symbol("x", real=True)


class _Odd:
    """An object that is no number, whose str() is code."""

    def __str__(self) -> str:
        return "__import__('os').getcwd()"


#: Values no argument should choke on: wrong kinds, wrong shapes, non-finite and extreme
#: numbers, huge sizes, strings that are code.
HOSTILE = [
    None, True, False, np.bool_(True), "0.5", b"1", "__import__('os').getcwd()", _Odd(),
    [0.5, True], [[0.5, False]], [[0.5], [0.5, 0.5]], [[[0.5]]], [], np.array([]),
    np.zeros((0, 3)), np.array([0.5, None], dtype=object), np.array([0.5, "a"], dtype=object),
    [0.5, "a"], 1 + 2j, np.array([1j, 0.5]), float("nan"), [0.5, np.nan], np.inf, -np.inf,
    [np.inf, 0.5], 5e-324, -5e-324, 1e-310, [1e-310, 2e-320], 1e300, -1e300, [1e300, -1e300],
    1e308, 10**20, -(10**20), 2**63, 10**400, 0, -1, 2, 0.0, 1.0, -1.0, 0.5,
    np.zeros(12_000), np.ones((2, 3, 4)), np.float32(0.5), np.int64(3), Fraction(1, 3),
    {"a": 1}, (0.5, 0.25), x, lambda t: t,
]


class Entry(NamedTuple):
    """One entry point: the name its messages start with, the call, valid values per argument."""

    name: str
    func: Callable[..., Any]
    valid: tuple[list[Any], ...]


def entry(name: str, func: Callable[..., Any], *valid: list[Any]) -> Entry:
    """An :class:`Entry`; each positional argument lists values valid for it."""
    return Entry(name, func, valid)


Z = [np.array([0.5, -2.0]), [3.0, 40.0], 0.25]
UNIT = [np.array([0.25, 0.75]), [0.5, 0.5], 0.5]
TARGETS = [np.array([0.0, 1.0]), [1.0, 0.0], 1.0]
DIST = [np.array([0.25, 0.75]), np.array([[0.5, 0.5], [1.0, 0.0]])]
COST = [["quadratic", "cross_entropy"][i] for i in range(2)]
SMALL = [1, 2, 3]


def _net(**kwargs: Any) -> Network:
    """A small network with its parameters set from a seed."""
    return Network([2, 3, 2], seed=0, **kwargs)


X2 = [np.array([[0.5, -1.0, 2.0], [0.0, 1.0, -3.0]]), np.zeros((2, 1))]
Y2 = [np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]), np.array([[0.5], [0.5]])]
Z2 = [np.array([[40.0, -3.0], [0.0, 800.0]]), np.array([1.0, -1.0])]
A2 = [np.array([[1.0, 0.25], [0.0, 0.75]]), np.array([0.5, 0.5])]
OH2 = [np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0.0, 1.0])]

ENTRIES = [
    # activations
    entry("sigmoid", activations.sigmoid, Z),
    entry("sigmoid_prime", activations.sigmoid_prime, Z),
    entry("softmax", activations.softmax, Z[:2], [1.0, -3.0, 1e300], [-1, 0]),
    entry("log_softmax", activations.log_softmax, Z[:2], [1.0, -3.0, 1e300], [-1, 0]),
    # costs
    entry("quadratic_cost", costs.quadratic_cost, UNIT, TARGETS),
    entry("cross_entropy", costs.cross_entropy, UNIT, TARGETS),
    entry("cross_entropy_from_z", costs.cross_entropy_from_z, Z[:2], TARGETS[:2]),
    entry("softplus", costs.softplus, Z),
    entry("log_likelihood", costs.log_likelihood, DIST, DIST, [-1, 0]),
    entry("binary_entropy", costs.binary_entropy, TARGETS),
    # the neuron
    entry("cost_from_z", neuron.cost_from_z, Z[:2], TARGETS[:2], COST),
    entry("cost_prime", neuron.cost_prime, UNIT, TARGETS, COST),
    entry("cost_second", neuron.cost_second, UNIT, TARGETS, COST),
    entry("kl_divergence", neuron.kl_divergence, TARGETS, UNIT),
    entry("swapped_cross_entropy", neuron.swapped_cross_entropy, UNIT, TARGETS),
    entry("cross_entropy_argmin", neuron.cross_entropy_argmin, TARGETS,
          [np.array([0.1, 0.5, 0.9])]),
    entry("cross_entropy_grid", neuron.cross_entropy_grid, [np.array([0.0, 0.5])],
          [np.array([0.1, 0.5, 0.9])]),
    entry("dcost_dz", neuron.dcost_dz, Z[:2], TARGETS[:2], COST),
    entry("first_float_where", neuron.first_float_where, [lambda v: v > 0.5], [0.0], [1.0]),
    entry("input_with_same_z", neuron.input_with_same_z, [[1.0, 2.0]], [[0.5, 0.25]], [0],
          [3.0], [1]),
    entry("neuron_cost", neuron.neuron_cost, [[0.6]], [[1.0]], [0.9], [0.0], COST),
    entry("weight_gradient", neuron.weight_gradient, [[0.6]], [[1.0]], [0.9], [0.0], COST),
    entry("weight_gradient_size", neuron.weight_gradient_size, Z, [0.0, 1.0], COST, [1.0]),
    # the cost rebuilt from its slope
    entry("cost_from_slope", quadrature.cost_from_slope, UNIT, TARGETS, [0.5, 0.25, 1e-300]),
    # the softmax layer
    entry("inverse_softmax", layer.inverse_softmax, DIST[:1], [0.0, 2.0], [-1]),
    entry("entropy", layer.entropy, DIST, [-1, 0]),
    entry("softmax_limit", layer.softmax_limit, Z[:2], [np.inf, -np.inf, 0], [-1]),
    entry("one_hot", layer.one_hot, [2, [0, 1], np.array([1, 0])], [3, 4]),
    entry("layer_cost", layer.layer_cost, [np.eye(2)], [np.zeros(2)], [np.ones(2)], [0, 1]),
    entry("layer_gradients", layer.layer_gradients, [np.eye(2)], [np.zeros(2)], [np.ones(2)],
          [0, 1]),
    # Jacobians
    entry("softmax_jacobian", jacobians.softmax_jacobian, Z[:2]),
    entry("jacobian_from_activations", jacobians.jacobian_from_activations, UNIT[:2]),
    entry("sigmoid_layer_jacobian", jacobians.sigmoid_layer_jacobian, Z[:2]),
    entry("softmax_sign_pattern", jacobians.softmax_sign_pattern, SMALL),
    entry("sign_pattern_holds", jacobians.sign_pattern_holds, [np.eye(2) - 0.5]),
    entry("ulps_from_one", jacobians.ulps_from_one, Z),
    # the network
    entry("Network", Network, [[2, 3, 2], [1, 1]], ["sigmoid", "softmax"],
          ["quadratic", "cross_entropy"], [0, 1]),
    entry("Network.from_parameters", Network.from_parameters, [[[[0.6]]], [np.eye(2)]],
          [[[0.9]], [np.zeros(2)]], ["sigmoid", "linear"], ["quadratic"]),
    entry("Network.feedforward", lambda X: _net().feedforward(X), X2),
    entry("Network.forward", lambda X: _net().forward(X), X2),
    entry("Network.cost", lambda X, Y: _net(cost="cross_entropy").cost(X, Y), X2, Y2),
    entry("Network.accuracy", lambda X, Y: _net().accuracy(X, Y), X2, Y2),
    entry("Network.output_error",
          lambda X, Y: _net(output="softmax", cost="log_likelihood").output_error(X, Y),
          X2, Y2[:1]),
    entry("Network.backprop", lambda X, Y, r: _net().backprop(X, Y, output_error=r), X2, Y2,
          ["cost", "a_minus_y", "dC_da"]),
    entry("Network.sgd_step", lambda X, Y, eta: _net().sgd_step(X, Y, eta), X2, Y2, [0.5, 3.0]),
    entry("Network.sgd_epoch", lambda X, Y, n, eta: _net().sgd_epoch(X, Y, n, eta), X2, Y2,
          [1, 2], [0.5]),
    entry("Network.train", lambda X, Y, e, n, eta: _net().train(X, Y, e, n, eta), X2, Y2,
          [1, 2], [2], [0.5]),
    entry("Network.descend", lambda X, Y, e, eta: _net().descend(X, Y, e, eta, outputs=True),
          X2, Y2, [1, 2], [0.5]),
    entry("Network.set_flat_parameters", lambda t: _net().set_flat_parameters(t),
          [np.zeros(17)]),
    entry("Network.set_parameters", lambda w, b: _net().set_parameters(w, b),
          [[np.ones((3, 2)), np.ones((2, 3))]], [[np.zeros(3), np.zeros(2)]]),
    entry("SigmoidOutput.forward", SigmoidOutput().forward, Z2),
    entry("SigmoidOutput.derivative", SigmoidOutput().derivative, Z2),
    entry("SigmoidOutput.backward", SigmoidOutput().backward, Z2[:1], A2[:1], Z2[:1]),
    entry("SoftmaxOutput.forward", SoftmaxOutput().forward, Z2),
    entry("SoftmaxOutput.derivative", SoftmaxOutput().derivative, Z2),
    entry("SoftmaxOutput.backward", SoftmaxOutput().backward, Z2[:1], A2[:1], Z2[:1]),
    entry("LinearOutput.backward", LinearOutput().backward, Z2[:1], Z2[:1], Z2[:1]),
    entry("CrossEntropyCost.delta", CrossEntropyCost().delta, Z2[:1], A2[:1], OH2[:1]),
    entry("CrossEntropyCost.grad_a", CrossEntropyCost().grad_a, Z2[:1], A2[:1], OH2[:1]),
    entry("CrossEntropyCost.fn", CrossEntropyCost().fn, A2[:1], OH2[:1], Z2[:1]),
    entry("LogLikelihoodCost.delta", LogLikelihoodCost().delta, Z2[:1], A2[:1], OH2[:1]),
    entry("LogLikelihoodCost.grad_a", LogLikelihoodCost().grad_a, Z2[:1], A2[:1], OH2[:1]),
    entry("QuadraticCost.delta", QuadraticCost("linear").delta, Z2[:1], Z2[:1], OH2[:1]),
    entry("QuadraticCost.fn", QuadraticCost("linear").fn, Z2[:1], OH2[:1], Z2[:1]),
    entry("spirals", datasets.spirals, [2, 5], [2, 3]),
    entry("blobs", datasets.blobs, [2, 5], [2, 3]),
    entry("digits", datasets.digits, [None, datasets.DIGITS_FILE], [datasets.DIGITS_SHA256]),
    entry("digit_images", datasets.digit_images, [None, str(datasets.DIGITS_FILE)],
          [datasets.DIGITS_SHA256.upper()]),
    entry("split", datasets.split, [datasets.blobs(2, 2)], [1, 3], [0, 5]),
    entry("digits_data", experiment.digits_data),
    entry("initial_network", experiment.initial_network, ["quadratic", "log_likelihood"],
          [0, 1]),
    entry("train_digits", experiment.train_digits, ["quadratic", "log_likelihood"],
          [0.5, 3.0], [1], [1, 2]),
    # reports
    entry("describe_bound", checks.describe_bound, [1e-8, 0.5, 4]),
    entry("relative_error", checks.relative_error, Z[:2], Z[:2]),
    entry("cross_entropy_reference", oracles.cross_entropy_reference, Z[:2], TARGETS[:2]),
    # proof: expressions and sizes
    entry("Derivation", nblib.Derivation, [x + 1, sp.Integer(2), 3]),
    entry("sigma", nblib.sigma, [x, sp.Integer(0), 2]),
    entry("named", notation.named, ["a_{1}"], [x**2, 1]),
    entry("z_vector", softmax.z_vector, SMALL),
    entry("symbols_vector", symbolic.symbols_vector, ["z"], SMALL),
    entry("weight_matrix", symbolic.weight_matrix, SMALL, SMALL),
    entry("softmax_a", softmax.softmax_a, [1, x], [2, 3]),
    entry("jacobian_in_activations", softmax.jacobian_in_activations, SMALL),
    entry("softmax_sum_derivation", softmax.softmax_sum_derivation, [1, 2]),
    entry("symbolic_softmax_jacobian", softmax.symbolic_softmax_jacobian, SMALL),
    entry("check_jacobian_signs", softmax.check_jacobian_signs, [1, 2]),
]

#: Entry points whose point is to show what float64 does to a formula as printed: they may
#: warn and return inf or NaN, but bad arguments still get a clear error.
OBSERVERS = [
    entry("textbook_cross_entropy", neuron.textbook_cross_entropy, [*UNIT, [1.0, 0.0]],
          TARGETS),
    entry("naive_softmax", jacobians.naive_softmax, [*Z[:2], [1000.0, 0.0]]),
]


#: Entry points whose exact value is +inf for some valid input, documented as such: the
#: swapped form −[a ln y + (1 − a) ln(1 − y)] takes ln 0 at y = 0 or 1 (exercise 2's point).
INFINITE_BY_DESIGN = {"swapped_cross_entropy"}


def _finite(value: Any, where: str) -> None:
    """Assert that every number in a result is finite (arrays, tuples, records, networks)."""
    ok = (lambda v: ~np.isnan(v)) if where in INFINITE_BY_DESIGN else np.isfinite
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc":
        assert ok(value).all(), f"{where}: non-finite result {value!r}"
    elif isinstance(value, float | np.floating):
        assert ok(value), f"{where}: non-finite result {value!r}"
    elif isinstance(value, Network):
        _finite(value.flat_parameters(), where)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _finite(getattr(value, field.name), f"{where}.{field.name}")
    elif isinstance(value, tuple | list):
        for item in value:
            _finite(item, where)


def _raised_in_nblib(exc: BaseException) -> bool:
    """Whether the frame that raised ``exc`` is nblib's own code."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and Path(frames[-1].filename).resolve().is_relative_to(NBLIB)


def _arguments(data: st.DataObject, spec: Entry) -> list[Any]:
    """Draw each argument from its valid values or from :data:`HOSTILE`."""
    return [data.draw(st.sampled_from(valid) | st.sampled_from(HOSTILE)) for valid in spec.valid]


def _clear_error(spec: Entry, exc: Exception, args: list[Any]) -> None:
    """Assert that ``exc`` is the clear error of nblib's validation, not a deep traceback."""
    message = str(exc)
    assert message.startswith(spec.name + ":"), (
        f"{spec.name}{tuple(args)!r:.300} raised {type(exc).__name__} without naming the "
        f"function: {message!r:.300}")
    assert _raised_in_nblib(exc), (
        f"{spec.name} raised {type(exc).__name__} from outside nblib: {message!r:.200}")


@pytest.mark.parametrize("spec", ENTRIES, ids=[e.name for e in ENTRIES])
@FUZZ
@given(data=st.data())
def test_clear_error_or_finite_result(spec, data):
    args = _arguments(data, spec)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        try:
            result = spec.func(*args)
        except (TypeError, ValueError) as exc:
            _clear_error(spec, exc, args)
            return
    _finite(result, spec.name)


@pytest.mark.parametrize("spec", OBSERVERS, ids=[e.name for e in OBSERVERS])
@FUZZ
@given(data=st.data())
def test_observers_refuse_bad_arguments_clearly(spec, data):
    args = _arguments(data, spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # they show float64's warnings
        try:
            spec.func(*args)
        except (TypeError, ValueError) as exc:
            _clear_error(spec, exc, args)


def test_every_public_function_of_numerics_and_network_is_fuzzed():
    # A public function added later must join ENTRIES (or OBSERVERS) to be covered.
    fuzzed = {e.name.split(".")[-1] for e in ENTRIES + OBSERVERS} | {"Network"}
    modules = (activations, costs, neuron, quadrature, layer, jacobians, datasets, experiment)
    public = {name for module in modules for name in module.__all__
              if callable(getattr(module, name)) and not isinstance(getattr(module, name), type)}
    assert public - fuzzed == set()
