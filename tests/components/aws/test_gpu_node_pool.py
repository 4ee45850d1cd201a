"""GpuNodePool on its own, as a platform team with an existing EKS cluster and VPC would use it."""

from __future__ import annotations

from typing import Any

import pytest

from backbone.components.aws import GpuNodePool, GpuNodePoolArgs
from backbone.core import catalog
from backbone.core.errors import BackboneError, ComponentArgumentError
from backbone.engine import Preview

LT = "aws:ec2/launchTemplate:LaunchTemplate"
NG = "aws:eks/nodeGroup:NodeGroup"
PG = "aws:ec2/placementGroup:PlacementGroup"


def pool_args(**overrides: Any) -> GpuNodePoolArgs:
    values: dict[str, Any] = {
        "cluster_name": "research",
        "node_role_arn": "arn:aws:iam::123456789012:role/research-nodes",
        "subnet_ids": ["subnet-0a1b2c3d4e5f60718"],
        "security_group_ids": ["sg-0a1b2c3d4e5f60718"],
        "instance_type": "p5.48xlarge",
        "max_nodes": 16,
    }
    values.update(overrides)
    return GpuNodePoolArgs(**values)


@pytest.fixture
def p5(preview: Any) -> Preview:
    return preview(lambda: GpuNodePool("h100", pool_args()))  # type: ignore[no-any-return]


def test_p5_launch_template_attaches_one_efa_per_network_card(p5: Preview, only: Any) -> None:
    interfaces = only(p5, LT).inputs["networkInterfaces"]
    row = catalog.load().instance("aws", "p5.48xlarge")
    assert row is not None and row.fabric_nics == 32
    assert len(interfaces) == row.fabric_nics
    assert sorted(int(i["networkCardIndex"]) for i in interfaces) == list(range(32))
    assert all(i["interfaceType"] in ("efa", "efa-only") for i in interfaces)
    first = next(i for i in interfaces if i["networkCardIndex"] == 0)
    assert (first["interfaceType"], first["deviceIndex"]) == ("efa", 0)
    assert all(i["deviceIndex"] == 1 for i in interfaces if i["networkCardIndex"] != 0)
    assert all(i["associatePublicIpAddress"] == "false" for i in interfaces)
    assert all(i["securityGroups"] == ["sg-0a1b2c3d4e5f60718"] for i in interfaces)


def test_p5_requires_imdsv2_and_sets_the_instance_type_on_the_template(p5: Preview, only: Any) -> None:
    template = only(p5, LT).inputs
    assert template["metadataOptions"]["httpTokens"] == "required"
    assert template["metadataOptions"]["httpPutResponseHopLimit"] == 2
    assert template["instanceType"] == "p5.48xlarge"
    assert "instanceTypes" not in only(p5, NG).inputs


def test_p5_training_pool_is_in_a_cluster_placement_group_linked_from_the_template(
    p5: Preview, only: Any, linked: Any
) -> None:
    group = only(p5, PG)
    template = only(p5, LT)
    assert group.inputs["strategy"] == "cluster"
    assert [r.urn for r in linked(p5, template, "placement")] == [group.urn]
    assert "groupName" in template.inputs["placement"]


def test_node_group_uses_the_template_one_subnet_and_carries_the_labels(p5: Preview, only: Any, linked: Any) -> None:
    group = only(p5, NG)
    assert [r.type for r in linked(p5, group, "launchTemplate")] == [LT]
    inputs = group.inputs
    assert inputs["subnetIds"] == ["subnet-0a1b2c3d4e5f60718"]
    assert inputs["labels"] == {"backbone.dev/purpose": "training", "backbone.dev/pool": "h100"}
    assert inputs["scalingConfig"] == {"minSize": 0, "desiredSize": 0, "maxSize": 16}
    assert inputs["capacityType"] == "ON_DEMAND"
    assert inputs["amiType"] == "AL2023_x86_64_NVIDIA"


def test_g6_inference_pool_has_no_efa_and_no_placement_group(preview: Any, only: Any) -> None:
    result = preview(
        lambda: GpuNodePool(
            "l4", pool_args(instance_type="g6.xlarge", purpose="inference", max_nodes=8, subnet_ids=["s-a", "s-b"])
        )
    )
    interfaces = only(result, LT).inputs["networkInterfaces"]
    assert len(interfaces) == 1
    assert "interfaceType" not in interfaces[0]
    assert interfaces[0]["associatePublicIpAddress"] == "false"
    assert result.of_type(PG) == []
    assert "placement" not in only(result, LT).inputs
    assert only(result, NG).inputs["labels"]["backbone.dev/purpose"] == "inference"


