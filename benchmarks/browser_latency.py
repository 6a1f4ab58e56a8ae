"""Key press on an explorer's slider to changed pixels in the figure, in JupyterLab.

Three explorers: pb6's temperature slider (c), ex5's heat map (the Δzₖ slider) and the
slowdown curves (the epochs slider). Headless Chromium drives a private JupyterLab (see
tests/browser/lab.py). A keydown listener stamps the press; a loop in the page stamps the
first frame in which the figure's canvas differs. Both times come from the page's own
clock, so the measurement holds no Python round trip. Target: median ≤ 50 ms each.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from tests.browser.lab import chromium_available, chromium_page, running_lab
from tests.browser.pages import RUN_ALL, close_and_shut_down, figure_canvases, open_notebook
from tests.browser.test_temperature import slider_named

TARGET_MS = 50.0
PRESSES = 24
#: (what is measured, notebook, label of the slider the keys move)
CASES = (
    ("pb6 temperature, c", "12_pb6_softmax_temperature.ipynb", "c"),
    ("ex5 heat map, Δzₖ", "08_ex5_softmax_monotone.ipynb", "Δzₖ"),
    ("slowdown curves, epochs", "13_slowdown_learning_demo.ipynb", "epochs"),
)

# The figure's canvas is watched where ipympl paints it: after every drawImage on its
# context the pixels are fingerprinted once, so the page does no busy polling that would
# take CPU from the kernel; a slow poll stands by in case a frame arrives another way.
ARM = """(canvas) => {
  const context = canvas.getContext('2d');
  const hash = () => {
    const d = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 16) h = (h * 31 + d[i] + d[i + 1] + d[i + 2]) | 0;
    return h;
  };
  const state = window.__latency = {start: null, end: null, before: hash()};
  const check = () => {
    if (state.start !== null && state.end === null && hash() !== state.before) {
      state.end = performance.now();
    }
  };
  if (!context.__watched) {
    const draw = context.drawImage;
    context.drawImage = function (...args) {
      draw.apply(this, args);
      if (window.__latency) window.__latency.check();
    };
    context.__watched = true;
  }
  state.check = check;
  document.addEventListener('keydown', () => {
    state.start = performance.now();
    const poll = () => { check(); if (state.end === null) setTimeout(poll, 25); };
    setTimeout(poll, 25);
  }, {capture: true, once: true});
}"""


def measure(page, canvas, key: str) -> float:
    """Milliseconds from one key press to the first changed frame."""
    page.evaluate(ARM, canvas)
    page.keyboard.press(key)
    page.wait_for_function("() => window.__latency.end !== null", timeout=15_000)
    latency = page.evaluate("() => window.__latency.end - window.__latency.start")
    page.wait_for_timeout(150)  # let the kernel settle before the next press
    return latency


def presses(page, lab, notebook: str, label: str) -> list[float]:
    """Open and run the notebook, then time each key press on the slider ``label``."""
    open_notebook(page, lab, notebook)
    page.evaluate(RUN_ALL)
    slider = slider_named(page, label)
    slider.scroll_into_view_if_needed()
    canvas = figure_canvases(page)[-1]
    slider.locator(".noUi-handle").focus()
    keys = ["ArrowRight"] * (PRESSES // 2) + ["ArrowLeft"] * (PRESSES // 2)
    try:
        return [measure(page, canvas, key) for key in keys]
    finally:
        close_and_shut_down(page, lab)


def main() -> bool:
    """Print the median latency of each case; True if every one is within the target."""
    print(f"\nExplorers in JupyterLab: key press → changed pixels (target median ≤ "
          f"{TARGET_MS:.0f} ms)")
    if not chromium_available():
        raise RuntimeError("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    ok = True
    with tempfile.TemporaryDirectory() as tmp, running_lab(Path(tmp)) as lab, \
            chromium_page() as page:
        for name, notebook, label in CASES:
            times = presses(page, lab, notebook, label)
            median = statistics.median(times)
            met = median <= TARGET_MS
            ok &= met
            print(f"  {name:<24} median {median:5.1f} ms over {len(times)} presses "
                  f"(min {min(times):.1f}, max {max(times):.1f})   {'ok' if met else 'MISSED'}")
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
