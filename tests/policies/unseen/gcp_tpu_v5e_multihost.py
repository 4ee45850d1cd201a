"""A multi-host TPU v5e slice on GKE Standard: 4 nodes of ct5lp-hightpu-4t forming a 4x4 slice.

Follows the GKE how-to "Deploy TPU workloads in GKE Standard" (multi-host slice node pool: ``--machine-type
ct5lp-hightpu-4t --tpu-topology 4x4 --num-nodes 4``, a ``placement_policy`` with ``tpu_topology``) and the Cloud
TPU v5e docs (v5litepod-16 = 4x4 = 4 hosts of 4 chips). Like the how-to, it has no file system.
The control uses 2x4 on 4 hosts: 16 chips for an 8-chip shape, impossible.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, PURPOSE, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    topology: str = "4x4"

    def __call__(self) -> None:
        from pulumi_gcp import container

        cluster = container.Cluster("tpu-cluster", location="us-west4", initial_node_count=1,
                                    remove_default_node_pool=True)
        container.NodePool(
            "v5e-16", cluster=cluster.name, location="us-west4", node_locations=["us-west4-a"], node_count=4,
            node_config=container.NodePoolNodeConfigArgs(machine_type="ct5lp-hightpu-4t",
                                                         labels={PURPOSE: "training"}),
            placement_policy=container.NodePoolPlacementPolicyArgs(type="COMPACT", tpu_topology=self.topology))


SOURCE = ("GKE docs tpus (Deploy TPU workloads in GKE Standard: multi-host ct5lp-hightpu-4t, --tpu-topology 4x4, "
          "4 nodes); Cloud TPU docs v5e (v5litepod-16 = 4x4)")

BASE = Case(
    name="unseen-gcp-tpu-v5e-4x4-multihost",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "tpu-prod"},
    expected={
        "max-accelerators": expect(PASS, "4 hosts × 4 chips = 16 ≤ 512"),
        "monthly-budget": expect(PASS, "4 × ct5lp-hightpu-4t × $4.80 × 730 h ≈ $14k"),
        "interconnect": expect(PASS, "TPU slices use ICI, judged by tpu-topology"),
        "single-zone": expect(PASS, "one node location"),
        "storage-throughput": expect(BLOCK, "16 training TPU chips (labelled; COMPACT too) and no parallel file "
                                            "system: the floor is per accelerator, chips included"),
        "tpu-topology": expect(PASS, "4 hosts × 4 chips = 16 = 4x4"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-gcp-tpu-v5e-2x4-on-4-hosts", "2x4 (8 chips) on 4 hosts of 4 chips → tpu-topology blocks",
                 Program(topology="2x4"), {"tpu-topology": expect(BLOCK, "16 chips on 4 hosts cannot form 2x4",
                                                                  on="v5e-16")}),
]
