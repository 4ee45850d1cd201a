"""``GkeCluster``: a regional GKE Standard cluster with private nodes, Dataplane V2, multi-networking where
its pools need additional node networks, the storage CSI drivers it needs, and a small system pool.

The network and subnet are given by name, id or self-link (``pulumi.Input[str]``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import container

from backbone.components.clouds import component_error_name
from backbone.components.outputs import register
from backbone.core.errors import ComponentArgumentError
from backbone.core.labels import node_labels

__all__ = ["GkeCluster", "GkeClusterArgs"]

DEFAULT_SYSTEM_MACHINE_TYPE = "e2-standard-4"
STORAGE_KINDS = ("lustre", "parallelstore", "bucket")


@dataclass(frozen=True)
class GkeClusterArgs:
    """Inputs of ``GkeCluster``."""

    region: str
    """Location of the (regional) control plane."""
    zones: Sequence[str]
    """Zones the system pool's nodes run in (the accelerator pools choose their own)."""
    network: pulumi.Input[str]
    """The host VPC (``Network.network.id``, or an existing VPC's name or self-link)."""
    subnetwork: pulumi.Input[str]
    """The host subnet, with the pods and services secondary ranges."""
    pods_range: str = "pods"
    """Secondary range of ``subnetwork`` for pod IPs."""
    services_range: str = "services"
    """Secondary range of ``subnetwork`` for service IPs."""
    multi_networking: bool = False
    """Enable GKE multi-networking (needed by pools with additional node networks: GPUDirect, RDMA)."""
    private_endpoint: bool = False
    """Control plane reachable only from the network (nodes are always private)."""
    kubernetes_version: str | None = None
    """Minimum control-plane version (``1.33``); default: the release channel's."""
    storage_kinds: Collection[str] = ()
    """Storage the pools mount (lustre, parallelstore, bucket): turns on the matching CSI drivers."""
    system_machine_type: str = DEFAULT_SYSTEM_MACHINE_TYPE
    """Machine type of the system pool (cluster add-ons, no accelerator)."""
    system_nodes: int = 2
    """System pool nodes per zone."""
    project: str | None = None
    """Project id; enables Workload Identity (``<project>.svc.id.goog``) when known."""
    deletion_protection: bool = False
    """Refuse ``pulumi destroy`` of the cluster."""
    cluster_name: str | None = None
    """The cluster's name in GKE; default: the component name."""
    resource_labels: Mapping[str, str] = field(default_factory=dict)
    """GCP labels of the cluster."""


class GkeCluster(pulumi.ComponentResource):
    """The cluster and its system node pool; accelerator pools are separate components."""

    cluster: container.Cluster
    """The GKE cluster."""
    system_pool: container.NodePool
    """The CPU pool for cluster add-ons (``backbone.dev/purpose: system``)."""

    def __init__(self, name: str, args: GkeClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:gcp:GkeCluster", name, None, opts)
        where = component_error_name(self, name)
        unknown = sorted(set(args.storage_kinds) - set(STORAGE_KINDS))
        if unknown:
            raise ComponentArgumentError(where, "storage_kinds",
                                         f"unknown: {', '.join(unknown)}; known: {', '.join(STORAGE_KINDS)}")
        if args.system_nodes < 1:
            raise ComponentArgumentError(where, "system_nodes", f"must be 1 or more (got {args.system_nodes})")
        child = pulumi.ResourceOptions(parent=self)
        kinds = set(args.storage_kinds)
        self.cluster = container.Cluster(
            f"{name}-cluster",
            name=args.cluster_name or name,
            location=args.region,
            node_locations=list(args.zones),
            project=args.project,
            network=args.network,
            subnetwork=args.subnetwork,
            networking_mode="VPC_NATIVE",
            ip_allocation_policy=container.ClusterIpAllocationPolicyArgs(
                cluster_secondary_range_name=args.pods_range,
                services_secondary_range_name=args.services_range,
            ),
            datapath_provider="ADVANCED_DATAPATH",
            enable_multi_networking=args.multi_networking or None,
            private_cluster_config=container.ClusterPrivateClusterConfigArgs(
                enable_private_nodes=True,
                enable_private_endpoint=args.private_endpoint,
                master_global_access_config=container.ClusterPrivateClusterConfigMasterGlobalAccessConfigArgs(
                    enabled=True,
                ),
            ),
            remove_default_node_pool=True,
            initial_node_count=1,
            min_master_version=args.kubernetes_version,
            release_channel=container.ClusterReleaseChannelArgs(channel="REGULAR"),
            workload_identity_config=(
                container.ClusterWorkloadIdentityConfigArgs(workload_pool=f"{args.project}.svc.id.goog")
                if args.project else None
            ),
            addons_config=container.ClusterAddonsConfigArgs(
                gcs_fuse_csi_driver_config=container.ClusterAddonsConfigGcsFuseCsiDriverConfigArgs(
                    enabled="bucket" in kinds),
                lustre_csi_driver_config=container.ClusterAddonsConfigLustreCsiDriverConfigArgs(
                    enabled="lustre" in kinds),
                parallelstore_csi_driver_config=container.ClusterAddonsConfigParallelstoreCsiDriverConfigArgs(
                    enabled="parallelstore" in kinds),
            ),
            resource_labels=dict(args.resource_labels) or None,
            deletion_protection=args.deletion_protection,
            opts=child,
        )
        self.system_pool = container.NodePool(
            f"{name}-system",
            name="system",
            cluster=self.cluster.id,
            location=args.region,
            node_locations=list(args.zones),
            project=args.project,
            node_count=args.system_nodes,
            node_config=container.NodePoolNodeConfigArgs(
                machine_type=args.system_machine_type,
                labels=node_labels("system", "system"),
                oauth_scopes=["https://www.googleapis.com/auth/cloud-platform"],
                shielded_instance_config=container.NodePoolNodeConfigShieldedInstanceConfigArgs(
                    enable_secure_boot=True, enable_integrity_monitoring=True),
            ),
            management=container.NodePoolManagementArgs(auto_repair=True, auto_upgrade=True),
            opts=child,
        )
        register(self)
