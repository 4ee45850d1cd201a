"""A self-managed spot GPU group with a mixed-instances policy (g5.48xlarge or g6e.48xlarge), labelled for
inference through the Cluster Autoscaler node-template tag, scaled to 80 nodes.

Follows terraform-aws-modules/terraform-aws-eks ``examples/self-managed-node-group`` (``use_mixed_instances_policy``,
``mixed_instances_policy.instances_distribution`` with ``on_demand_percentage_above_base_capacity = 0`` and
``spot_allocation_strategy = "capacity-optimized"``, ``override`` instance types) and the Cluster Autoscaler AWS
FAQ (``k8s.io/cluster-autoscaler/node-template/label/<label>`` tags). Both overrides have 8 GPUs, so 80 nodes are
640 GPUs whichever EC2 picks: spot or not, that is over the 512 per-pool cap.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, PURPOSE, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    max_size: int = 80

    def __call__(self) -> None:
        from pulumi_aws import autoscaling, ec2

        subnets = [ec2.Subnet(f"private-{zone}", vpc_id="vpc-0serving", cidr_block=f"10.1.{i}.0/24",
                              availability_zone=zone, map_public_ip_on_launch=False)
                   for i, zone in enumerate(("us-west-2a", "us-west-2b", "us-west-2c"))]
        template = ec2.LaunchTemplate("spot-gpu", image_id="ami-0eksgpu", instance_type="g5.48xlarge")
        spec = autoscaling.GroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecificationArgs(
            launch_template_id=template.id, version="$Latest")
        autoscaling.Group(
            "spot-gpu", min_size=0, max_size=self.max_size, desired_capacity=4,
            vpc_zone_identifiers=[s.id for s in subnets],
            mixed_instances_policy=autoscaling.GroupMixedInstancesPolicyArgs(
                instances_distribution=autoscaling.GroupMixedInstancesPolicyInstancesDistributionArgs(
                    on_demand_base_capacity=0, on_demand_percentage_above_base_capacity=0,
                    spot_allocation_strategy="capacity-optimized"),
                launch_template=autoscaling.GroupMixedInstancesPolicyLaunchTemplateArgs(
                    launch_template_specification=spec,
                    overrides=[autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideArgs(instance_type=t)
                               for t in ("g5.48xlarge", "g6e.48xlarge")])),
            tags=[autoscaling.GroupTagArgs(key=f"k8s.io/cluster-autoscaler/node-template/label/{PURPOSE}",
                                           value="inference", propagate_at_launch=True)])


SOURCE = ("terraform-aws-modules/terraform-aws-eks examples/self-managed-node-group (mixed_instances_policy, spot "
          "capacity-optimized, overrides); kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md "
          "(node-template label tags)")

BASE = Case(
    name="unseen-aws-spot-mixed-g5-g6e-80-nodes",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-west-2"},
    expected={
        "max-accelerators": expect(BLOCK, "80 nodes × 8 GPUs (either override) = 640 > 512", on="spot-gpu"),
        "monthly-budget": expect(PASS, "even at on-demand, 80 × g6e.48xlarge × $30.13 × 730 h ≈ $1.76M ≤ $2M"),
        "interconnect": expect(PASS, "labelled inference: no fabric demanded"),
        "single-zone": expect(PASS, "labelled inference: 3 zones are fine"),
        "storage-throughput": expect(PASS, "no training pool"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-aws-spot-mixed-g5-g6e-48-nodes", "max 48 nodes = 384 GPUs → passes", Program(max_size=48),
                 {"max-accelerators": expect(PASS, "48 × 8 = 384 ≤ 512")}),
]
