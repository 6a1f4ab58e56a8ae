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


# xdist hands out one test file at a time, in collection order (the Makefile turns off its
# reordering, which sorts files by their number of tests and would start these one-test,
# minute-long files last). Longest first, alternating CPU-bound passes with browser modules
# that wait on other processes; the short files then fill in the end.
LONGEST_FIRST = (
    "tests/test_cpu_avx2.py",
    "tests/browser/test_notebooks_in_lab.py",
    "tests/test_cpu_baseline.py",
    "tests/browser/test_learner_sessions.py",
    "tests/browser/test_static_site.py",
)


def pytest_collection_modifyitems(config, items):
    """Put the longest test files first (a stable sort: the rest keep their order)."""
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
