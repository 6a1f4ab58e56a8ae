"""Interactive figures: one :class:`Explorer` per notebook, all built the same way."""

from nblib.explore.base import Explorer, log_slider, slider
from nblib.explore.classifier import ClassifierExplorer
from nblib.explore.cross_entropy import CostRolesExplorer, InputFactorExplorer, MinimumExplorer
from nblib.explore.learning import GradientSizeExplorer, LinearOutputExplorer, SlowdownExplorer
from nblib.explore.sigmoid import SigmoidExplorer
from nblib.explore.softmax_inverse import GradientExplorer, InverseExplorer
from nblib.explore.softmax_layer import JacobianExplorer, LocalityExplorer, SumsExplorer
from nblib.explore.temperature import TemperatureExplorer

# Every explorer of the book, by notebook id, in the book's order: the benchmarks and
# tests iterate over this.
EXPLORERS: dict[str, type[Explorer]] = {
    "ex1": SigmoidExplorer,
    "ex2": CostRolesExplorer,
    "ex3": MinimumExplorer,
    "pb1": GradientSizeExplorer,
    "pb2": LinearOutputExplorer,
    "pb3": InputFactorExplorer,
    "ex4": SumsExplorer,
    "ex5": JacobianExplorer,
    "ex6": LocalityExplorer,
    "pb4": InverseExplorer,
    "pb5": GradientExplorer,
    "pb6": TemperatureExplorer,
    "slowdown": SlowdownExplorer,
    "bp": ClassifierExplorer,
}

__all__ = [
    "EXPLORERS",
    "ClassifierExplorer",
    "CostRolesExplorer",
    "Explorer",
    "GradientExplorer",
    "GradientSizeExplorer",
    "InputFactorExplorer",
    "InverseExplorer",
    "JacobianExplorer",
    "LinearOutputExplorer",
    "LocalityExplorer",
    "MinimumExplorer",
    "SigmoidExplorer",
    "SlowdownExplorer",
    "SumsExplorer",
    "TemperatureExplorer",
    "log_slider",
    "slider",
]
