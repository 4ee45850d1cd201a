"""The GPU node pool of Azure-Samples/aks-kueue-sample: a separate agent pool of ND H100 v5 for Kueue batch jobs,
``count: gpuNodeCount`` (2), a ``gpu-type`` label, a GPU taint, ``gpuProfile.driver: None`` (the GPU Operator
installs drivers); no file system in the sample.

Follows Azure-Samples/aks-kueue-sample ``infra/modules/gpu-nodepool.bicep``, ported to
``azure_native.containerservice.AgentPool``. Standard_ND96isr_H100_v5 is an InfiniBand size: by issue 9's rules a
pool with an InfiniBand size shows training intent, so 16 training GPUs with no parallel file system block.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    vm_size: str = "Standard_ND96isr_H100_v5"

    def __call__(self) -> None:
        from pulumi_azure_native import containerservice, resources

        group = resources.ResourceGroup("kueue-rg", resource_group_name="kueue-rg")
        cluster = containerservice.ManagedCluster(
            "kueue-aks", resource_group_name=group.name, resource_name_="kueue-aks", dns_prefix="kueue",
            identity={"type": "SystemAssigned"},
            agent_pool_profiles=[{"name": "system", "mode": "System", "vm_size": "Standard_D4s_v5", "count": 2,
                                  "os_type": "Linux"}])
        containerservice.AgentPool(
            "gpu", resource_group_name=group.name, resource_name_=cluster.name, agent_pool_name="gpu",
            count=2, vm_size=self.vm_size, mode="User", os_type="Linux", os_sku="Ubuntu",
            type="VirtualMachineScaleSets", node_taints=["nvidia.com/gpu=present:NoSchedule"],
            node_labels={"gpu-type": "nvidia-h100"}, gpu_profile={"driver": "None"})


SOURCE = "Azure-Samples/aks-kueue-sample infra/modules/gpu-nodepool.bicep"

BASE = Case(
    name="unseen-azure-kueue-nd-h100-pool",
    program=Program(),
    source=SOURCE,
    stack_config={"azure-native:location": "eastus"},
    expected={
        "max-accelerators": expect(PASS, "2 × 8 = 16 ≤ 512"),
        "monthly-budget": expect(PASS, "2 × ND96isr_H100_v5 × $98.32 × 730 h ≈ $144k ≤ $2M"),
        "interconnect": expect(PASS, "the ND96isr size brings its InfiniBand"),
        "single-zone": expect(PASS, "no availability zones: one regional scale set"),
        "storage-throughput": expect(BLOCK, "InfiniBand size = training intent: 16 training GPUs, no parallel file "
                                            "system"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-azure-kueue-nc-h100-pool", "Standard_NC80adis_H100_v5 (no InfiniBand, unlabelled) → "
                 "not known to train: nothing blocks", Program(vm_size="Standard_NC80adis_H100_v5"), {
                     "storage-throughput": expect(PASS, "no training intent"),
                     "monthly-budget": expect(PASS, "2 × $17.64 × 730 h ≈ $26k")}),
]
