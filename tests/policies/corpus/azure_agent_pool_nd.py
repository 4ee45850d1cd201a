"""An ordinary correct Azure program — a separate AKS agent pool of InfiniBand ND A100 v4 VMs in one zone,
fed by Azure Managed Lustre.

Follows Microsoft Learn "Use GPUs on AKS" / "ND-series on AKS with InfiniBand" as platform teams write it with
azure-native (``containerservice.AgentPool(vm_size="Standard_ND96amsr_A100_v4", enable_auto_scaling, min_count,
max_count, availability_zones, node_labels)``, the shape pulumi/examples ``azure-py-aks`` uses for its cluster)
and the Azure Managed Lustre resource (``storagecache.AmlFilesystem``, SKU ``AMLFS-Durable-Premium-250``).
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, PURPOSE, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    vm_size: str = "Standard_ND96amsr_A100_v4"
    zones: tuple[str, ...] = ("1",)

    def __call__(self) -> None:
        from pulumi_azure_native import containerservice, storagecache

        cluster = containerservice.ManagedCluster(
            "ml-aks", resource_group_name="ml-rg", location="eastus", dns_prefix="ml-aks",
            identity={"type": "SystemAssigned"},
            agent_pool_profiles=[{"name": "system", "mode": "System", "vm_size": "Standard_D8s_v5", "count": 2}])
        containerservice.AgentPool(
            "ndpool", resource_group_name="ml-rg", resource_name_=cluster.name, agent_pool_name="ndpool",
            vm_size=self.vm_size, mode="User", enable_auto_scaling=True, count=0, min_count=0, max_count=4,
            availability_zones=list(self.zones), enable_node_public_ip=False,
            node_labels={PURPOSE: "training"}, node_taints=["sku=gpu:NoSchedule"])
        storagecache.AmlFilesystem(
            "ml-lustre", resource_group_name="ml-rg", location="eastus", zones=["1"],
            sku=storagecache.SkuNameArgs(name="AMLFS-Durable-Premium-250"), storage_capacity_ti_b=16.0,
            filesystem_subnet="/subscriptions/0000/resourceGroups/ml-rg/providers/Microsoft.Network/"
                              "virtualNetworks/ml-vnet/subnets/lustre",
            maintenance_window=storagecache.AmlFilesystemMaintenanceWindowArgs(
                day_of_week=storagecache.MaintenanceDayOfWeekType.SATURDAY, time_of_day_utc="22:00"))


SOURCE = ("Microsoft Learn, AKS GPU node pools (az aks nodepool add --node-vm-size Standard_ND96amsr_A100_v4) and "
          "Azure Managed Lustre with azure-native storagecache.AmlFilesystem; pulumi/examples azure-py-aks")

BASE = Case(
    name="azure-agent-pool-nd-a100-one-zone",
    program=Program(),
    source=SOURCE,
    expected={
        "monthly-budget": expect(PASS, "4 × $32.77 × 730 h ≈ $96k + 16 TiB of AML at the catalog's $214.54 per "
                                       "TiB-month (250 tier) ≈ $3k ≤ $2M"),
    },
)

CASES = [
    BASE,
    BASE.control("azure-agent-pool-nc-h100-no-infiniband", "Standard_NC80adis_H100_v5 (no InfiniBand) → "
                 "interconnect blocks", Program(vm_size="Standard_NC80adis_H100_v5"), {
                     "interconnect": expect(BLOCK, "a 4-node training pool on a size with no node-to-node fabric",
                                            on="ndpool")}),
    BASE.control("azure-agent-pool-nd-two-zones", "zones 1 and 2 → single-zone blocks", Program(zones=("1", "2")), {
        "single-zone": expect(BLOCK, "a training pool in eastus zones 1 and 2", on="ndpool", says=("2 zones",))}),
]
