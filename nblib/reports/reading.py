"""How a check report reads in a notebook: a sentence per fact, a table where there are many.

The plain-text report (one line per check, "worst relative error < 1e-08, tolerance 1e-06 ✓")
is exact but reads like a test log. The page shows instead, as HTML:

* up to :data:`SENTENCES` checks as one short sentence each, ``✓ name: exact.``;
* more as a compact table (mark, what was checked, the result in a few words), under a
  sentence that counts them;

and keeps the plain-text report one click away, in a ``<details>`` element. Both views come
from the same results, so nbval compares them together.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Protocol

# Reports with at most this many checks read as sentences; longer ones as a table.
SENTENCES = 3


class Result(Protocol):
    """What a view needs of a check: :class:`nblib.reports.checks.CheckResult` has it."""

    name: str
    passed: bool

    def verdict(self) -> str: ...


def _mark(result: Result) -> str:
    return "✓" if result.passed else "✗"


def _sentence(result: Result) -> str:
    return f"<p>{_mark(result)} {html.escape(result.name)}: {html.escape(result.verdict())}.</p>"


def _details(text: str) -> str:
    return ("<details><summary>the checks as they print</summary>"
            f"<pre>{html.escape(text)}</pre></details>")


def result_html(result: Result, text: str) -> str:
    """One check as one sentence, its printed line one click away."""
    return _sentence(result) + _details(text)


def report_html(results: Sequence[Result], text: str) -> str:
    """A report as sentences (few checks) or as a counted table (many), its printed form
    one click away."""
    if len(results) <= SENTENCES:
        return "".join(_sentence(r) for r in results) + _details(text)
    failed = sum(not r.passed for r in results)
    head = (f"<p>✓ All {len(results)} checks pass:</p>" if not failed else
            f"<p>✗ {failed} of {len(results)} checks fail:</p>")
    rows = "".join(f"<tr><td>{_mark(r)}</td><td style=\"text-align:left\">"
                   f"{html.escape(r.name)}</td><td style=\"text-align:left\">"
                   f"{html.escape(r.verdict())}</td></tr>" for r in results)
    table = ("<table><thead><tr><th></th><th style=\"text-align:left\">checked</th>"
             "<th style=\"text-align:left\">result</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>")
    return head + table + _details(text)
