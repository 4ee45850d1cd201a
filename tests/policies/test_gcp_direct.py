"""The GKE and GCP file-system reader (``backbone.policies.inventory.gcp``) on resources built by hand as CrossGuard
hands them to the pack: every fact of a node pool, a cluster's inline / default / auto-provisioned pools, Managed
Lustre and Parallelstore, each input at and past what decides it, every unknown named.

Figures (literals, never read back from the code under test):
- a3-highgpu-8g: 8 × H100, GPUDirect-TCPX over 4 GPU NICs × 200 Gbps = 800 Gbps; a3-ultragpu-8g: 8 × H200,
  GPUDirect-RDMA over 8 CX-7 NICs × 400 Gbps = 3,200 Gbps (cloud.google.com/compute/docs/gpus/gpu-network-bandwidth).
- a2-highgpu-8g: 8 × A100 40GB, no GPU NICs (cloud.google.com/compute/docs/gpus).
- TPU machine types (ct5p-hightpu-4t, tpu7x-standard-4t) talk over ICI inside the slice, nothing to attach; the
  catalog cites no ICI bandwidth for them (gcp.yaml: no fabric_gbps).
- GKE: per-zone node counts × node locations; ``total*`` counts are for the whole pool; a regional cluster's pools
  spread over 3 zones by default (cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters).
- Managed Lustre: capacityGib in GiB, 1,000 GiB a "TiB"; tiers 125/250/500/1000 MB/s per TiB; the 125 tier at
  $0.145 per GiB-month = $145 per TiB-month (cloud.google.com/managed-lustre/docs/performance-tiers; billing SKU
  517C-E77D-C11A); the 250 and 1000 tiers $0.21 and $0.60 per GiB-month (a Cloud Billing export, secondary).
  Parallelstore: 1.15 GiBps per TiB read = 1,234.8 MB/s per TiB, $140 per TiB-month
  (cloud.google.com/parallelstore/docs/overview, /pricing).
"""

from __future__ import annotations

import copy
from dataclasses import astuple, replace
from typing import Any

import pytest
from gcp_hand import CATALOG, U, facts, fs_facts, graph_of, res
from pulumi_policy import PolicyResource

from backbone.policies.inventory import UNKNOWN
from backbone.policies.inventory.gcp import (
    CLUSTER,
    LUSTRE,
    NETWORK,
    NODE_POOL,
    PARALLELSTORE,
    RESOURCE_POLICY,
    SUBNETWORK,
    _fabric,
    read_clusters,
    read_lustre,
    read_node_pools,
    read_parallelstore,
)

PURPOSE = "backbone.dev/purpose"
GONE = object()
"""An input removed from the base."""
NICS = "networkConfig.additionalNodeNetworkConfigs"
MACHINE = "nodeConfig.machineType"


def edited(base: dict[str, Any], edits: dict[str, Any]) -> dict[str, Any]:
    """``base`` with each dotted path set to its value (``GONE``: removed)."""
    out = copy.deepcopy(base)
    for path, value in edits.items():
        *parents, last = path.split(".")
        at = out
        for key in parents:
            at = at.setdefault(key, {})
        if value is GONE:
            at.pop(last, None)
        else:
            at[last] = value
    return out


def nic_configs(*networks: Any) -> list[dict[str, Any]]:
    return [{"network": n, "subnetwork": U} for n in networks]


POOL_INPUTS: dict[str, Any] = {
    "cluster": U,
    "location": "us-central1-a",
    "nodeConfig": {"machineType": "a3-highgpu-8g", "labels": {PURPOSE: "training"}},
    "autoscaling": {"minNodeCount": 1, "maxNodeCount": 4},
    "placementPolicy": {"type": "COMPACT"},
    "networkConfig": {"enablePrivateNodes": True,
                      "additionalNodeNetworkConfigs": nic_configs("gpu-1", "gpu-2", "gpu-3", "gpu-4")},
}
BASE: dict[str, Any] = {
    "name": "gpu", "urn": f"urn:pulumi:s::p::{NODE_POOL}::gpu", "cloud": "gcp", "type": NODE_POOL,
    "instance_type": "a3-highgpu-8g", "instance": "a3-highgpu-8g", "min": 1, "max": 4, "purpose": "training",
    "declared": True, "zones": ("us-central1-a",), "region": "us-central1", "capacity": "on-demand",
    "fabric": (True, (), (), 800.0), "public_ips": False, "tpu_topology": None, "labels": {PURPOSE: "training"},
    "attached": None, "looks": True, "unknown": {}, "candidates": (),
    "intent": ("4 NIC(s) on additional networks", "compact placement"), "compact": True,
    "compact_missing": "no compact placement: set placementPolicy.type to COMPACT", "least_zones": 0,
    "least_max_nodes": 0,
}


def read_pools(*resources: PolicyResource) -> list[dict[str, Any]]:
    graph = graph_of(*resources)
    pools = read_node_pools(graph, CATALOG, graph.of_type(NODE_POOL))
    pools += read_clusters(graph, CATALOG, graph.of_type(CLUSTER))
    return [facts(p) for p in pools]


def one_pool(*resources: PolicyResource) -> dict[str, Any]:
    [found] = read_pools(*resources)
    return found


