"""Issue 18 — an EC2 Fleet launching GPU instances from a launch template with two instance-type overrides.

Follows the AWS EC2 User Guide "Example configurations for EC2 Fleet" (docs.aws.amazon.com/AWSEC2/latest/UserGuide/
ec2-fleet-examples.html: ``LaunchTemplateConfigs`` with ``Overrides`` of ``InstanceType`` and ``AvailabilityZone``,
``TargetCapacitySpecification`` with ``TotalTargetCapacity`` and ``DefaultTargetCapacityType``) written with
pulumi_aws ``ec2.Fleet``. 32 units of weight 1: 32 nodes of either type, 256 GPUs either way; judged at the pricier
p5.48xlarge. No label, no EFA, no placement group: not read as training.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    target: int = 32

    def __call__(self) -> None:
        from pulumi_aws import ec2

        template = ec2.LaunchTemplate("gpu-fleet-lt", image_id="ami-0dlami0dlami0dla")
        ec2.Fleet("gpu-fleet", type="instant", launch_template_configs=[ec2.FleetLaunchTemplateConfigArgs(
            launch_template_specification=ec2.FleetLaunchTemplateConfigLaunchTemplateSpecificationArgs(
                launch_template_id=template.id, version="$Latest"),
            overrides=[ec2.FleetLaunchTemplateConfigOverrideArgs(instance_type="p4d.24xlarge",
                                                                 availability_zone="us-east-1a"),
                       ec2.FleetLaunchTemplateConfigOverrideArgs(instance_type="p5.48xlarge",
                                                                 availability_zone="us-east-1a")])],
            target_capacity_specification=ec2.FleetTargetCapacitySpecificationArgs(
                default_target_capacity_type="on-demand", total_target_capacity=self.target))


SOURCE = "AWS EC2 User Guide, ec2-fleet-examples.html (launch template overrides, total target capacity)"

BASE = Case(
    name="aws-ec2-fleet-p4d-p5-32",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    expected={
        "max-accelerators": expect(PASS, "32 nodes × 8 GPUs = 256 ≤ 512 whichever type"),
        "monthly-budget": expect(PASS, "32 × p5.48xlarge ≈ $1.29M a month ≤ $2M"),
        "interconnect": expect(PASS, "nothing says it trains across nodes: no fabric asked"),
        "pool-purpose": expect(ADVISE, "32 GPU nodes with no purpose label", on="gpu-fleet"),
        "idle-accelerators": expect(ADVISE, "a fleet holds its 32 nodes (256 GPUs) whether they work or not",
                                    on="gpu-fleet"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-ec2-fleet-p4d-p5-128", "target 128 → 1,024 GPUs: over the cap and the budget",
                 Program(target=128), {
                     "max-accelerators": expect(BLOCK, "128 × 8 = 1,024 > 512", says=("1,024",)),
                     "monthly-budget": expect(BLOCK, "128 × p5.48xlarge ≈ $5.1M a month > $2M",
                                              says=("p5.48xlarge",))}),
]
