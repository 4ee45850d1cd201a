"""``Network``: the resource group, the VNet, a subnet for the AKS nodes, a separate subnet for Azure Managed
Lustre, and a network security group on each subnet.

Managed Lustre needs a subnet of its own (it must not share the AKS node subnet); its clients reach it over
TCP 988 and 1019-1023, which the security rules allow from the node subnet and deny from the Internet.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import network as azure_network
from pulumi_azure_native import resources

from backbone.components.azure._common import require
from backbone.components.clouds import component_error_name
from backbone.components.outputs import register
from backbone.core.errors import ComponentArgumentError

__all__ = ["LUSTRE_PORTS", "Network", "NetworkArgs", "subnet_layout"]

# Ports Lustre clients and servers talk on (LNet 988, and 1019-1023 for the client's reserved ports).
LUSTRE_PORTS: tuple[str, ...] = ("988", "1019-1023")
FILESYSTEM_PREFIX = 24  # Managed Lustre asks for at least a /24 of its own


def subnet_layout(cidr: str) -> tuple[str, str]:
    """Default split of the VNet: the first half for nodes (pods use the overlay, not VNet addresses), the
    first /24 of the second half for the file system."""
    net = ipaddress.ip_network(cidr, strict=True)
    lower, upper = net.subnets(prefixlen_diff=1)
    filesystem = next(upper.subnets(new_prefix=max(FILESYSTEM_PREFIX, upper.prefixlen)))
    return str(lower), str(filesystem)


@dataclass(frozen=True)
class NetworkArgs:
    """Inputs of ``Network``."""

    location: str
    """Azure region, e.g. ``eastus``."""
    cidr: str = "10.0.0.0/16"
    """Address space of the VNet (IPv4, /20 or larger)."""
    node_subnet_cidr: str | None = None
    """Node subnet; default: the first half of ``cidr``."""
    filesystem_subnet_cidr: str | None = None
    """File-system subnet (at least /24); default: the first /24 of the second half of ``cidr``."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Azure tags on every resource."""

    def subnets(self, where: str = "Network") -> tuple[str, str]:
        """(node subnet, file-system subnet), checked: inside the VNet, apart, big enough."""
        default_nodes, default_fs = subnet_layout(self.cidr)
        nodes = self.node_subnet_cidr or default_nodes
        filesystem = self.filesystem_subnet_cidr or default_fs
        vnet = ipaddress.ip_network(self.cidr, strict=True)
        node_net = _network(where, "node_subnet_cidr", nodes)
        fs_net = _network(where, "filesystem_subnet_cidr", filesystem)
        for label, sub in (("node_subnet_cidr", node_net), ("filesystem_subnet_cidr", fs_net)):
            require(sub.version == 4 and sub.subnet_of(vnet),  # type: ignore[arg-type]
                    where, label, f"{sub} is not inside the VNet {vnet}: give a subnet of {vnet}")
        require(not node_net.overlaps(fs_net), where, "filesystem_subnet_cidr",
                f"{fs_net} overlaps the node subnet {node_net}: Managed Lustre needs a subnet of its own")
        require(fs_net.prefixlen <= FILESYSTEM_PREFIX, where, "filesystem_subnet_cidr",
                f"{fs_net} is smaller than a /{FILESYSTEM_PREFIX}: Managed Lustre needs /{FILESYSTEM_PREFIX} or larger")
        return nodes, filesystem


class Network(pulumi.ComponentResource):
    """Resource group, VNet, node subnet and file-system subnet, each subnet behind its own NSG."""

    resource_group: resources.ResourceGroup
    """The resource group every Backbone resource of the cluster lives in."""
    resource_group_name: pulumi.Output[str]
    """Its name."""
    network: azure_network.VirtualNetwork
    """The VNet."""
    subnets: dict[str, list[azure_network.Subnet]]
    """Subnets by role: ``nodes`` (AKS nodes) and ``filesystem`` (Managed Lustre), one each."""
    security_groups: dict[str, azure_network.NetworkSecurityGroup]
    """The NSG of each subnet, by the same roles."""

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:azure:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        try:
            node_cidr, fs_cidr = args.subnets(component_error_name(self, name))
        except ValueError as exc:  # the VNet's own CIDR
            raise ComponentArgumentError(component_error_name(self, name), "cidr", str(exc)) from None
        tags = dict(args.tags)

        self.resource_group = resources.ResourceGroup(f"{name}-rg", location=args.location, tags=tags, opts=child)
        self.resource_group_name = self.resource_group.name
        self.network = azure_network.VirtualNetwork(
            f"{name}-vnet",
            resource_group_name=self.resource_group.name,
            location=args.location,
            address_space=azure_network.AddressSpaceArgs(address_prefixes=[args.cidr]),
            tags=tags,
            opts=child,
        )
        lustre_in = [
            _rule("lustre-from-nodes", 100, "Inbound", "Allow", node_cidr, fs_cidr),
            _rule("lustre-within-filesystem", 110, "Inbound", "Allow", fs_cidr, fs_cidr),
            _rule("deny-internet", 4000, "Inbound", "Deny", "Internet", "*", protocol="*", ports=("*",)),
        ]
        lustre_out = [_rule("lustre-client-out", 100, "Outbound", "Allow", node_cidr, fs_cidr)]
        self.security_groups = {
            role: azure_network.NetworkSecurityGroup(
                f"{name}-{role}-nsg",
                resource_group_name=self.resource_group.name,
                location=args.location,
                security_rules=rules,
                tags=tags,
                opts=child,
            )
            for role, rules in (("nodes", lustre_out), ("filesystem", lustre_in))
        }
        subnets = {
            role: azure_network.Subnet(
                f"{name}-{role}",
                resource_group_name=self.resource_group.name,
                virtual_network_name=self.network.name,
                address_prefix=cidr,
                network_security_group=azure_network.NetworkSecurityGroupArgs(id=self.security_groups[role].id),
                opts=child,
            )
            for role, cidr in (("nodes", node_cidr), ("filesystem", fs_cidr))
        }
        self.subnets = {role: [subnet] for role, subnet in subnets.items()}
        register(self)

    @property
    def node_subnet(self) -> azure_network.Subnet:
        """The subnet of the AKS nodes."""
        return self.subnets["nodes"][0]

    @property
    def filesystem_subnet(self) -> azure_network.Subnet:
        """The subnet of Managed Lustre (never the node subnet)."""
        return self.subnets["filesystem"][0]


def _network(where: str, argument: str, cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(cidr, strict=True)
    except ValueError as exc:
        raise ComponentArgumentError(where, argument, f"{cidr!r} is not a network in CIDR form: {exc}") from None


def _rule(
    rule_name: str,
    priority: int,
    direction: str,
    access: str,
    source: str,
    destination: str,
    protocol: str = "Tcp",
    ports: tuple[str, ...] = LUSTRE_PORTS,
) -> azure_network.SecurityRuleArgs:
    every_port = ports == ("*",)
    return azure_network.SecurityRuleArgs(
        name=rule_name,
        priority=priority,
        direction=direction,
        access=access,
        protocol=protocol,
        source_address_prefix=source,
        source_port_range="*",
        destination_address_prefix=destination,
        destination_port_range="*" if every_port else None,
        destination_port_ranges=None if every_port else list(ports),
    )
