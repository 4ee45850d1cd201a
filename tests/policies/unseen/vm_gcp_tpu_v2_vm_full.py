"""The Terraform provider's full TPU VM example — ``google_tpu_v2_vm`` with ``accelerator_config {type = "V2",
topology = "2x2"}`` and ``scheduling_config {preemptible = true}``.

Follows hashicorp/terraform-provider-google's ``tpu_v2_vm_full`` example (also the Pulumi registry's "Tpu V2 Vm
Full"). TPU v2 is not in the catalog: the slice is seen and named, its size and price cannot be verified.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import PASS, UNVERIFIED, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    def __call__(self) -> None:
        from pulumi_gcp import tpu

        tpu.V2Vm("tpu", name="test-tpu", zone="us-central1-c", description="Text description of the TPU.",
                 runtime_version="tpu-vm-tf-2.13.0",
                 accelerator_config={"type": "V2", "topology": "2x2"},
                 scheduling_config={"preemptible": True}, labels={"foo": "bar"})


SOURCE = "hashicorp/terraform-provider-google tpu_v2_vm_full example; Pulumi registry gcp.tpu.V2Vm (Tpu V2 Vm Full)"

BASE = Case(
    name="unseen-gcp-tpu-v2-vm-full",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod"},
    expected={
        "max-accelerators": expect(UNVERIFIED, "TPU v2 is not in the catalog: its chips cannot be counted"),
        "monthly-budget": expect(UNVERIFIED, "no catalog price for TPU v2"),
        "interconnect": expect(PASS, "a TPU slice: ICI inside the slice"),
        "single-zone": expect(PASS, "one zone"),
        "storage-throughput": expect(PASS, "not a training pool"),
        "tpu-topology": expect(PASS, "the catalog has no v2 facts to judge the 2x2 shape with"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [BASE]
