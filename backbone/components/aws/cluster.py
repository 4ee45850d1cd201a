"""``AcceleratorCluster``: a whole AWS accelerator cluster from a ``ClusterSpec`` (the ``backbone:cluster``
stack config): the network, the EKS cluster, one ``GpuNodePool`` per node pool, one ``LustreFileSystem``
per ``kind: lustre`` storage and one ``DatasetBucket`` per ``kind: bucket`` storage.

Zones: the network gets a private subnet in the cluster's zone and in every zone a pool or file system
names. EKS needs its control plane in two zones or more; when the stack names only one, a second zone of
the region is added for the control plane only (``a``, or ``b`` when the stack's zone is ``a``).
"""

from __future__ import annotations

from collections.abc import Callable

import pulumi
from pulumi_aws import ec2, eks, s3

from backbone.components.aws.bucket import DatasetBucket, DatasetBucketArgs
from backbone.components.aws.eks_cluster import DEFAULT_SYSTEM_INSTANCE_TYPE, EksCluster, EksClusterArgs
from backbone.components.aws.gpu_node_pool import GpuNodePool, GpuNodePoolArgs
from backbone.components.aws.lustre import LustreFileSystem, LustreFileSystemArgs, storage_capacity_gib
from backbone.components.aws.network import Network, NetworkArgs
from backbone.components.aws.runtime import FSX_CSI_DRIVER, AwsRuntime, AwsRuntimeArgs, eks_kubeconfig
from backbone.components.clouds import component_error_name, require_cloud
from backbone.components.outputs import register
from backbone.components.runtime import Volume, pool_needs
from backbone.components.spec import ClusterSpec, StorageSpec
from backbone.core.errors import ComponentArgumentError

__all__ = ["AcceleratorCluster", "cluster_zones"]

MIN_CONTROL_PLANE_ZONES = 2


def _storage_zone(spec: ClusterSpec, storage: StorageSpec) -> str:
    return storage.zone or spec.zone


def cluster_zones(spec: ClusterSpec) -> list[str]:
    """Zones that get a private subnet: the cluster's, the pools' and the file systems', plus a second zone
    for the EKS control plane where the stack names only one."""
    zones = [spec.zone]
    for pool in spec.node_pools:
        zones.extend(pool.zones_in(spec.zone))
    zones.extend(_storage_zone(spec, s) for s in spec.storage if s.kind != "bucket")
    ordered = list(dict.fromkeys(zones))
    if len(ordered) < MIN_CONTROL_PLANE_ZONES:
        first = f"{spec.region}a"
        ordered.append(f"{spec.region}b" if ordered[0] == first else first)
    return ordered


