"""The Makefile notices a ``.venv`` made by another Python (another version, or one since removed) and rebuilds
it, and leaves a ``.venv`` of the same Python alone (``make -n``: what make would run, nothing run)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _project(tmp_path: Path, venv_python: str) -> Path:
    """A folder with the Makefile, a pyproject.toml, and a .venv whose python is ``venv_python`` (a script),
    installed after the pyproject.toml was last changed."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("")
    bin_ = tmp_path / ".venv" / "bin"
    bin_.mkdir(parents=True)
    (bin_ / "python").write_text(venv_python)
    (bin_ / "python").chmod(0o755)
    stamp = tmp_path / ".venv" / ".installed"
    stamp.touch()
    later = (tmp_path / "pyproject.toml").stat().st_mtime + 10
    os.utime(stamp, (later, later))
    return tmp_path


def _dry_run(folder: Path) -> str:
    done = subprocess.run(["make", "-n", ".venv/.installed", f"PYTHON={sys.executable}"], cwd=folder,
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def _this_python() -> str:
    return f"{sys.version.split()[0]} {sys.base_prefix}"


def test_a_venv_of_the_same_python_is_kept(tmp_path: Path) -> None:
    folder = _project(tmp_path, f"#!/bin/sh\necho '{_this_python()}'\n")
    assert "is up to date" in _dry_run(folder)


@pytest.mark.parametrize("venv_python", [
    "#!/bin/sh\necho '3.10.0 /opt/python-3.10'\n",  # another version
    "#!/bin/sh\nexit 127\n",                          # its Python removed
])
def test_a_venv_of_another_python_is_rebuilt(tmp_path: Path, venv_python: str) -> None:
    out = _dry_run(_project(tmp_path, venv_python))
    assert "rm -rf .venv" in out and "-m venv .venv" in out
    assert "pip install --quiet -e '.[dev]'" in out
