"""Tests for nblib.reports.portable: computed numbers shown alike on every CPU, or refused."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nblib.reports.portable import MAX_DIGITS, error, fixed, number, numbers, scientific, vector

FEW = settings(max_examples=300, deadline=None)


def test_number_rounds_to_the_requested_digits():
    assert number(0.123456789) == "0.1235"
    assert number(-2.664612624239122, 6) == "-2.66461"
    assert number(9.348077867344255e-14, 3) == "9.35e-14"
    assert number(np.float64(1e300), 2) == "1e+300"
    assert number(float("inf")) == "inf" and number(float("-inf")) == "-inf"
    assert number(float("nan")) == "nan"


def test_integers_print_exactly():
    assert number(7) == "7" and number(np.int64(-12345678901)) == "-12345678901"
    assert number(30.0) == "30" and number(-0.0) == "0"
    assert number(123456.0, 4) == "1.235e+05"  # integral, but more digits than asked


def test_fixed():
    assert fixed(0.9998961, 5) == "0.99990"
    assert fixed(3.0000000000002, 5) == "3.00000"
    with pytest.raises(ValueError, match=r"^fixed: 12345\.6789 shows 9 significant digits"):
        fixed(12345.678912, 4)


def test_signs_and_scientific_notation_match_the_format_specs_they_replace():
    for x in (0.5, -0.25001, 3.3e-2, -2.0612e-9, 4.5399e-5, 0.0):
        assert fixed(x, 2, sign=True) == f"{x:+.2f}"
        assert scientific(x) == f"{x:.2e}" and scientific(x, 5, sign=True) == f"{x:+.4e}"
    with pytest.raises(ValueError, match=r"^scientific: 0\.125 lies on a rounding boundary"):
        scientific(0.125, 2)  # 1.2e-01 here, 1.3e-01 for a neighbour
    with pytest.raises(ValueError, match="argument 'digits' must be an integer from 1 to 6"):
        scientific(1 / 3, 7)


def test_more_digits_than_every_cpu_agrees_on_are_refused():
    with pytest.raises(ValueError, match=rf"^number: argument 'digits' must be an integer from 1 "
                                         rf"to {MAX_DIGITS}"):
        number(1 / 3, 15)
    with pytest.raises(ValueError, match="argument 'digits'"):
        number(1 / 3, 0)


def test_a_value_on_a_rounding_boundary_is_refused():
    # 0.12345 is stored as 0.123450000000000004174…: another CPU's 0.12344999999999999 would
    # print 0.1234, so neither digit can be promised.
    with pytest.raises(ValueError, match=r"^number: 0\.12345 lies on a rounding boundary"):
        number(0.12345, 4)
    with pytest.raises(ValueError, match="rounding boundary"):
        fixed(0.125, 2)  # exactly halfway: 0.12 here, 0.13 for a neighbour
    assert number(0.12345, 5) == "0.12345"  # one more digit: no boundary there


@FEW
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
       st.integers(1, MAX_DIGITS))
def test_what_is_shown_survives_cpu_noise(x, digits):
    # Property: a value that number() accepts prints the same for any neighbour within a
    # few ulps, i.e. for what another CPU's libm or BLAS would have computed. (An exact 0
    # is exact; a computed error near 0 is shown with error(), as a bound. Subnormals hold
    # a few bits only, and number() shows them as computed.)
    if abs(x) < np.finfo(float).tiny:  # 0 and subnormals: a few bits, no relative noise
        return
    try:
        shown = number(x, digits)
    except ValueError:
        return
    for neighbour in (np.nextafter(x, np.inf), np.nextafter(x, -np.inf), x * (1 + 1e-12)):
        assert number(float(neighbour), digits) == shown


def test_lists_and_vectors():
    assert numbers([0.5, 1 / 3, 2]) == "0.5, 0.3333, 2"
    assert vector(np.array([0.2689414213699951, 0.0, 0.7310585786300049])) == (
        "[0.2689, 0, 0.7311]")


def test_error_shows_a_bound_below_the_resolution():
    assert error(0.0, 1e-13) == error(1.1e-16, 1e-13) == "< 1e-13"
    assert error(3.4e-5, 1e-13) == "3e-05"
    with pytest.raises(ValueError, match=r"^error: argument 'value' must be a nonnegative"):
        error(float("nan"), 1e-13)


@pytest.mark.parametrize("bad", ["1.5", None, True, [1.0], 1 + 2j])
def test_non_numbers_are_refused_by_name(bad):
    with pytest.raises(TypeError, match=r"^number: expected a real number"):
        number(bad)
