"""The book's proofs and checks, one module per notebook, importable.

A notebook's derivations are written in its Symbolic-proof cells (those starting with
``#| export``); ``make export`` (``tools/export_proofs.py``) copies them verbatim between
the marker lines of its module here, so the index can count the checked steps, the errata
page can gather the source's wrong lines from the very same code, and the "Your turn"
widget can check a learner against the same worked proof. A module provides:

* ``DERIVATIONS``: the functions that build its :class:`~nblib.proof.derivation.Derivation`\\ s;
* ``CHECKS``: the functions that run its numeric checks, each returning a
  :class:`~nblib.reports.checks.CheckReport` (or one
  :class:`~nblib.reports.checks.CheckResult`, a report of one), each shown in its notebook;
* ``EXERCISE`` (optional): the declaration the "Your turn" widget uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from types import ModuleType

from nblib.proof.derivation import Derivation
from nblib.reports.checks import CheckReport, CheckResult


def load(notebook_id: str) -> ModuleType:
    """The proof module of a notebook id such as ``"ex1"``."""
    if not notebook_id.isidentifier():
        raise ValueError(f"load: {notebook_id!r} is not a notebook id")
    try:
        return importlib.import_module(f"nblib.proofs.{notebook_id}")
    except ModuleNotFoundError as err:
        raise ValueError(f"load: no proofs for notebook {notebook_id!r}") from err


def derivations(module: ModuleType) -> list[Derivation]:
    """Build every derivation of a proof module, in the notebook's order."""
    return [build() for build in module.DERIVATIONS]


def run_checks(checks: Iterable[Callable[[], CheckReport | CheckResult]]) -> CheckReport:
    """Run numeric checks (e.g. a module's ``CHECKS``) and gather their results in order; a
    check that returns one :class:`CheckResult` adds that one result."""
    results: list[CheckResult] = []
    for run in checks:
        outcome = run()
        results.extend([outcome] if isinstance(outcome, CheckResult) else outcome)
    return CheckReport(results)
