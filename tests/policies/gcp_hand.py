"""GCP resources built by hand as CrossGuard hands them to the pack (props behind the unknown-checking proxy, an
unknown value as the engine's sentinel, parents, dependencies and property dependencies linked), and the facts a
reader sets on a pool or a file system as one plain dict, so a test compares every fact at once."""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from backbone.core.catalog import load
from backbone.policies.inventory import AcceleratorPool, FileSystem
from backbone.policies.inventory.graph import Graph
from tests.policies import hand_resources as hand

CATALOG = load()
STACK = "urn:pulumi:s::p"
U = UNKNOWN_STRING_VALUE
"""What a preview sends for a value it cannot know (the engine's unknown sentinel, as ``pulumi preview`` does)."""


def res(type_: str, name: str, props: Any = None, *, parent: PolicyResource | None = None,
        provider: dict[str, Any] | None = None, deps: list[PolicyResource] | None = None,
        prop_deps: dict[str, list[PolicyResource]] | None = None) -> PolicyResource:
    """A resource of the stack (``hand_resources.res``), its provider given by its inputs."""
    given = None if provider is None else hand.provider("pulumi:providers:gcp", provider, STACK)
    return hand.res(type_, name, props, parent=parent, provider=given, deps=deps or (), prop_deps=prop_deps,
                    stack=STACK)


def graph_of(*resources: PolicyResource) -> Graph:
    return Graph(resources)


def fabric(pool: AcceleratorPool) -> tuple[Any, ...]:
    f = pool.fabric
    return (f.configured, f.missing, f.unknown, f.gbps)


def facts(pool: AcceleratorPool) -> dict[str, Any]:
    """Every fact a reader sets, the catalog row by its name."""
    return {
        "name": pool.name, "urn": pool.urn, "cloud": pool.cloud, "type": pool.resource_type,
        "instance_type": pool.instance_type, "instance": None if pool.instance is None else pool.instance.instance_type,
        "min": pool.min_nodes, "max": pool.max_nodes, "purpose": pool.purpose, "declared": pool.purpose_declared,
        "zones": pool.zones, "region": pool.region, "capacity": pool.capacity, "fabric": fabric(pool),
        "public_ips": pool.public_ips, "tpu_topology": pool.tpu_topology, "labels": pool.labels,
        "attached": pool.attached_accelerators, "looks": pool.looks_like_accelerator, "unknown": pool.unknown_inputs,
        "candidates": tuple(c.instance_type for c in pool.candidates), "intent": pool.training_intent,
        "compact": pool.compact, "compact_missing": pool.compact_missing, "least_zones": pool.least_zones,
        "least_max_nodes": pool.least_max_nodes,
    }


def fs_facts(fs: FileSystem) -> dict[str, Any]:
    return {
        "name": fs.name, "urn": fs.urn, "cloud": fs.cloud, "type": fs.resource_type, "kind": fs.kind,
        "capacity_tib": fs.capacity_tib, "throughput_mbps": fs.throughput_mbps, "zones": fs.zones,
        "region": fs.region, "monthly_usd": fs.monthly_usd, "per_tib": fs.throughput_mbps_per_tib,
        "offering": None if fs.offering is None else fs.offering.kind, "cmk": fs.customer_managed_key,
        "unknown": fs.unknown_inputs,
    }