def pool_of(edits: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return one_pool(res(NODE_POOL, "gpu", edited(POOL_INPUTS, edits), **kwargs))


def short(configured: str) -> str:
    """What an a3-highgpu-8g pool with fewer than its 4 GPU NICs misses."""
    return f"{configured} GPU NIC(s) configured where a3-highgpu-8g has 4 (add {NICS}, one per GPU NIC)"


# --- one node pool: machine type, capacity, fabric, purpose --------------------------------------------------------

MACHINE_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("base", {}, {}),
    ("spot", {"nodeConfig.spot": True}, {"capacity": "spot"}),
    ("spot-false", {"nodeConfig.spot": False}, {}),
    ("preemptible-as-text", {"nodeConfig.preemptible": "true"}, {"capacity": "spot"}),
    ("preemptible-false", {"nodeConfig.preemptible": False}, {}),
    ("specific-reservation", {"nodeConfig.reservationAffinity": {"consumeReservationType": "SPECIFIC_RESERVATION"}},
     {"capacity": "reservation"}),
    ("any-reservation", {"nodeConfig.reservationAffinity": {"consumeReservationType": "ANY_RESERVATION"}},
     {"capacity": "reservation"}),
    ("no-reservation", {"nodeConfig.reservationAffinity": {"consumeReservationType": "NO_RESERVATION"}}, {}),
    ("spot-beats-reservation", {"nodeConfig.spot": True, "nodeConfig.reservationAffinity":
                                {"consumeReservationType": "SPECIFIC_RESERVATION"}}, {"capacity": "spot"}),
    ("machine-type-unknown", {"nodeConfig.machineType": U},
     {"instance_type": UNKNOWN, "instance": None, "looks": False, "unknown": {"instance_type": MACHINE},
      "fabric": (UNKNOWN, (), ("machine type",), UNKNOWN)}),
    ("node-config-unknown", {"nodeConfig": U},
     {"instance_type": UNKNOWN, "instance": None, "looks": False, "unknown": {"instance_type": MACHINE},
      "fabric": (UNKNOWN, (), ("machine type",), UNKNOWN), "labels": {}, "declared": False}),
    ("unknown-type-unlabelled-may-span", {"nodeConfig.machineType": U, "nodeConfig.labels": GONE,
                                          "networkConfig": GONE, "placementPolicy": GONE},
     {"instance_type": UNKNOWN, "instance": None, "looks": False, "unknown": {"instance_type": MACHINE},
      "fabric": (UNKNOWN, (), ("machine type",), UNKNOWN), "labels": {}, "declared": False, "public_ips": True,
      "intent": (), "compact": False}),
    ("unknown-type-unlabelled-one-node", {"nodeConfig.machineType": U, "nodeConfig.labels": GONE,
                                          "networkConfig": GONE, "placementPolicy": GONE,
                                          "autoscaling.maxNodeCount": 1},
     {"instance_type": UNKNOWN, "instance": None, "looks": False, "unknown": {"instance_type": MACHINE},
      "fabric": (UNKNOWN, (), ("machine type",), UNKNOWN), "labels": {}, "declared": False, "public_ips": True,
      "intent": (), "compact": False, "purpose": "inference", "max": 1}),
    ("unlabelled-with-intent", {"nodeConfig.labels": GONE}, {"labels": {}, "declared": False}),
    ("unlabelled-no-intent", {"nodeConfig.labels": GONE, "networkConfig.additionalNodeNetworkConfigs": GONE,
                              "placementPolicy": GONE},
     {"labels": {}, "declared": False, "purpose": "inference", "intent": (), "compact": False,
      "fabric": (False, (short("0"),), (), 0.0)}),
    ("guest-accelerators-on-an-uncatalogued-type",
     {"nodeConfig.machineType": "n1-standard-8", "nodeConfig.guestAccelerators": [
         {"type": "nvidia-tesla-t4", "count": 1}, {"type": "nvidia-tesla-t4", "count": 2}, {"count": U}]},
     {"instance_type": "n1-standard-8", "instance": None, "attached": 3, "fabric": (False, (), (), 0.0)}),
    ("an-uncatalogued-accelerator-family", {"nodeConfig.machineType": "a9-megagpu-8g"},
     {"instance_type": "a9-megagpu-8g", "instance": None, "fabric": (False, (), (), 0.0)}),
    ("a-catalogued-type-with-guest-accelerators", {"nodeConfig.guestAccelerators": [{"count": 8}]}, {}),
    ("no-gpu-nics-on-the-type", {"nodeConfig.machineType": "a2-highgpu-8g"},
     {"instance_type": "a2-highgpu-8g", "instance": "a2-highgpu-8g", "fabric": (False, (), (), 0.0)}),
    ("placement-unknown", {"placementPolicy.type": U},
     {"compact": UNKNOWN, "intent": ("4 NIC(s) on additional networks",)}),
    ("placement-spread", {"placementPolicy.type": "SPREAD"},
     {"compact": False, "intent": ("4 NIC(s) on additional networks",)}),
    # the GPU NICs of a3-highgpu-8g: 4, each on its own VPC
    ("two-nics", {"networkConfig.additionalNodeNetworkConfigs": nic_configs("gpu-1", "gpu-2")},
     {"fabric": (False, (short("2"),), (), 400.0), "intent": ("2 NIC(s) on additional networks", "compact placement")}),
    ("three-nics", {"networkConfig.additionalNodeNetworkConfigs": nic_configs("gpu-1", "gpu-2", "gpu-3")},
     {"fabric": (False, (short("3"),), (), 600.0), "intent": ("3 NIC(s) on additional networks", "compact placement")}),
    ("five-nics", {"networkConfig.additionalNodeNetworkConfigs": nic_configs(*(f"gpu-{i}" for i in range(5)))},
     {"intent": ("5 NIC(s) on additional networks", "compact placement")}),
    ("no-nics", {"networkConfig.additionalNodeNetworkConfigs": []},
     {"fabric": (False, (short("0"),), (), 0.0), "intent": ("compact placement",)}),
    ("four-nics-on-two-vpcs", {"networkConfig.additionalNodeNetworkConfigs": nic_configs("a", "b", "a", "b")},
     {"fabric": (False, ("the 4 GPU NICs share 2 VPC(s), each needs its own VPC",), (), 400.0)}),
    ("four-nics-on-three-vpcs-and-one-junk-name", {"networkConfig.additionalNodeNetworkConfigs":
                                                   nic_configs("a", "b", "c", 7)},
     {"fabric": (False, ("the 4 GPU NICs share 3 VPC(s), each needs its own VPC",), (), 600.0)}),
    ("nics-unknown", {"networkConfig.additionalNodeNetworkConfigs": U},
     {"fabric": (UNKNOWN, (), (NICS,), UNKNOWN), "intent": ("compact placement",)}),
    ("a-nic-network-unknown", {"networkConfig.additionalNodeNetworkConfigs": nic_configs("a", "b", "c", U)},
     {"fabric": (UNKNOWN, (), (f"{NICS}[].network",), UNKNOWN)}),
    ("short-and-a-network-unknown", {"networkConfig.additionalNodeNetworkConfigs": nic_configs("a", U)},
     {"fabric": (False, (short("2"),), (f"{NICS}[].network",), UNKNOWN),
      "intent": ("2 NIC(s) on additional networks", "compact placement")}),
    # public IPs: a private node has none
    ("private-unknown", {"networkConfig.enablePrivateNodes": U},
     {"public_ips": UNKNOWN, "unknown": {"public_ips": "networkConfig.enablePrivateNodes"}}),
    ("private-false", {"networkConfig.enablePrivateNodes": False}, {"public_ips": True}),
    ("private-as-text", {"networkConfig.enablePrivateNodes": "true"}, {}),
]


