"""Class 6 — an unlabelled multi-node GPU pool that serves: a MIG demo on p4d.24xlarge.

Follows NVIDIA GPU Operator's MIG guide (https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/
gpu-operator-mig.html: the ``nvidia.com/mig.config`` node label, e.g. ``all-1g.5gb``) on an EKS managed node group
written as pulumi/examples ``aws-py-eks`` writes one (``eks.NodeGroup`` on the VPC's subnets, ``scaling_config``).
No purpose label, no EFA, no placement group, no training intent anywhere: the pack cannot know what it is for.
It may spread over zones and lacks a fabric without being wrong — so no block, but the advice to label it.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, PURPOSE, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    purpose: str | None = None

    def __call__(self) -> None:
        from pulumi_aws import ec2, eks

        vpc = ec2.Vpc("eks-vpc", cidr_block="10.100.0.0/16")
        subnets = [ec2.Subnet(f"vpc-subnet-{zone}", vpc_id=vpc.id, cidr_block=f"10.100.{i}.0/24",
                              availability_zone=zone, map_public_ip_on_launch=False)
                   for i, zone in enumerate(("us-east-1a", "us-east-1b"))]
        labels = {"nvidia.com/mig.config": "all-1g.5gb"}
        if self.purpose:
            labels[PURPOSE] = self.purpose
        eks.NodeGroup(
            "mig-demo", cluster_name="mig-demo", node_role_arn="arn:aws:iam::123456789012:role/node",
            subnet_ids=[s.id for s in subnets], instance_types=["p4d.24xlarge"], ami_type="AL2_x86_64_GPU",
            scaling_config=eks.NodeGroupScalingConfigArgs(min_size=0, max_size=2, desired_size=1), labels=labels)


SOURCE = ("NVIDIA GPU Operator docs, gpu-operator-mig.html (nvidia.com/mig.config); pulumi/examples "
          "aws-py-eks/__main__.py (eks.NodeGroup)")

BASE = Case(
    name="aws-p4d-mig-demo-unlabelled",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    expected={
        "pool-purpose": expect(ADVISE, "an unlabelled 2-node p4d pool with no training intent", on="mig-demo"),
        "interconnect": expect(PASS, "not known to train: no block for a missing fabric"),
        "single-zone": expect(PASS, "not known to train: it may span zones"),
        "storage-throughput": expect(PASS, "no training pool"),
        "monthly-budget": expect(PASS, "2 × p4d.24xlarge × $21.96 × 730 h ≈ $32k"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-p4d-mig-demo-labelled-inference", "labelled inference → no advice either",
                 Program(purpose="inference"), {"pool-purpose": expect(PASS, "its purpose is declared")}),
    BASE.control("aws-p4d-mig-demo-labelled-training", "labelled training → no EFA, 2 zones and no file system "
                 "block", Program(purpose="training"), {
                     "pool-purpose": expect(PASS, "its purpose is declared"),
                     "interconnect": expect(BLOCK, "a training pool of p4d.24xlarge with 0 of 4 EFA interfaces",
                                            on="mig-demo"),
                     "single-zone": expect(BLOCK, "a training pool in 2 zones", on="mig-demo"),
                     "storage-throughput": expect(BLOCK, "16 training GPUs and no parallel file system"),
                     "compact-placement": expect(ADVISE, "a training pool on demand without a placement group")}),
]
