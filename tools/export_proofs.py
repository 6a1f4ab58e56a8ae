"""Copy the derivations a notebook shows into its proof module, so both run the same lines.

A notebook's Symbolic-proof cells are the source of its derivations: the learner reads
every ``d.step(…)`` line there and can edit one and watch its check fail. The index, the
errata page and the tests build the very same derivations from ``nblib/proofs/<id>.py``,
which holds a verbatim copy of those cells between two marker lines. The rule, in the
manner of nbdev's ``#| export``:

* a code cell whose first line is ``#| export`` is exported, in notebook order;
* its definitions, assignments and imports are copied as written; its top-level
  expression statements (the lines that display a result, like ``first_derivative()``)
  are what the notebook shows and are left out.

``make export`` rewrites the modules; ``--check`` (run by the tests) fails when a module
and its notebook disagree. nbdev itself exports whole modules and needs its own project
layout; the companion needs only this copy into an existing module, so it is kept here,
small and tested (tests/test_export_proofs.py).
"""

from __future__ import annotations

import ast
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PROOFS = ROOT / "nblib" / "proofs"
DIRECTIVE = "#| export"
BEGIN = "# --- begin cells exported from {notebook}"
END = "# --- end of exported cells (edit them in the notebook, then run `make export`)"


class ExportError(ValueError):
    """A notebook or module that the exporter cannot pair up; the message says which."""


def notebook_id(notebook: Path) -> str:
    """``01_ex1_sigmoid_prime.ipynb`` → ``ex1``: the proof module's name."""
    parts = notebook.stem.split("_")
    if len(parts) < 2 or not parts[0].isdigit():
        raise ExportError(f"{notebook.name}: expected a name like 01_ex1_title.ipynb")
    return parts[1]


def _code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def exported_code(source: str, where: str) -> str:
    """The part of one ``#| export`` cell that the module gets: all but its displays."""
    lines = source.split("\n")
    body = lines[1:]  # the directive itself stays in the notebook
    try:
        tree = ast.parse("\n".join(body))
    except SyntaxError as err:
        raise ExportError(f"{where}: an exported cell must be plain Python ({err.msg}, "
                          f"line {err.lineno})") from None
    dropped = set()
    for node in tree.body:
        if isinstance(node, ast.Expr):
            dropped.update(range(node.lineno - 1, node.end_lineno))
    kept = [line for i, line in enumerate(body) if i not in dropped]
    return "\n".join(kept).strip("\n")


def exported_cells(notebook: Path) -> list[str]:
    """The exported code of every ``#| export`` cell of a notebook, in order."""
    found = []
    for number, source in enumerate(_code_cells(notebook), start=1):
        if source.split("\n", 1)[0].strip() == DIRECTIVE:
            code = exported_code(source, f"{notebook.name}, code cell {number}")
            if code:
                found.append(code)
    return found


@dataclass(frozen=True)
class Export:
    """One notebook's exported cells and the proof module that holds a copy of them."""

    notebook: Path
    module: Path

    def region(self) -> str:
        """The module text between (and including) the two marker lines, as it should be."""
        begin = BEGIN.format(notebook=f"{self.notebook.parent.name}/{self.notebook.name}")
        return begin + "\n" + "\n\n\n".join(exported_cells(self.notebook)) + "\n" + END

    def _bounds(self, lines: list[str]) -> tuple[int, int]:
        begin_marker = BEGIN.split("{")[0]
        starts = [i for i, line in enumerate(lines) if line.startswith(begin_marker)]
        ends = [i for i, line in enumerate(lines) if line == END]
        if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
            raise ExportError(f"{self.module.name}: needs one begin and one end "
                              f"marker line for the cells of {self.notebook.name}")
        return starts[0], ends[0]

    def updated(self) -> str:
        """The module's text with the region replaced by the notebook's current cells."""
        lines = self.module.read_text(encoding="utf-8").split("\n")
        start, end = self._bounds(lines)
        return "\n".join([*lines[:start], self.region(), *lines[end + 1:]])

    def in_sync(self) -> bool:
        """Whether the module already holds exactly the notebook's exported cells."""
        return self.module.read_text(encoding="utf-8") == self.updated()


def exports(notebooks: Path = NOTEBOOKS, proofs: Path = PROOFS) -> list[Export]:
    """Every notebook with ``#| export`` cells, paired with its proof module."""
    found = []
    for notebook in sorted(notebooks.glob("*.ipynb")):
        if not exported_cells(notebook):
            continue
        module = proofs / f"{notebook_id(notebook)}.py"
        if not module.exists():
            raise ExportError(f"{notebook.name} exports cells but {module.name} does not exist")
        found.append(Export(notebook, module))
    return found


def main(argv: list[str]) -> int:
    """``export_proofs.py`` rewrites the modules; ``--check`` only reports disagreement."""
    check = argv == ["--check"]
    if argv and not check:
        print("usage: export_proofs.py [--check]", file=sys.stderr)
        return 2
    try:
        stale = [e for e in exports() if not e.in_sync()]
        for export in stale:
            name = export.module.relative_to(ROOT)
            if check:
                print(f"{name} differs from the exported cells of {export.notebook.name}")
            else:
                export.module.write_text(export.updated(), encoding="utf-8")
                print(f"updated {name} from {export.notebook.name}")
    except ExportError as err:
        print(f"export_proofs: {err}", file=sys.stderr)
        return 1
    if check and stale:
        print("run `make export` to copy the notebooks' cells into their modules")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
