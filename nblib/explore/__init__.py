"""Interactive figures: one :class:`Explorer` per notebook, all built the same way."""

from nblib.explore.base import Explorer, log_slider, slider
from nblib.explore.sigmoid import SigmoidExplorer
from nblib.explore.softmax_inverse import GradientExplorer, InverseExplorer
from nblib.explore.softmax_layer import JacobianExplorer, LocalityExplorer, SumsExplorer
from nblib.explore.temperature import TemperatureExplorer

# Every explorer of the book, by notebook id: the benchmarks and tests iterate over this.
EXPLORERS: dict[str, type[Explorer]] = {
    "ex1": SigmoidExplorer,
    "ex4": SumsExplorer,
    "ex5": JacobianExplorer,
    "ex6": LocalityExplorer,
    "pb4": InverseExplorer,
    "pb5": GradientExplorer,
    "pb6": TemperatureExplorer,
}

__all__ = [
    "EXPLORERS",
    "Explorer",
    "GradientExplorer",
    "InverseExplorer",
    "JacobianExplorer",
    "LocalityExplorer",
    "SigmoidExplorer",
    "SumsExplorer",
    "TemperatureExplorer",
    "log_slider",
    "slider",
]
