"""Provider resources built by hand as CrossGuard hands them to the pack: props behind
``pulumi_policy.proxy.unknown_checking_proxy`` (as ``direct.resources_of`` builds them from a preview), an unknown
value as the engine sends it (the SDK's sentinel string), dependencies and property dependencies linked — for
judging one reader's facts in this process, without a Pulumi program."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pulumi_policy import PolicyProviderResource, PolicyResource
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from backbone.core.catalog import Catalog, load
from backbone.policies.inventory.graph import Graph, Node

U = UNKNOWN_STRING_VALUE
"""An input unknown in a preview, as the engine sends it (pulumi_policy.proxy)."""

CATALOG = load()


def res(type_: str, name: str, props: Any = None, *, deps: Sequence[PolicyResource] = (),
        prop_deps: dict[str, list[PolicyResource]] | None = None, parent: PolicyResource | None = None,
        provider: PolicyProviderResource | None = None) -> PolicyResource:
    """One resource of ``type_`` with ``props`` (a dict; anything else is an input the pack cannot read)."""
    made = PolicyResource(type_, unknown_checking_proxy(props if props is not None else {}),  # type: ignore[arg-type]
                          f"urn:pulumi:dev::backbone::{type_}::{name}", name, None, provider, parent,  # type: ignore
                          list(deps), dict(prop_deps or {}))
    return made


def provider(type_: str, props: dict[str, Any]) -> PolicyProviderResource:
    """A provider resource (``aws:region``, ``azure-native:location`` …) as the engine describes it."""
    return PolicyProviderResource(type_, unknown_checking_proxy(props), f"urn:pulumi:dev::backbone::{type_}::default",
                                  "default")


Reader = Callable[[Graph, Catalog, list[Node]], list[Any]]


def read(reader: Reader, type_: str, *resources: PolicyResource) -> list[Any]:
    """What ``reader`` makes of the resources of ``type_`` among ``resources`` (the graph holds them all)."""
    graph = Graph(resources)
    return reader(graph, CATALOG, graph.of_type(type_))
