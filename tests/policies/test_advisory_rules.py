"""The advisory rules, and compact-placement, judged in this process on hand-written programs: a passing and a
failing case per cloud where the cloud has the setting, every limit at, below and above, the fix each message gives.
Figures: p5.48xlarge has 8 H100 at $55.04 an hour on demand in us-east-1 (the catalog's cited list price); a month
is 730 hours; v5p slices are 3-dimensional, 4 chips per ct5p-hightpu-4t host (cloud.google.com/tpu/docs/v5p)."""

from __future__ import annotations

from typing import Any

import pytest
from direct import judge
from policy_programs import Aws, Azure, Gcp, gcp_tpu

EKS = "pool gpu (aws:eks/nodeGroup:NodeGroup)"
GKE = "pool gpu (gcp:container/nodePool:NodePool)"
AKS = "pool gpu (azure-native:containerservice:AgentPool)"
P5_16 = "16 × p5.48xlarge (128 nvidia-h100-80gb)"
A3_16 = "16 × a3-megagpu-8g (128 nvidia-h100-80gb)"
ND_16 = "16 × Standard_ND96isr_H100_v5 (128 nvidia-h100-80gb)"


# --- compact-placement ----------------------------------------------------------------------------------------

CLOSE = "but its nodes are not placed close together, which adds latency between them"
RESERVED = "(or run it on a capacity reservation that places the nodes)"


@pytest.mark.parametrize("program", [Aws(), Gcp(), Azure(), Aws().with_(placement=None, max_nodes=1),
                                     Aws().with_(placement=None, purpose="inference")],
                         ids=["eks", "gke", "aks-platform-placed", "one-node", "inference"])
def test_compact_placement_passes(program: Any) -> None:
    assert judge(program, "compact-placement").passed


@pytest.mark.parametrize("program, words", [
    (Aws().with_(placement=None), f"training {EKS} can scale to {P5_16} {CLOSE}: no cluster placement group: set the "
     "launch template's placement.groupName (or the group's placementGroup) to a placement group with strategy "
     f"'cluster' {RESERVED}"),
    (Aws().with_(placement="spread"), f"training {EKS} can scale to {P5_16} {CLOSE}: placement group train has "
     f"strategy 'spread': set strategy 'cluster' {RESERVED}"),
    (Gcp().with_(placement=None), f"training {GKE} can scale to {A3_16} {CLOSE}: no compact placement: set "
     f"placementPolicy.type to COMPACT {RESERVED}"),
], ids=["no-group", "spread", "gke"])
def test_compact_placement_advises(program: Any, words: str) -> None:
    assert judge(program, "compact-placement").only_violation() == ("gpu", words)


# --- private-nodes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("program", [Aws(), Gcp(), Azure()], ids=["eks", "gke", "aks"])
def test_private_nodes_pass(program: Any) -> None:
    assert judge(program, "private-nodes").passed


@pytest.mark.parametrize("program, words", [
    (Aws().with_(public_ip=True), f"{EKS}: its {P5_16} nodes get public IP addresses; use private subnets "
     "(mapPublicIpOnLaunch: false) and associatePublicIpAddress: false"),
    (Gcp().with_(private=False), f"{GKE}: its {A3_16} nodes get public IP addresses; set "
     "networkConfig.enablePrivateNodes (or a private cluster)"),
    (Azure().with_(public_ip=True), f"{AKS}: its {ND_16} nodes get public IP addresses; set enableNodePublicIP: "
     "false"),
], ids=["eks", "gke", "aks"])
def test_public_nodes_are_flagged_with_the_setting_to_change(program: Any, words: str) -> None:
    assert judge(program, "private-nodes").only_violation() == ("gpu", words)


# --- known-accelerator ----------------------------------------------------------------------------------------


def test_a_catalogued_type_is_known() -> None:
    assert judge(Aws(), "known-accelerator").passed


def test_an_uncatalogued_accelerator_type_is_flagged() -> None:
    assert judge(Aws().with_(instance_type="p9.made-up"), "known-accelerator").only_violation() == (
        "gpu", f"{EKS} uses p9.made-up, an accelerator instance type the catalog does not know, so its accelerators, "
               "fabric and price cannot be checked: pick a type from `backbone catalog --cloud aws` or add a cited "
               "row with --catalog FILE (the format of the shipped catalog files, see "
               "docs/catalog.md#your-own-catalog-files)")


def test_an_unknown_type_cannot_verify() -> None:
    judged = judge(Aws().with_(unknown_instance_type=True), "known-accelerator")
    assert judged.violations == []
    assert judged.cannot_verify == f"{EKS}: instance type unknown (train.instanceType (launch template))"


# --- pool-purpose ---------------------------------------------------------------------------------------------

UNLABELLED = ("and has no purpose label and no sign of training across nodes (no fabric NICs, no placement, no "
              "declared training workload), so it is judged as not training and its fabric is not checked. If this "
              "pool trains across nodes it will be network-bound; label its purpose: backbone.dev/purpose: training "
              "(its fabric is then checked) or inference, in ")


@pytest.mark.parametrize("program", [
    Aws(), Aws().with_(purpose="inference"),                              # labelled
    Aws().with_(purpose=None),                                            # EFA and a placement group: training
    Azure().with_(purpose=None, vm_size="Standard_NC24ads_A100_v4", max_nodes=1),  # one node
], ids=["training", "inference", "intent", "one-node"])
def test_pool_purpose_passes(program: Any) -> None:
    assert judge(program, "pool-purpose").passed


