"""EKS Auto Mode: a GPU NodePool over instance families, with a CPU limit only.

Follows walidshaari/sample-aws-eks-auto-mode ``nodepool-templates/gpu-nodepool.yaml.tpl``: an
``eks.amazonaws.com/v1`` NodeClass and a ``karpenter.sh/v1`` NodePool whose requirement is
``eks.amazonaws.com/instance-family In [g5, g6, p4d, p5]`` (Auto Mode's own label key, not Karpenter's
``karpenter.k8s.aws/instance-family``), spot or on-demand, a GPU taint, and ``limits: cpu: 1000``. No purpose
label, no EFA: a general GPU pool. The sample's YAML is applied as Pulumi ``CustomResource``s here.
"""

from __future__ import annotations

from corpus_case import PASS, UNVERIFIED, Case, expect


def program() -> None:
    from pulumi_kubernetes.apiextensions import CustomResource
    from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

    CustomResource("gpu-nodeclass", api_version="eks.amazonaws.com/v1", kind="NodeClass",
                   metadata=ObjectMetaArgs(name="gpu-nodeclass"),
                   spec={"role": "automode-demo-node-role",
                         "subnetSelectorTerms": [{"tags": {"karpenter.sh/discovery": "automode-demo"}}],
                         "securityGroupSelectorTerms": [{"tags": {"aws:eks:cluster-name": "automode-demo"}}]})
    CustomResource("gpu-nodepool", api_version="karpenter.sh/v1", kind="NodePool",
                   metadata=ObjectMetaArgs(name="gpu-nodepool"),
                   spec={"template": {"spec": {
                       "nodeClassRef": {"group": "eks.amazonaws.com", "kind": "NodeClass", "name": "gpu-nodeclass"},
                       "requirements": [
                           {"key": "eks.amazonaws.com/instance-family", "operator": "In",
                            "values": ["g5", "g6", "p4d", "p5"]},
                           {"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["spot", "on-demand"]}],
                       "taints": [{"key": "nvidia.com/gpu", "value": "true", "effect": "NoSchedule"}]}},
                       "limits": {"cpu": 1000},
                       "disruption": {"consolidationPolicy": "WhenEmpty", "consolidateAfter": "30s"}})


SOURCE = "walidshaari/sample-aws-eks-auto-mode nodepool-templates/gpu-nodepool.yaml.tpl (EKS Auto Mode NodePool)"

CASES = [Case(
    name="unseen-aws-auto-mode-gpu-families-cpu-limit",
    program=program,
    source=SOURCE,
    stack_config={"aws:region": "us-west-2"},
    expected={
        "max-accelerators": expect(PASS, "cpu 1000 bounds it: 5 × p5.48xlarge (192 vCPU) = 40 GPUs, at most 250 "
                                          "single-GPU g5/g6.xlarge (4 vCPU) — never above 512"),
        "monthly-budget": expect(PASS, "cpu 1000 of p5.48xlarge ≈ 5.2 × $55.04 × 730 h ≈ $211k ≤ $2M"),
        "interconnect": expect(PASS, "unlabelled, no EFA, no intent: not known to train, no fabric demanded"),
        "single-zone": expect(PASS, "not known to train"),
        "storage-throughput": expect(PASS, "no training pool"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
        "known-accelerator": expect(UNVERIFIED, "the families are resolved at launch; g6 is not in the catalog"),
    },
)]
