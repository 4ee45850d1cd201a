"""The Preview → PolicyResource conversion: what a stack policy sees, unknowns and links included."""

from __future__ import annotations

import pulumi
import pytest
from pulumi_aws import ec2
from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UnknownValueError

from backbone.engine import preview_function
from backbone.resources import policy_resources


class Bundle(pulumi.ComponentResource):
    def __init__(self, name: str) -> None:
        super().__init__("test:index:Bundle", name)
        vpc = ec2.Vpc(f"{name}-net", cidr_block="10.0.0.0/16", opts=pulumi.ResourceOptions(parent=self))
        ec2.Subnet(
            f"{name}-train",
            vpc_id=vpc.id,
            cidr_block="10.0.1.0/24",
            availability_zone="us-east-1a",
            tags={"nodes": "16"},
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({})


def by_name() -> dict[str, PolicyResource]:
    resources = policy_resources(preview_function(lambda: Bundle("c"), "dev"))
    return {r.name: r for r in resources}


def test_known_values_read_as_plain_python() -> None:
    subnet = by_name()["c-train"]
    assert subnet.resource_type == "aws:ec2/subnet:Subnet"
    assert subnet.props["availabilityZone"] == "us-east-1a"
    assert subnet.props["tags"]["nodes"] == "16"


def test_unknowns_stay_unknown_and_raise_when_read() -> None:
    subnet = by_name()["c-train"]
    with pytest.raises(UnknownValueError):
        _ = subnet.props["vpcId"]


def test_parent_dependencies_and_property_dependencies_are_the_resource_objects() -> None:
    found = by_name()
    subnet, vpc, bundle = found["c-train"], found["c-net"], found["c"]
    assert subnet.parent is bundle
    assert subnet.opts.parent == bundle.urn
    assert vpc in subnet.dependencies
    assert subnet.property_dependencies["vpcId"] == [vpc]
    assert bundle.parent is found["backbone-dev"]
    assert found["backbone-dev"].parent is None
