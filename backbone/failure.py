"""What a failed Pulumi program tells its user: the program's own error at the program's own file and line —
never a traceback through Backbone or the Pulumi SDK.

The line is the innermost frame inside the project folder (the program and its own modules), skipping any
virtualenv the project keeps there. A missing module names the package that provides it. What is found where the
exception is (its line, its message) is ``backbone.program_host``'s, in the program's own process; this module
says it to the user.
"""

from __future__ import annotations

import os
from pathlib import Path

from backbone.program_host import Site, call_site, failure_of, package_for

__all__ = ["Site", "call_site", "describe", "display", "located", "package_for"]


def display(filename: str) -> str:
    """A program file as the user would type it: relative to the current folder."""
    try:
        return os.path.relpath(filename)
    except ValueError:  # another drive
        return filename


def located(where: Site | None, message: str) -> str:
    """``file:line: message`` (the file as the user would type it), or the message alone."""
    return f"{display(where[0])}:{where[1]}: {message}" if where else message


def describe(exc: BaseException, root: Path | None) -> str:
    """``file:line: Type: message`` for the program's own error (plus what to install for a missing module)."""
    return located(*failure_of(exc, root))
