"""The learner's copies of the notebooks in work/, and `make reset`.

`make lab` serves work/ (git-ignored), never notebooks/: what a learner runs, edits and
saves stays out of the book, which `make test` checks. A copy is made from the book when it
is missing. When the book changes later (a `git pull`), a copy that was never saved since
is brought up to date, and one that was saved is kept: each start says which, and
`make reset NB=…` replaces a copy with the book's version, moving the learner's one into
work/backups/ first. Nothing here overwrites a file that holds the learner's work.

work/.book-versions.json records, per notebook, a digest of the book's file each copy was
made from; that is how a book change, and a copy never saved since, are recognised.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "notebooks"
WORK = ROOT / "work"
MANIFEST = ".book-versions.json"
BACKUPS = "backups"


def digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def book_notebooks(book: Path = BOOK) -> list[Path]:
    """The book's notebooks, in the book's order."""
    return sorted(book.glob("*.ipynb"))


def _read_manifest(work: Path) -> dict[str, str]:
    try:
        return json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_manifest(work: Path, manifest: dict[str, str]) -> None:
    text = json.dumps(dict(sorted(manifest.items())), indent=1) + "\n"
    (work / MANIFEST).write_text(text, encoding="utf-8")


def _copy(source: Path, target: Path, manifest: dict[str, str]) -> None:
    shutil.copyfile(source, target)
    manifest[source.name] = digest(source)


def _reset_command(name: str) -> str:
    return f"make reset NB={name.split('_', 1)[0]}"


def sync(book: Path = BOOK, work: Path = WORK) -> list[str]:
    """Make work/ hold a copy of every notebook of the book; return what to tell the learner.

    Missing copies are made; a copy never saved since it was made follows a changed book;
    a copy the learner saved is never touched, only reported when the book has changed.
    """
    first = not work.exists()
    work.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(work)
    copied, updated, kept = [], [], []
    for source in book_notebooks(book):
        target, made_from = work / source.name, manifest.get(source.name)
        book_now = digest(source)
        if not target.exists():
            _copy(source, target, manifest)
            copied.append(source.name)
        elif made_from is None:
            if digest(target) == book_now:
                manifest[source.name] = book_now  # same as the book: adopt it
        elif made_from != book_now:
            if digest(target) == book_now:
                manifest[source.name] = book_now  # already the new version
            elif digest(target) == made_from:
                _copy(source, target, manifest)
                updated.append(source.name)
            else:
                kept.append(source.name)
    _write_manifest(work, manifest)
    lines = []
    where = _relative(work)
    if first:
        lines.append(f"Copied the book's {len(copied)} notebooks into {where}/.")
    elif copied:
        lines.append(f"Copied from the book into {where}/: {', '.join(copied)}.")
    for name in updated:
        lines.append(f"{where}/{name}: updated to the book's new version (you had not "
                     "saved it).")
    for name in kept:
        lines.append(f"{where}/{name}: the book's version has changed since this copy was "
                     f"made; your copy is kept. `{_reset_command(name)}` replaces it with "
                     f"the book's version (yours goes to {where}/{BACKUPS}/).")
    return lines


def select(names: list[str], book: Path = BOOK) -> list[Path]:
    """The book's notebooks that ``names`` pick out (``01``, ``01_ex1``, a file name), or
    all of them when ``names`` is empty; ValueError naming a selector that matches none."""
    notebooks = book_notebooks(book)
    if not names:
        return notebooks
    chosen = []
    for name in names:
        stem = name.removesuffix(".ipynb")
        found = [p for p in notebooks if p.stem == stem or p.stem.startswith(f"{stem}_")]
        if not found:
            known = ", ".join(p.stem.split("_", 1)[0] for p in notebooks)
            raise ValueError(f"no notebook of the book matches {name!r}; the notebooks are "
                             f"{known}")
        chosen += [p for p in found if p not in chosen]
    return chosen


def reset(names: list[str], book: Path = BOOK, work: Path = WORK) -> list[str]:
    """Replace the learner's copies of the chosen notebooks with the book's version.

    A copy that differs from the book is moved into work/backups/<time>/ first; the lines
    returned say what happened to each notebook.
    """
    chosen = select(names, book)
    work.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(work)
    backup = work / BACKUPS / time.strftime("%Y-%m-%d_%H%M%S")
    lines = []
    for source in chosen:
        target = work / source.name
        shown = f"{_relative(work)}/{source.name}"
        if not target.exists():
            _copy(source, target, manifest)
            lines.append(f"{shown}: copied from the book.")
        elif digest(target) == digest(source):
            manifest[source.name] = digest(source)
            lines.append(f"{shown}: already the book's version.")
        else:
            backup.mkdir(parents=True, exist_ok=True)
            shutil.move(target, backup / source.name)
            _copy(source, target, manifest)
            lines.append(f"{shown}: reset to the book's version; yours is in "
                         f"{_relative(backup)}/{source.name}.")
    _write_manifest(work, manifest)
    return lines


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(args: list[str]) -> int:
    """``reset [NB ...]``: reset the chosen notebooks (all if none are named)."""
    if not args or args[0] != "reset":
        print("usage: python -m tools.workcopy reset [NB ...]", file=sys.stderr)
        return 2
    try:
        lines = reset(args[1:])
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
