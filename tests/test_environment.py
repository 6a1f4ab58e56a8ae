"""requirements.txt (pip) and environment.yml (conda) must describe the same package set."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Conda needs these two to build the environment; they are not packages of the book.
CONDA_ONLY = {"python", "pip"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_pins() -> dict[str, str]:
    """Package → version from requirements.txt (every line must be an exact pin)."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([0-9][A-Za-z0-9.+\-]*)", line)
        assert match, f"requirements.txt: {line!r} is not an exact pin 'name==version'"
        pins[_normalise(match[1])] = match[2]
    return pins


def conda_pins() -> dict[str, str]:
    """Package → version from environment.yml's dependencies list."""
    pins, in_deps = {}, False
    for raw in (ROOT / "environment.yml").read_text().splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if not raw.startswith(" "):
            in_deps = line.startswith("dependencies:")
            continue
        # Conda entries pin with "=", entries of the nested pip list with "==".
        match = re.fullmatch(r"\s+-\s+([A-Za-z0-9_.\-]+)(?:==?([0-9][A-Za-z0-9.+\-]*))?", line)
        if in_deps and match:
            pins[_normalise(match[1])] = match[2] or ""
    return pins


def test_same_packages_in_both_files():
    conda = {k: v for k, v in conda_pins().items() if k not in CONDA_ONLY}
    pip = pip_pins()
    assert set(conda) == set(pip), (
        f"only in environment.yml: {sorted(set(conda) - set(pip))}; "
        f"only in requirements.txt: {sorted(set(pip) - set(conda))}"
    )


def test_same_versions_in_both_files():
    conda, pip = conda_pins(), pip_pins()
    differ = {k: (pip[k], conda[k]) for k in pip if conda.get(k) != pip[k]}
    assert not differ, f"versions differ (pip, conda): {differ}"


def test_conda_environment_uses_python_311_from_conda_forge():
    text = (ROOT / "environment.yml").read_text()
    assert conda_pins().get("python") == "3.11"
    assert re.search(r"^channels:\s*\n\s+-\s+conda-forge\s*$", text, re.M)


def test_parsers_see_the_core_packages():
    # Guards the two parsers above: an empty parse would make the parity tests vacuous.
    core = {"numpy", "sympy", "matplotlib", "jupyterlab", "ipywidgets", "nbval"}
    assert core <= set(pip_pins()) and core <= set(conda_pins())
