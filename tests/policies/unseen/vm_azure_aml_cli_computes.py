"""Azure ML's sample computes — a CPU cluster and a GPU cluster (``az ml compute create``), as azure-native writes them.

Follows Azure/azureml-examples ``cli/create-compute.sh``: ``cpu-cluster --type amlcompute --min-instances 0
--max-instances 10`` (no size: the service's default CPU size) and ``gpu-cluster --type amlcompute --min-instances 0
--max-instances 4 --size Standard_NC12``. Standard_NC12 (two K80 halves, retired) is not in the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, UNVERIFIED, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    gpu_size: str = "Standard_NC12"
    gpu_max: int = 4

    def __call__(self) -> None:
        from pulumi_azure_native import machinelearningservices as ml

        ml.Compute("cpu-cluster", resource_group_name="azureml-examples-cli", workspace_name="main",
                   location="eastus", compute_name="cpu-cluster", properties={
                       "compute_type": "AmlCompute",
                       "properties": {"scale_settings": {"min_node_count": 0, "max_node_count": 10}}})
        ml.Compute("gpu-cluster", resource_group_name="azureml-examples-cli", workspace_name="main",
                   location="eastus", compute_name="gpu-cluster", properties={
                       "compute_type": "AmlCompute",
                       "properties": {"vm_size": self.gpu_size,
                                      "scale_settings": {"min_node_count": 0, "max_node_count": self.gpu_max}}})


SOURCE = "Azure/azureml-examples cli/create-compute.sh (cpu-cluster, gpu-cluster Standard_NC12 max 4)"

BASE = Case(
    name="unseen-azure-aml-cli-computes",
    program=Program(),
    source=SOURCE,
    expected={
        "max-accelerators": expect(UNVERIFIED, "Standard_NC12 is not in the catalog"),
        "monthly-budget": expect(UNVERIFIED, "no catalog price for Standard_NC12"),
        "interconnect": expect(PASS, "not known to train"),
        "single-zone": expect(PASS, "not known to train"),
        "storage-throughput": expect(PASS, "not known to train"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-azure-aml-nd-a100-80", "the GPU cluster on Standard_ND96asr_v4 up to 80 → 640 A100 blocks",
                 Program(gpu_size="Standard_ND96asr_v4", gpu_max=80), {
                     "max-accelerators": expect(BLOCK, "80 × 8 = 640 A100 over 512", on="gpu-cluster"),
                     "monthly-budget": expect(PASS, "80 × $27.20 × 730 h ≈ $1.6M"),
                     "storage-throughput": expect(BLOCK, "an InfiniBand size (training) with no file system")}),
]
