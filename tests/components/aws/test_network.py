"""Network on its own: private subnets per zone, NAT egress, the EFA security group."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from backbone.components.aws import Network, NetworkArgs
from backbone.core.errors import BackboneError
from backbone.engine import Preview

SUBNET = "aws:ec2/subnet:Subnet"


@pytest.fixture
def network(preview: Any) -> Preview:
    zones = ["us-east-1a", "us-east-1c", "us-east-1d"]
    return preview(lambda: Network("net", NetworkArgs(zones=zones, cidr="10.20.0.0/16")))  # type: ignore[no-any-return]


def test_one_private_subnet_per_zone_inside_the_vpc_without_overlap(network: Preview) -> None:
    subnets = network.of_type(SUBNET)
    private = [s.inputs for s in subnets if s.name.startswith("net-private-")]
    assert sorted(s["availabilityZone"] for s in private) == ["us-east-1a", "us-east-1c", "us-east-1d"]
    blocks = [ipaddress.IPv4Network(s.inputs["cidrBlock"]) for s in subnets]
    vpc = ipaddress.IPv4Network("10.20.0.0/16")
    assert all(b.subnet_of(vpc) for b in blocks)
    assert not any(a.overlaps(b) for i, a in enumerate(blocks) for b in blocks[i + 1 :])
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in subnets)


def test_private_subnets_leave_through_a_nat_in_the_public_subnet(network: Preview, only: Any, linked: Any) -> None:
    nat = only(network, "aws:ec2/natGateway:NatGateway")
    assert [r.name for r in linked(network, nat, "subnetId")] == ["net-public"]
    private_routes = next(r for r in network.of_type("aws:ec2/routeTable:RouteTable") if r.name == "net-private-routes")
    assert [r.urn for r in linked(network, private_routes, "routes")] == [nat.urn]
    associated = {
        linked(network, a, "subnetId")[0].name
        for a in network.of_type("aws:ec2/routeTableAssociation:RouteTableAssociation")
        if linked(network, a, "routeTableId")[0].urn == private_routes.urn
    }
    assert associated == {"net-private-us-east-1a", "net-private-us-east-1c", "net-private-us-east-1d"}


def test_security_group_allows_all_traffic_to_and_from_itself(network: Preview, only: Any) -> None:
    group = only(network, "aws:ec2/securityGroup:SecurityGroup").inputs
    everything_from_itself = {"protocol": "-1", "fromPort": 0, "toPort": 0, "self": True}
    assert any(everything_from_itself.items() <= rule.items() for rule in group["ingress"])
    assert any(everything_from_itself.items() <= rule.items() for rule in group["egress"])
    assert any(rule["protocol"] == "-1" and rule.get("cidrBlocks") == ["0.0.0.0/0"] for rule in group["egress"])


@pytest.mark.parametrize(
    ("zones", "message"),
    [([], "at least one zone"), (["us-east-1a", "us-east-1a"], "repeat"), ([f"z{i}" for i in range(8)], "up to 7")],
)
def test_bad_zone_lists_are_refused(preview: Any, zones: list[str], message: str) -> None:
    with pytest.raises(BackboneError, match=message):
        preview(lambda: Network("net", NetworkArgs(zones=zones)))
