"""A Karpenter training NodePool over the p5 family in two zones, capped by ``nvidia.com/gpu``.

Follows aws/karpenter-provider-aws ``examples/v1/`` NodePools (``karpenter.k8s.aws/instance-family`` and
``topology.kubernetes.io/zone`` requirements, ``limits``) and awslabs/data-on-eks ``ai-ml`` Karpenter GPU pools
(a purpose-like ``type: karpenter`` plus workload labels; here the purpose label says training). EFA on
Karpenter lives in the EC2NodeClass and the pods, so the fabric is unknown; the two zones are not.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, PURPOSE, UNVERIFIED, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    zones: tuple[str, ...] = ("us-west-2a", "us-west-2b")

    def __call__(self) -> None:
        from pulumi_kubernetes.apiextensions import CustomResource
        from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

        CustomResource("p5-train", api_version="karpenter.sh/v1", kind="NodePool",
                       metadata=ObjectMetaArgs(name="p5-train"),
                       spec={"template": {"metadata": {"labels": {PURPOSE: "training"}}, "spec": {
                           "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "gpu"},
                           "requirements": [
                               {"key": "karpenter.k8s.aws/instance-family", "operator": "In", "values": ["p5"]},
                               {"key": "topology.kubernetes.io/zone", "operator": "In", "values": list(self.zones)},
                               {"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["on-demand"]}]}},
                           "limits": {"nvidia.com/gpu": 64}})


SOURCE = ("aws/karpenter-provider-aws examples/v1 NodePools (instance-family, zone requirements, limits); "
          "awslabs/data-on-eks ai-ml Karpenter GPU NodePools")

BASE = Case(
    name="unseen-aws-karpenter-p5-family-two-zones",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-west-2"},
    expected={
        "max-accelerators": expect(PASS, "limits nvidia.com/gpu 64 ≤ 512"),
        "monthly-budget": expect(PASS, "64 GPUs = 8 × p5.48xlarge × $55.04 × 730 h ≈ $321k ≤ $2M"),
        "interconnect": expect(UNVERIFIED, "EFA on Karpenter is set on the EC2NodeClass and pods: unknown"),
        "single-zone": expect(BLOCK, "a training pool with a zone requirement of 2 zones", on="p5-train"),
        "storage-throughput": expect(BLOCK, "64 training GPUs and no parallel file system"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-aws-karpenter-p5-family-one-zone", "one zone → single-zone passes (storage still blocks)",
                 Program(zones=("us-west-2a",)), {"single-zone": expect(PASS, "one zone")}),
]
