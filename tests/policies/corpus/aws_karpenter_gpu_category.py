"""Issue 18 — a Karpenter NodePool that selects GPU nodes by category and manufacturer, names no instance type,
and is bounded by an ``nvidia.com/gpu`` limit of 2,000.

Follows aws-samples/karpenter-blueprints ``blueprints/nvidia-gpu-workload/gpu-nodepool.yaml`` (commit ecd0fab:
``karpenter.k8s.aws/instance-category In [g]``, ``instance-gpu-manufacturer In [nvidia]``, on-demand, an
``nvidia.com/gpu`` taint) with the issue's limit ``nvidia.com/gpu: 2000`` in place of the blueprint's 5 (its cpu
and memory limits removed, as a team scaling it up would), written with pulumi_kubernetes ``CustomResource``. The
candidates are the catalog's G types with NVIDIA GPUs; 2,000 GPUs whichever is launched.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    gpu_limit: int = 2000

    def __call__(self) -> None:
        from pulumi_kubernetes.apiextensions import CustomResource
        from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

        CustomResource("gpu", api_version="karpenter.sh/v1", kind="NodePool", metadata=ObjectMetaArgs(name="gpu"),
                       spec={
                           "limits": {"nvidia.com/gpu": self.gpu_limit},
                           "template": {
                               "metadata": {"labels": {"intent": "gpu"}},
                               "spec": {
                                   "nodeClassRef": {"group": "karpenter.k8s.aws", "name": "gpu",
                                                    "kind": "EC2NodeClass"},
                                   "requirements": [
                                       {"key": "karpenter.sh/capacity-type", "operator": "In",
                                        "values": ["on-demand"]},
                                       {"key": "karpenter.k8s.aws/instance-category", "operator": "In",
                                        "values": ["g"]},
                                       {"key": "karpenter.k8s.aws/instance-gpu-manufacturer", "operator": "In",
                                        "values": ["nvidia"]},
                                   ],
                                   "expireAfter": "720h",
                                   "taints": [{"key": "nvidia.com/gpu", "effect": "NoSchedule"}],
                               },
                           },
                           "disruption": {"consolidationPolicy": "WhenEmpty", "consolidateAfter": "5m"},
                       })


SOURCE = "aws-samples/karpenter-blueprints blueprints/nvidia-gpu-workload/gpu-nodepool.yaml (commit ecd0fab)"

BASE = Case(
    name="aws-karpenter-gpu-category-2000",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    expected={
        "max-accelerators": expect(BLOCK, "limits nvidia.com/gpu 2,000 > 512, whatever G type is launched", on="gpu",
                                   says=("2,000",)),
        "monthly-budget": expect(BLOCK, "2,000 NVIDIA GPUs of G types a month: over $1M at the cheapest, several "
                                        "million at the priciest candidate", on="gpu"),
        "pool-purpose": expect(ADVISE, "a GPU pool of many nodes with no purpose label", on="gpu"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-karpenter-gpu-category-5", "the blueprint's own limit of 5 GPUs → the caps and the budget pass",
                 Program(gpu_limit=5), {
                     "max-accelerators": expect(PASS, "at most one node of up to 8 GPUs ≤ 512"),
                     "monthly-budget": expect(PASS, "one G node a month ≪ $2M")}),
]
