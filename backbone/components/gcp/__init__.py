"""GCP components: GKE GPU and TPU node pools, the VPCs their GPU NICs need, and the storage that feeds
them (Managed Lustre, Parallelstore, Cloud Storage). ``AcceleratorCluster`` wires a whole stack from its
spec; each piece is usable on its own. See ``components/gcp/README.md``.

The names load on first use, so that this package (and its ``_facts``) imports without the provider SDK;
without it, a component is a ``MissingExtra`` naming ``backbone[gcp]``."""

from typing import TYPE_CHECKING

from backbone.components._lazy import exports

if TYPE_CHECKING:
    from backbone.components.gcp.accelerator_cluster import AcceleratorCluster
    from backbone.components.gcp.dataset_bucket import DatasetBucket, DatasetBucketArgs
    from backbone.components.gcp.gke_cluster import GkeCluster, GkeClusterArgs
    from backbone.components.gcp.gpu_node_pool import GpuNodePool, GpuNodePoolArgs
    from backbone.components.gcp.managed_lustre import ManagedLustre, ManagedLustreArgs
    from backbone.components.gcp.network import Network, NetworkArgs, NodeNetwork
    from backbone.components.gcp.parallelstore import Parallelstore, ParallelstoreArgs
    from backbone.components.gcp.tpu_multislice import TpuMultislice, TpuMultisliceArgs
    from backbone.components.gcp.tpu_node_pool import TpuNodePool, TpuNodePoolArgs

_MODULES = {
    "AcceleratorCluster": "backbone.components.gcp.accelerator_cluster",
    "DatasetBucket": "backbone.components.gcp.dataset_bucket",
    "DatasetBucketArgs": "backbone.components.gcp.dataset_bucket",
    "GkeCluster": "backbone.components.gcp.gke_cluster",
    "GkeClusterArgs": "backbone.components.gcp.gke_cluster",
    "GpuNodePool": "backbone.components.gcp.gpu_node_pool",
    "GpuNodePoolArgs": "backbone.components.gcp.gpu_node_pool",
    "ManagedLustre": "backbone.components.gcp.managed_lustre",
    "ManagedLustreArgs": "backbone.components.gcp.managed_lustre",
    "Network": "backbone.components.gcp.network",
    "NetworkArgs": "backbone.components.gcp.network",
    "NodeNetwork": "backbone.components.gcp.network",
    "Parallelstore": "backbone.components.gcp.parallelstore",
    "ParallelstoreArgs": "backbone.components.gcp.parallelstore",
    "TpuMultislice": "backbone.components.gcp.tpu_multislice",
    "TpuMultisliceArgs": "backbone.components.gcp.tpu_multislice",
    "TpuNodePool": "backbone.components.gcp.tpu_node_pool",
    "TpuNodePoolArgs": "backbone.components.gcp.tpu_node_pool",
}
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
__getattr__, __dir__ = exports(__name__, "gcp", _MODULES)
