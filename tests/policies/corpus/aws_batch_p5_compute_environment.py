"""Issue 18 — an AWS Batch compute environment of p5.48xlarge for multi-node parallel training, bounded only by
``maxVcpus``.

Follows aws-samples/awsome-distributed-training ``1.architectures/3.aws-batch/0.aws-batch-distributed-training-p5.yaml``
(commit 391573b): a launch template on a Capacity Block (``instanceMarketOptions.marketType: capacity-block`` and
``capacityReservationSpecification``) with 32 EFA interfaces, a cluster placement group, and a managed EC2 compute
environment with ``AllocationStrategy: BEST_FIT``, ``MaxvCpus: 100000``, ``InstanceTypes: [p5.48xlarge]`` in the
one-AZ VPC's private subnet. No file system (the template reads data from S3). Written with pulumi_aws as a Pulumi
program would be. 100,000 vCPUs / 192 per p5.48xlarge = 520 nodes under BEST_FIT = 4,160 H100.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    max_vcpus: int = 100_000

    def __call__(self) -> None:
        from pulumi_aws import batch, ec2

        vpc = ec2.Vpc("LargeScaleVPC", cidr_block="10.0.0.0/16")
        subnet = ec2.Subnet("PrivateSubnet", vpc_id=vpc.id, cidr_block="10.0.128.0/17",
                            availability_zone="us-east-1a", map_public_ip_on_launch=False)
        template = ec2.LaunchTemplate(
            "DistributedDeepLearningLT",
            instance_market_options=ec2.LaunchTemplateInstanceMarketOptionsArgs(market_type="capacity-block"),
            capacity_reservation_specification=ec2.LaunchTemplateCapacityReservationSpecificationArgs(
                capacity_reservation_target=ec2.LaunchTemplateCapacityReservationSpecificationCapacityReservationTargetArgs(
                    capacity_reservation_id="cr-0123456789abcdef0")),
            network_interfaces=[ec2.LaunchTemplateNetworkInterfaceArgs(
                description="EFA Interface", network_card_index=card, device_index=0, delete_on_termination="true",
                interface_type="efa") for card in range(32)])
        group = ec2.PlacementGroup("ClusterPlacementGroup", strategy="cluster")
        batch.ComputeEnvironment(
            "DistributedDeepLearningCE", type="MANAGED",
            service_role="arn:aws:iam::123456789012:role/BatchInstanceRole",
            compute_resources=batch.ComputeEnvironmentComputeResourcesArgs(
                type="EC2", allocation_strategy="BEST_FIT", max_vcpus=self.max_vcpus, min_vcpus=0, desired_vcpus=0,
                placement_group=group.name, subnets=[subnet.id], security_group_ids=["sg-0efa0efa0efa0efa0"],
                instance_role="arn:aws:iam::123456789012:instance-profile/ECSTaskInstanceProfileIAM",
                launch_template=batch.ComputeEnvironmentComputeResourcesLaunchTemplateArgs(
                    launch_template_id=template.id, version="$Latest"),
                instance_types=["p5.48xlarge"]),
            tags={"Name": "Batch Deep Learning"})


SOURCE = ("aws-samples/awsome-distributed-training 1.architectures/3.aws-batch/"
          "0.aws-batch-distributed-training-p5.yaml (commit 391573b)")

BASE = Case(
    name="aws-batch-p5-max-vcpus-100000",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    expected={
        "max-accelerators": expect(BLOCK, "100,000 vCPUs / 192 = 520 × p5.48xlarge = 4,160 H100 > 512",
                                   on="DistributedDeepLearningCE", says=("4,160",)),
        "monthly-budget": expect(BLOCK, "520 p5.48xlarge nodes a month is millions of dollars at any published rate",
                                 on="DistributedDeepLearningCE"),
        "interconnect": expect(PASS, "32 EFA interfaces in the launch template, p5.48xlarge has 32"),
        "compact-placement": expect(PASS, "a Capacity Block places its nodes"),
        "single-zone": expect(PASS, "one private subnet in us-east-1a"),
        "storage-throughput": expect(BLOCK, "a training environment (32 EFA interfaces) with no parallel file "
                                            "system in the stack", on="DistributedDeepLearningCE"),
        "private-nodes": expect(PASS, "the subnet maps no public IP and the interfaces ask for none"),
        "known-accelerator": expect(PASS, "p5.48xlarge is in the catalog"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-batch-p5-max-vcpus-1536", "maxVcpus 1,536 = 8 nodes = 64 H100 → the caps and the budget pass",
                 Program(max_vcpus=1536), {
                     "max-accelerators": expect(PASS, "8 × p5.48xlarge = 64 H100 ≤ 512"),
                     "monthly-budget": expect(PASS, "8 × p5.48xlarge a month ≤ $2M")}),
]
