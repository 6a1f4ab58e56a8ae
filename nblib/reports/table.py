"""The one table type: what a notebook cell shows as rows and columns.

A proof module returns a :class:`Table` where a cell shows a table (numbers over layer
sizes, the derivative of every weight). It prints as aligned plain text; a table with a
mathematical cell (:class:`Math`) is typeset as a LaTeX array too. Cells are strings the
caller has already formatted, computed floats through :mod:`nblib.reports.portable` and
expressions through ``Math(sp.sstr(e), sp.latex(e))``, so a float cannot slip in with its
CPU-dependent digits, and this module needs no SymPy. What passes or fails is a check, not a
table: see :class:`nblib.reports.checks.CheckReport`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ALIGNMENTS", "Math", "Table"]

#: Column alignments: left, right, centred (the letters of a LaTeX array).
ALIGNMENTS = "lrc"
#: Characters that LaTeX's ``\text{…}`` does not show as themselves.
_NOT_TEXT = set("\\{}$&%#^_~")
_PAD = {"l": str.ljust, "r": str.rjust, "c": str.center}


@dataclass(frozen=True)
class Math:
    """A cell that is mathematics: ``text`` in plain output, ``latex`` when typeset."""

    text: str
    latex: str

    def __post_init__(self) -> None:
        """Refuse anything but two strings."""
        for name in ("text", "latex"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"Math: argument '{name}' must be a str "
                                f"(got {getattr(self, name)!r})")


def _text(cell: str | Math) -> str:
    return cell.text if isinstance(cell, Math) else cell


def _as_text(text: str) -> str:
    """Plain text for LaTeX's ``\\text{}``, refusing the characters it would not show."""
    bad = sorted(_NOT_TEXT & set(text))
    if bad:
        raise ValueError(f"Table: {text!r} cannot be typeset as text (it holds "
                         f"{' '.join(bad)}); give it as a Math cell")
    return text


@dataclass(frozen=True)
class Table:
    """Rows of formatted cells under a header, with an optional caption and notes.

    Parameters
    ----------
    header : tuple of str
        One title per column; empty for a table without a header line.
    rows : tuple of tuples of str or Math
        The cells, already formatted; every row has one cell per column.
    caption : str, optional
        A line shown above the table (bold when typeset).
    notes : tuple of str
        Lines shown below the table.
    align : str, optional
        One letter per column from :data:`ALIGNMENTS`; every column right-aligned if omitted.

    The plain text puts two spaces between columns, each padded to its widest cell. A table
    with a :class:`Math` cell also has a LaTeX form (``_repr_latex_``), an array whose
    mathematical cells are set in display style and whose other cells, caption and notes
    are set as text.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str | Math, ...], ...]
    caption: str | None = None
    notes: tuple[str, ...] = ()
    align: str | None = None

    def __post_init__(self) -> None:
        """Validate the fields and store them as tuples."""
        header, rows, notes = self.header, self.rows, self.notes
        if isinstance(header, str) or not all(isinstance(h, str) for h in header):
            raise TypeError(f"Table: argument 'header' must be a sequence of str (got {header!r})")
        rows = tuple(tuple(row) for row in rows)
        columns = len(header) if header else len(rows[0]) if rows else 0
        if columns == 0:
            raise ValueError("Table: a table needs a header or at least one row")
        for number, row in enumerate(rows, 1):
            if len(row) != columns:
                raise ValueError(f"Table: row {number} has {len(row)} cells, but the table has "
                                 f"{columns} columns")
            for cell in row:
                if not isinstance(cell, str | Math):
                    raise TypeError(f"Table: row {number} holds {cell!r}; a cell must be a str "
                                    "or Math, formatted by the caller (computed floats through "
                                    "nblib.reports.portable)")
        if self.caption is not None and not isinstance(self.caption, str):
            raise TypeError(f"Table: argument 'caption' must be a str (got {self.caption!r})")
        if isinstance(notes, str) or not all(isinstance(n, str) for n in notes):
            raise TypeError(f"Table: argument 'notes' must be a sequence of str (got {notes!r})")
        align = "r" * columns if self.align is None else self.align
        if not isinstance(align, str) or len(align) != columns or set(align) - set(ALIGNMENTS):
            raise ValueError(f"Table: argument 'align' must be {columns} letters from "
                             f"{ALIGNMENTS!r} (got {self.align!r})")
        object.__setattr__(self, "header", tuple(header))
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "notes", tuple(notes))
        object.__setattr__(self, "align", align)

    def lines(self) -> list[str]:
        """The plain-text lines: caption, header, rows, notes."""
        grid = [[_text(cell) for cell in row] for row in self.rows]
        if self.header:
            grid.insert(0, list(self.header))
        widths = [max(len(row[i]) for row in grid) for i in range(len(self.align))]
        body = ["  ".join(_PAD[a](cell, w) for cell, w, a in zip(row, widths, self.align,
                                                                   strict=True)).rstrip()
                for row in grid]
        return [*([self.caption] if self.caption is not None else []), *body, *self.notes]

    def __str__(self) -> str:
        """The plain-text table."""
        return "\n".join(self.lines())

    __repr__ = __str__

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Show the plain-text table in IPython."""
        printer.text(str(self))

    def _repr_latex_(self) -> str | None:
        """The table as a LaTeX array, if a cell is mathematics (else None: plain text only)."""
        if not any(isinstance(cell, Math) for row in self.rows for cell in row):
            return None

        def typeset(cell: str | Math) -> str:
            if isinstance(cell, Math):
                return rf"\displaystyle {cell.latex}"
            return rf"\text{{{_as_text(cell)}}}"

        head = " & ".join(map(typeset, self.header)) + r" \\ \hline " if self.header else ""
        body = r" \\ ".join(" & ".join(map(typeset, row)) for row in self.rows)
        parts = [rf"$$\begin{{array}}{{{self.align}}}{head}{body}\end{{array}}$$"]
        if self.caption is not None:
            parts.insert(0, rf"$\textbf{{{_as_text(self.caption)}}}$")
        return "\n\n".join([*parts, *(f"${typeset(note)}$" for note in self.notes)])
