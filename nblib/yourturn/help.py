"""The help of a "Your turn" box, "How to type a line": written once, built per exercise.

:func:`help_html` builds it from an :class:`~nblib.proof.exercise.Exercise`: the rules every
box shares (the two syntaxes, how a line is checked, what ✓ and ✗ say, the buttons), and a
table of the exercise's own names (its symbols and functions), each spelled as typed in
SymPy syntax and in LaTeX beside what it reads as. :func:`typed_names` gives that table's
rows, so that a test can read every spelling back with
:func:`~nblib.yourturn.parse.parse_line` and compare.

The spellings come from rules, not from parsing at run time: the LaTeX reader takes 0.7 s
to load, and the box loads it only when the learner is about to type.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import sympy as sp

from nblib.proof.exercise import Exercise
from nblib.yourturn.parse import GREEK

# A symbol's name that LaTeX reads as it is (z, y, x_1, C_x), and one it reads once a "_" is
# put before the digits (z1 → z_1).
_LATEX_NAME = re.compile(r"[A-Za-z](_[A-Za-z0-9]+)?")
_NAME_AND_DIGITS = re.compile(r"([A-Za-z])(\d+)")
# LaTeX markup named in the help (backslashes cannot stand inside an f-string's braces).
# The widget's HTML has no table style of its own: a little room between the columns.
CELL = 'style="padding: 1px 1.5em 1px 0; text-align: left; vertical-align: top"'
FRAC, CDOT, LEFT, RIGHT = r"\frac{…}{…}", r"\cdot", r"\left(", r"\right)"


@dataclass(frozen=True)
class TypedName:
    """One row of the help's table: how a name is typed, and what it reads as.

    ``sympy`` and ``latex`` are the spellings in each syntax (``latex`` is empty where LaTeX
    has none); every one of them reads as ``means``.
    """

    sympy: tuple[str, ...]
    latex: tuple[str, ...]
    means: sp.Expr


def typed_names(exercise: Exercise) -> list[TypedName]:
    """The exercise's names as the help lists them: its symbols, its functions applied to
    an argument of the exercise, and last its derivative (if it has one)."""
    variable = _variable(exercise)
    rows = [TypedName(tuple(names), _symbol_latex(names), symbol)
            for symbol, names in _grouped(exercise.symbols)]
    by_symbol = {row.means: row for row in rows}
    greek = None  # σ(z), when there is one: a derivative can name it alone, dσ/dz
    for func, names in _grouped(exercise.functions):
        if func is not sp.Derivative:
            arg = _argument(exercise, func, variable)
            typed = by_symbol.get(arg) or TypedName((str(arg),), (str(arg),), arg)
            rows.append(_function_row(func, names, typed))
            if greek is None and set(names) & GREEK and rows[-1].latex and arg == variable:
                greek = rows[-1]
    if sp.Derivative in exercise.functions.values():
        rows.append(_derivative_row(exercise, by_symbol[variable], rows, greek))
    return rows


def _grouped(mapping: Mapping[str, object]) -> list[tuple[object, list[str]]]:
    """The mapping's values in order, each with all the names that map to it (z1 and z_1)."""
    groups: list[tuple[object, list[str]]] = []
    for name, value in mapping.items():
        group = next((names for v, names in groups if v is value), None)
        if group is None:
            groups.append((value, [name]))
        else:
            group.append(name)
    return groups


def _symbol_latex(names: Iterable[str]) -> tuple[str, ...]:
    """How LaTeX spells a symbol that SymPy syntax calls by one of ``names``."""
    spellings = []
    for name in names:
        if name in GREEK:
            spellings.append("\\" + name)
        elif _LATEX_NAME.fullmatch(name):
            spellings.append(name)
        elif match := _NAME_AND_DIGITS.fullmatch(name):
            spellings.append(f"{match[1]}_{match[2]}")
    return tuple(dict.fromkeys(spellings))


