"""The coverage statement: how many accelerator pools the pack judged, and which resources that can carry
accelerators it did not read — like Infracost's "N estimated, M not supported".

A resource is *not read* when no registry entry reads its type (``registry``), or when its type is only read
where a pool links to it (a launch template) and no resource of the types that link to it depends on it, and
its inputs name an accelerator machine type (``families.ACCELERATOR_MACHINE_TYPE``) — so a reader the pack
lacks cannot hide a cluster. Component resources (those with children) are not counted: their provider
resources are. Kubernetes workloads (pods, deployments, jobs …) are not counted either: they ask for nodes, they
do not provision them. Values under label-like keys (``node.kubernetes.io/instance-type: …``) select nodes; they
are not read as machine types.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from backbone.policies.inventory.entry import Entry
from backbone.policies.inventory.families import ACCELERATOR_MACHINE_TYPE

if TYPE_CHECKING:  # the graph module imports the facts, which hold a Coverage
    from backbone.policies.inventory.graph import Graph, Node

__all__ = ["Coverage", "Unread", "survey"]

_SKIPPED_PACKAGES: Final = ("pulumi", "backbone")
"""Providers, the stack and Backbone's own components (their provider resources are what is judged)."""
_WORKLOAD_GROUPS: Final = ("kubernetes:core/", "kubernetes:apps/", "kubernetes:batch/", "kubernetes:policy/",
                           "kubernetes:autoscaling/", "kubernetes:networking.k8s.io/", "kubernetes:rbac.")
"""Kubernetes objects that schedule onto nodes or configure them, never provision them."""
_MAX_VALUES: Final = 20_000
"""How many input values are looked at per resource (a hostile input cannot make the scan slow)."""


@dataclass(frozen=True)
class Unread:
    """The resources of one type that can carry accelerators and that the pack did not read."""

    token: str
    names: tuple[str, ...]
    urns: tuple[str, ...]
    why: str
    """What in their inputs names an accelerator type (of the first of them): ``instanceType: p5.48xlarge``."""

    @property
    def count(self) -> int:
        return len(self.names)

    def __str__(self) -> str:
        return f"{self.count} × {self.token} ({', '.join(self.names)}; {self.why})"


@dataclass(frozen=True)
class Coverage:
    """What the pack judged of a stack and what it could not read."""

    pools: int = 0
    file_systems: int = 0
    unread: tuple[Unread, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.unread

    @property
    def unread_count(self) -> int:
        return sum(u.count for u in self.unread)

    def labels(self) -> tuple[str, ...]:
        """One label per unread resource type, for the totals' "not counted" parts."""
        return tuple(f"{u.count} × {u.token} not read" for u in self.unread)

    def statement(self) -> str:
        """``2 accelerator pools judged; not read: 1 × aws:sagemaker/… (…)`` — one line for every report."""
        judged = f"{self.pools} accelerator pool{'' if self.pools == 1 else 's'} judged"
        if self.complete:
            return f"{judged}; every resource that can carry accelerators was read"
        return (f"{judged}; not read ({self.unread_count} resource{'' if self.unread_count == 1 else 's'} that can "
                f"carry accelerators, so accelerators and cost are unknown): "
                + "; ".join(str(u) for u in self.unread))


def _machine_types(value: Any, path: str, budget: list[int]) -> Iterator[tuple[str, str]]:
    """(input path, value) of every string in ``value`` that names an accelerator machine type."""
    budget[0] -= 1
    if budget[0] < 0:
        return
    if isinstance(value, str):
        if ACCELERATOR_MACHINE_TYPE.match(value):
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if "/" not in key:  # a label key selects nodes (node.kubernetes.io/instance-type: …)
                yield from _machine_types(item, f"{path}.{key}" if path else key, budget)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _machine_types(item, f"{path}[{i}]", budget)


def _named_type(node: Node) -> str | None:
    """``instanceType: p5.48xlarge`` — the first input naming an accelerator type; None when none does."""
    if not node.readable:
        return None
    found = next(_machine_types(node.inputs, "", [_MAX_VALUES]), None)
    return None if found is None else f"{found[0]}: {found[1]}"


def _skipped(token: str) -> bool:
    return token.split(":", 1)[0] in _SKIPPED_PACKAGES or token.startswith(_WORKLOAD_GROUPS)


def survey(graph: Graph, entries: tuple[Entry, ...], pools: int, file_systems: int) -> Coverage:
    """The coverage of a stack whose registry ``entries`` gave ``pools`` and ``file_systems``."""
    read = {e.token for e in entries if e.kind != "link"}
    linked = {e.token: set(e.via) for e in entries if e.kind == "link"}
    parents = {r.parent.urn for r in graph.resources() if r.parent is not None}
    dependents: dict[str, set[str]] = {}
    for r in graph.resources():
        for dep in [*r.dependencies, *(d for ds in r.property_dependencies.values() for d in ds)]:
            dependents.setdefault(dep.urn, set()).add(r.resource_type)
    found: dict[str, list[tuple[Node, str]]] = {}
    for node in graph.nodes():
        if node.type in read or _skipped(node.type) or node.urn in parents:
            continue
        if node.type in linked and dependents.get(node.urn, set()) & linked[node.type]:
            continue
        why = _named_type(node)
        if why is not None:
            found.setdefault(node.type, []).append((node, why))
    unread = []
    for token, named in sorted(found.items()):
        named.sort(key=lambda nw: (nw[0].name, nw[0].urn))  # the order the engine sent them in is not a fact
        unread.append(Unread(token, tuple(n.name for n, _ in named), tuple(n.urn for n, _ in named), named[0][1]))
    return Coverage(pools, file_systems, tuple(unread))
