"""Locating: where a finding points, decided from the resource graph the pack judged — never from resource-name
prefixes or the words of a message.

- The resource it is about: the diagnostic's URN (every rule of the pack names the resource of its violation).
  CrossGuard carries no URN on "cannot verify" (a stack policy raises ``UnknownValueError``: one message for
  the whole stack); for the pack's own rules the items of that message come back, each with its resource, from
  the rule's ``check`` over the same inventory in Backbone's process, and only when they make exactly the
  message the pack sent. Any other finding without a URN is about the stack as a whole.
- In a hand-written program: the line that registered that resource — the engine records each registration's
  call site (``RecordedResource.site``) — or, for a resource the program did not register itself (a child
  of a component installed from a package), the line of its nearest ancestor the program did register.
- In Backbone's own program: the stack-file entry that made it. Each node pool and storage entry becomes one
  component, a child of the cluster component named ``{cluster}-{entry}``; the resource belongs to the entry
  whose component is among its ancestors, and the policy declares which key of that entry decides it
  (``points_at``); a finding on the stack as a whole points at the list it is about. ``StackFile.line_of``
  falls back to the nearest enclosing key when the precise one is not written in the file (a default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from backbone.analyzer import Diagnostic
from backbone.components.spec import ClusterSpec
from backbone.engine import Preview, RecordedResource
from backbone.policies.inventory.facts import Inventory
from backbone.policies.rules import ALL_POLICIES
from backbone.policies.rules.base import InventoryPolicy, PointsAt, Unverifiable
from backbone.stackfile import StackFile, shown_path

__all__ = ["Location", "Subject", "config_path_of", "locate", "registration_site", "subjects"]

ROOT = "backbone:cluster"

# The key of a node pool / file system entry, or of the stack, that decides each policy: what the rule
# declares (``points_at``), not a table kept by hand.
RULES: dict[str, InventoryPolicy] = {p.name: p for p in ALL_POLICIES if isinstance(p, InventoryPolicy)}
POINTS_AT: dict[str, PointsAt] = {name: rule.points_at for name, rule in RULES.items()}


@dataclass(frozen=True)
class Subject:
    """What one finding is about: the resource's URN (empty: the stack) and the message about it."""

    urn: str
    message: str


def _unverifiable(policy: str, detail: str, inventory: Inventory, config: Mapping[str, Any]) -> list[Unverifiable]:
    rule = RULES.get(policy)
    if rule is None:
        return []
    try:
        items = [f for f in rule.check(inventory, config) if isinstance(f, Unverifiable)]
    except Exception:  # the pack said why it could not judge; its message stands as it is
        return []
    return items if items and "; ".join(item.message for item in items) == detail else []


def subjects(diagnostic: Diagnostic, inventory: Inventory, policy_config: Mapping[str, Any]) -> list[Subject]:
    """The resources one diagnostic is about, each with its part of the message: one for a violation; for a
    "cannot verify" of the pack's own rules (no URN), one per item it lists."""
    detail = diagnostic.detail.strip()
    if diagnostic.urn or not diagnostic.cannot_verify:
        return [Subject(diagnostic.urn, detail)]
    config = policy_config.get(diagnostic.policy)
    items = _unverifiable(diagnostic.policy, detail, inventory, config if isinstance(config, Mapping) else {})
    return [Subject(item.urn, item.message) for item in items] or [Subject("", detail)]


@dataclass(frozen=True)
class Location:
    """Where a finding points: the stack-file key and its line, and the program line that registered the
    resource (each where it is known)."""

    config_path: str | None = None
    line: int | None = None
    program_file: str | None = None
    program_line: int | None = None


def _ancestry(urn: str, preview: Preview) -> list[RecordedResource]:
    """The resource of ``urn`` and its parents, innermost first (empty for the stack or an unknown URN)."""
    by_urn = preview.by_urn()
    chain: list[RecordedResource] = []
    resource = by_urn.get(urn)
    while resource is not None and resource not in chain:
        chain.append(resource)
        resource = by_urn.get(resource.parent)
    return chain


def registration_site(urn: str, preview: Preview) -> tuple[str, int] | None:
    """The program file and line that registered the resource of ``urn`` (or its nearest ancestor the program
    registered); None when the program registered none of them (Backbone's own program)."""
    return next((r.site for r in _ancestry(urn, preview) if r.site is not None), None)


def _entry(urn: str, preview: Preview, cluster: ClusterSpec) -> str | None:
    """The name of the stack-file entry whose component the resource belongs to: the ancestor directly under
    the cluster component, named ``{cluster}-{entry}``."""
    chain = _ancestry(urn, preview)
    for child, parent in pairwise(chain):
        if parent.name == cluster.name and not parent.custom and child.name.startswith(f"{cluster.name}-"):
            return child.name[len(cluster.name) + 1:]
    return None


def config_path_of(policy: str, urn: str, preview: Preview, cluster: ClusterSpec) -> str:
    """The config path a finding of ``policy`` on ``urn`` points at (``backbone:cluster`` at worst)."""
    points_at = POINTS_AT.get(policy, PointsAt())
    entry = _entry(urn, preview, cluster) if urn else None
    pools = [p.name for p in cluster.node_pools]
    storage = [s.name for s in cluster.storage]
    if entry in pools:
        key, path = points_at.pool, f"{ROOT}.nodePools[{pools.index(entry)}]"
    elif entry in storage:
        key, path = points_at.storage, f"{ROOT}.storage[{storage.index(entry)}]"
    else:
        key, path = points_at.stack, ROOT
    return f"{path}.{key}" if key else path


def locate(policy: str, urn: str, preview: Preview, stack: StackFile, cluster: ClusterSpec | None) -> Location:
    """Where a finding of ``policy`` on ``urn`` points: the stack-file key of Backbone's own program (``cluster``,
    its validated spec), the registration's line of a hand-written one."""
    site = registration_site(urn, preview) if urn else None
    path = config_path_of(policy, urn, preview, cluster) if cluster is not None else None
    return Location(config_path=path, line=stack.line_of(path) if path else None,
                    program_file=shown_path(site[0]) if site else None, program_line=site[1] if site else None)
