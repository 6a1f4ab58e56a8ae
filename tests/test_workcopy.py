"""The learner's copies in work/: made when missing, never overwritten with work in them,
reset on request with a backup; and what `make lab` and `make reset` print about them."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.browser.lab import fresh_clone, git_status, terminal_env
from tools import workcopy

NAMES = ("00_index.ipynb", "01_ex1_a.ipynb", "12_pb6_b.ipynb")


@pytest.fixture
def book(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in NAMES:
        (folder / name).write_text(f"{name} as published\n")
    return folder


@pytest.fixture
def work(tmp_path):
    return tmp_path / "work"


def test_the_first_start_copies_every_notebook(book, work):
    assert workcopy.sync(book, work) == [f"Copied the book's 3 notebooks into {work}/."]
    assert sorted(p.name for p in work.glob("*.ipynb")) == list(NAMES)
    assert workcopy.sync(book, work) == []  # nothing to say the next time


def test_a_missing_copy_is_made_again(book, work):
    workcopy.sync(book, work)
    (work / NAMES[1]).unlink()
    assert workcopy.sync(book, work) == [f"Copied from the book into {work}/: {NAMES[1]}."]
    assert (work / NAMES[1]).read_text() == (book / NAMES[1]).read_text()


def test_a_book_update_reaches_an_unsaved_copy(book, work):
    workcopy.sync(book, work)
    (book / NAMES[1]).write_text("the book's new version\n")
    assert workcopy.sync(book, work) == [
        f"{work}/{NAMES[1]}: updated to the book's new version (you had not saved it)."]
    assert (work / NAMES[1]).read_text() == "the book's new version\n"


def test_a_book_update_never_overwrites_the_learners_work(book, work):
    workcopy.sync(book, work)
    (work / NAMES[2]).write_text("the learner's work\n")
    (book / NAMES[2]).write_text("the book's new version\n")
    for _ in range(2):  # said at every start, until the learner decides
        assert workcopy.sync(book, work) == [
            f"{work}/{NAMES[2]}: the book's version has changed since this copy was made; "
            "your copy is kept. `make reset NB=12` replaces it with the book's version "
            f"(yours goes to {work}/backups/)."]
    assert (work / NAMES[2]).read_text() == "the learner's work\n"


def test_reset_keeps_a_backup_of_the_learners_copy(book, work):
    workcopy.sync(book, work)
    (work / NAMES[1]).write_text("the learner's work\n")
    [line] = workcopy.reset(["01"], book, work)
    backups = list((work / "backups").glob(f"*/{NAMES[1]}"))
    assert len(backups) == 1 and backups[0].read_text() == "the learner's work\n"
    assert line == (f"{work}/{NAMES[1]}: reset to the book's version; yours is in "
                    f"{backups[0]}.")
    assert (work / NAMES[1]).read_text() == (book / NAMES[1]).read_text()
    # Reset, the copy follows the book again.
    (book / NAMES[1]).write_text("the book's new version\n")
    assert "updated" in workcopy.sync(book, work)[0]


def test_reset_of_everything(book, work):
    workcopy.sync(book, work)
    (work / NAMES[0]).unlink()
    assert workcopy.reset([], book, work) == [
        f"{work}/{NAMES[0]}: copied from the book.",
        f"{work}/{NAMES[1]}: already the book's version.",
        f"{work}/{NAMES[2]}: already the book's version.",
    ]
    assert not (work / "backups").exists()


@pytest.mark.parametrize("names, chosen", [
    (["01"], [NAMES[1]]), (["01_ex1_a"], [NAMES[1]]), (["12_pb6_b.ipynb"], [NAMES[2]]),
    (["12", "00"], [NAMES[2], NAMES[0]]), ([], list(NAMES)),
])
def test_notebooks_are_chosen_by_number_or_name(book, names, chosen):
    assert [p.name for p in workcopy.select(names, book)] == chosen


@pytest.mark.parametrize("name", ["1", "ex1", "02"])
def test_an_unknown_notebook_is_named_in_the_error(book, name):
    with pytest.raises(ValueError, match=rf"no notebook of the book matches '{name}'; "
                                         r"the notebooks are 00, 01, 12"):
        workcopy.select([name], book)


def test_make_reset_says_what_it_did(tmp_path):
    # The README's lines, printed by the command itself in a fresh clone.
    repo = fresh_clone(tmp_path / "repo")
    def reset(*args):
        return subprocess.run(["make", "reset", *args,
                               f"PYTHON={sys.executable}"], cwd=repo, check=True,
                              capture_output=True, text=True, env=terminal_env()).stdout
    nb = "work/01_ex1_sigmoid_prime.ipynb"
    assert reset("NB=01") == f"{nb}: copied from the book.\n"
    assert reset("NB=01") == f"{nb}: already the book's version.\n"
    (repo / nb).write_text("{}")
    assert re.fullmatch(rf"{nb}: reset to the book's version; yours is in "
                        rf"work/backups/[\d-]+_\d{{6}}/01_ex1_sigmoid_prime\.ipynb\.\n",
                        reset("NB=01"))
    failed = subprocess.run(["make", "reset", "NB=ex9", f"PYTHON={sys.executable}"],
                            cwd=repo, capture_output=True, text=True, env=terminal_env())
    assert failed.returncode != 0
    assert "error: no notebook of the book matches 'ex9'" in failed.stderr
    assert git_status(repo) == ""
