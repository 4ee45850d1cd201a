"""``--help`` in plain text: each command's one-line help and module (``COMMANDS``), the description of a command
(the first paragraph of its module's docstring, its reStructuredText literals unquoted), its examples and the exit
codes, laid out as written. Nothing here imports more than the standard library."""

from __future__ import annotations

import argparse
import re

__all__ = ["COMMANDS", "EXIT_CODES", "HelpFormatter", "command_help", "plain", "summary"]

EXIT_CODES = """exit codes:
  0    no violation at the --fail-on level (default mandatory; --fail-on advisory: any violation not waived;
       --fail-on never: only the codes below)
  1    a violation at the --fail-on level
  2    bad input: a stack file, a policy config, a waiver, an option (file, config path, what is allowed)
  3    Backbone could not finish (the pack died or missed a deadline, no space for a report, an internal error)
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM)"""

_LITERAL = re.compile(r"``([^`]+)``|`([^`]+)`")


def plain(text: str) -> str:
    """``text`` without reStructuredText literal quotes (````x```` and ```x``` become ``x``)."""
    return _LITERAL.sub(lambda m: m.group(1) or m.group(2), text)


def summary(doc: str | None) -> str | None:
    """The first paragraph of ``doc``, its lines joined, in plain text; None without a docstring."""
    if not doc:
        return None
    return plain(" ".join(doc.strip().split("\n\n")[0].split()))


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions re-wrapped by argparse, the epilog (examples, exit codes) kept as written, and every option's
    help in plain text."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith(("examples:", "exit codes:")):
            return super()._fill_text(text, width, indent)
        return argparse.HelpFormatter._fill_text(self, plain(text), width, indent)

    def _expand_help(self, action: argparse.Action) -> str:
        return plain(super()._expand_help(action))


COMMANDS: dict[str, tuple[str, str]] = {
    "plan": ("backbone.plan", "preview stacks offline and judge them with the policy pack"),
    "pack-path": ("backbone.plan", "print the folder of the installed policy pack"),
    "merge": ("backbone.merge", "combine shard reports (plan --shard I/N -f json) into one report"),
    "audit": ("backbone.audit", "judge a deployed stack (pulumi stack export) with the policy pack"),
    "size": ("backbone.sizing.cli", "size a training run or an inference service on every catalog instance type"),
    "catalog": ("backbone.catalog_cmd", "list the accelerator catalog, or import or fetch a cloud's own listing"),
    "schema": ("backbone.schema", "print the JSON Schema of the stack config (for editors)"),
    "init": ("backbone.init_cmd", "write a new Pulumi project built with Backbone's components"),
    "docs": ("backbone.docs", "(developers) write the policy reference from the rules to --output FILE"),
}
"""Each command: the module whose ``register`` adds its parser, and its one-line help. ``backbone --help`` lists
them from here, and only the command that runs imports its module (together they take seconds to import)."""


def command_help(name: str) -> str:
    """The one-line help of command ``name``, as ``backbone --help`` lists it."""
    return COMMANDS[name][1]
