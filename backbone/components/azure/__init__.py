"""Azure components: network, AKS, GPU agent pools, Managed Lustre, Blob datasets, and the whole
``AcceleratorCluster`` a stack builds (see ``components/azure/README.md``)."""

from backbone.components.azure._facts import GPU_DRIVER_SETTING
from backbone.components.azure.accelerator_cluster import AcceleratorCluster
from backbone.components.azure.aks_cluster import DEFAULT_SYSTEM_VM_SIZE, AksCluster, AksClusterArgs
from backbone.components.azure.dataset_container import DatasetContainer, DatasetContainerArgs
from backbone.components.azure.gpu_agent_pool import GpuAgentPool, GpuAgentPoolArgs
from backbone.components.azure.managed_lustre import ManagedLustre, ManagedLustreArgs, sku_name
from backbone.components.azure.network import Network, NetworkArgs

__all__ = [
    "DEFAULT_SYSTEM_VM_SIZE",
    "GPU_DRIVER_SETTING",
    "AcceleratorCluster",
    "AksCluster",
    "AksClusterArgs",
    "DatasetContainer",
    "DatasetContainerArgs",
    "GpuAgentPool",
    "GpuAgentPoolArgs",
    "ManagedLustre",
    "ManagedLustreArgs",
    "Network",
    "NetworkArgs",
    "sku_name",
]
