"""Watching float64 at work: which NumPy warnings a computation raises."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any


def float_warnings(func: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
    """Call ``func`` under NumPy's default error settings and collect its warnings.

    Returns the result and the distinct warning messages in the order they first appeared
    (for example ``["overflow encountered in exp"]``), so a notebook can show that a naive
    formula overflows where a stable one stays quiet.
    """
    if not callable(func):
        raise TypeError(f"float_warnings: func must be callable, got {type(func).__name__}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = func(*args, **kwargs)
    messages: list[str] = []
    for w in caught:
        if str(w.message) not in messages:
            messages.append(str(w.message))
    return result, messages
