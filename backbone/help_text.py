"""The help of the commands: each command's one-line help and module (``COMMANDS``), and the ``--help``
description of a command: the first paragraph of its module's docstring, joined into one line (argparse re-wraps
it; the first line alone would stop mid-sentence). Nothing here imports more than the standard library."""

from __future__ import annotations


def summary(doc: str | None) -> str | None:
    """The first paragraph of ``doc``, its lines joined; None without a docstring."""
    if not doc:
        return None
    return " ".join(doc.strip().split("\n\n")[0].split())


COMMANDS: dict[str, tuple[str, str]] = {
    "plan": ("backbone.plan", "preview stacks offline and judge them with the policy pack"),
    "pack-path": ("backbone.plan", "print the folder of the installed policy pack"),
    "audit": ("backbone.audit", "judge a deployed stack (`pulumi stack export`) with the policy pack"),
    "size": ("backbone.sizing.cli", "size a training run or an inference service on every catalog instance type"),
    "catalog": ("backbone.catalog_cmd", "list the accelerator catalog, or import a cloud's own listing"),
    "schema": ("backbone.schema", "print the JSON Schema of the stack config (for editors)"),
    "init": ("backbone.init_cmd", "write a new Pulumi project built with Backbone's components"),
    "docs": ("backbone.docs", "(developers) write the policy reference from the rules to --output FILE"),
}
"""Each command: the module whose ``register`` adds its parser, and its one-line help. ``backbone --help`` lists
them from here, and only the command that runs imports its module (together they take seconds to import)."""


def command_help(name: str) -> str:
    """The one-line help of command ``name``, as ``backbone --help`` lists it."""
    return COMMANDS[name][1]
