"""Azure components: network, AKS, GPU agent pools, Managed Lustre, Blob datasets, and the whole
``AcceleratorCluster`` a stack builds (see ``components/azure/README.md``)."""

from components.azure._facts import GPU_DRIVER_SETTING
from components.azure.accelerator_cluster import AcceleratorCluster
from components.azure.aks_cluster import DEFAULT_SYSTEM_VM_SIZE, AksCluster, AksClusterArgs
from components.azure.dataset_container import DatasetContainer, DatasetContainerArgs
from components.azure.gpu_agent_pool import GpuAgentPool, GpuAgentPoolArgs
from components.azure.managed_lustre import ManagedLustre, ManagedLustreArgs, sku_name
from components.azure.network import Network, NetworkArgs

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
