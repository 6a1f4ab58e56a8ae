"""The book as a whole: its notebooks in order, and a tally computed by running every proof.

The catalogue below is the single list of notebooks: the index page, the errata page, the
HTML export and the README test all read it.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from types import ModuleType

from nblib.proofs import derivations, load, run_checks
from nblib.reports.checks import KINDS, CheckResult, describe_bound

SOURCES = {
    "chapter 3": "worked solutions to Chapter 3 (cross-entropy and softmax sections)",
    "backprop": "derivation of backpropagation with softmax outputs and cross-entropy cost",
    "book page": "the book's own web page, its interactive demo of the learning slowdown",
    "book text": "the book's own text of Chapter 3, in the section a notebook follows",
}


CHAPTER_URL = "http://neuralnetworksanddeeplearning.com/chap3.html"
# The book's own anchors: an exercise or problem block of Chapter 3 (several exercises can
# share one block), or the section a notebook follows.
ANCHORS = {
    "ex1": "exercise_35813", "ex2": "exercises_824189", "ex3": "exercises_824189",
    "pb1": "problems_382219", "pb2": "problems_382219", "pb3": "problem_507295",
    "ex4": "exercise_332838", "ex5": "exercises_193619", "ex6": "exercises_193619",
    "pb4": "problem_905066", "pb5": "problems_919607", "pb6": "problems_919607",
    "slowdown": "the_cross-entropy_cost_function", "bp": "softmax",
    "origin": "what_does_the_cross-entropy_mean_where_does_it_come_from",
    "digits": "using_the_cross-entropy_to_classify_mnist_digits",
}


@dataclass(frozen=True)
class Entry:
    """One notebook of the book: its number, catalogue id, file, title and one-line claim.

    ``section`` is the heading, in the book, of the section a notebook on the book's own
    text follows.
    """

    number: int
    id: str
    topic: str
    title: str
    claim: str
    source: str = "chapter 3"
    section: str = ""

    @property
    def filename(self) -> str:
        """The notebook's file name, e.g. ``01_ex1_sigmoid_prime.ipynb``."""
        return f"{self.number:02d}_{self.id}_{self.topic}.ipynb"

    @property
    def book_url(self) -> str:
        """The address of the place in Nielsen's Chapter 3 that this notebook answers."""
        return f"{CHAPTER_URL}#{ANCHORS[self.id]}"

    @property
    def citation(self) -> str:
        """The notebook's sources as one Markdown line: the book's place, linked, and the
        worked text it follows and checks line by line."""
        if self.source == "chapter 3":
            place = f"[{self.title} in the book]({self.book_url})"
            followed = f"the {SOURCES['chapter 3']}, {self.title}"
        elif self.source == "book page":
            place = f"[the chapter's opening section in the book]({self.book_url})"
            followed = SOURCES["book page"]
        elif self.source == "book text":
            place = f"[the section “{self.section}” in the book]({self.book_url})"
            followed = "the book's own text of that section"
        else:
            place = f"[the book's section on softmax]({self.book_url})"
            followed = "the post “Backpropagation with softmax outputs and cross-entropy cost”"
        return f"**Sources:** {place}; follows and checks {followed}."


