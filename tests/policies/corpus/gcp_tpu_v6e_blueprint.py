"""An ordinary correct TPU program — Google's TPU v6e blueprint: one 4x4 slice of ct6e-standard-4t.

Follows GoogleCloudPlatform/cluster-toolkit ``examples/gke-tpu-v6e/gke-tpu-v6e.yaml``: ``gke-tpu-v6e-net-0``
(cluster VPC), ``gke-tpu-v6e-net-1`` (additional network), ``gke-tpu-v6e-pool`` (machine_type, zones,
SPECIFIC_RESERVATION, ``placement_policy {type COMPACT, tpu_topology}``), with the deployment values
machine_type ct6e-standard-4t and tpu_topology 4x4 (16 chips = 4 hosts). Added here: the purpose label and a
Parallelstore instance (the blueprint reads from Cloud Storage), so that this program is judged on its slice.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, PURPOSE, Case, Knobs, expect

ZONE = "us-east5-b"


@dataclass(frozen=True)
class Program(Knobs):
    nodes: int = 4

    def __call__(self) -> None:
        from pulumi_gcp import compute, container, parallelstore

        net0 = compute.Network("gke-tpu-v6e-net-0", auto_create_subnetworks=False)
        sub0 = compute.Subnetwork("gke-tpu-v6e-sub-0", network=net0.id, region="us-east5",
                                  ip_cidr_range="192.168.0.0/18")
        net1 = compute.Network("gke-tpu-v6e-net-1", auto_create_subnetworks=False)
        sub1 = compute.Subnetwork("gke-tpu-v6e-sub-1", network=net1.id, region="us-east5",
                                  ip_cidr_range="192.168.64.0/18")
        cluster = container.Cluster(
            "gke-tpu-v6e", location="us-east5", network=net0.name, subnetwork=sub0.name, initial_node_count=1,
            remove_default_node_pool=True, enable_multi_networking=True,
            private_cluster_config=container.ClusterPrivateClusterConfigArgs(enable_private_nodes=True))
        container.NodePool(
            "gke-tpu-v6e-pool", cluster=cluster.id, location="us-east5", node_locations=[ZONE],
            node_count=self.nodes,
            node_config=container.NodePoolNodeConfigArgs(
                machine_type="ct6e-standard-4t", disk_type="hyperdisk-balanced", labels={PURPOSE: "training"},
                reservation_affinity=container.NodePoolNodeConfigReservationAffinityArgs(
                    consume_reservation_type="SPECIFIC_RESERVATION", key="compute.googleapis.com/reservation-name",
                    values=["v6e-reservation"])),
            network_config=container.NodePoolNetworkConfigArgs(additional_node_network_configs=[
                container.NodePoolNetworkConfigAdditionalNodeNetworkConfigArgs(network=net1.name,
                                                                               subnetwork=sub1.name)]),
            placement_policy=container.NodePoolPlacementPolicyArgs(type="COMPACT", tpu_topology="4x4"))
        parallelstore.Instance("tpu-data", instance_id="tpu-data", location=ZONE, capacity_gib="12000",
                               network=net0.id)


SOURCE = "GoogleCloudPlatform/cluster-toolkit examples/gke-tpu-v6e/gke-tpu-v6e.yaml"

BASE = Case(
    name="gcp-tpu-v6e-blueprint-4x4",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod", "gcp:zone": ZONE},
    expected={
        "tpu-topology": expect(PASS, "4 hosts × 4 chips = 16 = 4×4"),
        "monthly-budget": expect(PASS, "4 × $10.80 × 730 h ≈ $32k + Parallelstore ≈ $1.7k"),
        "idle-accelerators": expect(ADVISE, "a fixed slice of 4 hosts keeps 16 chips running, over 8"),
    },
)

CASES = [
    BASE,
    BASE.control("gcp-tpu-v6e-blueprint-3-hosts", "3 hosts for 4x4 → tpu-topology blocks", Program(nodes=3), {
        "tpu-topology": expect(BLOCK, "3 hosts × 4 chips = 12, 4x4 has 16", on="gke-tpu-v6e-pool",
                               says=("12", "16"))}),
]
