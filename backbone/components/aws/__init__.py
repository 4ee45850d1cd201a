"""Backbone's AWS components: ``AcceleratorCluster`` builds a whole cluster from a ``ClusterSpec``; the
others are the parts, each usable on its own in a platform team's program (see README.md here).

The names load on first use, so that this package (and its ``_facts``) imports without the provider SDK;
without it, a component is a ``MissingExtra`` naming ``backbone[aws]``."""

from typing import TYPE_CHECKING

from backbone.components._lazy import exports

if TYPE_CHECKING:
    from backbone.components.aws.bucket import DatasetBucket, DatasetBucketArgs
    from backbone.components.aws.cluster import AcceleratorCluster, cluster_zones
    from backbone.components.aws.eks_cluster import DEFAULT_SYSTEM_INSTANCE_TYPE, EksCluster, EksClusterArgs
    from backbone.components.aws.gpu_node_pool import GpuNodePool, GpuNodePoolArgs
    from backbone.components.aws.lustre import LustreFileSystem, LustreFileSystemArgs
    from backbone.components.aws.network import Network, NetworkArgs

_MODULES = {
    "AcceleratorCluster": "backbone.components.aws.cluster",
    "DEFAULT_SYSTEM_INSTANCE_TYPE": "backbone.components.aws.eks_cluster",
    "DatasetBucket": "backbone.components.aws.bucket",
    "DatasetBucketArgs": "backbone.components.aws.bucket",
    "EksCluster": "backbone.components.aws.eks_cluster",
    "EksClusterArgs": "backbone.components.aws.eks_cluster",
    "GpuNodePool": "backbone.components.aws.gpu_node_pool",
    "GpuNodePoolArgs": "backbone.components.aws.gpu_node_pool",
    "LustreFileSystem": "backbone.components.aws.lustre",
    "LustreFileSystemArgs": "backbone.components.aws.lustre",
    "Network": "backbone.components.aws.network",
    "NetworkArgs": "backbone.components.aws.network",
    "cluster_zones": "backbone.components.aws.cluster",
}
__all__ = [
    "DEFAULT_SYSTEM_INSTANCE_TYPE",
    "AcceleratorCluster",
    "DatasetBucket",
    "DatasetBucketArgs",
    "EksCluster",
    "EksClusterArgs",
    "GpuNodePool",
    "GpuNodePoolArgs",
    "LustreFileSystem",
    "LustreFileSystemArgs",
    "Network",
    "NetworkArgs",
    "cluster_zones",
]
__getattr__, __dir__ = exports(__name__, "aws", _MODULES)
