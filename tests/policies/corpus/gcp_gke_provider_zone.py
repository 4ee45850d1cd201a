"""Class 5 — a GKE cluster and GPU node pool without ``location``: the provider's zone places them.

Follows pulumi/examples ``gcp-py-gke/__main__.py`` (``Cluster`` with no ``location``; the zone comes from
``gcp:zone`` via ``pulumi_gcp.config``) with a separate A3 High node pool (also without ``location``). The
Google provider fills a missing location with the provider's zone (terraform-provider-google ``getLocation``:
location, else the provider-level zone), from stack config or an explicit ``gcp.Provider``. The pool is zonal:
80 nodes per zone × 1 zone × 8 H100 = 640 GPUs. Two certain blocks — max-accelerators (640 > 512) and
storage-throughput (18,000 MB/s for 640 GPUs) — must not become "cannot verify". The budget is raised to $10M
in policy config so it does not decide here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulumi
from corpus_case import BLOCK, PASS, PURPOSE, UNVERIFIED, Case, Knobs, expect

Placement = Literal["stack-config", "provider-resource", "none"]


@dataclass(frozen=True)
class Program(Knobs):
    placed_by: Placement = "stack-config"

    def __call__(self) -> None:
        import pulumi_gcp as gcp
        from pulumi_gcp import compute, container, lustre

        opts = None
        lustre_zone = "us-central1-a"
        if self.placed_by == "provider-resource":
            opts = pulumi.ResourceOptions(provider=gcp.Provider("central-b", project="ml-prod", zone="us-central1-b"))
            lustre_zone = "us-central1-b"
        main = compute.Network("gke-net", auto_create_subnetworks=True, opts=opts)
        gpunets = [compute.Network(f"gpunet-{i}", auto_create_subnetworks=False, mtu=8244, opts=opts)
                   for i in range(4)]
        gpusubs = [compute.Subnetwork(f"gpunet-{i}-sub", network=net.id, ip_cidr_range=f"192.169.{16 * i}.0/20",
                                      opts=opts) for i, net in enumerate(gpunets)]
        cluster = container.Cluster(
            "gke-cluster", initial_node_count=1, remove_default_node_pool=True, network=main.name,
            min_master_version="latest", enable_multi_networking=True, datapath_provider="ADVANCED_DATAPATH",
            private_cluster_config=container.ClusterPrivateClusterConfigArgs(enable_private_nodes=True),
            opts=opts)
        container.NodePool(
            "a3-high", cluster=cluster.name,
            autoscaling=container.NodePoolAutoscalingArgs(min_node_count=0, max_node_count=80),
            node_config=container.NodePoolNodeConfigArgs(
                machine_type="a3-highgpu-8g", labels={PURPOSE: "training"},
                guest_accelerators=[container.NodePoolNodeConfigGuestAcceleratorArgs(type="nvidia-h100-80gb",
                                                                                      count=8)]),
            network_config=container.NodePoolNetworkConfigArgs(additional_node_network_configs=[
                container.NodePoolNetworkConfigAdditionalNodeNetworkConfigArgs(network=net.name, subnetwork=sub.name)
                for net, sub in zip(gpunets, gpusubs, strict=True)]),
            placement_policy=container.NodePoolPlacementPolicyArgs(type="COMPACT"),
            opts=opts)
        lustre.Instance("scratch", capacity_gib="18000", filesystem="scratch", instance_id="scratch",
                        location=lustre_zone, network=main.id, per_unit_storage_throughput="1000", opts=opts)


SOURCE = ("pulumi/examples gcp-py-gke/__main__.py (Cluster without location, gcp:zone); "
          "hashicorp/terraform-provider-google getLocation (location, else the provider zone)")

BUDGET = {"monthly-budget": {"usd": 10_000_000}}

BASE = Case(
    name="gcp-gke-zone-from-stack-config",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod", "gcp:zone": "us-central1-a"},
    policy_config=BUDGET,
    expected={
        "max-accelerators": expect(BLOCK, "80 nodes × 1 zone (gcp:zone) × 8 = 640 GPUs > 512", on="a3-high",
                                   says=("640",)),
        "storage-throughput": expect(BLOCK, "18 TB × 1000 MB/s/TB = 18,000 MB/s for 640 GPUs (28 MB/s each)",
                                     says=("640",)),
        "single-zone": expect(PASS, "zonal: us-central1-a"),
        "storage-locality": expect(PASS, "Lustre and pool both in us-central1-a"),
        # Issue 21: Managed Lustre's 1000 tier is priced now (was cannot verify without a price)
        "monthly-budget": expect(PASS, "80 × a3-highgpu-8g × $88.49 × 730 h = $5,167,816 + 18 TiB of Managed Lustre "
                                       "at 1000 MB/s/TiB × $600 = $10,800: ≈ $5.18M ≤ $10M"),
        "interconnect": expect(PASS, "4 of 4 GPU NICs, each on its own VPC"),
        "compact-placement": expect(PASS, "COMPACT placement policy"),
    },
)
CASES = [
    BASE,
    BASE.control("gcp-gke-zone-from-provider-resource", "the zone from an explicit gcp.Provider (us-central1-b), "
                 "no stack config → the same two blocks", Program(placed_by="provider-resource"), {},
                 stack_config={}),
    BASE.control("gcp-gke-no-zone-anywhere", "no gcp:zone and no provider zone → the location is unknown: the two "
                 "blocks become cannot verify", Program(placed_by="none"), {
                     "max-accelerators": expect(UNVERIFIED, "nodes per zone × unknown zones"),
                     "storage-throughput": expect(UNVERIFIED, "the GPUs cannot be counted"),
                     "single-zone": expect(UNVERIFIED, "no location anywhere: the zones are unknown"),
                     "storage-locality": expect(UNVERIFIED, "the pool's zones are unknown"),
                     "monthly-budget": expect(UNVERIFIED, "the node count is unknown"),
                     "idle-accelerators": expect(PASS, "min 0 per zone is 0 nodes in any number of zones")},
                 stack_config={"gcp:project": "ml-prod"}),
]
