"""A VM-based training cluster on GCP — a managed instance group of a3-highgpu-8g, no GKE (issue 18).

Follows GoogleCloudPlatform/ai-infra-cluster-provisioning ``a3/terraform/modules/cluster/mig`` ("a cluster of eight
a3-highgpu-8g VM instances. Each instance has eight H100 GPUs, five NICs: one VPC for the host network and four
dedicated to the GPUs"; ``use_compact_placement_policy = true``): an instance template with five gVNICs on five
VPCs, a COLLOCATED resource policy, an instance group manager of ``target_size`` 8. No parallel file system (the
module reads from Cloud Storage) and no purpose label.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect

ZONE = "us-central1-a"


@dataclass(frozen=True)
class Program(Knobs):
    target_size: int = 8

    def __call__(self) -> None:
        from pulumi_gcp import compute

        nets = [compute.Network(f"a3-net-{i}", auto_create_subnetworks=False, mtu=8244) for i in range(5)]
        subnets = [compute.Subnetwork(f"a3-sub-{i}", network=n.id, region="us-central1",
                                      ip_cidr_range=f"10.{i}.0.0/19") for i, n in enumerate(nets)]
        placement = compute.ResourcePolicy("a3-compact", region="us-central1",
                                           group_placement_policy={"collocation": "COLLOCATED", "vm_count": 8})
        template = compute.InstanceTemplate(
            "a3-template", machine_type="a3-highgpu-8g",
            disks=[{"source_image": "projects/cos-cloud/global/images/family/cos-105-lts", "boot": True,
                    "disk_size_gb": 200}],
            network_interfaces=[{"network": n.id, "subnetwork": s.id, "nic_type": "GVNIC"}
                                for n, s in zip(nets, subnets, strict=True)],
            scheduling={"on_host_maintenance": "TERMINATE", "automatic_restart": True},
            resource_policies=placement.self_link)
        compute.InstanceGroupManager("a3-mig", zone=ZONE, base_instance_name="a3",
                                     versions=[{"instance_template": template.self_link_unique}],
                                     target_size=self.target_size)


SOURCE = "GoogleCloudPlatform/ai-infra-cluster-provisioning a3/terraform/modules/cluster/mig (a3-highgpu-8g MIG)"

BASE = Case(
    name="gcp-a3-mig-vms-8",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod"},
    expected={
        "max-accelerators": expect(PASS, "8 × 8 H100 = 64, under the pool limit of 512"),
        "monthly-budget": expect(PASS, "8 × $88.49 × 730 h ≈ $517k, under $2M"),
        "interconnect": expect(PASS, "4 GPU NICs on 4 VPCs besides the host's: what a3-highgpu-8g needs"),
        "single-zone": expect(PASS, "one zone"),
        "storage-throughput": expect(BLOCK, "a training group (GPU NICs, compact placement) and no parallel file "
                                            "system for 64 GPUs", on="a3-mig"),
        "idle-accelerators": expect(ADVISE, "a fixed group of 8 VMs keeps 64 GPUs running, over 8"),
        "compact-placement": expect(PASS, "a COLLOCATED resource policy"),
    },
)

CASES = [
    BASE,
    BASE.control("gcp-a3-mig-vms-80", "target_size 80 → 640 GPUs: max-accelerators and the budget block",
                 Program(target_size=80), {
                     "max-accelerators": expect(BLOCK, "80 × 8 = 640 H100 over 512", on="a3-mig", says=("640",)),
                     "monthly-budget": expect(BLOCK, "80 × $88.49 × 730 h ≈ $5.2M over $2M", on="a3-mig")}),
]
