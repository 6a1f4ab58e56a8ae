"""Reading the line a learner types in a "Your turn" box into a SymPy expression.

Each line (in SymPy syntax, ``exp(-z)/(1+exp(-z))**2``, or in LaTeX,
``\\frac{e^{-z}}{(1+e^{-z})^2}``) is read by SymPy's own parsers, restricted to the
exercise's names; input that cannot be read raises :class:`InputError` with a plain message.
Nothing here needs ipywidgets: the widget that shows the box is :mod:`nblib.yourturn.widget`.

Reading learner input safely
----------------------------
* SymPy syntax: every token is checked first (names must be the exercise's; no strings,
  no attribute access, no subscripts); ``parse_expr`` then runs with those names only and
  a global namespace holding just the number and arithmetic classes, with no builtins.
* LaTeX: commands must be on a short list (plus the exercise's Greek names); the parser
  is SymPy's ANTLR one (``backend="antlr"``), which needs ``antlr4-python3-runtime`` 4.11.
* Both: at most :data:`MAX_LENGTH` characters, balanced brackets, integers of at most
  :data:`MAX_DIGITS` digits and numeric exponents of at most :data:`MAX_EXPONENT` in size,
  all checked before anything is evaluated (``10**10**10`` would never finish).
"""

from __future__ import annotations

import importlib.util
import io
import keyword
import re
import threading
import tokenize
import unicodedata
import warnings
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.parsing.sympy_parser import (
    auto_number,
    convert_xor,
    implicit_multiplication,
    parse_expr,
)
from sympy.utilities.exceptions import SymPyDeprecationWarning

from nblib.proof.exercise import Exercise
from nblib.yourturn.latex_derivatives import extract_derivatives

MAX_LENGTH = 500
MAX_DIGITS = 12
MAX_EXPONENT = 10
# Derivatives of a higher order than this are not part of any exercise (and the 10**12-th
# derivative would never finish).
MAX_DERIVATIVE_ORDER = 3
# Brackets of every kind nested deeper than this are refused (the worked proofs use 5).
MAX_NESTING = 12
# A constant argument of exp, log or σ larger than this in size is refused: e^1000 is
# already 10^434, and exp(exp(1000)) could not be evaluated in any precision.
MAX_CONSTANT_ARGUMENT = 1000
LATEX_BACKEND = "antlr"

# LaTeX commands every exercise understands; its Greek names (\sigma, \eta) are added.
LATEX_COMMANDS = frozenset({
    "frac", "dfrac", "tfrac", "cdot", "times", "left", "right", "exp", "ln", "log", "sqrt",
})
# Spacing commands: ignored by the parser, harmless.
LATEX_SPACES = frozenset(",;:! ")
GREEK = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
})
# Python tokens allowed in SymPy syntax besides names and numbers.
SYMPY_OPERATORS = frozenset({"+", "-", "*", "/", "**", "^", "(", ")", ","})
NUMBER = re.compile(r"(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?")
# The namespace parse_expr evaluates in: numbers and arithmetic, nothing else, no builtins.
SAFE_GLOBALS = {"Integer": sp.Integer, "Float": sp.Float, "Rational": sp.Rational,
                "Add": sp.Add, "Mul": sp.Mul, "Pow": sp.Pow}
TRANSFORMATIONS = (auto_number, convert_xor, implicit_multiplication)
BRACKETS = {")": "(", "]": "[", "}": "{"}
# Signs pasted from the book's typography: − (minus), · ⋅ × (times).
TYPOGRAPHY = str.maketrans({"−": "-", "·": "*", "⋅": "*", "×": "*"})


class InputError(ValueError):
    """A line the checker cannot read; the message is meant for the learner."""


