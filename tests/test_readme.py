"""The README stays true: its notebook list is the catalogue, its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from nblib.book.catalogue import BOOK

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_notebook_is_listed_with_its_claim_and_link():
    for e in BOOK:
        assert f"(notebooks/{e.filename})" in README, f"README does not link {e.filename}"
        assert e.claim in README, f"README lacks the claim of {e.id}: {e.claim!r}"
    for page in ("00_index.ipynb", "99_errata.ipynb"):
        assert f"(notebooks/{page})" in README


def test_documented_make_targets_exist():
    makefile = (ROOT / "Makefile").read_text()
    for target in set(re.findall(r"`make (\w+)`", README)):
        assert re.search(rf"^{target}:", makefile, re.M), f"README mentions make {target}"


def test_quick_start_is_the_two_commands():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick, re.S)[1]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make lab", "make test"]


def test_ci_runs_the_readme_test_command():
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")


def test_pictures_in_the_readme_exist():
    for picture in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / picture).is_file(), f"README shows a missing picture {picture}"
