"""Tests for nblib.network: backprop against finite differences and against the book's loop.

The reference below is written the way the book's network.py does it: one example at a
time, its own backprop per example, gradients summed over the mini-batch and the update
w − (η/m)·Σ∇.  It shares no code with nblib.network beyond the activation functions; its
switches ``hidden`` and ``delta`` write out, per example, the sources' readings that
Network.backprop takes as arguments.
"""

import math

import numpy as np
import pytest

from nblib.network.costs import make_cost
from nblib.network.network import (
    CrossEntropyCost,
    LinearOutput,
    LogLikelihoodCost,
    Network,
    QuadraticCost,
    SigmoidOutput,
    SoftmaxOutput,
    TrainingHistory,
)
from nblib.numerics.activations import log_softmax, sigmoid, sigmoid_prime, softmax
from nblib.reports.checks import check_gradient, check_jacobian, numerical_derivative

PAIRS = [
    ("sigmoid", "quadratic"),
    ("softmax", "quadratic"),
    ("linear", "quadratic"),
    ("sigmoid", "cross_entropy"),
    ("softmax", "log_likelihood"),
]
BAD_PAIRS = [
    ("softmax", "cross_entropy"),
    ("linear", "cross_entropy"),
    ("sigmoid", "log_likelihood"),
    ("linear", "log_likelihood"),
]
SIZES = [3, 4, 5, 3]


def make_targets(output, kind, n, m, rng):
    """One-hot columns, or soft ones that suit the output layer."""
    if kind == "one_hot":
        return np.eye(n)[:, rng.integers(0, n, m)]
    if output == "softmax":
        return rng.dirichlet(np.ones(n), size=m).T  # each column a distribution
    if output == "linear":
        return rng.normal(size=(n, m))  # any real targets
    return rng.random((n, m))


def batch(output, kind="soft", m=7, seed=0, sizes=SIZES):
    """Random inputs and targets, one column per example."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(sizes[0], m)), make_targets(output, kind, sizes[-1], m, rng)


# --------------------------------------------------------------------------- reference


def ref_output(output, z):
    """Output activation of one example (a column)."""
    if output == "sigmoid":
        return sigmoid(z)
    if output == "softmax":
        return softmax(z, axis=0)
    return z.copy()


def ref_delta(output, cost, z, a, y):
    """δᴸ of one example from the closed forms, the softmax Jacobian written out."""
    if cost in ("cross_entropy", "log_likelihood"):
        return a - y
    if output == "sigmoid":
        return (a - y) * sigmoid_prime(z)
    if output == "linear":
        return a - y
    jacobian = np.diagflat(a) - a @ a.T  # ∂aⱼ/∂zₖ = aⱼ(δⱼₖ − aₖ)
    return jacobian.T @ (a - y)


def ref_cost(output, cost, a, y):
    """Per-example cost of one example, from the activations."""
    if cost == "quadratic":
        return 0.5 * float(np.sum((a - y) ** 2))
    if cost == "cross_entropy":
        return -float(np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)))
    return -float(np.sum(y * np.log(a)))


def ref_backprop(weights, biases, x, y, output, cost, delta=None, hidden="bp2"):
    """The book's backprop for one example x (a column).

    ``delta`` replaces BP1 by a function of (z, a, y); ``hidden="as_written"`` puts
    a^{l+1}(1 − a^{l+1}) where BP2 has δ^{l+1}.
    """
    nabla_b = [np.zeros(b.shape) for b in biases]
    nabla_w = [np.zeros(w.shape) for w in weights]
    activation, activations, zs = x, [x], []
    for i, (b, w) in enumerate(zip(biases, weights, strict=True)):
        z = np.dot(w, activation) + b
        zs.append(z)
        activation = ref_output(output, z) if i == len(weights) - 1 else sigmoid(z)
        activations.append(activation)
    if delta is None:
        delta = ref_delta(output, cost, zs[-1], activations[-1], y)
    else:
        delta = delta(zs[-1], activations[-1], y)
    nabla_b[-1] = delta
    nabla_w[-1] = np.dot(delta, activations[-2].transpose())
    for layer in range(2, len(weights) + 1):
        carried = delta
        if hidden == "as_written":
            carried = activations[-layer + 1] * (1 - activations[-layer + 1])
        delta = np.dot(weights[-layer + 1].transpose(), carried) * sigmoid_prime(zs[-layer])
        nabla_b[-layer] = delta
        nabla_w[-layer] = np.dot(delta, activations[-layer - 1].transpose())
    return nabla_b, nabla_w


def ref_update_mini_batch(weights, biases, mini_batch, eta, output, cost):
    """The book's update_mini_batch: sum the per-example gradients, step by η/m."""
    nabla_b = [np.zeros(b.shape) for b in biases]
    nabla_w = [np.zeros(w.shape) for w in weights]
    for x, y in mini_batch:
        delta_nabla_b, delta_nabla_w = ref_backprop(weights, biases, x, y, output, cost)
        nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b, strict=True)]
        nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w, strict=True)]
    m = len(mini_batch)
    weights = [w - (eta / m) * nw for w, nw in zip(weights, nabla_w, strict=True)]
    biases = [b - (eta / m) * nb for b, nb in zip(biases, nabla_b, strict=True)]
    return weights, biases


