"""Provider resources → cloud-neutral facts (``Inventory``). See ``facts`` for the contract."""

from __future__ import annotations

from collections.abc import Iterable

from pulumi_policy import PolicyResource

from components.catalog import load
from policies.inventory import aws, azure, gcp, runtime
from policies.inventory.facts import (
    HOURS_PER_MONTH,
    UNKNOWN,
    AcceleratorPool,
    FabricCheck,
    FileSystem,
    Inventory,
    Total,
    Unknown,
    is_known,
)
from policies.inventory.graph import Graph

__all__ = [
    "HOURS_PER_MONTH",
    "UNKNOWN",
    "WORKLOAD",
    "AcceleratorPool",
    "FabricCheck",
    "FileSystem",
    "Inventory",
    "Total",
    "Unknown",
    "build",
    "is_known",
]

WORKLOAD = "backbone:index:Workload"
_READERS = (aws, gcp, azure)


def build(resources: Iterable[PolicyResource]) -> Inventory:
    """The inventory of a stack from its provider resources (and the ``backbone:index:Workload``
    component, the one Backbone resource the pack reads: what the stack is for)."""
    graph = Graph(resources)
    catalog = load()
    inventory = Inventory()
    for reader in _READERS:
        inventory.pools.extend(reader.pools(graph, catalog))
        inventory.file_systems.extend(reader.file_systems(graph, catalog))
    workloads = graph.of_type(WORKLOAD)
    if workloads:
        inventory.workload = workloads[0].inputs
    inventory.runtime = runtime.read(graph)
    return inventory
