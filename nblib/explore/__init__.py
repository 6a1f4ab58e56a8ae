"""Interactive figures: one :class:`Explorer` per notebook, all built the same way.

Each explorer lives in the module of its topic (``nblib.explore.sigmoid`` …) and is imported
from there; :func:`explorers` finds them all, for the benchmarks.
"""

from __future__ import annotations

import importlib
import pkgutil

from nblib.explore.base import Explorer, log_slider, slider

__all__ = ["Explorer", "explorers", "log_slider", "slider"]


def explorers() -> list[type[Explorer]]:
    """Every explorer class of the book, by name: each module of this package imported."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    found, todo = set(), list(Explorer.__subclasses__())
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return sorted((c for c in found if c.__module__.startswith(f"{__name__}.")),
                  key=lambda c: c.__name__)
