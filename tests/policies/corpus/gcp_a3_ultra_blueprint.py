"""Google's A3 Ultra blueprint — GPUDirect-RDMA: 8 RDMA NICs on one RoCE-profile VPC (one subnet each), a second
gVNIC network, a reservation, no compact placement policy.

Follows GoogleCloudPlatform/cluster-toolkit ``examples/gke-a3-ultragpu/gke-a3-ultragpu.yaml``: ``gke-a3-ultra-net-0``
(cluster VPC), ``gke-a3-ultra-net-1`` (the second gVNIC), ``gke-a3-ultra-rdma-net`` (gpu-rdma-vpc with
``network_profile: …/networkProfiles/<zone>-vpc-roce``, 8 subnetworks), ``a3-ultragpu-pool`` (a3-ultragpu-8g,
static_node_count, guest_accelerator nvidia-h200-141gb × 8, SPECIFIC_RESERVATION, additional_networks: net-1 then
the 8 RDMA subnets), and its commented-out Managed Lustre section (36,000 GiB at 500 MB/s/TiB) enabled.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect

ZONE = "europe-west1-b"
REGION = "europe-west1"


@dataclass(frozen=True)
class Program(Knobs):
    roce_profile: bool = True

    def __call__(self) -> None:
        from pulumi_gcp import compute, container, lustre

        net0 = compute.Network("gke-a3-ultra-net-0", auto_create_subnetworks=False)
        sub0 = compute.Subnetwork("gke-a3-ultra-sub-0", network=net0.id, region=REGION, ip_cidr_range="192.168.0.0/18")
        net1 = compute.Network("gke-a3-ultra-net-1", auto_create_subnetworks=False)
        sub1 = compute.Subnetwork("gke-a3-ultra-sub-1", network=net1.id, region=REGION,
                                  ip_cidr_range="192.168.64.0/18")
        profile = f"https://www.googleapis.com/compute/beta/projects/ml-prod/global/networkProfiles/{ZONE}-vpc-roce"
        rdma = compute.Network("gke-a3-ultra-rdma-net", auto_create_subnetworks=False, mtu=8896,
                               routing_mode="REGIONAL", network_profile=profile if self.roce_profile else None)
        rdma_subs = [compute.Subnetwork(f"gke-a3-ultra-rdma-sub-{i}", network=rdma.id, region=REGION,
                                        ip_cidr_range=f"192.168.{128 + 8 * i}.0/21") for i in range(8)]
        cluster = container.Cluster(
            "a3-ultragpu-cluster", location=REGION, network=net0.name, subnetwork=sub0.name, initial_node_count=1,
            remove_default_node_pool=True, enable_multi_networking=True, datapath_provider="ADVANCED_DATAPATH",
            private_cluster_config=container.ClusterPrivateClusterConfigArgs(enable_private_nodes=True))
        networks = [(net1, sub1)] + [(rdma, s) for s in rdma_subs]
        container.NodePool(
            "a3-ultragpu-pool", cluster=cluster.id, location=REGION, node_locations=[ZONE], node_count=2,
            node_config=container.NodePoolNodeConfigArgs(
                machine_type="a3-ultragpu-8g",
                guest_accelerators=[container.NodePoolNodeConfigGuestAcceleratorArgs(type="nvidia-h200-141gb",
                                                                                      count=8)],
                reservation_affinity=container.NodePoolNodeConfigReservationAffinityArgs(
                    consume_reservation_type="SPECIFIC_RESERVATION", key="compute.googleapis.com/reservation-name",
                    values=["a3ultra-reservation"])),
            network_config=container.NodePoolNetworkConfigArgs(additional_node_network_configs=[
                container.NodePoolNetworkConfigAdditionalNodeNetworkConfigArgs(network=n.name, subnetwork=s.name)
                for n, s in networks]))
        lustre.Instance("managed-lustre", capacity_gib="36000", filesystem="lustrefs",
                        instance_id="gke-lustre-instance", location=ZONE, network=net0.id,
                        per_unit_storage_throughput="500")


SOURCE = "GoogleCloudPlatform/cluster-toolkit examples/gke-a3-ultragpu/gke-a3-ultragpu.yaml"

BASE = Case(
    name="gcp-a3-ultra-blueprint-rdma",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod", "gcp:region": REGION, "gcp:zone": ZONE},
    expected={
        "interconnect": expect(PASS, "8 of 8 RDMA NICs, one subnet each of the RoCE-profile VPC"),
        "compact-placement": expect(ADVISE, "a 2-node training pool (RDMA NICs) without a COMPACT placement policy",
                                    on="a3-ultragpu-pool"),
        "idle-accelerators": expect(ADVISE, "a static count of 2 keeps 16 GPUs running, over 8"),
        "storage-throughput": expect(PASS, "36 TB × 500 MB/s/TB = 18,000 MB/s for 16 GPUs"),
        # Issue 21: Managed Lustre's 500 tier is priced now (was cannot verify without a price)
        "monthly-budget": expect(PASS, "2 × $83.49 × 730 h ≈ $122k + 36 TiB of Managed Lustre at 500 MB/s/TiB × "
                                       "$340 = $12,240: ≈ $134k ≤ $2M"),
    },
)

CASES = [
    BASE,
    BASE.control("gcp-a3-ultra-rdma-vpc-without-roce-profile", "the RDMA VPC without its RoCE network profile → "
                 "interconnect blocks: no RDMA NIC", Program(roce_profile=False), {
                     "interconnect": expect(BLOCK, "the 8 NICs are on an ordinary VPC: 0 of 8 RDMA NICs",
                                            on="a3-ultragpu-pool")}),
]
