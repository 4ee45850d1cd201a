"""Locating: where a finding points — the resource it is about, and the stack-file key behind that resource.

Components name their children ``f"{cluster}-{pool}-<role>"`` (``llm-train-h100-nodes``), so the pool or
file system a resource belongs to is the one whose ``{cluster}-{name}`` prefix it carries (the longest, when
one name is a prefix of another). The policy then says (its ``points_at``) which key of that entry to point
at; a finding on the stack as a whole points at the list it is about. ``StackFile.line_of`` falls back to the nearest
enclosing key when the precise one is not written in the file (a default).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backbone.analyzer import Diagnostic
from backbone.components.spec import ClusterSpec
from backbone.engine import Preview
from backbone.policies.rules import ALL_POLICIES
from backbone.policies.rules.base import InventoryPolicy, PointsAt
from backbone.report.model import resource_name

__all__ = ["config_path_named", "config_path_of", "subject_of"]

ROOT = "backbone:cluster"

# The key of a node pool / file system entry, or of the stack, that decides each policy: what the rule
# declares (``points_at``), not a table kept by hand.
POINTS_AT: dict[str, PointsAt] = {p.name: p.points_at for p in ALL_POLICIES if isinstance(p, InventoryPolicy)}


def _owner(name: str, prefix: str, names: list[str]) -> int | None:
    """The index of the entry whose ``{prefix}-{entry}`` the resource name starts with (longest wins)."""
    best: tuple[int, int] | None = None
    for i, entry in enumerate(names):
        stem = f"{prefix}-{entry}"
        if (name == stem or name.startswith(stem + "-")) and (best is None or len(stem) > best[1]):
            best = (i, len(stem))
    return None if best is None else best[0]


def config_path_of(policy: str, urn: str, cluster: ClusterSpec) -> str:
    """The config path a finding of ``policy`` on ``urn`` points at (``backbone:cluster`` at worst)."""
    name = resource_name(urn)
    points_at = POINTS_AT.get(policy, PointsAt())
    is_stack = not urn or "::pulumi:pulumi:Stack::" in urn
    if not is_stack:
        pool = _owner(name, cluster.name, [p.name for p in cluster.node_pools])
        storage = _owner(name, cluster.name, [s.name for s in cluster.storage])
        if pool is not None and (storage is None or len(cluster.node_pools[pool].name)
                                 >= len(cluster.storage[storage].name)):
            key = points_at.pool
            return f"{ROOT}.nodePools[{pool}]" + (f".{key}" if key else "")
        if storage is not None:
            key = points_at.storage
            return f"{ROOT}.storage[{storage}]" + (f".{key}" if key else "")
    key = points_at.stack
    return f"{ROOT}.{key}" if key else ROOT


def subject_of(diagnostic: Diagnostic, preview: Preview) -> str:
    """The URN a finding is about: its own, or — for a finding on the whole stack, such as CrossGuard's
    "cannot verify" — the provider resource its message names first."""
    if diagnostic.urn:
        return diagnostic.urn
    found = [(diagnostic.message.find(r.name), -len(r.name), r.urn) for r in preview.resources
             if r.custom and r.name and r.name in diagnostic.message]
    return min(found)[2] if found else ""


def config_path_named(message: str, config: Mapping[str, Any]) -> str | None:
    """The stack-file key whose text value the message names (``instanceType: p5.48xlarge``), the longest value
    first; None when the message names none (the finding then points at the stack file as a whole)."""
    found: list[tuple[int, str]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict) and set(value) != {"secure"}:  # a secret's ciphertext names nothing
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")
        elif isinstance(value, str) and len(value) >= 4 and value in message:
            found.append((len(value), path))

    walk(dict(config), "")
    return max(found)[1] if found else None
