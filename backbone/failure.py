"""What a failed Pulumi program tells its user: the program's own error at the program's own file and line —
never a traceback through Backbone or the Pulumi SDK.

The line is the innermost frame inside the project folder (the program and its own modules), skipping any
virtualenv the project keeps there. A missing module names the package that provides it.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable
from pathlib import Path
from types import FrameType

from pulumi import RunError

__all__ = ["Site", "call_site", "describe", "display", "package_for"]

Site = tuple[str, int]
"""A program file (absolute) and a line."""

# Import names whose package on PyPI has another name. Any other ``pulumi_x`` is ``pulumi-x``.
_PACKAGES = {"yaml": "pyyaml", "jwt": "pyjwt", "dateutil": "python-dateutil", "PIL": "pillow"}


def display(filename: str) -> str:
    """A program file as the user would type it: relative to the current folder."""
    try:
        return os.path.relpath(filename)
    except ValueError:  # another drive
        return filename


def _in_program(filename: str, root: Path) -> bool:
    path = Path(filename)
    if not path.is_absolute() or not path.is_relative_to(root):
        return False
    return not ({"site-packages", "dist-packages"} & set(path.relative_to(root).parts))


def _innermost(frames: Iterable[Site], root: Path | None) -> Site | None:
    if root is None:
        return None
    found = [frame for frame in frames if _in_program(frame[0], root)]
    return found[-1] if found else None


def call_site(frame: FrameType | None, root: Path | None) -> Site | None:
    """The program line that led to ``frame`` (the innermost one inside ``root``)."""
    frames: list[Site] = []
    while frame is not None:
        frames.append((frame.f_code.co_filename, frame.f_lineno))
        frame = frame.f_back
    return _innermost(reversed(frames), root)


def package_for(module: str) -> str:
    """The package to ``pip install`` for a missing top-level module (``pulumi_random`` → ``pulumi-random``)."""
    top = module.split(".")[0]
    return _PACKAGES.get(top, top.replace("_", "-"))


def describe(exc: BaseException, root: Path | None) -> str:
    """``file:line: Type: message`` for the program's own error (plus what to install for a missing module)."""
    if isinstance(exc, SyntaxError) and exc.filename:
        where: Site | None = (exc.filename, exc.lineno or 0)
        message = f"SyntaxError: {exc.msg}"
    else:
        where = _innermost(((f.filename, f.lineno or 0) for f in traceback.extract_tb(exc.__traceback__)), root)
        detail = str(exc)
        # Pulumi's own errors (a missing config key) say what to do in their message; no type name needed
        message = detail if isinstance(exc, RunError) else f"{type(exc).__name__}: {detail}" if detail \
            else type(exc).__name__
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        message += (f" — install the package that provides it into the environment backbone runs in: "
                    f"pip install {package_for(exc.name)}")
    if isinstance(exc, SystemExit):
        message = f"the program exited with status {exc.code}"
    return f"{display(where[0])}:{where[1]}: {message}" if where else message
