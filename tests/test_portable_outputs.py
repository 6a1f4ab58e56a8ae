"""Every stored output that nbval compares follows the portability rule of nblib.reports.portable.

nbval re-runs each notebook and compares its text with what is stored here. Stored text
must therefore be what every CPU computes: no float with more significant digits than
:data:`nblib.reports.portable.MAX_DIGITS`, and no check line whose error escaped its stated bound.
``make test`` also re-runs every notebook under three CPU settings (see the Makefile).
"""

from __future__ import annotations

import re

import pytest

from nblib.reports.portable import MAX_DIGITS
from tests.notebooks import notebook_paths, read

# A decimal numeral with a fraction or an exponent (integers are exact and may be long).
NUMERAL = re.compile(r"(?<![\w.])\d*\.\d+(?:[eE][-+]?\d+)?|(?<![\w.])\d+[eE][-+]?\d+")
COMPARED = ("text/plain", "text/latex", "text/markdown")


def significant_digits(numeral: str) -> int:
    """Significant digits of a numeral such as ``0.000390`` (3) or ``2.5e-16`` (2)."""
    mantissa = re.split(r"[eE]", numeral)[0].replace(".", "")
    return len(mantissa.lstrip("0")) or 1


def compared_texts(path):
    """(cell number, text) for every output of a notebook that nbval compares."""
    for number, cell in enumerate(read(path).cells):
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                yield number, output.text
            elif output.output_type == "error":
                yield number, "\n".join(output.traceback)
            for mime in COMPARED:
                if mime in output.get("data", {}):
                    yield number, output.data[mime]


def test_significant_digits():
    assert [significant_digits(n) for n in ("0.000390", "2.5e-16", "36.7368", "1e300",
                                            "0.9999999999999998", "0.0")] == [3, 2, 6, 1, 16, 1]


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_stored_outputs_show_only_what_every_cpu_computes(path):
    for cell, text in compared_texts(path):
        for match in NUMERAL.finditer(text):
            numeral = match.group()
            assert significant_digits(numeral) <= MAX_DIGITS, (
                f"{path.name}, cell {cell}: {numeral} has more than {MAX_DIGITS} significant "
                f"digits, which differ between CPUs; show it with nblib.reports.portable "
                f"(…{text[max(0, match.start() - 60):match.end()]})")
        assert "not below the stated resolution" not in text, (
            f"{path.name}, cell {cell}: a check's error escaped its stated bound; state a "
            f"larger resolution")
