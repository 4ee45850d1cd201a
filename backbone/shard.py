"""``--shard I/N``: one runner's deterministic share of the stacks, for a matrix of N runners.

The stacks are sorted by file name and dealt round-robin: stack k (0-based, in that order) goes to shard
``k mod N + 1``. Every runner that sees the same stacks takes the same share, the shards never overlap and
together hold every stack, and no two shards differ by more than one stack. A shard may be empty (N larger than
the number of stacks): its report holds no stack and passes. ``backbone merge`` combines the shards' JSON
reports into one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from backbone.core.errors import ConfigError, Problem

__all__ = ["Shard", "parse_shard"]

_FORM = re.compile(r"^([0-9]{1,6})/([0-9]{1,6})$")


@dataclass(frozen=True)
class Shard:
    index: int
    """1-based."""
    count: int

    def of(self, paths: list[Path]) -> list[Path]:
        """This shard's stacks, in the order they were given."""
        ranked = sorted(paths, key=lambda p: (p.name, str(p)))
        mine = {id(p) for k, p in enumerate(ranked) if k % self.count == self.index - 1}
        return [p for p in paths if id(p) in mine]

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """``I/N`` with 1 ≤ I ≤ N; anything else is bad input."""
    found = _FORM.match(text.strip())
    if found is None or not 1 <= int(found.group(1)) <= int(found.group(2)):
        raise ConfigError([Problem("--shard", f"{text!r}: expected I/N with 1 ≤ I ≤ N, such as 2/4 (the second of "
                                              f"four runners)")])
    return Shard(int(found.group(1)), int(found.group(2)))