def ref_sgd(net, X, Y, epochs, batch_size, eta, seed):
    """The book's SGD, shuffling with the documented rule rng.permutation(m) per epoch."""
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    output, cost = net.output.name, net.cost_function.name
    data = [(X[:, [i]], Y[:, [i]]) for i in range(X.shape[1])]
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        shuffled = [data[i] for i in rng.permutation(len(data))]
        for k in range(0, len(data), batch_size):
            weights, biases = ref_update_mini_batch(
                weights, biases, shuffled[k : k + batch_size], eta, output, cost
            )
    return weights, biases


def ref_mean_gradient(net, X, Y, **readings):
    """Mean over the examples of the book's per-example gradients."""
    output, cost = net.output.name, net.cost_function.name
    grads = [ref_backprop(net.weights, net.biases, X[:, [i]], Y[:, [i]], output, cost,
                          **readings)
             for i in range(X.shape[1])]
    grad_b = [np.mean([g[0][k] for g in grads], axis=0) for k in range(len(net.biases))]
    grad_w = [np.mean([g[1][k] for g in grads], axis=0) for k in range(len(net.weights))]
    return grad_w, grad_b


def max_abs_diff(left, right):
    """Largest |difference| over two lists of arrays of matching shapes."""
    assert [a.shape for a in left] == [b.shape for b in right]
    return max(float(np.max(np.abs(a - b))) for a, b in zip(left, right, strict=True))


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("kind", ["soft", "one_hot"])
@pytest.mark.parametrize(("output", "cost"), PAIRS)
def test_backprop_matches_central_differences(output, cost, kind):
    net = Network(SIZES, output=output, cost=cost, seed=5)
    X, Y = batch(output, kind, seed=6)
    f, grad = net.gradient_check_functions(X, Y)
    # With h = 1e-5 central differences are good to ~3e-11 absolute (rounding ε·C/h and
    # truncation h²·C‴ balance), so entries below 1e-4 are compared in absolute terms
    # (floor): |error| ≤ 1e-10 there, relative error ≤ 1e-6 above.
    result = check_gradient(f, grad, net.flat_parameters(), name=f"{output}/{cost}/{kind}",
                            tol=1e-6, h=1e-5, floor=1e-4)
    assert result.passed, result.line()
    assert net.num_parameters == net.flat_parameters().size == 4 * 3 + 4 + 5 * 4 + 5 + 3 * 5 + 3


@pytest.mark.parametrize(("output", "cost"), PAIRS)
def test_backprop_matches_per_example_reference(output, cost):
    net = Network([4, 6, 5, 3], output=output, cost=cost, seed=1)
    X, Y = batch(output, m=9, seed=2, sizes=[4, 6, 5, 3])
    grad_w, grad_b = net.backprop(X, Y)
    ref_w, ref_b = ref_mean_gradient(net, X, Y)
    assert max_abs_diff(grad_w + grad_b, ref_w + ref_b) < 1e-14
    flat = net.flat_gradient(X, Y)
    assert np.array_equal(flat, np.concatenate([p.ravel() for w, b in zip(grad_w, grad_b,
                                                                            strict=True)
                                                for p in (w, b)]))


def ref_grad_a(cost):
    """∂C_x/∂a of one example, from the closed forms."""
    return {"quadratic": lambda z, a, y: a - y,
            "cross_entropy": lambda z, a, y: (a - y) / (a * (1 - a)),
            "log_likelihood": lambda z, a, y: -y / a}[cost]


@pytest.mark.parametrize(("output", "cost"), PAIRS)
def test_backprop_readings_match_per_example_reference(output, cost):
    # The sources' readings of BP1 and BP2, taken by the one backprop as arguments, against
    # the book's per-example loop with the same reading written out.
    net = Network([4, 6, 5, 3], output=output, cost=cost, seed=1)
    X, Y = batch(output, m=9, seed=2, sizes=[4, 6, 5, 3])
    a_minus_y = dict(delta=lambda z, a, y: a - y)
    cases = [({"output_error": "a_minus_y"}, a_minus_y),
             ({"hidden": "as_written"}, {"hidden": "as_written"}),
             ({"output_error": "a_minus_y", "hidden": "as_written"},
              {**a_minus_y, "hidden": "as_written"}),
             ({"output_error": "dC_da"}, {"delta": ref_grad_a(cost)})]
    for readings, reference in cases:
        grad_w, grad_b = net.backprop(X, Y, **readings)
        ref_w, ref_b = ref_mean_gradient(net, X, Y, **reference)
        assert max_abs_diff(grad_w + grad_b, ref_w + ref_b) < 1e-13 * max(
            1.0, max(float(np.abs(g).max()) for g in ref_w + ref_b)), readings
        np.testing.assert_array_equal(
            net.flat_gradient(X, Y, **readings),
            np.concatenate([p.ravel() for w, b in zip(grad_w, grad_b, strict=True)
                            for p in (w, b)]))


