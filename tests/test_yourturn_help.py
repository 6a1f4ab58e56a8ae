""""How to type a line": the help of every Your-turn box, and the notebooks that point to it.

The help is written once (nblib/yourturn/help.py) and built for each exercise from its
declaration. These tests read what it shows (its HTML, not the rows it was built from) and
type every spelling it shows into the exercise's parser: each must read as the mathematics
shown beside it. The notebooks keep only their own exercise's names and a pointer to the help.
"""

from __future__ import annotations

import html
import re

import pytest
import sympy as sp

from nblib.book.catalogue import BOOK
from nblib.proofs import load
from nblib.yourturn import YourTurn
from nblib.yourturn.help import help_html
from nblib.yourturn.parse import InputError, parse_line
from tests.notebooks import NOTEBOOK_DIR, notebook_paths, read

EXERCISES = {entry.id: load(entry.id).EXERCISE for entry in BOOK}
# Markup the help names as itself, not as a line to type.
MARKUP = {"*", "**", "^", r"\frac{…}{…}", r"\cdot", "^{…}", r"\left(", r"\right)"}
# The longest "### Your turn" cell may have this many words (LaTeX counts word by word); the
# cells held 213 to 393 words when each repeated the syntax help.
WORD_BUDGET = 150
# The box's help in the words the notebooks used to repeat it: none may come back. (How
# the worked proofs are checked, told at the head of each symbolic proof, is not the box's.)
GENERIC_HELP = ("Two ways of writing", "SymPy syntax:", "SymPy syntax, ", "* LaTeX",
                "`**` or `^`", "Derivative(f,", "is compared with the line before it",
                "needs a running kernel", "A line the box cannot read")
# Functions every box knows and the help lists; the notebooks need not name them.
COMMON = {sp.exp, sp.log, sp.Derivative}


def codes(fragment: str) -> list[str]:
    """The text of every <code> element in an HTML fragment, unescaped."""
    return [html.unescape(c) for c in re.findall(r"<code[^>]*>(.*?)</code>", fragment)]


def table_rows(page: str) -> list[tuple[str, list[str], list[str]]]:
    """The names table: (the mathematics, SymPy spellings, LaTeX spellings) per row."""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", page)[1:]:
        math, sympy, latex = re.findall(r"<td[^>]*>(.*?)</td>", row)
        rows.append((html.unescape(math), codes(sympy), codes(latex)))
    return rows


def read_as(text: str, exercise) -> str:
    """The line typed, read by the box, printed as the help prints mathematics."""
    return sp.latex(parse_line(text, exercise), ln_notation=True)


# The widget ------------------------------------------------------------------------------
def test_the_help_is_hidden_at_first_and_toggles():
    turn = YourTurn(EXERCISES["ex1"])
    children = list(turn.widget.children)
    # Under the box and its answer, so that opening it moves neither.
    assert children.index(turn.feedback_view) < children.index(turn.help_button) \
        < children.index(turn.help_view)
    assert turn.help_button.description == "How to type a line"
    assert turn.help_button.value is False and turn.help_view.layout.display == "none"
    assert turn.help_view.value == help_html(turn.exercise)
    turn.help_button.value = True
    assert turn.help_view.layout.display != "none"
    turn.help_button.value = False
    assert turn.help_view.layout.display == "none"


def test_the_help_does_not_touch_the_chain():
    turn = YourTurn(EXERCISES["ex1"])
    turn.submit("exp(-z)/(1+exp(-z))**2")
    turn.help_button.value = True
    assert len(turn.chain) == 2 and turn.last.status == "accepted"


def test_the_static_output_is_unchanged_by_the_help():
    # Without a kernel there is no toggle to press: the fallback names no help.
    bundle = YourTurn(EXERCISES["ex1"])._repr_mimebundle_()
    assert "How to type" not in bundle["text/latex"] + bundle["text/plain"]


# The help of every exercise ---------------------------------------------------------------
@pytest.mark.parametrize("key", EXERCISES)
def test_the_help_names_every_name_of_the_exercise_in_both_syntaxes(key):
    exercise = EXERCISES[key]
    page = help_html(exercise)
    shown = codes(page)
    assert "SymPy syntax" in page and "LaTeX" in page
    for name in exercise.symbols:
        assert name in shown, name
    for name, func in exercise.functions.items():
        if func is not sp.Derivative:
            assert any(c.startswith(f"{name}(") for c in shown), name
    rows = table_rows(page)
    assert len(rows) == len({id(v) for v in exercise.symbols.values()}) + len(
        {id(f) for f in exercise.functions.values()})
    # A LaTeX spelling wherever LaTeX has one: softplus alone has no LaTeX name here.
    without = [sympy for _, sympy, latex in rows if not latex]
    assert without == ([["softplus(z)"]] if "softplus" in exercise.functions else [])
    derivative = [latex for _, sympy, latex in rows if sympy[0].startswith("Derivative(")]
    if sp.Derivative in exercise.functions.values():
        (latex,) = derivative
        assert any(s.startswith(r"\frac{d}{d") for s in latex)
        assert any(s.startswith(r"\frac{\partial}{\partial ") for s in latex)
        assert any(s.startswith(r"\partial_{") for s in latex)
    else:
        assert not derivative and "no derivatives" in page


