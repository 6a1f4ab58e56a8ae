"""Build the book as a static site (``make html``) that reads with no network at all.

Each notebook becomes one page through nbconvert's HTML exporter, with the template in
``tools/templates/book`` (the ``lab`` page, plus previous/next links and nothing fetched
from the Internet). The pages are rendered as they were stored: derivations with their
marks, every Explore section as its PNG. The stored widget state is dropped first, because
with it nbconvert would embed the live widget, which needs a kernel to be of use; without
it, nbconvert falls back to the picture.

Mathematics is typeset in the reader's browser by MathJax 3 (``tex-svg-full.js``, from the
PyPI package ``sphinx-mathjax-offline``), copied into the site's ``mathjax/`` folder. Its
SVG output draws every glyph as a path: no web fonts, which browsers refuse to load from
``file://`` pages. Links between notebooks are pointed at the pages.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from nblib.book.catalogue import BOOK

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "tools" / "templates"
MATHJAX_PACKAGE = "sphinx-mathjax-offline"
MATHJAX_FILE = "tex-svg-full.js"


@dataclass(frozen=True)
class Page:
    """One page of the site: its notebook, file name and title."""

    notebook: Path
    title: str

    @property
    def href(self) -> str:
        """The page's file name in the site, e.g. ``01_ex1_sigmoid_prime.html``."""
        return f"{self.notebook.stem}.html"

    @property
    def label(self) -> str:
        """The page's name in a previous/next link: its title up to the claim."""
        return self.title.split(":")[0]


def pages() -> list[Page]:
    """The site's pages in reading order: contents, the catalogue, the errata."""
    notebooks = ROOT / "notebooks"
    return [
        Page(notebooks / "00_index.ipynb", "Contents: Chapter 3, checked"),
        *(Page(notebooks / e.filename, f"{e.title}: {e.claim}") for e in BOOK),
        Page(notebooks / "99_errata.ipynb", "Errata of the sources"),
    ]


def mathjax_script() -> Path:
    """MathJax's single-file TeX-to-SVG build, as installed with its PyPI package."""
    try:
        files = metadata.files(MATHJAX_PACKAGE) or []
    except metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.name == MATHJAX_FILE:
            return Path(file.locate())
    raise SystemExit(f"make html: {MATHJAX_FILE} not found; the package {MATHJAX_PACKAGE} is "
                     "not installed (run make venv)")


def export(page: Page, neighbours: dict[str, Page | None], exporter: HTMLExporter) -> str:
    """One notebook as a standalone HTML page of the site."""
    nb = nbformat.read(page.notebook, as_version=4)
    nb.metadata.pop("widgets", None)
    nb.metadata["title"] = page.title
    resources = {"metadata": {"name": page.notebook.stem}, "site": neighbours}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return re.sub(r'href="([^"/:]+)\.ipynb"', r'href="\1.html"', body)


def main(args: list[str]) -> int:
    """Build the site into the folder given (default build/html)."""
    out = Path(args[0]) if args else ROOT / "build" / "html"
    out.mkdir(parents=True, exist_ok=True)
    (out / "mathjax").mkdir(exist_ok=True)
    shutil.copyfile(mathjax_script(), out / "mathjax" / MATHJAX_FILE)
    exporter = HTMLExporter(template_name="book", extra_template_basedirs=[str(TEMPLATES)])
    site = pages()
    for i, page in enumerate(site):
        neighbours = {"previous": site[i - 1] if i > 0 else None,
                      "next": site[i + 1] if i + 1 < len(site) else None}
        (out / page.href).write_text(export(page, neighbours, exporter), encoding="utf-8")
    shutil.copyfile(out / site[0].href, out / "index.html")
    print(f"wrote {len(site)} pages to {out}; open {out / 'index.html'} (no network needed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