def test_as_written_hidden_gradients_ignore_the_targets():
    net = Network([4, 6, 5, 3], output="softmax", cost="log_likelihood", seed=1)
    X, Y = batch("softmax", "one_hot", m=9, seed=2, sizes=[4, 6, 5, 3])
    other = np.roll(Y, 1, axis=0)
    written = net.backprop(X, Y, hidden="as_written")[0]
    written_other = net.backprop(X, other, hidden="as_written")[0]
    assert all(np.array_equal(g, h) for g, h in zip(written[:-1], written_other[:-1],
                                                     strict=True))
    assert not np.array_equal(written[-1], written_other[-1])


@pytest.mark.parametrize(("output", "cost"), PAIRS)
def test_cost_value_matches_per_example_reference(output, cost):
    net = Network(SIZES, output=output, cost=cost, seed=3)
    X, Y = batch(output, m=6, seed=4)
    a = net.feedforward(X)
    expected = np.mean([ref_cost(output, cost, a[:, [i]], Y[:, [i]]) for i in range(6)])
    assert net.cost(X, Y) == pytest.approx(expected, rel=1e-13)
    z = net.forward(X)[1][-1]
    assert net.cost_function.fn(a, Y, z) == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize(("output", "cost"), PAIRS)
def test_delta_is_gradient_of_per_example_cost_in_z(output, cost):
    # δᴸ = ∂C_x/∂zᴸ for a single example, checked on the cost as a function of z alone.
    rng = np.random.default_rng(8)
    cost_fn = make_cost(cost, SigmoidOutput() if output == "sigmoid" else
                        SoftmaxOutput() if output == "softmax" else LinearOutput(), func="t")
    for kind in ("soft", "one_hot"):
        y = make_targets(output, kind, 4, 1, rng)
        z0 = 2.0 * rng.normal(size=(4, 1))

        def f(z, y=y):
            return cost_fn.fn(cost_fn.output.forward(z), y, z)

        def g(z, y=y):
            return cost_fn.delta(z, cost_fn.output.forward(z), y)

        result = check_gradient(f, g, z0, name=f"{output}/{cost}", tol=1e-7, floor=1e-8)
        assert result.passed, result.line()


def test_closed_forms_of_output_error():
    rng = np.random.default_rng(9)
    X = rng.normal(size=(3, 8))
    for output, cost in PAIRS:
        net = Network(SIZES, output=output, cost=cost, seed=10)
        Y = make_targets(output, "soft", 3, 8, rng)
        activations, zs = net.forward(X)
        a, z = activations[-1], zs[-1]
        delta = net.output_error(X, Y)
        if (output, cost) in (("sigmoid", "cross_entropy"), ("softmax", "log_likelihood"),
                              ("linear", "quadratic")):
            expected = a - Y
        elif output == "sigmoid":
            expected = (a - Y) * sigmoid_prime(z)
        else:  # softmax, quadratic: Jᵀ(a − y) with J = diag(a) − a aᵀ
            expected = np.stack([(np.diag(a[:, i]) - np.outer(a[:, i], a[:, i])) @ (a - Y)[:, i]
                                 for i in range(8)], axis=1)
        np.testing.assert_allclose(delta, expected, rtol=1e-13, atol=1e-16)


def test_saturated_sigmoid_output_cross_entropy_stays_finite():
    # z = ±40: σ rounds to 1 (and to 4e-18), yet the cost from z is finite and δ = a − y.
    net = Network.from_parameters([[[40.0], [-40.0]]], [[[0.0], [0.0]]], cost="cross_entropy")
    X, Y = np.array([[1.0]]), np.array([[0.0], [1.0]])
    assert net.cost(X, Y) == pytest.approx(80.0, rel=1e-15)
    np.testing.assert_array_equal(net.output_error(X, Y), net.feedforward(X) - Y)
    quadratic = Network.from_parameters([[[40.0], [-40.0]]], [[[0.0], [0.0]]])
    assert np.all(np.abs(quadratic.output_error(X, Y)) < 1e-17)  # the learning slowdown


