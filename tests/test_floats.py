"""float_warnings reports exactly the warnings a computation raises."""

from __future__ import annotations

import numpy as np
import pytest

from nblib.numerics.activations import sigmoid
from nblib.numerics.floats import float_warnings


def test_naive_sigmoid_overflows_and_stable_one_does_not():
    z = np.array([-1000.0, 0.0, 1000.0])
    naive, messages = float_warnings(lambda v: 1 / (1 + np.exp(-v)), z)
    assert messages == ["overflow encountered in exp"]
    stable, quiet = float_warnings(sigmoid, z)
    assert quiet == []
    np.testing.assert_array_equal(naive, stable)


def test_repeated_warnings_are_listed_once():
    def twice():
        np.exp(np.array([1000.0]))
        return np.exp(np.array([2000.0]))

    assert float_warnings(twice)[1] == ["overflow encountered in exp"]


def test_not_callable():
    with pytest.raises(TypeError, match="func must be callable"):
        float_warnings(3)
