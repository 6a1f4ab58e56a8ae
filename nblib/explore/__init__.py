"""Interactive figures: one :class:`Explorer` per notebook, all built the same way."""

from nblib.explore.base import Explorer, slider
from nblib.explore.sigmoid import SigmoidExplorer
from nblib.explore.softmax_layer import JacobianExplorer, LocalityExplorer, SumsExplorer

# Every explorer of the book, by notebook id: the benchmarks and tests iterate over this.
EXPLORERS: dict[str, type[Explorer]] = {
    "ex1": SigmoidExplorer,
    "ex4": SumsExplorer,
    "ex5": JacobianExplorer,
    "ex6": LocalityExplorer,
}

__all__ = [
    "EXPLORERS",
    "Explorer",
    "JacobianExplorer",
    "LocalityExplorer",
    "SigmoidExplorer",
    "SumsExplorer",
    "slider",
]
