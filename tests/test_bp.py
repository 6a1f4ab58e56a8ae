"""The reports of the backprop notebook (nblib.proofs.bp) that tests/test_proofs.py does not
show: the comparisons of two backprop variants, and the table of other layer sizes."""

from __future__ import annotations

import pytest

from nblib.proofs import bp
from nblib.reports.checks import CheckReport
from nblib.reports.table import Table


def test_a_comparison_claims_the_wrong_variant_is_off_and_checks_the_right_one():
    report = bp._comparison(("wrong", "right"), ("w^2", "w^3"), (0.67, 2.0), (3e-9, 4e-8))
    assert isinstance(report, CheckReport) and report.passed
    assert str(report).splitlines() == [
        "wrong, w^2: error 0.67, off by at least 0.1 ✓",
        "wrong, w^3: error 2, off by at least 0.1 ✓",
        "right, w^2: worst relative error within the tolerance 1e-06 ✓",
        "right, w^3: worst relative error within the tolerance 1e-06 ✓",
        "all 4 checks passed",
    ]


@pytest.mark.parametrize(("wrong", "right", "failing"), [
    ((0.67, 0.05), (0.0, 0.0), "wrong, w^3: error 0.05, off by at least 0.1 ✗"),
    ((0.67, 2.0), (0.0, 0.001), "right, w^3: worst relative error 0.001, over the tolerance "
                                "1e-06 ✗"),
])
def test_a_comparison_fails_when_either_variant_is_not_as_claimed(wrong, right, failing):
    report = bp._comparison(("wrong", "right"), ("w^2", "w^3"), wrong, right)
    assert not report.passed and [str(r) for r in report.failures] == [failing]
    with pytest.raises(AssertionError, match="1 of 4 checks failed"):
        report.assert_ok()


def test_output_error_comparison_in_every_layer():
    report = bp.output_error_comparison().assert_ok()
    names = [r.name for r in report]
    assert names == ["δᴸ = aᴸ − y, w^2", "δᴸ = aᴸ − y, w^3", "δᴸ = aᴸ − y, w^4",
                     "δᴸ = aᴸ Σy − y, w^2", "δᴸ = aᴸ Σy − y, w^3", "δᴸ = aᴸ Σy − y, w^4"]
    assert all(float(r.detail.split()[1].rstrip(",")) >= bp.TOO_LARGE for r in report[:3])
    assert all(r.worst_error <= bp.TOLERANCE / 2 for r in report[3:])


def test_output_error_sizes_summary_is_a_table():
    table = bp.output_error_sizes_summary((2, 4))
    assert isinstance(table, Table) and table.header == ()
    assert table.rows[0] == ("n = 2:", "δ^L_1 = -y_1 + (y_1 + y_2)*a^L_1", "(1 step checked ✓)")
    first, second = str(table).splitlines()
    assert first.index("(1 step") == second.index("(1 step")  # the last column aligned
