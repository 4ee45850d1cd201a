"""``Network``: the host VPC and subnet of a GKE cluster, plus the VPCs and subnets its GPU NICs need."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

import pulumi
from pulumi_gcp import compute, servicenetworking

from backbone.components.clouds import component_error_name
from backbone.components.gcp._facts import FABRIC_SHORT, NicFabric, nic_fabric
from backbone.components.outputs import register
from backbone.core.errors import ComponentArgumentError

__all__ = ["Network", "NetworkArgs", "NodeNetwork"]

PODS_RANGE, SERVICES_RANGE = "pods", "services"
GPU_SUBNET_PREFIX = 21  # 2,043 usable addresses: one per node on each GPU NIC subnet
LUSTRE_PORT = "988"  # Managed Lustre servers reach their clients on TCP 988


@dataclass(frozen=True)
class NetworkArgs:
    """Inputs of ``Network``."""

    region: str
    """Region of the subnets (and of the cluster)."""
    zone: str
    """Zone of the GPU pools; RDMA VPCs are bound to it through their network profile."""
    cidr: str = "10.0.0.0/16"
    """Host address space: nodes get its first quarter, services the next eighth, pods its upper half."""
    gpu_fabrics: Mapping[str, int] = field(default_factory=dict)
    """GPU fabric (catalog ``fabric``) -> GPU NICs per node (catalog ``fabric_nics``) to build networks for."""
    gpu_nic_cidr: str = "192.168.0.0/16"
    """Address space the GPU NIC subnets are carved from (one /21 each)."""
    private_service_access: bool = False
    """Reserve a range and peer it with Google services (Managed Lustre and Parallelstore need it)."""
    psa_cidr: str = "172.16.0.0/20"
    """The range reserved for private service access."""
    project: str | None = None
    """Project id, for the RDMA network profile URL; default: the provider's project."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """GCP labels on the resources that take them."""
    name_prefix: str | None = None
    """Prefix of the VPC, subnet and firewall names (at most 40 characters); default: the component name."""


@dataclass(frozen=True)
class NodeNetwork:
    """One additional node network of a GKE node pool: a VPC and one of its subnets, each by name, id or
    self-link (so existing networks can be given without ``Network.get``)."""

    network: pulumi.Input[str]
    """The VPC."""
    subnetwork: pulumi.Input[str]
    """The subnet of that VPC in the pool's region."""
    role: Literal["gpu", "gvnic"]
    """gpu: a GPU NIC's network; gvnic: an extra regular network the machine needs (A3 Ultra)."""


