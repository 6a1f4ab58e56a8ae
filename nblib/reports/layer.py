"""Checks of :mod:`nblib.numerics.layer`: its gradient formulas against central differences."""

from __future__ import annotations

from typing import Any

from nblib.numerics.layer import _layer, layer_cost, layer_gradients
from nblib.reports.checks import DEFAULT_FLOOR, CheckResult, check_gradient

__all__ = ["check_layer_gradients"]


def check_layer_gradients(
    w: Any,
    b: Any,
    x: Any,
    target: int,
    *,
    name: str,
    tol: float = 1e-6,
    h: float = 1e-6,
    floor: float = DEFAULT_FLOOR,
    resolution: float | None = None,
) -> list[CheckResult]:
    """Equations (82) and (81) against central differences of :func:`layer_cost`.

    Parameters
    ----------
    w, b, x, target
        The layer and the target class, as in :func:`layer_cost`.
    name : str
        Label put in front of each report line.
    tol, h, floor, resolution : float
        Passed to :func:`nblib.reports.checks.check_gradient`. For saturated layers (|z| in the
        hundreds) take a larger relative step h: z = w x + b is rounded to the spacing of
        floats near |z|, which is a relative error of that spacing/h in the step.

    Returns
    -------
    list of CheckResult
        Two results: the weights (82), then the biases (81).
    """
    w, b, x, target = _layer(w, b, x, target, "check_layer_gradients")
    if not isinstance(name, str):
        raise TypeError(f"check_layer_gradients: argument 'name' must be a str (got {name!r})")
    return [
        check_gradient(lambda v: layer_cost(v, b, x, target),
                       lambda v: layer_gradients(v, b, x, target)[0], w,
                       name=f"{name}: ∂C/∂w, (82)", tol=tol, h=h, floor=floor,
                       resolution=resolution),
        check_gradient(lambda v: layer_cost(w, v, x, target),
                       lambda v: layer_gradients(w, v, x, target)[1], b,
                       name=f"{name}: ∂C/∂b, (81)", tol=tol, h=h, floor=floor,
                       resolution=resolution),
    ]
