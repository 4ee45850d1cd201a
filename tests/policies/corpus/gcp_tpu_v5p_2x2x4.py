"""Class 9 — a TPU v5p slice of topology 2x2x4 (v5p-32: 16 chips, 4 hosts of ct5p-hightpu-4t).

Follows the GKE TPU node-pool shape (https://cloud.google.com/kubernetes-engine/docs/how-to/tpus: ``gcloud
container node-pools create --machine-type=ct5p-hightpu-4t --tpu-topology=2x2x4 --num-nodes=4``, i.e.
``placement_policy {type COMPACT, tpu_topology}``) as the Cluster Toolkit's gke-node-pool module writes it, with
Parallelstore for data. 2x2x4 is a valid, widely used slice: Google's table lists "the most common shapes" only,
and the XPK tool's topology table (google/xpk, system characteristics: v5p-32 = 2x2x4) lists it. Impossible shapes
(wrong host count, wrong dimension count) must still block.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, PURPOSE, Case, Knobs, expect

ZONE = "us-east5-a"


@dataclass(frozen=True)
class Program(Knobs):
    topology: str = "2x2x4"
    nodes: int = 4

    def __call__(self) -> None:
        from pulumi_gcp import compute, container, parallelstore

        net = compute.Network("tpu-net", auto_create_subnetworks=True)
        cluster = container.Cluster(
            "tpu-cluster", location="us-east5", network=net.name, initial_node_count=1,
            remove_default_node_pool=True,
            private_cluster_config=container.ClusterPrivateClusterConfigArgs(enable_private_nodes=True))
        container.NodePool(
            "v5p-32", cluster=cluster.id, location="us-east5", node_locations=[ZONE], node_count=self.nodes,
            node_config=container.NodePoolNodeConfigArgs(machine_type="ct5p-hightpu-4t",
                                                         labels={PURPOSE: "training"}),
            placement_policy=container.NodePoolPlacementPolicyArgs(type="COMPACT", tpu_topology=self.topology))
        parallelstore.Instance("tpu-data", instance_id="tpu-data", location=ZONE, capacity_gib="12000",
                               network=net.id, deployment_type="SCRATCH")


SOURCE = ("GKE docs, how-to/tpus (ct5p-hightpu-4t, --tpu-topology, --num-nodes); google/xpk system "
          "characteristics (v5p-32 = 2x2x4); cluster-toolkit modules/compute/gke-node-pool (placement_policy)")

BASE = Case(
    name="gcp-tpu-v5p-2x2x4",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod", "gcp:zone": ZONE},
    expected={
        "tpu-topology": expect(PASS, "4 hosts × 4 chips = 16 = 2×2×4: a shape v5p forms"),
        "tpu-topology-unlisted": expect(PASS, "listed by a public source (XPK's topology table: v5p-32)"),
        "storage-throughput": expect(PASS, "12 TB of Parallelstore at its rate per TB for 16 chips"),
        "monthly-budget": expect(PASS, "4 × $16.80 × 730 h ≈ $49k + Parallelstore ≈ $1.7k"),
        "idle-accelerators": expect(ADVISE, "a fixed slice of 4 hosts keeps 16 chips running, over 8"),
    },
)

CASES = [
    BASE,
    BASE.control("gcp-tpu-v5p-2x2x4-three-hosts", "3 hosts for 2x2x4 (12 chips of 16) → tpu-topology blocks",
                 Program(nodes=3), {
                     "tpu-topology": expect(BLOCK, "3 hosts × 4 chips = 12, 2x2x4 has 16", on="v5p-32",
                                            says=("12", "16"))}),
    BASE.control("gcp-tpu-v5p-two-dimensions", "a 2-D topology (4x4) on 3-D v5p → tpu-topology blocks",
                 Program(topology="4x4"), {
                     "tpu-topology": expect(BLOCK, "v5p slices have 3 dimensions", on="v5p-32", says=("4x4",))}),
]
