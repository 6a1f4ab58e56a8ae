"""`make lab`'s options (tools/lab.py), the JupyterLab settings the book ships
(lab/overrides.json5), and Binder getting the same settings from postBuild."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import json5
import jsonschema
import pytest
from jupyter_server.serverapp import ServerApp

from tools import lab

OVERRIDES = lab.SETTINGS / "overrides.json5"
SHARE = Path(sys.prefix) / "share" / "jupyter"


def option(name: str) -> str | None:
    """The value `make lab` gives ``--name``, or None."""
    found = [o.split("=", 1)[1] for o in lab.server_options() if o.startswith(f"--{name}=")]
    assert len(found) <= 1, found
    return found[0] if found else None


def test_the_lab_serves_the_repository_and_opens_the_learners_index():
    assert option("ServerApp.root_dir") == str(lab.ROOT)
    assert option("LabApp.default_url") == "/lab/tree/work/00_index.ipynb"
    assert (lab.ROOT / "notebooks" / "00_index.ipynb").is_file()  # copied into work/


def test_the_address_it_prints_and_the_browser_it_opens():
    # The README: on http://127.0.0.1:8888 (Jupyter's own default port), browser opened.
    assert option("ServerApp.ip") == "127.0.0.1"
    assert option("ServerApp.port") is None
    assert "JUPYTER_PORT" in os.environ or ServerApp()._port_default() == 8888
    assert option("ServerApp.open_browser") == "True"


def test_one_ctrl_c_a_fresh_workspace_and_root():
    assert option("ServerApp.answer_yes") == "True"  # no "Shut down this server (y/[n])?"
    assert Path(option("LabApp.workspaces_dir")) == lab.WORKSPACES
    assert lab.WORKSPACES.is_relative_to(lab.ROOT / "build")  # git-ignored, wiped per start
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    assert ("--allow-root" in lab.server_options()) == as_root


def test_the_contents_manager_is_importable_by_name():
    from jupyter_server.utils import import_item

    from tools.labserver import BookContentsManager

    assert import_item(option("ServerApp.contents_manager_class")) is BookContentsManager


def schema(plugin: str) -> dict:
    """The settings schema of ``package:plugin`` as installed (JupyterLab's or an extension's)."""
    package, name = plugin.split(":")
    for path in (SHARE / "lab" / "schemas" / package / f"{name}.json",
                 SHARE / "labextensions" / package / "schemas" / package / f"{name}.json"):
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    raise AssertionError(f"no settings schema installed for {plugin}")


def test_every_shipped_setting_is_a_real_one_with_a_valid_value():
    overrides = json5.loads(OVERRIDES.read_text(encoding="utf-8"))
    assert set(overrides) == {"@jupyter-widgets/jupyterlab-manager:plugin",
                              "@jupyterlab/apputils-extension:notification",
                              "@jupyterlab/notebook-extension:tracker"}
    for plugin, values in overrides.items():
        properties = schema(plugin)["properties"]
        for key, value in values.items():
            assert key in properties, f"{plugin} has no setting {key!r}"
            jsonschema.validate(value, properties[key])


def test_binder_gets_the_same_settings(tmp_path):
    # postBuild, run with stand-ins for pip and for the environment's python, copies the
    # file to where JupyterLab reads application-wide overrides: <prefix>/share/jupyter/lab.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pip").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "python").write_text(f"#!/bin/sh\necho {tmp_path / 'env'}\n")
    for stub in bin_dir.iterdir():
        stub.chmod(0o755)
    env = os.environ | {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    subprocess.run(["bash", str(lab.ROOT / "postBuild")], cwd=lab.ROOT, env=env, check=True)
    copied = tmp_path / "env" / "share" / "jupyter" / "lab" / "settings" / "overrides.json5"
    assert copied.read_text() == OVERRIDES.read_text()


@pytest.mark.skipif("JUPYTERLAB_DIR" in os.environ, reason="JupyterLab's app dir is moved")
def test_jupyterlab_reads_overrides_from_where_postbuild_puts_them():
    from jupyterlab.commands import get_app_dir

    assert Path(get_app_dir()) == SHARE / "lab"


def test_make_lab_runs_this_launcher_and_make_clean_spares_work():
    makefile = (lab.ROOT / "Makefile").read_text()
    recipes = dict(re.findall(r"^(\w+):.*\n((?:\t.*\n)+)", makefile, re.M))
    assert "-m tools.lab $(LAB_ARGS)" in recipes["lab"]
    assert "-m tools.workcopy reset $(NB)" in recipes["reset"]
    assert "work" not in recipes["clean"]
    assert option("ServerApp.port_retries") is None  # Jupyter's default: the next free port
    assert ServerApp().port_retries > 0


# Two tracebacks a kernel printed while `make lab` stopped (seen in this suite's runs), and
# one with a frame of the server's: only the last is an error of the book's.
KERNEL_RACE_1 = '''Exception ignored in: <coroutine object Kernel.dispatch_control at 0x7f>
Traceback (most recent call last):
  File "/usr/lib/python3.11/warnings.py", line 537, in _warn_unawaited_coroutine
  File "/v/site-packages/ipykernel/iostream.py", line 784, in write
  File "/v/site-packages/tornado/ioloop.py", line 615, in call_later
  File "/usr/lib/python3.11/asyncio/base_events.py", line 519, in _check_closed
RuntimeError: Event loop is closed
'''
KERNEL_RACE_2 = '''ERROR:tornado.general:Uncaught exception in ZMQStream callback
Traceback (most recent call last):
  File "/v/site-packages/zmq/eventloop/zmqstream.py", line 585, in _log_error
  File "/v/site-packages/ipykernel/kernelbase.py", line 372, in dispatch_control
  File "/v/site-packages/jupyter_client/session.py", line 867, in send
  File "zmq/backend/cython/_zmq.py", line 1152, in zmq.backend.cython._zmq.Socket.send
zmq.error.ZMQError: Socket operation on non-socket
'''
SERVER_ERROR = '''Traceback (most recent call last):
  File "/v/site-packages/tornado/web.py", line 1790, in _execute
  File "/v/site-packages/jupyter_server/services/kernels/handlers.py", line 80, in delete
KeyError: 'kernel'
'''


def test_a_kernels_own_shutdown_race_is_told_apart_from_an_error():
    from tests.browser.lab import shutdown_errors

    stopping = "[I 2026-12-04 14:14:06.552 ServerApp] Shutting down 1 kernel\n"
    assert shutdown_errors(stopping + KERNEL_RACE_1 + KERNEL_RACE_2) == []
    assert len(shutdown_errors(stopping + KERNEL_RACE_1 + SERVER_ERROR)) == 1
    assert shutdown_errors("[E 2026-12-04 14:14:06 ServerApp] Exception in callback\n")