class Network(pulumi.ComponentResource):
    """A host VPC with a node subnet (pods and services as secondary ranges), Cloud NAT for private nodes,
    optional private service access, and per GPU fabric the VPCs and subnets its NICs attach to."""

    network: compute.Network
    """The host VPC."""
    subnets: dict[str, list[compute.Subnetwork]]
    """Subnets by role: ``nodes`` (the host subnet the nodes' first NIC uses; GPU NIC subnets are in
    ``gpu_networks``)."""
    pods_range: str
    """Name of the host subnet's secondary range for pods."""
    services_range: str
    """Name of the host subnet's secondary range for services."""
    gpu_networks: dict[str, list[NodeNetwork]]
    """Per fabric, the node networks a pool of that fabric attaches, in NIC order."""
    service_access: servicenetworking.Connection | None
    """The private service access peering (None unless requested)."""

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:gcp:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self._prefix = args.name_prefix or name
        host = ipaddress.ip_network(args.cidr)
        lower, upper = host.subnets(prefixlen_diff=1)
        nodes, rest = lower.subnets(prefixlen_diff=1)
        services = next(rest.subnets(prefixlen_diff=1))

        self.network = compute.Network(
            f"{name}-vpc", name=f"{self._prefix}-vpc", auto_create_subnetworks=False, routing_mode="REGIONAL",
            project=args.project, opts=child,
        )
        subnet = compute.Subnetwork(
            f"{name}-nodes", name=f"{self._prefix}-nodes", network=self.network.id, region=args.region,
            ip_cidr_range=str(nodes), private_ip_google_access=True, project=args.project,
            secondary_ip_ranges=[
                compute.SubnetworkSecondaryIpRangeArgs(range_name=PODS_RANGE, ip_cidr_range=str(upper)),
                compute.SubnetworkSecondaryIpRangeArgs(range_name=SERVICES_RANGE, ip_cidr_range=str(services)),
            ],
            opts=child,
        )
        self.subnets = {"nodes": [subnet]}
        self.pods_range, self.services_range = PODS_RANGE, SERVICES_RANGE
        router = compute.Router(
            f"{name}-router", name=f"{self._prefix}-router", network=self.network.id, region=args.region,
            project=args.project, opts=child,
        )
        compute.RouterNat(
            f"{name}-nat", name=f"{self._prefix}-nat", router=router.name, region=args.region, project=args.project,
            nat_ip_allocate_option="AUTO_ONLY",
            source_subnetwork_ip_ranges_to_nat="ALL_SUBNETWORKS_ALL_IP_RANGES", opts=child,
        )
        self.service_access = self._service_access(name, args, child) if args.private_service_access else None

        gpu_ranges = ipaddress.ip_network(args.gpu_nic_cidr).subnets(new_prefix=GPU_SUBNET_PREFIX)
        self.gpu_networks = {}
        for fabric_name, nics in sorted(args.gpu_fabrics.items()):
            fabric = nic_fabric(fabric_name)
            if fabric is None:
                raise ComponentArgumentError(component_error_name(self, name), "gpu_fabrics",
                                             f"fabric {fabric_name!r} needs no GPU NIC networks on GKE")
            self.gpu_networks[fabric_name] = self._gpu_networks(name, args, fabric, nics, gpu_ranges, child)

        register(self)

    def _service_access(self, name: str, args: NetworkArgs,
                        child: pulumi.ResourceOptions) -> servicenetworking.Connection:
        psa = ipaddress.ip_network(args.psa_cidr)
        reserved = compute.GlobalAddress(
            f"{name}-psa-range", name=f"{self._prefix}-psa-range", network=self.network.id, purpose="VPC_PEERING",
            address_type="INTERNAL", address=str(psa.network_address), prefix_length=psa.prefixlen,
            project=args.project, labels=dict(args.labels) or None, opts=child,
        )
        compute.Firewall(
            f"{name}-lustre", name=f"{self._prefix}-lustre", network=self.network.id, direction="INGRESS",
            source_ranges=[str(psa)], allows=[compute.FirewallAllowArgs(protocol="tcp", ports=[LUSTRE_PORT])],
            project=args.project, opts=child,
        )
        return servicenetworking.Connection(
            f"{name}-psa", network=self.network.id, service="servicenetworking.googleapis.com",
            reserved_peering_ranges=[reserved.name], opts=child,
        )

    def _gpu_networks(self, name: str, args: NetworkArgs, fabric: NicFabric, nics: int,
                      ranges: Iterator[ipaddress.IPv4Network | ipaddress.IPv6Network],
                      child: pulumi.ResourceOptions) -> list[NodeNetwork]:
        short = FABRIC_SHORT.get(fabric.fabric, fabric.fabric)
        out: list[NodeNetwork] = []
        for i in range(fabric.extra_gvnic_networks):
            out.append(self._vpc_and_subnet(name, f"{short}-gvnic-{i}", args, fabric.mtu, True,
                                            next(ranges), "gvnic", child))
        if fabric.vpc_per_nic:
            for i in range(nics):
                out.append(self._vpc_and_subnet(name, f"{short}-{i}", args, fabric.mtu, fabric.firewall,
                                                next(ranges), "gpu", child))
            return out
        profile = None
        if fabric.network_profile is not None:
            profile_name = fabric.network_profile.format(zone=args.zone)
            profile = (f"projects/{args.project}/global/networkProfiles/{profile_name}" if args.project
                       else f"global/networkProfiles/{profile_name}")
        vpc = compute.Network(
            f"{name}-{short}", name=f"{self._prefix}-{short}", auto_create_subnetworks=False, mtu=fabric.mtu,
            network_profile=profile, project=args.project, opts=child,
        )
        for i in range(nics):
            sub = compute.Subnetwork(
                f"{name}-{short}-sub-{i}", name=f"{self._prefix}-{short}-sub-{i}", network=vpc.id,
                region=args.region, ip_cidr_range=str(next(ranges)), project=args.project, opts=child,
            )
            out.append(NodeNetwork(vpc.name, sub.name, "gpu"))
        return out

    def _vpc_and_subnet(self, name: str, suffix: str, args: NetworkArgs, mtu: int, firewall: bool,
                        cidr: ipaddress.IPv4Network | ipaddress.IPv6Network, role: Literal["gpu", "gvnic"],
                        child: pulumi.ResourceOptions) -> NodeNetwork:
        base, physical = f"{name}-{suffix}", f"{self._prefix}-{suffix}"
        vpc = compute.Network(
            f"{base}-vpc", name=f"{physical}-vpc", auto_create_subnetworks=False, mtu=mtu, project=args.project,
            opts=child,
        )
        sub = compute.Subnetwork(
            f"{base}-sub", name=f"{physical}-sub", network=vpc.id, region=args.region, ip_cidr_range=str(cidr),
            project=args.project, opts=child,
        )
        if firewall:
            compute.Firewall(
                f"{base}-internal", name=f"{physical}-internal", network=vpc.id, direction="INGRESS",
                source_ranges=[args.gpu_nic_cidr],
                allows=[compute.FirewallAllowArgs(protocol=p) for p in ("tcp", "udp", "icmp")],
                project=args.project, opts=child,
            )
        return NodeNetwork(vpc.name, sub.name, role)