# Reading a line ------------------------------------------------------------------------
def parse_line(text: str, exercise: Exercise) -> sp.Expr:
    """Read one line typed by a learner into a SymPy expression over ``exercise``'s names.

    SymPy syntax and LaTeX are both accepted (LaTeX is recognised by ``\\``, ``{`` or
    ``}``); a leading ``=`` is ignored, so ``= exp(-z)`` reads like the next line of a chain.

    Raises
    ------
    TypeError
        If ``text`` is not a string or ``exercise`` not an :class:`Exercise`.
    InputError
        (a ValueError) naming the problem in words: empty or over-long input, unbalanced
        brackets, an unknown symbol or function, a token or LaTeX command that is not
        allowed, or a line SymPy cannot read.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_line: argument 'text' must be a string, got {type(text).__name__}")
    if not isinstance(exercise, Exercise):
        raise TypeError("parse_line: argument 'exercise' must be an Exercise, got "
                        f"{type(exercise).__name__}")
    if len(text) > MAX_LENGTH:
        raise InputError(f"that line has {len(text)} characters; the box takes at most "
                         f"{MAX_LENGTH}")
    line = text.strip().translate(TYPOGRAPHY)
    _check_characters(line)
    if line.startswith("="):
        line = line[1:].strip()
    if not line:
        raise InputError("the box is empty: type the next line of the derivation")
    _check_brackets(line)
    if "!" in line:  # the LaTeX reader would evaluate (10^{10})! before anything is checked
        raise InputError("'!' (a factorial) is not part of any exercise")
    latex = looks_like_latex(line)
    raw = _parse_latex(line, exercise) if latex else _parse_sympy(line, exercise)
    _check_size(raw)
    expr = _bind(raw, exercise, latex)
    _check_size(expr)
    _check_functions(expr, exercise)
    if expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        raise InputError("this line divides by zero or is infinite")
    return expr


def _check_characters(line: str) -> None:
    """Refuse several lines at once, and characters that cannot be seen (named, since a
    message could not show them)."""
    lines = line.splitlines()
    if len(lines) > 1:
        raise InputError(f"the box takes one line at a time; this has {len(lines)} lines: "
                         "type each line of the derivation on its own")
    for i, char in enumerate(line, 1):
        if char != "\t" and unicodedata.category(char).startswith("C"):
            name = unicodedata.name(char, "a control character")
            raise InputError(f"character {i} is the invisible U+{ord(char):04X} ({name}), "
                             "which is not allowed: retype the line")


def _check_brackets(line: str) -> None:
    """Refuse unbalanced (), [] and {} with the position of the first culprit."""
    stack: list[tuple[str, int]] = []
    for i, char in enumerate(line, 1):
        if char in "([{":
            stack.append((char, i))
            if len(stack) > MAX_NESTING:  # before a parser recurses into them
                raise InputError(f"brackets nested more than {MAX_NESTING} deep (at character "
                                 f"{i}): write the line in smaller pieces")
        elif char in BRACKETS:
            if not stack:
                raise InputError(f"unbalanced brackets: '{char}' at character {i} closes "
                                 "nothing that is open")
            opened, j = stack.pop()
            if opened != BRACKETS[char]:
                raise InputError(f"unbalanced brackets: '{char}' at character {i} does not "
                                 f"match the '{opened}' at character {j}")
    if stack:
        char, i = stack[-1]
        raise InputError(f"unbalanced brackets: '{char}' at character {i} is never closed")


def _known(exercise: Exercise) -> str:
    symbols = ", ".join(exercise.symbols) or "none"
    functions = ", ".join(exercise.functions) or "none"
    return f"this exercise knows the symbol(s) {symbols} and the function(s) {functions}"


def _constants(exercise: Exercise) -> dict[str, sp.Expr]:
    """Euler's number as ``E`` or ``e``, unless the exercise uses the name for a symbol."""
    return {name: sp.E for name in ("E", "e")
            if name not in exercise.symbols and name not in exercise.functions}