@pytest.mark.parametrize(("edits", "expected"), [c[1:] for c in MACHINE_CASES], ids=[c[0] for c in MACHINE_CASES])
def test_a_node_pool_every_fact(edits: dict[str, Any], expected: dict[str, Any]) -> None:
    assert pool_of(edits) == {**BASE, **expected}


@pytest.mark.parametrize("edits", [
    {"nodeConfig.machineType": GONE},
    {"nodeConfig": GONE},
    {"nodeConfig.machineType": 8},
    {"nodeConfig.machineType": "n2-standard-8"},
    {"nodeConfig.machineType": "n1-standard-8", "nodeConfig.guestAccelerators": [{"count": 0}]},
    {"nodeConfig.machineType": "n1-standard-8", "nodeConfig.guestAccelerators": [{"count": U}]},
    {"nodeConfig.machineType": "n1-standard-8", "nodeConfig.guestAccelerators": U},
], ids=["no-machine-type", "no-node-config", "junk-machine-type", "cpu-type", "zero-guests", "guest-count-unknown",
        "guests-unknown"])
def test_a_pool_without_accelerators_is_not_judged(edits: dict[str, Any]) -> None:
    assert read_pools(res(NODE_POOL, "gpu", edited(POOL_INPUTS, edits))) == []


def test_an_unreadable_node_pool_is_every_fact_unknown() -> None:
    [found] = read_pools(res(NODE_POOL, "junk", "junk"))
    why = "its inputs could not be read (got str)"
    assert (found["name"], found["cloud"], found["instance_type"], found["unknown"]) == ("junk", "gcp", UNKNOWN, {
        "instance_type": why, "min_nodes": why, "max_nodes": why, "zones": why, "public_ips": why})


# --- GPUDirect networks counted through the graph ----------------------------------------------------------------

def networks(*names: str, profile: Any = None) -> list[PolicyResource]:
    return [res(NETWORK, n, {} if profile is None else {"networkProfile": profile}) for n in names]


@pytest.mark.parametrize(("configs", "linked", "expected"), [
    (4, 4, (True, (), (), 800.0)),
    (4, 2, (False, ("the 4 GPU NICs share 2 VPC(s), each needs its own VPC",), (), 400.0)),
    (3, 4, (False, (short("3"),), (), 600.0)),
    (4, 5, (True, (), (), 800.0)),
], ids=["one-vpc-each", "two-vpcs-for-four", "three-of-four", "more-vpcs-than-nics"])
def test_gpu_nic_vpcs_of_the_stack_are_counted_through_the_graph(configs: int, linked: int,
                                                                  expected: tuple[Any, ...]) -> None:
    vpcs = networks(*(f"vpc-{i}" for i in range(linked)))
    inputs = edited(POOL_INPUTS, {"networkConfig.additionalNodeNetworkConfigs": nic_configs(*[U] * configs)})
    found = one_pool(*vpcs, res(NODE_POOL, "gpu", inputs, prop_deps={"networkConfig": vpcs}))
    assert found["fabric"] == expected
    assert found["intent"] == (f"{configs} NIC(s) on additional networks", "compact placement")


ROCE = "projects/p/global/networkProfiles/us-central1-b-vpc-roce"


def rdma_pool(profiles: list[Any], with_subnets: bool = True) -> dict[str, Any]:
    """An a3-ultragpu-8g pool with one NIC per subnet, each subnet on a VPC of the given network profile."""
    made: list[PolicyResource] = []
    subnets: list[PolicyResource] = []
    for i, profile in enumerate(profiles):
        [vpc] = networks(f"rdma-{i}", profile=profile)
        subnet = res(SUBNETWORK, f"rdma-sub-{i}", {"network": U}, prop_deps={"network": [vpc]})
        made += [vpc, subnet]
        subnets.append(subnet)
    inputs = edited(POOL_INPUTS, {"nodeConfig.machineType": "a3-ultragpu-8g",
                                  "networkConfig.additionalNodeNetworkConfigs": nic_configs(*[U] * len(profiles))})
    deps = {"networkConfig": subnets} if with_subnets else {}
    return one_pool(*made, res(NODE_POOL, "gpu", inputs, prop_deps=deps))


def test_rdma_nics_are_the_subnets_of_roce_vpcs() -> None:
    assert rdma_pool([ROCE] * 8)["fabric"] == (True, (), (), 3200.0)
    assert rdma_pool([ROCE] * 8)["intent"] == ("8 NIC(s) on additional networks", "compact placement")
    seven = rdma_pool([ROCE] * 7 + ["projects/p/global/networkProfiles/standard"])
    assert seven["fabric"] == (False, ("7 GPU NIC(s) configured where a3-ultragpu-8g has 8 (add "
                                       f"{NICS}, one per GPU NIC)",), (), 2800.0)
    assert rdma_pool([ROCE] * 7 + [U])["fabric"][:2] == (False, ("7 GPU NIC(s) configured where a3-ultragpu-8g has 8 "
                                                                  f"(add {NICS}, one per GPU NIC)",))
    assert rdma_pool([None] * 8)["fabric"] == (False, ("0 GPU NIC(s) configured where a3-ultragpu-8g has 8 (add "
                                                       f"{NICS}, one per GPU NIC)",), (), 0.0)


def test_rdma_nics_on_networks_outside_the_stack_cannot_be_verified() -> None:
    assert rdma_pool([ROCE] * 8, with_subnets=False)["fabric"] == (
        UNKNOWN, (), (f"the RDMA network profile of {NICS}",), UNKNOWN)


# --- where a pool is: location, node locations, the provider, the cluster -------------------------------------------

REGIONAL = "nodeLocations (a regional pool in us-central1 without node locations: GKE picks the zones)"
NOWHERE = "location (not set, on the cluster nor in the provider's zone or region)"

