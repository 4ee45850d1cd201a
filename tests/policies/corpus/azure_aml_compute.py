"""An Azure Machine Learning compute cluster of ND A100 v4 — ``machinelearningservices.Compute`` (issue 18).

Follows Azure/azureml-examples' GPU cluster (``AmlCompute(size=..., min_instances=0, max_instances=...)``) as
azure-native writes it: ``properties={"compute_type": "AmlCompute", "properties": {"vm_size", "vm_priority",
"scale_settings": {"min_node_count", "max_node_count"}}}``. AzureML gives nodes a public IP unless
``enable_node_public_ip`` is false (the SDK's default is true).
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    max_nodes: int = 4

    def __call__(self) -> None:
        from pulumi_azure_native import machinelearningservices as ml

        ml.Compute("gpu-cluster", resource_group_name="ml-rg", workspace_name="ml-ws", location="eastus",
                   compute_name="gpu-cluster", properties={"compute_type": "AmlCompute", "properties": {
                       "vm_size": "Standard_ND96asr_v4", "vm_priority": "Dedicated",
                       "scale_settings": {"min_node_count": 0, "max_node_count": self.max_nodes,
                                          "node_idle_time_before_scale_down": "PT120S"}}})


SOURCE = "Azure/azureml-examples GPU cluster (AmlCompute, Standard_ND96asr_v4); azure-native machinelearningservices"

BASE = Case(
    name="azure-aml-nd-a100-4",
    program=Program(),
    source=SOURCE,
    expected={
        "max-accelerators": expect(PASS, "4 × 8 A100 = 32"),
        "monthly-budget": expect(PASS, "4 × $27.20 × 730 h ≈ $79k"),
        "storage-throughput": expect(BLOCK, "an InfiniBand (training) cluster of 32 GPUs and no parallel file "
                                            "system", on="gpu-cluster"),
        "private-nodes": expect(ADVISE, "enable_node_public_ip not set: AzureML's default gives nodes public IPs"),
    },
)

CASES = [
    BASE,
    BASE.control("azure-aml-nd-a100-100", "max_node_count 100 → 800 GPUs: max-accelerators and the budget block",
                 Program(max_nodes=100), {
                     "max-accelerators": expect(BLOCK, "100 × 8 = 800 over 512", on="gpu-cluster", says=("800",)),
                     # Written first as BLOCK from a rounded $27.20; at the catalog's $27.197 it is $1,985,381: just
                     # under $2M. The pack was right, the arithmetic was not (recorded in docs/corpus.md).
                     "monthly-budget": expect(PASS, "100 × $27.197 × 730 h ≈ $1.99M, just under $2M")}),
]
