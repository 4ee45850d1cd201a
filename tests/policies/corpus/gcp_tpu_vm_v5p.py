"""A TPU VM slice, no GKE — ``gcp.tpu.V2Vm`` with accelerator type v5p-2048 (issue 18).

Follows the Pulumi registry's ``gcp.tpu.V2Vm`` example (``zone``, ``runtime_version``, ``accelerator_type``) with
the v5p device type and runtime of Cloud TPU's v5p guide (``gcloud compute tpus tpu-vm create --accelerator-type
v5p-...  --version v2-alpha-tpuv5``). v5p-2048 counts TensorCores: 1,024 chips on 256 hosts (XPK's table).
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    accelerator_type: str = "v5p-2048"

    def __call__(self) -> None:
        from pulumi_gcp import tpu

        tpu.V2Vm("v5p-slice", zone="us-east5-a", runtime_version="v2-alpha-tpuv5",
                 accelerator_type=self.accelerator_type)


SOURCE = "Pulumi registry gcp.tpu.V2Vm example; Cloud TPU v5p guide (tpu-vm create --accelerator-type v5p-N)"

BASE = Case(
    name="gcp-tpu-vm-v5p-2048",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod"},
    expected={
        "max-accelerators": expect(BLOCK, "1,024 v5p chips over the pool limit of 512", on="v5p-slice",
                                   says=("1,024",)),
        "monthly-budget": expect(BLOCK, "256 × $16.80 × 730 h ≈ $3.1M over $2M", on="v5p-slice"),
        "idle-accelerators": expect(ADVISE, "a fixed slice keeps 1,024 chips running"),
        "pool-purpose": expect(ADVISE, "no purpose label and nothing a serving slice would not have"),
    },
)

CASES = [
    BASE,
    BASE.control("gcp-tpu-vm-v5p-256", "v5p-256 (128 chips, 32 hosts ≈ $392k) → max and budget pass",
                 Program(accelerator_type="v5p-256"), {
                     "max-accelerators": expect(PASS, "128 chips"),
                     "monthly-budget": expect(PASS, "32 × $16.80 × 730 h ≈ $392k")}),
]
