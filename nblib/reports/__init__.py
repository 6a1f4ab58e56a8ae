"""Checking and reporting: numeric checks whose report lines read alike on every CPU.

What belongs here: the portability rule for shown numbers (:mod:`~nblib.reports.portable`),
finite differences and the reports of checks (:mod:`~nblib.reports.checks`), the one table
type for what a cell shows as rows and columns (:mod:`~nblib.reports.table`), checks of the
numerics' own formulas (:mod:`~nblib.reports.layer`) and high-precision oracles
(:mod:`~nblib.reports.oracles`).

What it may import: :mod:`nblib.numerics` and mpmath (for the oracles); no SymPy.
"""