def test_output_activation_derivatives():
    rng = np.random.default_rng(11)
    z = 3.0 * rng.normal(size=(4, 5))
    np.testing.assert_allclose(SigmoidOutput().derivative(z),
                               numerical_derivative(sigmoid, z), rtol=1e-8)
    np.testing.assert_array_equal(LinearOutput().derivative(z), np.ones_like(z))
    jac = SoftmaxOutput().derivative(z)
    assert jac.shape == (4, 4, 5)
    for i in range(5):
        result = check_jacobian(lambda v: softmax(v), lambda v, i=i: jac[:, :, i], z[:, i],
                                name="softmax Jacobian", tol=1e-7, floor=1e-9)
        assert result.passed, result.line()
    assert SoftmaxOutput().derivative(z[:, 0]).shape == (4, 4)
    g = rng.normal(size=(4, 5))
    np.testing.assert_allclose(SoftmaxOutput().backward(z, softmax(z, axis=0), g),
                               np.einsum("jkx,jx->kx", jac, g), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(SigmoidOutput().backward(z, sigmoid(z), g),
                               g * sigmoid_prime(z), rtol=1e-15)
    np.testing.assert_array_equal(LinearOutput().backward(z, z, g), g)
    np.testing.assert_array_equal(SoftmaxOutput().forward(z), softmax(z, axis=0))


def test_output_layers_compute_nblib_activations_bit_for_bit():
    # One σ and one softmax: the network's output layers are nblib's functions, number for
    # number, at the edges of float64 too.
    rng = np.random.default_rng(12)
    edges = np.array([0.0, -0.0, 1e-300, -1e-300, 36.7, -36.7, 40.0, -40.0, 709.0, -709.0,
                      745.0, -745.0, 800.0, -800.0, 1e300, -1e300])
    for z in (rng.normal(scale=5.0, size=(30, 10)), edges.reshape(4, 4)):
        with np.errstate(all="raise", under="ignore"):
            assert np.array_equal(SigmoidOutput().forward(z), sigmoid(z))
            assert np.array_equal(SigmoidOutput().derivative(z), sigmoid_prime(z))
            assert np.array_equal(SoftmaxOutput().forward(z), softmax(z, axis=0))
    net = Network([2, 3, 2], output="softmax", cost="log_likelihood", seed=0)
    X = np.array([[500.0, -500.0, 0.0], [-900.0, 900.0, 1.0]])
    activations, zs = net.forward(X)
    assert np.array_equal(activations[1], sigmoid(zs[0]))
    assert np.array_equal(activations[2], softmax(zs[1], axis=0))


def test_log_likelihood_value_uses_log_softmax():
    # An output that underflows to 0 in softmax still gives a finite cost from z.
    net = Network.from_parameters([[[1000.0], [-1000.0]]], [[[0.0], [0.0]]],
                                  output="softmax", cost="log_likelihood")
    X, Y = np.array([[1.0]]), np.array([[0.0], [1.0]])
    assert net.feedforward(X)[1, 0] == 0.0
    assert net.cost(X, Y) == pytest.approx(-float(log_softmax(np.array([1000.0, -1000.0]))[1]))


# --------------------------------------------------------------------------- training


@pytest.mark.parametrize(("output", "cost"), PAIRS)
def test_sgd_equals_per_example_reference(output, cost):
    sizes = [3, 6, 4, 3]
    X, Y = batch(output, m=23, seed=13, sizes=sizes)  # 23 = 4·5 + 3: a short last batch
    net = Network(sizes, output=output, cost=cost, seed=14)
    ref_w, ref_b = ref_sgd(net, X, Y, epochs=4, batch_size=5, eta=0.5, seed=15)
    history = net.train(X, Y, epochs=4, batch_size=5, eta=0.5, seed=15)
    assert max_abs_diff(net.weights + net.biases, ref_w + ref_b) < 1e-12
    assert history.cost.shape == (5,)
    assert history.cost[-1] == net.cost(X, Y)


def test_sgd_paths_agree_with_reference():
    # One epoch on C-ordered X (columns gathered), several on F-ordered X (rows gathered),
    # sgd_epoch, and sgd_step with a batch larger than m: all are the book's update.
    X, Y = batch("sigmoid", m=17, seed=16)
    net = Network(SIZES, cost="cross_entropy", seed=17)
    for X_in, epochs in ((X, 1), (np.asfortranarray(X), 3), (X, 3)):
        copy = net.copy()
        copy.train(X_in, Y, epochs=epochs, batch_size=4, eta=1.0, seed=18, monitor=False)
        ref_w, ref_b = ref_sgd(net, X, Y, epochs, 4, 1.0, 18)
        assert max_abs_diff(copy.weights + copy.biases, ref_w + ref_b) < 1e-12
    copy = net.copy()
    copy.sgd_epoch(X, Y, batch_size=4, eta=1.0, seed=18)
    ref_w, ref_b = ref_sgd(net, X, Y, 1, 4, 1.0, 18)
    assert max_abs_diff(copy.weights + copy.biases, ref_w + ref_b) < 1e-12
    copy = net.copy()
    copy.train(X, Y, epochs=2, batch_size=100, eta=1.0, seed=18)
    ref_w, ref_b = ref_sgd(net, X, Y, 2, 100, 1.0, 18)
    assert max_abs_diff(copy.weights + copy.biases, ref_w + ref_b) < 1e-12
    copy = net.copy()
    copy.sgd_step(X, Y, eta=1.0)
    grad_w, grad_b = net.backprop(X, Y)
    expected = [p - g for p, g in zip(net.weights + net.biases, grad_w + grad_b, strict=True)]
    assert max_abs_diff(copy.weights + copy.biases, expected) < 1e-14


def ref_forward(weights, biases, X, output):
    """The book's feedforward, one example at a time: aᴸ of every column of X."""
    columns = []
    for i in range(X.shape[1]):
        a = X[:, [i]]
        for k, (w, b) in enumerate(zip(weights, biases, strict=True)):
            z = np.dot(w, a) + b
            a = ref_output(output, z) if k == len(weights) - 1 else sigmoid(z)
        columns.append(a)
    return np.hstack(columns)


@pytest.mark.parametrize(("output", "cost"), PAIRS)
def test_descend_is_the_books_full_batch_update(output, cost):
    X, Y = batch(output, m=8, seed=30)
    net = Network(SIZES, output=output, cost=cost, seed=31)
    weights, biases = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    theta0 = net.flat_parameters()
    history = net.descend(X, Y, 6, 0.5, outputs=True, parameters=True)
    data = [(X[:, [i]], Y[:, [i]]) for i in range(8)]
    costs, outputs, thetas = [], [], []
    for epoch in range(7):
        a = ref_forward(weights, biases, X, output)
        outputs.append(a)
        costs.append(np.mean([ref_cost(output, cost, a[:, [i]], Y[:, [i]]) for i in range(8)]))
        thetas.append(np.concatenate([p.ravel() for w, b in zip(weights, biases, strict=True)
                                      for p in (w, b)]))
        if epoch < 6:
            weights, biases = ref_update_mini_batch(weights, biases, data, 0.5, output, cost)
    assert max_abs_diff(net.weights + net.biases, weights + biases) < 1e-13
    np.testing.assert_allclose(history.cost, costs, rtol=1e-13)
    np.testing.assert_allclose(history.outputs, outputs, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(history.parameters, thetas, rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(history.parameters[0], theta0)
    assert history.accuracy is None
    plain = net.descend(X, Y, 2, 0.5)
    assert plain.outputs is None and plain.parameters is None and plain.cost.shape == (3,)


def test_descend_bad_arguments_and_divergence():
    net = Network([3, 2], seed=0)
    X, Y = np.zeros((3, 4)), np.zeros((2, 4))
    cases = [
        (dict(eta=0.0), ValueError, r"Network.descend: argument 'eta' \(the learning rate\)"),
        (dict(epochs=0), ValueError, r"Network.descend: argument 'epochs' must be at least 1"),
        (dict(epochs=2.5), TypeError, r"argument 'epochs' must be an integer"),
        (dict(output_error="book"), ValueError, r"argument 'output_error' must be one of"),
        (dict(hidden="bp3"), ValueError, r"argument 'hidden' must be one of"),
    ]
    for change, error, message in cases:
        with pytest.raises(error, match=message):
            net.descend(X, Y, **(dict(epochs=1, eta=0.1) | change))
    with pytest.raises(ValueError, match=r"Network.backprop: argument 'hidden' must be one of"):
        net.backprop(X, Y, hidden="as written")
    with pytest.raises(ValueError, match=r"Network.descend: argument 'X'"):
        net.descend(np.zeros((2, 4)), Y, 1, 0.1)
    linear = Network([2, 3, 1], output="linear", seed=0)
    with pytest.raises(ValueError, match=r"Network.descend: training diverged.*'eta'"):
        linear.descend(np.full((2, 5), 1e3), np.full((1, 5), 1e5), 500, 10.0)


def test_book_one_neuron_demo():
    # The chapter's slowdown demo: input 1, target 0, quadratic cost, η = 0.15.
    def by_hand(w, b, epochs):
        outputs = []
        for _ in range(epochs):
            z = w + b
            a = 1.0 / (1.0 + math.exp(-z))
            g = a * a * (1.0 - a)  # (a − y)σ′(z) with y = 0, x = 1
            w, b = w - 0.15 * g, b - 0.15 * g
            outputs.append(1.0 / (1.0 + math.exp(-(w + b))))
        return outputs

    for w0, b0 in ((0.6, 0.9), (2.0, 2.0)):
        net = Network.from_parameters([[[w0]]], [[b0]])
        outputs: list[float] = []

        def record(epoch, network, outputs=outputs):
            outputs.append(float(network.feedforward([[1.0]])[0, 0]))

        history = net.train([[1.0]], [[0.0]], epochs=300, batch_size=1, eta=0.15,
                            callback=record)
        np.testing.assert_allclose(outputs, by_hand(w0, b0, 300), rtol=1e-12)
        np.testing.assert_allclose(history.cost[1:], 0.5 * np.array(outputs) ** 2, rtol=1e-12)
        if w0 == 0.6:
            assert round(outputs[-1], 2) == 0.09  # the book's end point
        else:
            assert outputs[149] > 0.9  # barely moved in 150 epochs


def test_training_is_reproducible():
    X, Y = batch("softmax", "one_hot", m=20, seed=19)
    runs = []
    for _ in range(2):
        net = Network(SIZES, output="softmax", cost="log_likelihood", seed=20)
        history = net.train(X, Y, epochs=5, batch_size=3, eta=0.3, seed=21, accuracy=True)
        runs.append((net, history))
    (n1, h1), (n2, h2) = runs
    assert all(np.array_equal(p, q) for p, q in zip(n1.weights + n1.biases,
                                                   n2.weights + n2.biases, strict=True))
    assert np.array_equal(h1.cost, h2.cost) and np.array_equal(h1.accuracy, h2.accuracy)
    # seed=None: the network's own generator, copied along with the network.
    base = Network(SIZES, seed=22)
    a, b = base.copy(), base.copy()
    a.train(X, Y, 2, 4, 0.5)
    b.train(X, Y, 2, 4, 0.5)
    assert np.array_equal(a.flat_parameters(), b.flat_parameters())
    c = base.copy()
    c.train(X, Y, 2, 4, 0.5, seed=23)
    assert not np.array_equal(a.flat_parameters(), c.flat_parameters())
    assert not np.array_equal(Network(SIZES, seed=1).weights[0], Network(SIZES, seed=2).weights[0])


def test_history_callback_and_monitoring():
    X, Y = batch("sigmoid", m=10, seed=24)
    net = Network(SIZES, seed=25)
    seen = []
    history = net.train(X, Y, 3, 4, 0.5, monitor=False, callback=lambda e, n: seen.append(e))
    assert seen == [1, 2, 3]
    assert history == TrainingHistory(cost=None, accuracy=None)
    history = net.train(X, Y, 3, 4, 0.5, accuracy=True)
    assert history.cost.shape == history.accuracy.shape == (4,)
    assert history.accuracy[-1] == net.accuracy(X, Y)
    assert np.all(np.diff(net.train(X, Y, 20, 10, 0.5).cost) < 0)  # full batch, small η


def test_accuracy():
    # Two outputs copying the two inputs: argmax of the output is argmax of the input.
    net = Network.from_parameters([np.eye(2)], [np.zeros(2)], output="softmax",
                                  cost="log_likelihood")
    X = np.array([[1.0, 0.0, 2.0, 0.0], [0.0, 1.0, 0.0, 3.0]])
    Y = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 1.0, 1.0]])
    assert net.accuracy(X, Y) == 0.75
    one = Network.from_parameters([[[1.0]]], [[0.0]])
    assert one.accuracy([[1.0, -1.0, 2.0]], [[1.0, 0.0, 0.0]]) == pytest.approx(2 / 3)


