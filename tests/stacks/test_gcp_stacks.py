"""The GCP example stacks through the real program (``__main__.py``) previewed offline, and bad input
through ``backbone plan`` (exit 2, the file and config path named)."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from backbone.cli import main as backbone
from backbone.components.spec import ClusterSpec, from_config
from backbone.core import catalog
from backbone.engine import Preview, RecordedResource, preview_program
from backbone.stackfile import PROJECT_ROOT, read_stack

STACKS = PROJECT_ROOT / "stacks"
GCP_STACKS = ("gcp-a3mega-train", "gcp-v5p-train", "gcp-l4-serve")
NODE_POOL = "gcp:container/nodePool:NodePool"
NETWORK = "gcp:compute/network:Network"
SUBNET = "gcp:compute/subnetwork:Subnetwork"
FILE_SYSTEMS = ("gcp:lustre/instance:Instance", "gcp:parallelstore/instance:Instance")


def config_of(stack: str) -> dict[str, Any]:
    return read_stack(STACKS / f"Pulumi.{stack}.yaml").config


def spec_of(stack: str) -> ClusterSpec:
    return from_config(config_of(stack)).cluster


@pytest.fixture(scope="module")
def previews() -> dict[str, Preview]:
    return {s: preview_program(PROJECT_ROOT, s, config_of(s)) for s in GCP_STACKS}


def linked(preview: Preview, resource: RecordedResource, prop: str, type_: str) -> list[RecordedResource]:
    return [r for r in preview.linked(resource, prop) if r.type == type_]


def accelerator_pools(preview: Preview) -> dict[str, RecordedResource]:
    return {p.inputs["name"]: p for p in preview.of_type(NODE_POOL)
            if p.inputs["nodeConfig"]["labels"]["backbone.dev/purpose"] != "system"}


def test_every_spec_pool_is_a_labelled_node_pool_in_its_zones(previews: dict[str, Preview]) -> None:
    for stack, preview in previews.items():
        spec = spec_of(stack)
        pools = accelerator_pools(preview)
        assert sorted(pools) == sorted(p.name for p in spec.node_pools), stack
        for pool in spec.node_pools:
            inputs = pools[pool.name].inputs
            assert inputs["nodeConfig"]["machineType"] == pool.instance_type
            assert inputs["nodeConfig"]["labels"]["backbone.dev/purpose"] == pool.purpose
            assert inputs["nodeConfig"]["labels"]["backbone.dev/pool"] == pool.name
            assert inputs["nodeLocations"] == pool.zones_in(spec.zone)
            assert inputs["networkConfig"]["enablePrivateNodes"] is True


def test_gpu_training_pools_have_one_node_network_per_gpu_nic_each_on_its_own_vpc(
        previews: dict[str, Preview]) -> None:
    preview = previews["gcp-a3mega-train"]
    spec = spec_of("gcp-a3mega-train")
    (pool_spec,) = spec.node_pools
    row = spec.instance(pool_spec)
    pool = accelerator_pools(preview)[pool_spec.name]
    configs = pool.inputs["networkConfig"]["additionalNodeNetworkConfigs"]
    vpcs = linked(preview, pool, "networkConfig", NETWORK)
    assert row.fabric_nics == 8
    assert len(configs) == len({c["network"] for c in configs}) == row.fabric_nics
    assert len({v.urn for v in vpcs}) == row.fabric_nics
    assert {v.inputs["name"] for v in vpcs} == {c["network"] for c in configs}
    assert {v.inputs["mtu"] for v in vpcs} == {8244.0}
    assert pool.inputs["placementPolicy"] == {"type": "COMPACT"}
    assert len(pool.inputs["nodeLocations"]) == 1
    assert pool.inputs["autoscaling"]["totalMaxNodeCount"] == pool_spec.max_nodes
    assert pool.inputs["nodeConfig"]["reservationAffinity"]["values"] == [pool_spec.reservation]
    assert pool.inputs["nodeConfig"]["guestAccelerators"][0]["count"] == row.accelerator_count
    cluster = only(preview, "gcp:container/cluster:Cluster")
    assert cluster.inputs["enableMultiNetworking"] is True
    assert cluster.inputs["datapathProvider"] == "ADVANCED_DATAPATH"


def test_tpu_slice_nodes_times_chips_per_host_is_the_topology(previews: dict[str, Preview]) -> None:
    spec = spec_of("gcp-v5p-train")
    (pool_spec,) = spec.node_pools
    tpu = spec.instance(pool_spec).tpu
    assert tpu is not None and tpu.version == "v5p"
    pool = accelerator_pools(previews["gcp-v5p-train"])[pool_spec.name]
    topology = pool.inputs["placementPolicy"]["tpuTopology"]
    chips = math.prod(int(d) for d in topology.split("x"))
    assert topology == pool_spec.tpu_topology
    assert chips >= 16
    nodes = pool.inputs["autoscaling"]["totalMaxNodeCount"]
    assert nodes * tpu.chips_per_host == chips
    assert nodes > 1  # multi-host
    assert pool.inputs["queuedProvisioning"] == {"enabled": True}


def test_l4_pool_scales_to_zero_without_fabric(previews: dict[str, Preview]) -> None:
    (pool,) = accelerator_pools(previews["gcp-l4-serve"]).values()
    assert pool.inputs["nodeConfig"]["machineType"].startswith("g2-standard-")
    assert pool.inputs["autoscaling"]["totalMinNodeCount"] == 0.0
    assert "placementPolicy" not in pool.inputs
    assert "additionalNodeNetworkConfigs" not in pool.inputs["networkConfig"]


def test_storage_sits_in_the_pools_zone_and_region(previews: dict[str, Preview]) -> None:
    for stack, preview in previews.items():
        spec = spec_of(stack)
        zones = {z for p in accelerator_pools(preview).values() for z in p.inputs["nodeLocations"]}
        file_systems = [r for r in preview.resources if r.type in FILE_SYSTEMS]
        assert len(file_systems) == sum(s.kind != "bucket" for s in spec.storage), stack
        for fs in file_systems:
            assert fs.inputs["location"] in zones, (stack, fs.name)
            assert [n.inputs["name"] for n in linked(preview, fs, "network", NETWORK)] == [f"{spec.name}-vpc"]
        for bucket in preview.of_type("gcp:storage/bucket:Bucket"):
            assert bucket.inputs["location"] == spec.region.upper()
            assert bucket.inputs["publicAccessPrevention"] == "enforced"


def test_lustre_is_the_size_and_tier_of_the_stack(previews: dict[str, Preview]) -> None:
    (store,) = [s for s in spec_of("gcp-a3mega-train").storage if s.kind == "lustre"]
    offering = catalog.load().storage_offering("gcp", "lustre")
    assert offering is not None and store.capacity_tib is not None
    lustre = only(previews["gcp-a3mega-train"], FILE_SYSTEMS[0])
    assert float(lustre.inputs["capacityGib"]) == store.capacity_tib * offering.gib_per_tib
    assert float(lustre.inputs["perUnitStorageThroughput"]) == store.throughput_mbps_per_tib


def only(preview: Preview, type_: str) -> RecordedResource:
    (found,) = preview.of_type(type_)
    return found


# --- bad input through the CLI: exit 2, the file and the config path named ------------------------------

def write_changed(tmp_path: Path, stack: str, change: Callable[[dict[str, Any]], None]) -> Path:
    data = yaml.safe_load((STACKS / f"Pulumi.{stack}.yaml").read_text())
    changed = copy.deepcopy(data)
    change(changed["config"]["backbone:cluster"])
    path = tmp_path / f"Pulumi.{stack}.yaml"
    path.write_text(yaml.safe_dump(changed))
    return path


def plan_errors(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert backbone(["plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err or path.name in err
    assert "Traceback" not in err
    return err


def test_bad_tpu_topology_lists_the_valid_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_changed(tmp_path, "gcp-v5p-train", lambda c: c["nodePools"][0].update(tpuTopology="3x3x3"))
    err = plan_errors(path, capsys)
    tpu = catalog.load().instance("gcp", "ct5p-hightpu-4t").tpu  # type: ignore[union-attr]
    assert tpu is not None
    assert "backbone:cluster.nodePools[0]" in err
    assert "3x3x3 is 27 chips, not whole hosts of 4 chips" in err
    assert f"listed: {', '.join(tpu.topologies[:12])}, …" in err  # the first of XPK's 96 v5p shapes


def test_tpu_node_count_that_is_not_the_slice_is_refused(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = write_changed(tmp_path, "gcp-v5p-train", lambda c: c["nodePools"][0].update(maxNodes=5))
    err = plan_errors(path, capsys)
    assert "backbone:cluster.nodePools[0]" in err and "set maxNodes to 8" in err


def test_multi_zone_training_pool_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_changed(tmp_path, "gcp-a3mega-train",
                         lambda c: c["nodePools"][0].update(zones=["us-central1-a", "us-central1-b"]))
    err = plan_errors(path, capsys)
    assert "backbone:cluster.nodePools[0]" in err and "one zone" in err


def test_gpu_pool_in_a_zone_without_its_machine_type_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # The catalog leaves GPU zones unknown (accepted everywhere); pretend it knows them.
    cat = catalog.load()
    row = cat.instance("gcp", "a3-megagpu-8g")
    assert row is not None
    monkeypatch.setitem(cat._by_key, ("gcp", "a3-megagpu-8g"), replace(row, zones=("us-central1-b",)))
    path = write_changed(tmp_path, "gcp-a3mega-train", lambda c: None)
    err = plan_errors(path, capsys)
    assert "backbone:cluster.nodePools[0]" in err
    assert "not offered in zone us-central1-a" in err and "offered in: us-central1-b" in err


def test_queued_provisioning_with_a_reservation_is_refused(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = write_changed(tmp_path, "gcp-a3mega-train", lambda c: c["nodePools"][0].update(queuedProvisioning=True))
    err = plan_errors(path, capsys)
    assert "backbone:cluster.nodePools[0]" in err and "capacity: on-demand" in err
