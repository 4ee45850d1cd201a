"""Azure components: network, AKS, GPU agent pools, Managed Lustre, Blob datasets, and the whole
``AcceleratorCluster`` a stack builds (see ``components/azure/README.md``).

The names load on first use, so that this package (and its ``_facts``) imports without the provider SDK;
without it, a component is a ``MissingExtra`` naming ``backbone[azure]``."""

from typing import TYPE_CHECKING

from backbone.components._lazy import exports

if TYPE_CHECKING:
    from backbone.components.azure._facts import GPU_DRIVER_SETTING
    from backbone.components.azure.accelerator_cluster import AcceleratorCluster
    from backbone.components.azure.aks_cluster import DEFAULT_SYSTEM_VM_SIZE, AksCluster, AksClusterArgs
    from backbone.components.azure.dataset_container import DatasetContainer, DatasetContainerArgs
    from backbone.components.azure.gpu_agent_pool import GpuAgentPool, GpuAgentPoolArgs
    from backbone.components.azure.managed_lustre import ManagedLustre, ManagedLustreArgs, sku_name
    from backbone.components.azure.network import Network, NetworkArgs

_MODULES = {
    "AcceleratorCluster": "backbone.components.azure.accelerator_cluster",
    "AksCluster": "backbone.components.azure.aks_cluster",
    "AksClusterArgs": "backbone.components.azure.aks_cluster",
    "DEFAULT_SYSTEM_VM_SIZE": "backbone.components.azure.aks_cluster",
    "DatasetContainer": "backbone.components.azure.dataset_container",
    "DatasetContainerArgs": "backbone.components.azure.dataset_container",
    "GPU_DRIVER_SETTING": "backbone.components.azure._facts",
    "GpuAgentPool": "backbone.components.azure.gpu_agent_pool",
    "GpuAgentPoolArgs": "backbone.components.azure.gpu_agent_pool",
    "ManagedLustre": "backbone.components.azure.managed_lustre",
    "ManagedLustreArgs": "backbone.components.azure.managed_lustre",
    "Network": "backbone.components.azure.network",
    "NetworkArgs": "backbone.components.azure.network",
    "sku_name": "backbone.components.azure.managed_lustre",
}
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
__getattr__, __dir__ = exports(__name__, "azure", _MODULES)
