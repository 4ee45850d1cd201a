"""Every limit of the sizing policies exactly at, just below and just above its threshold, on hand-written
programs (plain provider resources) judged rule by rule in this process (``direct``), and the never-silent paths:
a rule that raises, a deciding value unknown in preview, a remediate level.

The figures come from the providers' public pages, not from the pack: p5.48xlarge, a3-megagpu-8g and
Standard_ND96isr_H100_v5 each hold 8 NVIDIA H100 (aws.amazon.com/ec2/instance-types/p5, cloud.google.com/compute/
docs/gpus, learn.microsoft.com/azure/virtual-machines/nd-h100-v5-series; read 2026-12-07), so 16 nodes are 128
GPUs; FSx for Lustre delivers its per-unit throughput (MB/s per TiB) × its capacity in TiB (docs.aws.amazon.com/
fsx/latest/LustreGuide/performance.html), Azure Managed Lustre's AMLFS-Durable-Premium-500 500 MB/s per TiB
(learn.microsoft.com/azure/azure-managed-lustre/amlfs-overview); a month is 730 hours (the AWS pricing
calculator's convention)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest
from direct import judge, judge_resources, resources_of
from policy_programs import Aws, Azure, Gcp
from policy_verdict import Judge

from backbone.components.workload import Workload
from backbone.engine import preview_function
from backbone.policies.inventory import Inventory
from backbone.policies.rules.base import Finding
from backbone.policies.rules.max_accelerators import MaxAccelerators

GPUS_16_NODES = 128
PROGRAMS = {"aws": Aws(fs_capacity_gib=48_000), "gcp": Gcp(), "azure": Azure()}


@pytest.mark.parametrize("cloud", PROGRAMS)
@pytest.mark.parametrize("limit, blocks", [(GPUS_16_NODES - 1, True), (GPUS_16_NODES, False),
                                           (GPUS_16_NODES + 1, False)])
def test_max_accelerators_pool_limit(cloud: str, limit: int, blocks: bool) -> None:
    judged = judge(PROGRAMS[cloud], "max-accelerators", {"poolLimit": limit})
    if blocks:
        resource, message = judged.only_violation()
        assert resource == "gpu" and f"128 accelerators over the pool limit of {limit}" in message
        assert "lower its max nodes to 15 or less" in message  # 127 // 8
    else:
        assert judged.passed, judged


@pytest.mark.parametrize("cloud", PROGRAMS)
@pytest.mark.parametrize("limit, blocks", [(GPUS_16_NODES - 1, True), (GPUS_16_NODES, False),
                                           (GPUS_16_NODES + 1, False)])
def test_max_accelerators_stack_limit(cloud: str, limit: int, blocks: bool) -> None:
    judged = judge(PROGRAMS[cloud], "max-accelerators", {"stackLimit": limit})
    if blocks:
        resource, message = judged.only_violation()
        assert resource == "gpu" and f"the stack can scale to 128 accelerators (gpu: 128), over the stack limit " \
                                     f"of {limit}" in message
    else:
        assert judged.passed, judged


# 16 × your rate of $50 per node-hour × 730 h = $584,000 a month (no file system: nothing else to price)
MONTH_AT_50 = 16 * 50 * 730


@pytest.mark.parametrize("budget, blocks", [(MONTH_AT_50 - 1, True), (MONTH_AT_50, False), (MONTH_AT_50 + 1, False)])
def test_monthly_budget_exactly_at_the_budget(budget: int, blocks: bool) -> None:
    config = {"usd": budget, "prices": {"aws": {"p5.48xlarge": 50}}, "discountPercent": 30}  # not off your rate
    judged = judge(Aws().with_(fs=False), "monthly-budget", config)
    if blocks:
        resource, message = judged.only_violation()
        assert resource == "gpu" and "costs $584,000 a month" in message and f"budget of ${budget:,}" in message
    else:
        assert judged.passed, judged


# FSx: 48,000 GiB (48 of FSx's TiB of 1,000 GiB) × 500 MB/s/TiB = 24,000 MB/s for 128 GPUs:
# 187.5 MB/s each. Managed Lustre: capacityGib 36,000 (Google states the 1000 MB/s/TiB tier's sizes as 9,000 GiB
# steps, "9 TiB"; cloud.google.com/managed-lustre/docs/performance-tiers) = 36 TiB × 1000 = 36,000 MB/s: 281.25 each.
# Azure: storageCapacityTiB 64 × 500 MB/s/TiB = 32,000 MB/s: 250 each.
@pytest.mark.parametrize("cloud, per_gpu, total", [("aws", 187.5, "24,000"), ("gcp", 281.25, "36,000"),
                                                   ("azure", 250.0, "32,000")])
@pytest.mark.parametrize("delta, blocks", [(-0.1, False), (0.0, False), (0.1, True), (1.0, True)])
def test_storage_throughput_floor(cloud: str, per_gpu: float, total: str, delta: float, blocks: bool) -> None:
    judged = judge(PROGRAMS[cloud], "storage-throughput", {"minMBpsPerAccelerator": per_gpu + delta})
    if blocks:
        resource, message = judged.only_violation()
        assert resource == "scratch" and f"= {total} MB/s (" in message and "128 nvidia-h100-80gb" in message
    else:
        assert judged.passed, judged


def test_storage_throughput_default_floor_of_100_per_gpu() -> None:
    # at 1,000 MB/s/TiB: 13 TiB (13,000 GiB) = 13,000 MB/s for 128 GPUs (101.6 each) pass; 12 TiB = 12,000 (93.75)
    # does not
    assert judge(Aws().with_(fs_capacity_gib=13_000, fs_mbps_per_tib=1000), "storage-throughput").passed
    resource, message = judge(Aws().with_(fs_capacity_gib=12_000, fs_mbps_per_tib=1000),
                              "storage-throughput").only_violation()
    assert resource == "scratch" and "93.8 MB/s per accelerator" in message


# 70B parameters on 300B tokens in 30 days on H100 at MFU 0.40 need 128 GPUs (see test_workload_fit.py), a
# 980 GB checkpoint (14 B/param) in 5 minutes: 3,266.7 MB/s.
FITS_16_P5 = {"kind": "training", "params": "70B", "tokens": "300B", "days": 30}


def _with_workload(program: Aws) -> Any:
    def run() -> None:
        program()
        Workload("llm-workload", FITS_16_P5)

    return run


@pytest.mark.parametrize("nodes, blocks", [(23, False), (24, False), (25, True)])
def test_workload_fit_over_provision_limit_at_one_and_a_half(nodes: int, blocks: bool) -> None:
    # 1.5 × 128 = 192 GPUs = 24 nodes of 8
    judged = judge(_with_workload(Aws().with_(max_nodes=nodes)), "workload-fit")
    if blocks:
        resource, message = judged.only_violation()
        assert resource == "gpu" and "200 nvidia-h100-80gb" in message and "limit is 1.5×" in message
    else:
        assert judged.passed, judged


@pytest.mark.parametrize("nodes, blocks", [(16, False), (17, True)])
def test_workload_fit_configured_limit_of_one(nodes: int, blocks: bool) -> None:
    judged = judge(_with_workload(Aws().with_(max_nodes=nodes)), "workload-fit", {"maxOverProvision": 1})
    assert (not judged.passed) == blocks, judged


@pytest.mark.parametrize("gib, blocks", [(27_000, False), (26_134, False), (26_133, True), (26_000, True)])
def test_workload_fit_checkpoint_throughput(gib: int, blocks: bool) -> None:
    # at 125 MB/s/TiB (FSx's TiB of 1,000 GiB): 26,134 GiB = 3,266.75 MB/s is enough for 3,266.67, 26,133 GiB =
    # 3,266.625 is not
    judged = judge(_with_workload(Aws().with_(fs_capacity_gib=gib, fs_mbps_per_tib=125)), "workload-fit")
    if blocks:
        resource, message = judged.only_violation()
        assert resource == "scratch" and "980 GB checkpoint" in message and "≥ 3,267 MB/s" in message
    else:
        assert judged.passed, judged


# --- the never-silent paths ---------------------------------------------------------------------------------


class _Raises(MaxAccelerators):
    """max-accelerators with a bug: its check raises half-way."""

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        yield from ()
        raise KeyError("instanceType")


def test_a_rule_that_raises_cannot_verify_and_says_what_went_wrong() -> None:
    judged = judge_resources(_Raises(), resources_of(preview_function(Aws(), "raises")))
    assert judged.violations == []
    assert judged.cannot_verify == "the pack could not judge this stack (KeyError: 'instanceType')"


@pytest.mark.parametrize("program, names", [
    (Aws(unknown_instance_type=True, max_nodes=500), "gpu"),
    (Gcp(unknown_machine_type=True, max_nodes=500), "gpu"),
])
@pytest.mark.parametrize("policy", ["max-accelerators", "monthly-budget", "storage-throughput"])
def test_a_pool_of_unknown_type_is_never_silently_passed(program: Any, names: str, policy: str) -> None:
    judged = judge(program, policy)
    assert judged.violations == [] and judged.cannot_verify is not None, judged
    assert f"pool {names} (" in judged.cannot_verify


def test_an_unknown_max_node_count_on_aks_cannot_verify() -> None:
    judged = judge(Azure(unknown_max_nodes=True), "max-accelerators")
    assert judged.violations == [] and judged.cannot_verify is not None
    assert "pool gpu (azure-native:containerservice:AgentPool)" in judged.cannot_verify


def test_remediate_is_enforced_as_mandatory(judge: Judge) -> None:
    # CrossGuard: a stack policy cannot remediate, so `remediate` blocks as `mandatory` does
    verdict = judge(Aws().with_(max_nodes=1000), {"max-accelerators": {"enforcementLevel": "remediate"}})
    found = verdict.only_violation("max-accelerators")
    assert found.level == "mandatory" and "8,000" in found.detail
