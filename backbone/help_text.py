"""The ``--help`` description of a command: the first paragraph of its module's docstring, joined into one line
(argparse re-wraps it; the first line alone would stop mid-sentence)."""

from __future__ import annotations


def summary(doc: str | None) -> str | None:
    """The first paragraph of ``doc``, its lines joined; None without a docstring."""
    if not doc:
        return None
    return " ".join(doc.strip().split("\n\n")[0].split())
