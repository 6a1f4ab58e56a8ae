"""Each explorer: median milliseconds per control step, blitted against a full redraw.

A step is what the kernel does when an attached browser moves a control: the change
handler (``update`` plus rendering) and the PNG frame that ipympl sends. The explorer runs
as it does under a page (``syncing_data_url`` off), so every step renders and encodes a
frame. Each value is measured twice, side by side under the same load: once as the
explorer serves it (blitted, unless a limit moved), and once forced to a full redraw of the
same figure (the figure marked stale first), with an untimed step back in between.

One untimed pass over every value comes first: the classifier trains each (hidden, η) pair
once and keeps it, and the first visit's seconds of training would otherwise dominate.

Targets: a median step of at most 1/4 of the full redraw's and at most 20 ms. An explorer
that misses gets the measured reason beside it: where its step's time went (the numerics in
``update``, drawing the moving layer, encoding the PNG) and how many steps redrew in full.
"""

from __future__ import annotations

import os
import statistics
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np

from nblib.explore import Explorer, explorers

TARGET_MS = 20.0
TARGET_RATIO = 0.25
STEPS = 16


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


@dataclass
class Clock:
    """Milliseconds spent in the wrapped parts of the steps being timed."""

    running: bool = False
    parts: dict[str, float] = field(default_factory=dict)

    def wrap(self, name: str, function: Callable) -> Callable:
        """``function``, timed into ``parts[name]`` while the clock runs."""
        def timed(*args, **kwargs):
            """``function``, its time added to the clock."""
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                if self.running:
                    self.parts[name] = (self.parts.get(name, 0.0)
                                        + (time.perf_counter() - start) * 1000)
        return timed


@dataclass
class Result:
    """Per-step times of one explorer, blitted and full, with where the blitted time went."""

    blitted: list[float]
    full: list[float]
    full_fallbacks: Counter
    parts: dict[str, float]
    frame_bytes: list[int]
    layer: str = ""
    controls: list[str] = field(default_factory=list)  # the control each blitted step moved

    @property
    def ratio(self) -> float:
        """Median blitted step over median full-redraw step."""
        return statistics.median(self.blitted) / statistics.median(self.full)

    def met(self) -> bool:
        """Both targets met."""
        return statistics.median(self.blitted) <= TARGET_MS and self.ratio <= TARGET_RATIO

    def reason(self) -> str:
        """Where the blitted steps' time went, largest part first."""
        total = sum(self.blitted)
        shares = sorted(self.parts.items(), key=lambda item: -item[1])
        text = ", ".join(f"{name} {100 * ms / total:.0f} %" for name, ms in shares)
        by_control = ", ".join(f"{name} {count}" for name, count in
                               self.full_fallbacks.most_common())
        count = sum(self.full_fallbacks.values())
        fallbacks = (f"; {count} of {len(self.blitted)} steps redrew in full (the static "
                     f"background changed; steps of {by_control})" if count else "")
        by_control = {}
        for name, ms in zip(self.controls, self.blitted, strict=True):
            by_control.setdefault(name, []).append(ms)
        medians = ", ".join(f"{name} {statistics.median(times):.0f}"
                            for name, times in by_control.items())
        return (f"time per step: {text}{fallbacks}; moving layer: {self.layer}; median ms "
                f"by control: {medians}")


def attach(explorer: Explorer) -> tuple[Clock, list[int]]:
    """Make the explorer serve a page: frames rendered and encoded at every step, timed."""
    clock, frames = Clock(), []
    canvas = explorer.canvas
    canvas.syncing_data_url = False  # as after the page's "initialized" message
    canvas.send_binary = lambda png: frames.append(len(png))
    explorer.update = clock.wrap("numerics (update)", explorer.update)
    canvas.get_diff_image = clock.wrap("PNG frame", canvas.get_diff_image)
    canvas.render = clock.wrap("full redraw", canvas.render)
    canvas._draw_moving = clock.wrap("moving layer", canvas._draw_moving)
    return clock, frames


def measure(cls: type[Explorer]) -> Result:
    """Time every control's values on one explorer, blitted and full, side by side."""
    explorer = cls()
    clock, frames = attach(explorer)
    plan = [(name, v) for name, control in explorer.controls.items()
            for v in control_values(control)]
    for name, v in plan:  # warm-up: training runs cached, fonts and glyphs loaded
        explorer.set(**{name: v})
    blitted, full, fallbacks, sizes, moved = [], [], Counter(), [], []
    for name, v in plan:
        before = explorer.value(name)
        if before == v:
            continue

        def step(value, forced: bool, name=name) -> float:
            """Milliseconds to set the control to ``value``; ``forced``: as a full redraw."""
            if forced:
                explorer.figure.stale = True
            start = time.perf_counter()
            explorer.set(**{name: value})
            return (time.perf_counter() - start) * 1000

        rendered = clock.parts.get("full redraw", 0.0)
        clock.running = True
        sent = len(frames)
        blitted.append(step(v, forced=False))
        moved.append(name)
        sizes.extend(frames[sent:])
        clock.running = False
        if clock.parts.get("full redraw", 0.0) != rendered:
            fallbacks[name] += 1
        step(before, forced=False)
        full.append(step(v, forced=True))
    kinds = Counter(type(artist).__name__ for artist in explorer.canvas.moving)
    layer = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
    return Result(blitted, full, fallbacks, clock.parts, sizes, layer, moved)


def main() -> bool:
    """Print one line per explorer; True if every explorer meets both targets."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Explorers: median ms per control step with a page attached (change handler + PNG "
          f"frame), blitted vs full redraw\n  targets: ≤ {TARGET_MS:.0f} ms and ≤ "
          f"{TARGET_RATIO:.2f} × full; {os.cpu_count()} CPUs, load average {load}")
    ok = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for cls in explorers():
            result = measure(cls)
            met = result.met()
            ok &= met
            print(f"  {cls.__name__:<22} step {statistics.median(result.blitted):5.1f} ms   "
                  f"full {statistics.median(result.full):5.1f} ms   ×{result.ratio:4.2f}   "
                  f"frame {statistics.median(result.frame_bytes) / 1024:5.1f} KB   "
                  f"{'ok' if met else 'MISSED: ' + result.reason()}")
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
