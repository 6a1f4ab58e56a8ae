"""Interactive figures: one :class:`Explorer` per notebook, all built the same way."""

from nblib.explore.base import Explorer, slider
from nblib.explore.sigmoid import SigmoidExplorer

# Every explorer of the book, by notebook id: the benchmarks and tests iterate over this.
EXPLORERS: dict[str, type[Explorer]] = {
    "ex1": SigmoidExplorer,
}

__all__ = ["EXPLORERS", "Explorer", "SigmoidExplorer", "slider"]
