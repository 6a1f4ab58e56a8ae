"""`make lab`: JupyterLab on the learner's copies in work/, the book itself read-only.

``python -m tools.lab [jupyter options]`` copies into work/ the notebooks it lacks (see
tools.workcopy), then runs JupyterLab on the repository with

* the index of the learner's copy as the address it prints and opens;
* the settings shipped in lab/overrides.json5 (widget state saved with each notebook, no
  news pop-up or update check, a notebook's kernel stopped when its tab is closed);
* a fresh workspace at every start, so that no tab, and no kernel, comes back by itself;
* one Ctrl-C to stop the server and its kernels (no confirmation prompt);
* tools.labserver's contents manager: everything outside work/ is opened read-only and
  never written, and each notebook saved keeps exactly the widget state its outputs show.
"""

from __future__ import annotations

import os
import shutil
import sys

from tools import workcopy

ROOT = workcopy.ROOT
SETTINGS = ROOT / "lab"
WORKSPACES = ROOT / "build" / "lab" / "workspaces"
WORK = workcopy.WORK.name
INDEX = f"/lab/tree/{WORK}/00_index.ipynb"


def server_options() -> list[str]:
    """The JupyterLab options of `make lab` (the tests' private labs use the settings too)."""
    options = [
        f"--ServerApp.root_dir={ROOT}",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.open_browser=True",
        # One Ctrl-C stops the server and shuts its kernels down, without a y/n prompt.
        "--ServerApp.answer_yes=True",
        "--ServerApp.contents_manager_class=tools.labserver.BookContentsManager",
        f"--LabApp.default_url={INDEX}",
        f"--LabApp.workspaces_dir={WORKSPACES}",
        *settings_options(),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.append("--allow-root")
    return options


def settings_options() -> list[str]:
    """Options that give a lab the settings shipped in lab/overrides.json5."""
    return [f"--LabApp.app_settings_dir={SETTINGS}", "--LabApp.news_url=None"]


def main(args: list[str]) -> int:
    """Bring work/ up to date, then run JupyterLab with `make lab`'s options plus ``args``."""
    for line in workcopy.sync():
        print(line)
    print(f"Your notebooks are in {WORK}/ (JupyterLab saves there; everything else is the "
          f"book, read-only here). `make reset NB=01` gives you the book's version of "
          f"notebook 01 again, `make reset` of all of them.")
    shutil.rmtree(WORKSPACES, ignore_errors=True)
    WORKSPACES.mkdir(parents=True)
    sys.stdout.flush()
    from jupyterlab.labapp import LabApp

    LabApp.launch_instance(argv=server_options() + args)
    # The server has stopped, its kernels shut down. A worker thread of anyio's can be left
    # waiting when a kernel was still starting at Ctrl-C, and Python would wait for it
    # forever: leave without waiting.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