def _parse_sympy(line: str, exercise: Exercise) -> Any:
    """SymPy syntax, token-checked, then ``parse_expr`` with only the exercise's names."""
    names: dict[str, Any] = {**_constants(exercise), **exercise.symbols, **exercise.functions}
    # Greek names may be typed as letters too: σ(z) for sigma(z).
    names |= {_greek_letter(n): v for n, v in names.items() if n in GREEK}
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(line).readline)
                  if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)]
    except (tokenize.TokenError, SyntaxError) as err:
        raise InputError(f"cannot read this line ({_first_line(err)})") from None
    for i, tok in enumerate(tokens):
        after = tokens[i + 1].string if i + 1 < len(tokens) else ""
        if tok.type == tokenize.NAME:
            if tok.string.startswith("_"):
                raise InputError(f"'{tok.string}' is not allowed: names starting with '_' "
                                 "are not part of any exercise")
            if tok.string not in names:
                kind = "function" if after == "(" else "symbol"
                if keyword.iskeyword(tok.string):
                    raise InputError(f"'{tok.string}' is a Python keyword, not mathematics")
                raise InputError(f"unknown {kind} '{tok.string}': {_known(exercise)}")
        elif tok.type == tokenize.NUMBER:
            if not NUMBER.fullmatch(tok.string):
                raise InputError(f"'{tok.string}' is not a number this box reads: use digits "
                                 "and a decimal point")
        elif tok.type == tokenize.OP:
            if tok.string == ".":
                raise InputError("'.' after a name is attribute access, which is not allowed; "
                                 "a decimal point belongs between digits, as in 0.5")
            if tok.string in ("=", "==", "<", ">", "<=", ">=", "!="):
                raise InputError(f"'{tok.string}' makes an equation or a comparison: type only "
                                 "the expression on the right of the next '='")
            if tok.string not in SYMPY_OPERATORS:
                raise InputError(f"'{tok.string}' is not allowed here: use + - * / ** ^ ( ) "
                                 "and commas between a function's arguments")
        elif tok.type == tokenize.STRING:
            raise InputError("quotes are not allowed: type mathematics, not text")
        elif tok.type == tokenize.COMMENT:
            raise InputError("'#' is not allowed here")
        elif tok.string.strip():
            raise InputError(f"'{tok.string}' is not allowed here")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", SymPyDeprecationWarning)  # see _bind
            result = parse_expr(line, local_dict=dict(names),
                                global_dict={"__builtins__": {}, **SAFE_GLOBALS},
                                transformations=TRANSFORMATIONS, evaluate=False)
    except Exception as err:  # SyntaxError, TypeError (wrong arity), ...: say so, in words
        raise InputError(f"SymPy cannot read this line ({_first_line(err)})") from None
    return result


def _greek_letter(name: str) -> str:
    """The Greek letter a name spells: ``"sigma"`` → ``"σ"``."""
    return unicodedata.lookup(f"GREEK SMALL LETTER {'LAMDA' if name == 'lambda' else name.upper()}")


def _parse_latex(line: str, exercise: Exercise) -> Any:
    """LaTeX through SymPy's ANTLR parser, after a check of every command used; derivatives
    (``\\frac{\\partial}{\\partial z_1}``, ``\\sigma'(z)``, …) are cut out first and read
    on their own (:mod:`nblib.yourturn.latex_derivatives`)."""
    line = re.sub(r"\\mathrm\s*\{\s*([ed])\s*\}", r"\1", line)  # upright e and d
    # \left( and \right) only size a bracket; SymPy's parser refuses a line that begins
    # with \left(, so read them as the plain bracket.
    line = re.sub(r"\\(?:left|right)\s*([()\[\]])", r"\1", line)
    rewritten, cuts = extract_derivatives(line, frozenset(exercise.functions))
    raw = _read_latex(rewritten, exercise)
    derivatives = {}
    for cut in cuts:
        variable = _read_latex(cut.variable, exercise)
        if not isinstance(variable, sp.Symbol):
            raise InputError(f"cannot take a derivative with respect to '{cut.variable}': "
                             "write one symbol of the exercise after the d")
        derivatives[sp.Symbol(cut.placeholder)] = sp.Derivative(
            _parse_latex(cut.function, exercise), variable, evaluate=False)
    return raw.xreplace(derivatives) if derivatives and isinstance(raw, sp.Basic) else raw


def _read_latex(line: str, exercise: Exercise) -> Any:
    """One piece of LaTeX through SymPy's ANTLR parser, after a check of every command."""
    allowed = LATEX_COMMANDS | {n for n in (*exercise.symbols, *exercise.functions)
                                if n in GREEK}
    for match in re.finditer(r"\\([a-zA-Z]+|.?)", line):
        command = match.group(1)
        if command in allowed or (len(command) == 1 and command in LATEX_SPACES):
            continue
        shown = ", ".join("\\" + c for c in sorted(allowed))
        raise InputError(f"unsupported LaTeX command '\\{command}': this box understands "
                         f"{shown}")
    if importlib.util.find_spec("antlr4") is None:
        raise InputError("LaTeX input needs the package antlr4-python3-runtime (version "
                         "4.11), which is not installed; type the line in SymPy syntax")
    from sympy.parsing.latex import LaTeXParsingError, parse_latex

    try:
        return parse_latex(line, strict=True, backend=LATEX_BACKEND)
    except LaTeXParsingError as err:
        message = str(err).splitlines()
        where = len(message[-1]) if len(message) > 2 else 0
        at = f" at character {where}" if where else ""
        raise InputError(f"cannot read this LaTeX{at}: {message[0]}") from None
    except ImportError as err:
        raise InputError(f"LaTeX input is unavailable ({_first_line(err)}); type the line in "
                         "SymPy syntax") from None
    except Exception as err:
        raise InputError(f"cannot read this LaTeX ({_first_line(err)})") from None


