"""Other CPUs, emulated on this one, for re-running the notebooks under strict nbval.

The last digits of BLAS dot products and SIMD exp/log differ between CPUs; a stored output
that shows them turns nbval red on another machine. Two switches make this machine compute
like others: numpy's ``NPY_DISABLE_CPU_FEATURES`` (its SIMD dispatch) and OpenBLAS's
``OPENBLAS_CORETYPE`` (its kernels). They exist on x86-64 only; elsewhere the native pass
is all ``make test`` can run, and the header of the run says so.

The passes re-run every notebook of the catalogue. The index and the errata page are left
to the native pass: what they show is counts, derivations (SymPy and mpmath, whose results
do not depend on the CPU) and numeric reports that their own notebooks show verbatim, so
those reports are compared under each setting there. Two tests keep that true: every
check the index counts is called in its notebook, and every numeric report on the errata
page is stored, word for word, among its notebook's outputs
(``tests/test_notebook_structure.py``).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass

from tests.notebooks import ROOT, exercise_paths


@dataclass(frozen=True)
class CpuSetting:
    """One emulated CPU: what it stands for, its environment, and how to see it took effect."""

    description: str
    env: dict[str, str]
    openblas_core: str  # what OpenBLAS must then report as its core

    @property
    def disabled(self) -> list[str]:
        """The numpy dispatch targets that must then be off."""
        return self.env["NPY_DISABLE_CPU_FEATURES"].split()


SETTINGS = {
    "avx2": CpuSetting(
        "an AVX2 laptop or CI runner: numpy's SIMD limited to AVX2, OpenBLAS's Haswell kernels",
        {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL", "OPENBLAS_CORETYPE": "Haswell"},
        "Haswell"),
    "baseline": CpuSetting(
        "an old x86-64: numpy's baseline SIMD only, OpenBLAS's oldest (Prescott) kernels",
        {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL X86_V3", "OPENBLAS_CORETYPE": "Prescott"},
        "Katmai"),  # OpenBLAS reports Prescott as Katmai
}

# Asks numpy which dispatch targets are on, and OpenBLAS which kernels it chose.
PROBE = """
import ctypes, glob, json, os
import numpy
from numpy._core._multiarray_umath import __cpu_features__
libs = glob.glob(os.path.join(os.path.dirname(numpy.__file__), os.pardir, "numpy.libs",
                              "libscipy_openblas*"))
core = None
if libs:
    openblas = ctypes.CDLL(libs[0])
    openblas.scipy_openblas_get_corename64_.restype = ctypes.c_char_p
    core = openblas.scipy_openblas_get_corename64_().decode()
print(json.dumps({"features": __cpu_features__, "core": core}))
"""
NBVAL = ["--nbval", "--nbval-current-env", "--nbval-cell-timeout=300"]


def unavailable() -> str | None:
    """Why CPU emulation cannot run here, or None where it can (x86-64)."""
    machine = platform.machine().lower()
    if machine in ("x86_64", "amd64"):
        return None
    return (f"CPU-setting passes skipped: emulating other CPUs needs x86-64, this is "
            f"{machine}; only the native nbval pass runs")


def clean_env(setting: CpuSetting) -> dict[str, str]:
    """This process's environment, less pytest's own variables, plus the setting's."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "NPY_DISABLE_CPU", "OPENBLAS_CORETYPE"))}
    return env | {"PYTHONHASHSEED": "0"} | setting.env


def probe(setting: CpuSetting) -> dict:
    """What numpy and OpenBLAS report under the setting."""
    done = subprocess.run([sys.executable, "-c", PROBE], env=clean_env(setting),
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def run_nbval(setting: CpuSetting) -> subprocess.CompletedProcess:
    """Strict nbval over every catalogued notebook under the setting, on two workers: the
    main run's other worker spends much of its time waiting on the browser, so the cores
    have room."""
    notebooks = [str(path.relative_to(ROOT)) for path in exercise_paths()]
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadfile", *NBVAL,
         *notebooks],
        cwd=ROOT, env=clean_env(setting), capture_output=True, text=True, timeout=1200)


def check_setting(name: str) -> None:
    """Assert that the emulation takes effect and that every notebook passes nbval under it."""
    import pytest

    reason = unavailable()
    if reason:
        pytest.skip(reason)
    setting = SETTINGS[name]
    seen = probe(setting)
    still_on = [target for target in setting.disabled if seen["features"].get(target)]
    assert not still_on, f"{name}: numpy ignored NPY_DISABLE_CPU_FEATURES ({still_on} still on)"
    assert seen["core"] == setting.openblas_core, (
        f"{name}: OpenBLAS runs its {seen['core']} kernels, not {setting.openblas_core}")
    done = run_nbval(setting)
    lines = done.stdout.strip().splitlines()
    failures = "\n".join(line for line in lines if line.startswith("FAILED"))
    assert done.returncode == 0, (
        f"strict nbval under {setting.description} ({setting.env}):\n{failures}\n"
        f"{lines[-1] if lines else done.stderr[-2000:]}\n"
        "re-run the CPU settings alone with: make test-cpus")
