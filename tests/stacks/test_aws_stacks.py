"""The AWS example stacks through the real program (``__main__.py``), previewed offline."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest

from backbone.core import catalog
from backbone.core.errors import BackboneError
from backbone.engine import Preview, RecordedResource, preview_program
from backbone.stackfile import PROJECT_ROOT, read_stack

STACKS = PROJECT_ROOT / "stacks"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
NG = "aws:eks/nodeGroup:NodeGroup"
PG = "aws:ec2/placementGroup:PlacementGroup"
FS = "aws:fsx/lustreFileSystem:LustreFileSystem"


def config_of(stack: str) -> dict[str, Any]:
    return read_stack(STACKS / f"Pulumi.{stack}.yaml").config


@pytest.fixture(scope="module")
def train() -> Preview:
    return preview_program(PROJECT_ROOT, "aws-p5-train", config_of("aws-p5-train"))


@pytest.fixture(scope="module")
def serve() -> Preview:
    return preview_program(PROJECT_ROOT, "aws-g6-serve", config_of("aws-g6-serve"))


def accelerator_groups(preview: Preview) -> list[RecordedResource]:
    return [g for g in preview.of_type(NG) if g.inputs["labels"]["backbone.dev/purpose"] != "system"]


def test_train_stack_builds_one_of_each_part(train: Preview) -> None:
    types = Counter(r.type for r in train.resources)
    assert types["aws:eks/cluster:Cluster"] == 1
    assert types[NG] == 2  # system + h100
    assert types[LT] == 1
    assert types[PG] == 1
    assert types[FS] == 1
    assert types["aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation"] == 1
    assert types["aws:s3/bucket:Bucket"] == 2  # the Lustre's training data, the checkpoints bucket
    assert types["aws:ec2/natGateway:NatGateway"] == 1


def test_train_pool_has_every_efa_interface_in_a_cluster_placement_group(train: Preview) -> None:
    (group,) = accelerator_groups(train)
    (template,) = train.linked(group, "launchTemplate")
    interfaces = template.inputs["networkInterfaces"]
    row = catalog.load().instance("aws", template.inputs["instanceType"])
    assert row is not None and row.fabric_nics == 32
    assert len(interfaces) == row.fabric_nics
    assert all(i["interfaceType"] in ("efa", "efa-only") for i in interfaces)
    assert all(i["associatePublicIpAddress"] == "false" for i in interfaces)
    (placement,) = train.linked(template, "placement")
    assert placement.type == PG and placement.inputs["strategy"] == "cluster"
    assert group.inputs["scalingConfig"] == {"minSize": 0, "desiredSize": 0, "maxSize": 16}


def test_train_node_group_and_lustre_share_one_zone(train: Preview) -> None:
    (group,) = accelerator_groups(train)
    pool_zones = {s.inputs["availabilityZone"] for s in train.linked(group, "subnetIds")}
    assert pool_zones == {"us-east-1a"}
    (fs,) = train.of_type(FS)
    assert {s.inputs["availabilityZone"] for s in train.linked(fs, "subnetIds")} == pool_zones


def test_train_lustre_feeds_every_gpu_a_few_hundred_mb_per_second(train: Preview) -> None:
    (fs,) = train.of_type(FS)
    offering = catalog.load().storage_offering("aws", "lustre")
    assert offering is not None
    capacity_tib = fs.inputs["storageCapacity"] / offering.gib_per_tib
    assert capacity_tib == 48
    assert fs.inputs["perUnitStorageThroughput"] == 1000
    (group,) = accelerator_groups(train)
    row = catalog.load().instance("aws", "p5.48xlarge")
    assert row is not None
    gpus = group.inputs["scalingConfig"]["maxSize"] * row.accelerator_count
    per_gpu = capacity_tib * fs.inputs["perUnitStorageThroughput"] / gpus
    assert 200 <= per_gpu <= 1000, per_gpu
    assert [r.type for r in train.linked(fs, "kmsKeyId")] == ["aws:kms/key:Key"]


def test_serve_stack_scales_to_zero_without_efa_or_lustre(serve: Preview) -> None:
    (group,) = accelerator_groups(serve)
    assert group.inputs["scalingConfig"]["minSize"] == 0
    assert group.inputs["labels"]["backbone.dev/purpose"] == "inference"
    (template,) = serve.linked(group, "launchTemplate")
    assert template.inputs["instanceType"] == "g6.xlarge"
    assert not any("interfaceType" in i for i in template.inputs["networkInterfaces"])
    assert serve.of_type(PG) == []
    assert serve.of_type(FS) == []


def bad(stack: str, edit: Any) -> str:
    config = copy.deepcopy(config_of(stack))
    edit(config["backbone:cluster"])
    with pytest.raises(BackboneError) as caught:
        preview_program(PROJECT_ROOT, stack, config)
    return str(caught.value)


def test_p5_training_pool_across_two_zones_is_refused_with_its_path() -> None:
    message = bad("aws-p5-train", lambda c: c["nodePools"][0].update(zones=["us-east-1a", "us-east-1b"]))
    assert "stacks/Pulumi.aws-p5-train.yaml: backbone:cluster.nodePools[0]:" in message
    assert "spans zones us-east-1a, us-east-1b" in message


def test_reservation_that_is_not_an_aws_id_is_refused_with_its_path() -> None:
    message = bad("aws-p5-train", lambda c: c["nodePools"][0].update(capacity="reservation", reservation="p5-block"))
    assert "backbone:cluster.nodePools[0]: reservation 'p5-block' is not an AWS capacity reservation id" in message


def test_lustre_size_the_service_refuses_is_refused_with_its_path() -> None:
    message = bad("aws-p5-train", lambda c: c["storage"][0].update(capacityTiB=50))
    assert "backbone:cluster.storage[0]:" in message and "does not accept 50 TiB" in message


def test_storage_kind_aws_does_not_offer_is_refused_with_its_path() -> None:
    message = bad("aws-p5-train", lambda c: c["storage"][0].update(kind="parallelstore"))
    assert "backbone:cluster.storage[0]: kind 'parallelstore' is not offered on aws" in message


@pytest.mark.parametrize("stack", ["aws-p5-train", "aws-g6-serve"])
def test_every_provider_resource_belongs_to_a_component_and_is_named_after_the_cluster(
    stack: str, train: Preview, serve: Preview
) -> None:
    preview = train if stack == "aws-p5-train" else serve
    by_urn = preview.by_urn()
    name = config_of(stack)["backbone:cluster"]["name"]
    provider_resources = [r for r in preview.resources if r.custom]
    assert provider_resources
    for resource in provider_resources:
        assert by_urn[resource.parent].type.startswith("backbone:aws:"), resource.name
        assert resource.name.startswith(f"{name}-"), resource.name
