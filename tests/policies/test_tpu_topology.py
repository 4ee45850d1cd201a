"""tpu-topology, judged in this process: a slice whose hosts × chips per host equal its topology's chips passes;
too many or too few hosts, a shape the machine cannot form (dimensions, largest slice, whole hosts) and a
multi-host pool without a topology block; an unknown topology or node count cannot verify.

Public facts (read 2026-12-07): ct5p-hightpu-4t is a TPU v5p host of 4 chips, v5p slices are 3-dimensional
(2x2x1, 2x2x2, 2x2x4, 2x4x4, then multiples of 4) up to a pod of 8,960 chips (cloud.google.com/tpu/docs/v5p);
ct5lp-hightpu-4t is a v5e host of 4 chips, v5e slices 2-dimensional up to 16x16 = 256 chips
(cloud.google.com/tpu/docs/v5e); GKE: one node is one host (cloud.google.com/kubernetes-engine/docs/concepts/tpus).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from direct import judge, rule
from hand_pools import CATALOG, findings, pool
from policy_programs import gcp_tpu

from backbone.policies.inventory import UNKNOWN
from backbone.policies.rules.base import Unverifiable, Violation

V5P = "TPU pool gpu (gcp:container/nodePool:NodePool)"
V5P_SHAPES = "2x2x1, 2x2x2, 2x2x4, 2x4x4, 4x4x4, 4x4x8, 4x4x12, 4x8x8, …"


@pytest.mark.parametrize("program", [
    gcp_tpu(),                                                                  # 2 hosts × 4 = 8 = 2x2x2
    gcp_tpu(min_nodes=4, max_nodes=4, tpu_topology="2x2x4"),                    # 16
    gcp_tpu(min_nodes=1, max_nodes=1, tpu_topology="2x2x1"),                    # one host
    gcp_tpu(machine_type="ct5lp-hightpu-4t", max_nodes=4, tpu_topology="4x4"),  # v5e 16
    gcp_tpu(tpu_topology=None),                                                 # each host its own 2x2x1 slice
    gcp_tpu(machine_type="ct5lp-hightpu-4t", tpu_topology=None, max_nodes=3),
], ids=["v5p-8", "v5p-16", "v5p-4", "v5e-16", "v5p-no-topology", "v5e-no-topology"])
def test_a_slice_that_can_exist_passes(program: Any) -> None:
    assert judge(program, "tpu-topology").passed


@pytest.mark.parametrize("program, hosts, have, topology, chips, fix_hosts", [
    (gcp_tpu(min_nodes=3, max_nodes=3), 3, 12, "2x2x2", 8, 2),           # one host too many
    (gcp_tpu(min_nodes=1, max_nodes=1), 1, 4, "2x2x2", 8, 2),            # one host short
    (gcp_tpu(tpu_topology="2x2x4"), 2, 8, "2x2x4", 16, 4),
    (gcp_tpu(machine_type="ct5lp-hightpu-4t", max_nodes=3, tpu_topology="4x4"), 3, 12, "4x4", 16, 4),
], ids=["3-for-2", "1-for-2", "2-for-4", "v5e-3-for-4"])
def test_hosts_times_chips_must_be_the_topologys_chips(program: Any, hosts: int, have: int, topology: str,
                                                       chips: int, fix_hosts: int) -> None:
    resource, message = judge(program, "tpu-topology").only_violation()
    assert resource == "gpu"
    assert message == (
        f"{V5P}: {hosts} hosts × 4 chips = {have} chips, but topology {topology} has {chips} chips; set the node "
        f"count to {fix_hosts} or pick the topology for {have} chips (one node pool per slice; several slices = "
        f"Multislice)")


@pytest.mark.parametrize("topology, why", [
    ("3x3x3", "3x3x3 is 27 chips, not whole hosts of 4 chips (each node is one host)"),
    ("2x2", "a v5p slice has 3 dimensions (e.g. 2x2x4); '2x2' has 2"),
    ("16x20x32", "16x20x32 is 10,240 chips, beyond the largest v5p slice (8,960 chips); join several slices over "
                 "the data-center network (Multislice) instead"),
])
def test_a_shape_the_machine_cannot_form_blocks(topology: str, why: str) -> None:
    resource, message = judge(gcp_tpu(tpu_topology=topology), "tpu-topology").only_violation()
    assert resource == "gpu"
    assert message == (f"{V5P}: no ct5p-hightpu-4t (v5p, 4 chips per host) slice has topology {topology!r}: {why}; "
                       f"use a shape such as {V5P_SHAPES}")


def test_an_unknown_topology_cannot_verify() -> None:
    judged = judge(gcp_tpu(unknown_topology=True), "tpu-topology")
    assert judged.violations == []
    assert judged.cannot_verify == "pool gpu (gcp:container/nodePool:NodePool): TPU topology unknown " \
                                   "(placementPolicy.tpuTopology)"


def test_gpu_pools_are_not_judged() -> None:
    assert judge(gcp_tpu(machine_type="a3-megagpu-8g", tpu_topology="2x2x3"), "tpu-topology").passed


# --- pools built by hand: an unknown node count, a 4-chip type that forms no one-host slice -------------------

V5P_ROW = CATALOG.find("ct5p-hightpu-4t")


def _tpu_pool(**changes: Any) -> Any:
    return pool(**{"cloud": "gcp", "resource_type": "gcp:container/nodePool:NodePool",
                   "instance_type": "ct5p-hightpu-4t", "instance": V5P_ROW, **changes})


def test_an_unknown_node_count_cannot_verify_a_shape_that_can_exist() -> None:
    p = _tpu_pool(max_nodes=UNKNOWN, tpu_topology="2x2x2", unknown_inputs={"max_nodes": "autoscaling.maxNodeCount"})
    assert findings(rule("tpu-topology"), p) == [Unverifiable(p.urn, (
        "pool gpu (gcp:container/nodePool:NodePool): node count unknown (autoscaling.maxNodeCount)"))]


def test_a_multi_host_pool_without_a_topology_blocks_where_a_host_is_no_slice() -> None:
    # a 4-chip-host type whose listed shapes start at 8 chips: without a topology, several hosts form no slice
    assert V5P_ROW is not None and V5P_ROW.tpu is not None
    row = replace(V5P_ROW, tpu=replace(V5P_ROW.tpu, topologies=tuple(f"2x2x{n}" for n in (2, 4, 6, 8, 10, 12, 14,
                                                                                         16, 18))))
    p = _tpu_pool(instance=row, max_nodes=2, tpu_topology=None)
    assert findings(rule("tpu-topology"), p) == [Violation(p.urn, (
        f"{V5P} has up to 2 hosts of ct5p-hightpu-4t but no slice topology: a multi-host slice needs "
        f"placementPolicy.tpuTopology (e.g. 2x2x2, 2x2x4, 2x2x6, 2x2x8, 2x2x10, 2x2x12, 2x2x14, 2x2x16, …)"))]
    assert findings(rule("tpu-topology"), replace(p, max_nodes=1)) == []
    assert findings(rule("tpu-topology"), replace(p, max_nodes=UNKNOWN)) == []