# --------------------------------------------------------------------------- construction


def test_initialisation_and_layout():
    net = Network([400, 300, 2], seed=26)
    assert [w.shape for w in net.weights] == [(300, 400), (2, 300)]
    assert [b.shape for b in net.biases] == [(300, 1), (2, 1)]
    assert net.weights[0].std() == pytest.approx(1 / math.sqrt(400), rel=0.02)
    assert net.biases[0].std() == pytest.approx(1.0, rel=0.15)
    assert net.num_layers == 3
    assert repr(net) == "Network([400, 300, 2], output='sigmoid', cost='quadratic')"
    activations, zs = Network(SIZES, seed=0).forward(np.zeros((3, 5)))
    assert [a.shape for a in activations] == [(3, 5), (4, 5), (5, 5), (3, 5)]
    assert [z.shape for z in zs] == [(4, 5), (5, 5), (3, 5)]


def test_from_parameters_copy_and_flat_parameters():
    weights = [np.arange(6.0).reshape(2, 3), np.array([[1.0, -1.0]])]
    biases = [np.array([0.5, -0.5]), np.array([[2.0]])]
    net = Network.from_parameters(weights, biases, output="linear")
    assert net.sizes == [3, 2, 1]
    assert net.biases[0].shape == (2, 1)
    weights[0][0, 0] = 99.0  # the network holds copies
    assert net.weights[0][0, 0] == 0.0
    theta = net.flat_parameters()
    np.testing.assert_array_equal(theta, [0, 1, 2, 3, 4, 5, 0.5, -0.5, 1, -1, 2])
    twin = net.copy()
    twin.set_flat_parameters(theta + 1.0)
    np.testing.assert_array_equal(net.flat_parameters(), theta)
    np.testing.assert_array_equal(twin.flat_parameters(), theta + 1.0)
    twin.set_parameters(net.weights, net.biases)
    np.testing.assert_array_equal(twin.flat_parameters(), theta)
    x = np.array([1.0, 2.0, 3.0])
    hidden = sigmoid(np.array([[0.0, 1, 2], [3, 4, 5]]) @ x + [0.5, -0.5])
    expected = hidden[0] - hidden[1] + 2.0  # linear output: w = [1, −1], b = 2
    assert net.feedforward(x.reshape(3, 1))[0, 0] == pytest.approx(expected, rel=1e-15)
    X = x.reshape(3, 1)
    f, _ = net.gradient_check_functions(X, [[0.0]])
    f(theta + 5.0)
    np.testing.assert_array_equal(net.flat_parameters(), theta)  # checks use a scratch copy