ZONE_CASES: list[tuple[str, dict[str, Any], dict[str, Any] | None, dict[str, Any]]] = [
    ("location-unknown", {"location": U}, None,
     {"zones": UNKNOWN, "region": None, "min": UNKNOWN, "max": UNKNOWN,
      "unknown": {"zones": "location", "min_nodes": "location", "max_nodes": "location"}}),
    ("regional-without-a-cluster", {"location": "us-central1"}, None,
     {"zones": UNKNOWN, "min": UNKNOWN, "max": UNKNOWN,
      "unknown": {"zones": REGIONAL, "min_nodes": REGIONAL, "max_nodes": REGIONAL}}),
    ("regional-scaled-from-zero", {"location": "us-central1", "autoscaling.minNodeCount": 0}, None,
     {"zones": UNKNOWN, "min": 0, "max": UNKNOWN, "unknown": {"zones": REGIONAL, "max_nodes": REGIONAL}}),
    ("regional-at-most-zero", {"location": "us-central1", "autoscaling.maxNodeCount": 0}, None,
     {"zones": UNKNOWN, "min": UNKNOWN, "max": 0, "unknown": {"zones": REGIONAL, "min_nodes": REGIONAL}}),
    ("node-locations", {"location": "us-central1", "nodeLocations": ["us-central1-b", "us-central1-c",
                                                                     "us-central1-b"]}, None,
     {"zones": ("us-central1-b", "us-central1-c"), "min": 2, "max": 8}),
    ("node-locations-unknown", {"nodeLocations": U}, None,
     {"zones": UNKNOWN, "min": UNKNOWN, "max": UNKNOWN,
      "unknown": {"zones": "nodeLocations", "min_nodes": "nodeLocations", "max_nodes": "nodeLocations"}}),
    ("a-node-location-unknown", {"nodeLocations": ["us-central1-a", U]}, None,
     {"zones": UNKNOWN, "min": UNKNOWN, "max": UNKNOWN,
      "unknown": {"zones": "nodeLocations", "min_nodes": "nodeLocations", "max_nodes": "nodeLocations"}}),
    ("junk-node-locations", {"nodeLocations": [5]}, None, {"zones": ()}),
    ("empty-node-locations", {"nodeLocations": []}, None, {}),
    ("provider-zone", {"location": GONE}, {"zone": "us-east4-b"}, {"zones": ("us-east4-b",), "region": "us-east4"}),
    ("provider-zone-unknown", {"location": GONE}, {"zone": U},
     {"zones": UNKNOWN, "region": None, "min": UNKNOWN, "max": UNKNOWN,
      "unknown": {"zones": "the provider's zone", "min_nodes": "the provider's zone",
                  "max_nodes": "the provider's zone"}}),
    ("provider-region", {"location": GONE}, {"zone": "", "region": "us-central1"},
     {"zones": UNKNOWN, "min": UNKNOWN, "max": UNKNOWN,
      "unknown": {"zones": REGIONAL, "min_nodes": REGIONAL, "max_nodes": REGIONAL}}),
    ("provider-region-unknown", {"location": GONE}, {"region": U},
     {"zones": UNKNOWN, "region": None, "min": UNKNOWN, "max": UNKNOWN,
      "unknown": {"zones": "the provider's region", "min_nodes": "the provider's region",
                  "max_nodes": "the provider's region"}}),
    ("nowhere", {"location": GONE}, {}, {"zones": UNKNOWN, "region": None, "min": UNKNOWN, "max": UNKNOWN,
                                         "unknown": {"zones": NOWHERE, "min_nodes": NOWHERE, "max_nodes": NOWHERE}}),
    ("junk-location", {"location": 5}, {"zone": "us-east4-b"}, {"zones": ("us-east4-b",), "region": "us-east4"}),
]


@pytest.mark.parametrize(("edits", "provider", "expected"), [c[1:] for c in ZONE_CASES], ids=[c[0] for c in ZONE_CASES])
def test_where_a_node_pool_is(edits: dict[str, Any], provider: dict[str, Any] | None,
                              expected: dict[str, Any]) -> None:
    assert pool_of(edits, provider=provider) == {**BASE, **expected}


def test_node_counts_are_per_zone_times_the_zones() -> None:
    two = {"nodeLocations": ["us-central1-a", "us-central1-b"]}
    assert pool_of(two)["zones"] == ("us-central1-a", "us-central1-b")
    cases: list[tuple[dict[str, Any], Any, Any, dict[str, str]]] = [
        ({}, 2, 8, {}),
        ({"autoscaling.minNodeCount": GONE}, 0, 8, {}),
        ({"autoscaling.minNodeCount": U}, UNKNOWN, 8, {"min_nodes": "autoscaling.minNodeCount"}),
        ({"autoscaling.maxNodeCount": GONE}, 2, UNKNOWN,
         {"max_nodes": "autoscaling.maxNodeCount (missing or not a whole number)"}),
        ({"autoscaling.totalMinNodeCount": 3, "autoscaling.totalMaxNodeCount": 10}, 3, 10, {}),
        ({"autoscaling.totalMaxNodeCount": 10}, 0, 10, {}),
        ({"autoscaling.totalMaxNodeCount": U}, 0, UNKNOWN, {"max_nodes": "autoscaling.totalMaxNodeCount"}),
        ({"autoscaling.totalMinNodeCount": U, "autoscaling.totalMaxNodeCount": 10}, UNKNOWN, 10,
         {"min_nodes": "autoscaling.totalMinNodeCount"}),
        ({"autoscaling": U}, UNKNOWN, UNKNOWN, {"min_nodes": "autoscaling", "max_nodes": "autoscaling"}),
        ({"autoscaling": GONE, "nodeCount": 3, "initialNodeCount": 5}, 6, 6, {}),
        ({"autoscaling": GONE, "initialNodeCount": 2}, 4, 4, {}),
        ({"autoscaling": GONE}, 2, 2, {}),
        ({"autoscaling": GONE, "nodeCount": 0}, 0, 0, {}),
        ({"autoscaling": GONE, "nodeCount": U}, UNKNOWN, UNKNOWN, {"min_nodes": "nodeCount", "max_nodes": "nodeCount"}),
        ({"autoscaling": GONE, "initialNodeCount": U}, UNKNOWN, UNKNOWN,
         {"min_nodes": "initialNodeCount", "max_nodes": "initialNodeCount"}),
        ({"autoscaling": GONE, "nodeCount": 2.5}, UNKNOWN, UNKNOWN,
         {"min_nodes": "nodeCount (missing or not a whole number)",
          "max_nodes": "nodeCount (missing or not a whole number)"}),
    ]
    for edits, least, most, unknown in cases:
        found = pool_of({**two, **edits})
        assert (found["min"], found["max"], found["unknown"]) == (least, most, unknown), edits


def cluster(inputs: Any, name: str = "train", **kwargs: Any) -> PolicyResource:
    return res(CLUSTER, name, inputs, **kwargs)


