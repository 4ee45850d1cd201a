"""``Network``: the VPC of an accelerator cluster.

One private subnet per zone the pools and file systems use (nodes never get a public address), one public
subnet with an internet gateway and a NAT gateway for egress, and one security group that allows all
traffic to and from itself — what EFA's OS-bypass traffic requires — shared by the GPU nodes, the
Kubernetes control plane's network interfaces and the file systems.

Address plan: the VPC's CIDR is cut into 8 equal blocks; private subnet *i* takes block *i* (up to 7
zones), the public subnet takes the last block.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_aws import ec2

from backbone.components.aws._common import with_name
from backbone.components.clouds import component_error_name
from backbone.components.outputs import register
from backbone.core.errors import ComponentArgumentError

__all__ = ["Network", "NetworkArgs"]

ADDRESS_BLOCKS = 8
ANYWHERE = "0.0.0.0/0"


@dataclass(frozen=True)
class NetworkArgs:
    """Inputs of ``Network``."""

    zones: Sequence[str]
    """Zones that get a private subnet, in order; the first also holds the public subnet and NAT gateway."""
    cidr: str = "10.0.0.0/16"
    """Address space of the VPC (IPv4, /20 or larger)."""
    region: str | None = None
    """Region of every resource; None: the AWS provider's region."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags on every resource."""


def address_plan(cidr: str, zones: Sequence[str], where: str = "Network") -> tuple[dict[str, str], str]:
    """The CIDR of each zone's private subnet and of the public subnet."""
    if not zones:
        raise ComponentArgumentError(where, "zones", "give at least one zone: the zones of the pools")
    if len(set(zones)) != len(zones):
        raise ComponentArgumentError(where, "zones", f"zones repeat: {', '.join(zones)}; give each zone once")
    if len(zones) > ADDRESS_BLOCKS - 1:
        raise ComponentArgumentError(
            where, "zones", f"up to {ADDRESS_BLOCKS - 1} zones (one address block each); got {len(zones)}"
        )
    try:
        net = ipaddress.ip_network(cidr, strict=True)
    except ValueError as exc:
        raise ComponentArgumentError(where, "cidr", f"{cidr!r} is not an IPv4 network (e.g. 10.0.0.0/16): {exc}",
                                     ) from None
    blocks = list(net.subnets(new_prefix=net.prefixlen + 3))
    private = {zone: str(blocks[i]) for i, zone in enumerate(zones)}
    return private, str(blocks[-1])


class Network(pulumi.ComponentResource):
    """A VPC with private subnets per zone, NAT egress and an EFA-ready security group."""

    network: ec2.Vpc
    """The VPC."""
    subnets: dict[str, list[ec2.Subnet]]
    """Subnets by role: ``nodes`` (the private subnets, one per zone, in ``zones`` order; file systems use
    them too) and ``public`` (the one that holds the NAT gateway; no node runs there)."""
    zone_subnets: dict[str, ec2.Subnet]
    """The private subnet of each zone (zone name -> subnet): where a pool of that zone goes."""
    security_group: ec2.SecurityGroup
    """Allows all traffic to and from itself (EFA) and all egress."""

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:aws:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        private_cidrs, public_cidr = address_plan(args.cidr, args.zones, component_error_name(self, name))
        tags = dict(args.tags)

        self.network = ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            region=args.region,
            tags=with_name(tags, name),
            opts=child,
        )
        self.zone_subnets = {
            zone: ec2.Subnet(
                f"{name}-private-{zone}",
                vpc_id=self.network.id,
                cidr_block=cidr,
                availability_zone=zone,
                map_public_ip_on_launch=False,
                region=args.region,
                tags={**with_name(tags, f"{name}-private-{zone}"), "kubernetes.io/role/internal-elb": "1"},
                opts=child,
            )
            for zone, cidr in private_cidrs.items()
        }
        public_subnet = ec2.Subnet(
            f"{name}-public",
            vpc_id=self.network.id,
            cidr_block=public_cidr,
            availability_zone=args.zones[0],
            map_public_ip_on_launch=False,
            region=args.region,
            tags={**with_name(tags, f"{name}-public"), "kubernetes.io/role/elb": "1"},
            opts=child,
        )
        gateway = ec2.InternetGateway(
            f"{name}-igw", vpc_id=self.network.id, region=args.region, tags=with_name(tags, name), opts=child
        )
        nat_address = ec2.Eip(
            f"{name}-nat-ip", domain="vpc", region=args.region, tags=with_name(tags, f"{name}-nat"), opts=child
        )
        nat = ec2.NatGateway(
            f"{name}-nat",
            allocation_id=nat_address.id,
            subnet_id=public_subnet.id,
            region=args.region,
            tags=with_name(tags, f"{name}-nat"),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[gateway]),
        )
        public_routes = ec2.RouteTable(
            f"{name}-public-routes",
            vpc_id=self.network.id,
            routes=[ec2.RouteTableRouteArgs(cidr_block=ANYWHERE, gateway_id=gateway.id)],
            region=args.region,
            tags=with_name(tags, f"{name}-public"),
            opts=child,
        )
        ec2.RouteTableAssociation(
            f"{name}-public-routes",
            subnet_id=public_subnet.id,
            route_table_id=public_routes.id,
            region=args.region,
            opts=child,
        )
        private_routes = ec2.RouteTable(
            f"{name}-private-routes",
            vpc_id=self.network.id,
            routes=[ec2.RouteTableRouteArgs(cidr_block=ANYWHERE, nat_gateway_id=nat.id)],
            region=args.region,
            tags=with_name(tags, f"{name}-private"),
            opts=child,
        )
        self.subnets = {"nodes": list(self.zone_subnets.values()), "public": [public_subnet]}
        for zone, subnet in self.zone_subnets.items():
            ec2.RouteTableAssociation(
                f"{name}-private-routes-{zone}",
                subnet_id=subnet.id,
                route_table_id=private_routes.id,
                region=args.region,
                opts=child,
            )
        self.security_group = ec2.SecurityGroup(
            f"{name}-efa",
            description="All traffic to and from itself (EFA OS-bypass), all egress",
            vpc_id=self.network.id,
            ingress=[
                ec2.SecurityGroupIngressArgs(
                    protocol="-1", from_port=0, to_port=0, self=True, description="all from itself (EFA)"
                )
            ],
            egress=[
                ec2.SecurityGroupEgressArgs(
                    protocol="-1", from_port=0, to_port=0, self=True, description="all to itself (EFA)"
                ),
                ec2.SecurityGroupEgressArgs(
                    protocol="-1", from_port=0, to_port=0, cidr_blocks=[ANYWHERE], description="all egress"
                ),
            ],
            region=args.region,
            tags=with_name(tags, f"{name}-efa"),
            opts=child,
        )
        register(self)
