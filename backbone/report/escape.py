"""Escaping for where a report is shown. Every string in a report may come from a pull request (names, zones,
file names, messages that quote them), so each medium gets its own escaping:

- ``terminal``: no control characters (ANSI escape sequences, carriage returns, newlines) reach the terminal or a
  CI log; they are shown as ``\\x1b``-style escapes. A line can then never start with ``::`` of a GitHub Actions
  workflow command (``::error file=…::``) either, because a finding's text never starts a line.
- ``markdown_text`` / ``markdown_code``: for a PR comment — HTML is inert (``<`` ``>`` ``&`` as entities),
  Markdown syntax (``|`` ``*`` ``_`` ``[`` ``]`` backticks …) is escaped; a code span is fenced with more
  backticks than the value holds, so a backtick cannot break out of it.
- ``uri``: a relative file path as a percent-encoded URI reference (SARIF ``artifactLocation.uri``).
"""

from __future__ import annotations

import re
from urllib.parse import quote

__all__ = ["annotation_safe", "log_lines", "markdown_code", "markdown_text", "terminal", "uri"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""Control characters, line and paragraph separators, bidi marks and overrides, and lone surrogates (a file name
that is not UTF-8 decodes to them; no output encoding can write one)."""
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # inline syntax; a table cell never starts a line


def terminal(text: str) -> str:
    """``text`` with every control character (and bidi override) shown as an escape, on one line."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def annotation_safe(line: str) -> str:
    """One line of a CI log that cannot be read as a workflow command: control characters escaped, and a
    leading ``::`` (after any blanks: the runner trims them) shown as ``\\::``, which no runner reads as
    ``::error …::``."""
    line = terminal(line)
    stripped = line.lstrip()
    if stripped.startswith("::"):
        return line[: len(line) - len(stripped)] + "\\" + stripped
    return line


def log_lines(text: str, first: str = "", rest: str = "  ") -> list[str]:
    """A message of several lines for a CI log: each line escaped with ``annotation_safe``, the first after
    ``first`` and the others indented by ``rest`` (a value's own newlines are escaped by whoever quoted it)."""
    lines = text.split("\n")
    return [first + annotation_safe(lines[0]), *(rest + annotation_safe(line) for line in lines[1:])]


def markdown_text(text: str) -> str:
    """Text for a Markdown table cell or paragraph: inert HTML, escaped Markdown syntax, one line."""
    text = terminal(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def markdown_code(text: str) -> str:
    """``text`` as an inline code span that no backtick inside it can close early (a value holding ``<``,
    ``>`` or ``&`` is escaped text instead, so that no tag-like text appears in the comment at all). Pipes
    are escaped so a table cell is not split (GFM honours ``\\|`` inside a code span in a table)."""
    if re.search(r"[<>&]", text):
        # literal inside a code span, but a reader (or a filter) scanning the comment for HTML would still see
        # a tag: such a value is shown as escaped text instead
        return markdown_text(text)
    text = terminal(text).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def uri(path: str) -> str:
    """A file path as a percent-encoded relative URI reference (``/`` kept, everything else unreserved only)."""
    return quote(path.replace("\\", "/"), safe="/", errors="backslashreplace")
