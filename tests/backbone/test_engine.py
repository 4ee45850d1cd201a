"""The offline engine reproduces preview semantics: no invented outputs, links only through the graph."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest
from pulumi_aws import ec2

from backbone.core.errors import BackboneError
from backbone.engine import UNKNOWN, preview_function, preview_program


def vpc_and_subnet() -> None:
    vpc = ec2.Vpc("net", cidr_block="10.0.0.0/16")
    ec2.Subnet("train", vpc_id=vpc.id, cidr_block="10.0.1.0/24", availability_zone="us-east-1a",
               map_public_ip_on_launch=False, tags={"size": "16"})
    pulumi.export("vpc", vpc.id)


def test_ids_stay_unknown_and_links_are_property_dependencies() -> None:
    result = preview_function(vpc_and_subnet, "dev")
    by_type = {r.type: r for r in result.resources}
    subnet, vpc = by_type["aws:ec2/subnet:Subnet"], by_type["aws:ec2/vpc:Vpc"]
    assert subnet.inputs["vpcId"] == UNKNOWN
    assert subnet.property_dependencies["vpcId"] == [vpc.urn]
    assert vpc.urn in subnet.dependencies
    assert subnet.inputs["availabilityZone"] == "us-east-1a"
    assert subnet.inputs["mapPublicIpOnLaunch"] is False


def test_the_stack_resource_is_the_root_and_parents_are_urns() -> None:
    result = preview_function(vpc_and_subnet, "dev")
    root = result.resources[0]
    assert root.type == "pulumi:pulumi:Stack"
    assert root.urn == "urn:pulumi:dev::backbone::pulumi:pulumi:Stack::backbone-dev"
    assert all(r.parent == root.urn for r in result.resources[1:])


def test_numbers_cross_the_wire_as_floats() -> None:
    def program() -> None:
        ec2.PlacementGroup("pg", strategy="partition", partition_count=3)

    (pg,) = preview_function(program, "dev").of_type("aws:ec2/placementGroup:PlacementGroup")
    assert pg.inputs["partitionCount"] == 3.0
    assert isinstance(pg.inputs["partitionCount"], float)


def test_outputs_of_one_resource_are_unknown_to_an_apply_in_preview() -> None:
    seen: list[object] = []

    def program() -> None:
        vpc = ec2.Vpc("net", cidr_block="10.0.0.0/16")
        vpc.arn.apply(seen.append)  # never runs in preview: the ARN is computed by the provider
        vpc.cidr_block.apply(seen.append)  # an input echoed back as an output is known

    preview_function(program, "dev")
    assert seen == ["10.0.0.0/16"]


def test_two_stacks_in_one_process_do_not_share_a_root() -> None:
    first = preview_function(vpc_and_subnet, "one")
    second = preview_function(vpc_and_subnet, "two")
    assert all(":one::" in r.urn for r in first.resources)
    assert all(":two::" in r.urn for r in second.resources)
    assert all(r.parent == "" or ":two::" in r.parent for r in second.resources)


def test_config_reaches_the_program_as_pulumi_config(tmp_path: Path) -> None:
    program = tmp_path / "__main__.py"
    program.write_text(
        "import pulumi\nfrom pulumi_aws import ec2\n"
        "cfg = pulumi.Config('backbone').require_object('cluster')\n"
        "ec2.Vpc(cfg['name'], cidr_block=cfg['cidr'])\n"
    )
    result = preview_program(tmp_path, "dev", {"backbone:cluster": {"name": "x", "cidr": "10.1.0.0/16"}})
    (vpc,) = result.of_type("aws:ec2/vpc:Vpc")
    assert (vpc.name, vpc.inputs["cidrBlock"]) == ("x", "10.1.0.0/16")


def test_a_failing_program_is_a_backbone_error_naming_the_stack() -> None:
    def program() -> None:
        raise pulumi.RunError("no quota for p5 in us-east-1")

    with pytest.raises(BackboneError, match="stack dev: no quota for p5"):
        preview_function(program, "dev")


def test_a_program_that_fails_leaves_nothing_behind_for_the_next_stack() -> None:
    def fails_midway() -> None:
        vpc = ec2.Vpc("net", cidr_block="10.0.0.0/16")
        vpc.cidr_block.apply(lambda _: 1 / 0)
        raise ValueError("boom")

    with pytest.raises(BackboneError, match="ValueError: boom"):
        preview_function(fails_midway, "one")
    assert [r.type for r in preview_function(vpc_and_subnet, "two").resources][-1] == "aws:ec2/subnet:Subnet"


def test_nested_outputs_stay_unknown_so_an_output_shape_unlike_the_input_cannot_break_a_program() -> None:
    from pulumi_azure_native import managedidentity, resources, storagecache

    seen: list[object] = []

    def program() -> None:
        rg = resources.ResourceGroup("rg", location="eastus")
        uai = managedidentity.UserAssignedIdentity("uai", resource_group_name=rg.name, location="eastus")
        fs = storagecache.AmlFilesystem(
            "fs", resource_group_name=rg.name, location="eastus", sku={"name": "AMLFS-Durable-Premium-500"},
            storage_capacity_ti_b=4, zones=["1"], filesystem_subnet="subnet",
            maintenance_window={"day_of_week": "Sunday", "time_of_day_utc": "02:00"},
            # a list of ids going in, a map keyed by id coming out
            identity={"type": "UserAssigned", "user_assigned_identities": [uai.id]},
        )
        fs.identity.apply(seen.append)
        fs.storage_capacity_ti_b.apply(seen.append)

    result = preview_function(program, "dev")
    (fs,) = result.of_type("azure-native:storagecache:AmlFilesystem")
    assert fs.inputs["identity"]["userAssignedIdentities"] == [UNKNOWN]
    assert seen == [4.0]


def test_no_event_loop_is_left_for_the_garbage_collector() -> None:
    import gc
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for stack in ("one", "two"):
            preview_function(vpc_and_subnet, stack)
        gc.collect()
    assert [str(w.message) for w in caught if "unclosed event loop" in str(w.message)] == []
