"""Small two-dimensional classification data sets, made with NumPy from a seed.

Layout as in :class:`nblib.network.network.Network`: one column per example. ``X`` has shape
(2, m), the one-hot targets ``Y`` shape (classes, m), and ``labels`` the class of each
example, shape (m,). The same arguments always give the same arrays.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from nblib.numerics.layer import one_hot
from nblib.numerics.validation import as_count, as_scalar, require_size

__all__ = ["Dataset", "blobs", "spirals"]


class Dataset(NamedTuple):
    """Inputs ``X`` (2, m), one-hot targets ``Y`` (classes, m) and integer ``labels`` (m,)."""

    X: np.ndarray
    Y: np.ndarray
    labels: np.ndarray


def _nonnegative(value: Any, name: str, func: str) -> float:
    """``value`` as a finite float ≥ 0."""
    value = as_scalar(value, name, func=func)
    if value < 0:
        raise ValueError(f"{func}: argument '{name}' must be nonnegative (got {value!r})")
    return value


def _counts(n_per_class: Any, classes: Any, func: str) -> tuple[int, int]:
    """Points per class (≥ 1) and classes (≥ 2), the data set within ``MAX_ENTRIES``."""
    n = as_count(n_per_class, "n_per_class", func=func, minimum=1)
    classes = as_count(classes, "classes", func=func, minimum=2)
    require_size(n * classes * (classes + 2), "the data set (inputs and one-hot targets)",
                 func=func)
    return n, classes


def spirals(
    n_per_class: int = 100, classes: int = 3, *, turns: float = 1.25, noise: float = 0.25,
    seed: int = 0,
) -> Dataset:
    """Interleaved spiral arms, one per class, winding out from the origin.

    Arm c has radii r evenly spaced in [0.1, 1] at angles 2π(turns·r + c/classes) plus
    Gaussian noise of standard deviation ``noise`` (radians): the classes cannot be told
    apart by a straight line, so a hidden layer is needed.

    Parameters
    ----------
    n_per_class : int
        Points per arm (≥ 1).
    classes : int
        Number of arms (≥ 2).
    turns : float
        How far each arm winds, in full turns from r = 0 to r = 1 (≥ 0).
    noise : float
        Angular noise (≥ 0); 0 gives points exactly on the arms.
    seed : int
        Seed of the generator for the noise (≥ 0).
    """
    func = "spirals"
    n, classes = _counts(n_per_class, classes, func)
    turns = _nonnegative(turns, "turns", func)
    noise = _nonnegative(noise, "noise", func)
    rng = np.random.default_rng(as_count(seed, "seed", func=func, minimum=0))
    radius = np.tile(np.linspace(0.1, 1.0, n), classes)
    labels = np.repeat(np.arange(classes), n)
    angle = 2 * np.pi * (turns * radius + labels / classes)
    angle += noise * rng.standard_normal(n * classes)
    X = np.stack([radius * np.cos(angle), radius * np.sin(angle)])
    return Dataset(X, one_hot(labels, classes), labels)


def blobs(
    n_per_class: int = 100, classes: int = 3, *, spread: float = 0.25, seed: int = 0
) -> Dataset:
    """Gaussian blobs, one per class, centred on a circle of radius 0.6 about the origin.

    Parameters
    ----------
    n_per_class : int
        Points per blob (≥ 1).
    classes : int
        Number of blobs (≥ 2), centred at angles 2πc/classes.
    spread : float
        Standard deviation of each blob (≥ 0).
    seed : int
        Seed of the generator (≥ 0).
    """
    func = "blobs"
    n, classes = _counts(n_per_class, classes, func)
    spread = _nonnegative(spread, "spread", func)
    rng = np.random.default_rng(as_count(seed, "seed", func=func, minimum=0))
    labels = np.repeat(np.arange(classes), n)
    angle = 2 * np.pi * labels / classes
    centres = 0.6 * np.stack([np.cos(angle), np.sin(angle)])
    X = centres + spread * rng.standard_normal((2, n * classes))
    return Dataset(X, one_hot(labels, classes), labels)
