"""The resource graph as the pack sees it: links between resources through property dependencies,
dependencies and parents — never through ids, which are unknown in a preview."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pulumi_policy import PolicyResource

from policies.inventory.values import plain

__all__ = ["Graph", "Node"]


class Node:
    """One resource with its inputs as plain data (unknowns are ``UNKNOWN``), read on first use: most
    resources of a stack (IAM, VPCs, …) are never looked at."""

    def __init__(self, resource: PolicyResource) -> None:
        self.resource = resource
        self._inputs: dict[str, Any] | None = None

    @property
    def inputs(self) -> dict[str, Any]:
        if self._inputs is None:
            try:
                data = plain(self.resource.props)
            except Exception:
                data = {}
            self._inputs = data if isinstance(data, dict) else {}
        return self._inputs

    @property
    def type(self) -> str:
        return self.resource.resource_type

    @property
    def urn(self) -> str:
        return self.resource.urn

    @property
    def name(self) -> str:
        return self.resource.name


class Graph:
    """Resources indexed by URN and by type, with links followed through the graph."""

    def __init__(self, resources: Iterable[PolicyResource]) -> None:
        self._nodes: dict[str, Node] = {}
        self._by_type: dict[str, list[Node]] = {}
        for resource in resources:
            node = Node(resource)
            self._nodes[resource.urn] = node
            self._by_type.setdefault(resource.resource_type, []).append(node)

    def of_type(self, type_: str) -> list[Node]:
        return list(self._by_type.get(type_, ()))

    def node(self, resource: PolicyResource | None) -> Node | None:
        return None if resource is None else self._nodes.get(resource.urn)

    def linked(self, node: Node, prop: str, type_: str) -> list[Node]:
        """Resources of ``type_`` that input ``prop`` of ``node`` depends on.

        Uses the property's own dependencies; where the engine sent none for that property at all, the
        resource's dependencies (coarser, still graph-based)."""
        deps = node.resource.property_dependencies
        sources = deps.get(prop, node.resource.dependencies)
        found: list[Node] = []
        for dep in sources or ():
            linked = self.node(dep)
            if linked is not None and linked.type == type_ and linked not in found:
                found.append(linked)
        return found

    def linked_or_ancestor(self, node: Node, prop: str, type_: str) -> Node | None:
        """The first resource of ``type_`` that input ``prop`` links to, else the nearest ancestor of ``type_``
        (a pool's cluster: linked by its name, or the component the pool is a child of)."""
        linked = self.linked(node, prop, type_)
        return linked[0] if linked else self.ancestor(node, type_)

    def ancestor(self, node: Node, type_: str) -> Node | None:
        """The nearest parent (grand-parent, …) of ``type_``."""
        seen: set[str] = set()
        current = node.resource.parent
        while current is not None and current.urn not in seen:
            seen.add(current.urn)
            if current.resource_type == type_:
                return self.node(current)
            current = current.parent
        return None
