"""Karpenter on AKS (node auto-provisioning) choosing GPU sizes by family and GPU name (issue 18).

Follows Microsoft Learn "Configure node pools for node auto-provisioning" (MicrosoftDocs/azure-aks-docs
node-auto-provisioning-node-pools.md: a karpenter.sh/v1 NodePool with ``nodeClassRef`` AKSNodeClass, requirements
on ``karpenter.azure.com/sku-family`` (``N``: the GPU sizes) and ``karpenter.azure.com/sku-gpu-name``, ``limits``),
with the ``nvidia.com/gpu: 2000`` limit of issue 18. Candidates: the H100 sizes; the least favourable (8 GPUs per
VM, InfiniBand: ND H100 v5) decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, UNVERIFIED, Case, Knobs, expect


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
        "single-zone": expect(UNVERIFIED, "a training (InfiniBand) pool without a zone requirement"),
        "storage-throughput": expect(BLOCK, "a training pool of up to 2,000 GPUs and no parallel file system"),
        # Missed when first written: sku-family N + H100 also admits Standard_NC80adis_H100_v5 (2 H100 NVL, no
        # InfiniBand), the least favourable candidate for the fabric of a training pool (recorded in docs/corpus.md).
        "interconnect": expect(BLOCK, "the pool may launch Standard_NC80adis_H100_v5, a size without InfiniBand",
                               on="h100-nap", says=("Standard_NC80adis_H100_v5",)),
    },
)

CASES = [
    BASE,
    BASE.control("azure-karpenter-aks-h100-64", "a 64-GPU limit → 8 VMs: max and budget pass",
                 Program(gpu_limit=64), {
                     "max-accelerators": expect(PASS, "64 GPUs"),
                     "monthly-budget": expect(PASS, "8 × $98.32 × 730 h ≈ $574k")}),
    BASE.control("azure-karpenter-aks-nd-only", "sku-family ND → only InfiniBand H100 sizes: interconnect passes",
                 Program(family="ND"), {"interconnect": expect(PASS, "every candidate has InfiniBand")}),
]