def with_cluster(edits: dict[str, Any], cluster_inputs: dict[str, Any], *, as_parent: bool = False,
                 provider: dict[str, Any] | None = None, cluster_provider: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    owner = cluster(cluster_inputs, provider=cluster_provider)
    pool = res(NODE_POOL, "gpu", edited(POOL_INPUTS, edits), provider=provider,
               parent=owner if as_parent else None, prop_deps={} if as_parent else {"cluster": [owner]})
    return one_pool(owner, pool)


REGION_ONLY = {"location": "us-central1"}
LEAST_CASES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    ("per-zone-maximum", {}, {}, {"least_zones": 3, "least_max_nodes": 12}),
    ("node-count", {"autoscaling": GONE, "nodeCount": 2}, {}, {"least_zones": 3, "least_max_nodes": 6}),
    ("initial-node-count", {"autoscaling": GONE, "initialNodeCount": 3}, {}, {"least_zones": 3, "least_max_nodes": 9}),
    ("one-node-by-default", {"autoscaling": GONE}, {}, {"least_zones": 3, "least_max_nodes": 3}),
    ("zero-nodes", {"autoscaling": GONE, "nodeCount": 0}, {}, {"least_zones": 3, "least_max_nodes": 0}),
    ("maximum-unknown", {"autoscaling.maxNodeCount": U}, {}, {"least_zones": 3, "least_max_nodes": 0}),
    ("total-maximum", {"autoscaling.totalMaxNodeCount": 10}, {}, {"least_zones": 3, "least_max_nodes": 0}),
    ("empty-node-locations-on-the-pool", {"nodeLocations": []}, {}, {"least_zones": 0, "least_max_nodes": 0}),
    ("junk-node-locations-on-the-cluster", {}, {"nodeLocations": [5]}, {"least_zones": 0, "least_max_nodes": 0}),
]


@pytest.mark.parametrize(("edits", "cluster_edits", "expected"), [c[1:] for c in LEAST_CASES],
                         ids=[c[0] for c in LEAST_CASES])
def test_a_regional_pool_spans_at_least_gkes_default_zones(edits: dict[str, Any], cluster_edits: dict[str, Any],
                                                            expected: dict[str, Any]) -> None:
    found = with_cluster({"location": GONE, **edits}, {**REGION_ONLY, **cluster_edits})
    assert (found["zones"], found["region"]) == (UNKNOWN, "us-central1")
    assert {k: found[k] for k in expected} == expected


def test_a_pool_reads_its_clusters_location_node_locations_provider_and_privacy() -> None:
    assert with_cluster({"location": GONE}, {"location": "us-central1-c"})["zones"] == ("us-central1-c",)
    assert with_cluster({"location": GONE}, {"location": "us-central1-c"}, as_parent=True)["zones"] == (
        "us-central1-c",)
    assert with_cluster({"location": 5}, {"location": "us-central1-c"})["zones"] == ("us-central1-c",)
    unknown = with_cluster({"location": GONE}, {"location": U})
    assert (unknown["zones"], unknown["unknown"]) == (UNKNOWN, {
        "zones": "cluster location", "min_nodes": "cluster location", "max_nodes": "cluster location"})
    spread = with_cluster({"location": GONE}, {"location": "us-central1", "nodeLocations": ["us-central1-a",
                                                                                              "us-central1-f"]})
    assert (spread["zones"], spread["region"], spread["min"], spread["max"], spread["least_zones"]) == (
        ("us-central1-a", "us-central1-f"), "us-central1", 2, 8, 0)
    own = with_cluster({"location": GONE}, {}, provider={"zone": "us-west1-a"}, cluster_provider={"zone": "us-east4-c"})
    assert own["zones"] == ("us-east4-c",)
    assert with_cluster({"networkConfig.enablePrivateNodes": GONE}, {})["public_ips"] is True
    assert with_cluster({"networkConfig.enablePrivateNodes": False},
                        {"privateClusterConfig": {"enablePrivateNodes": True}})["public_ips"] is False
    blind = with_cluster({"networkConfig.enablePrivateNodes": GONE},
                         {"privateClusterConfig": {"enablePrivateNodes": U}})
    assert (blind["public_ips"], blind["unknown"]) == (UNKNOWN, {
        "public_ips": "cluster privateClusterConfig.enablePrivateNodes"})


# --- TPU slice shapes ---------------------------------------------------------------------------------------------

TPU_INPUTS = edited(POOL_INPUTS, {"nodeConfig": {"machineType": "ct5p-hightpu-4t"}, "networkConfig": GONE,
                                  "autoscaling": GONE, "nodeCount": 4,
                                  "placementPolicy": {"type": "COMPACT", "tpuTopology": "2x2x4"}})
TPU: dict[str, Any] = {
    **BASE, "instance_type": "ct5p-hightpu-4t", "instance": "ct5p-hightpu-4t", "min": 4, "max": 4,
    "purpose": "inference", "declared": False, "labels": {}, "fabric": (True, (), (), None), "public_ips": True,
    "tpu_topology": "2x2x4", "intent": (), "compact": None,
}


def test_a_tpu_pool_talks_over_ici_and_takes_its_topology() -> None:
    assert one_pool(res(NODE_POOL, "gpu", TPU_INPUTS)) == TPU
    blind = one_pool(res(NODE_POOL, "gpu", edited(TPU_INPUTS, {"placementPolicy.tpuTopology": U})))
    assert blind == {**TPU, "tpu_topology": UNKNOWN, "unknown": {"tpu_topology": "placementPolicy.tpuTopology"}}


IRONWOOD = edited(TPU_INPUTS, {"nodeConfig.machineType": "tpu7x-standard-4t", "placementPolicy": {"policyName": U}})


def ironwood(policy_name: Any, policies: list[PolicyResource], deps: bool = True,
             edits: dict[str, Any] | None = None) -> dict[str, Any]:
    inputs = edited(IRONWOOD, {"placementPolicy.policyName": policy_name, **(edits or {})})
    pool = res(NODE_POOL, "gpu", inputs, prop_deps={"placementPolicy": policies} if deps else {})
    return one_pool(*policies, pool)


def workload_policy(name: str, topology: Any) -> PolicyResource:
    return res(RESOURCE_POLICY, name, {"workloadPolicy": {"type": "HIGH_THROUGHPUT", "acceleratorTopology": topology}})


POLICY_NAME = "placementPolicy.policyName"


