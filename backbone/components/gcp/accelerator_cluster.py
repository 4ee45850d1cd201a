"""``AcceleratorCluster``: a whole stack's GCP resources from its ``backbone:cluster`` spec — the network
(with the VPCs its GPU NICs need), the GKE cluster, one GPU or TPU pool per node pool, and the storage."""

from __future__ import annotations

import pulumi
from pulumi_gcp import compute, container, storage

from backbone.components.clouds import require_cloud
from backbone.components.gcp._facts import nic_fabric
from backbone.components.gcp._labels import resource_labels
from backbone.components.gcp.dataset_bucket import DatasetBucket, DatasetBucketArgs
from backbone.components.gcp.gke_cluster import DEFAULT_SYSTEM_MACHINE_TYPE, GkeCluster, GkeClusterArgs
from backbone.components.gcp.gpu_node_pool import GpuNodePool, GpuNodePoolArgs
from backbone.components.gcp.managed_lustre import ManagedLustre, ManagedLustreArgs, lustre_filesystem_name
from backbone.components.gcp.network import Network, NetworkArgs
from backbone.components.gcp.parallelstore import Parallelstore, ParallelstoreArgs
from backbone.components.gcp.runtime import (
    LUSTRE_CSI_DRIVER,
    PARALLELSTORE_CSI_DRIVER,
    GcpRuntime,
    GcpRuntimeArgs,
    GpuNic,
    gke_kubeconfig,
)
from backbone.components.gcp.tpu_multislice import TpuMultislice, TpuMultisliceArgs
from backbone.components.gcp.tpu_node_pool import TpuNodePool, TpuNodePoolArgs
from backbone.components.outputs import register
from backbone.components.runtime import Volume, pool_needs
from backbone.components.spec import ClusterSpec, NodePoolSpec, StorageSpec

__all__ = ["AcceleratorCluster"]

FILE_SYSTEM_KINDS = ("lustre", "parallelstore")


