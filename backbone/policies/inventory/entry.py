"""One declared entry of the reader registry: a resource type the pack reads, and how.

Each cloud module declares its entries in a module-level ``ENTRIES`` tuple next to its reader functions;
``registry`` gathers them. Adding a resource type is one ``Entry`` and one reader function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["KINDS", "Entry", "Kind"]

Kind = Literal["pool", "file system", "link", "runtime"]
KINDS: tuple[Kind, ...] = ("pool", "file system", "link", "runtime")
"""What an entry gives: accelerator pools, file systems, a fact a pool or file system links to (its reader is the
reader of the resource that links it: ``reader`` is None), or what the Kubernetes runtime provides."""


@dataclass(frozen=True)
class Entry:
    """A resource type the pack reads: its type token, its cloud, what it is and which inputs are read.

    ``reader`` is the function that turns the resources of this type into facts:

    - ``pool`` / ``file system``: ``reader(graph, catalog, nodes)`` → the pools or file systems of ``nodes`` (every
      resource of this type in the stack, so a reader may group them);
    - ``runtime``: ``reader(runtime, node)`` adds what one resource provides to the stack's runtime;
    - ``link``: None — the resource is read where a pool or file system links to it (``via`` names those types).
    """

    token: str
    cloud: str
    kind: Kind
    what: str
    reads: str
    reader: Callable[..., Any] | None = None
    via: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.reader is None) != (self.kind == "link"):
            raise ValueError(f"registry entry {self.token}: a {self.kind} entry "
                             f"{'needs' if self.reader is None else 'takes no'} reader")
        if self.kind == "link" and not self.via:
            raise ValueError(f"registry entry {self.token}: a link entry names the types that link to it (via)")