class AcceleratorCluster(pulumi.ComponentResource):
    """An EKS cluster with accelerator node pools, EFA, FSx for Lustre and dataset buckets."""

    network: ec2.Vpc
    """The VPC."""
    subnets: dict[str, list[ec2.Subnet]]
    """Subnets by role: ``nodes`` (the private subnets, one per zone) and ``public`` (NAT only)."""
    zone_subnets: dict[str, ec2.Subnet]
    """The private subnet of each zone (zone name -> subnet)."""
    security_group: ec2.SecurityGroup
    """The security group of nodes, control plane interfaces and file systems (all traffic within itself)."""
    cluster: eks.Cluster
    """The EKS cluster."""
    pools: dict[str, GpuNodePool]
    """Node pools by pool name."""
    filesystems: dict[str, LustreFileSystem]
    """FSx for Lustre file systems by storage name."""
    buckets: dict[str, s3.Bucket]
    """Dataset buckets (``kind: bucket``) by storage name."""
    runtime: AwsRuntime | None
    """The Kubernetes runtime layer (device plugins, EFA to pods, FSx CSI and volumes); None when turned off."""

    def __init__(self, name: str, spec: ClusterSpec, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:aws:AcceleratorCluster", name, None, opts)
        require_cloud(self, name, "aws", spec.cloud)
        where = component_error_name(self, name)
        child = pulumi.ResourceOptions(parent=self)
        tags = {**spec.tags, "backbone.dev/cluster": spec.name}
        region = spec.region

        network = Network(
            f"{name}-network", NetworkArgs(zones=cluster_zones(spec), cidr=spec.network.cidr, region=region, tags=tags),
            opts=child,
        )
        self.network, self.subnets, self.zone_subnets = network.network, network.subnets, network.zone_subnets
        self.security_group = network.security_group
        security_groups = [self.security_group.id]
        eks_cluster = EksCluster(
            f"{name}-eks",
            EksClusterArgs(
                subnet_ids=[s.id for s in self.subnets["nodes"]],
                security_group_ids=security_groups,
                private_api=spec.network.private_api,
                kubernetes_version=spec.kubernetes_version,
                system_instance_type=spec.system_pool.instance_type or DEFAULT_SYSTEM_INSTANCE_TYPE,
                system_nodes=spec.system_pool.nodes,
                region=region,
                tags=tags,
            ),
            opts=child,
        )
        self.cluster = eks_cluster.cluster
        self.pools = {
            pool.name: GpuNodePool(
                f"{name}-{pool.name}",
                GpuNodePoolArgs(
                    cluster_name=self.cluster.name,
                    node_role_arn=eks_cluster.node_role_arn,
                    subnet_ids=[self.zone_subnets[zone].id for zone in pool.zones_in(spec.zone)],
                    security_group_ids=security_groups,
                    instance_type=pool.instance_type,
                    purpose=pool.purpose,
                    pool_name=pool.name,
                    min_nodes=pool.min_nodes,
                    max_nodes=pool.max_nodes,
                    capacity=pool.capacity,
                    reservation=pool.reservation,
                    gpu_driver=spec.gpu_driver,
                    labels=pool.labels,
                    kubernetes_version=spec.kubernetes_version,
                    region=region,
                    tags=tags,
                ),
                opts=child,
            )
            for pool in spec.node_pools
        }
        self.filesystems = {}
        self.buckets = {}
        builders: dict[str, Callable[[StorageSpec], None]] = {
            "lustre": lambda storage: self._lustre(name, spec, storage, security_groups, tags),
            "bucket": lambda storage: self._bucket(name, storage, region, tags),
        }
        for index, storage in enumerate(spec.storage):
            build = builders.get(storage.kind)
            if build is None:
                raise ComponentArgumentError(
                    where, f"spec.storage[{index}].kind",
                    f"{storage.kind!r} is not offered on aws; offered: {', '.join(builders)}",
                )
            build(storage)
        # add-on controllers run on the system nodes: install them once those exist
        self.runtime = self._runtime(name, spec, tags, eks_cluster.system_pool) if spec.runtime else None
        register(self)

    def _runtime(self, name: str, spec: ClusterSpec, tags: dict[str, str], system_pool: eks.NodeGroup) -> AwsRuntime:
        volumes = []
        for storage in spec.storage:
            fs = self.filesystems.get(storage.name)
            if fs is None:
                continue
            assert storage.capacity_tib is not None  # the spec requires it for file systems
            gib, _ = storage_capacity_gib(storage.capacity_tib, storage.tier("aws"))
            volumes.append(Volume(storage.name, FSX_CSI_DRIVER, fs.filesystem.id, gib,
                                  {"dnsname": fs.filesystem.dns_name, "mountname": fs.filesystem.mount_name}))
        return AwsRuntime(f"{name}-runtime", AwsRuntimeArgs(
            kubeconfig=eks_kubeconfig(self.cluster, spec.region), cluster_name=self.cluster.name,
            pools=pool_needs(spec), volumes=volumes, gpu_driver=spec.gpu_driver, region=spec.region, tags=tags,
        ), pulumi.ResourceOptions(parent=self, depends_on=[system_pool]))

    def _lustre(self, name: str, spec: ClusterSpec, storage: StorageSpec,
                security_groups: list[pulumi.Output[str]], tags: dict[str, str]) -> None:
        assert storage.capacity_tib is not None  # the spec requires it for file systems
        self.filesystems[storage.name] = LustreFileSystem(
            f"{name}-{storage.name}",
            LustreFileSystemArgs(
                subnet_id=self.zone_subnets[_storage_zone(spec, storage)].id,
                security_group_ids=security_groups,
                capacity_tib=storage.capacity_tib,
                throughput_mbps_per_tib=storage.tier("aws"),
                import_path=storage.import_path,
                region=spec.region,
                tags=tags,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _bucket(self, name: str, storage: StorageSpec, region: str, tags: dict[str, str]) -> None:
        bucket = DatasetBucket(
            f"{name}-{storage.name}", DatasetBucketArgs(region=region, tags=tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.buckets[storage.name] = bucket.bucket