@pytest.mark.parametrize(("output", "cost"), PAIRS)
def test_cost_classes_and_instances_are_accepted(output, cost):
    classes = {"quadratic": QuadraticCost, "cross_entropy": CrossEntropyCost,
               "log_likelihood": LogLikelihoodCost}
    outputs = {"sigmoid": SigmoidOutput, "softmax": SoftmaxOutput, "linear": LinearOutput}
    net = Network(SIZES, output=outputs[output], cost=classes[cost], seed=0)
    assert isinstance(net.cost_function, classes[cost])
    assert net.cost_function.output == outputs[output]()
    same = Network(SIZES, output=output, cost=net.cost_function, seed=0)
    assert same.cost_function is net.cost_function


def test_underflow_is_quiet_under_strict_error_settings():
    net = Network([1, 2, 2], output="softmax", cost="log_likelihood", seed=0)
    X, Y = np.array([[1e4, -1e4]]), np.array([[1.0, 0.0], [0.0, 1.0]])
    with np.errstate(all="raise"):
        net.forward(X)
        net.cost(X, Y)
        net.backprop(X, Y)
        net.train(X, Y, 2, 1, 0.1)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("output", "cost"), BAD_PAIRS)
def test_mismatched_output_and_cost_raise_at_construction(output, cost):
    with pytest.raises(ValueError, match=r"Network: arguments 'output' and 'cost' do not fit"):
        Network(SIZES, output=output, cost=cost)


