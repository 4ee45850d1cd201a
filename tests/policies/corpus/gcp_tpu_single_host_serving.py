"""A single-host TPU serving pool — GKE node pool of ct5lp-hightpu-4t, 1..10 nodes, no topology (issue 18, item 4).

Follows ai-on-gke's TPU serving tutorials (JetStream / single-host inference on v5e: a node pool of
``ct5lp-hightpu-4t`` with autoscaling and no ``tpu_topology``, pods asking for ``google.com/tpu: 4``): each node is
its own 2x2 slice, ten independent v5e-4 slices at most. The pool is labelled inference.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, PURPOSE, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    topology: str | None = None
    compact: bool = False
    label: bool = True
    min_nodes: int = 1
    max_nodes: int = 10

    def __call__(self) -> None:
        from pulumi_gcp import container

        cluster = container.Cluster("serve", location="us-west4", initial_node_count=1,
                                    remove_default_node_pool=True,
                                    private_cluster_config={"enable_private_nodes": True})
        placement = None
        if self.topology is not None or self.compact:
            placement = {"type": "COMPACT", "tpu_topology": self.topology}
        autoscaling = ({"min_node_count": self.min_nodes, "max_node_count": self.max_nodes}
                       if self.topology is None else None)
        container.NodePool(
            "v5e-serving", cluster=cluster.id, location="us-west4", node_locations=["us-west4-a"],
            autoscaling=autoscaling, node_count=None if autoscaling else self.max_nodes,
            node_config={"machine_type": "ct5lp-hightpu-4t",
                         "labels": {PURPOSE: "inference"} if self.label else {}},
            placement_policy=placement)


SOURCE = "GoogleCloudPlatform/ai-on-gke TPU serving tutorials (JetStream on v5e, ct5lp-hightpu-4t single host)"

BASE = Case(
    name="gcp-tpu-single-host-serving-pool",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod"},
    expected={
        "tpu-topology": expect(PASS, "no topology: each node is its own 2x2 slice, 10 independent slices"),
        "monthly-budget": expect(PASS, "10 × $4.80 × 730 h ≈ $35k"),
    },
)

CASES = [
    BASE,
    BASE.control("gcp-tpu-serving-4x4-ten-hosts", "a 4x4 topology on 10 hosts (40 chips, 16 in the slice) → "
                 "tpu-topology blocks", Program(topology="4x4"), {
                     "tpu-topology": expect(BLOCK, "10 hosts × 4 chips = 40, 4x4 has 16", on="v5e-serving",
                                            says=("40", "16")),
                     "idle-accelerators": expect(ADVISE, "a fixed pool of 10 hosts keeps 40 chips running")}),
    BASE.control("gcp-tpu-unlabelled-compact-multihost", "unlabelled, COMPACT 2x4 on 2 hosts: compact placement "
                 "on TPU is no training intent → no storage-throughput block", Program(
                     topology="2x4", label=False, max_nodes=2), {
                     "storage-throughput": expect(PASS, "not a training pool: COMPACT is what GKE asks of every "
                                                        "multi-host slice"),
                     "pool-purpose": expect(ADVISE, "unlabelled, nothing a serving slice would not have")}),
]
