"""Derivatives written in LaTeX, found before SymPy's LaTeX reader sees the line.

SymPy's reader takes ``\\frac{d}{dz}`` only for a one-letter variable, and neither
``\\partial`` nor a prime. :func:`extract_derivatives` finds every derivative a learner may
write, cuts it out of the line and puts a placeholder symbol in its place:

* ``\\frac{d}{dz} f``, ``\\frac{\\partial}{\\partial z_1} f``, ``\\partial_{z_1} f``, where
  ``f`` is the one term that follows (a fraction, a bracket, a function applied, a symbol);
* ``\\frac{d\\sigma}{dz}``, ``\\frac{\\partial a_1}{\\partial z_1}``: a function named alone is
  applied to the variable, a symbol is taken as it is;
* ``\\sigma'(z)``: the derivative of the function at a variable.

The caller reads the line, and each cut-out function and variable, with the same checked
reader, then puts ``Derivative(f, z)`` where each placeholder stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPACE = re.compile(r"(?:\s|\\[,;:! ])*")
_NAME = r"(?:\\[a-zA-Z]+|[a-zA-Z])(?:_\{[^{}]*\}|_[a-zA-Z0-9])?"
_D = r"(?:d|\\partial)"
# \frac{d}{dz} or \frac{\partial}{\partial z_1} (also \dfrac, \tfrac): an operator.
_OPERATOR = re.compile(rf"\\[dt]?frac\s*\{{\s*{_D}\s*\}}\s*\{{\s*{_D}\s*({_NAME})\s*\}}")
# \partial_{z_1}, \partial_{z_{1}} or \partial_z: an operator (its variable: one level of
# nested braces at most).
_SUBSCRIPT = re.compile(r"\\partial\s*_\s*(\{(?:[^{}]|\{[^{}]*\})*\}|[a-zA-Z])")
# \frac{d\sigma}{dz}, \frac{\partial a_1}{\partial z_1}: a derivative of a name.
_QUOTIENT = re.compile(
    rf"\\[dt]?frac\s*\{{\s*{_D}\s*({_NAME})\s*\}}\s*\{{\s*{_D}\s*({_NAME})\s*\}}")
# \sigma'(z): a primed function at a variable.
_PRIME = re.compile(rf"({_NAME})\s*'\s*\(\s*({_NAME})\s*\)")
PLACEHOLDER = "Z_{{9{:03d}}}"


@dataclass(frozen=True)
class Cut:
    """One derivative cut out of a line: its placeholder, what is differentiated (LaTeX),
    and the variable (LaTeX)."""

    placeholder: str
    function: str
    variable: str


def extract_derivatives(line: str, functions: frozenset[str]) -> tuple[str, list[Cut]]:
    """The line with each derivative replaced by a placeholder, and the cuts in order.

    ``functions`` are the exercise's function names (``sigma``, ``a``): a name among them
    written alone in ``\\frac{d\\sigma}{dz}`` is applied to the variable.
    """
    cuts: list[Cut] = []

    def cut(function: str, variable: str) -> str:
        placeholder = PLACEHOLDER.format(len(cuts))
        variable = variable.strip()
        if variable.startswith("{") and variable.endswith("}"):
            variable = variable[1:-1]
        cuts.append(Cut(placeholder, function, variable.strip()))
        return f" {placeholder} "

    def applied(name: str, variable: str) -> str:
        bare = name.lstrip("\\")
        return f"{name}({variable})" if bare in functions else name

    line = _PRIME.sub(lambda m: cut(f"{m[1]}({m[2]})", m[2]), line)
    line = _QUOTIENT.sub(lambda m: cut(applied(m[1], m[2]), m[2]), line)
    for pattern in (_OPERATOR, _SUBSCRIPT):
        while (match := pattern.search(line)) is not None:
            end = _operand_end(line, match.end())
            if end is None:
                break  # nothing follows the operator: the reader's own message will say so
            operand = line[match.end():end]
            line = line[:match.start()] + cut(operand, match[1]) + line[end:]
    return line, cuts


def _operand_end(line: str, start: int) -> int | None:
    """Where the one term after ``start`` ends: a fraction, a bracket, ``e^{…}``, a
    function applied to a bracket, or a symbol with its sub- and superscripts."""
    i = _SPACE.match(line, start).end()
    if i >= len(line):
        return None
    if line.startswith(("\\frac", "\\dfrac", "\\tfrac"), i):
        i = line.index("frac", i) + 4
        for _ in range(2):
            i = _group_end(line, _SPACE.match(line, i).end())
            if i is None:
                return None
        return _scripts_end(line, i)
    if line[i] in "({[":
        end = _group_end(line, i)
        return None if end is None else _scripts_end(line, end)
    name = re.compile(r"\\[a-zA-Z]+|[a-zA-Z0-9]").match(line, i)
    if name is None:
        return None
    i = _scripts_end(line, name.end())
    after = _SPACE.match(line, i).end()
    if after < len(line) and line[after] == "(":  # a function applied
        end = _group_end(line, after)
        return None if end is None else _scripts_end(line, end)
    return i


def _scripts_end(line: str, i: int) -> int:
    """Past any ``_x``, ``_{…}``, ``^x``, ``^{…}`` that follow position ``i``."""
    while i < len(line) and line[i] in "_^":
        j = _SPACE.match(line, i + 1).end()
        if j < len(line) and line[j] == "{":
            end = _group_end(line, j)
            if end is None:
                return i
            i = end
        else:
            i = j + 1
    return i


def _group_end(line: str, i: int) -> int | None:
    """Past the bracket group that opens at ``i``, or None if there is none."""
    pairs = {"(": ")", "{": "}", "[": "]"}
    if i >= len(line) or line[i] not in pairs:
        return None
    depth = 0
    for j in range(i, len(line)):
        if line[j] in pairs:
            depth += 1
        elif line[j] in pairs.values():
            depth -= 1
            if depth == 0:
                return j + 1
    return None
