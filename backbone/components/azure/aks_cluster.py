"""``AksCluster``: an AKS cluster with a system-assigned managed identity, Azure CNI in overlay mode on the
node subnet, an optional private API server, and a small CPU system pool (mode ``System``).

Accelerator pools are separate ``GpuAgentPool`` components (``AgentPool`` resources), so each can scale,
upgrade and be replaced on its own, and the policy pack reads each pool from one resource.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import authorization, containerservice

from backbone.components.azure._common import require
from backbone.components.clouds import component_error_name
from backbone.components.outputs import register
from backbone.core.labels import node_labels

__all__ = [
    "DEFAULT_SYSTEM_VM_SIZE",
    "NETWORK_CONTRIBUTOR_ROLE",
    "AksCluster",
    "AksClusterArgs",
    "cluster_ranges",
]

# 4 vCPU / 16 GiB, premium storage and a local temp disk: enough for CoreDNS, metrics-server, konnectivity
# and the GPU operator / device plugin controllers, and offered in every region that offers ND or NC GPUs.
DEFAULT_SYSTEM_VM_SIZE = "Standard_D4ds_v5"
# The built-in "Network Contributor" role: AKS needs it on a subnet it does not own (load balancers, IPs).
NETWORK_CONTRIBUTOR_ROLE = "4d97b98b-1d4f-4787-a291-c67834d212e7"
# Pod (overlay) and service ranges to pick from: the first that does not overlap the VNet is used.
POD_CIDRS = ("192.168.0.0/16", "172.20.0.0/16", "10.244.0.0/16")
SERVICE_CIDRS = ("172.16.0.0/16", "172.17.0.0/16", "10.96.0.0/16")


def cluster_ranges(vnet_cidr: str) -> tuple[str, str, str]:
    """(pod CIDR, service CIDR, DNS service IP), none overlapping the VNet."""
    vnet = ipaddress.ip_network(vnet_cidr, strict=True)

    def first_free(candidates: Sequence[str]) -> str:
        for cidr in candidates:
            if not ipaddress.ip_network(cidr).overlaps(vnet):
                return cidr
        raise AssertionError("unreachable: the candidates do not all overlap one /20 or larger network")

    pods, services = first_free(POD_CIDRS), first_free(SERVICE_CIDRS)
    dns_ip = str(ipaddress.ip_network(services)[10])
    return pods, services, dns_ip


@dataclass(frozen=True)
class AksClusterArgs:
    """Inputs of ``AksCluster``."""

    resource_group_name: pulumi.Input[str]
    """Resource group of the cluster (``Network.resource_group_name``)."""
    location: str
    """Azure region."""
    node_subnet_id: pulumi.Input[str]
    """Subnet of the system pool's nodes (``Network.node_subnet.id``)."""
    vnet_cidr: str = "10.0.0.0/16"
    """Address space of the VNet, so pod and service ranges stay clear of it."""
    zones: Sequence[str] = ()
    """Zones of the system pool (default: no zone pinning)."""
    private_api: bool = False
    """API server reachable only from the VNet (private cluster)."""
    kubernetes_version: str | None = None
    """e.g. ``1.31``; default: the AKS default version."""
    system_vm_size: str = DEFAULT_SYSTEM_VM_SIZE
    """VM size of the system pool."""
    system_nodes: int = 2
    """Nodes of the system pool (AKS keeps at least one; two survive a node upgrade)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Azure tags."""

    def check(self, where: str) -> None:
        """Raises a ``ComponentArgumentError`` for an argument AKS would refuse."""
        require(self.system_nodes >= 1, where, "system_nodes",
                f"a system pool needs at least 1 node (got {self.system_nodes})")


class AksCluster(pulumi.ComponentResource):
    """An AKS cluster (managed identity, overlay networking, system pool) and its identity's subnet access."""

    cluster: containerservice.ManagedCluster
    """The AKS managed cluster."""
    cluster_name: pulumi.Output[str]
    """Its name (what ``GpuAgentPool`` attaches to)."""
    principal_id: pulumi.Output[str]
    """Object id of the cluster's system-assigned identity."""
    subnet_access: authorization.RoleAssignment
    """Network Contributor on the node subnet for the cluster's identity."""

    def __init__(self, name: str, args: AksClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:azure:AksCluster", name, None, opts)
        args.check(component_error_name(self, name))
        child = pulumi.ResourceOptions(parent=self)
        pod_cidr, service_cidr, dns_ip = cluster_ranges(args.vnet_cidr)
        system_pool = containerservice.ManagedClusterAgentPoolProfileArgs(
            name="system",
            mode="System",
            vm_size=args.system_vm_size,
            count=args.system_nodes,
            availability_zones=list(args.zones) or None,
            vnet_subnet_id=args.node_subnet_id,
            enable_node_public_ip=False,
            os_type="Linux",
            type="VirtualMachineScaleSets",
            orchestrator_version=args.kubernetes_version,
            node_labels=node_labels("system", "system"),
        )
        self.cluster = containerservice.ManagedCluster(
            f"{name}-cluster",
            resource_group_name=args.resource_group_name,
            location=args.location,
            dns_prefix=name,
            kubernetes_version=args.kubernetes_version,
            identity=containerservice.ManagedClusterIdentityArgs(type=containerservice.ResourceIdentityType.SYSTEM_ASSIGNED),
            enable_rbac=True,
            agent_pool_profiles=[system_pool],
            api_server_access_profile=containerservice.ManagedClusterAPIServerAccessProfileArgs(
                enable_private_cluster=args.private_api,
            ),
            network_profile=containerservice.ContainerServiceNetworkProfileArgs(
                network_plugin="azure",
                network_plugin_mode="overlay",
                pod_cidr=pod_cidr,
                service_cidr=service_cidr,
                dns_service_ip=dns_ip,
                load_balancer_sku="standard",
                outbound_type="loadBalancer",
            ),
            tags=dict(args.tags),
            opts=child,
        )
        self.cluster_name = self.cluster.name
        # The principal exists once the cluster does: tie it to the cluster's id so that a preview shows it
        # as unknown (as the provider would) rather than as a missing value.
        self.principal_id = pulumi.Output.all(self.cluster.id, self.cluster.identity).apply(
            lambda values: values[1].principal_id if values[1] else ""
        )
        role = pulumi.Output.from_input(args.node_subnet_id).apply(_network_contributor)
        self.subnet_access = authorization.RoleAssignment(
            f"{name}-subnet-access",
            principal_id=self.principal_id,
            principal_type="ServicePrincipal",
            role_definition_id=role,
            scope=args.node_subnet_id,
            opts=child,
        )
        register(self)


def _network_contributor(subnet_id: str) -> str:
    """The Network Contributor role definition id in the subnet's subscription."""
    subscription = subnet_id.split("/")[2] if subnet_id.startswith("/subscriptions/") else ""
    return f"/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{NETWORK_CONTRIBUTOR_ROLE}"
