"""The chapter's experiment on real digits: one network shape, three costs, the same SGD.

The book ("Using the cross-entropy to classify MNIST digits") trains a [784, 30, 10]
network by mini-batch SGD (mini-batches of 10, 30 epochs) on MNIST, once under the
quadratic cost (Chapter 1, η = 3.0) and once under the cross-entropy (η = 0.5), with the
weights and biases drawn from N(0, 1) (``large_weight_initializer``). Here the same on the
8 × 8 digits of :func:`nblib.network.datasets.digits`: a [64, 30, 10] network, its
training and test images cut once by :func:`nblib.network.datasets.split`, trained by
:meth:`Network.train <nblib.network.network.Network.train>` under one of :data:`COSTS`:

* ``"quadratic"``: sigmoid outputs, C = ½‖a − y‖²;
* ``"cross_entropy"``: sigmoid outputs, the cross-entropy summed over the outputs;
* ``"log_likelihood"``: softmax outputs, C = −ln a_y.

:func:`train_digits` runs one (cost, η, epochs, seed) and records, after every epoch, the
test images classified right, in all and per digit, and the network's answers (counts),
and the cost on the
training images. A run is
kept once made (the notebook's table and its explorer share them).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from nblib.network.datasets import Dataset, digits, split
from nblib.network.network import MAX_EPOCHS, Network
from nblib.numerics.validation import as_count, as_scalar

__all__ = [
    "BATCH_SIZE",
    "COSTS",
    "EPOCHS",
    "HIDDEN",
    "SEED",
    "SPLIT_SEED",
    "TEST_IMAGES",
    "DigitsRun",
    "digits_data",
    "initial_network",
    "train_digits",
]

#: The output layer each cost is trained with.
COSTS = {"quadratic": "sigmoid", "cross_entropy": "sigmoid", "log_likelihood": "softmax"}
HIDDEN = 30
BATCH_SIZE = 10
EPOCHS = 30
#: Test images: a third of the 1,797; the other 1,200 train.
TEST_IMAGES = 597
SPLIT_SEED = 0
#: The default seed of a run: its initial parameters, then its shuffling.
SEED = 1


@functools.cache
def _data() -> tuple[Dataset, Dataset]:
    """The training and test parts, made once."""
    return split(digits(), TEST_IMAGES, SPLIT_SEED)


def digits_data() -> tuple[Dataset, Dataset]:
    """(training, test): the 1,797 digits cut into 1,200 and :data:`TEST_IMAGES` by a
    permutation seeded with :data:`SPLIT_SEED`; copies, safe to change."""
    return tuple(Dataset(*(a.copy() for a in part)) for part in _data())


def _check_cost(cost: object, func: str) -> str:
    """``cost`` if it is one of :data:`COSTS`, else a ``ValueError`` naming the choices."""
    if not isinstance(cost, str) or cost not in COSTS:
        raise ValueError(f"{func}: argument 'cost' must be one of {tuple(COSTS)} (got {cost!r})")
    return cost


def initial_network(cost: str, seed: int = SEED) -> Network:
    """The [64, 30, 10] network a run starts from, with the book's large initial weights.

    ``rng = numpy.random.default_rng(seed)`` draws every bias, then every weight, layer by
    layer, from N(0, 1), as network2.py's ``large_weight_initializer`` (and Chapter 1's
    network.py) do; the network keeps ``rng`` for its shuffling. The output layer is
    ``COSTS[cost]``.
    """
    func = "initial_network"
    cost = _check_cost(cost, func)
    rng = np.random.default_rng(as_count(seed, "seed", func=func, minimum=0))
    sizes = (_data()[0].X.shape[0], HIDDEN, 10)
    biases = [rng.standard_normal((n, 1)) for n in sizes[1:]]
    weights = [rng.standard_normal((n_out, n_in)) for n_in, n_out in pairwise(sizes)]
    return Network.from_parameters(weights, biases, output=COSTS[cost], cost=cost, seed=rng)


@dataclass(frozen=True)
class DigitsRun:
    """One training run: entry e of each array is the state after e epochs (e = 0: start).

    ``right[e]`` counts the test images whose largest output is their digit (the network's
    answer is right), ``right_by_digit[e, d]`` those among the test images of digit d;
    ``answers[e, d]`` counts the test images whose largest output is digit d (the answer
    d, right or wrong); ``training_cost[e]`` is the run's own cost averaged over the
    training images.
    """

    cost: str
    eta: float
    seed: int
    right: np.ndarray
    right_by_digit: np.ndarray
    answers: np.ndarray
    training_cost: np.ndarray
    test_images: int

    @property
    def epochs(self) -> int:
        """Epochs trained."""
        return len(self.right) - 1

    @property
    def accuracy(self) -> np.ndarray:
        """``right / test_images`` after each epoch, a fraction in [0, 1]."""
        return self.right / self.test_images


def _answers(net: Network, test: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Per digit: its test images answered right (largest output in its row), and the
    test images answered with it."""
    answer = net.feedforward(test.X).argmax(axis=0)
    right = np.bincount(test.labels[answer == test.labels], minlength=10)
    return right, np.bincount(answer, minlength=10)


@functools.lru_cache(maxsize=256)
def _train(cost: str, eta: float, epochs: int, seed: int) -> DigitsRun:
    """The run for validated arguments, made once and kept (its arrays read-only)."""
    train, test = _data()
    net = initial_network(cost, seed)
    found = [_answers(net, test)]
    history = net.train(train.X, train.Y, epochs, BATCH_SIZE, eta,
                        callback=lambda epoch, trained: found.append(_answers(trained, test)))
    by_digit = np.array([r for r, _ in found])
    answers = np.array([a for _, a in found])
    right = by_digit.sum(axis=1)
    for array in (right, by_digit, answers, history.cost):
        array.flags.writeable = False
    return DigitsRun(cost, eta, seed, right, by_digit, answers, history.cost, test.labels.size)


def train_digits(cost: str, eta: float, epochs: int = EPOCHS, seed: int = SEED) -> DigitsRun:
    """Train :func:`initial_network` (``cost``, ``seed``) on the 1,200 training digits.

    Mini-batch SGD by :meth:`Network.train <nblib.network.network.Network.train>`:
    mini-batches of :data:`BATCH_SIZE`, learning rate ``eta``, ``epochs`` epochs, shuffled
    by the network's own generator (continuing the one that drew its parameters).

    Raises
    ------
    ValueError
        For a cost not in :data:`COSTS`, η ≤ 0, epochs outside 1..MAX_EPOCHS, a negative
        seed, or a run that diverges (η far too large).
    TypeError
        For arguments of the wrong type.
    """
    func = "train_digits"
    cost = _check_cost(cost, func)
    eta = as_scalar(eta, "eta", func=func)
    if eta <= 0:
        raise ValueError(f"{func}: argument 'eta' (the learning rate) must be positive "
                         f"(got {eta})")
    epochs = as_count(epochs, "epochs", func=func, minimum=1, maximum=MAX_EPOCHS,
                      limit="nblib.network.network.MAX_EPOCHS")
    seed = as_count(seed, "seed", func=func, minimum=0)
    try:
        return _train(cost, eta, epochs, seed)
    except ValueError as exc:  # the network's own message, e.g. that the run diverged
        raise ValueError(f"{func}: {exc}") from None
