"""An AKS spot agent pool of ND96amsr_A100_v4 for batch inference, autoscaling 0 to 100 nodes.

Follows the AKS docs "Add an Azure Spot node pool" (spot-node-pool.md: ``--priority Spot --eviction-policy Delete
--spot-max-price -1 --enable-cluster-autoscaler --min-count --max-count``) with an ND A100 v4 size from the AKS GPU
docs, as ``azure_native.containerservice.AgentPool(scale_set_priority="Spot", ...)``, labelled inference.
100 × 8 = 800 GPUs: over the per-pool cap whether spot or not.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, PURPOSE, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    max_count: int = 100

    def __call__(self) -> None:
        from pulumi_azure_native import containerservice, resources

        group = resources.ResourceGroup("batch-rg", location="southcentralus")
        cluster = containerservice.ManagedCluster(
            "batch-aks", resource_group_name=group.name, dns_prefix="batch", identity={"type": "SystemAssigned"},
            agent_pool_profiles=[{"name": "system", "mode": "System", "vm_size": "Standard_D4s_v5", "count": 2}])
        containerservice.AgentPool(
            "spotgpu", resource_group_name=group.name, resource_name_=cluster.name, agent_pool_name="spotgpu",
            vm_size="Standard_ND96amsr_A100_v4", mode="User", scale_set_priority="Spot",
            scale_set_eviction_policy="Delete", spot_max_price=-1, enable_auto_scaling=True, min_count=0,
            max_count=self.max_count, count=0, node_labels={PURPOSE: "inference"},
            node_taints=["kubernetes.azure.com/scalesetpriority=spot:NoSchedule"])


SOURCE = "AKS docs spot-node-pool.md (priority Spot, autoscaler min/max) and gpu-cluster.md (ND A100 v4)"

BASE = Case(
    name="unseen-azure-spot-nd-a100-100-nodes",
    program=Program(),
    source=SOURCE,
    stack_config={"azure-native:location": "southcentralus"},
    expected={
        "max-accelerators": expect(BLOCK, "100 × 8 = 800 > 512", on="spotgpu"),
        "monthly-budget": expect(PASS, "spot at the catalog's Azure spot price, $3.6047 per hour: 100 × $3.60 × 730 h "
                                       "≈ $263k ≤ $2M"),
        "interconnect": expect(PASS, "labelled inference"),
        "single-zone": expect(PASS, "labelled inference, no zones"),
        "storage-throughput": expect(PASS, "no training pool"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-azure-spot-nd-a100-40-nodes", "max 40 → 320 GPUs: nothing blocks", Program(max_count=40),
                 {"max-accelerators": expect(PASS, "320 ≤ 512"),
                  "monthly-budget": expect(PASS, "40 × $32.77 × 730 h ≈ $957k ≤ $2M even on demand")}),
]
