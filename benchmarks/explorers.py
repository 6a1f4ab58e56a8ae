"""Each explorer: median milliseconds per control step, in place against rebuilding.

A step is what the browser triggers: set one control, then render the figure (Agg, the
same work ipympl does before sending the image). "Rebuild" is the pattern this project
avoids: a new figure for every change, as ``interact`` does.
"""

from __future__ import annotations

import statistics
import time
import warnings

import ipywidgets as widgets
import numpy as np

from nblib.explore import explorers

TARGET_MS = 100.0
TARGET_SPEEDUP = 2.0
STEPS = 24


def control_values(control: widgets.ValueWidget, count: int = STEPS) -> list:
    """Values a user might step through: the slider's grid, or the options of a choice."""
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider)):
        lo, hi, step = control.min, control.max, control.step
        grid = np.arange(lo, hi + step / 2, step)
        picks = grid[np.linspace(0, len(grid) - 1, min(count, len(grid))).round().astype(int)]
        return [type(control.value)(v) for v in picks]
    if isinstance(control, (widgets.BoundedFloatText, widgets.BoundedIntText)):
        # Typed numbers: evenly spread over the box's range, as a reader might try them.
        picks = np.linspace(control.min, control.max, count)
        return [type(control.value)(v) for v in picks]
    if hasattr(control, "options"):
        labels = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return (labels * count)[:count]
    if isinstance(control, widgets.Checkbox):
        return [bool(i % 2) for i in range(count)]
    raise TypeError(f"no benchmark values for {type(control).__name__}")


def median_ms(run, values) -> float:
    """Median wall time of ``run(value)`` over the values, in milliseconds."""
    times = []
    for v in values:
        start = time.perf_counter()
        run(v)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(cls) -> tuple[float, float]:
    """(in-place ms, rebuild ms) per step for one explorer class, all controls in turn."""
    explorer = cls()
    in_place, rebuild = [], []
    for name, control in explorer.controls.items():
        values = control_values(control)

        def step(v, name=name):
            explorer.set(**{name: v})
            explorer.figure.canvas.draw()

        def fresh(v, name=name):
            cls(**{name: v}).figure.canvas.draw()

        in_place.append(median_ms(step, values))
        rebuild.append(median_ms(fresh, values))
    return statistics.median(in_place), statistics.median(rebuild)


def main() -> bool:
    """Print one line per explorer; True if every explorer meets both targets."""
    print(f"Explorers: median ms per control step (target ≤ {TARGET_MS:.0f} ms, "
          f"≥ {TARGET_SPEEDUP:.0f}× faster than rebuilding the figure)")
    ok = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for cls in explorers():
            name = cls.__name__
            in_place, rebuilt = measure(cls)
            ratio = rebuilt / in_place
            met = in_place <= TARGET_MS and ratio >= TARGET_SPEEDUP
            ok &= met
            print(f"  {name:<22} in place {in_place:6.1f} ms   rebuild {rebuilt:6.1f} ms   "
                  f"×{ratio:4.1f}   {'ok' if met else 'MISSED'}")
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
