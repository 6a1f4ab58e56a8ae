"""Export the whole book to static HTML (``make html``).

nbconvert's HTML exporter (the ``lab`` template) renders each notebook as it was stored:
derivations with their marks (MathJax) and every Explore section as its PNG. The stored
widget state is dropped first, because with it nbconvert would embed the live widget,
which needs JavaScript from a CDN and a kernel to be of use; without it, nbconvert falls
back to the picture. Links between notebooks are pointed at the exported pages.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent


def export(notebook: Path, exporter: HTMLExporter) -> str:
    """One notebook as a standalone HTML page."""
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata.pop("widgets", None)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": notebook.stem}})
    return re.sub(r'href="([^"/:]+)\.ipynb"', r'href="\1.html"', body)


def main(args: list[str]) -> int:
    """Export every notebook into the folder given (default build/html)."""
    out = Path(args[0]) if args else ROOT / "build" / "html"
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    for notebook in notebooks:
        (out / f"{notebook.stem}.html").write_text(export(notebook, exporter), encoding="utf-8")
    shutil.copyfile(out / "00_index.html", out / "index.html")
    print(f"wrote {len(notebooks)} pages to {out}; open {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