def test_a_tpu7x_pool_takes_the_shape_of_the_workload_policy_it_names() -> None:
    found = ironwood(U, [workload_policy("wp", "2x2x2")])
    assert (found["instance_type"], found["tpu_topology"], found["unknown"], found["compact"]) == (
        "tpu7x-standard-4t", "2x2x2", {}, None)
    found = ironwood(U, [workload_policy("wp", U)])
    assert (found["tpu_topology"], found["unknown"]) == (UNKNOWN, {"tpu_topology": "wp: workloadPolicy."
                                                                                   "acceleratorTopology"})
    outside = "projects/p/regions/us-central1/resourcePolicies/wp"
    assert ironwood(outside, [])["unknown"] == {"tpu_topology": f"{POLICY_NAME}: placementPolicy ({outside}: not a "
                                                                "workload policy of this stack)"}
    assert ironwood(outside, [])["tpu_topology"] is UNKNOWN
    assert ironwood(U, [], deps=False)["unknown"] == {
        "tpu_topology": f"{POLICY_NAME}: placementPolicy (no workload policy of this stack is linked)"}
    two = ironwood(U, [workload_policy("a", "2x2x2"), workload_policy("b", "2x2x4")])
    assert (two["tpu_topology"], two["unknown"]) == (UNKNOWN, {
        "tpu_topology": f"{POLICY_NAME}: placementPolicy (computed from 2 workload policys: which of them it names "
                        "is unknown before deployment)"})
    given = ironwood(U, [workload_policy("wp", "2x2x2")], edits={"placementPolicy.tpuTopology": "2x2x4"})
    assert (given["tpu_topology"], given["unknown"]) == ("2x2x4", {})


def test_a_gpu_pool_has_no_workload_policy_shape() -> None:
    found = pool_of({"placementPolicy.policyName": U})
    assert (found["tpu_topology"], found["unknown"]) == (None, {})


# --- a cluster's own pools ----------------------------------------------------------------------------------------

GPU_ENTRY = {"name": "gpu", "nodeConfig": {"machineType": "a3-highgpu-8g"}, "nodeCount": 2}


def test_a_clusters_inline_pools_are_named_after_it_and_their_paths_prefixed() -> None:
    owner = cluster({"location": "us-central1-a", "nodePools": [
        GPU_ENTRY, 7, {"nodeConfig": {"machineType": "g2-standard-8"}, "nodeCount": U},
        {"name": "cpu", "nodeConfig": {"machineType": "n2-standard-8"}}]})
    first, second = read_pools(owner)
    short0 = f"0 GPU NIC(s) configured where a3-highgpu-8g has 4 (add {NICS}, one per GPU NIC)"
    assert first == {
        **BASE, "name": "train/gpu", "urn": f"urn:pulumi:s::p::{CLUSTER}::train", "type": CLUSTER, "min": 2, "max": 2,
        "purpose": "inference", "declared": False, "labels": {}, "fabric": (False, (short0,), (), 0.0),
        "public_ips": True, "intent": (), "compact": False,
        "compact_missing": "no compact placement: set nodePools[0].placementPolicy.type to COMPACT"}
    assert (second["name"], second["instance_type"], second["fabric"], second["max"], second["unknown"],
            second["compact_missing"]) == (
        "train/2", "g2-standard-8", (False, (), (), 0.0), UNKNOWN,
        {"min_nodes": "nodePools[2].nodeCount", "max_nodes": "nodePools[2].nodeCount"},
        "no compact placement: set nodePools[2].placementPolicy.type to COMPACT")


def test_an_inline_tpu7x_pool_links_its_workload_policy_through_node_pools() -> None:
    entry = {"name": "tpu", "nodeConfig": {"machineType": "tpu7x-standard-4t"}, "placementPolicy": {"policyName": U}}
    policy = workload_policy("wp", "2x2x2")
    owner = cluster({"location": "us-central1-a", "nodePools": [entry]}, prop_deps={"nodePools": [policy]})
    [found] = read_pools(policy, owner)
    assert (found["name"], found["tpu_topology"], found["unknown"]) == ("train/tpu", "2x2x2", {})
    lost = cluster({"location": "us-central1-a", "nodePools": [entry]})
    assert read_pools(lost)[0]["unknown"] == {
        "tpu_topology": "nodePools[0].placementPolicy.policyName: nodePools (no workload policy of this stack is "
                        "linked)"}


DEFAULT_POOL = {"location": "us-central1-a", "nodeConfig": {"machineType": "g2-standard-8"}, "initialNodeCount": 2}


def test_a_clusters_default_pool_unless_removed_or_replaced() -> None:
    [found] = read_pools(cluster(DEFAULT_POOL))
    assert (found["name"], found["instance_type"], found["min"], found["max"], found["compact_missing"]) == (
        "train/default-pool", "g2-standard-8", 2, 2, "no compact placement: set placementPolicy.type to COMPACT")
    assert [p["name"] for p in read_pools(cluster({**DEFAULT_POOL, "nodePools": []}))] == ["train/default-pool"]
    assert [p["name"] for p in read_pools(cluster({**DEFAULT_POOL, "removeDefaultNodePool": False}))] == [
        "train/default-pool"]
    assert read_pools(cluster({**DEFAULT_POOL, "removeDefaultNodePool": True})) == []
    assert read_pools(cluster({**DEFAULT_POOL, "removeDefaultNodePool": "true"})) == []
    assert read_pools(cluster({**DEFAULT_POOL, "nodePools": [GPU_ENTRY]}))[0]["name"] == "train/gpu"
    assert read_pools(cluster({"location": "us-central1-a"})) == []


def test_a_cluster_whose_pools_cannot_be_read_is_one_pool_of_unknown_facts() -> None:
    [junk] = read_pools(cluster("junk"))
    why = "its inputs could not be read (got str)"
    assert (junk["name"], junk["cloud"], junk["instance_type"], junk["unknown"]) == (
        "train", "gcp", UNKNOWN, dict.fromkeys(("instance_type", "min_nodes", "max_nodes", "zones", "public_ips"), why))
    [blind] = read_pools(cluster({"location": "us-central1-a", "nodePools": U}))
    at = "nodePools[]."
    assert blind == {
        "name": "train/nodePools[]", "urn": f"urn:pulumi:s::p::{CLUSTER}::train", "cloud": "gcp", "type": CLUSTER,
        "instance_type": UNKNOWN, "instance": None, "min": UNKNOWN, "max": UNKNOWN, "purpose": "training",
        "declared": False, "zones": UNKNOWN, "region": None, "capacity": "on-demand",
        "fabric": (UNKNOWN, (), ("machine type",), UNKNOWN), "public_ips": UNKNOWN, "tpu_topology": UNKNOWN,
        "labels": {}, "attached": None, "looks": False, "candidates": (), "intent": (), "compact": UNKNOWN,
        "compact_missing": f"no compact placement: set {at}placementPolicy.type to COMPACT", "least_zones": 0,
        "least_max_nodes": 0, "unknown": {
            "instance_type": f"{at}nodeConfig.machineType", "min_nodes": f"{at}autoscaling",
            "max_nodes": f"{at}autoscaling", "zones": f"{at}nodeLocations",
            "public_ips": f"{at}networkConfig.enablePrivateNodes",
            "tpu_topology": f"{at}placementPolicy.tpuTopology"}}