def _first_line(err: BaseException) -> str:
    """An exception as one short line, without memory addresses."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return re.sub(r" at 0x[0-9a-fA-F]+", "", text)[:160]


def _check_size(expr: Any) -> None:
    """Refuse numbers, powers, derivatives and function arguments too large to evaluate.

    Checked bottom-up, so that every part below a node is known to be small when the node
    is looked at (the size of a constant argument is computed from bounded parts only).
    """
    if not isinstance(expr, sp.Basic):
        return
    for arg in expr.args:
        _check_size(arg)
    if isinstance(expr, sp.Rational) and max(abs(expr.p), expr.q) >= 10**MAX_DIGITS:
        raise InputError(f"the number {expr} is too large: at most {MAX_DIGITS} digits")
    if isinstance(expr, sp.Float) and not abs(expr) < 10**MAX_DIGITS:
        raise InputError(f"the number {sp.N(expr, 3)} is too large: at most {MAX_DIGITS} "
                         "digits before the decimal point")
    if isinstance(expr, sp.Pow):
        _check_exponent(expr.exp)
        if _has_variable_power(expr.exp):
            raise InputError(f"the tower of powers {sp.sstr(expr)} is not part of any "
                             "exercise: an exponent may not itself hold a power of a symbol "
                             "to a variable exponent")
    if isinstance(expr, sp.Derivative) and not expr.derivative_count <= MAX_DERIVATIVE_ORDER:
        raise InputError(f"a derivative of order {expr.derivative_count} is not part of any "
                         f"exercise: at most {MAX_DERIVATIVE_ORDER}")
    if isinstance(expr, sp.Function) and len(expr.args) == 1 and not expr.free_symbols:
        _check_argument(expr)


def _has_variable_power(exponent: sp.Basic) -> bool:
    """Whether an exponent holds a power whose own exponent varies (z**z, exp(z)): a tower."""
    return any(p.exp.free_symbols for p in exponent.atoms(sp.Pow, sp.exp))


def _size(constant: sp.Basic) -> float | None:
    """The absolute value of a constant expression, or None if it is not a number."""
    try:
        return abs(complex(sp.N(constant, 15)))
    except (TypeError, ValueError, ArithmeticError):
        return None


def _check_argument(applied: sp.Function) -> None:
    """Refuse a function of a constant larger than MAX_CONSTANT_ARGUMENT in size."""
    size = _size(applied.args[0])
    if size is None:
        return  # not a number (e.g. zoo): parse_line refuses it later with its own message
    if not size <= MAX_CONSTANT_ARGUMENT:
        raise InputError(f"the argument of {sp.sstr(applied)} is too large: at most "
                         f"{MAX_CONSTANT_ARGUMENT} in size")


def _check_exponent(exponent: sp.Basic) -> None:
    """Refuse a numeric exponent larger than MAX_EXPONENT (symbolic ones are harmless)."""
    if exponent.free_symbols:
        return
    size = _size(exponent)
    if size is None or not size <= MAX_EXPONENT:  # not a number: refused as too large
        raise InputError(f"the exponent {sp.sstr(exponent)} is too large: at most "
                         f"{MAX_EXPONENT} in size")


def _latex_name(name: str) -> str:
    """ANTLR's symbol names as typed in SymPy syntax: ``z_{1}`` → ``z_1``."""
    return name.replace("{", "").replace("}", "").replace("\\", "")


