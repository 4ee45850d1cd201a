"""Class 4 (Karpenter) — a ``karpenter.sh/v1`` NodePool that may launch p4d or p5, bounded by a GPU limit.

Follows the NodePool reference in aws/karpenter-provider-aws ``website/content/en/v1.0/concepts/nodepools.md``
(``spec.template.spec.requirements`` on ``node.kubernetes.io/instance-type``, ``spec.limits`` with
``nvidia.com/gpu``, ``nodeClassRef`` to an ``EC2NodeClass`` with ``associatePublicIPAddress``) written with
pulumi_kubernetes ``apiextensions.CustomResource`` as Pulumi programs do. The limit is the pool's bound: 1,024 GPUs
can be reached with either type, and the budget is judged at the priciest (p5.48xlarge: 128 nodes).
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, PURPOSE, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    gpu_limit: int = 1024

    def __call__(self) -> None:
        from pulumi_aws import eks
        from pulumi_kubernetes.apiextensions import CustomResource
        from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

        eks.Cluster("karpenter-demo", role_arn="arn:aws:iam::123456789012:role/eks",
                    vpc_config=eks.ClusterVpcConfigArgs(subnet_ids=["subnet-0a1b2c3d", "subnet-1a2b3c4d"]))
        CustomResource("gpu-nodeclass", api_version="karpenter.k8s.aws/v1", kind="EC2NodeClass",
                       metadata=ObjectMetaArgs(name="gpu"),
                       spec={"role": "KarpenterNodeRole-karpenter-demo",
                             "amiSelectorTerms": [{"alias": "al2023@latest"}],
                             "subnetSelectorTerms": [{"tags": {"karpenter.sh/discovery": "karpenter-demo"}}],
                             "securityGroupSelectorTerms": [{"tags": {"karpenter.sh/discovery": "karpenter-demo"}}],
                             "associatePublicIPAddress": False})
        CustomResource("gpu-nodepool", api_version="karpenter.sh/v1", kind="NodePool",
                       metadata=ObjectMetaArgs(name="gpu"),
                       spec={
                           "template": {
                               "metadata": {"labels": {PURPOSE: "inference"}},
                               "spec": {
                                   "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass",
                                                    "name": "gpu"},
                                   "requirements": [
                                       {"key": "node.kubernetes.io/instance-type", "operator": "In",
                                        "values": ["p4d.24xlarge", "p5.48xlarge"]},
                                       {"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["on-demand"]},
                                   ],
                                   "taints": [{"key": "nvidia.com/gpu", "value": "true", "effect": "NoSchedule"}],
                               },
                           },
                           "limits": {"nvidia.com/gpu": self.gpu_limit},
                           "disruption": {"consolidationPolicy": "WhenEmpty", "consolidateAfter": "30s"},
                       })


SOURCE = ("aws/karpenter-provider-aws website/content/en/v1.0/concepts/nodepools.md (requirements, limits "
          "nvidia.com/gpu) and concepts/nodeclasses.md (associatePublicIPAddress)")

BASE = Case(
    name="aws-karpenter-p4d-p5-1024-gpus",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    expected={
        "max-accelerators": expect(BLOCK, "limits nvidia.com/gpu 1,024 > the pool limit of 512", on="gpu-nodepool",
                                   says=("1,024",)),
        "monthly-budget": expect(BLOCK, "1,024 GPUs at the priciest candidate = 128 × p5.48xlarge × $55.04 × 730 h "
                                        "≈ $5.1M > $2M", on="gpu-nodepool", says=("p5.48xlarge",)),
        "known-accelerator": expect(PASS, "both candidates are in the catalog"),
        "private-nodes": expect(PASS, "the EC2NodeClass sets associatePublicIPAddress: false"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-karpenter-p4d-p5-256-gpus", "limit 256 GPUs: 32 × p5 ≈ $1.29M → both pass",
                 Program(gpu_limit=256), {
                     "max-accelerators": expect(PASS, "256 ≤ 512"),
                     "monthly-budget": expect(PASS, "32 × p5.48xlarge ≈ $1.29M ≤ $2M")}),
]
