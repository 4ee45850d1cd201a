"""Provider resources → cloud-neutral facts (``Inventory``). See ``facts`` for the contract."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pulumi_policy import PolicyResource

from backbone.core.catalog import load
from backbone.policies.inventory import registry, runtime
from backbone.policies.inventory.coverage import Coverage, Unread, survey
from backbone.policies.inventory.facts import (
    HOURS_PER_MONTH,
    UNKNOWN,
    AcceleratorPool,
    Candidate,
    FabricCheck,
    FileSystem,
    Inventory,
    Total,
    Unknown,
    is_known,
)
from backbone.policies.inventory.graph import Graph

__all__ = [
    "HOURS_PER_MONTH",
    "UNKNOWN",
    "WORKLOAD",
    "AcceleratorPool",
    "Candidate",
    "Coverage",
    "FabricCheck",
    "FileSystem",
    "Inventory",
    "Total",
    "Unknown",
    "Unread",
    "build",
    "is_known",
]

WORKLOAD = "backbone:index:Workload"
CLUSTER_STACK = "nvidia-aicr:index:ClusterStack"
"""NVIDIA AI Cluster Runtime's stack component: its ``intent`` input says what the cluster is for."""


def _stack_intent(graph: Graph) -> str | None:
    """What says the stack trains, when something does: a declared training workload or a runtime stack
    with training intent."""
    for node in graph.of_type(WORKLOAD):
        if node.inputs.get("kind") == "training":
            return f"the declared training workload {node.name}"
    for node in graph.of_type(CLUSTER_STACK):
        if node.inputs.get("intent") == "training":
            return f"{node.name} ({CLUSTER_STACK}) declares intent: training"
    return None


def _with_stack_intent(pool: AcceleratorPool, intent: str | None) -> AcceleratorPool:
    """An unlabelled pool of a stack that declares training trains (its accelerators, not a CPU pool)."""
    if intent is None or pool.purpose_declared or pool.is_training or pool.accelerators_per_node == 0:
        return pool
    return replace(pool, purpose="training", training_intent=(*pool.training_intent, intent))


def build(resources: Iterable[PolicyResource]) -> Inventory:
    """The inventory of a stack from its provider resources (and the ``backbone:index:Workload``
    component, the one Backbone resource the pack reads: what the stack is for)."""
    graph = Graph(resources)
    catalog = load()
    inventory = Inventory()
    intent = _stack_intent(graph)
    for entry in registry.ENTRIES:
        if entry.kind not in registry.FACT_KINDS:
            continue
        for fact in entry.reader(graph, catalog, graph.of_type(entry.token)) if entry.reader else ():
            if isinstance(fact, AcceleratorPool):
                inventory.pools.append(_with_stack_intent(fact, intent))
            else:
                inventory.file_systems.append(fact)
    workloads = graph.of_type(WORKLOAD)
    if workloads:
        inventory.workload = workloads[0].inputs
    inventory.runtime = runtime.read(graph)
    inventory.coverage = survey(graph, registry.ENTRIES, len(inventory.pools), len(inventory.file_systems))
    return inventory
