"""pulumi-eks ``nodeGroupOptions: {gpu: true, instanceType: "g5g.xlarge"}``: the default node group as pulumi-eks
creates it (``createNodeGroupV2``: an ``ec2.LaunchTemplate`` + an ``autoscaling.Group``, desired 2, min 1, max 2,
on the default VPC's public subnets).

Follows the pulumi-eks GPU example ("The cheapest instance with GPU support": Bottlerocket, ``g5g.xlarge``,
``gpu: true``) and pulumi-eks ``nodejs/eks/nodes/nodegroup.ts`` (NodeGroupV2 defaults). g5g.xlarge (Graviton +
T4G) is not in the catalog: a catalog gap, so "cannot verify" where its figures decide, never a silent pass.
"""

from __future__ import annotations

from corpus_case import PASS, UNVERIFIED, Case, expect


def program() -> None:
    from pulumi_aws import autoscaling, ec2

    subnets = [ec2.Subnet(f"default-{zone}", vpc_id="vpc-0default", cidr_block=f"172.31.{i * 16}.0/20",
                          availability_zone=zone, map_public_ip_on_launch=True)
               for i, zone in enumerate(("us-east-1a", "us-east-1b"))]
    template = ec2.LaunchTemplate("gpu-cluster-launchTemplate", image_id="ami-0bottlerocketnvidia",
                                  instance_type="g5g.xlarge",
                                  tag_specifications=[ec2.LaunchTemplateTagSpecificationArgs(
                                      resource_type="instance", tags={"Name": "gpu-cluster-worker"})])
    autoscaling.Group("gpu-cluster", min_size=1, max_size=2, desired_capacity=2,
                      launch_template=autoscaling.GroupLaunchTemplateArgs(id=template.id,
                                                                          version=template.latest_version.apply(str)),
                      vpc_zone_identifiers=[s.id for s in subnets],
                      tags=[autoscaling.GroupTagArgs(key="kubernetes.io/cluster/gpu-cluster", value="owned",
                                                     propagate_at_launch=True)])


SOURCE = ("pulumi/pulumi-eks examples (nodeGroupOptions gpu: true, instanceType g5g.xlarge, Bottlerocket); "
          "pulumi-eks nodejs/eks/nodes/nodegroup.ts createNodeGroupV2 (LaunchTemplate + autoscaling.Group)")

CASES = [Case(
    name="unseen-aws-pulumi-eks-default-gpu-group-g5g",
    program=program,
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    expected={
        "max-accelerators": expect(UNVERIFIED, "g5g.xlarge is not in the catalog: its GPU count is unknown"),
        "monthly-budget": expect(UNVERIFIED, "no catalog price for g5g.xlarge"),
        "interconnect": expect(PASS, "unlabelled, no EFA: not known to train"),
        "single-zone": expect(PASS, "not known to train (it does span 2 zones)"),
        "storage-throughput": expect(PASS, "no training pool"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)]