def test_inference_pool_on_a_fabric_instance_keeps_efa_but_spreads(preview: Any, only: Any) -> None:
    result = preview(lambda: GpuNodePool("h100-serve", pool_args(purpose="inference")))
    assert len(only(result, LT).inputs["networkInterfaces"]) == 32
    assert result.of_type(PG) == []


def test_a_single_node_training_pool_needs_no_placement_group(preview: Any) -> None:
    result = preview(lambda: GpuNodePool("h100-one", pool_args(max_nodes=1)))
    assert result.of_type(PG) == []


def test_spot_goes_to_the_node_group(preview: Any, only: Any) -> None:
    result = preview(lambda: GpuNodePool("h100", pool_args(capacity="spot")))
    assert only(result, NG).inputs["capacityType"] == "SPOT"
    assert "capacityReservationSpecification" not in only(result, LT).inputs


def test_capacity_reservation_is_targeted_by_id_through_the_template(preview: Any, only: Any) -> None:
    result = preview(lambda: GpuNodePool("h100", pool_args(capacity="reservation", reservation="cr-0123456789abcdef0")))
    spec = only(result, LT).inputs["capacityReservationSpecification"]
    assert spec["capacityReservationTarget"]["capacityReservationId"] == "cr-0123456789abcdef0"
    assert only(result, NG).inputs["capacityType"] == "ON_DEMAND"


def test_capacity_block_sets_market_type_and_capacity_type(preview: Any, only: Any) -> None:
    result = preview(
        lambda: GpuNodePool(
            "h100", pool_args(capacity="capacity-block", reservation="cr-0123456789abcdef0")
        )
    )
    assert only(result, LT).inputs["instanceMarketOptions"] == {"marketType": "capacity-block"}
    target = only(result, LT).inputs["capacityReservationSpecification"]["capacityReservationTarget"]
    assert target["capacityReservationId"] == "cr-0123456789abcdef0"
    assert only(result, NG).inputs["capacityType"] == "CAPACITY_BLOCK"


def test_a_capacity_block_needs_the_reservation_id_of_the_block(preview: Any) -> None:
    with pytest.raises(ComponentArgumentError, match="capacity 'capacity-block' needs one: an AWS capacity "
                                                     "reservation id"):
        preview(lambda: GpuNodePool("h100", pool_args(capacity="capacity-block")))


@pytest.mark.parametrize(
    ("instance_type", "driver", "ami"),
    [
        ("g6.xlarge", "operator", "AL2023_x86_64_STANDARD"),
        ("trn2.48xlarge", "managed", "AL2023_x86_64_NEURON"),
    ],
)
def test_ami_type_follows_the_catalog_accelerator_and_driver(
    preview: Any, only: Any, instance_type: str, driver: str, ami: str
) -> None:
    result = preview(lambda: GpuNodePool("pool", pool_args(instance_type=instance_type, gpu_driver=driver)))
    assert only(result, NG).inputs["amiType"] == ami


def test_trn2_gets_as_many_efa_interfaces_as_the_catalog_says(preview: Any, only: Any) -> None:
    row = catalog.load().instance("aws", "trn2.48xlarge")
    assert row is not None and row.fabric_nics
    result = preview(lambda: GpuNodePool("trn2", pool_args(instance_type="trn2.48xlarge")))
    assert len(only(result, LT).inputs["networkInterfaces"]) == row.fabric_nics


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"subnet_ids": ["subnet-a", "subnet-b"]}, "exactly one subnet"),
        ({"capacity": "reservation", "reservation": "my-block"}, "capacity reservation id"),
        ({"capacity": "spot", "reservation": "cr-0123456789abcdef0"},
         "needs capacity 'reservation' or 'capacity-block'"),
        ({"instance_type": "p9.96xlarge"}, "not in the aws catalog"),
        ({"instance_type": "g6.xlarge", "efa": True}, "has no fabric"),
        ({"min_nodes": 4, "max_nodes": 2}, r"min_nodes: must be between 0 and max_nodes \(2\)"),
    ],
)
def test_bad_arguments_are_refused_with_what_is_allowed(preview: Any, overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(BackboneError, match=message):
        preview(lambda: GpuNodePool("pool", pool_args(**overrides)))
