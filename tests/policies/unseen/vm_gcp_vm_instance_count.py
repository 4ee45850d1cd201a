"""Eighty a3-highgpu-8g VMs created one by one — Cluster Toolkit's ``vm-instance`` module with ``instance_count``.

Follows GoogleCloudPlatform/cluster-toolkit ``modules/compute/vm-instance`` (``google_compute_instance`` with
``count = var.instance_count``, ``machine_type``, ``network_interfaces``, ``on_host_maintenance = TERMINATE``):
instance_count 80 of a3-highgpu-8g (5 NICs each on their own VPCs), no placement policy. 80 × 8 = 640 H100; no single
VM is large, the stack is: ≈ 80 × $88.49 × 730 h = $5.2M a month.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    instance_count: int = 80

    def __call__(self) -> None:
        from pulumi_gcp import compute

        nets = [compute.Network(f"vm-net-{i}", auto_create_subnetworks=False) for i in range(5)]
        for i in range(self.instance_count):
            compute.Instance(
                f"a3-vm-{i}", machine_type="a3-highgpu-8g", zone="us-central1-c",
                boot_disk={"initialize_params": {"image": "debian-cloud/debian-12", "size": 200}},
                network_interfaces=[{"network": n.id, "nic_type": "GVNIC"} for n in nets],
                scheduling={"on_host_maintenance": "TERMINATE", "automatic_restart": True})


SOURCE = "GoogleCloudPlatform/cluster-toolkit modules/compute/vm-instance (instance_count, a3-highgpu-8g)"

BASE = Case(
    name="unseen-gcp-vm-instance-count-80",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod"},
    expected={
        "max-accelerators": expect(PASS, "each VM holds 8; the stack's 640 is under the stack limit of 1,024"),
        "monthly-budget": expect(BLOCK, "80 × $88.49 × 730 h ≈ $5.2M over $2M"),
        "interconnect": expect(PASS, "4 GPU NICs per VM on their own VPCs"),
        "single-zone": expect(PASS, "one zone"),
        "storage-throughput": expect(BLOCK, "640 GPUs with GPU NICs (training) and no parallel file system"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-gcp-vm-instance-count-8", "instance_count 8 → the budget passes", Program(instance_count=8), {
        "monthly-budget": expect(PASS, "8 × $88.49 × 730 h ≈ $517k")}),
]
