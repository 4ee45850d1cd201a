"""``AcceleratorCluster``: a whole Azure stack from a ``ClusterSpec`` (what ``backbone.components.program`` builds):
network, AKS with its system pool, one GPU agent pool per node pool, Managed Lustre per ``lustre`` storage,
a Blob container per ``bucket``."""

from __future__ import annotations

import pulumi
from pulumi_azure_native import containerservice, resources, storage
from pulumi_azure_native import network as azure_network

from backbone.components.azure._common import require
from backbone.components.azure._facts import CLUSTER_TAG
from backbone.components.azure.aks_cluster import DEFAULT_SYSTEM_VM_SIZE, AksCluster, AksClusterArgs
from backbone.components.azure.dataset_container import DatasetContainer, DatasetContainerArgs
from backbone.components.azure.gpu_agent_pool import GpuAgentPool, GpuAgentPoolArgs
from backbone.components.azure.managed_lustre import ManagedLustre, ManagedLustreArgs
from backbone.components.azure.network import Network, NetworkArgs
from backbone.components.azure.runtime import (
    AMLFS_FS_NAME,
    AZURE_LUSTRE_CSI_DRIVER,
    AzureRuntime,
    AzureRuntimeArgs,
    aks_kubeconfig,
)
from backbone.components.clouds import component_error_name, require_cloud
from backbone.components.outputs import register
from backbone.components.runtime import Volume, pool_needs
from backbone.components.spec import ClusterSpec, StorageSpec

__all__ = ["AcceleratorCluster"]


class AcceleratorCluster(pulumi.ComponentResource):
    """Everything one ``backbone:cluster`` declares, on Azure."""

    resource_group: resources.ResourceGroup
    """The resource group of every resource of the cluster."""
    network: azure_network.VirtualNetwork
    """The VNet."""
    subnets: dict[str, list[azure_network.Subnet]]
    """Subnets by role: ``nodes`` (AKS nodes) and ``filesystem`` (Managed Lustre, never the nodes')."""
    cluster: containerservice.ManagedCluster
    """The AKS cluster (with its system pool)."""
    pools: dict[str, GpuAgentPool]
    """GPU agent pools by Backbone pool name."""
    filesystems: dict[str, ManagedLustre]
    """Managed Lustre file systems by storage name."""
    buckets: dict[str, storage.BlobContainer]
    """Blob containers (``kind: bucket``) by storage name."""
    runtime: AzureRuntime | None
    """The Kubernetes runtime layer (device plugin, Network Operator, Lustre CSI and volumes); None when off."""

    def __init__(self, name: str, spec: ClusterSpec, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:azure:AcceleratorCluster", name, None, opts)
        require_cloud(self, name, "azure", spec.cloud)
        where = component_error_name(self, name)
        child = pulumi.ResourceOptions(parent=self)
        tags = {**spec.tags, CLUSTER_TAG: spec.name}

        network = Network(
            f"{name}-network", NetworkArgs(location=spec.region, cidr=spec.network.cidr, tags=tags), child
        )
        self.resource_group, self.network, self.subnets = network.resource_group, network.network, network.subnets
        rg = network.resource_group_name
        node_subnet_id = network.node_subnet.id
        aks = AksCluster(
            f"{name}-aks",
            AksClusterArgs(
                resource_group_name=rg,
                location=spec.region,
                node_subnet_id=node_subnet_id,
                vnet_cidr=spec.network.cidr,
                zones=[spec.zone],
                private_api=spec.network.private_api,
                kubernetes_version=spec.kubernetes_version,
                system_vm_size=spec.system_pool.instance_type or DEFAULT_SYSTEM_VM_SIZE,
                system_nodes=spec.system_pool.nodes,
                tags=tags,
            ),
            child,
        )
        self.cluster = aks.cluster
        self.pools = {
            pool.name: GpuAgentPool(
                f"{name}-{pool.name}",
                GpuAgentPoolArgs(
                    cluster_name=aks.cluster_name,
                    resource_group_name=rg,
                    node_subnet_id=node_subnet_id,
                    vm_size=pool.instance_type,
                    pool_name=pool.name,
                    purpose=pool.purpose,
                    min_nodes=pool.min_nodes,
                    max_nodes=pool.max_nodes,
                    zones=pool.zones_in(spec.zone),
                    capacity=pool.capacity,
                    reservation=pool.reservation,
                    gpu_driver=spec.gpu_driver,
                    kubernetes_version=spec.kubernetes_version,
                    labels=pool.labels,
                    tags=tags,
                ),
                child,
            )
            for pool in spec.node_pools
        }
        self.filesystems = {}
        self.buckets = {}
        for index, item in enumerate(spec.storage):
            self._add_storage(name, where, spec, index, item, rg, tags, child)
        self.runtime = self._runtime(name, spec, rg, aks.cluster_name, child) if spec.runtime else None
        register(self)

    def _runtime(self, name: str, spec: ClusterSpec, rg: pulumi.Output[str], cluster_name: pulumi.Input[str],
                 child: pulumi.ResourceOptions) -> AzureRuntime:
        volumes = []
        for item in spec.storage:
            fs = self.filesystems.get(item.name)
            if fs is None or item.capacity_tib is None:
                continue
            mgs = fs.filesystem.client_info.apply(lambda info: info.mgs_address if info else "")
            volumes.append(Volume(item.name, AZURE_LUSTRE_CSI_DRIVER, pulumi.Output.concat(item.name, "#", mgs),
                                  fs.capacity_gib, {"mgs-ip-address": mgs, "fs-name": AMLFS_FS_NAME}))
        return AzureRuntime(f"{name}-runtime", AzureRuntimeArgs(
            kubeconfig=aks_kubeconfig(rg, cluster_name), pools=pool_needs(spec), volumes=volumes,
            gpu_driver=spec.gpu_driver,
        ), child)

    def _add_storage(self, name: str, where: str, spec: ClusterSpec, index: int, item: StorageSpec,
                     rg: pulumi.Output[str], tags: dict[str, str], child: pulumi.ResourceOptions) -> None:
        if item.kind == "bucket":
            self.buckets[item.name] = DatasetContainer(
                f"{name}-{item.name}",
                DatasetContainerArgs(resource_group_name=rg, location=spec.region, container_name=item.name,
                                     tags=tags),
                child,
            ).bucket
            return
        require(item.kind == "lustre", where, f"spec.storage[{index}].kind",
                f"{item.kind!r} is not offered on Azure; use lustre (Managed Lustre) or bucket (Blob)")
        tier = item.tier("azure")
        require(tier is not None and item.capacity_tib is not None, where, f"spec.storage[{index}]",
                "Managed Lustre needs capacityTiB and throughputMBpsPerTiB")
        assert tier is not None and item.capacity_tib is not None
        self.filesystems[item.name] = ManagedLustre(
            f"{name}-{item.name}",
            ManagedLustreArgs(
                resource_group_name=rg,
                location=spec.region,
                filesystem_subnet_id=self.subnets["filesystem"][0].id,
                zone=item.zone or spec.zone,
                capacity_tib=item.capacity_tib,
                throughput_mbps_per_tib=tier,
                tags=tags,
            ),
            child,
        )