BOOK: tuple[Entry, ...] = (
    Entry(1, "ex1", "sigmoid_prime", "Exercise 1",
          "σ′(z) = σ(z)(1 − σ(z)); also σ″, the symmetry σ(−z) = 1 − σ(z), and max σ′ = ¼"),
    Entry(2, "ex2", "cost_roles", "Exercise 2",
          "y and a cannot swap places in the cross-entropy; in float64 the cost needs z"),
    Entry(3, "ex3", "minimum_at_y", "Exercise 3",
          "for 0 < y < 1 the cross-entropy is minimised at a = y, with minimum H(y)"),
    Entry(4, "pb1", "many_layers", "Problem 1",
          "many layers and neurons: δᴸ = aᴸ − y for cross-entropy, a σ′ factor for quadratic"),
    Entry(5, "pb2", "linear_outputs", "Problem 2",
          "quadratic cost with linear output neurons: δᴸ = aᴸ − y"),
    Entry(6, "pb3", "no_x_cancel", "Problem 3",
          "no choice of cost can cancel the x_j factor in ∂C/∂w_j"),
    Entry(7, "ex4", "softmax_sums_to_one", "Exercise 4",
          "sigmoid outputs need not sum to 1; softmax outputs always do"),
    Entry(8, "ex5", "softmax_monotone", "Exercise 5",
          "softmax is monotone: ∂a_j/∂z_j > 0 and ∂a_j/∂z_k < 0 for k ≠ j"),
    Entry(9, "ex6", "softmax_not_local", "Exercise 6",
          "softmax is not local: every a_j depends on every z_k"),
    Entry(10, "pb4", "inverting_softmax", "Problem 4",
          "inverting softmax: z_j = ln a_j + C, for one constant C"),
    Entry(11, "pb5", "log_likelihood_gradient", "Problem 5",
          "equations (81) and (82): ∂C/∂b_j = a_j − y_j, ∂C/∂w_jk = a_k(a_j − y_j)"),
    Entry(12, "pb6", "softmax_temperature", "Problem 6",
          "the name softmax: as c → ∞, e^{c z_j}/Σ e^{c z_k} tends to the arg-max indicator"),
    Entry(13, "slowdown", "learning_demo", "The learning slowdown",
          "one neuron, input 1, target 0: the quadratic cost learns slowly, cross-entropy not",
          source="book page"),
    Entry(14, "bp", "softmax_backprop", "Backpropagation with softmax outputs",
          "BP1–BP4 for sigmoid hidden layers, softmax output and cross-entropy cost",
          source="backprop"),
    Entry(15, "origin", "cross_entropy", "Where the cross-entropy comes from",
          "equations (71)–(77): ask for ∂C/∂b = a − y, integrate in a, and the cross-entropy "
          "comes out, up to a constant",
          source="book text",
          section="What does the cross-entropy mean? Where does it come from?"),
    Entry(16, "digits", "costs_compared", "The costs compared on real digits",
          "quadratic, cross-entropy and softmax + log-likelihood trained alike on real 8 × 8 "
          "handwritten digits, beside the chapter's MNIST figures",
          source="book text", section="Using the cross-entropy to classify MNIST digits"),
)


@dataclass(frozen=True)
class Section:
    """A problem of the chapter answered by a section of another notebook, listed in the
    contents under its own name: its title, claim, notebook and the section's anchor."""

    title: str
    claim: str
    notebook: str
    anchor: str

    @property
    def link(self) -> str:
        """The section's address relative to the index, e.g. ``11_pb5_….ipynb#problem-84``."""
        return f"{entry(self.notebook).filename}#{self.anchor}"


SECTIONS: tuple[Section, ...] = (
    Section("Problem “Backpropagation with softmax and the log-likelihood cost”",
            "δᴸ_j = a_j − y_j, equation (84): the output error backpropagation needs",
            "pb5", "problem-84"),
)


def entry(notebook_id: str) -> Entry:
    """The catalogue entry of a notebook id such as ``"pb6"``."""
    for e in BOOK:
        if e.id == notebook_id:
            return e
    raise ValueError(f"entry: no notebook {notebook_id!r} in the book; "
                     f"the ids are {[e.id for e in BOOK]}")


def proofs_of(e: Entry) -> ModuleType | None:
    """The proof module of an entry, or None while that notebook has none."""
    if importlib.util.find_spec(f"nblib.proofs.{e.id}") is None:
        return None
    return load(e.id)


@dataclass(frozen=True)
class Row:
    """What running one notebook's proofs and checks found."""

    entry: Entry
    derivations: int
    steps: int
    source_errors: int
    checks: int
    failed: int
    results: tuple[CheckResult, ...]

    def tolerance_text(self) -> str:
        """How strict the notebook's checks are: the exact ones counted, then the loosest
        tolerance of each kind, e.g. ``9 exact · 1e-06 relative · 4 ulps``.

        Only constants of the proof module appear (never a measured error), so every CPU
        shows the same row.
        """
        exact = sum(r.tolerance == 0 for r in self.results)
        parts = [f"{exact} exact"] if exact else []
        for kind in KINDS:
            tolerances = [r.tolerance for r in self.results if r.kind == kind and r.tolerance]
            if tolerances:
                parts.append(f"{describe_bound(max(tolerances))} {kind}")
        return " · ".join(parts) or "—"


