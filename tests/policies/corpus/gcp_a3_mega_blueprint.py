"""Class 7 — Google's own A3 Mega blueprint: all 8 GPU NICs on their own VPCs, no compact placement policy.

Follows GoogleCloudPlatform/cluster-toolkit ``examples/gke-a3-megagpu/gke-a3-megagpu.yaml``: zone us-central1-c,
``network1`` (the cluster's VPC), ``gpunets`` (multivpc, network_count 8, mtu 8244), ``gke-cluster`` (multi-network,
private nodes), ``a3_megagpu_pool`` (a3-megagpu-8g, static_node_count 2, guest_accelerator
nvidia-h100-mega-80gb × 8, ``reservation_affinity`` SPECIFIC_RESERVATION) — written as the gke-cluster /
gke-node-pool modules' google resources, in Pulumi. No placement policy: the fabric (GPUDirect-TCPXO, 8 NICs) is
complete, so interconnect passes; compact placement is advice. Added here: a Managed Lustre instance in the zone
(the toolkit's managed-lustre module), so that storage does not decide this program.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect

ZONE = "us-central1-c"


@dataclass(frozen=True)
class Program(Knobs):
    gpu_nics: int = 8
    compact: bool = False

    def __call__(self) -> None:
        from pulumi_gcp import compute, container, lustre

        network1 = compute.Network("gke-a3-mega-net", auto_create_subnetworks=False, mtu=8244)
        subnet1 = compute.Subnetwork("gke-a3-mega-subnet", network=network1.id, region="us-central1",
                                     ip_cidr_range="10.128.0.0/20")
        gpunets = [compute.Network(f"gke-a3-mega-gpunet-{i}", auto_create_subnetworks=False, mtu=8244)
                   for i in range(self.gpu_nics)]
        gpusubs = [compute.Subnetwork(f"gke-a3-mega-gpunet-{i}-subnet", network=net.id, region="us-central1",
                                      ip_cidr_range=f"192.169.{16 * i}.0/20") for i, net in enumerate(gpunets)]
        cluster = container.Cluster(
            "gke-a3-mega", location="us-central1", network=network1.name, subnetwork=subnet1.name,
            initial_node_count=1, remove_default_node_pool=True, enable_multi_networking=True,
            datapath_provider="ADVANCED_DATAPATH",
            private_cluster_config=container.ClusterPrivateClusterConfigArgs(enable_private_nodes=True,
                                                                             enable_private_endpoint=False))
        container.NodePool(
            "a3-megagpu-pool", cluster=cluster.id, location="us-central1", node_locations=[ZONE], node_count=2,
            node_config=container.NodePoolNodeConfigArgs(
                machine_type="a3-megagpu-8g",
                guest_accelerators=[container.NodePoolNodeConfigGuestAcceleratorArgs(
                    type="nvidia-h100-mega-80gb", count=8)],
                reservation_affinity=container.NodePoolNodeConfigReservationAffinityArgs(
                    consume_reservation_type="SPECIFIC_RESERVATION", key="compute.googleapis.com/reservation-name",
                    values=["a3mega-reservation"])),
            network_config=container.NodePoolNetworkConfigArgs(additional_node_network_configs=[
                container.NodePoolNetworkConfigAdditionalNodeNetworkConfigArgs(network=net.name, subnetwork=sub.name)
                for net, sub in zip(gpunets, gpusubs, strict=True)]),
            placement_policy=container.NodePoolPlacementPolicyArgs(type="COMPACT") if self.compact else None)
        lustre.Instance("gke-lustre", capacity_gib="36000", filesystem="lustrefs", instance_id="gke-lustre",
                        location=ZONE, network=network1.id, per_unit_storage_throughput="500")


SOURCE = "GoogleCloudPlatform/cluster-toolkit examples/gke-a3-megagpu/gke-a3-megagpu.yaml"

BASE = Case(
    name="gcp-a3-mega-blueprint-no-compact",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod", "gcp:region": "us-central1", "gcp:zone": ZONE},
    expected={
        "interconnect": expect(PASS, "8 of 8 GPU NICs, each on its own VPC: the TCPXO fabric is complete"),
        "compact-placement": expect(ADVISE, "a 2-node training pool (GPU NICs on extra networks) without a COMPACT "
                                            "placement policy", on="a3-megagpu-pool"),
        "idle-accelerators": expect(ADVISE, "a static count of 2 keeps 16 GPUs running, over 8"),
        "storage-throughput": expect(PASS, "36 TB × 500 MB/s/TB = 18,000 MB/s for 16 GPUs"),
        # Issue 21: Managed Lustre's 500 tier is priced now (was cannot verify without a price); the pool is
        # priced at the us-east4 list price, the basis saying the catalog has no us-central1 price
        "monthly-budget": expect(PASS, "2 × a3-megagpu-8g × $92.9376 × 730 h = $135,689 + 36 TiB of Managed Lustre "
                                       "at 500 MB/s/TiB × $340 = $12,240: ≈ $148k ≤ $2M"),
    },
)

CASES = [
    BASE,
    BASE.control("gcp-a3-mega-blueprint-compact", "a COMPACT placement policy added → no advice either",
                 Program(compact=True), {"compact-placement": expect(PASS, "COMPACT placement policy")}),
    BASE.control("gcp-a3-mega-four-gpu-nics", "4 of 8 GPU NICs → interconnect blocks", Program(gpu_nics=4), {
        "interconnect": expect(BLOCK, "4 of the 8 GPU NICs of a3-megagpu-8g", on="a3-megagpu-pool",
                               says=("4",))}),
]
