"""What the browser tests do to pb6's temperature widget: find the |c| slider, read the
value the page and the kernel hold, and wait for a move to show."""

from __future__ import annotations

import time

from playwright.sync_api import Error as PageError

from nblib.explore.temperature import LOG_C_MIN, LOG_C_STEP
from tests.browser.pages import CANVAS_STATS, KERNEL_PRINT

NOTEBOOK = "12_pb6_softmax_temperature.ipynb"
LABEL = "|c|"

# The page's own idea of the slider: noUiSlider's exponent and the base it raises.
PAGE_VALUE = """(target) => {
  const exponent = Number(target.noUiSlider.get());
  return {exponent, value: Math.pow(10, exponent)};
}"""


def slider_named(page, label: str):
    """The ipywidgets slider whose description is exactly ``label``."""
    sliders = page.locator(".widget-slider")
    for i in range(sliders.count()):
        if sliders.nth(i).locator(".widget-label").inner_text().strip() == label:
            return sliders.nth(i)
    raise AssertionError(f"no slider labelled {label!r}")


def kernel_value(page) -> float:
    """The c the kernel's explorer holds (found by type: the cell does not name it)."""
    code = (
        "import gc\n"
        "_e = [o for o in gc.get_objects() if type(o).__name__ == 'TemperatureExplorer'][-1]\n"
        "print(repr(float(_e.value('c'))))"
    )
    for attempt in range(3):
        try:
            return float(page.evaluate(KERNEL_PRINT, code))
        except PageError as error:
            # A kernel connection that reconnects (a busy server) cancels the request in
            # flight; ask again. A kernel that really restarted has no explorer left, and
            # the next attempt fails on that instead.
            if "Canceled future" not in str(error) or attempt == 2:
                raise
            page.wait_for_timeout(500)
    raise AssertionError("unreachable")


def page_value(slider) -> dict:
    return slider.locator(".noUi-target").evaluate(PAGE_VALUE)


def wait_for_change(page, readout, canvas, text: str, pixels: int) -> dict:
    page.wait_for_function("([el, t]) => el.innerText !== t",
                           arg=[readout.element_handle(), text], timeout=10_000)
    page.wait_for_function(f"(c) => ({CANVAS_STATS})(c).hash !== {pixels}",
                           arg=canvas, timeout=15_000)
    return page.evaluate(CANVAS_STATS, canvas)


def assert_same_value_in_page_and_kernel(page, slider, timeout: float = 10.0) -> float:
    """The kernel ends up holding exactly the page's value, and the exponent is on the grid.

    A drag sends a stream of values; the kernel works through them in order, so it may
    lag behind the page for a moment. It must catch up, and then agree to the last bit.
    """
    held = page_value(slider)
    steps = (held["exponent"] - LOG_C_MIN) / LOG_C_STEP
    assert steps == round(steps), f"exponent {held['exponent']!r} is off the grid"
    deadline = time.monotonic() + timeout
    while (kernel := kernel_value(page)) != held["value"] and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert kernel == held["value"], f"kernel {kernel!r} != page {held['value']!r}"
    assert page_value(slider) == held, "the page's value moved after the kernel caught up"
    shown = float(slider.locator(".widget-readout").inner_text())
    assert abs(shown - kernel) <= 5e-3 * kernel, (shown, kernel)
    return kernel