def test_bad_construction_arguments():
    cases = [
        (dict(sizes=[3]), ValueError, r"argument 'sizes' needs at least 2 layers"),
        (dict(sizes=[3, 0, 2]), ValueError, r"argument 'sizes\[1\]' must be at least 1"),
        (dict(sizes=[3, -2]), ValueError, r"argument 'sizes\[1\]'"),
        (dict(sizes=[3, 2.5]), TypeError, r"argument 'sizes\[1\]' must be an integer"),
        (dict(sizes=[3, True]), TypeError, r"argument 'sizes\[1\]'"),
        (dict(sizes="32"), TypeError, r"argument 'sizes'"),
        (dict(sizes=3), TypeError, r"argument 'sizes'"),
        (dict(sizes=SIZES, output="tanh"), ValueError, r"argument 'output' must be one of"),
        (dict(sizes=SIZES, output=3), TypeError, r"argument 'output'"),
        (dict(sizes=SIZES, cost="hinge"), ValueError, r"argument 'cost' must be one of"),
        (dict(sizes=SIZES, cost=len), TypeError, r"argument 'cost'"),
        (dict(sizes=SIZES, seed=-1), ValueError, r"argument 'seed'"),
        (dict(sizes=SIZES, seed=1.5), TypeError, r"argument 'seed'"),
        (dict(sizes=SIZES, output="softmax", cost=QuadraticCost("sigmoid")), ValueError,
         r"argument 'cost' is bound to 'sigmoid' outputs"),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            Network(**kwargs)
    with pytest.raises(ValueError, match="'output' and 'cost' do not fit"):
        CrossEntropyCost("softmax")


def test_bad_parameters():
    good_w, good_b = [np.ones((2, 3)), np.ones((1, 2))], [np.ones(2), np.ones(1)]
    cases = [
        ([np.ones((2, 3)), np.ones((1, 4))], good_b, r"argument 'weights\[1\]' has shape"),
        ([np.ones(3)], [np.ones(1)], r"argument 'weights\[0\]' must be a 2-d matrix"),
        ([], [], r"argument 'weights' needs at least one"),
        (good_w, [np.ones(2)], r"argument 'biases' must hold 2 arrays"),
        (good_w, [np.ones(3), np.ones(1)], r"argument 'biases\[0\]' must have shape \(2, 1\)"),
        ([np.full((2, 3), np.nan), np.ones((1, 2))], good_b,
         r"argument 'weights\[0\]' contains NaN"),
    ]
    for weights, biases, message in cases:
        with pytest.raises(ValueError, match=message):
            Network.from_parameters(weights, biases)
    with pytest.raises(TypeError, match="argument 'weights'"):
        Network.from_parameters(np.ones((2, 3)), good_b)
    net = Network([3, 2, 1], seed=0)
    with pytest.raises(ValueError, match=r"argument 'weights' must have shapes"):
        net.set_parameters([np.ones((2, 3)), np.ones((1, 2)), np.ones((1, 1))], good_b)
    with pytest.raises(ValueError, match=r"argument 'theta' must have shape \(11,\)"):
        net.set_flat_parameters(np.ones(10))


def test_bad_batches():
    net = Network([3, 4, 2], output="sigmoid", cost="cross_entropy", seed=0)
    X, Y = np.zeros((3, 5)), np.full((2, 5), 0.5)
    calls = [net.cost, net.backprop, net.output_error, net.accuracy,
             lambda x, y: net.sgd_step(x, y, 0.1),
             lambda x, y: net.sgd_epoch(x, y, 2, 0.1),
             lambda x, y: net.train(x, y, 1, 2, 0.1)]
    cases = [
        (np.zeros((4, 5)), Y, r"argument 'X' must have shape \(3, m\)"),
        (np.zeros((5, 3)), Y, r"examples look like rows: pass X\.T"),
        (np.zeros(3), Y, r"X\.reshape\(3, 1\)"),
        (X, np.full((3, 5), 0.5), r"argument 'Y' must have shape \(2, m\)"),
        (X, np.full((2, 4), 0.5), r"arguments 'X' and 'Y' must hold the same number"),
        (np.full((3, 5), np.nan), Y, r"argument 'X' contains NaN"),
        (X, np.full((2, 5), np.inf), r"argument 'Y' contains infinite"),
        (X, np.full((2, 5), 1.5), r"argument 'Y' must lie between 0 and 1"),
        (X, np.full((2, 5), -0.1), r"argument 'Y' must lie between 0 and 1"),
        ("abc", Y, r"argument 'X'"),
    ]
    for call in calls:
        for X_bad, Y_bad, message in cases:
            with pytest.raises((ValueError, TypeError), match=message):
                call(X_bad, Y_bad)
    with pytest.raises(ValueError, match=r"Network.forward: argument 'X'"):
        net.forward(np.zeros((2, 5)))
    soft = Network([3, 2], output="softmax", cost="log_likelihood", seed=0)
    with pytest.raises(ValueError, match=r"argument 'Y' must sum to 1 along axis 0"):
        soft.train(X, np.full((2, 5), 0.3), 1, 2, 0.1)
    with pytest.raises(ValueError, match=r"argument 'Y' must be nonnegative"):
        soft.cost(X, np.array([[1.5] * 5, [-0.5] * 5]))


def test_bad_training_arguments():
    net = Network([3, 2], seed=0)
    X, Y = np.zeros((3, 4)), np.zeros((2, 4))
    cases = [
        (dict(eta=0.0), ValueError, r"argument 'eta' \(the learning rate\) must be positive"),
        (dict(eta=-1.0), ValueError, r"argument 'eta'"),
        (dict(eta=float("nan")), ValueError, r"argument 'eta' is NaN"),
        (dict(eta=float("inf")), ValueError, r"argument 'eta' is infinite"),
        (dict(eta="0.1"), TypeError, r"argument 'eta'"),
        (dict(epochs=0), ValueError, r"argument 'epochs' must be at least 1"),
        (dict(epochs=2.0), TypeError, r"argument 'epochs' must be an integer"),
        (dict(batch_size=0), ValueError, r"argument 'batch_size' must be at least 1"),
        (dict(batch_size=-3), ValueError, r"argument 'batch_size'"),
        (dict(batch_size=None), TypeError, r"argument 'batch_size'"),
        (dict(seed=-5), ValueError, r"argument 'seed'"),
        (dict(seed="x"), TypeError, r"argument 'seed'"),
        (dict(callback=3), TypeError, r"argument 'callback'"),
    ]
    for change, error, message in cases:
        kwargs = dict(epochs=1, batch_size=2, eta=0.1) | change
        with pytest.raises(error, match=message):
            net.train(X, Y, **kwargs)
    with pytest.raises(ValueError, match=r"Network.sgd_step: argument 'eta'"):
        net.sgd_step(X, Y, 0)
    with pytest.raises(ValueError, match=r"Network.sgd_epoch: argument 'batch_size'"):
        net.sgd_epoch(X, Y, 0, 0.1)


def test_divergence_is_reported_with_eta():
    net = Network([2, 3, 1], output="linear", seed=0)
    X, Y = np.full((2, 5), 1e3), np.full((1, 5), 1e5)
    with pytest.raises(ValueError, match=r"Network.train: training diverged.*'eta'"):
        net.train(X, Y, epochs=500, batch_size=5, eta=10.0)


def test_log_likelihood_targets_choice():
    # targets="nonnegative" is the second source's cost: any y ≥ 0, δᴸ = aᴸ Σy − y.
    general = LogLikelihoodCost(targets="nonnegative")
    assert repr(general) == "LogLikelihoodCost(output='softmax', targets='nonnegative')"
    net = Network([3, 4, 3], output="softmax", cost=general, seed=0)
    X, Y = np.random.default_rng(1).normal(size=(3, 5)), np.full((3, 5), 0.5)
    a, z = net.feedforward(X), net.forward(X)[1][-1]
    # To the rounding of the last subtraction (computed as a_j Σ_{k≠j} y_k − y_j Σ_{k≠j} a_k).
    np.testing.assert_allclose(net.output_error(X, Y), 1.5 * a - Y, rtol=0,
                               atol=np.finfo(float).eps)
    assert net.cost(X, Y) == pytest.approx(float(np.mean(-np.sum(Y * log_softmax(z, axis=0),
                                                                 axis=0))), rel=1e-14)
    f, grad = net.gradient_check_functions(X, Y)
    result = check_gradient(f, grad, net.flat_parameters(), name="general targets", tol=1e-6,
                            h=1e-5, floor=1e-4)
    assert result.passed, result.line()
    with pytest.raises(ValueError, match=r"Network.cost: argument 'Y' must lie in \[0, inf\)"):
        net.cost(X, -Y)
    with pytest.raises(ValueError, match=r"LogLikelihoodCost: argument 'targets' must be one of"):
        LogLikelihoodCost(targets="any")
    with pytest.raises(ValueError, match=r"argument 'Y' must sum to 1"):
        Network([3, 4, 3], output="softmax", cost="log_likelihood").cost(X, Y)
