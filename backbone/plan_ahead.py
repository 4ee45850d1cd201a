"""What ``backbone plan`` starts before its own imports (half a second of CPU): the program host of Backbone's own
program, importing the SDK, Backbone's components and the provider packages of the clouds the named stack files
declare, while Backbone imports its modules and checks the stack files.

A guess from the command line, nothing more: nothing here is validated or decided. The plan itself reads its
options, its stack files and its project as always, and takes this host only when its own program runs under the
same interpreter, folder and path (``backbone.program_server``); otherwise the host is not used and is stopped at
the end, like every host. A wrong guess costs CPU, never a result. Only the standard library and
``backbone.program_server`` are imported here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from backbone.components.loads import LOADS, OWN
from backbone.program_server import prestart, program_run

__all__ = ["PROGRAM", "PROJECT_ROOT", "start_ahead"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout (or the installed package's parent): where Backbone's own ``stacks/`` live."""
PROGRAM = Path(__file__).resolve().parent / "program"
"""Backbone's own program (``__main__.py``), shipped inside the package: it plans Backbone stack files from any
folder, installed or in the checkout."""

_OTHER_PROGRAM = ("--project", "--python", "--stacks-dir", "-h", "--help")
"""Options after which the plan runs another program (or none): nothing is started ahead."""
_CLOUD = re.compile(r"^\s+cloud:\s*['\"]?(\w+)", re.MULTILINE)
_READ = 256 * 1024


def start_ahead(words: Sequence[str]) -> None:
    """Starts the program host for ``backbone plan WORDS`` when it plans Backbone's own program: not with an option
    naming another, nor from an outside project's folder (its ``Pulumi.yaml``)."""
    if any(word.split("=", 1)[0] in _OTHER_PROGRAM for word in words):
        return
    if Path("Pulumi.yaml").exists() and Path.cwd().resolve() != PROJECT_ROOT:
        return
    loads = tuple(module for cloud in sorted(_clouds(_stack_files(words))) for module in LOADS.get(cloud, ()))
    prestart(program_run(PROGRAM, None, None, OWN + loads, project="", stack="", config={}))


def _stack_files(words: Sequence[str]) -> list[Path]:
    """The stack files the words may name (a name in ``stacks/``, or a file); none named: all of ``stacks/``."""
    stacks = PROJECT_ROOT / "stacks"
    named = [word for word in words[1:] if not word.startswith("-")]
    if not named:
        return sorted(stacks.glob("Pulumi.*.yaml"))
    return [Path(word) if word.endswith((".yaml", ".yml")) else stacks / f"Pulumi.{word}.yaml" for word in named]


def _clouds(files: list[Path]) -> set[str]:
    """The ``cloud:`` each file declares, read as text (the first such line; a file that cannot be read, or is not a
    regular file — a pipe would block: none)."""
    found = set()
    for file in files:
        try:
            if not file.is_file():
                continue
            with file.open(encoding="utf-8", errors="replace") as handle:
                match = _CLOUD.search(handle.read(_READ))
        except OSError:
            continue
        if match:
            found.add(match.group(1))
    return found