@pytest.mark.parametrize("key", EXERCISES)
def test_every_spelling_the_help_shows_reads_as_the_mathematics_beside_it(key):
    exercise = EXERCISES[key]
    page = help_html(exercise)
    for math, sympy, latex in table_rows(page):
        claimed = math.strip("$").split(" = ")[0]  # the name, before its definition
        for text in sympy + latex:
            assert read_as(text, exercise) == claimed, (text, claimed)
    # The two example lines, one per syntax, read as the same expression.
    sympy_example, latex_example = re.findall(r"for example (<code[^>]*>.*?</code>)", page)
    (sympy_example,), (latex_example,) = codes(sympy_example), codes(latex_example)
    assert "\\" in latex_example and "\\" not in sympy_example
    assert parse_line(sympy_example, exercise) == parse_line(latex_example, exercise)
    # Every other piece of code the help shows is markup named as such, or a line that
    # reads (the table's, checked above).
    table = {t for _, sympy, latex in table_rows(page) for t in sympy + latex}
    for text in set(codes(page)) - MARKUP - table:
        parse_line(text, exercise)


def test_the_definitions_shown_are_the_ones_checked():
    page = help_html(EXERCISES["ex2"])
    maths = [math for math, _, _ in table_rows(page)]
    assert r"$\sigma\left(z\right) = \frac{1}{1 + e^{- z}}$" in maths
    assert r"$\operatorname{softplus}\left(z\right) = \ln{\left(e^{z} + 1 \right)}$" in maths
    pb4 = [math for math, _, _ in table_rows(help_html(EXERCISES["pb4"]))]
    assert "$a_{3} = - a_{1} - a_{2} + 1$" in pb4  # the hypothesis the box builds in


def test_a_wrong_spelling_would_be_caught():
    # The check above can fail: a spelling read as something else is told apart.
    exercise = EXERCISES["ex5"]
    assert read_as("a(2)", exercise) != read_as("a(1)", exercise)
    with pytest.raises(InputError):
        parse_line("a_1", exercise)  # a_1 is a(1) here, not a symbol


# The notebooks -----------------------------------------------------------------------------
def your_turn_markdown(entry) -> str:
    """The notebook's "### Your turn" cell, checked to stand just before the box."""
    cells = read(NOTEBOOK_DIR / entry.filename).cells
    (i,) = [i for i, c in enumerate(cells)
            if c.cell_type == "markdown" and c.source.startswith("### Your turn")]
    assert cells[i + 1].source == f"YourTurn({entry.id}.EXERCISE)"
    return cells[i].source


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_no_notebook_repeats_the_generic_help(path):
    for cell in read(path).cells:
        if cell.cell_type == "markdown":
            for phrase in GENERIC_HELP:
                assert phrase not in cell.source, (phrase, cell.source[:80])


@pytest.mark.parametrize("entry", BOOK, ids=lambda e: e.id)
def test_each_your_turn_cell_is_short_and_points_to_the_help(entry):
    text = your_turn_markdown(entry)
    assert len(text.split()) <= WORD_BUDGET
    assert "**How to type a line**" in text


@pytest.mark.parametrize("entry", BOOK, ids=lambda e: e.id)
def test_each_your_turn_cell_names_its_exercises_own_names_rightly(entry):
    exercise = EXERCISES[entry.id]
    text = your_turn_markdown(entry)
    quoted = re.findall(r"`([^`]+)`", text)
    for value in {*exercise.symbols.values(), *exercise.functions.values()} - COMMON:
        names = {n for n, v in (*exercise.symbols.items(), *exercise.functions.items())
                 if v is value}
        assert any(q in names or q.startswith(tuple(f"{n}(" for n in names)) or
                   q.startswith(tuple(f"\\{n}(" for n in names)) for q in quoted), names
    for text in quoted:  # what the notebook shows typed is read by the box
        if text not in exercise.functions:
            parse_line(text, exercise)
