"""Browser tests run when Debian's Chromium is present; CI makes a missing browser an error."""

from __future__ import annotations

import os
from collections import deque

import pytest

from tests.browser.lab import CHROMIUM, chromium_available, chromium_page, running_lab
from tests.browser.pages import CONSOLE_LINES

# .ci/run sets this so that CI can never pass by skipping the browser tests.
REQUIRED = os.environ.get("NNADL_REQUIRE_BROWSER") == "1"
SKIP_REASON = f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)"


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests when Chromium is missing, unless CI requires them.

    When required, the tests are left to run and fail where they launch the browser.
    """
    if chromium_available() or REQUIRED:
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A private JupyterLab serving a copy of the notebooks, for one test module."""
    with running_lab(tmp_path_factory.mktemp("lab")) as running:
        yield running


@pytest.fixture(scope="module")
def page():
    """A headless Chromium page, for one test module; its last console messages are kept in
    ``page.console_tail`` for a failure to show (see ``pages.console_tail``)."""
    with chromium_page() as browser_page:
        browser_page.console_tail = deque(maxlen=CONSOLE_LINES)
        browser_page.on("console", lambda message: browser_page.console_tail.append(
            f"{message.type}: {message.text[:300]}"))
        yield browser_page
