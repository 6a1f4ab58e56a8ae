"""The errata page's remarks are Markdown with every formula written as TeX between $ signs,
so that JupyterLab and the static site typeset it and no TeX shows raw; the plain text is
that same Markdown."""

from __future__ import annotations

import re
from functools import cache
from html import unescape

import pytest
from nbconvert.filters.markdown import markdown2html

from nblib.book.catalogue import BOOK, proofs_of
from nblib.proof.derivation import Remark

TEXTS = ("where", "source_says", "what_holds")
# What would show raw outside a formula: TeX markup, and a formula written in Unicode beside
# typeset ones (Greek, operators, arrows, super- and subscripts, modifier letters such as ᴸ,
# combining accents such as the tilde of ỹ, the prime, ±, ×, ², ³, ¹).
TEX_MARKUP = re.compile(r"[\\{}^_]")
UNICODE_MATH = re.compile("[\u0300-\u03ff\u1d00-\u1dbf\u2032\u2070-\u209f\u2190-\u22ff"
                          "\u00b1\u00b2\u00b3\u00b9\u00d7]")
# The functions that build the remarks, found as nblib.book.errata.remarks finds them.
MAKERS = [make for entry in BOOK for make in getattr(proofs_of(entry), "REMARKS", ())]


@cache
def built(make) -> Remark:
    """The remark ``make`` builds, built once, when a test first needs it (building all 16
    computes their evidence: a few CPU-seconds, not to be spent at collection on every
    worker)."""
    return make()


def name_of(make) -> str:
    """A remark's function as a test id: ``ex5.notation_remark``."""
    return f"{make.__module__.rsplit('.', 1)[-1]}.{make.__name__}"


def words_and_formulas(text: str) -> tuple[list[str], list[str]]:
    """The words of a Markdown text and its formulas (the insides of its $…$ pairs), code
    spans left out; a '$' without its pair fails the test."""
    without_code = re.sub(r"`[^`]*`", "", text)
    parts = without_code.split("$")
    assert len(parts) % 2 == 1, f"a '$' without its pair in {text!r}"
    return parts[0::2], parts[1::2]


def test_there_are_remarks_of_both_kinds():
    assert len(MAKERS) == 16 and {built(make).float64 for make in MAKERS} == {True, False}


@pytest.mark.parametrize("make", MAKERS, ids=name_of)
def test_every_formula_is_tex_between_dollar_signs(make):
    remark = built(make)
    formulas = 0
    for name in TEXTS:
        text = getattr(remark, name)
        words, maths = words_and_formulas(text)
        for word in words:
            assert not TEX_MARKUP.search(word), f"{name}: TeX outside $…$ in {word!r}"
            assert not UNICODE_MATH.search(word), (
                f"{name}: mathematics in Unicode outside $…$ in {word!r}; write it as TeX")
        for tex in maths:
            assert tex.strip(), f"{name}: an empty $…$ in {text!r}"
            assert tex.isascii(), f"{name}: ${tex}$ holds Unicode; write it as TeX (\\le, -)"
            depths = _brace_depths(tex)
            assert min(depths) >= 0 and depths[-1] == 0, f"{name}: unpaired braces in ${tex}$"
        formulas += len(maths)
    assert formulas >= 2, f"{remark.where}: a remark about mathematics with no formula"


def _brace_depths(tex: str) -> list[int]:
    """The brace depth after each character of ``tex`` (TeX's escaped ``\\{`` aside)."""
    depths, depth = [], 0
    for i, char in enumerate(tex):
        if i and tex[i - 1] == "\\":
            pass
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        depths.append(depth)
    return depths or [0]


@pytest.mark.parametrize("make", MAKERS, ids=name_of)
def test_the_static_sites_markdown_keeps_every_formula_whole(make):
    remark = built(make)
    # The renderer of `make html` (nbconvert's markdown2html): each formula must reach
    # MathJax as written (no underscore taken for emphasis, no backslash for an escape), and
    # the words around it must hold no TeX.
    markdown = remark._repr_markdown_()
    html = markdown2html(markdown)
    # The words as the page shows them, code (a name such as log_softmax) aside.
    shown = unescape(re.sub(r"<[^>]+>", "", re.sub(r"<code>.*?</code>", "", html)))
    _, written = words_and_formulas(markdown)
    words, rendered = words_and_formulas(shown)
    assert rendered == written
    assert not any(TEX_MARKUP.search(word) for word in words), shown
    assert html.count("<strong>") == 1 and "<em>" not in html


@pytest.mark.parametrize("make", MAKERS, ids=name_of)
def test_the_plain_text_is_the_markdown(make):
    remark = built(make)
    # One text per remark: the terminal and nbval see what the page typesets.
    shown = str(remark)
    assert all(getattr(remark, name) in shown for name in TEXTS)
    assert all(getattr(remark, name) in remark._repr_markdown_() for name in TEXTS)


def remark(**texts: str) -> Remark:
    """A remark with the given texts and harmless others."""
    fields = {"where": "Exercise 0 · line 1", "source_says": "$a > 0$.",
              "what_holds": "$a \\ge 0$."} | texts
    return Remark("fake", **fields)


@pytest.mark.parametrize("name, text, message", [
    ("what_holds", "the sum Σ_{k≠j} is empty.", r"TeX markup \(_ \{ \}\) outside"),
    ("source_says", "(1 + e^{−z_j})^{−1}", r"TeX markup \(\^ _ \{ \}\)"),
    ("what_holds", r"the sum \sum_k e^{z_k}.", r"TeX markup \(\\ \^ _ \{ \}\)"),
    ("where", "line 2: a_j", r"TeX markup \(_\)"),
    ("what_holds", "$a_j > 0 for every $j$", r"a '\$' without its pair"),
    ("source_says", "`log_softmax(z)", r"a '`' without its pair"),
    ("what_holds", "display $$a$$ math", r"an empty \$…\$"),
])
def test_a_remark_with_tex_outside_its_formulas_is_refused(name, text, message):
    with pytest.raises(ValueError, match=f"^Remark: {name} .*{message}"):
        remark(**{name: text})


def test_a_remark_whose_text_is_not_a_string_is_refused():
    with pytest.raises(TypeError, match="Remark: argument 'what_holds' must be a str"):
        remark(what_holds=None)


def test_a_remark_may_name_code_and_use_dollar_math_freely():
    made = remark(what_holds="`log_softmax` gives $\\ln a_j = z_j - \\ln \\sum_k e^{z_k}$, "
                             "and $x_{12}$ too.")
    assert "`log_softmax`" in made._repr_markdown_()
