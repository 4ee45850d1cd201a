"""Class 1 (private-nodes) — a node group whose subnet list is computed from public and private subnets.

Follows pulumi/pulumi-eks ``examples/efa/index.ts`` (``subnetIds: eksVpc.privateSubnetIds`` of an awsx VPC with
public and private subnets per zone, pulumi/pulumi-awsx ``ec2.Vpc``) and pulumi-labs/pulumi-nvidia-aicr
``examples/aws-eks-training-py`` (public subnets with ``map_public_ip_on_launch``), written without awsx: the
private ids are picked in an ``apply`` over all subnet ids, so the value depends on public subnets it does not
contain. Whether the nodes get public IPs is then unknown in a preview — "cannot verify", never "public".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulumi
from corpus_case import ADVISE, PASS, PURPOSE, UNVERIFIED, Case, Knobs, expect

ZONES = ("us-east-1a", "us-east-1b")


@dataclass(frozen=True)
class Program(Knobs):
    subnets: Literal["private-of-computed", "private", "public"] = "private-of-computed"

    def __call__(self) -> None:
        from pulumi_aws import ec2, eks

        vpc = ec2.Vpc("serve", cidr_block="10.0.0.0/16")
        public = [ec2.Subnet(f"serve-public-{i + 1}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24",
                             availability_zone=z, map_public_ip_on_launch=True) for i, z in enumerate(ZONES)]
        private = [ec2.Subnet(f"serve-private-{i + 1}", vpc_id=vpc.id, cidr_block=f"10.0.{100 + i}.0/24",
                              availability_zone=z, map_public_ip_on_launch=False) for i, z in enumerate(ZONES)]
        every = [s.id for s in public + private]
        chosen: object
        if self.subnets == "private-of-computed":
            chosen = pulumi.Output.all(*every).apply(lambda ids: ids[len(public):])
        else:
            chosen = [s.id for s in (private if self.subnets == "private" else public)]
        eks.NodeGroup(
            "l4-serving", cluster_name="serve", node_role_arn="arn:aws:iam::123456789012:role/node",
            subnet_ids=chosen, instance_types=["g6.xlarge"], ami_type="AL2023_x86_64_NVIDIA",
            scaling_config=eks.NodeGroupScalingConfigArgs(min_size=0, max_size=4, desired_size=1),
            labels={PURPOSE: "inference"})


SOURCE = ("pulumi/pulumi-eks examples/efa/index.ts (subnetIds: eksVpc.privateSubnetIds); pulumi/pulumi-awsx "
          "ec2.Vpc; pulumi-labs/pulumi-nvidia-aicr examples/aws-eks-training-py (public subnets)")

BASE = Case(
    name="aws-eks-private-subnets-computed-from-all",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    expected={
        "private-nodes": expect(UNVERIFIED, "the subnet list is computed from 2 public and 2 private subnets: "
                                            "which it holds is unknown in preview"),
        "monthly-budget": expect(PASS, "4 × g6.xlarge × $0.80 × 730 h ≈ $2.3k"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-eks-private-subnets-direct", "the private subnets directly → private-nodes passes",
                 Program(subnets="private"), {"private-nodes": expect(PASS, "both subnets are private")}),
    BASE.control("aws-eks-public-subnets-direct", "the public subnets directly → private-nodes advises",
                 Program(subnets="public"), {"private-nodes": expect(ADVISE, "both subnets map public IPs on "
                                                                            "launch", on="l4-serving")}),
]
