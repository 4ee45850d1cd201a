"""Karpenter on AKS (node auto-provisioning) choosing GPU sizes by family and GPU name (issue 18).

Follows Microsoft Learn "Configure node pools for node auto-provisioning" (MicrosoftDocs/azure-aks-docs
node-auto-provisioning-node-pools.md: a karpenter.sh/v1 NodePool with ``nodeClassRef`` AKSNodeClass, requirements
on ``karpenter.azure.com/sku-family`` (``N``: the GPU sizes) and ``karpenter.azure.com/sku-gpu-name``, ``limits``),
with the ``nvidia.com/gpu: 2000`` limit of issue 18. Candidates: the H100 sizes; the least favourable (8 GPUs per
VM, InfiniBand: ND H100 v5) decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, UNVERIFIED, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    gpu_limit: int = 2000
    family: str = "N"

    def __call__(self) -> None:
        from pulumi_kubernetes.apiextensions import CustomResource

        CustomResource("h100-nap", api_version="karpenter.sh/v1", kind="NodePool", metadata={"name": "h100"}, spec={
            "template": {"spec": {
                "nodeClassRef": {"group": "karpenter.azure.com", "kind": "AKSNodeClass", "name": "default"},
                "requirements": [
                    {"key": "karpenter.azure.com/sku-family", "operator": "In", "values": [self.family]},
                    {"key": "karpenter.azure.com/sku-gpu-name", "operator": "In", "values": ["H100"]},
                    {"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["on-demand"]}],
                "taints": [{"key": "nvidia.com/gpu", "value": "true", "effect": "NoSchedule"}]}},
            "limits": {"nvidia.com/gpu": self.gpu_limit}})


SOURCE = "MicrosoftDocs/azure-aks-docs node-auto-provisioning-node-pools.md (NAP NodePool, sku-family, sku-gpu-name)"

BASE = Case(
    name="azure-karpenter-aks-h100-2000",
    program=Program(),
    source=SOURCE,
    expected={
        "max-accelerators": expect(BLOCK, "2,000 GPUs (250 × Standard_ND96isr_H100_v5) over 512", on="h100-nap",
                                   says=("2,000",)),
        "monthly-budget": expect(BLOCK, "250 × $98.32 × 730 h ≈ $17.9M over $2M", on="h100-nap"),
        # Changed after issue 18's unseen run (docs/corpus.md): first written as a training pool (the ND H100 v5
        # InfiniBand size), then, after the first run, interconnect BLOCK for the NC80adis candidate. Family N + H100
        # also admits Standard_NC80adis_H100_v5 (no InfiniBand): the program did not choose InfiniBand, so nothing
        # says it trains. The ND-only control below is the training pool.
        "interconnect": expect(PASS, "not known to train: one of its sizes has no InfiniBand"),
        "single-zone": expect(PASS, "not known to train"),
        "storage-throughput": expect(PASS, "not known to train"),
        "pool-purpose": expect(ADVISE, "unlabelled, no training intent"),
    },
)

CASES = [
    BASE,
    BASE.control("azure-karpenter-aks-h100-64", "a 64-GPU limit → 8 VMs: max and budget pass",
                 Program(gpu_limit=64), {
                     "max-accelerators": expect(PASS, "64 GPUs"),
                     "monthly-budget": expect(PASS, "8 × $98.32 × 730 h ≈ $574k")}),
    BASE.control("azure-karpenter-aks-nd-only", "sku-family ND → only InfiniBand H100 sizes: a training pool",
                 Program(family="ND"), {
                     "interconnect": expect(PASS, "every candidate has InfiniBand"),
                     "single-zone": expect(UNVERIFIED, "a training (InfiniBand) pool without a zone requirement"),
                     "storage-throughput": expect(BLOCK, "a training pool of up to 2,000 GPUs and no parallel file "
                                                         "system", on="h100-nap"),
                     "pool-purpose": expect(PASS, "InfiniBand sizes only: training intent")}),
]
