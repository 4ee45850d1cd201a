"""Class 1 — an EKS managed node group pinned to the first of several private subnets.

Follows pulumi/examples ``aws-py-eks`` (``vpc.py``: one subnet per availability zone; ``__main__.py``: an
``eks.NodeGroup`` on the VPC's subnet ids) with the pattern public programs use to pin a GPU group to one zone,
``vpc.privateSubnetIds.apply(ids => [ids[0]])`` (pulumi-eks ``nodejs/eks/nodes/nodegroup.ts`` does the same with
``filterEfaSubnets`` when ``enableEfaSupport`` is set). The group itself follows pulumi-eks ``examples/efa``:
p5.48xlarge with every EFA interface in a launch template and a cluster placement group.

The value ``[ids[0]]`` depends on all three subnets, but is one of them: a dependency says "may come from",
not "is". The zone is unknown in a preview (subnet ids are), so single-zone cannot verify — it must not block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulumi
from corpus_case import BLOCK, PASS, PURPOSE, UNVERIFIED, Case, Knobs, expect

ZONES = ("us-east-1a", "us-east-1b", "us-east-1c")
EFA_CARDS = 32  # p5.48xlarge: 32 network cards, one EFA interface each (AWS EFA docs)


@dataclass(frozen=True)
class Program(Knobs):
    subnets: Literal["first-of-computed", "first", "first-two"] = "first-of-computed"

    def __call__(self) -> None:
        from pulumi_aws import ec2, eks, fsx

        vpc = ec2.Vpc("eks-vpc", cidr_block="10.100.0.0/16", enable_dns_hostnames=True, enable_dns_support=True)
        private = [ec2.Subnet(f"private-{zone}", vpc_id=vpc.id, cidr_block=f"10.100.{i}.0/24",
                              availability_zone=zone, map_public_ip_on_launch=False)
                   for i, zone in enumerate(ZONES)]
        if self.subnets == "first-of-computed":
            node_subnets = pulumi.Output.all(*[s.id for s in private]).apply(lambda ids: [ids[0]])
        elif self.subnets == "first":
            node_subnets = [private[0].id]
        else:
            node_subnets = [private[0].id, private[1].id]
        cluster = eks.Cluster("gpu-cluster", role_arn="arn:aws:iam::123456789012:role/eks",
                              vpc_config=eks.ClusterVpcConfigArgs(subnet_ids=[s.id for s in private]))
        group = ec2.PlacementGroup("efa-mng-placementGroup", strategy="cluster")
        template = ec2.LaunchTemplate(
            "efa-mng-launchTemplate",
            placement=ec2.LaunchTemplatePlacementArgs(group_name=group.name),
            network_interfaces=[ec2.LaunchTemplateNetworkInterfaceArgs(
                interface_type="efa", network_card_index=card, device_index=0 if card == 0 else 1,
                associate_public_ip_address="false", delete_on_termination="true") for card in range(EFA_CARDS)])
        eks.NodeGroup(
            "efa-mng", cluster_name=cluster.name, node_role_arn="arn:aws:iam::123456789012:role/node",
            subnet_ids=node_subnets, instance_types=["p5.48xlarge"], ami_type="AL2023_x86_64_NVIDIA",
            scaling_config=eks.NodeGroupScalingConfigArgs(min_size=0, max_size=4, desired_size=0),
            launch_template=eks.NodeGroupLaunchTemplateArgs(id=template.id, version=template.latest_version.apply(str)),
            labels={PURPOSE: "training"},
            taints=[eks.NodeGroupTaintArgs(key="efa-enabled", value="true", effect="NO_EXECUTE")])
        fsx.LustreFileSystem("scratch", storage_capacity=4800, subnet_ids=private[0].id,
                             deployment_type="PERSISTENT_2", per_unit_storage_throughput=1000)


SOURCE = ("pulumi/examples aws-py-eks/vpc.py + aws-py-eks/__main__.py; pulumi/pulumi-eks examples/efa/index.ts "
          "and nodejs/eks/nodes/nodegroup.ts (filterEfaSubnets)")

BASE = Case(
    name="aws-eks-first-of-computed-subnets",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    expected={
        "single-zone": expect(UNVERIFIED, "subnetIds = [ids[0]] of 3 subnets: the zone is one of three, unknown in "
                                          "preview; a superset of links is no proof of 3 zones"),
        "storage-locality": expect(UNVERIFIED, "the pool's zone is unknown, so whether the FSx in us-east-1a is "
                                               "local cannot be told"),
        "interconnect": expect(PASS, "32 of 32 EFA interfaces on p5.48xlarge"),
        "compact-placement": expect(PASS, "cluster placement group in the launch template"),
        "storage-throughput": expect(PASS, "4.8 TB at 1000 MB/s/TB = 4,800 MB/s for 32 GPUs (150 MB/s each)"),
        # Issue 21: the FSx 1000 tier is priced now (was cannot verify without a price)
        "monthly-budget": expect(PASS, "4 × p5.48xlarge × $55.04 × 730 h = $160,717 + 4.8 TiB of FSx at 1000 "
                                       "MB/s/TiB × $600 = $2,880: ≈ $164k a month ≤ $2M"),
        "private-nodes": expect(PASS, "every candidate subnet is private and the interfaces take no public IP"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-eks-first-subnet-direct", "subnetIds = [private-a.id]: the zone is known → single-zone passes",
                 Program(subnets="first"), {
                     "single-zone": expect(PASS, "one subnet, us-east-1a"),
                     "storage-locality": expect(PASS, "FSx and pool both in us-east-1a")}),
    BASE.control("aws-eks-two-subnets-direct", "subnetIds = [a, b]: two known zones → single-zone blocks",
                 Program(subnets="first-two"), {
                     "single-zone": expect(BLOCK, "a training pool in us-east-1a and us-east-1b", on="efa-mng",
                                           says=("2 zones",)),
                     "storage-locality": expect(PASS, "the FSx zone is one of the pool's zones")}),
]
