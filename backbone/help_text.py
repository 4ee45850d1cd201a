"""``--help`` in plain text: the description of a command (the first paragraph of its module's docstring, its
reStructuredText literals unquoted), its examples and the exit codes, laid out as written."""

from __future__ import annotations

import argparse
import re

__all__ = ["EXIT_CODES", "HelpFormatter", "plain", "summary"]

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
