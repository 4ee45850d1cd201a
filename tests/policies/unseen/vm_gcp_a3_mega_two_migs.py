"""Two managed instance groups of four a3-megagpu-8g each, GPUDirect-TCPXO, compact placement — no GKE.

Follows GoogleCloudPlatform/ai-infra-cluster-provisioning's a3-mega MIG cluster ("two Managed Instance Groups of four
a3-megagpu-8g VM instances each (eight instances in total). Each instance has eight H100 GPUs, nine NICs (one VPC
for the host network and eight dedicated to the GPUs)"; ``use_compact_placement_policy = true`` in its test
tfvars): one instance template with nine gVNICs on nine VPCs, a COLLOCATED resource policy, two zonal MIGs of
``target_size`` 4. It reads its data from Cloud Storage: no parallel file system.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect

ZONE = "us-east4-a"


@dataclass(frozen=True)
class Program(Knobs):
    gpu_vpcs: int = 8

    def __call__(self) -> None:
        from pulumi_gcp import compute

        nets = [compute.Network(f"a3m-vpc-{i}", auto_create_subnetworks=False, mtu=8244)
                for i in range(1 + self.gpu_vpcs)]
        subnets = [compute.Subnetwork(f"a3m-sub-{i}", network=n.id, region="us-east4", ip_cidr_range=f"10.{i}.0.0/16")
                   for i, n in enumerate(nets)]
        policy = compute.ResourcePolicy("a3m-compact", region="us-east4",
                                        group_placement_policy={"collocation": "COLLOCATED"})
        template = compute.InstanceTemplate(
            "a3m-template", machine_type="a3-megagpu-8g",
            disks=[{"source_image": "projects/cos-cloud/global/images/family/cos-109-lts", "boot": True}],
            network_interfaces=[{"network": n.id, "subnetwork": s.id, "nic_type": "GVNIC"}
                                for n, s in zip(nets, subnets, strict=True)],
            scheduling={"on_host_maintenance": "TERMINATE"}, resource_policies=policy.self_link)
        for i in range(2):
            compute.InstanceGroupManager(f"a3m-mig-{i}", zone=ZONE, base_instance_name=f"a3m-{i}",
                                         versions=[{"instance_template": template.self_link_unique}], target_size=4)


SOURCE = "GoogleCloudPlatform/ai-infra-cluster-provisioning a3-mega terraform/modules/cluster/mig (2 MIGs × 4)"

BASE = Case(
    name="unseen-gcp-a3-mega-two-migs",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod"},
    expected={
        "max-accelerators": expect(PASS, "2 × 4 × 8 = 64 H100"),
        "monthly-budget": expect(PASS, "8 × ≈ $93 × 730 h ≈ $543k"),
        "interconnect": expect(PASS, "8 GPU NICs on their own VPCs, as a3-megagpu-8g needs"),
        "single-zone": expect(PASS, "both groups in us-east4-a"),
        "storage-throughput": expect(BLOCK, "training groups (TCPXO NICs, compact placement), 64 GPUs, no parallel "
                                            "file system", on="a3m-mig-0"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
        "idle-accelerators": expect(ADVISE, "8 fixed VMs keep 64 GPUs running"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-gcp-a3-mega-two-migs-one-gpu-vpc", "the 8 GPU NICs on one VPC → interconnect blocks",
                 Program(gpu_vpcs=1), {
                     "interconnect": expect(BLOCK, "1 GPU NIC where a3-megagpu-8g has 8", on="a3m-mig-0")}),
]
