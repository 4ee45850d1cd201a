"""An EKS managed node group whose instance type and custom AMI live only in its launch template (no
``instanceTypes`` on the group), with p4d's 4 EFA interfaces, a cluster placement group, one subnet, a purpose
label, and FSx for Lustre.

Follows the EKS user guide "Customizing managed nodes with launch templates" (launch-templates.html: custom AMI
→ the instance type is set in the launch template, not on the node group) and pulumi/pulumi-eks
``examples/managed-nodegroups`` / ``nodejs/eks/nodes/nodegroup.ts`` (``eks.ManagedNodeGroup`` with
``launchTemplate: {id, version}``); EFA per the EKS guide node-efa.html.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, PURPOSE, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    efa_interfaces: int = 4

    def __call__(self) -> None:
        from pulumi_aws import ec2, eks, fsx

        subnet = ec2.Subnet("train-subnet", vpc_id="vpc-0train", cidr_block="10.2.0.0/20",
                            availability_zone="us-east-1c", map_public_ip_on_launch=False)
        group = ec2.PlacementGroup("train-pg", strategy="cluster")
        interfaces = [ec2.LaunchTemplateNetworkInterfaceArgs(
            device_index=0 if card == 0 else 1, network_card_index=card, interface_type="efa")
            for card in range(self.efa_interfaces)]
        template = ec2.LaunchTemplate(
            "p4d-custom-ami", image_id="ami-0custom4d24xl", instance_type="p4d.24xlarge",
            network_interfaces=interfaces,
            placement=ec2.LaunchTemplatePlacementArgs(group_name=group.name),
            user_data="IyEvYmluL2Jhc2gKL2V0Yy9la3MvYm9vdHN0cmFwLnNo")
        eks.NodeGroup("p4d-train", cluster_name="train", node_role_arn="arn:aws:iam::123456789012:role/node",
                      subnet_ids=[subnet.id],
                      launch_template=eks.NodeGroupLaunchTemplateArgs(id=template.id,
                                                                      version=template.latest_version.apply(str)),
                      scaling_config=eks.NodeGroupScalingConfigArgs(min_size=0, max_size=4, desired_size=2),
                      labels={PURPOSE: "training"})
        fsx.LustreFileSystem("train-scratch", storage_capacity=12000, subnet_ids=subnet.id,
                             deployment_type="PERSISTENT_2", per_unit_storage_throughput=500)


SOURCE = ("EKS user guide launch-templates.html (custom AMI: instance type only in the launch template) and "
          "node-efa.html; pulumi/pulumi-eks examples/managed-nodegroups (ManagedNodeGroup with launchTemplate)")

BASE = Case(
    name="unseen-aws-mng-custom-ami-p4d-efa",
    program=Program(),
    source=SOURCE,
    stack_config={"aws:region": "us-east-1"},
    expected={
        "max-accelerators": expect(PASS, "4 × 8 = 32 GPUs ≤ 512"),
        # changed after the first run: the FSx tier had no catalog price (issue 9 class 8); changed again with
        # issue 21, which prices it (0.34 USD per GB-month, a dated secondary source)
        "monthly-budget": expect(PASS, "4 × p4d.24xlarge × $21.96 × 730 h = $64,116 + 12 TiB of FSx at 500 MB/s/TiB "
                                       "× $340 = $4,080: ≈ $68k"),
        "interconnect": expect(PASS, "4 of 4 EFA interfaces in the launch template"),
        "single-zone": expect(PASS, "one subnet in us-east-1c"),
        "storage-throughput": expect(PASS, "12,000 GiB at 500 MB/s/TiB = 6,000 MB/s for 32 GPUs ≈ 188 MB/s each"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-aws-mng-custom-ami-p4d-one-efa", "1 EFA interface of 4 → interconnect blocks",
                 Program(efa_interfaces=1), {
                     "interconnect": expect(BLOCK, "a training pool of p4d.24xlarge with 1 of 4 EFA interfaces",
                                            on="p4d-train")}),
]
