"""The two-dimensional data sets: shapes, labels, determinism and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from nblib.network.datasets import Dataset, blobs, spirals
from nblib.numerics.layer import one_hot


@pytest.mark.parametrize("make", [spirals, blobs])
def test_shapes_labels_and_one_hot_targets(make):
    d = make(40, 4, seed=3)
    assert isinstance(d, Dataset)
    assert d.X.shape == (2, 160) and d.Y.shape == (4, 160) and d.labels.shape == (160,)
    assert np.array_equal(np.bincount(d.labels), [40, 40, 40, 40])
    assert np.array_equal(d.Y.sum(axis=0), np.ones(160))
    assert np.array_equal(d.Y.argmax(axis=0), d.labels)
    assert np.isfinite(d.X).all()


@pytest.mark.parametrize("make", [spirals, blobs])
def test_same_seed_same_data_other_seed_other_data(make):
    a, b, c = make(30, seed=7), make(30, seed=7), make(30, seed=8)
    assert np.array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)


def test_noiseless_spiral_follows_its_formula():
    d = spirals(5, 2, turns=0.5, noise=0.0)
    r = np.tile(np.linspace(0.1, 1.0, 5), 2)
    angle = 2 * np.pi * (0.5 * r + np.repeat([0.0, 0.5], 5))
    np.testing.assert_allclose(d.X, np.stack([r * np.cos(angle), r * np.sin(angle)]),
                               rtol=0, atol=1e-15)
    np.testing.assert_allclose(np.hypot(*d.X), r, rtol=1e-15)


def test_blobs_are_centred_on_their_circle():
    d = blobs(4000, 3, spread=0.1, seed=1)
    for k in range(3):
        centre = d.X[:, d.labels == k].mean(axis=1)
        angle = 2 * np.pi * k / 3
        np.testing.assert_allclose(centre, [0.6 * np.cos(angle), 0.6 * np.sin(angle)], atol=0.01)


def test_one_hot():
    assert np.array_equal(one_hot(np.array([2, 0]), 3), [[0, 1], [0, 0], [1, 0]])
    # One label, one desired output: the same thing for a single example.
    assert np.array_equal(one_hot(2, 4), [0, 0, 1, 0])
    assert np.array_equal(one_hot(np.int64(0), 1), [1])
    assert np.array_equal(one_hot(np.array([1, 3]), 4)[:, 1], one_hot(3, 4))


@pytest.mark.parametrize("call, error, match", [
    (lambda: spirals(0), ValueError, "spirals: argument 'n_per_class' must be at least 1"),
    (lambda: spirals(10, 1), ValueError, "argument 'classes' must be at least 2"),
    (lambda: spirals(10.5), TypeError, "argument 'n_per_class' must be an integer"),
    (lambda: spirals(10, True), TypeError, "argument 'classes' must be an integer"),
    (lambda: spirals(noise=-0.1), ValueError, "argument 'noise' must be nonnegative"),
    (lambda: spirals(turns=float("nan")), ValueError, "argument 'turns' is NaN"),
    (lambda: spirals(seed=-1), ValueError, "argument 'seed' must be at least 0"),
    (lambda: blobs(spread="wide"), TypeError, "blobs: argument 'spread' must be a real number"),
    (lambda: one_hot(np.array([0, 3]), 3), ValueError, "argument 'labels' must lie in 0..2"),
    (lambda: one_hot(np.array([0.0, 1.0]), 3), TypeError, "argument 'labels' must be an int"),
    (lambda: one_hot(4, 4), ValueError, r"argument 'labels' must lie in 0\.\.3 \(got 4\)"),
    (lambda: one_hot(-1, 4), ValueError, "argument 'labels' must be at least 0"),
    (lambda: one_hot(1.0, 4), TypeError, "argument 'labels' must be an integer"),
    (lambda: one_hot(True, 4), TypeError, "argument 'labels' must be an integer"),
    (lambda: one_hot(0, "4"), TypeError, "argument 'classes' must be an integer"),
    (lambda: one_hot(np.array([0]), 0), ValueError, "argument 'classes' must be at least 1"),
])
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
