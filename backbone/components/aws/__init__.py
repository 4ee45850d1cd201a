"""Backbone's AWS components: ``AcceleratorCluster`` builds a whole cluster from a ``ClusterSpec``; the
others are the parts, each usable on its own in a platform team's program (see README.md here)."""

from backbone.components.aws.bucket import DatasetBucket, DatasetBucketArgs
from backbone.components.aws.cluster import AcceleratorCluster, cluster_zones
from backbone.components.aws.eks_cluster import DEFAULT_SYSTEM_INSTANCE_TYPE, EksCluster, EksClusterArgs
from backbone.components.aws.gpu_node_pool import GpuNodePool, GpuNodePoolArgs
from backbone.components.aws.lustre import LustreFileSystem, LustreFileSystemArgs
from backbone.components.aws.network import Network, NetworkArgs

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