def _variable(exercise: Exercise) -> sp.Symbol:
    """The symbol the exercise differentiates by first, or else its first symbol."""
    for node in sp.preorder_traversal(exercise.start):
        if isinstance(node, sp.Derivative):
            return node.variables[0]
    return next(iter(exercise.symbols.values()))


def _argument(exercise: Exercise, func: Callable, variable: sp.Symbol) -> sp.Basic:
    """An argument to show ``func`` with: the first one the start or the target gives it
    that is a symbol or an integer (``a(1)``), or else ``variable``."""
    for expr in (exercise.start, exercise.target):
        for node in sp.preorder_traversal(expr):
            if getattr(node, "func", None) is func and len(node.args) == 1:
                (arg,) = node.args
                if arg.is_Integer or arg in exercise.symbols.values():
                    return arg
    return variable


def _function_row(func: Callable, names: list[str], arg: TypedName) -> TypedName:
    """A function's row: each of its names applied to ``arg``, in each syntax."""
    sympy_arg, latex_arg = arg.sympy[0], (arg.latex[0] if arg.latex else None)
    latex: tuple[str, ...] = ()
    if latex_arg is not None:
        if func is sp.exp:
            latex = (f"e^{{{latex_arg}}}", rf"\exp({latex_arg})")
        elif func is sp.log:
            latex = (rf"\ln({latex_arg})",)
        elif greek := [n for n in names if n in GREEK]:
            latex = (rf"\{greek[0]}({latex_arg})",)
        elif short := [n for n in names if len(n) == 1]:
            latex = (f"{short[0]}({latex_arg})",)  # LaTeX reads f(x) as a function applied
    sympy = tuple(f"{name}({sympy_arg})" for name in names)
    return TypedName(sympy, latex, func(arg.means))


def _derivative_row(exercise: Exercise, by: TypedName, rows: list[TypedName],
                    greek: TypedName | None) -> TypedName:
    """The derivative's row, by the variable ``by``: of what the start differentiates if
    that is a name of the table, else of ``greek`` (σ(z)), else of the variable squared."""
    started = next((node.expr for node in sp.preorder_traversal(exercise.start)
                    if isinstance(node, sp.Derivative)), None)
    operand = next((row for row in rows if row.means == started and row.latex), greek)
    if operand is None or not by.latex:
        operand = TypedName((f"{by.sympy[0]}**2",), tuple(f"{v}^2" for v in by.latex[:1]),
                            by.means**2)
    sympy = (f"Derivative({operand.sympy[0]}, {by.sympy[0]})",)
    latex: tuple[str, ...] = ()
    if by.latex:
        v, f = by.latex[0], operand.latex[0]
        latex = (rf"\frac{{d}}{{d{v}}} {f}", rf"\frac{{\partial}}{{\partial {v}}} {f}",
                 rf"\partial_{{{v}}} {f}")
        # The quotient form names what is differentiated alone: the function (dσ/dz, and
        # its prime, σ'(z)) or the symbol (∂a_1/∂c).
        d = "d" if len(set(exercise.symbols.values())) == 1 else "\\partial "
        if operand is greek:
            name = f.split("(")[0]
            latex += (rf"\frac{{{d}{name}}}{{{d}{v}}}", rf"{name}'({v})")
        elif isinstance(operand.means, sp.Symbol):
            latex += (rf"\frac{{{d}{f}}}{{{d}{v}}}",)
    return TypedName(sympy, latex, sp.Derivative(operand.means, by.means))


# The help as HTML ---------------------------------------------------------------------
def _code(text: str) -> str:
    """Text as typed, which MathJax must leave alone, on one line (a spelling broken at its
    spaces reads as two)."""
    return ('<code class="tex2jax_ignore mathjax_ignore" style="white-space: nowrap">'
            f"{html.escape(text, quote=False)}</code>")


