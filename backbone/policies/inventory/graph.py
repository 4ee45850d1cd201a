"""The resource graph as the pack sees it: links between resources through property dependencies,
dependencies and parents — never through ids, which are unknown in a preview.

A property dependency says "the value may come from this resource", not "the value is this resource". A
link is **exact** only where the input's value maps one to one onto the resources it depends on (one
unknown id per dependency, as ``[a.id, b.id]`` gives); a value computed from several resources
(``vpc.private_subnet_ids.apply(lambda ids: ids[:1])``) only says which resources it *may* name. Readers
then use the candidates only where they all agree on the fact they need, and say "cannot verify" otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyResource

from backbone.policies.inventory.facts import Unknown
from backbone.policies.inventory.values import plain

__all__ = ["Graph", "Links", "Node"]


class Node:
    """One resource with its inputs as plain data (unknowns are ``UNKNOWN``), read on first use: most
    resources of a stack (IAM, VPCs, …) are never looked at. ``problem`` says why the inputs could not be
    read (then ``inputs`` is empty and a reader must treat every fact of the resource as unknown)."""

    def __init__(self, resource: PolicyResource) -> None:
        self.resource = resource
        self._inputs: dict[str, Any] | None = None
        self.problem: str | None = None

    @property
    def inputs(self) -> dict[str, Any]:
        if self._inputs is None:
            data = plain(self.resource.props)
            if isinstance(data, dict):
                self._inputs = data
            else:
                self._inputs = {}
                self.problem = f"its inputs could not be read (got {type(self.resource.props).__name__})"
        return self._inputs

    @property
    def readable(self) -> bool:
        _ = self.inputs
        return self.problem is None

    @property
    def type(self) -> str:
        return self.resource.resource_type

    @property
    def urn(self) -> str:
        return self.resource.urn

    @property
    def name(self) -> str:
        return self.resource.name


@dataclass(frozen=True)
class Links:
    """The resources of one type an input may name (``candidates``), whether it names exactly those
    (``exact``), and the literal values it holds that name no resource of the stack (``outside``)."""

    prop: str
    candidates: tuple[Node, ...]
    exact: bool
    outside: tuple[str, ...] = ()

    @property
    def nodes(self) -> tuple[Node, ...]:
        """The linked resources where the link is exact; empty otherwise."""
        return self.candidates if self.exact else ()

    def why_unknown(self, what: str) -> str:
        """``subnetIds (computed from 6 subnets: which of them it names is unknown before deployment)``."""
        if self.outside:
            return f"{self.prop} ({', '.join(self.outside)}: not a {what} of this stack)"
        if not self.candidates:
            return f"{self.prop} (no {what} of this stack is linked)"
        return (f"{self.prop} (computed from {len(self.candidates)} {what}s: which of them it names is unknown "
                f"before deployment)")


def _references(value: Any) -> tuple[int, list[str]]:
    """(unknown references, literal strings) in an input that names resources: a list's items, or the value."""
    items = value if isinstance(value, list) else [value]
    unknown = 0
    literal: list[str] = []
    for item in items:
        if isinstance(item, str):
            literal.append(item)
        elif _has_unknown(item):
            unknown += 1
    return unknown, literal


_IDENTIFIERS = ("id", "arn", "selfLink")


def _named_by(text: str, candidates: list[Node]) -> Node | None:
    """The one candidate whose id (ARN, self-link) is ``text``: known in a deployed stack's state, never in a
    preview (ids are computed), where a literal names a resource outside the stack."""
    found = [c for c in candidates if any(c.inputs.get(key) == text for key in _IDENTIFIERS)]
    return found[0] if len(found) == 1 else None


def _has_unknown(value: Any) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    return False


class Graph:
    """Resources indexed by URN and by type, with links followed through the graph."""

    def __init__(self, resources: Iterable[PolicyResource]) -> None:
        self._nodes: dict[str, Node] = {}
        self._by_type: dict[str, list[Node]] = {}
        for resource in resources:
            node = Node(resource)
            self._nodes[resource.urn] = node
            self._by_type.setdefault(resource.resource_type, []).append(node)

    def nodes(self) -> list[Node]:
        """Every resource of the stack, in the order the engine sent them."""
        return list(self._nodes.values())

    def resources(self) -> list[PolicyResource]:
        return [node.resource for node in self._nodes.values()]

    def of_type(self, type_: str) -> list[Node]:
        return list(self._by_type.get(type_, ()))

    def node(self, resource: PolicyResource | None) -> Node | None:
        return None if resource is None else self._nodes.get(resource.urn)

    def links(self, node: Node, prop: str, type_: str, value: Any = None) -> Links:
        """What input ``prop`` of ``node`` (or ``value``, a part of it) names among the resources of ``type_``.

        Exact when every dependency of the input is of ``type_`` and the input holds one unknown reference
        per dependency (or there is only one dependency); literal strings name resources outside the stack.
        Where the engine sent no property dependencies for ``prop`` at all, the resource's dependencies
        give the candidates (never exact)."""
        if value is None:
            value = node.inputs.get(prop)
        if value is None:  # the input is not set: it names nothing
            return Links(prop, (), exact=True)
        sent = node.resource.property_dependencies
        deps = sent.get(prop) if prop in sent else None
        source = node.resource.dependencies if deps is None else deps
        candidates: list[Node] = []
        others = 0
        for dep in source or ():
            linked = self.node(dep)
            if linked is None or linked in candidates:
                continue
            if linked.type == type_:
                candidates.append(linked)
            else:
                others += 1
        unknown, literal = _references(value)
        named = [_named_by(text, candidates) for text in literal]  # a deployed stack's ids name its resources
        outside = [text for text, found in zip(literal, named, strict=True) if found is None]
        if isinstance(value, Unknown):
            exact = deps is not None and others == 0 and len(candidates) == 1
        else:
            resolved = len({id(found) for found in named if found is not None})
            exact = deps is not None and others == 0 and unknown + resolved == len(candidates)
        return Links(prop, tuple(candidates), exact and not outside, tuple(outside))

    def linked(self, node: Node, prop: str, type_: str) -> list[Node]:
        """The resources of ``type_`` that input ``prop`` of ``node`` names exactly (empty where unknown)."""
        return list(self.links(node, prop, type_).nodes)

    def linked_or_ancestor(self, node: Node, prop: str, type_: str) -> Node | None:
        """The one resource of ``type_`` that input ``prop`` names, else the nearest ancestor of ``type_``
        (a pool's cluster: linked by its name, or the component the pool is a child of)."""
        links = self.links(node, prop, type_)
        if len(links.candidates) == 1:
            return links.candidates[0]
        return self.ancestor(node, type_)

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
