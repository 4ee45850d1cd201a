"""A Trainium (trn1.32xlarge) EKS managed node group with its 8 EFA interfaces and a cluster placement group —
on the VPC's private subnets in two zones, as awslabs/data-on-eks ``ai-ml/trainium-inferentia`` writes it.

Follows awslabs/data-on-eks ``ai-ml/trainium-inferentia`` (trn1-32xl node group: EFA interfaces in the launch
template, ``placement group``, Neuron AMI, ``instance_types = ["trn1.32xlarge"]``) and the Neuron docs for EKS
(trn1.32xlarge: 16 Trainium devices, 8 EFA network cards). The data-on-eks group pins one subnet; this port gives it
both private subnets, as many copies do: a training pool over 2 zones.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, PURPOSE, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    zones: tuple[str, ...] = ("us-east-1c", "us-east-1d")

    def __call__(self) -> None:
        from pulumi_aws import ec2, eks, fsx

        subnets = [ec2.Subnet(f"private-{z}", vpc_id="vpc-0doeks", cidr_block=f"10.3.{i}.0/24", availability_zone=z,
                              map_public_ip_on_launch=False) for i, z in enumerate(self.zones)]
        group = ec2.PlacementGroup("trn1-pg", strategy="cluster")
        template = ec2.LaunchTemplate(
            "trn1-32xl", image_id="ami-0neuroneks",
            network_interfaces=[ec2.LaunchTemplateNetworkInterfaceArgs(
                device_index=0 if card == 0 else 1, network_card_index=card, interface_type="efa")
                for card in range(8)],
            placement=ec2.LaunchTemplatePlacementArgs(group_name=group.name))
        eks.NodeGroup("trn1-32xl-ng1", cluster_name="trainium-inferentia",
                      node_role_arn="arn:aws:iam::123456789012:role/node", subnet_ids=[s.id for s in subnets],
                      instance_types=["trn1.32xlarge"],
                      launch_template=eks.NodeGroupLaunchTemplateArgs(id=template.id, version="$Latest"),
                      scaling_config=eks.NodeGroupScalingConfigArgs(min_size=0, max_size=4, desired_size=0),
                      labels={PURPOSE: "training", "instance-type": "trn1-32xl"})
        fsx.LustreFileSystem("neuron-fsx", storage_capacity=16800, subnet_ids=subnets[0].id,
                             deployment_type="PERSISTENT_2", per_unit_storage_throughput=500)


SOURCE = ("awslabs/data-on-eks ai-ml/trainium-inferentia (trn1-32xl managed node group, EFA, placement group, "
          "FSx for Lustre); AWS Neuron docs (trn1.32xlarge: 16 devices, 8 EFA)")

BASE = Case(
    name="unseen-aws-trn1-efa-two-zones",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    expected={
        "max-accelerators": expect(PASS, "4 × 16 = 64 Trainium ≤ 512"),
        # changed with issue 21: the FSx 500 tier is priced now (0.34 USD per GB-month, a dated secondary source)
        "monthly-budget": expect(PASS, "4 × trn1.32xlarge × $21.50 × 730 h = $62,780 + 16.8 TiB of FSx at 500 "
                                       "MB/s/TiB × $340 = $5,712: ≈ $68k"),
        "interconnect": expect(PASS, "8 of 8 EFA interfaces"),
        "single-zone": expect(BLOCK, "a training pool over us-east-1c and us-east-1d", on="trn1-32xl-ng1"),
        "storage-throughput": expect(PASS, "16,800 GiB at 500 MB/s/TiB = 8,400 MB/s for 64 devices ≈ 131 MB/s"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-aws-trn1-efa-one-zone", "one subnet, as data-on-eks pins it → single-zone passes",
                 Program(zones=("us-east-1c",)), {"single-zone": expect(PASS, "one zone")}),
]