def test_the_default_pools_gpu_networks_link_through_node_config() -> None:
    vpcs = networks("vpc-0", "vpc-1")
    inputs = {**DEFAULT_POOL, "nodeConfig": {"machineType": "a3-highgpu-8g"},
              "networkConfig": {"additionalNodeNetworkConfigs": nic_configs(U, U, U, U)}}
    [found] = read_pools(*vpcs, cluster(inputs, prop_deps={"nodeConfig": vpcs}))
    assert found["fabric"] == (False, ("the 4 GPU NICs share 2 VPC(s), each needs its own VPC",), (), 400.0)


AUTO = "clusterAutoscaling.resourceLimits"


def auto_pools(autoscaling: Any) -> list[dict[str, Any]]:
    return read_pools(cluster({"location": "us-central1-a", "removeDefaultNodePool": True,
                               "clusterAutoscaling": autoscaling}))


def test_node_auto_provisioning_is_a_pool_per_accelerator_limit() -> None:
    limits = [{"resourceType": "cpu", "maximum": 1000}, {"resourceType": "memory", "maximum": 4000},
              {"resourceType": "nvidia-h100-80gb", "minimum": 8, "maximum": 64}, {"resourceType": U},
              {"resourceType": "nvidia-l4", "maximum": U, "minimum": U}, {"resourceType": "nvidia-a100-80gb"}]
    h100, l4, a100 = auto_pools({"enabled": True, "resourceLimits": limits})
    assert h100 == {
        "name": "train/auto-provisioned nvidia-h100-80gb", "urn": f"urn:pulumi:s::p::{CLUSTER}::train", "cloud": "gcp",
        "type": CLUSTER, "instance_type": "auto-provisioned nvidia-h100-80gb", "instance": None, "min": 8, "max": 64,
        "purpose": "inference", "declared": False, "zones": UNKNOWN, "region": None, "capacity": "on-demand",
        "fabric": (UNKNOWN, (), (f"{AUTO}[2]: an auto-provisioned pool's networks",), UNKNOWN), "public_ips": False,
        "tpu_topology": None, "labels": {}, "attached": 1, "looks": False,
        "unknown": {"zones": f"{AUTO}[2] (auto-provisioned pools: GKE picks their zones)"}, "candidates": (),
        "intent": (), "compact": None, "compact_missing": "", "least_zones": 0, "least_max_nodes": 0}
    assert (l4["min"], l4["max"], l4["unknown"]) == (UNKNOWN, UNKNOWN, {
        "max_nodes": f"{AUTO}[4].maximum", "min_nodes": f"{AUTO}[4].minimum",
        "zones": f"{AUTO}[4] (auto-provisioned pools: GKE picks their zones)"})
    assert (a100["min"], a100["max"], a100["unknown"]["max_nodes"]) == (
        0, UNKNOWN, f"{AUTO}[5].maximum (missing or not a whole number)")
    assert auto_pools({"enabled": "true", "resourceLimits": limits[2:3]})[0]["max"] == 64
    assert auto_pools({"enabled": False, "resourceLimits": limits}) == []
    assert auto_pools({"resourceLimits": limits}) == []
    assert auto_pools({"enabled": True, "resourceLimits": U}) == []
    assert auto_pools(U) == []


# --- Managed Lustre and Parallelstore ------------------------------------------------------------------------------

def file_system(type_: str, inputs: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    graph = graph_of(res(type_, "scratch", inputs, **kwargs))
    reader = read_lustre if type_ == LUSTRE else read_parallelstore
    [found] = reader(graph, CATALOG, graph.of_type(type_))
    return fs_facts(found)


LUSTRE_BASE: dict[str, Any] = {
    "name": "scratch", "urn": f"urn:pulumi:s::p::{LUSTRE}::scratch", "cloud": "gcp", "type": LUSTRE, "kind": "lustre",
    "capacity_tib": 72.0, "throughput_mbps": 9000.0, "zones": ("us-central1-a",), "region": "us-central1",
    "monthly_usd": 10440.0, "per_tib": 125.0, "offering": "lustre", "cmk": False, "unknown": {},
}
LUSTRE_INPUTS = {"capacityGib": 72000, "perUnitStorageThroughput": 125, "location": "us-central1-a"}

LUSTRE_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("125-tier-priced", {}, {}),
    # the 250 / 1000 tiers at $0.21 / $0.60 per GiB-month in us-central1 (Cloud Billing export of the SKUs, quoted
    # by the catalog's gcp-lustre-billing-export source): $210 / $600 per TiB-month
    ("1000-tier", {"capacityGib": 18000, "perUnitStorageThroughput": 1000},
     {"capacity_tib": 18.0, "throughput_mbps": 18000.0, "monthly_usd": 10800.0, "per_tib": 1000.0}),
    ("tier-as-text", {"perUnitStorageThroughput": "250"},
     {"throughput_mbps": 18000.0, "monthly_usd": 15120.0, "per_tib": 250.0}),
    ("capacity-unknown", {"capacityGib": U},
     {"capacity_tib": UNKNOWN, "throughput_mbps": UNKNOWN, "monthly_usd": None,
      "unknown": {"capacity_tib": "capacityGib"}}),
    ("tier-unknown", {"perUnitStorageThroughput": U},
     {"throughput_mbps": UNKNOWN, "monthly_usd": None, "per_tib": UNKNOWN,
      "unknown": {"throughput_mbps": "perUnitStorageThroughput"}}),
    ("tier-not-set", {"perUnitStorageThroughput": GONE},
     {"throughput_mbps": UNKNOWN, "monthly_usd": None, "per_tib": UNKNOWN,
      "unknown": {"throughput_mbps": "perUnitStorageThroughput (not set, and the catalog has no single lustre tier)"}}),
    ("regional", {"location": "us-central1"}, {"zones": ()}),
    ("location-unknown", {"location": U}, {"zones": UNKNOWN, "region": None, "unknown": {"zones": "location"}}),
    ("location-missing", {"location": GONE},
     {"zones": UNKNOWN, "region": None, "unknown": {"zones": "location (missing)"}}),
    ("kms-key", {"kmsKey": "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k"}, {"cmk": True}),
    ("kms-key-unknown", {"kmsKey": U}, {"cmk": True}),
]


