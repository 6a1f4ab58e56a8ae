"""Classification data sets: two-dimensional ones made with NumPy from a seed, and real
handwritten digits read from the repository.

Layout as in :class:`nblib.network.network.Network`: one column per example. ``X`` has shape
(inputs, m), the one-hot targets ``Y`` shape (classes, m), and ``labels`` the class of each
example, shape (m,). The same arguments always give the same arrays.

* :func:`spirals` and :func:`blobs`: points in the plane (``X`` of shape (2, m));
* :func:`digits`: the 1,797 8 × 8 handwritten digits of ``data/digits/`` (the test set of
  UCI's *Optical Recognition of Handwritten Digits*, CC BY 4.0; provenance and citation in
  ``data/digits/README.md``), checked against their SHA-256 before use; :func:`split` cuts
  a data set into a training and a test part by a seeded permutation.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import os
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from nblib.numerics.layer import one_hot
from nblib.numerics.validation import as_count, as_scalar, require_size

__all__ = ["DIGITS_FILE", "DIGITS_SHA256", "Dataset", "blobs", "digit_images", "digits",
           "spirals", "split"]


class Dataset(NamedTuple):
    """Inputs ``X`` (inputs, m), one-hot targets ``Y`` (classes, m), integer ``labels`` (m,)."""

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


# --------------------------------------------------------------------------- real digits

#: The vendored digits: 1,797 lines of 64 pixel counts (0..16) and the digit (0..9).
DIGITS_FILE = Path(__file__).resolve().parents[2] / "data" / "digits" / "digits.csv.gz"
#: SHA-256 of :data:`DIGITS_FILE` as scikit-learn 1.9.1 ships it (its wheel's RECORD).
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
DIGITS_SHAPE = (8, 8)
#: Largest pixel value: the number of ink pixels in a 4 × 4 block of the scanned bitmap.
DIGITS_MAX_PIXEL = 16


@functools.lru_cache(maxsize=4)
def _read_digits(path: Path, sha256: str, func: str) -> tuple[np.ndarray, np.ndarray]:
    """The images (m, 8, 8) and labels (m,) of a digits file, read-only; checked first."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        hint = ("it is part of the repository (data/digits/): restore it with git"
                if path == DIGITS_FILE else "argument 'path' names no file")
        raise ValueError(f"{func}: the digits file {path} is missing; {hint}") from None
    except OSError as exc:
        raise ValueError(f"{func}: argument 'path': the file {path} cannot be read "
                         f"({exc.strerror or exc})") from None
    found = hashlib.sha256(raw).hexdigest()
    if found != sha256:
        raise ValueError(f"{func}: the digits file {path} has SHA-256 {found}, not the expected "
                         f"{sha256}: it is damaged or not the vendored file")
    try:
        table = np.loadtxt(io.BytesIO(gzip.decompress(raw)), delimiter=",", dtype=np.int64,
                           ndmin=2)
    except (OSError, EOFError, ValueError) as exc:
        raise ValueError(f"{func}: the digits file {path} cannot be read as gzip-compressed "
                         f"CSV of integers ({exc})") from None
    pixels = DIGITS_SHAPE[0] * DIGITS_SHAPE[1]
    if table.shape[1] != pixels + 1:
        raise ValueError(f"{func}: the digits file {path} has {table.shape[1]} columns per line, "
                         f"not {pixels} pixels and a label")
    images, labels = table[:, :pixels], table[:, pixels]
    if images.min() < 0 or images.max() > DIGITS_MAX_PIXEL:
        raise ValueError(f"{func}: the digits file {path} has pixel values outside "
                         f"0..{DIGITS_MAX_PIXEL}")
    if labels.min() < 0 or labels.max() > 9:
        raise ValueError(f"{func}: the digits file {path} has labels outside 0..9")
    images = images.reshape(-1, *DIGITS_SHAPE)
    images.flags.writeable = False
    labels = np.ascontiguousarray(labels)
    labels.flags.writeable = False
    return images, labels


def _load(path: Any, sha256: Any, func: str) -> tuple[np.ndarray, np.ndarray]:
    """Validate the arguments of :func:`digit_images` or :func:`digits`, then read (once)."""
    if path is None:
        path = DIGITS_FILE
    if not isinstance(path, str | os.PathLike) or isinstance(path, bytes):
        raise TypeError(f"{func}: argument 'path' must be a file path or None "
                        f"(got {type(path).__name__})")
    if not isinstance(sha256, str):
        raise TypeError(f"{func}: argument 'sha256' must be a hex string "
                        f"(got {type(sha256).__name__})")
    images, labels = _read_digits(Path(path).resolve(), sha256.lower(), func)
    return images.copy(), labels.copy()


def digit_images(path: str | os.PathLike | None = None,
                 sha256: str = DIGITS_SHA256) -> tuple[np.ndarray, np.ndarray]:
    """The digits as pictures: integer images (m, 8, 8) of pixel counts 0..16, labels (m,).

    Reads :data:`DIGITS_FILE` (or ``path``) once per session, after checking that its
    SHA-256 is ``sha256``; the arrays returned are fresh copies.

    Raises
    ------
    ValueError
        If the file is missing or unreadable, its SHA-256 differs, or it is not a table of
        64 pixel counts in 0..16 and a label in 0..9 per line.
    TypeError
        If ``path`` is no path or ``sha256`` no string.
    """
    return _load(path, sha256, "digit_images")


def digits(path: str | os.PathLike | None = None, sha256: str = DIGITS_SHA256) -> Dataset:
    """The 1,797 handwritten digits as a :class:`Dataset` for a ``[64, …, 10]`` network.

    ``X`` (64, m) holds each image row by row, its pixel counts divided by 16, so every
    input lies in [0, 1] as the book's MNIST inputs do; ``Y`` (10, m) the one-hot digits;
    ``labels`` (m,) the digits 0..9. ``path`` and ``sha256`` as in :func:`digit_images`.
    """
    images, labels = _load(path, sha256, "digits")
    X = images.reshape(len(images), -1).T / float(DIGITS_MAX_PIXEL)
    return Dataset(X, one_hot(labels, 10), labels)


def split(data: Dataset, test: int, seed: int = 0) -> tuple[Dataset, Dataset]:
    """Cut ``data`` into (training, test) parts: a seeded permutation, its last ``test``
    examples for testing.

    ``rng.permutation(m)`` with ``rng = numpy.random.default_rng(seed)`` orders the
    examples; the first m − ``test`` go to the training part, the rest to the test part,
    each in that order. Both parts are new arrays.
    """
    func = "split"
    if not isinstance(data, Dataset):
        raise TypeError(f"{func}: argument 'data' must be a Dataset (got {type(data).__name__})")
    m = data.labels.size
    if m < 2:
        raise ValueError(f"{func}: argument 'data' needs at least 2 examples to split "
                         f"(got {m})")
    test = as_count(test, "test", func=func, minimum=1, maximum=m - 1)
    order = np.random.default_rng(as_count(seed, "seed", func=func, minimum=0)).permutation(m)
    parts = order[: m - test], order[m - test:]
    return tuple(Dataset(data.X[:, p], data.Y[:, p], data.labels[p]) for p in parts)
