"""The digits experiment against SGD written out here in plain NumPy, from the file up."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from nblib.network import experiment
from nblib.network.datasets import DIGITS_FILE
from nblib.network.experiment import (
    COSTS,
    DigitsRun,
    digits_data,
    initial_network,
    train_digits,
)


def reference_data():
    """The file read with NumPy alone, cut as the experiment says: permutation of seed 0,
    the last 597 for testing."""
    table = np.loadtxt(gzip.open(DIGITS_FILE), delimiter=",", dtype=int)
    X, labels = table[:, :64].T / 16.0, table[:, 64]
    order = np.random.default_rng(0).permutation(len(labels))
    train, test = order[:1200], order[1200:]
    return X[:, train], labels[train], X[:, test], labels[test]


def reference_run(cost: str, eta: float, epochs: int, seed: int = 1):
    """Test images right and training cost after each epoch, by network2's SGD in NumPy."""
    X, labels, X_test, labels_test = reference_data()
    Y = np.eye(10)[:, labels]
    rng = np.random.default_rng(seed)
    b = [rng.standard_normal((30, 1)), rng.standard_normal((10, 1))]
    w = [rng.standard_normal((30, 64)), rng.standard_normal((10, 30))]

    def forward(inputs):
        z1 = w[0] @ inputs + b[0]
        a1 = 1 / (1 + np.exp(-z1))
        z2 = w[1] @ a1 + b[1]
        if cost == "log_likelihood":
            e = np.exp(z2 - z2.max(axis=0))
            return a1, z2, e / e.sum(axis=0)
        return a1, z2, 1 / (1 + np.exp(-z2))

    def mean_cost():
        _, z2, a2 = forward(X)
        if cost == "quadratic":
            per = 0.5 * ((a2 - Y) ** 2).sum(axis=0)
        elif cost == "cross_entropy":  # ln a = −ln(1 + e^−z), ln(1 − a) = −ln(1 + e^z)
            per = (Y * np.logaddexp(0, -z2) + (1 - Y) * np.logaddexp(0, z2)).sum(axis=0)
        else:
            per = -np.log(a2[labels, np.arange(labels.size)])
        return per.mean()

    def right():
        answer = forward(X_test)[2].argmax(axis=0)
        answers.append([int((answer == d).sum()) for d in range(10)])
        by_digit.append([int(((answer == d) & (labels_test == d)).sum()) for d in range(10)])
        return int((answer == labels_test).sum())

    answers: list[list[int]] = []
    by_digit: list[list[int]] = []
    counts, costs = [right()], [mean_cost()]
    for _ in range(epochs):
        order = rng.permutation(labels.size)
        for start in range(0, labels.size, 10):
            batch = order[start:start + 10]
            x, y = X[:, batch], Y[:, batch]
            a1, _, a2 = forward(x)
            delta2 = (a2 - y) * a2 * (1 - a2) if cost == "quadratic" else a2 - y
            delta1 = (w[1].T @ delta2) * a1 * (1 - a1)
            step = eta / len(batch)
            w[1] -= step * delta2 @ a1.T
            b[1] -= step * delta2.sum(axis=1, keepdims=True)
            w[0] -= step * delta1 @ x.T
            b[0] -= step * delta1.sum(axis=1, keepdims=True)
        counts.append(right())
        costs.append(mean_cost())
    return np.array(counts), np.array(costs), np.array(answers), np.array(by_digit)


@pytest.mark.parametrize("cost", COSTS)
def test_a_run_is_network2s_sgd_on_the_digits(cost):
    run = train_digits(cost, 0.5, epochs=3)
    counts, costs, answers, by_digit = reference_run(cost, 0.5, 3)
    assert isinstance(run, DigitsRun) and (run.cost, run.eta, run.seed) == (cost, 0.5, 1)
    assert run.epochs == 3 and run.test_images == 597
    np.testing.assert_array_equal(run.right, counts)
    np.testing.assert_array_equal(run.answers, answers)
    np.testing.assert_array_equal(run.right_by_digit, by_digit)
    np.testing.assert_allclose(run.training_cost, costs, rtol=1e-10)
    np.testing.assert_allclose(run.accuracy, counts / 597, rtol=0)


def test_other_rates_and_seeds():
    run = train_digits("quadratic", 3.0, epochs=2, seed=4)
    counts, costs, *_ = reference_run("quadratic", 3.0, 2, seed=4)
    np.testing.assert_array_equal(run.right, counts)
    np.testing.assert_allclose(run.training_cost, costs, rtol=1e-10)


def test_the_data_are_cut_as_stated():
    X, labels, X_test, labels_test = reference_data()
    train, test = digits_data()
    assert np.array_equal(train.X, X) and np.array_equal(test.labels, labels_test)
    assert np.array_equal(test.X, X_test) and np.array_equal(train.labels, labels)
    train.X[:] = 0  # a copy: the runs' data are untouched
    assert np.array_equal(digits_data()[0].X, X)


def test_the_initial_network_is_the_books_large_initialiser():
    net = initial_network("log_likelihood", seed=7)
    rng = np.random.default_rng(7)
    expected = [rng.standard_normal((30, 1)), rng.standard_normal((10, 1)),
                rng.standard_normal((30, 64)), rng.standard_normal((10, 30))]
    for got, want in zip([*net.biases, *net.weights], expected, strict=True):
        np.testing.assert_array_equal(got, want)
    assert net.sizes == [64, 30, 10] and net.output.name == "softmax"


def test_runs_are_kept_and_read_only():
    run = train_digits("cross_entropy", 0.5, epochs=2)
    assert train_digits("cross_entropy", 0.5, 2, 1) is run
    with pytest.raises(ValueError, match="read-only"):
        run.right[0] = 0
    for array in (run.training_cost, run.answers, run.right_by_digit):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0


def test_the_counts_do_not_depend_on_the_last_bits():
    # The notebook prints counts, which must be what every CPU computes: moving every initial
    # weight by a relative 1e-11 (far more than BLAS's rounding differences) changes none.
    train, test = digits_data()
    for cost in ("quadratic", "cross_entropy"):
        net = initial_network(cost)
        for w in net.weights:
            w *= 1 + 1e-11 * np.random.default_rng(5).standard_normal(w.shape)
        right: list[int] = []

        def count(_epoch, trained, right=right):
            """Test images right after this epoch."""
            right.append(experiment._answers(trained, test)[0].sum())

        net.train(train.X, train.Y, experiment.EPOCHS, experiment.BATCH_SIZE, 0.5,
                  callback=count)
        np.testing.assert_array_equal(right, train_digits(cost, 0.5).right[1:])


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"cost": "softmax"}, ValueError, "'cost' must be one of"),
    ({"eta": 0.0}, ValueError, "'eta' .* must be positive"),
    ({"eta": float("nan")}, ValueError, "'eta'"),
    ({"eta": "0.5"}, TypeError, "'eta'"),
    ({"epochs": 0}, ValueError, "'epochs'"),
    ({"epochs": 2.5}, TypeError, "'epochs'"),
    ({"seed": -1}, ValueError, "'seed'"),
])
def test_bad_arguments_are_named(kwargs, error, message):
    arguments = {"cost": "quadratic", "eta": 0.5, "epochs": 1, "seed": 1} | kwargs
    with pytest.raises(error, match=message):
        train_digits(**arguments)


def test_a_diverging_run_says_so():
    with pytest.raises(ValueError, match="diverged"):
        train_digits("log_likelihood", 1e300, epochs=1)
