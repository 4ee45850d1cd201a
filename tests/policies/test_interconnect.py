"""interconnect, judged in this process on hand-written programs: each fabric fully configured passes, each part
missing blocks with the share of bandwidth left, the minGbpsPerAccelerator floor exactly at, just below and just
above a type's figure, and every case it cannot decide named.

Public figures (read 2026-12-07): p5.48xlarge: 8 H100, 3,200 Gbps of EFA over 32 network cards, one EFA interface
each (aws.amazon.com/ec2/instance-types/p5; docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html),
so 400 Gbps per GPU; p4d.24xlarge: 8 A100, 400 Gbps of EFA over 4 cards: 50 per GPU; a3-megagpu-8g: 8 H100 and 8
GPU NICs of 200 Gbps (GPUDirect-TCPXO; cloud.google.com/compute/docs/gpus/gpu-network-bandwidth): 200 per GPU;
Standard_ND96isr_H100_v5: 8 H100, 8 × 400 Gb/s NDR InfiniBand (learn.microsoft.com/azure/virtual-machines/
nd-h100-v5-series): 400 per GPU; Standard_NC24ads_A100_v4: one A100, no InfiniBand."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from direct import judge, rule
from hand_pools import CATALOG, P5, findings, pool
from policy_programs import Aws, Azure, Gcp, gcp_tpu

from backbone.policies.inventory import UNKNOWN, AcceleratorPool, Candidate, FabricCheck, Inventory
from backbone.policies.rules.base import Unverifiable, Violation

P5_POOL = "training pool gpu (aws:eks/nodeGroup:NodeGroup) spans up to 16 × p5.48xlarge (128 nvidia-h100-80gb)"
EFA = "EFA (AWS's Elastic Fabric Adapter)"
FIX_AWS = ("Configure one EFA interface per network card in the launch template (networkInterfaces, interfaceType "
           "efa)")
FIX_GCP = ("Configure every GPU NIC in networkConfig.additionalNodeNetworkConfigs, each on its own VPC "
           "(GPUDirect-TCPX/TCPXO) or its own subnet of an RDMA VPC (GPUDirect-RDMA)")


@pytest.mark.parametrize("program", [Aws(), Gcp(), Azure(), Aws().with_(max_nodes=2)], ids=str)
def test_a_full_fabric_passes(program: Any) -> None:
    assert judge(program, "interconnect").passed


@pytest.mark.parametrize("interfaces, share", [(0, "0"), (1, "12.5"), (16, "200"), (31, "388")])
def test_missing_efa_interfaces_block_with_the_bandwidth_left(interfaces: int, share: str) -> None:
    resource, message = judge(Aws().with_(efa_interfaces=interfaces), "interconnect").only_violation()
    assert resource == "gpu"
    assert message == (
        f"{P5_POOL} on {EFA} but its fabric is not fully configured: {interfaces} EFA interface(s) configured where "
        f"p5.48xlarge has 32 (networkInterfaces with interfaceType efa, one per network card); as configured it "
        f"gets {share} of the 400 Gbps per accelerator the instance offers. {FIX_AWS}")


@pytest.mark.parametrize("changes, missing, share", [
    ({"gpu_nics": 4, "vpcs": 4}, "4 GPU NIC(s) configured where a3-megagpu-8g has 8 (add "
                                 "networkConfig.additionalNodeNetworkConfigs, one per GPU NIC)", "100"),
    ({"vpcs": 2}, "the 8 GPU NICs share 2 VPC(s), each needs its own VPC", "50"),
])
def test_gpu_nics_short_or_sharing_vpcs_block(changes: dict[str, Any], missing: str, share: str) -> None:
    resource, message = judge(Gcp().with_(**changes), "interconnect").only_violation()
    assert resource == "gpu"
    assert message == (
        "training pool gpu (gcp:container/nodePool:NodePool) spans up to 16 × a3-megagpu-8g (128 nvidia-h100-80gb) "
        "on GPUDirect-TCPXO (Google's GPU-to-GPU networking over extra NICs, one VPC each) but its fabric is not "
        f"fully configured: {missing}; as configured it gets {share} of the 200 Gbps per accelerator the instance "
        f"offers. {FIX_GCP}")


@pytest.mark.parametrize("program, per_gpu", [(Aws(), 400), (Azure(), 400), (Gcp(), 200),
                                              (Aws().with_(instance_type="p4d.24xlarge", efa_interfaces=4), 50)],
                         ids=["p5", "nd-h100-v5", "a3-mega", "p4d"])
@pytest.mark.parametrize("delta, blocks", [(-1, False), (0, False), (1, True)])
def test_the_bandwidth_floor_at_each_types_figure(program: Any, per_gpu: int, delta: float, blocks: bool) -> None:
    floor = per_gpu + delta
    judged = judge(program, "interconnect", {"minGbpsPerAccelerator": floor})
    if not blocks:
        assert judged.passed, judged
        return
    resource, message = judged.only_violation()
    assert resource == "gpu"
    assert f"has {per_gpu} Gbps of " in message and f" per accelerator; multi-node training needs at least " \
                                                    f"{floor:g} Gbps per accelerator" in message
    assert message.endswith("use an instance type with more fabric bandwidth or lower minGbpsPerAccelerator")


def test_a_fraction_above_the_figure_blocks() -> None:
    p4d = Aws().with_(instance_type="p4d.24xlarge", efa_interfaces=4)
    assert judge(p4d, "interconnect", {"minGbpsPerAccelerator": 50.0}).passed
    _, message = judge(p4d, "interconnect", {"minGbpsPerAccelerator": 50.01}).only_violation()
    assert "(16 × p4d.24xlarge (128 nvidia-a100-40gb)) has 50 Gbps of EFA" in message
    assert "needs at least 50 Gbps per accelerator" in message  # 50.01 as a message figure


# g5.48xlarge: 8 A10G and 100 Gbps of EFA on one network card (aws.amazon.com/ec2/instance-types/g5): 12.5 per GPU
G5 = Aws().with_(instance_type="g5.48xlarge", efa_interfaces=1)


@pytest.mark.parametrize("config, floor", [({}, "25"), ({"minGbpsPerAccelerator": 12.6}, "12.6")])
def test_the_default_floor_of_25_blocks_a_token_fabric(config: dict[str, Any], floor: str) -> None:
    resource, message = judge(G5, "interconnect", config).only_violation()
    assert resource == "gpu"
    assert message == (
        "training pool gpu (aws:eks/nodeGroup:NodeGroup) (16 × g5.48xlarge (128 nvidia-a10g-24gb)) has 12.5 Gbps of "
        f"{EFA} per accelerator; multi-node training needs at least {floor} Gbps per accelerator: use an instance "
        "type with more fabric bandwidth or lower minGbpsPerAccelerator")


def test_a_floor_at_the_token_fabric_passes_it() -> None:
    assert judge(G5, "interconnect", {"minGbpsPerAccelerator": 12.5}).passed


def test_training_across_nodes_on_a_type_without_fabric_blocks() -> None:
    resource, message = judge(Azure().with_(vm_size="Standard_NC24ads_A100_v4"), "interconnect",
                              {"minGbpsPerAccelerator": 30}).only_violation()
    assert resource == "gpu"
    assert message == (
        "training pool gpu (azure-native:containerservice:AgentPool) spans up to 16 × Standard_NC24ads_A100_v4 "
        "(16 nvidia-a100-80gb) but Standard_NC24ads_A100_v4 has no node-to-node fabric (0 Gbps per accelerator, "
        "needs at least 30); use a fabric-capable instance type or keep the pool to one node")


@pytest.mark.parametrize("program", [
    Aws().with_(max_nodes=1, efa_interfaces=0),                       # one node: no fabric needed
    Azure().with_(vm_size="Standard_NC24ads_A100_v4", max_nodes=1),
    Aws().with_(purpose="inference", efa_interfaces=0),               # not training
    gcp_tpu(),                                                        # ICI: tpu-topology's
], ids=["one-p5", "one-nc", "inference", "tpu"])
def test_pools_that_need_no_fabric_pass(program: Any) -> None:
    assert judge(program, "interconnect").passed


def test_an_unknown_instance_type_cannot_verify() -> None:
    judged = judge(Aws().with_(unknown_instance_type=True), "interconnect")
    assert judged.violations == []
    assert judged.cannot_verify == ("pool gpu (aws:eks/nodeGroup:NodeGroup): whether it spans nodes on a fabric is "
                                    "unknown (train.instanceType (launch template))")


def test_a_type_the_catalog_does_not_know_cannot_verify() -> None:
    judged = judge(Aws().with_(instance_type="p9.made-up", efa_interfaces=4), "interconnect")
    assert judged.violations == []
    assert judged.cannot_verify == ("pool gpu (aws:eks/nodeGroup:NodeGroup): the catalog does not know the fabric "
                                    "of p9.made-up, so its NICs cannot be checked")


def test_a_short_fabric_on_an_unknown_node_count_cannot_verify_and_a_full_one_passes() -> None:
    judged = judge(Azure().with_(vm_size="Standard_NC24ads_A100_v4", unknown_max_nodes=True), "interconnect")
    assert judged.violations == []
    assert judged.cannot_verify == ("pool gpu (azure-native:containerservice:AgentPool): its fabric is short (too "
                                    "little bandwidth), and whether it spans several nodes is unknown (maxCount)")
    assert judge(Azure().with_(unknown_max_nodes=True), "interconnect").passed


# --- pools built by hand: several candidate types, catalog gaps, a cloud without its own advice -----------------

INTERCONNECT = rule("interconnect")
P4D = CATALOG.find("p4d.24xlarge")


def _violations(p: AcceleratorPool, floor: float = 25) -> list[str]:
    """The messages of ``check`` on a stack of one pool (its candidates judged and ranked)."""
    return [f.message for f in INTERCONNECT.check(Inventory(pools=[p]), {"minGbpsPerAccelerator": floor})]


def test_of_several_candidate_types_the_weakest_fabric_is_reported() -> None:
    # floor 500: p5 (400 per GPU) and p4d (50) both fall short; p4d is reported though p5 comes first by price
    two = pool(candidates=(Candidate("p5.48xlarge", P5, FabricCheck(True, gbps=3200.0)),
                           Candidate("p4d.24xlarge", P4D, FabricCheck(True, gbps=400.0))))
    [message] = _violations(two, floor=500)
    assert "judged as p4d.24xlarge" in message and "has 50 Gbps of EFA" in message


def test_a_candidate_without_a_bandwidth_figure_ranks_before_one_with_none_wired() -> None:
    # both lack their fabric; the one whose bandwidth the catalog does not state is reported first (-1 < 0 Gbps)
    assert P4D is not None
    no_figure = replace(P4D, instance_type="p4x.24xlarge", fabric_gbps=None)
    two = pool(candidates=(Candidate("p5.48xlarge", P5, FabricCheck(False, ("0 of 32 EFA",), gbps=0.0)),
                           Candidate("p4x.24xlarge", no_figure, FabricCheck(False, ("0 of 4 EFA",), gbps=None))))
    [message] = _violations(two)
    assert "judged as p4x.24xlarge" in message and "0 of 4 EFA" in message and "as configured" not in message


def test_each_missing_part_is_named_and_a_cloud_without_advice_is_told_to_configure_its_full_fabric() -> None:
    short = pool(cloud="oci", fabric=FabricCheck(False, ("no RDMA NICs", "one subnet"), gbps=UNKNOWN))
    assert findings(INTERCONNECT, short, {"minGbpsPerAccelerator": 25}) == [Violation(short.urn, (
        "training pool gpu (aws:eks/nodeGroup:NodeGroup) spans up to 16 × p5.48xlarge (128 nvidia-h100-80gb) on EFA "
        "(AWS's Elastic Fabric Adapter) but its fabric is not fully configured: no RDMA NICs; one subnet. Configure "
        "its full fabric"))]


def test_a_share_is_not_stated_where_the_catalog_has_no_full_figure() -> None:
    assert P5 is not None
    row = replace(P5, fabric_gbps=None)
    short = pool(instance=row, fabric=FabricCheck(False, ("16 of 32",), gbps=1600.0))
    [found] = findings(INTERCONNECT, short, {"minGbpsPerAccelerator": 25})
    assert isinstance(found, Violation) and found.message.endswith(
        "not fully configured: 16 of 32. Configure one EFA interface per network card in the launch template "
        "(networkInterfaces, interfaceType efa)")


def test_what_cannot_be_verified_points_at_the_pool() -> None:
    assert P5 is not None
    config = {"minGbpsPerAccelerator": 25}
    no_figure = pool(instance=replace(P5, fabric_gbps=None), fabric=FabricCheck(True, gbps=None))
    assert findings(INTERCONNECT, no_figure, config) == [Unverifiable(
        no_figure.urn, "pool gpu (aws:eks/nodeGroup:NodeGroup): the catalog has no fabric bandwidth for p5.48xlarge")]
    uncatalogued = pool(instance=None, instance_type="p9.made-up")
    assert findings(INTERCONNECT, uncatalogued, config) == [Unverifiable(uncatalogued.urn, (
        "pool gpu (aws:eks/nodeGroup:NodeGroup): the catalog does not know the fabric of p9.made-up, so its NICs "
        "cannot be checked"))]
    unsized = pool(max_nodes=UNKNOWN, fabric=FabricCheck(False, ("8 of 32", "no placement"), gbps=800.0),
                   unknown_inputs={"max_nodes": "scalingConfig.maxSize"})
    assert findings(INTERCONNECT, unsized, config) == [Unverifiable(unsized.urn, (
        "pool gpu (aws:eks/nodeGroup:NodeGroup): its fabric is short (8 of 32; no placement), and whether it spans "
        "several nodes is unknown (scalingConfig.maxSize)"))]
    unknown_config = pool(fabric=FabricCheck(UNKNOWN, unknown=("networkInterfaces", "launchTemplate.id"),
                                             gbps=UNKNOWN))
    assert findings(INTERCONNECT, unknown_config, config) == [Unverifiable(unknown_config.urn, (
        "pool gpu (aws:eks/nodeGroup:NodeGroup): fabric configuration unknown (networkInterfaces, "
        "launchTemplate.id)"))]
