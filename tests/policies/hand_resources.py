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


STACK = "urn:pulumi:dev::backbone"
"""The stack part of the URNs made here (a test file whose expectations name another passes its own)."""


def urn(type_: str, name: str, stack: str = STACK) -> str:
    return f"{stack}::{type_}::{name}"


def res(type_: str, name: str, props: Any = None, *, deps: Sequence[PolicyResource] = (),
        prop_deps: dict[str, list[PolicyResource]] | None = None, parent: PolicyResource | None = None,
        provider: PolicyProviderResource | None = None, stack: str = STACK) -> PolicyResource:
    """One resource of ``type_`` with ``props``: a mapping (or None: no inputs) behind the unknown-checking proxy;
    anything else is handed over as it is, an input the pack cannot read."""
    wrapped = unknown_checking_proxy(props if props is not None else {}) if isinstance(props, dict | None) else props
    return PolicyResource(type_, wrapped, urn(type_, name, stack), name, None, provider, parent,  # type: ignore
                          list(deps), dict(prop_deps or {}))


def provider(type_: str, props: dict[str, Any], stack: str = STACK) -> PolicyProviderResource:
    """A provider resource (``aws:region``, ``azure-native:location`` …) as the engine describes it."""
    return PolicyProviderResource(type_, unknown_checking_proxy(props), urn(type_, "default", stack), "default")


Reader = Callable[[Graph, Catalog, list[Node]], list[Any]]


def read(reader: Reader, type_: str, *resources: PolicyResource) -> list[Any]:
    """What ``reader`` makes of the resources of ``type_`` among ``resources`` (the graph holds them all)."""
    graph = Graph(resources)
    return reader(graph, CATALOG, graph.of_type(type_))
