"""The first lines of every run say what it will and will not test on this machine.

(pytest reads ``pytest_report_header`` only from conftest files next to the paths it is
given, so this hook lives here rather than in tests/browser.)
"""

from __future__ import annotations

from tests.browser.conftest import REQUIRED, SKIP_REASON
from tests.browser.lab import CHROMIUM, chromium_available
from tests.cpu_settings import SETTINGS, unavailable


def pytest_report_header(config):
    """One line on the browser tests, one on the CPU-setting passes."""
    if chromium_available():
        browser = f"browser tests: Chromium at {CHROMIUM}"
    elif REQUIRED:
        browser = f"browser tests: REQUIRED but no Chromium at {CHROMIUM}"
    else:
        browser = SKIP_REASON
    cpus = unavailable() or (f"CPU-setting passes: strict nbval also under "
                             f"{' and '.join(SETTINGS)} (tests/cpu_settings.py)")
    return [browser, cpus]
