"""A private JupyterLab and a headless Chromium, for tests and benchmarks that act as a user.

:func:`running_lab`: the server runs on 127.0.0.1 with a fresh token, a fresh workspaces
directory and the settings `make lab` ships (lab/overrides.json5) plus its own (every cell
rendered so the page can be inspected), and serves a *copy* of the notebooks, so autosave
never writes into the repository.

:func:`make_lab`: `make lab` itself, run in a fresh clone of the repository as a learner
runs it (from a terminal, stopped by Ctrl-C), with Jupyter's own directories kept apart.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from secrets import token_hex

from tools.lab import settings_options

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# Settings of the tests' own, keyed by plugin, on top of lab/overrides.json5: keep every
# cell in the DOM.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def chromium_available() -> bool:
    """True if Debian's Chromium is installed where the tests expect it."""
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab: where it serves and how to reach a notebook."""

    port: int
    token: str
    book: Path
    process: subprocess.Popen
    signatures: Path

    def trust(self, notebook: str) -> None:
        """Sign a notebook in this lab's own signature store (never the user's)."""
        import nbformat
        from nbformat.sign import NotebookNotary

        path = self.book / notebook
        nb = nbformat.read(path, as_version=4)
        notary = NotebookNotary(db_file=str(self.signatures))
        notary.sign(nb)
        notary.store.close()

    def url(self, notebook: str) -> str:
        """Address that opens ``notebook`` alone in the lab, token included.

        ``reset`` starts from an empty workspace: otherwise JupyterLab reopens the tabs of
        the previous test, and their (hidden) cells and figures would be found first.
        """
        return f"http://127.0.0.1:{self.port}/lab/tree/{notebook}?reset&token={self.token}"

    def api(self, path: str, attempts: int = 5) -> object:
        """GET a JSON endpoint of the server's REST API.

        A server error is asked again a few times: listing the kernels while one is being
        stopped (a notebook just closed stops its kernel) can fail with a 500 on the server.
        """
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            headers={"Authorization": f"token {self.token}"},
        )
        for attempt in range(attempts):
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    return json.load(response)
            except urllib.error.HTTPError as error:
                if error.code < 500 or attempt == attempts - 1:
                    raise
                time.sleep(0.5)
        raise AssertionError("unreachable")

    def delete(self, path: str) -> None:
        """DELETE a resource of the server's REST API (e.g. a kernel); gone already is fine
        (closing a notebook shuts its kernel down)."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", method="DELETE",
            headers={"Authorization": f"token {self.token}"},
        )
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise


def _write_settings(directory: Path, settings: dict = LAB_SETTINGS) -> None:
    for plugin, values in settings.items():
        package, name = plugin.rsplit("/", 1)
        target = directory / package / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))


@contextmanager
def running_lab(workdir: Path, timeout: float = 60.0,
                settings: dict = LAB_SETTINGS) -> Iterator[Lab]:
    """Start JupyterLab on a copy of the notebooks; stop it (and its kernels) on exit."""
    book = workdir / "book"
    shutil.copytree(ROOT / "notebooks", book, ignore=shutil.ignore_patterns(".ipynb_*"))
    settings_dir = workdir / "settings"
    _write_settings(settings_dir, settings)
    port, token = _free_port(), token_hex(24)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={book}", f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
        *settings_options(), "--LabApp.expose_app_in_browser=True",
        # Trust decisions stay in this run: the user's signature database is not touched.
        f"--NotebookNotary.db_file={workdir / 'nbsignatures.db'}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    env = os.environ | {"JUPYTERLAB_SETTINGS_DIR": str(settings_dir), "PYTHONHASHSEED": "0"}
    log = (workdir / "lab.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    lab = Lab(port, token, book, process, workdir / "nbsignatures.db")
    try:
        _wait_until_serving(lab, workdir / "lab.log", timeout)
        yield lab
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_serving(lab: Lab, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if lab.process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early; see {log}")
        try:
            lab.api("/api/status")
            return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"JupyterLab did not start in {timeout:.0f} s") from None
            time.sleep(0.2)


def fresh_clone(target: Path) -> Path:
    """A new git repository at ``target`` holding this checkout's files as they stand
    (tracked and not ignored, edits included), committed: what a learner clones."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)  # keeps mtimes: make sees .venv current
    env = os.environ | {"GIT_AUTHOR_NAME": "learner", "GIT_AUTHOR_EMAIL": "learner@example.org",
                        "GIT_COMMITTER_NAME": "learner",
                        "GIT_COMMITTER_EMAIL": "learner@example.org"}
    for command in (["git", "init", "-q"], ["git", "add", "-A"],
                    ["git", "commit", "-q", "-m", "the book"]):
        subprocess.run(command, cwd=target, check=True, env=env)
    return target


def terminal_env(**values: str) -> dict[str, str]:
    """The environment of a command typed in a terminal: this one, less what an enclosing
    `make test` passes to the makes it runs (their jobserver, their level), plus ``values``."""
    outer = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    return {k: v for k, v in os.environ.items() if k not in outer} | values


def git_status(repo: Path) -> str:
    """``git status --porcelain`` of ``repo``: empty when nothing tracked has changed."""
    return subprocess.run(["git", "status", "--porcelain"], cwd=repo, check=True,
                          capture_output=True, text=True).stdout


@dataclass
class MakeLab(Lab):
    """`make lab` running in a learner's clone: what it printed, and how to stop it."""

    log: Path = ROOT
    address: str = ""

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def interrupt(self, timeout: float = 60.0) -> str:
        """Press Ctrl-C once (SIGINT to the terminal's process group) and wait for the end."""
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=timeout)
        return self.output()


