"""Progress on standard error, stack by stack (previewing, judging, done), so that a run of many stacks is never
silent for long on a terminal — and silent in CI, where standard error is a log, unless ``--progress`` asks.

One line per step (no cursor movement: a log stays readable); stack names are escaped like every other string a
pull request controls.
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from backbone.report.escape import annotation_safe

__all__ = ["SILENT", "Progress", "progress_for"]


class Progress:
    """Writes ``[i/n] stack: step`` lines to ``stream``; ``None`` writes nothing."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self._total = 0
        self._index: dict[str, int] = {}
        self._lock = threading.Lock()  # the preview (main thread) and the judge (a worker) both report

    def start(self, total: int) -> None:
        self._total = total

    def step(self, stack: str, what: str) -> None:
        if self.stream is None:
            return
        with self._lock:
            index = self._index.setdefault(stack, len(self._index) + 1)
            try:
                print(annotation_safe(f"[{index}/{self._total}] {stack}: {what}"), file=self.stream, flush=True)
            except (OSError, ValueError):  # a closed terminal never stops a plan
                self.stream = None


SILENT = Progress(None)


def progress_for(asked: bool, quiet: bool, stream: TextIO | None = None) -> Progress:
    """Progress on standard error when it is a terminal or ``--progress`` asks; never with ``--quiet``."""
    stream = stream if stream is not None else sys.stderr
    if quiet or stream is None:
        return SILENT
    try:
        shown = asked or stream.isatty()
    except (OSError, ValueError):
        shown = False
    return Progress(stream) if shown else SILENT
