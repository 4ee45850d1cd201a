"""A self-managed (unmanaged) p5 node group on a Capacity Block for ML, as AWS's CloudFormation template for EKS
writes it: a launch template with ``InstanceMarketOptions.MarketType: capacity-block``, a
``CapacityReservationSpecification`` targeting the block, the instance type's EFA interfaces (32 on p5.48xlarge:
the first ``efa`` at device index 0, the rest ``efa-only`` on their network cards), and an Auto Scaling group of
2 in the block's one subnet. No file system in the template.

Follows AWS's "Amazon EKS - Create an unmanaged P4d/P5/P5e node group for Capacity Blocks for ML" CloudFormation
template (EKS user guide, capacity-blocks.html, self-managed nodes) and the EC2 guide "Maximize network bandwidth
on EFA-enabled instances" (efa-acc-inst-types). The EFA interfaces are training intent; the Capacity Block places
the nodes (no placement group needed).
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    lustre: bool = False

    def __call__(self) -> None:
        from pulumi_aws import autoscaling, ec2, fsx

        subnet = ec2.Subnet("capacity-block-subnet", vpc_id="vpc-0eks", cidr_block="10.0.64.0/18",
                            availability_zone="us-east-2a", map_public_ip_on_launch=False)
        interfaces = [ec2.LaunchTemplateNetworkInterfaceArgs(
            device_index=0 if card == 0 else 1, network_card_index=card,
            interface_type="efa" if card == 0 else "efa-only", delete_on_termination="true")
            for card in range(32)]
        template = ec2.LaunchTemplate(
            "cb-nodes-launch-template", image_id="ami-0eksacceleratedal2023", instance_type="p5.48xlarge",
            instance_market_options=ec2.LaunchTemplateInstanceMarketOptionsArgs(market_type="capacity-block"),
            capacity_reservation_specification=ec2.LaunchTemplateCapacityReservationSpecificationArgs(
                capacity_reservation_target=ec2.LaunchTemplateCapacityReservationSpecificationCapacityReservationTargetArgs(
                    capacity_reservation_id="cr-0a1b2c3d4e5f60718")),
            network_interfaces=interfaces)
        autoscaling.Group("cb-nodes", min_size=2, max_size=2, desired_capacity=2,
                          launch_template=autoscaling.GroupLaunchTemplateArgs(id=template.id, version="$Latest"),
                          vpc_zone_identifiers=[subnet.id],
                          tags=[autoscaling.GroupTagArgs(key="kubernetes.io/cluster/ml-cluster", value="owned",
                                                         propagate_at_launch=True)])
        if self.lustre:
            fsx.LustreFileSystem("cb-scratch", storage_capacity=4800, subnet_ids=subnet.id,
                                 deployment_type="PERSISTENT_2", per_unit_storage_throughput=1000)


SOURCE = ("AWS CloudFormation template 'Amazon EKS - Create an unmanaged P4d/P5/P5e node group for Capacity Blocks "
          "for ML' (EKS user guide capacity-blocks.html); EC2 guide efa-acc-inst-types (32 EFA on p5.48xlarge)")

BASE = Case(
    name="unseen-aws-capacity-block-unmanaged-p5",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-2"},
    expected={
        "max-accelerators": expect(PASS, "2 × 8 = 16 GPUs ≤ 512"),
        "monthly-budget": expect(PASS, "2 × p5.48xlarge on a Capacity Block ≈ 2 × $39.33 × 730 h ≈ $57k ≤ $2M"),
        "interconnect": expect(PASS, "32 of 32 EFA interfaces; a Capacity Block needs no placement group"),
        "single-zone": expect(PASS, "one subnet in us-east-2a"),
        "storage-throughput": expect(BLOCK, "EFA = training intent: 16 training GPUs and no parallel file system"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-aws-capacity-block-unmanaged-p5-fsx", "FSx for Lustre 4,800 GiB at 1,000 MB/s/TiB "
                 "(= 4,800 MB/s for 16 GPUs) → nothing blocks", Program(lustre=True), {
                     "storage-throughput": expect(PASS, "300 MB/s per GPU ≥ 100"),
                     # changed after the first run: the FSx tier had no catalog price (issue 9 class 8); changed
                     # again with issue 21, which prices it (0.60 USD per GB-month, a dated secondary source)
                     "monthly-budget": expect(PASS, "2 × p5.48xlarge on the reservation × $55.04 × 730 h = $80,358 + "
                                                    "4.8 TiB of FSx at 1000 MB/s/TiB × $600 = $2,880: ≈ $83k")}),
]
