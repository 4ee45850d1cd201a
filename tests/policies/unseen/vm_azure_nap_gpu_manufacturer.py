"""A self-hosted Karpenter on AKS GPU NodePool with no limits — "any NVIDIA size", karpenter.sh/v1beta1.

Follows a public Kubeflow-on-AKS guide (README with Azure/karpenter-provider-azure and azure/kubeflow-aks as its
references; read through code search, 2026-12-07): ``NodePool gpu`` with requirements ``kubernetes.io/arch amd64``,
``kubernetes.io/os linux``, ``karpenter.azure.com/sku-gpu-manufacturer In [nvidia]``, ``karpenter.sh/capacity-type
In [on-demand]``, ``nodeClassRef: {name: gpu-nc}`` (an AKSNodeClass), a ``nvidia.com/gpu`` taint, and no
``limits``: node auto-provisioning may launch any NVIDIA size up to the subscription's quota.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corpus_case import BLOCK, PASS, UNVERIFIED, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    limits: dict[str, Any] = field(default_factory=dict)

    def __call__(self) -> None:
        from pulumi_kubernetes.apiextensions import CustomResource

        spec: dict[str, Any] = {
            "disruption": {"expireAfter": "1h"},
            "template": {"spec": {
                "requirements": [
                    {"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64"]},
                    {"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]},
                    {"key": "karpenter.azure.com/sku-gpu-manufacturer", "operator": "In", "values": ["nvidia"]},
                    {"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["on-demand"]}],
                "nodeClassRef": {"name": "gpu-nc"},
                "taints": [{"key": "nvidia.com/gpu", "value": "true", "effect": "NoSchedule"}]}}}
        if self.limits:
            spec["limits"] = self.limits
        CustomResource("gpu", api_version="karpenter.sh/v1beta1", kind="NodePool", metadata={"name": "gpu"},
                       spec=spec)
        CustomResource("gpu-nc", api_version="karpenter.azure.com/v1alpha2", kind="AKSNodeClass",
                       metadata={"name": "gpu-nc"}, spec={"imageFamily": "Ubuntu2204"})


SOURCE = "Kubeflow-on-AKS guide (self-hosted karpenter-provider-azure, NodePool gpu: sku-gpu-manufacturer nvidia)"

BASE = Case(
    name="unseen-azure-nap-any-nvidia-no-limits",
    program=Program(),
    source=SOURCE,
    expected={
        "max-accelerators": expect(UNVERIFIED, "no limits: as many GPUs as the quota allows"),
        "monthly-budget": expect(UNVERIFIED, "no limits: the cost has no bound the program states"),
        "interconnect": expect(PASS, "nothing says this pool trains across nodes (Kubeflow notebooks and jobs)"),
        "single-zone": expect(PASS, "not known to train"),
        "storage-throughput": expect(PASS, "not known to train"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-azure-nap-any-nvidia-2000-gpus", "limits nvidia.com/gpu 2000 → max-accelerators blocks",
                 Program(limits={"nvidia.com/gpu": 2000}), {
                     "max-accelerators": expect(BLOCK, "2,000 GPUs over 512", on="gpu"),
                     # Changed after the first run: the least favourable size (ND96isr_H200_v5) has no catalog price,
                     # so the cost has no sound bound — a catalog gap (issue 9 class 8); max-accelerators blocks anyway.
                     "monthly-budget": expect(UNVERIFIED, "2,000 GPUs; the priciest candidate has no catalog price")}),
]