def _codes(spellings: Iterable[str]) -> str:
    """Spellings joined by "or"; a dash where there are none."""
    return " or ".join(map(_code, spellings)) or "—"


def _meaning(row: TypedName) -> str:
    """What a row reads as, in mathematics, with the definition a name stands for (σ, a_1)."""
    latex = sp.latex(row.means, ln_notation=True)
    if not isinstance(row.means, sp.Derivative):
        definition = row.means.doit(deep=False)
        if definition != row.means:
            latex += " = " + sp.latex(definition, ln_notation=True)
    return "$" + html.escape(latex, quote=False) + "$"


def syntax_example(exercise: Exercise) -> TypedName:
    """The line both syntaxes are shown with: (1 + z)²/(2z), in the exercise's first
    variable (in numbers, should that variable have no LaTeX spelling)."""
    (by,) = [row for row in typed_names(exercise) if row.means == _variable(exercise)]
    if not by.latex:
        return TypedName(("(1 + 3)**2/(2*3)",), (r"\frac{(1+3)^{2}}{2 \cdot 3}",),
                         sp.Rational(8, 3))
    v, vl = by.sympy[0], by.latex[0]
    return TypedName((f"(1 + {v})**2/(2*{v})",), (rf"\frac{{(1+{vl})^{{2}}}}{{2 {vl}}}",),
                     (1 + by.means)**2 / (2 * by.means))


def help_html(exercise: Exercise) -> str:
    """The help of ``exercise``'s box, as HTML for an HTMLMath widget."""
    example = syntax_example(exercise)
    cells = ([_meaning(row), _codes(row.sympy), _codes(row.latex) if row.latex
              else "none: write out what it stands for"] for row in typed_names(exercise))
    table = "".join("<tr>" + "".join(f"<td {CELL}>{c}</td>" for c in row) + "</tr>"
                    for row in cells)
    derivatives = ("" if sp.Derivative in exercise.functions.values()
                   else "<li>This exercise has no derivatives to type.</li>")
    return (
        '<div style="line-height: 1.5">'
        "<p>Type what comes after the next “=” (a leading “=” is fine) and press Enter or "
        "<b>Check</b>. Two ways of writing are read:</p><ul>"
        f"<li>SymPy syntax, as in Python: {_code('*')} or a space for a product, "
        f"{_code('**')} or {_code('^')} for a power, round brackets; for example "
        f"{_code(example.sympy[0])};</li>"
        f"<li>LaTeX, as in the book: {_code(FRAC)}, {_code(CDOT)} or a space for a product, "
        f"{_code('^{…}')} for a power, {_code(LEFT)} and {_code(RIGHT)}; for example "
        f"{_code(example.latex[0])}.</li></ul>"
        "<p>The names of this exercise, in each syntax:</p>"
        f"<table><tr><th {CELL}>reads as</th><th {CELL}>SymPy syntax</th><th {CELL}>LaTeX</th>"
        "</tr>"
        f"{table}</table><ul>{derivatives}"
        "<li>Each line is checked against the line before it by the check of the worked "
        "proofs: SymPy must reduce the difference of the two lines to zero, and the two must "
        "agree at random values of the symbols.</li>"
        "<li>✓: the line joins your chain, and the next line is checked against it. ✗: the "
        "box gives values of the symbols where the two lines differ, and both lines' values "
        "there; when the repair of a common slip (a sign, a power, a constant factor, a "
        "missing chain-rule factor, two symbols swapped) passes the same check, it names the "
        "slip and shows the repaired line.</li>"
        "<li>The line before, typed again unchanged, adds nothing; a line the box cannot read "
        "gets a message saying why.</li>"
        "<li><b>Show next step</b> adds the worked proof's next line to your chain; "
        "<b>Clear</b> starts again from the first line.</li>"
        "<li>The box answers only while the notebook's kernel runs: after a restart, run the "
        "notebook again.</li></ul></div>"
    )
