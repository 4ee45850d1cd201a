"""Class 2 — pulumi-eks's default (self-managed) node group: up to 4 × p5.48xlarge over 2 zones, no EFA,
under NVIDIA AICR's training stack.

Follows pulumi-labs/pulumi-nvidia-aicr ``examples/aws-eks-training-py/__main__.py``: a VPC with two subnets in
us-east-1a / us-east-1b (mapPublicIpOnLaunch), ``eks.Cluster(instance_type="p5.48xlarge", min_size=1,
max_size=node_count * 2, node_associate_public_ip_address=False)`` and ``aicr.ClusterStack(intent="training")``.
The provider resources are the ones pulumi-eks creates for that default group (``nodejs/eks/nodes/nodegroup.ts``,
``createNodeGroupV2``): an ``aws:ec2/launchTemplate:LaunchTemplate`` (instanceType, one network interface with
associatePublicIpAddress) and an ``aws:autoscaling/group:Group`` (minSize, maxSize, launchTemplate name/version,
vpcZoneIdentifiers). The ClusterStack is registered under its type token as its generated SDK does
(aicr_sdk.py). The training intent makes it a training pool: 2 zones and no EFA must block.
"""

from __future__ import annotations

from dataclasses import dataclass

from aicr_sdk import ClusterStack
from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect

ZONES = ("us-east-1a", "us-east-1b")


@dataclass(frozen=True)
class Program(Knobs):
    runtime_stack: bool = True
    efa: bool = False
    zones: tuple[str, ...] = ZONES
    lustre: bool = False

    def __call__(self) -> None:
        from pulumi_aws import autoscaling, ec2, eks, fsx

        vpc = ec2.Vpc("gpu-vpc", cidr_block="10.0.0.0/16", enable_dns_hostnames=True, enable_dns_support=True)
        subnets = [ec2.Subnet(f"public-{i + 1}", vpc_id=vpc.id, cidr_block=f"10.0.{i + 1}.0/24",
                              availability_zone=zone, map_public_ip_on_launch=True)
                   for i, zone in enumerate(self.zones)]
        cluster = eks.Cluster("aicr-training-eksCluster", role_arn="arn:aws:iam::123456789012:role/eks",
                              vpc_config=eks.ClusterVpcConfigArgs(subnet_ids=[s.id for s in subnets]))
        placement = None
        if self.efa:
            group = ec2.PlacementGroup("aicr-training-placement", strategy="cluster")
            placement = ec2.LaunchTemplatePlacementArgs(group_name=group.name)
            interfaces = [ec2.LaunchTemplateNetworkInterfaceArgs(
                interface_type="efa", network_card_index=card, device_index=0 if card == 0 else 1,
                associate_public_ip_address="false") for card in range(32)]
        else:
            interfaces = [ec2.LaunchTemplateNetworkInterfaceArgs(associate_public_ip_address="false",
                                                                 security_groups=["sg-0123456789abcdef0"])]
        template = ec2.LaunchTemplate("aicr-training-launchTemplate", image_id="ami-0abcdef1234567890",
                                      instance_type="p5.48xlarge", network_interfaces=interfaces, placement=placement)
        autoscaling.Group(
            "aicr-training", min_size=1, max_size=4, desired_capacity=2,
            launch_template=autoscaling.GroupLaunchTemplateArgs(name=template.name,
                                                                version=template.latest_version.apply(str)),
            vpc_zone_identifiers=[s.id for s in subnets],
            tags=[autoscaling.GroupTagArgs(key="Name", value="aicr-training-worker", propagate_at_launch=True)])
        if self.lustre:
            fsx.LustreFileSystem("scratch", storage_capacity=4800, subnet_ids=subnets[0].id,
                                 deployment_type="PERSISTENT_2", per_unit_storage_throughput=1000)
        if self.runtime_stack:
            ClusterStack("nvidia-aicr", accelerator="h100", service="eks", intent="training", platform="kubeflow",
                         kubeconfig=cluster.endpoint)


SOURCE = ("pulumi-labs/pulumi-nvidia-aicr examples/aws-eks-training-py/__main__.py; pulumi/pulumi-eks "
          "nodejs/eks/nodes/nodegroup.ts (createNodeGroupV2: LaunchTemplate + autoscaling.Group)")

BASE = Case(
    name="aws-aicr-training-self-managed-p5",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    expected={
        "interconnect": expect(BLOCK, "a training pool (AICR intent: training) of up to 4 × p5.48xlarge with 0 of "
                                      "32 EFA interfaces", on="aicr-training", says=("p5.48xlarge",)),
        "single-zone": expect(BLOCK, "its vpcZoneIdentifiers are subnets in us-east-1a and us-east-1b",
                              on="aicr-training", says=("2 zones",)),
        "storage-throughput": expect(BLOCK, "32 training GPUs and no parallel file system"),
        "compact-placement": expect(ADVISE, "a multi-node training pool without a cluster placement group, on no "
                                            "reservation"),
        "monthly-budget": expect(PASS, "4 × p5.48xlarge × $55.04 × 730 h ≈ $161k, under $2M"),
        "private-nodes": expect(PASS, "associatePublicIpAddress 'false' on the only interface overrides the "
                                      "subnets' mapPublicIpOnLaunch"),
        "idle-accelerators": expect(PASS, "min 1 node = 8 GPUs idle, the allowance is 8"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-aicr-self-managed-p5-no-runtime-stack",
                 "no ClusterStack: no training intent, no label → the pool-purpose advice instead of blocks",
                 Program(runtime_stack=False), {
                     "interconnect": expect(PASS, "not a training pool: no label, no fabric, no training intent"),
                     "single-zone": expect(PASS, "not a training pool"),
                     "storage-throughput": expect(PASS, "no training pool"),
                     "compact-placement": expect(PASS, "not a training pool"),
                     "pool-purpose": expect(ADVISE, "an unlabelled 4-node p5 pool with no training intent",
                                            on="aicr-training")}),
    BASE.control("aws-aicr-self-managed-p5-efa-one-zone",
                 "32 EFA interfaces, a cluster placement group, one zone and an FSx → nothing blocks",
                 Program(efa=True, zones=("us-east-1a",), lustre=True), {
                     "interconnect": expect(PASS, "32 of 32 EFA interfaces"),
                     "single-zone": expect(PASS, "one subnet, us-east-1a"),
                     "storage-throughput": expect(PASS, "4,800 MB/s for 32 GPUs"),
                     "compact-placement": expect(PASS, "cluster placement group"),
                     # Issue 21: the FSx 1000 tier is priced now (was cannot verify without a price)
                     "monthly-budget": expect(PASS, "4 × p5.48xlarge × $55.04 × 730 h = $160,717 + 4.8 TiB of FSx at "
                                                    "1000 MB/s/TiB × $600 = $2,880: ≈ $164k ≤ $2M")}),
]
