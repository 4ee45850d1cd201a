"""Where in a stack file a finding points: from the resource a diagnostic names back to the config entry
that made it.

Components name their children ``f"{cluster}-{pool}-<role>"`` (``llm-train-h100-nodes``), so the pool or
file system a resource belongs to is the one whose ``{cluster}-{name}`` prefix it carries (the longest, when
one name is a prefix of another). The policy then says (its ``points_at``) which key of that entry to point
at; a finding on the stack as a whole points at the list it is about. ``StackFile.line_of`` falls back to the nearest
enclosing key when the precise one is not written in the file (a default).
"""

from __future__ import annotations

from backbone.components.spec import ClusterSpec
from backbone.policies.rules import ALL_POLICIES
from backbone.policies.rules.base import InventoryPolicy, PointsAt
from backbone.report.model import resource_name

__all__ = ["config_path_of", "owner_index"]

ROOT = "backbone:cluster"

# The key of a node pool / file system entry, or of the stack, that decides each policy: what the rule
# declares (``points_at``), not a table kept by hand.
POINTS_AT: dict[str, PointsAt] = {p.name: p.points_at for p in ALL_POLICIES if isinstance(p, InventoryPolicy)}


def owner_index(name: str, prefix: str, names: list[str]) -> int | None:
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
        pool = owner_index(name, cluster.name, [p.name for p in cluster.node_pools])
        storage = owner_index(name, cluster.name, [s.name for s in cluster.storage])
        if pool is not None and (storage is None or len(cluster.node_pools[pool].name)
                                 >= len(cluster.storage[storage].name)):
            key = points_at.pool
            return f"{ROOT}.nodePools[{pool}]" + (f".{key}" if key else "")
        if storage is not None:
            key = points_at.storage
            return f"{ROOT}.storage[{storage}]" + (f".{key}" if key else "")
    key = points_at.stack
    return f"{ROOT}.{key}" if key else ROOT
