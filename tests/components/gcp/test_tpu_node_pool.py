"""TpuNodePool: the slice's topology decides the node count and the placement policy."""

from __future__ import annotations

import math
from typing import Any

import pytest

from backbone.components.gcp import TpuNodePool, TpuNodePoolArgs
from backbone.core import catalog
from backbone.core.errors import BackboneError
from backbone.engine import Preview

from .helpers import NODE_POOL, bare_cluster, only, row, run


def tpu_pool(machine_type: str, topology: str, **kwargs: Any) -> Preview:
    return run(lambda: TpuNodePool("slice", TpuNodePoolArgs(
        cluster=bare_cluster(), location="us-east5", zone="us-east5-a", machine_type=machine_type,
        topology=topology, **kwargs)))


def chips(topology: str) -> int:
    return math.prod(int(d) for d in topology.split("x"))


TPU_SLICES = [(r.instance_type, t) for r in catalog.load().for_cloud("gcp") if r.tpu for t in r.tpu.topologies]


def test_the_catalog_has_v5e_v5p_and_v6e_slices() -> None:
    versions = {r.tpu.version for r in catalog.load().for_cloud("gcp") if r.tpu}
    assert {"v5e", "v5p", "v6e"} <= versions


@pytest.mark.parametrize(("machine_type", "topology"), TPU_SLICES)
def test_node_count_times_chips_per_host_is_the_slice(machine_type: str, topology: str) -> None:
    per_host = row(machine_type).tpu.chips_per_host  # type: ignore[union-attr]
    pool = only(tpu_pool(machine_type, topology), NODE_POOL)
    nodes = pool.inputs["nodeCount"]
    assert nodes * per_host == max(chips(topology), per_host)
    assert pool.inputs["placementPolicy"] == {"type": "COMPACT", "tpuTopology": topology}
    assert pool.inputs["nodeLocations"] == ["us-east5-a"]
    assert "autoscaling" not in pool.inputs


def test_multi_host_v5p_slice_scales_all_or_nothing() -> None:
    topology = next(t for m, t in TPU_SLICES if m == "ct5p-hightpu-4t" and chips(t) >= 16)
    hosts = chips(topology) // 4
    pool = only(tpu_pool("ct5p-hightpu-4t", topology, scale_to_zero=True), NODE_POOL)
    assert pool.inputs["autoscaling"]["totalMinNodeCount"] == 0.0
    assert pool.inputs["autoscaling"]["totalMaxNodeCount"] == hosts
    assert "nodeCount" not in pool.inputs
    assert pool.inputs["placementPolicy"]["tpuTopology"] == topology
    assert pool.inputs["nodeConfig"]["labels"] == {"backbone.dev/purpose": "training", "backbone.dev/pool": "slice"}
    assert "guestAccelerators" not in pool.inputs["nodeConfig"]


def test_queued_provisioning_and_spot_and_reservation() -> None:
    queued = only(tpu_pool("ct6e-standard-4t", "4x4", queued_provisioning=True), NODE_POOL).inputs
    assert queued["queuedProvisioning"] == {"enabled": True}
    assert queued["autoscaling"]["totalMaxNodeCount"] == 4.0
    spot = only(tpu_pool("ct6e-standard-4t", "4x4", capacity="spot"), NODE_POOL).inputs
    assert spot["nodeConfig"]["spot"] is True
    reserved = only(tpu_pool("ct6e-standard-4t", "4x4", capacity="reservation", reservation="v6e-res"),
                    NODE_POOL).inputs
    assert reserved["nodeConfig"]["reservationAffinity"]["values"] == ["v6e-res"]


def test_an_impossible_topology_is_refused_with_the_valid_ones() -> None:
    valid = row("ct5p-hightpu-4t").tpu.topologies  # type: ignore[union-attr]
    with pytest.raises(BackboneError, match=rf"3x3x3 is not a valid v5p slice.*valid: {', '.join(valid)}"):
        tpu_pool("ct5p-hightpu-4t", "3x3x3")


def test_a_gpu_machine_type_is_not_a_tpu_pool() -> None:
    with pytest.raises(BackboneError, match="GpuNodePool"):
        tpu_pool("a3-megagpu-8g", "2x2")
