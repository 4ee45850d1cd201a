"""Class 4 — several candidate instance types on one EKS managed node group, in either order.

Follows pulumi/pulumi-eks ``examples/efa/index.ts`` (``instanceTypes`` read from stack config as a
comma-separated list, ``eks.ManagedNodeGroup(instanceTypes)`` → ``aws:eks/nodeGroup:NodeGroup``) and
``examples/managed-nodegroups-py/__main__.py`` (``instance_types=[...]``, ``labels``). EKS launches any listed
type, so caps and budget must be judged on the least favourable candidate — the priciest, p5.48xlarge — and the
verdict must not depend on the order of the list. This one serves (labelled inference), so only caps and budget
apply; the monthly budget is set to $100,000 in policy config.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, PURPOSE, Case, Knobs, expect

BUDGET = {"monthly-budget": {"usd": 100_000}}


@dataclass(frozen=True)
class Program(Knobs):
    instance_types: tuple[str, ...] = ("g5.48xlarge", "p5.48xlarge")
    max_nodes: int = 4

    def __call__(self) -> None:
        import pulumi
        from pulumi_aws import ec2, eks

        types = (pulumi.Config().get("instanceTypes") or ",".join(self.instance_types)).split(",")
        vpc = ec2.Vpc("serve", cidr_block="10.0.0.0/16")
        subnets = [ec2.Subnet(f"serve-private-{zone}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24",
                              availability_zone=zone, map_public_ip_on_launch=False)
                   for i, zone in enumerate(("us-east-1a", "us-east-1b"))]
        eks.NodeGroup(
            "serve-mng", cluster_name="serve", node_role_arn="arn:aws:iam::123456789012:role/node",
            subnet_ids=[s.id for s in subnets], instance_types=types, ami_type="AL2023_x86_64_NVIDIA",
            scaling_config=eks.NodeGroupScalingConfigArgs(min_size=0, max_size=self.max_nodes, desired_size=1),
            labels={PURPOSE: "inference", "ondemand": "true"})


SOURCE = ("pulumi/pulumi-eks examples/efa/index.ts (instanceTypes from config) and "
          "examples/managed-nodegroups-py/__main__.py (instance_types, labels)")

BASE = Case(
    name="aws-mng-g5-then-p5",
    program=Program(),
    source=SOURCE,
    policy_config=BUDGET,
    expected={
        "monthly-budget": expect(BLOCK, "at the priciest candidate, 4 × p5.48xlarge × $55.04 × 730 h ≈ $160,717 > "
                                        "$100,000 (4 × g5.48xlarge would be ≈ $47,561)", on="serve-mng",
                                 says=("p5.48xlarge",)),
        "max-accelerators": expect(PASS, "4 nodes × 8 GPUs = 32 with either candidate"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-mng-p5-then-g5", "the same two types reversed → the same block",
                 Program(instance_types=("p5.48xlarge", "g5.48xlarge")), {}),
    BASE.control("aws-mng-g5-then-p5-in-config", "the list from stack config (as the efa example reads it) → "
                 "the same block", Program(instance_types=()), {},
                 stack_config={"aws:region": "us-east-1", "backbone:instanceTypes": "g5.48xlarge,p5.48xlarge"}),
    BASE.control("aws-mng-two-types-two-nodes", "max 2 nodes: 2 × p5 ≈ $80k, under $100k → passes",
                 Program(max_nodes=2), {"monthly-budget": expect(PASS, "2 × p5.48xlarge ≈ $80,358 ≤ $100,000")}),
]
