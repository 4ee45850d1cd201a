"""Class 3 — an AKS GPU pool defined inline in ``ManagedCluster.agentPoolProfiles``, under NVIDIA AICR's
training stack.

Follows pulumi-labs/pulumi-nvidia-aicr ``examples/azure-aks-training-py/__main__.py``: a resource group, a
``ManagedCluster`` whose ``agent_pool_profiles`` hold a system pool (Standard_D4s_v3) and ``gpunodes``
(Standard_ND96isr_H100_v5, count 2, labels ``nvidia.com/gpu.present``, taint), and
``aicr.ClusterStack(service="aks", intent="training")`` — the inline-pool shape of pulumi/examples
``azure-py-aks``. The inline pool must be read like a separate ``AgentPool``: 16 training GPUs with no parallel
file system block; InfiniBand comes with the ND ...isr size. Neither the resource group nor the cluster names a
location: the resource group takes ``azure-native:location`` and the cluster the resource group's.
"""

from __future__ import annotations

from dataclasses import dataclass

from aicr_sdk import ClusterStack
from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect

GPU_POOL = {"name": "gpunodes", "vm_size": "Standard_ND96isr_H100_v5", "count": 2, "os_type": "Linux",
            "node_labels": {"nvidia.com/gpu.present": "true"}, "node_taints": ["nvidia.com/gpu=present:NoSchedule"]}


@dataclass(frozen=True)
class Program(Knobs):
    zones: tuple[str, ...] = ()
    separate_agent_pool: bool = False
    lustre: bool = False

    def __call__(self) -> None:
        from pulumi_azure_native import containerservice, resources, storagecache

        group = resources.ResourceGroup("gpu-rg", resource_group_name="aicr-training-rg")
        gpu = {**GPU_POOL, "mode": "User", **({"availability_zones": list(self.zones)} if self.zones else {})}
        profiles = [{"name": "system", "mode": "System", "vm_size": "Standard_D4s_v3", "count": 1,
                     "os_type": "Linux"}]
        cluster = containerservice.ManagedCluster(
            "aicr-training", resource_group_name=group.name, resource_name_="aicr-training", dns_prefix="aicr-training",
            kubernetes_version="1.30", identity={"type": "SystemAssigned"},
            agent_pool_profiles=profiles if self.separate_agent_pool else [*profiles, gpu])
        if self.separate_agent_pool:
            containerservice.AgentPool("gpunodes", resource_group_name=group.name, resource_name_=cluster.name,
                                       agent_pool_name="gpunodes", **{k: v for k, v in gpu.items() if k != "name"})
        if self.lustre:
            storagecache.AmlFilesystem(
                "scratch", resource_group_name=group.name, location="eastus", zones=["1"],
                sku=storagecache.SkuNameArgs(name="AMLFS-Durable-Premium-125"), storage_capacity_ti_b=16.0,
                filesystem_subnet="/subscriptions/0000/resourceGroups/aicr-training-rg/providers/"
                                  "Microsoft.Network/virtualNetworks/vnet/subnets/lustre",
                maintenance_window=storagecache.AmlFilesystemMaintenanceWindowArgs(
                    day_of_week=storagecache.MaintenanceDayOfWeekType.SUNDAY, time_of_day_utc="02:00"))
        ClusterStack("nvidia-aicr", accelerator="h100", service="aks", intent="training", kubeconfig=cluster.name)


SOURCE = ("pulumi-labs/pulumi-nvidia-aicr examples/azure-aks-training-py/__main__.py; "
          "pulumi/examples azure-py-aks/__main__.py (inline agent_pool_profiles)")

AML_PRICED = ("2 × $98.32 × 730 h + 16 TiB of Azure Managed Lustre at the catalog's $148.01 per TiB-month (125 "
              "tier, eastus) ≈ $146k ≤ $2M")

BASE = Case(
    name="azure-aicr-inline-nd-h100-pool",
    program=Program(),
    source=SOURCE,
    stack_config={"azure-native:location": "eastus"},
    expected={
        "storage-throughput": expect(BLOCK, "2 × ND96isr_H100_v5 = 16 training GPUs (AICR intent: training) and no "
                                            "parallel file system", says=("16",)),
        "interconnect": expect(PASS, "the ND96isr size brings its InfiniBand; one pool is one scale set"),
        "single-zone": expect(PASS, "no availability zones: one regional scale set"),
        "monthly-budget": expect(PASS, "2 × Standard_ND96isr_H100_v5 at the catalog's $98.32 × 730 h ≈ $144k ≤ $2M"),
        "idle-accelerators": expect(ADVISE, "a fixed count of 2 keeps 16 GPUs running, over 8"),
    },
)

CASES = [
    BASE,
    BASE.control("azure-aicr-separate-agent-pool", "the same pool as a separate AgentPool → the same verdict",
                 Program(separate_agent_pool=True), {}),
    BASE.control("azure-aicr-inline-pool-two-zones", "availabilityZones 1 and 2 → single-zone blocks too",
                 Program(zones=("1", "2")), {
                     "single-zone": expect(BLOCK, "a training pool in eastus zones 1 and 2", on="aicr-training",
                                           says=("2 zones",))}),
    BASE.control("azure-aicr-inline-pool-with-lustre", "an Azure Managed Lustre of 16 TiB at 125 MB/s/TiB "
                 "(2,000 MB/s for 16 GPUs) → nothing blocks", Program(lustre=True), {
                     "storage-throughput": expect(PASS, "2,000 MB/s for 16 GPUs = 125 MB/s each"),
                     "monthly-budget": expect(PASS, AML_PRICED)}),
    BASE.control("azure-aicr-cluster-in-default-location-lustre-elsewhere", "azure-native:location westus2 places "
                 "the resource group, so the cluster, in westus2; the AML is in eastus → storage-locality advises",
                 Program(lustre=True), {
                     "storage-throughput": expect(PASS, "2,000 MB/s for 16 GPUs = 125 MB/s each"),
                     "monthly-budget": expect(PASS, AML_PRICED),
                     "storage-locality": expect(ADVISE, "the file system is in eastus, the training pool in westus2 "
                                                        "(the resource group's location from azure-native:location)",
                                                on="scratch", says=("eastus", "westus2"))},
                 stack_config={"azure-native:location": "westus2"}),
]
