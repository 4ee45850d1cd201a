"""Issue 18 — a training cluster of plain EC2 instances: p5.48xlarge launched into one cluster placement group
from one launch template with 32 EFA interfaces, and an FSx for Lustre file system.

Follows the AWS EC2 User Guide "Get started with EFA and NCCL for ML workloads on Amazon EC2"
(docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-start-nccl.html: create a cluster placement group, launch the
instances into it with EFA network interfaces, one per network card) and the FSx for Lustre guide's
PERSISTENT_2 file system, written with pulumi_aws ``ec2.Instance`` (``placement_group``, ``launch_template``).
16 nodes = 128 H100; 19,200 GiB = 19.2 TiB (FSx's TiB of 1,000 GiB) × 1,000 MB/s/TiB = 19,200 MB/s (150 MB/s per GPU).
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    instances: int = 16

    def __call__(self) -> None:
        from pulumi_aws import ec2, fsx

        vpc = ec2.Vpc("nccl-vpc", cidr_block="10.2.0.0/16")
        subnet = ec2.Subnet("nccl-private", vpc_id=vpc.id, cidr_block="10.2.0.0/20", availability_zone="us-east-2b",
                            map_public_ip_on_launch=False)
        group = ec2.PlacementGroup("nccl-pg", strategy="cluster")
        template = ec2.LaunchTemplate("nccl-efa", image_id="ami-0dlami0dlami0dla", network_interfaces=[
            ec2.LaunchTemplateNetworkInterfaceArgs(interface_type="efa", network_card_index=card,
                                                   device_index=0 if card == 0 else 1, subnet_id=subnet.id,
                                                   associate_public_ip_address="false") for card in range(32)])
        for i in range(self.instances):
            ec2.Instance(f"nccl-node-{i}", instance_type="p5.48xlarge", placement_group=group.name,
                         availability_zone="us-east-2b",
                         launch_template=ec2.InstanceLaunchTemplateArgs(id=template.id, version="$Latest"))
        fsx.LustreFileSystem("nccl-data", storage_capacity=19200, subnet_ids=subnet.id,
                             deployment_type="PERSISTENT_2", per_unit_storage_throughput=1000)


SOURCE = ("AWS EC2 User Guide, efa-start-nccl.html (cluster placement group, EFA interfaces per network card); "
          "FSx for Lustre User Guide, PERSISTENT_2 file systems")

BASE = Case(
    name="aws-ec2-p5-instances-placement-group",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-2"},
    expected={
        "max-accelerators": expect(PASS, "16 × p5.48xlarge = 128 H100 ≤ 512"),
        # Issue 21: the FSx 1000 tier is priced now (was cannot verify without a price)
        "monthly-budget": expect(PASS, "16 × p5.48xlarge ≈ $642,867 + 19.2 TiB of FSx at 1000 MB/s/TiB × $600 = "
                                       "$11,520: ≈ $654k a month ≤ $2M"),
        "interconnect": expect(PASS, "32 EFA interfaces, p5.48xlarge has 32"),
        "compact-placement": expect(PASS, "one cluster placement group"),
        "single-zone": expect(PASS, "every instance in us-east-2b"),
        "storage-throughput": expect(PASS, "19,200 MB/s for 128 H100 = 150 MB/s each ≥ 100"),
        "storage-locality": expect(PASS, "the file system's subnet is in us-east-2b"),
        "private-nodes": expect(PASS, "associatePublicIpAddress false on every interface"),
        "idle-accelerators": expect(ADVISE, "16 instances run (128 H100 paid) whether a job uses them or not "
                                            "(corrected after the first run: was PASS; plain instances have no "
                                            "minimum of 0)", on="nccl-node-0"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-ec2-p5-instances-80", "80 instances instead of 16 → 640 H100: over the cap, the budget and "
                 "the storage", Program(instances=80), {
                     "max-accelerators": expect(BLOCK, "80 × 8 = 640 H100 > 512", says=("640",)),
                     "monthly-budget": expect(BLOCK, "80 × p5.48xlarge ≈ $3.2M a month > $2M"),
                     "storage-throughput": expect(BLOCK, "19,200 MB/s for 640 H100 = 30 MB/s each < 100")}),
]