class AcceleratorCluster(pulumi.ComponentResource):
    """Everything one GCP stack provisions, wired from its spec."""

    network: compute.Network
    """The host VPC (the GPU NIC networks are children of the ``Network`` component)."""
    subnets: dict[str, list[compute.Subnetwork]]
    """Subnets by role: ``nodes`` (the host subnet of the GKE nodes)."""
    cluster: container.Cluster
    """The GKE cluster (with its system pool)."""
    pools: dict[str, GpuNodePool | TpuNodePool | TpuMultislice]
    """Accelerator pools by their spec name."""
    filesystems: dict[str, ManagedLustre | Parallelstore]
    """Managed Lustre and Parallelstore file systems by storage name."""
    buckets: dict[str, storage.Bucket]
    """Dataset buckets (``kind: bucket``) by storage name."""
    runtime: GcpRuntime | None
    """The Kubernetes runtime layer (GPU NIC network objects, NCCL plugin, volumes); None when turned off."""

    def __init__(self, name: str, spec: ClusterSpec, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:gcp:AcceleratorCluster", name, None, opts)
        require_cloud(self, name, "gcp", spec.cloud)
        child = pulumi.ResourceOptions(parent=self)
        project = pulumi.Config("gcp").get("project")
        labels = resource_labels(spec.tags, spec.name)
        kinds = {s.kind for s in spec.storage}
        fabrics: dict[str, int] = {}
        for pool in spec.node_pools:
            row = spec.instance(pool)
            if row.tpu is None and nic_fabric(row.fabric) is not None and row.fabric_nics:
                fabrics[row.fabric] = max(fabrics.get(row.fabric, 0), row.fabric_nics)

        network = Network(f"{name}-network", NetworkArgs(
            region=spec.region, zone=spec.zone, cidr=spec.network.cidr, gpu_fabrics=fabrics,
            private_service_access=any(k in FILE_SYSTEM_KINDS for k in kinds), project=project,
            labels=labels, name_prefix=spec.name,
        ), child)
        gke = GkeCluster(f"{name}-gke", GkeClusterArgs(
            region=spec.region, zones=[spec.zone], network=network.network.id,
            subnetwork=network.subnets["nodes"][0].id, pods_range=network.pods_range,
            services_range=network.services_range, multi_networking=bool(fabrics),
            private_endpoint=spec.network.private_api, kubernetes_version=spec.kubernetes_version,
            storage_kinds=kinds, system_machine_type=spec.system_pool.instance_type or DEFAULT_SYSTEM_MACHINE_TYPE,
            system_nodes=spec.system_pool.nodes, project=project, cluster_name=spec.name,
            resource_labels=labels,
        ), child)
        self.network, self.subnets, self.cluster = network.network, network.subnets, gke.cluster
        self.pools = {p.name: self._pool(name, spec, p, project, network, child) for p in spec.node_pools}
        self.filesystems = {s.name: self._file_system(name, spec, s, project, network, labels, child)
                            for s in spec.storage if s.kind != "bucket"}
        self.buckets = {
            s.name: DatasetBucket(f"{name}-{s.name}", DatasetBucketArgs(region=spec.region, labels=labels,
                                                                          project=project), child).bucket
            for s in spec.storage if s.kind == "bucket"
        }
        # add-on controllers run on the system nodes: install them once those exist
        self.runtime = self._runtime(name, spec, network, gke.system_pool) if spec.runtime else None
        register(self)

    def _runtime(self, name: str, spec: ClusterSpec, network: Network, system_pool: container.NodePool) -> GcpRuntime:
        gpu_networks = {
            fabric: [GpuNic(n.network, n.subnetwork, n.role) for n in nets]
            for fabric, nets in network.gpu_networks.items()
        }
        return GcpRuntime(f"{name}-runtime", GcpRuntimeArgs(
            kubeconfig=gke_kubeconfig(self.cluster), pools=pool_needs(spec), gpu_networks=gpu_networks,
            volumes=[_volume(storage_name, fs) for storage_name, fs in self.filesystems.items()],
            gpu_driver=spec.gpu_driver,
        ), pulumi.ResourceOptions(parent=self, depends_on=[system_pool]))

    def _pool(self, name: str, spec: ClusterSpec, pool: NodePoolSpec, project: str | None, network: Network,
              child: pulumi.ResourceOptions) -> GpuNodePool | TpuNodePool | TpuMultislice:
        row = spec.instance(pool)
        cluster = self.cluster.id
        zones = pool.zones_in(spec.zone)
        if row.tpu is not None:
            assert pool.tpu_topology is not None  # the spec requires it for TPU machine types
            one_slice = TpuNodePoolArgs(
                cluster=cluster, location=spec.region, zone=zones[0], machine_type=row.instance_type,
                topology=pool.tpu_topology, scale_to_zero=pool.min_nodes == 0, purpose=pool.purpose,
                pool_name=pool.name, labels=pool.labels, project=project, capacity=pool.capacity,
                reservation=pool.reservation, queued_provisioning=pool.queued_provisioning,
            )
            if pool.slices > 1:
                return TpuMultislice(f"{name}-{pool.name}", TpuMultisliceArgs(one_slice, pool.slices), child)
            return TpuNodePool(f"{name}-{pool.name}", one_slice, child)
        return GpuNodePool(f"{name}-{pool.name}", GpuNodePoolArgs(
            cluster=cluster, location=spec.region, zones=zones, machine_type=row.instance_type,
            min_nodes=pool.min_nodes, max_nodes=pool.max_nodes, purpose=pool.purpose, pool_name=pool.name,
            gpu_networks=network.gpu_networks.get(row.fabric, []),
            gpu_driver=spec.gpu_driver, labels=pool.labels, project=project, capacity=pool.capacity,
                reservation=pool.reservation, queued_provisioning=pool.queued_provisioning,
        ), child)

    @staticmethod
    def _file_system(name: str, spec: ClusterSpec, store: StorageSpec, project: str | None, network: Network,
                     labels: dict[str, str], child: pulumi.ResourceOptions) -> ManagedLustre | Parallelstore:
        zone = store.zone or spec.zone
        component = f"{name}-{store.name}"
        assert store.capacity_tib is not None  # the spec requires it for file systems
        if store.kind == "lustre":
            tier = store.tier("gcp")
            assert tier is not None  # the spec requires a tier the offering has
            return ManagedLustre(component, ManagedLustreArgs(
                zone=zone, network=network.network.id, capacity_tib=store.capacity_tib,
                throughput_mbps_per_tib=tier, service_access=network.service_access,
                filesystem_name=lustre_filesystem_name(store.name), labels=labels, project=project,
            ), child)
        return Parallelstore(component, ParallelstoreArgs(
            zone=zone, network=network.network.id, capacity_tib=store.capacity_tib,
            service_access=network.service_access, labels=labels, project=project,
        ), child)


def _volume(storage_name: str, fs: ManagedLustre | Parallelstore) -> Volume:
    """How GKE's CSI driver mounts a file system (its volume handle and attributes)."""
    if isinstance(fs, ManagedLustre):
        lustre = fs.filesystem
        handle = pulumi.Output.concat(lustre.project, "/", lustre.location, "/", lustre.instance_id)
        ip = lustre.mount_point.apply(lambda point: point.split("@", 1)[0])
        return Volume(storage_name, LUSTRE_CSI_DRIVER, handle, fs.capacity_gib,
                      {"ip": ip, "filesystem": lustre.filesystem})
    store = fs.filesystem
    handle = pulumi.Output.concat(store.project, "/", store.location, "/", store.instance_id,
                                  "/default-pool/default-container")
    return Volume(storage_name, PARALLELSTORE_CSI_DRIVER, handle, fs.capacity_gib, {
        "accessPoints": store.access_points.apply(",".join),
        "network": store.network.apply(lambda n: (n or "").rsplit("/", 1)[-1]),  # the VPC's name, not its path
    })
