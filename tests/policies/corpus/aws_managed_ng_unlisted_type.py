"""Issue 18 — an EKS managed node group of 1,000 nodes of an accelerator-family type the catalog does not know.

Follows terraform-aws-modules/terraform-aws-eks ``examples/eks-managed-node-group`` (an ``aws_eks_node_group``
with ``instance_types``, ``scaling_config``, ``ami_type`` and a launch template) and pulumi/pulumi-eks
``examples/efa`` (32 EFA interfaces in the launch template, a cluster placement group), written with pulumi_aws
``eks.NodeGroup``. The type ``p7x.48xlarge`` is of the P family but not in the catalog (made up on purpose, so the
case never depends on which rows the catalog holds): each node has at least one accelerator, so 1,000 nodes are at
least 1,000 accelerators. The FSx (48,000 GiB at 500 MB/s/TiB = 24,000 MB/s) gives at most 24 MB/s to each of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, PURPOSE, UNVERIFIED, Case, Knobs, expect

UNLISTED = "p7x.48xlarge"


@dataclass(frozen=True)
class Program(Knobs):
    max_nodes: int = 1000

    def __call__(self) -> None:
        from pulumi_aws import ec2, eks, fsx

        vpc = ec2.Vpc("eks-vpc", cidr_block="10.3.0.0/16")
        subnet = ec2.Subnet("eks-private-a", vpc_id=vpc.id, cidr_block="10.3.0.0/19", availability_zone="us-west-2a",
                            map_public_ip_on_launch=False)
        group = ec2.PlacementGroup("efa-pg", strategy="cluster")
        template = ec2.LaunchTemplate(
            "efa-lt", placement=ec2.LaunchTemplatePlacementArgs(group_name=group.name),
            network_interfaces=[ec2.LaunchTemplateNetworkInterfaceArgs(
                interface_type="efa", network_card_index=card, device_index=0 if card == 0 else 1,
                associate_public_ip_address="false") for card in range(32)])
        eks.NodeGroup("next-gen", cluster_name="ml", node_role_arn="arn:aws:iam::123456789012:role/node",
                      subnet_ids=[subnet.id], instance_types=[UNLISTED], ami_type="AL2023_x86_64_NVIDIA",
                      launch_template=eks.NodeGroupLaunchTemplateArgs(id=template.id, version="$Latest"),
                      scaling_config=eks.NodeGroupScalingConfigArgs(min_size=0, max_size=self.max_nodes,
                                                                    desired_size=0),
                      labels={PURPOSE: "training"})
        fsx.LustreFileSystem("ml-data", storage_capacity=48000, subnet_ids=subnet.id,
                             deployment_type="PERSISTENT_2", per_unit_storage_throughput=500)


SOURCE = ("terraform-aws-modules/terraform-aws-eks examples/eks-managed-node-group; pulumi/pulumi-eks examples/efa")

BASE = Case(
    name="aws-mng-1000-unlisted-p-family",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-west-2"},
    expected={
        "max-accelerators": expect(BLOCK, "1,000 nodes of a P-family type: at least 1,000 accelerators > 512",
                                   on="next-gen", says=("at least 1,000", "accelerator family")),
        "monthly-budget": expect(UNVERIFIED, "no price is known for a type the catalog does not know"),
        "known-accelerator": expect(ADVISE, "p7x.48xlarge is not in the catalog", on="next-gen"),
        "interconnect": expect(UNVERIFIED, "how many EFA interfaces p7x.48xlarge has is not known"),
        "storage-throughput": expect(BLOCK, "24,000 MB/s for at least 1,000 accelerators: at most 24 MB/s each < 100",
                                     on="ml-data", says=("at most",)),
        "compact-placement": expect(PASS, "a cluster placement group in the launch template"),
        "single-zone": expect(PASS, "one subnet in us-west-2a"),
        "private-nodes": expect(PASS, "no public IP on any interface"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-mng-100-unlisted-p-family", "max 100 nodes → at least 100 accelerators: under the cap, and "
                 "the real count is unknown", Program(max_nodes=100), {
                     "max-accelerators": expect(UNVERIFIED, "at least 100 accelerators ≤ 512: the real count is "
                                                            "unknown"),
                     "storage-throughput": expect(UNVERIFIED, "at most 234 MB/s each ≥ 100 for the fewest: more "
                                                              "accelerators per node may be short")}),
]
