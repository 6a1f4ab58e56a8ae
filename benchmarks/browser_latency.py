"""Key press on the temperature slider to changed pixels in the figure, in JupyterLab.

Headless Chromium drives a private JupyterLab (see tests/browser/lab.py). A keydown
listener stamps the press; a loop in the page stamps the first frame in which the
figure's canvas differs. Both times come from the page's own clock, so the measurement
holds no Python round trip. Target: median ≤ 100 ms.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from tests.browser.lab import chromium_available, chromium_page, running_lab
from tests.browser.pages import RUN_ALL, figure_canvases, open_notebook
from tests.browser.test_temperature import LABEL, NOTEBOOK, slider_named

TARGET_MS = 100.0
PRESSES = 24

ARM = """(canvas) => {
  const hash = () => {
    const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 16) h = (h * 31 + d[i] + d[i + 1] + d[i + 2]) | 0;
    return h;
  };
  window.__latency = {start: null, end: null, before: hash()};
  document.addEventListener('keydown', () => {
    window.__latency.start = performance.now();
    const poll = () => {
      if (hash() !== window.__latency.before) { window.__latency.end = performance.now(); }
      else { setTimeout(poll, 1); }
    };
    poll();
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


def main() -> bool:
    """Print the median latency over the presses; True if within the target."""
    print("\nTemperature slider in JupyterLab: key press → changed pixels")
    if not chromium_available():
        raise RuntimeError("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp, running_lab(Path(tmp)) as lab, \
            chromium_page() as page:
        open_notebook(page, lab, NOTEBOOK)
        page.evaluate(RUN_ALL)
        slider = slider_named(page, LABEL)
        slider.scroll_into_view_if_needed()
        canvas = figure_canvases(page)[-1]
        slider.locator(".noUi-handle").focus()
        keys = ["ArrowRight"] * (PRESSES // 2) + ["ArrowLeft"] * (PRESSES // 2)
        times = [measure(page, canvas, key) for key in keys]
    median = statistics.median(times)
    ok = median <= TARGET_MS
    print(f"  median {median:5.1f} ms over {len(times)} presses "
          f"(min {min(times):.1f}, max {max(times):.1f}; target ≤ {TARGET_MS:.0f} ms)   "
          f"{'ok' if ok else 'MISSED'}")
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
