"""A Multislice TPU request — ``gcp.tpu.V2QueuedResource`` with one node spec per v6e-256 slice (issue 18).

Follows the Pulumi registry's ``gcp.tpu.V2QueuedResource`` example (``tpu.node_specs[]`` with ``parent``,
``node_id``, ``node.runtime_version`` / ``accelerator_type``) and Cloud TPU's Multislice guide (one queued resource,
``--node-count`` slices). v6e-256 is 16x16: 256 chips on 64 ct6e-standard-4t hosts (XPK's table).
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    slices: int = 2

    def __call__(self) -> None:
        from pulumi_gcp import tpu

        parent = "projects/ml-prod/locations/us-east5-b"
        tpu.V2QueuedResource("multislice", zone="us-east5-b", tpu={"node_specs": [
            {"parent": parent, "node_id": f"slice-{i}",
             "node": {"runtime_version": "v2-alpha-tpuv6e", "accelerator_type": "v6e-256"}}
            for i in range(self.slices)]})


SOURCE = "Pulumi registry gcp.tpu.V2QueuedResource example; Cloud TPU Multislice (queued resources, v6e-256)"

BASE = Case(
    name="gcp-tpu-queued-2x-v6e-256",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod"},
    expected={
        "max-accelerators": expect(PASS, "2 slices × 256 chips = 512: each at the pool limit, the stack under 1,024"),
        "monthly-budget": expect(PASS, "2 × 64 × $10.80 × 730 h ≈ $1.0M"),
        "idle-accelerators": expect(ADVISE, "two fixed slices keep 512 chips running"),
        "pool-purpose": expect(ADVISE, "two unlabelled slices"),
    },
)

CASES = [
    BASE,
    BASE.control("gcp-tpu-queued-8x-v6e-256", "8 slices → 2,048 chips: the stack limit and the budget block",
                 Program(slices=8), {
                     "max-accelerators": expect(BLOCK, "8 × 256 = 2,048 chips over the stack limit of 1,024",
                                                says=("2,048",)),
                     "monthly-budget": expect(BLOCK, "8 × 64 × $10.80 × 730 h ≈ $4.0M")}),
]
