"""The verdicts on small hand-made series (no server): one pool and one file system of a hand-written EKS program's
export (tests/backbone/fixtures/states/aws-p5-no-efa.json: p5.48xlarge, 8 H100 per node, $55.04 an hour in the
catalog; FSx for Lustre 2,400 GiB = 2.34 TiB at 250 MB/s/TiB = 586 MB/s provisioned)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from backbone.core.catalog.pricing import LIST_PRICES
from backbone.policies.inventory.facts import Inventory
from backbone.state import read_state
from backbone.utilization import inventory_of
from backbone.utilization.observe import FileSystemSeries, Observed, PoolSeries, Window
from backbone.utilization.verdict import Utilization, judge, percentile

STATE = Path(__file__).parent.parent / "fixtures" / "states" / "aws-p5-no-efa.json"
STEPS = 12  # an hour at 5 minutes
WINDOW = Window(start=0.0, end=STEPS * 300.0, step_s=300.0, window="1h", step="5m")


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return inventory_of(read_state(STATE), LIST_PRICES)


def pool_series(nodes: float, gpus: float, busy: float, util: float, fabric: float | None = None) -> PoolSeries:
    n = STEPS + 1
    return PoolSeries(label="label_eks_amazonaws_com_nodegroup", value="h100-nodes-5e1a9c0", nodes=[nodes] * n,
                      gpus=[gpus] * n, busy=[busy] * n, mean_util=[util] * n,
                      fabric_bytes_per_s=None if fabric is None else [fabric] * n)


def run(inventory: Inventory, pool: PoolSeries | str, fs_mbps: float | None,
        headroom: float = 0.25) -> dict[str, Utilization]:
    pools = {inventory.pools[0].urn: pool}
    fs = inventory.file_systems[0]
    files = {fs.urn: FileSystemSeries("fs-0d8e3f1a2b4c6e9f0", [fs_mbps] * (STEPS + 1)) if fs_mbps is not None
             else "no series"}
    observed = Observed(WINDOW, pools, files, unmatched_pools=[])
    return {e.kind: e for e in judge(inventory, observed, headroom, 10.0)}


def test_percentile_is_nearest_rank() -> None:
    assert percentile(list(range(1, 101)), 0.95) == 95 and percentile([3.0], 0.5) == 3.0


def test_four_nodes_with_one_busy_are_over_provisioned(inventory: Inventory) -> None:
    out = run(inventory, pool_series(nodes=4, gpus=32, busy=8, util=25), fs_mbps=100)
    pool = out["pool"]
    assert pool.verdict == "over-provisioned"
    assert pool.proposal == {"maxNodes": 2, "minNodes": 1, "headroom": 0.25, "covers_busy_accelerators_p95": 8}
    # 2 nodes fewer than the 4 running, at $55.04 an hour, 730 hours a month
    assert pool.monthly_savings_usd == pytest.approx(2 * 55.04 * 730)
    assert pool.observed["idle_accelerator_hours"] == pytest.approx(24 * 13 * 300 / 3600)


def test_a_pool_without_a_price_names_why_instead_of_a_saving(inventory: Inventory) -> None:
    pool = replace(inventory.pools[0], instance_type="p5.unknownsize", instance=None, attached_accelerators=8)
    out = run(replace(inventory, pools=[pool]), pool_series(nodes=4, gpus=32, busy=8, util=25), fs_mbps=100)
    assert out["pool"].verdict == "over-provisioned"
    assert out["pool"].monthly_savings_usd is None and "not counted" in out["pool"].message


def test_idle_gpus_while_the_file_system_is_saturated_are_storage_bound_not_cut(inventory: Inventory) -> None:
    out = run(inventory, pool_series(nodes=4, gpus=32, busy=32, util=30), fs_mbps=0.9 * 600)
    assert out["pool"].verdict == "storage-bound" and out["pool"].proposal is None
    assert out["file-system"].verdict == "storage-bound"
    proposal = out["file-system"].proposal
    # 540 MB/s feeds GPUs at 30 %: 80 % takes 540 × 80 / 30 = 1,440 MB/s; at 2.34 TiB the 1000 tier gives 2,344
    # (the file system stays 2,400 GiB: capacityTiB 2.4 in FSx's own unit of 1,000 GiB)
    assert proposal["needed_mbps"] == 1440
    assert proposal["throughputMBpsPerTiB"] == 1000 and proposal["capacityTiB"] == 2.4


def test_many_idle_gpus_while_storage_is_saturated_are_still_storage_bound(inventory: Inventory) -> None:
    """Storage first: GPUs below the busy threshold because they starve are not a reason to cut."""
    out = run(inventory, pool_series(nodes=4, gpus=32, busy=4, util=8), fs_mbps=0.95 * 600)
    assert out["pool"].verdict == "storage-bound"


def test_idle_gpus_with_a_saturated_fabric_are_network_bound(inventory: Inventory) -> None:
    pool = inventory.pools[0]
    with_efa = replace(pool, fabric=replace(pool.fabric, gbps=3200.0))  # p5: 3,200 Gbps of EFA per node
    out = run(replace(inventory, pools=[with_efa]), pool_series(4, 32, 32, 30, fabric=0.9 * 3200e9 / 8), 100)
    assert out["pool"].verdict == "network-bound" and out["pool"].proposal is None
    assert out["pool"].observed["fabric"]["p95_share"] == pytest.approx(0.9)


def test_busy_gpus_are_ok_and_a_pool_without_series_is_no_data(inventory: Inventory) -> None:
    assert run(inventory, pool_series(4, 32, 30, 90), 100)["pool"].verdict == "ok"
    out = run(inventory, "no node of kube_node_labels carries a pool label naming it", None)
    assert out["pool"].verdict == "no-data" and out["file-system"].verdict == "no-data"
    assert out["pool"].monthly_savings_usd is None
