"""Classes 2 and 4 — a self-managed autoscaling group with a mixed-instances policy: p4d.24xlarge or
g6e.48xlarge, whichever EC2 has.

Follows the AWS Auto Scaling guide "Auto Scaling groups with multiple instance types and purchase options"
(https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-mixed-instances-groups.html:
``MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification`` + ``Overrides[].InstanceType``,
``InstancesDistribution``) as terraform-aws-modules/terraform-aws-eks self-managed node groups expose it
(``mixed_instances_policy``), in Pulumi (``aws.autoscaling.Group(mixed_instances_policy=...)``). The group may
run either type; the budget ($150,000 in policy config) must be judged on the priciest, g6e.48xlarge, in
either order. No purpose label (self-managed labels live in user data) and no fabric: a purpose advice.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    overrides: tuple[str, ...] = ("p4d.24xlarge", "g6e.48xlarge")
    max_nodes: int = 8

    def __call__(self) -> None:
        from pulumi_aws import autoscaling, ec2

        vpc = ec2.Vpc("batch-vpc", cidr_block="10.20.0.0/16")
        subnet = ec2.Subnet("batch-private-a", vpc_id=vpc.id, cidr_block="10.20.0.0/19",
                            availability_zone="us-east-1a", map_public_ip_on_launch=False)
        template = ec2.LaunchTemplate(
            "gpu-workers-launchTemplate", image_id="ami-0abcdef1234567890", network_interfaces=[
                ec2.LaunchTemplateNetworkInterfaceArgs(device_index=0, associate_public_ip_address="false")])
        autoscaling.Group(
            "gpu-workers", min_size=0, max_size=self.max_nodes, desired_capacity=0, vpc_zone_identifiers=[subnet.id],
            mixed_instances_policy=autoscaling.GroupMixedInstancesPolicyArgs(
                instances_distribution=autoscaling.GroupMixedInstancesPolicyInstancesDistributionArgs(
                    on_demand_base_capacity=0, on_demand_percentage_above_base_capacity=100,
                    on_demand_allocation_strategy="prioritized"),
                launch_template=autoscaling.GroupMixedInstancesPolicyLaunchTemplateArgs(
                    launch_template_specification=autoscaling.GroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecificationArgs(
                        launch_template_id=template.id, version="$Latest"),
                    overrides=[autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideArgs(instance_type=t)
                               for t in self.overrides])))


SOURCE = ("AWS EC2 Auto Scaling user guide, ec2-auto-scaling-mixed-instances-groups.html; "
          "terraform-aws-modules/terraform-aws-eks self-managed node group mixed_instances_policy")

BASE = Case(
    name="aws-asg-mixed-p4d-then-g6e",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    policy_config={"monthly-budget": {"usd": 150_000}},
    expected={
        "monthly-budget": expect(BLOCK, "at the priciest override, 8 × g6e.48xlarge × $30.13 × 730 h ≈ $175,966 > "
                                        "$150,000 (8 × p4d.24xlarge would be ≈ $128,232)", on="gpu-workers",
                                 says=("g6e.48xlarge",)),
        "pool-purpose": expect(ADVISE, "an unlabelled group of up to 8 GPU nodes with no training intent",
                               on="gpu-workers"),
        "max-accelerators": expect(PASS, "8 × 8 GPUs = 64 with either override"),
    },
)

CASES = [
    BASE,
    BASE.control("aws-asg-mixed-g6e-then-p4d", "the overrides reversed → the same block",
                 Program(overrides=("g6e.48xlarge", "p4d.24xlarge")), {}),
    BASE.control("aws-asg-mixed-six-nodes", "max 6 nodes: 6 × g6e ≈ $131,974 → the budget passes",
                 Program(max_nodes=6), {"monthly-budget": expect(PASS, "6 × g6e.48xlarge ≈ $131,974 ≤ $150,000")}),
]
