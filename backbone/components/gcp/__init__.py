"""GCP components: GKE GPU and TPU node pools, the VPCs their GPU NICs need, and the storage that feeds
them (Managed Lustre, Parallelstore, Cloud Storage). ``AcceleratorCluster`` wires a whole stack from its
spec; each piece is usable on its own. See ``components/gcp/README.md``."""

from backbone.components.gcp.accelerator_cluster import AcceleratorCluster
from backbone.components.gcp.dataset_bucket import DatasetBucket, DatasetBucketArgs
from backbone.components.gcp.gke_cluster import GkeCluster, GkeClusterArgs
from backbone.components.gcp.gpu_node_pool import GpuNodePool, GpuNodePoolArgs
from backbone.components.gcp.managed_lustre import ManagedLustre, ManagedLustreArgs
from backbone.components.gcp.network import Network, NetworkArgs, NodeNetwork
from backbone.components.gcp.parallelstore import Parallelstore, ParallelstoreArgs
from backbone.components.gcp.tpu_multislice import TpuMultislice, TpuMultisliceArgs
from backbone.components.gcp.tpu_node_pool import TpuNodePool, TpuNodePoolArgs

__all__ = [
    "AcceleratorCluster",
    "DatasetBucket",
    "DatasetBucketArgs",
    "GkeCluster",
    "GkeClusterArgs",
    "GpuNodePool",
    "GpuNodePoolArgs",
    "ManagedLustre",
    "ManagedLustreArgs",
    "Network",
    "NetworkArgs",
    "NodeNetwork",
    "Parallelstore",
    "ParallelstoreArgs",
    "TpuMultislice",
    "TpuMultisliceArgs",
    "TpuNodePool",
    "TpuNodePoolArgs",
]