def run(e: Entry) -> Row | None:
    """Build every derivation and run every numeric check of one notebook."""
    module = proofs_of(e)
    if module is None:
        return None
    built = derivations(module)
    results = list(run_checks(module.CHECKS))
    return Row(
        entry=e,
        derivations=len(built),
        steps=sum(d.checked_steps for d in built),
        source_errors=sum(len(d.source_errors) for d in built),
        checks=len(results),
        failed=sum(not r.passed for r in results),
        results=tuple(results),
    )


class Tally:
    """The whole book's counts, one row per notebook, shown as a table."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows

    @property
    def steps(self) -> int:
        """Machine-checked derivation steps across the book, the sources' wrong lines included."""
        return sum(r.steps for r in self.rows)

    @property
    def source_errors(self) -> int:
        """Lines of the sources that the checks show to be wrong (✗)."""
        return sum(r.source_errors for r in self.rows)

    @property
    def proved(self) -> int:
        """Steps proved right (✓): every checked step but the sources' wrong lines."""
        return self.steps - self.source_errors

    def headline(self) -> str:
        """One sentence whose counts are the table's totals."""
        return (f"{self.steps} derivation steps machine-checked: {self.proved} proved (✓) and "
                f"{self.source_errors} line{'' if self.source_errors == 1 else 's'} of the sources "
                f"shown wrong (✗); {self.checks} "
                f"numeric checks run, {self.failed} failed")

    @property
    def checks(self) -> int:
        """Numeric checks run across the book."""
        return sum(r.checks for r in self.rows)

    @property
    def failed(self) -> int:
        """Numeric checks that failed (0 for a healthy book)."""
        return sum(r.failed for r in self.rows)

    def _table(self, link: bool) -> list[str]:
        head = ["notebook", "derivations", "steps ✓", "source lines ✗", "numeric checks",
                "exact checks · loosest tolerance of each kind"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in self.rows:
            name = f"{r.entry.number:02d} · {r.entry.id}"
            if link:
                name = f"[{name}]({r.entry.filename})"
            cells = [name, str(r.derivations), str(r.steps - r.source_errors),
                     str(r.source_errors), f"{r.checks - r.failed}/{r.checks} passed",
                     r.tolerance_text()]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append(f"| **total** | {sum(r.derivations for r in self.rows)} | "
                     f"{self.proved} | {self.source_errors} | "
                     f"{self.checks - self.failed}/{self.checks} passed | |")
        return lines

    def _repr_markdown_(self) -> str:
        return "\n".join(self._table(link=True))

    def __str__(self) -> str:
        return "\n".join(self._table(link=False))

    __repr__ = __str__

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))


def tally() -> Tally:
    """Run every notebook's proofs and checks and count what was checked."""
    return Tally([row for e in BOOK if (row := run(e)) is not None])


class Contents:
    """The table of contents: every notebook in order with its claim and a link."""

    def _repr_markdown_(self) -> str:
        lines = ["| | notebook | claim |", "|---|---|---|"]
        for e in BOOK:
            lines.append(f"| {e.number:02d} | [{e.title}]({e.filename}) | {e.claim} |")
            lines.extend(f"| {e.number:02d} · § | [{s.title}]({s.link}) | {s.claim} |"
                         for s in SECTIONS if s.notebook == e.id)
        return "\n".join(lines)

    def __str__(self) -> str:
        lines = []
        for e in BOOK:
            lines.append(f"{e.number:02d}  {e.title}: {e.claim}")
            lines.extend(f"    §  {s.title}: {s.claim}" for s in SECTIONS if s.notebook == e.id)
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))


def contents() -> Contents:
    """The book's table of contents, for the index page."""
    return Contents()