def _bind(raw: Any, exercise: Exercise, latex: bool) -> sp.Expr:
    """Put the exercise's symbols and functions in place of the parser's, then evaluate."""
    if not isinstance(raw, sp.Basic):
        if any(raw is f for f in exercise.functions.values()):
            name = next(n for n, f in exercise.functions.items() if f is raw)
            raise InputError(f"'{name}' is a function: give it its argument, as in {name}(…)")
        raise InputError("type one expression (a comma outside a function's brackets "
                         "makes a list)")
    constants = _constants(exercise)

    def bind(e: sp.Basic) -> sp.Basic:
        if isinstance(e, sp.Symbol):
            if not latex and e in exercise.symbols.values():
                return e  # parse_expr already put the exercise's own symbol here
            name = _latex_name(e.name) if latex else e.name
            if name in exercise.symbols:
                return exercise.symbols[name]
            if name in constants:
                return constants[name]
            if name in exercise.functions:
                hint = f"\\{name}(…)" if latex and name in GREEK else f"{name}(…)"
                raise InputError(f"'{name}' is a function: give it its argument, as in {hint}")
            raise InputError(f"unknown symbol '{name}': {_known(exercise)}")
        if isinstance(e, AppliedUndef):
            name = e.func.__name__
            symbol = exercise.symbols.get(_latex_name(name)) if latex else None
            if symbol is not None and len(e.args) == 1 and isinstance(e.args[0], sp.Expr):
                # The LaTeX reader takes "y(1-\sigma(z))" for a function y applied to
                # 1 - σ(z): a symbol of the exercise before a bracket is a product.
                return symbol * bind(e.args[0])
            if name not in exercise.functions:
                raise InputError(f"unknown function '{name}': {_known(exercise)}")
            return exercise.functions[name](*(bind(a) for a in e.args))
        if not e.args:
            return e
        args = [bind(a) for a in e.args]
        if isinstance(e, sp.Pow):
            # Checked again once bound: z**0*10**12 is only a number now, and evaluating
            # a number to such a power would never finish.
            _check_exponent(args[1])
        return e.func(*args)

    try:
        with warnings.catch_warnings():
            # SymPy deprecations (e.g. multiplying by a tuple, as "y(z, z)" parses) would
            # print to the notebook's stderr; as errors they become a message instead.
            warnings.simplefilter("error", SymPyDeprecationWarning)
            expr = bind(raw)
    except InputError:
        raise
    except Exception as err:  # e.g. a function given the wrong number of arguments
        raise InputError(f"SymPy cannot build this line ({_first_line(err)})") from None
    if not isinstance(expr, sp.Expr):
        raise InputError("type one expression, not an equation or a comparison")
    return expr


def _check_functions(expr: sp.Expr, exercise: Exercise) -> None:
    """Only the exercise's functions may appear (e.g. no |z| or z! from LaTeX)."""
    allowed = set(exercise.functions.values())
    for applied in expr.atoms(sp.Function):
        if applied.func not in allowed:
            raise InputError(f"the function {applied.func.__name__} is not part of this "
                             f"exercise: {_known(exercise)}")
    if expr.has(sp.Derivative) and sp.Derivative not in allowed:
        raise InputError(f"derivatives are not part of this exercise: {_known(exercise)}")


# Warming the LaTeX parser --------------------------------------------------------------
_warm_lock = threading.Lock()
_load_lock = threading.Lock()
_warmed = False
_loaded = False
# Seconds after the first YourTurn is shown before the LaTeX parser loads in the background:
# later than the rest of a notebook run (nbval, execute_notebooks), sooner than a learner types.
WARM_DELAY = 5.0


def looks_like_latex(text: str) -> bool:
    """Whether :func:`parse_line` will read ``text`` as LaTeX (``\\``, ``{`` or ``}`` in it)."""
    return any(c in text for c in "\\{}")


def load_latex_parser() -> None:
    """Load SymPy's LaTeX parser and parse one line with it (about 0.7 s, once per kernel).

    Called before a LaTeX line is checked, outside the time limit of a check: loading is
    not the learner's line being large, and an import must never be interrupted halfway.
    Nothing happens if the parser is not installed (the line then gets a message).
    """
    global _loaded
    with _load_lock:
        if _loaded or importlib.util.find_spec("antlr4") is None:
            return
        try:
            from sympy.parsing.latex import parse_latex

            parse_latex("z", strict=True, backend=LATEX_BACKEND)
        except Exception:  # a failure shows, in words, when a LaTeX line is submitted
            pass
        _loaded = True


def _warm_latex_parser() -> None:
    """Load the LaTeX parser in the background, WARM_DELAY seconds from now, so that the
    first LaTeX line a learner types is answered at once."""
    global _warmed
    with _warm_lock:
        if _warmed:
            return
        _warmed = True
    timer = threading.Timer(WARM_DELAY, load_latex_parser)
    timer.name = "latex-parser-warmup"
    timer.daemon = True
    timer.start()