@pytest.mark.parametrize("program, words", [
    (Aws().with_(purpose=None, efa_interfaces=0, placement=None), f"{EKS} can scale to {P5_16} {UNLABELLED}the node "
     "group's labels (or, for a self-managed group, the tag "
     "k8s.io/cluster-autoscaler/node-template/label/backbone.dev/purpose)"),
    (Gcp().with_(purpose=None, gpu_nics=0, vpcs=0, placement=None), f"{GKE} can scale to {A3_16} {UNLABELLED}"
     "nodeConfig.labels"),
    (Azure().with_(purpose=None, vm_size="Standard_NC24ads_A100_v4", max_nodes=2), f"{AKS} can scale to 2 × "
     f"Standard_NC24ads_A100_v4 (2 nvidia-a100-80gb) {UNLABELLED}nodeLabels"),
], ids=["eks", "gke", "aks-two-nodes"])
def test_an_unlabelled_multi_node_pool_is_asked_its_purpose(program: Any, words: str) -> None:
    assert judge(program, "pool-purpose").only_violation() == ("gpu", words)


# --- idle-accelerators ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("min_nodes, limit, flagged", [
    (0, None, False), (1, None, False),   # 8 H100 kept: at the default allowance of 8
    (2, None, True),                      # 16
    (2, 15, True), (2, 16, False), (2, 17, False),
])
def test_idle_accelerators_against_the_allowance(min_nodes: int, limit: int | None, flagged: bool) -> None:
    config = {} if limit is None else {"maxIdleAccelerators": limit}
    judged = judge(Aws().with_(min_nodes=min_nodes), "idle-accelerators", config)
    if not flagged:
        assert judged.passed, judged
        return
    # 2 × $55.04 × 730 h = $80,358.40 a month
    assert judged.only_violation() == ("gpu", (
        f"{EKS} keeps 2 × p5.48xlarge (16 nvidia-h100-80gb) running at zero load, $80,358 a month; the stack keeps 16 "
        f"accelerators idle, more than maxIdleAccelerators {limit or 8}: set its minimum nodes to 0 and let the "
        f"autoscaler add nodes"))


def test_an_unknown_minimum_cannot_verify() -> None:
    judged = judge(Aws().with_(unknown_min_nodes=True, min_nodes=2), "idle-accelerators")
    assert judged.violations == [] and judged.cannot_verify is not None
    assert judged.cannot_verify.startswith(f"{EKS}: accelerators at min scale unknown (")


# --- encrypted-storage ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("program, config", [(Aws(), {}), (Aws(), {"customerManagedKey": False}),
                                             (Aws().with_(fs_kms_key=True), {"customerManagedKey": True})])
def test_encrypted_storage_passes(program: Any, config: dict[str, Any]) -> None:
    assert judge(program, "encrypted-storage", config).passed


def test_the_service_key_is_flagged_where_a_managed_key_is_required() -> None:
    assert judge(Aws(), "encrypted-storage", {"customerManagedKey": True}).only_violation() == (
        "scratch", "file system scratch (aws:fsx/lustreFileSystem:LustreFileSystem) is encrypted with the service's "
                   "own key, and customerManagedKey is required: set kmsKeyId to a key you manage")


# --- storage-locality -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("program", [Aws(), Gcp(), Azure(), Aws().with_(fs_zone="us-east-1b", purpose="inference")],
                         ids=["eks", "gke", "aks", "no-training-pool"])
def test_storage_in_the_pools_zone_passes(program: Any) -> None:
    assert judge(program, "storage-locality").passed


@pytest.mark.parametrize("program, there, here", [
    (Aws().with_(fs_zone="us-east-1b"), "us-east-1b", "us-east-1a"),
    (Gcp().with_(lustre_zone="us-central1-b"), "us-central1-b", "us-central1-a"),
    (Azure().with_(aml_zone="2"), "eastus-2", "eastus-1"),
], ids=["fsx", "managed-lustre", "amlfs"])
def test_storage_in_another_zone_is_flagged(program: Any, there: str, here: str) -> None:
    assert judge(program, "storage-locality").only_violation() == ("scratch", (
        f"file system scratch (lustre) is in {there} but feeds training pool gpu in {here}: cross-zone reads add "
        f"latency and transfer cost; put the file system in the pool's zone"))


def test_unknown_zones_cannot_verify_locality() -> None:
    judged = judge(Aws().with_(unknown_subnet_zone=True), "storage-locality")
    assert judged.violations == [] and judged.cannot_verify is not None
    assert "zone unknown (" in judged.cannot_verify


# --- tpu-topology-unlisted ------------------------------------------------------------------------------------


@pytest.mark.parametrize("program", [gcp_tpu(), gcp_tpu(tpu_topology="3x3x3"), gcp_tpu(unknown_topology=True),
                                     gcp_tpu(tpu_topology=None)], ids=["listed", "impossible", "unknown", "none"])
def test_listed_impossible_or_absent_shapes_are_not_this_rules(program: Any) -> None:
    assert judge(program, "tpu-topology-unlisted").passed


def test_a_formable_shape_no_table_lists_is_advised_against() -> None:
    # 2x2x6: 24 chips = 6 hosts of 4; 3 ascending dimensions, but past 2x4x4 every dimension is a multiple of 4
    assert judge(gcp_tpu(min_nodes=6, max_nodes=6, tpu_topology="2x2x6"), "tpu-topology-unlisted").only_violation() \
        == ("gpu", f"TPU {GKE}: topology 2x2x6 (24 chips, 6 hosts) can be formed by v5p, but no table the catalog "
                   "cites lists it (published shapes follow: 3 dimensions in ascending order: 2x2x1, 2x2x2, 2x2x4, "
                   "2x4x4, then every dimension a multiple of 4); GKE may refuse it when the pool is created: prefer "
                   "2x2x4 or 2x4x4 or 2x2x2, or keep it if you have created it before")
