"""GCP components: GKE GPU and TPU node pools, the VPCs their GPU NICs need, and the storage that feeds
them (Managed Lustre, Parallelstore, Cloud Storage). ``AcceleratorCluster`` wires a whole stack from its
spec; each piece is usable on its own. See ``components/gcp/README.md``."""

from components.gcp.accelerator_cluster import AcceleratorCluster
from components.gcp.dataset_bucket import DatasetBucket, DatasetBucketArgs
from components.gcp.gke_cluster import GkeCluster, GkeClusterArgs
from components.gcp.gpu_node_pool import GpuNodePool, GpuNodePoolArgs
from components.gcp.managed_lustre import ManagedLustre, ManagedLustreArgs
from components.gcp.network import Network, NetworkArgs, NodeNetwork
from components.gcp.parallelstore import Parallelstore, ParallelstoreArgs
from components.gcp.tpu_multislice import TpuMultislice, TpuMultisliceArgs
from components.gcp.tpu_node_pool import TpuNodePool, TpuNodePoolArgs

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