@pytest.mark.parametrize(("edits", "expected"), [c[1:] for c in LUSTRE_CASES], ids=[c[0] for c in LUSTRE_CASES])
def test_managed_lustre_every_fact(edits: dict[str, Any], expected: dict[str, Any]) -> None:
    assert file_system(LUSTRE, edited(LUSTRE_INPUTS, edits)) == {**LUSTRE_BASE, **expected}


def test_a_kms_key_from_a_resource_of_the_stack_is_customer_managed() -> None:
    key = res("gcp:kms/cryptoKey:CryptoKey", "key")
    inputs = edited(LUSTRE_INPUTS, {})
    assert file_system(LUSTRE, inputs, prop_deps={"kmsKey": [key]})["cmk"] is True
    assert file_system(LUSTRE, inputs, prop_deps={"kmsKey": []})["cmk"] is False
    assert file_system(LUSTRE, inputs, prop_deps={"network": [key]})["cmk"] is False


def test_parallelstore_has_one_throughput_per_tib() -> None:
    assert file_system(PARALLELSTORE, {"capacityGib": 12000, "location": "us-central1-a"}) == {
        **LUSTRE_BASE, "urn": f"urn:pulumi:s::p::{PARALLELSTORE}::scratch", "type": PARALLELSTORE,
        "kind": "parallelstore", "offering": "parallelstore", "capacity_tib": 12.0,
        "throughput_mbps": pytest.approx(14817.6), "monthly_usd": 1680.0, "per_tib": 1234.8}
    blind = file_system(PARALLELSTORE, {"capacityGib": U, "location": "us-central1-a"})
    assert (blind["capacity_tib"], blind["throughput_mbps"], blind["per_tib"], blind["unknown"]) == (
        UNKNOWN, UNKNOWN, 1234.8, {"capacity_tib": "capacityGib"})


def test_a_gpu_type_without_a_catalog_nic_count_needs_at_least_one() -> None:
    """A row without ``fabric_nics`` (none in the catalog today) needs at least one GPU NIC, and says the count is
    not known."""
    a3 = CATALOG.find("a3-highgpu-8g")
    assert a3 is not None
    unsure = replace(a3, fabric_nics=None)
    gap = "how many GPU NICs a3-highgpu-8g has (the catalog has no figure)"
    assert astuple(_fabric(None, None, unsure, (0, 0, []))) == (  # type: ignore[arg-type]
        False, ("0 GPU NIC(s) configured where a3-highgpu-8g has at least 1 (add "
                f"{NICS}, one per GPU NIC)",), (gap,), 0.0)
    assert astuple(_fabric(None, None, unsure, (2, 2, []))) == (UNKNOWN, (), (gap,), 800.0)  # type: ignore[arg-type]


def test_gpu_nic_configs_that_name_no_network_take_no_path() -> None:
    found = pool_of({"networkConfig.additionalNodeNetworkConfigs": [{}, {}, {}, {}]})
    assert found["fabric"] == (True, (), (), 0.0)


def test_a_tpu_pool_carries_the_catalogs_ici_bandwidth() -> None:
    """The catalog cites no ICI bandwidth today; a row that had one would carry it."""
    ct5p = CATALOG.find("ct5p-hightpu-4t")
    assert ct5p is not None
    assert astuple(_fabric(None, None, replace(ct5p, fabric_gbps=4800.0), (0, 0, []))) == (  # type: ignore[arg-type]
        True, (), (), 4800.0)


def test_a_regional_clusters_default_pool_spans_gkes_default_zones_and_reads_its_privacy() -> None:
    owner = cluster({**DEFAULT_POOL, "location": "us-central1", "privateClusterConfig": {"enablePrivateNodes": True}})
    [found] = read_pools(owner)
    assert (found["zones"], found["region"], found["least_zones"], found["least_max_nodes"], found["public_ips"]) == (
        UNKNOWN, "us-central1", 3, 6, False)


def test_the_region_of_a_pool_without_a_location_is_its_node_locations() -> None:
    found = pool_of({"location": GONE, "nodeLocations": ["us-east4-a", "us-east4-b"]})
    assert (found["zones"], found["region"], found["min"], found["max"]) == (("us-east4-a", "us-east4-b"), "us-east4",
                                                                             2, 8)


def test_a_tpu_pool_with_extra_networks_shows_no_fabric_intent() -> None:
    found = one_pool(res(NODE_POOL, "gpu", edited(TPU_INPUTS, {NICS: nic_configs("a", "b")})))
    assert (found["intent"], found["compact"], found["purpose"]) == ((), None, "inference")


def test_each_clusters_pools_are_kept() -> None:
    pools = read_pools(cluster(DEFAULT_POOL, "first"), cluster("junk", "second"), cluster(DEFAULT_POOL, "third"))
    assert [p["name"] for p in pools] == ["first/default-pool", "second", "third/default-pool"]


def test_the_catalog_decides_whether_a_node_pool_is_an_accelerator_pool() -> None:
    from test_gcp_vms_direct import _StubCatalog

    def pools(**edits: Any) -> list[Any]:
        graph = graph_of(res(NODE_POOL, "gpu", edited(POOL_INPUTS, edits)))
        return [p.instance_type for p in read_node_pools(graph, _StubCatalog(), graph.of_type(NODE_POOL))]  # type: ignore
    assert pools(**{MACHINE: "z9-custom-8g"}) == ["z9-custom-8g"]  # no family name, catalogued with 8 GPUs
    assert pools(**{MACHINE: "n2-standard-8"}) == []
    assert pools(**{MACHINE: "n2-standard-8", "nodeConfig.guestAccelerators": [{"count": 1}]}) == ["n2-standard-8"]


def test_the_node_pool_reader_goes_on_past_an_unreadable_pool() -> None:
    pools = read_pools(res(NODE_POOL, "junk", "junk"), res(NODE_POOL, "gpu", POOL_INPUTS))
    assert [p["name"] for p in pools] == ["junk", "gpu"]
