"""Classes 8 and 10 — a GB300 managed node group on a Capacity Block, a type the catalog does not know.

Follows pulumi-labs/pulumi-nvidia-aicr ``examples/aws-eks-gb300-training-ts/index.ts``: one GPU subnet in the
Capacity Block's zone and a second for the control plane, a launch template with
``capacityReservationSpecification.capacityReservationTarget`` and one EFA interface (associatePublicIpAddress
"true"), ``eks.ManagedNodeGroup(instanceTypes=["p6e-gb300r.36xlarge"], capacityType="CAPACITY_BLOCK",
amiType="AL2023_ARM_64_NVIDIA", scalingConfig 2/2/2, labels {"nvidia.com/gpu": "gb300"})`` and
``aicr.ClusterStack(accelerator="gb300", intent="training")``. Added here: an FSx for Lustre in the GPU zone, so
storage-throughput has a file system to judge. Every rule that needs a catalog figure must say "cannot verify";
none may stay silent, and the Capacity Block needs no placement group.
"""

from __future__ import annotations

from dataclasses import dataclass

from aicr_sdk import ClusterStack
from corpus_case import ADVISE, BLOCK, PASS, UNVERIFIED, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    instance_type: str = "p6e-gb300r.36xlarge"
    ami_type: str = "AL2023_ARM_64_NVIDIA"

    def __call__(self) -> None:
        from pulumi_aws import ec2, eks, fsx

        vpc = ec2.Vpc("gpu-vpc", cidr_block="10.0.0.0/16", enable_dns_hostnames=True, enable_dns_support=True)
        gpu_subnet = ec2.Subnet("public-gpu", vpc_id=vpc.id, cidr_block="10.0.1.0/24",
                                availability_zone="us-east-1a", map_public_ip_on_launch=True)
        second = ec2.Subnet("public-2", vpc_id=vpc.id, cidr_block="10.0.2.0/24", availability_zone="us-east-1b",
                            map_public_ip_on_launch=True)
        cluster = eks.Cluster("aicr-gb300-training", role_arn="arn:aws:iam::123456789012:role/eks", version="1.34",
                              vpc_config=eks.ClusterVpcConfigArgs(subnet_ids=[gpu_subnet.id, second.id]))
        template = ec2.LaunchTemplate(
            "gpu-lt",
            capacity_reservation_specification=ec2.LaunchTemplateCapacityReservationSpecificationArgs(
                capacity_reservation_target=ec2.LaunchTemplateCapacityReservationSpecificationCapacityReservationTargetArgs(
                    capacity_reservation_id="cr-0123456789abcdef0")),
            network_interfaces=[ec2.LaunchTemplateNetworkInterfaceArgs(
                device_index=0, interface_type="efa", associate_public_ip_address="true",
                delete_on_termination="true")])
        gpu_nodes = eks.NodeGroup(
            "gb300-nodes", cluster_name=cluster.name, node_role_arn="arn:aws:iam::123456789012:role/node",
            subnet_ids=[gpu_subnet.id], instance_types=[self.instance_type], ami_type=self.ami_type,
            capacity_type="CAPACITY_BLOCK",
            launch_template=eks.NodeGroupLaunchTemplateArgs(id=template.id, version=template.latest_version.apply(str)),
            scaling_config=eks.NodeGroupScalingConfigArgs(min_size=2, max_size=2, desired_size=2),
            labels={"nvidia.com/gpu": "gb300"})
        fsx.LustreFileSystem("scratch", storage_capacity=4800, subnet_ids=gpu_subnet.id,
                             deployment_type="PERSISTENT_2", per_unit_storage_throughput=1000)
        ClusterStack("nvidia-aicr", accelerator="gb300", service="eks", intent="training", platform="kubeflow",
                     kubeconfig=gpu_nodes.arn)


SOURCE = "pulumi-labs/pulumi-nvidia-aicr examples/aws-eks-gb300-training-ts/index.ts"

BASE = Case(
    name="aws-aicr-gb300-capacity-block",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    expected={
        "known-accelerator": expect(ADVISE, "p6e-gb300r.36xlarge is not in the catalog", on="gb300-nodes",
                                    says=("p6e-gb300r.36xlarge",)),
        "max-accelerators": expect(UNVERIFIED, "the catalog does not know how many GPUs a node has"),
        "monthly-budget": expect(UNVERIFIED, "no catalog price for the type"),
        "interconnect": expect(UNVERIFIED, "a training pool (EFA interface, AICR intent: training) whose fabric "
                                           "the catalog does not know"),
        "storage-throughput": expect(UNVERIFIED, "the GPUs the FSx feeds cannot be counted"),
        "idle-accelerators": expect(UNVERIFIED, "min 2 nodes of a type whose GPU count is unknown"),
        "single-zone": expect(PASS, "one subnet, us-east-1a"),
        "compact-placement": expect(PASS, "a Capacity Block gives the placement; no group is asked for"),
        "private-nodes": expect(ADVISE, "the launch template's interface sets associatePublicIpAddress 'true'",
                                on="gb300-nodes"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-aicr-capacity-block-p5-one-efa", "p5.48xlarge instead (a known type) with the same single "
                 "EFA interface → interconnect blocks: 1 of 32",
                 Program(instance_type="p5.48xlarge", ami_type="AL2023_x86_64_NVIDIA"), {
                     "known-accelerator": expect(PASS, "p5.48xlarge is in the catalog"),
                     "max-accelerators": expect(PASS, "2 × 8 = 16 GPUs"),
                     # Issue 21: the FSx 1000 tier is priced now (was cannot verify without a price)
                     "monthly-budget": expect(PASS, "2 × p5.48xlarge Capacity Block × $39.33 × 730 h = $57,422 + 4.8 "
                                                    "TiB of FSx × $600 = $2,880: ≈ $60k ≤ $2M"),
                     "interconnect": expect(BLOCK, "1 of the 32 EFA interfaces of a p5.48xlarge", on="gb300-nodes",
                                            says=("32",)),
                     "storage-throughput": expect(PASS, "4,800 MB/s for 16 GPUs"),
                     "idle-accelerators": expect(ADVISE, "min 2 nodes keep 16 GPUs running, over 8")}),
]
