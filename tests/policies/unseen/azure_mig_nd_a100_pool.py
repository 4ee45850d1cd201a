"""An AKS multi-instance GPU (MIG) pool: the Azure REST API's own example ``AgentPoolsCreate_GPUMIG`` — 3 ×
Standard_ND96asr_v4 with ``gpuInstanceProfile: MIG2g`` — as a separate ``AgentPool``, unlabelled.

Follows Azure/azure-rest-api-specs containerservice examples ``AgentPoolsCreate_GPUMIG.json`` (the same call as
azure-sdk-for-python's ``agent_pools_create_gpumig.py``) and the AKS doc "Create a multi-instance GPU node pool"
(gpu-multi-instance.md). A MIG profile splits each A100 into partitions for many small jobs: a serving or
notebook pool, not a multi-node training pool — issue 9's class 6 ("inference or MIG demo pools are blocked for
lacking a fabric"). Its size happens to be InfiniBand-capable; the MIG profile says what the pool is for.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, PURPOSE, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    mig: bool = True
    purpose: str | None = None

    def __call__(self) -> None:
        from pulumi_azure_native import containerservice, resources

        group = resources.ResourceGroup("rg1", resource_group_name="rg1", location="westus2")
        cluster = containerservice.ManagedCluster(
            "clustername1", resource_group_name=group.name, resource_name_="clustername1", dns_prefix="cluster1",
            identity={"type": "SystemAssigned"},
            agent_pool_profiles=[{"name": "system", "mode": "System", "vm_size": "Standard_D4s_v3", "count": 1,
                                  "os_type": "Linux"}])
        containerservice.AgentPool(
            "agentpool1", resource_group_name=group.name, resource_name_=cluster.name, agent_pool_name="agentpool1",
            count=3, vm_size="Standard_ND96asr_v4", os_type="Linux", mode="User",
            **({"gpu_instance_profile": "MIG2g"} if self.mig else {}),
            **({"node_labels": {PURPOSE: self.purpose}} if self.purpose else {}))


SOURCE = ("Azure/azure-rest-api-specs containerservice examples AgentPoolsCreate_GPUMIG.json (azure-sdk-for-python "
          "agent_pools_create_gpumig.py); AKS docs gpu-multi-instance.md")

BASE = Case(
    name="unseen-azure-mig2g-nd96asr-v4-pool",
    program=Program(),
    source=SOURCE,
    stack_config={"azure-native:location": "westus2"},
    expected={
        "max-accelerators": expect(PASS, "3 × 8 = 24 GPUs ≤ 512"),
        "monthly-budget": expect(PASS, "3 × ND96asr_v4 × $27.20 × 730 h ≈ $60k ≤ $2M"),
        "interconnect": expect(PASS, "a MIG-partitioned pool: not a multi-node training pool"),
        "single-zone": expect(PASS, "no availability zones: one regional scale set"),
        "storage-throughput": expect(PASS, "no training pool: a MIG profile declares partitioned serving"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-azure-mig2g-nd96asr-v4-labelled-training", "labelled training → 24 training GPUs and no "
                 "parallel file system block", Program(purpose="training"), {
                     "storage-throughput": expect(BLOCK, "24 training GPUs and no parallel file system")}),
]
