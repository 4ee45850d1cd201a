"""GKE pools defined inline in ``gcp:container/cluster:Cluster``: the default pool (``node_config`` +
``initial_node_count``, as pulumi/examples ``gcp-py-gke`` writes its cluster) and ``node_pools`` entries.

Follows pulumi/examples ``gcp-py-gke/__main__.py`` (``Cluster(initial_node_count=NODE_COUNT, node_config={
'machine_type': NODE_MACHINE_TYPE, ...})``) with an L4 machine type, in a regional cluster over two zones: the
per-zone count is multiplied by the zones. 40 × 2 zones × 8 L4 = 640 GPUs, over the pool limit of 512. Labelled
inference: only the caps and the budget apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from corpus_case import ADVISE, BLOCK, PASS, PURPOSE, Case, Knobs, expect

ZONES = ["us-central1-a", "us-central1-b"]


@dataclass(frozen=True)
class Program(Knobs):
    where: Literal["default-pool", "node-pools"] = "default-pool"
    per_zone: int = 40

    def __call__(self) -> None:
        from pulumi_gcp import container

        node_config = {"machine_type": "g2-standard-96", "labels": {PURPOSE: "inference"},
                       "oauth_scopes": ["https://www.googleapis.com/auth/cloud-platform"]}
        private = container.ClusterPrivateClusterConfigArgs(enable_private_nodes=True)
        if self.where == "default-pool":
            container.Cluster("gke-cluster", location="us-central1", node_locations=ZONES,
                              initial_node_count=self.per_zone, node_config=node_config,
                              private_cluster_config=private)
        else:
            container.Cluster("gke-cluster", location="us-central1", private_cluster_config=private, node_pools=[
                {"name": "default-pool", "node_count": 1, "node_config": {"machine_type": "e2-standard-4"}},
                {"name": "l4", "node_count": self.per_zone, "node_locations": ZONES, "node_config": node_config}])


SOURCE = "pulumi/examples gcp-py-gke/__main__.py (the default pool inline: initial_node_count + node_config)"

BASE = Case(
    name="gcp-cluster-inline-default-pool-640-l4",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod"},
    expected={
        "max-accelerators": expect(BLOCK, "40 per zone × 2 zones × 8 L4 = 640 > 512", on="gke-cluster",
                                   says=("640",)),
        "monthly-budget": expect(PASS, "80 × g2-standard-96 × $8.00 × 730 h ≈ $467k"),
        # added after the first run against the implemented pack (see docs/corpus.md): a fixed node count
        # (initial_node_count, no autoscaling) keeps every GPU running at zero load
        "idle-accelerators": expect(ADVISE, "a fixed 80 nodes keep 640 GPUs running, over the allowance of 8"),
    },
)

CASES = [
    BASE,
    BASE.control("gcp-cluster-inline-node-pools-640-l4", "the same pool as a node_pools entry → the same block",
                 Program(where="node-pools"), {}),
    BASE.control("gcp-cluster-inline-default-pool-320-l4", "20 per zone → 320 GPUs → passes",
                 Program(per_zone=20), {"max-accelerators": expect(PASS, "20 × 2 × 8 = 320 ≤ 512"),
                                        "monthly-budget": expect(PASS, "40 × $8.00 × 730 h ≈ $234k"),
                                        "idle-accelerators": expect(ADVISE, "a fixed 40 nodes keep 320 GPUs "
                                                                            "running, over 8")}),
]
