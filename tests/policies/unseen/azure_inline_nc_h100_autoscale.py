"""An AKS cluster with its GPU pool inline in ``agentPoolProfiles``: NC80adis_H100_v5 (2 H100 NVL each), autoscaling
0 to 300 nodes over zones 1-3, unlabelled.

Follows pulumi/examples ``azure-py-aks`` (``ManagedCluster(agent_pool_profiles=[...])``) with the GPU pool of the AKS
doc "Use GPUs on AKS" (gpu-cluster.md: ``--node-vm-size Standard_NC…``, ``--enable-cluster-autoscaler
--min-count --max-count``, zones). 300 × 2 = 600 GPUs > 512, and 300 × $17.64 × 730 h ≈ $3.9M > $2M: both caps
block whatever the pool is for.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    max_count: int = 300

    def __call__(self) -> None:
        from pulumi_azure_native import containerservice, resources

        group = resources.ResourceGroup("aks-rg", location="eastus")
        containerservice.ManagedCluster(
            "aks-gpu", resource_group_name=group.name, dns_prefix="aksgpu", kubernetes_version="1.30",
            identity={"type": "SystemAssigned"},
            agent_pool_profiles=[
                {"name": "agentpool", "mode": "System", "vm_size": "Standard_DS2_v2", "count": 3,
                 "os_type": "Linux"},
                {"name": "gpunp", "mode": "User", "vm_size": "Standard_NC80adis_H100_v5", "os_type": "Linux",
                 "enable_auto_scaling": True, "min_count": 0, "max_count": self.max_count, "count": 1,
                 "availability_zones": ["1", "2", "3"], "node_taints": ["sku=gpu:NoSchedule"]}])


SOURCE = "pulumi/examples azure-py-aks/__main__.py (inline agent_pool_profiles); AKS docs gpu-cluster.md"

BASE = Case(
    name="unseen-azure-inline-nc-h100-300-nodes",
    program=Program(),
    source=SOURCE,
    stack_config={"azure-native:location": "eastus"},
    expected={
        "max-accelerators": expect(BLOCK, "300 × 2 = 600 > 512", on="aks-gpu"),
        "monthly-budget": expect(BLOCK, "300 × NC80adis_H100_v5 × $17.64 × 730 h ≈ $3.86M > $2M", on="aks-gpu"),
        "interconnect": expect(PASS, "unlabelled, no InfiniBand size: not known to train"),
        "single-zone": expect(PASS, "not known to train (zones 1-3 are fine)"),
        "storage-throughput": expect(PASS, "no training pool"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-azure-inline-nc-h100-100-nodes", "max 100 nodes → 200 GPUs, ≈ $1.29M: nothing blocks",
                 Program(max_count=100), {"max-accelerators": expect(PASS, "200 ≤ 512"),
                                          "monthly-budget": expect(PASS, "≈ $1.29M ≤ $2M")}),
]
