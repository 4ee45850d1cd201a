"""AcceleratorCluster from a ClusterSpec: zones, composition, storage kinds."""

from __future__ import annotations

from typing import Any

import pytest

from backbone.components.aws import AcceleratorCluster, cluster_zones
from backbone.components.spec import ClusterSpec, StorageSpec
from backbone.core.errors import BackboneError


def spec(**overrides: Any) -> ClusterSpec:
    values: dict[str, Any] = {
        "cloud": "aws",
        "name": "lab",
        "region": "us-west-2",
        "zone": "us-west-2a",
        "nodePools": [{"name": "h100", "instanceType": "p5.48xlarge", "maxNodes": 4}],
    }
    values.update(overrides)
    return ClusterSpec.model_validate(values)


def test_a_single_zone_stack_gets_a_second_zone_for_the_control_plane() -> None:
    assert cluster_zones(spec()) == ["us-west-2a", "us-west-2b"]
    assert cluster_zones(spec(zone="us-west-2b")) == ["us-west-2b", "us-west-2a"]


def test_zones_of_pools_and_file_systems_each_get_a_subnet() -> None:
    zones = cluster_zones(
        spec(
            nodePools=[
                {"name": "h100", "instanceType": "p5.48xlarge", "maxNodes": 4, "zones": ["us-west-2c"]},
                {"name": "l4", "instanceType": "g6.xlarge", "purpose": "inference", "maxNodes": 4,
                 "zones": ["us-west-2a", "us-west-2d"]},
            ],
            storage=[{"name": "scratch", "kind": "lustre", "capacityTiB": 2.4, "throughputMBpsPerTiB": 250,
                      "zone": "us-west-2c"}],
        )
    )
    assert zones == ["us-west-2a", "us-west-2c", "us-west-2d"]


def test_every_pool_and_storage_becomes_its_component(preview: Any) -> None:
    cluster_spec = spec(
        nodePools=[
            {"name": "h100", "instanceType": "p5.48xlarge", "maxNodes": 4},
            {"name": "l4", "instanceType": "g6.xlarge", "purpose": "inference", "maxNodes": 2, "capacity": "spot"},
        ],
        storage=[
            {"name": "scratch", "kind": "lustre", "capacityTiB": 2.4, "throughputMBpsPerTiB": 250},
            {"name": "ckpt", "kind": "bucket"},
        ],
        tags={"team": "research"},
    )
    result = preview(lambda: AcceleratorCluster("lab", cluster_spec))
    types = [r.type for r in result.resources]
    assert types.count("backbone:aws:GpuNodePool") == 2
    assert types.count("backbone:aws:LustreFileSystem") == 1
    assert types.count("backbone:aws:DatasetBucket") == 2  # ckpt, and the Lustre's data bucket
    node_groups = {r.name: r.inputs for r in result.of_type("aws:eks/nodeGroup:NodeGroup")}
    assert node_groups["lab-l4-nodes"]["capacityType"] == "SPOT"
    assert node_groups["lab-h100-nodes"]["tags"] == {"team": "research", "backbone.dev/cluster": "lab"}
    assert all(r.inputs.get("region") == "us-west-2" for r in result.resources if r.type.startswith("aws:ec2/"))


def test_a_storage_kind_aws_does_not_offer_is_refused(preview: Any) -> None:
    # The spec refuses it first (see test_aws_stacks); a spec built without validation still cannot pass.
    odd = StorageSpec.model_construct(name="fast", kind="parallelstore", capacity_tib=12.0)
    cluster_spec = spec().model_copy(update={"storage": [odd]})
    with pytest.raises(BackboneError, match="'parallelstore' is not offered on aws; offered: lustre, bucket"):
        preview(lambda: AcceleratorCluster("lab", cluster_spec))


def test_a_capacity_block_pool_becomes_a_capacity_block_node_group(preview: Any) -> None:
    block = {"name": "h100", "instanceType": "p5.48xlarge", "maxNodes": 4, "capacity": "capacity-block",
             "reservation": "cr-0123456789abcdef0"}
    result = preview(lambda: AcceleratorCluster("lab", spec(nodePools=[block])))
    groups = {r.name: r.inputs for r in result.of_type("aws:eks/nodeGroup:NodeGroup")}
    assert groups["lab-h100-nodes"]["capacityType"] == "CAPACITY_BLOCK"
    assert [g["capacityType"] for name, g in groups.items() if name != "lab-h100-nodes"] == ["ON_DEMAND"]
    [template] = [r.inputs for r in result.of_type("aws:ec2/launchTemplate:LaunchTemplate")
                  if "instanceMarketOptions" in r.inputs]
    assert template["instanceMarketOptions"] == {"marketType": "capacity-block"}
    target = template["capacityReservationSpecification"]["capacityReservationTarget"]
    assert target["capacityReservationId"] == "cr-0123456789abcdef0"
