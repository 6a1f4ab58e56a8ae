"""Tests for nblib.reports.table: the one table type, as plain text and as LaTeX."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nblib.reports.table import Math, Table


class Printer:
    """Minimal stand-in for IPython's pretty printer."""

    def __init__(self):
        self.out = ""

    def text(self, s):
        self.out += s


def test_columns_are_right_aligned_by_default_two_spaces_apart():
    table = Table(("a", "bbb"), (("1", "2"), ("333", "4")))
    assert str(table) == "  a  bbb\n  1    2\n333    4"
    assert repr(table) == str(table) and table.lines() == str(table).splitlines()
    printer = Printer()
    table._repr_pretty_(printer, cycle=False)
    assert printer.out == str(table)


def test_alignment_per_column_and_no_trailing_spaces():
    table = Table(("case", "n", "="), (("long label", "1", "x"), ("s", "100", "yyy")),
                  align="lrc")
    assert table.lines() == ["case          n   =",
                             "long label    1   x",
                             "s           100  yyy"]
    assert all(line == line.rstrip() for line in table.lines())


def test_caption_above_notes_below_and_an_empty_header():
    table = Table((), (("x", "1"), ("yy", "22")), caption="Title", notes=("2 rows", "done"),
                  align="ll")
    assert str(table) == "Title\nx   1\nyy  22\n2 rows\ndone"


def test_widths_count_characters_not_bytes():
    table = Table(("σ′(z)", "|∂C/∂b_j|"), (("0.25", "4.54e-05"),))
    assert table.lines() == ["σ′(z)  |∂C/∂b_j|", " 0.25   4.54e-05"]


def test_a_table_of_text_has_no_latex_form():
    assert Table(("a",), (("1",),))._repr_latex_() is None


def test_math_cells_are_typeset_in_an_array():
    row = (Math(r"\frac{\partial C}{\partial b_{1}}", r"\frac{\partial C}{\partial b_{1}}"),
           Math("=", "="), Math("a_1 - y_1", r"a_{1} - y_{1}"), Math("✓", r"\checkmark"))
    table = Table((), (row, row), caption="Cross-entropy: all biases",
                  notes=("2 steps checked: 2 ✓",), align="rcll")
    assert str(table).splitlines() == [
        "Cross-entropy: all biases",
        r"\frac{\partial C}{\partial b_{1}}  =  a_1 - y_1  ✓",
        r"\frac{\partial C}{\partial b_{1}}  =  a_1 - y_1  ✓",
        "2 steps checked: 2 ✓",
    ]
    cells = (r"\displaystyle \frac{\partial C}{\partial b_{1}} & \displaystyle = & "
             r"\displaystyle a_{1} - y_{1} & \displaystyle \checkmark")
    assert table._repr_latex_() == (
        r"$\textbf{Cross-entropy: all biases}$" + "\n\n"
        + r"$$\begin{array}{rcll}" + cells + r" \\ " + cells + r"\end{array}$$" + "\n\n"
        + r"$\text{2 steps checked: 2 ✓}$")


def test_text_cells_and_header_of_a_typeset_table_are_set_as_text():
    table = Table(("x", "value"), ((Math("a", "a"), "b"),), align="lr")
    assert table._repr_latex_() == (r"$$\begin{array}{lr}\text{x} & \text{value} \\ \hline "
                                    r"\displaystyle a & \text{b}\end{array}$$")
    with pytest.raises(ValueError, match=r"'a_j' cannot be typeset as text.*Math cell"):
        Table(("a_j",), ((Math("a", "a"),),))._repr_latex_()


def test_cells_must_be_formatted_by_the_caller():
    with pytest.raises(TypeError, match=r"row 1 holds 0.5; a cell must be a str or Math"):
        Table(("a",), ((0.5,),))
    with pytest.raises(TypeError, match=r"row 2 holds"):
        Table(("a",), (("1",), (np.float64(2.0),)))
    with pytest.raises(TypeError, match="argument 'latex' must be a str"):
        Math("a", None)


def test_shape_and_fields_are_validated():
    with pytest.raises(ValueError, match="row 2 has 1 cells, but the table has 2 columns"):
        Table(("a", "b"), (("1", "2"), ("3",)))
    with pytest.raises(ValueError, match="needs a header or at least one row"):
        Table((), ())
    with pytest.raises(TypeError, match="argument 'header'"):
        Table("ab", (("1", "2"),))
    with pytest.raises(TypeError, match="argument 'caption'"):
        Table(("a",), (("1",),), caption=3)
    with pytest.raises(TypeError, match="argument 'notes'"):
        Table(("a",), (("1",),), notes="one note")
    for align in ("l", "lx", "LR"):
        with pytest.raises(ValueError, match="argument 'align' must be 2 letters"):
            Table(("a", "b"), (("1", "2"),), align=align)


def test_rows_are_stored_as_tuples_and_the_table_is_frozen():
    table = Table(["a", "b"], [["1", "2"]], notes=["n"])
    assert table.header == ("a", "b") and table.rows == (("1", "2"),)
    assert table.notes == ("n",) and table.align == "rr"
    with pytest.raises(dataclasses.FrozenInstanceError):
        table.caption = "x"
    assert Table(("a",), ()).lines() == ["a"]  # a header and no rows yet