def kernel_processes(runtime: Path) -> list[int]:
    """Process ids of the kernels whose connection files lie in ``runtime``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError):
            continue
        if "ipykernel" in command and str(runtime) in command:
            found.append(int(entry.name))
    return found


# Where a kernel's own shutdown can race with itself and print a traceback (ipykernel 7
# writing to a socket or an event loop it has just closed; ipython/ipykernel#1155). Such a
# traceback, every frame of it in these places, is noise of the kernel's, not an error of
# the book's: any other traceback, or any error the server logs, fails the test.
KERNEL_SHUTDOWN_RACE = re.compile(
    r"(^|/)(ipykernel|zmq|tornado|asyncio|jupyter_client)/|/warnings\.py$")
FRAME = re.compile(r'^\s*File "([^"]+)"', re.MULTILINE)


def shutdown_errors(output: str) -> list[str]:
    """The tracebacks and server errors printed while stopping, less the kernels' own
    shutdown races (a traceback whose every frame matches KERNEL_SHUTDOWN_RACE)."""
    errors = [line for line in output.splitlines() if line.startswith("[E ")]
    for block in output.split("Traceback (most recent call last):")[1:]:
        frames = FRAME.findall(block)
        if not frames or not all(KERNEL_SHUTDOWN_RACE.search(frame) for frame in frames):
            errors.append("Traceback (most recent call last):" + block[:1500])
    return errors


@contextmanager
def make_lab(repo: Path, home: Path, settings: dict = LAB_SETTINGS,
             timeout: float = 90.0) -> Iterator[MakeLab]:
    """Run `make lab` in ``repo`` as from a terminal, Jupyter's directories under ``home``.

    The test's own options go through LAB_ARGS (a free port, no browser, the app exposed
    to the page's scripts); stdin is a terminal, as when a learner types the command, so
    that Ctrl-C reaches JupyterLab's own handler. On exit the lab is interrupted if it
    still runs, and killed if that does not stop it.
    """
    dirs = {name: home / name for name in ("config", "data", "runtime", "settings")}
    for directory in dirs.values():
        directory.mkdir(parents=True, exist_ok=True)
    _write_settings(dirs["settings"], settings)
    env = terminal_env(
        JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]), JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
    )
    port = _free_port()
    options = (f"--no-browser --ServerApp.port={port} --ServerApp.port_retries=0 "
               "--LabApp.expose_app_in_browser=True")
    venv = Path(sys.prefix)
    log = home / f"make-lab-{time.monotonic_ns()}.log"
    terminal, tty = pty.openpty()
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "-o", str(venv / ".installed"), "lab", f"VENV={venv}",
             f"LAB_ARGS={options}"],
            cwd=repo, stdin=tty, stdout=out, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,
        )
    lab = MakeLab(port, "", repo / "work", process, dirs["data"] / "nbsignatures.db", log)
    printed = re.compile(rf"http://127\.0\.0\.1:{port}/\S*\?token=(\w+)")
    try:
        deadline = time.monotonic() + timeout
        while not (found := printed.search(lab.output())):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"make lab printed no address; it printed:\n{lab.output()}")
            time.sleep(0.2)
        lab.address, lab.token = found[0], found[1]
        _wait_until_serving(lab, log, timeout)
        yield lab
    finally:
        if process.poll() is None:
            try:
                lab.interrupt(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        os.close(terminal)
        os.close(tty)


@contextmanager
def chromium_page(width: int = 1400, height: int = 1000):
    """A headless Chromium page (Debian's binary, never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()
