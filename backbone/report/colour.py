"""Colour for the text report on a terminal: the level labels of findings and the verdict. Applied to lines
already escaped (``escape.annotation_safe``), and only at the places Backbone itself writes (a label after a
fixed indent, the verdict line's start), which text from a pull request never occupies."""

from __future__ import annotations

import os
from typing import TextIO

__all__ = ["coloured", "use_colour"]

_CODES = {"MANDATORY": "1;31", "REMEDIATE": "1;31", "ADVISORY": "33", "UNKNOWN": "36", "WAIVED": "35",
          "FAIL": "1;31", "PASS": "1;32"}
_LABEL = "    "
_VERDICT = "verdict: "


def _paint(word: str) -> str:
    return f"\x1b[{_CODES[word]}m{word}\x1b[0m"


def coloured(line: str) -> str:
    """``line`` with its level label or verdict word in colour (unchanged when it has neither)."""
    if line.startswith(_VERDICT):
        word = line[len(_VERDICT):].split(":", 1)[0]
        if word in _CODES:
            return _VERDICT + _paint(word) + line[len(_VERDICT) + len(word):]
    if line.startswith(_LABEL) and not line.startswith(_LABEL + " "):
        word = line[len(_LABEL):].split(" ", 1)[0]
        if word in _CODES:
            return _LABEL + _paint(word) + line[len(_LABEL) + len(word):]
    return line


def use_colour(stream: TextIO | None, disabled: bool = False) -> bool:
    """Colour only on a terminal, never with ``--no-color`` or ``NO_COLOR`` set to anything (no-color.org)."""
    if disabled or os.environ.get("NO_COLOR") or stream is None:
        return False
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (OSError, ValueError):
        return False
