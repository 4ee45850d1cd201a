"""monthly-budget judged in this process on hand-built inventories: the total at max scale against the budget, each
part named and ordered by cost, the dearest candidate type of a pool, and every part it cannot price named with
what to do (never a silent zero). Prices are the catalog's cited list prices: p5.48xlarge $55.04 and g6e.48xlarge
$30.13118 an hour on demand in us-east-1; FSx for Lustre PERSISTENT_2 at 125 MB/s/TiB $0.145 per GB-month, 145 USD
per (1,000-GiB) TiB; at 1000 MB/s/TiB $0.60 per GB-month, 600 USD per TiB; no us-east-1 price read for the 250
MB/s/TiB tier, nor for Azure Managed Lustre's Premium-40. 730 hours a month."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hand_pools import CATALOG, EFA_FULL, pool

from backbone.policies.inventory import UNKNOWN, Candidate, FileSystem, Inventory
from backbone.policies.rules.base import Unverifiable, Violation
from backbone.policies.rules.monthly_budget import MonthlyBudget

RULE = MonthlyBudget()
FSX = CATALOG.storage_offering("aws", "lustre")
G6E = CATALOG.find("g6e.48xlarge")
P5_MONTH = 55.04 * 730  # 40,179.20 USD a node-month


def fsx(**changes: Any) -> FileSystem:
    """10 TiB of FSx for Lustre at 125 MB/s/TiB: 1,250 MB/s, 10 × 145 = 1,450 USD a month."""
    base = FileSystem(urn="urn:pulumi:s::p::aws:fsx/lustreFileSystem:LustreFileSystem::scratch", name="scratch",
                      cloud="aws", resource_type="aws:fsx/lustreFileSystem:LustreFileSystem", kind="lustre",
                      capacity_tib=10.0, throughput_mbps=1250.0, zones=("us-east-1a",), region="us-east-1",
                      monthly_usd=None, throughput_mbps_per_tib=125.0, offering=FSX)
    return replace(base, **changes)


def findings(inventory: Inventory, **config: Any) -> list[Any]:
    return list(RULE.check(inventory, config))


def test_the_prices_these_cases_are_written_from() -> None:
    assert CATALOG.find("p5.48xlarge").on_demand_usd_per_hour == pytest.approx(55.04)  # type: ignore[union-attr]
    assert G6E is not None and G6E.on_demand_usd_per_hour == pytest.approx(30.13118)
    assert fsx().price() is not None and fsx().price()[0] == pytest.approx(1450.0)  # type: ignore[index]


@pytest.mark.parametrize("budget, blocks", [(16 * P5_MONTH + 1450 - 1, True), (16 * P5_MONTH + 1450, False)])
def test_the_budget_is_judged_on_the_whole_stack_exactly_at_its_limit(budget: float, blocks: bool) -> None:
    found = findings(Inventory(pools=[pool()], file_systems=[fsx()]), usd=budget)
    assert bool(found) is blocks
    assert all(isinstance(f, Violation) for f in found)


def test_over_budget_names_every_part_dearest_first_the_largest_pool_and_the_ways_out() -> None:
    small = pool(name="small", urn="urn:pulumi:s::p::aws:eks/nodeGroup:NodeGroup::small", max_nodes=2)
    [violation] = findings(Inventory(pools=[small, pool()], file_systems=[fsx()]), usd=100_000)
    assert isinstance(violation, Violation)
    assert violation.urn == pool().urn  # on the dearest part
    # 16 × 40,179.20 = 642,867.20; 2 × 40,179.20 = 80,358.40; + 1,450 = 724,675.60
    on_demand = "at $55.04/h (on-demand list price, us-east-1, 2026-11-09)"
    assert violation.message == (
        f"at max scale this stack costs $724,676 a month (gpu: 16 × p5.48xlarge (128 nvidia-h100-80gb) {on_demand} "
        f"= $642,867; small: 2 × p5.48xlarge (16 nvidia-h100-80gb) {on_demand} = $80,358; scratch: 10 TiB of lustre "
        "at 125 MB/s/TiB = 1,250 MB/s (catalog list price, us-east-1, secondary source, 2026-07-22) = $1,450; "
        "× 730 h), over the budget of $100,000; lower max nodes (largest: gpu), give your negotiated rates in "
        "prices / discountPercent, or raise usd if this is intended")


def test_over_budget_with_parts_it_cannot_price_counts_them_in_the_message() -> None:
    unpriced = fsx(throughput_mbps_per_tib=250.0, throughput_mbps=2_500.0)
    [violation] = findings(Inventory(pools=[pool()], file_systems=[unpriced]), usd=100_000)
    assert " a month plus 1 part(s) that cannot be priced (gpu: " in violation.message


def test_under_budget_each_part_without_a_price_is_cannot_verify_with_what_to_give() -> None:
    tier = fsx(throughput_mbps_per_tib=250.0, throughput_mbps=2_500.0)
    unknown_size = fsx(name="sized", capacity_tib=UNKNOWN, throughput_mbps=UNKNOWN,
                       unknown_inputs={"capacity_tib": "storageCapacity"})
    unknown_tier = fsx(name="tiered", throughput_mbps_per_tib=UNKNOWN, throughput_mbps=UNKNOWN,
                       unknown_inputs={"throughput_mbps": "perUnitStorageThroughput"})
    found = findings(Inventory(pools=[pool()], file_systems=[tier, unknown_size, unknown_tier]))
    assert all(isinstance(f, Unverifiable) and f.urn == tier.urn for f in found)
    assert [f.message for f in found] == [
        "file system scratch (aws:fsx/lustreFileSystem:LustreFileSystem): cost unknown (the catalog has no aws "
        "lustre price for this tier; give your rate in monthly-budget storagePrices.aws.lustre[\"250\"], USD per "
        "GiB-month)",
        "file system sized (aws:fsx/lustreFileSystem:LustreFileSystem): cost unknown (storageCapacity)",
        "file system tiered (aws:fsx/lustreFileSystem:LustreFileSystem): cost unknown (perUnitStorageThroughput)",
    ]


def test_the_1000_tier_is_priced_at_its_own_source_s_date() -> None:
    """10 TiB at 1000 MB/s/TiB: 10 × 600 USD (0.60 USD per GB-month × 1000 GB) = 6,000 USD a month, from a
    secondary source read 2026-10-08 (the 125 tier's is 2026-07-22)."""
    fast = fsx(throughput_mbps_per_tib=1000.0, throughput_mbps=10_000.0)
    assert fast.price() == (pytest.approx(6000.0), "catalog list price, us-east-1, secondary source, 2026-10-08")
    assert findings(Inventory(pools=[pool()], file_systems=[fast]), usd=16 * P5_MONTH + 6000) == []


def test_azure_premium_40_stays_unpriced_and_says_which_rate_to_give() -> None:
    """AMLFS-Durable-Premium-40: no source found, so cannot verify with the key to set, never a silent zero."""
    amlfs = CATALOG.storage_offering("azure", "lustre")
    assert amlfs is not None
    premium_40 = FileSystem(
        urn="urn:pulumi:s::p::azure-native:storagecache:AmlFilesystem::archive", name="archive", cloud="azure",
        resource_type="azure-native:storagecache:AmlFilesystem", kind="lustre", capacity_tib=48.0,
        throughput_mbps=1920.0, zones=("1",), region="eastus", monthly_usd=None, throughput_mbps_per_tib=40.0,
        offering=amlfs)
    [finding] = findings(Inventory(file_systems=[premium_40]))
    assert isinstance(finding, Unverifiable) and finding.urn == premium_40.urn
    assert finding.message == (
        "file system archive (azure-native:storagecache:AmlFilesystem): cost unknown (the catalog has no azure "
        "lustre price for this tier; give your rate in monthly-budget storagePrices.azure.lustre[\"40\"], USD per "
        "GiB-month)")


def test_a_tier_the_catalog_cannot_price_without_a_known_tier_gives_no_rate_to_fill_in() -> None:
    no_tier = fsx(throughput_mbps_per_tib=None, throughput_mbps=UNKNOWN)
    [finding] = findings(Inventory(file_systems=[no_tier]))
    assert finding.message.endswith("cost unknown (the catalog has no aws lustre price for this tier)")


@pytest.mark.parametrize("unknown, named", [
    ({"instance_type": "instanceTypes[0]", "max_nodes": "scalingConfig.maxSize"},
     "instanceTypes[0], scalingConfig.maxSize"),
    ({"max_nodes": "scalingConfig.maxSize"}, "scalingConfig.maxSize"),
    ({"instance_type": "instanceTypes[0]"}, "instanceTypes[0]"),
])
def test_a_pool_whose_cost_is_unknown_names_the_inputs_that_decide_it(unknown: dict[str, str], named: str) -> None:
    unknowable = pool(max_nodes=UNKNOWN, unknown_inputs=unknown) if "max_nodes" in unknown else \
        pool(instance_type=UNKNOWN, instance=None, unknown_inputs=unknown)
    [finding] = findings(Inventory(pools=[unknowable]))
    assert isinstance(finding, Unverifiable) and finding.urn == pool().urn
    assert finding.message == f"pool gpu (aws:eks/nodeGroup:NodeGroup): cost at max scale unknown ({named})"


def test_a_pool_of_several_types_is_priced_at_its_dearest() -> None:
    both = pool(candidates=(Candidate("g6e.48xlarge", G6E, EFA_FULL), Candidate("p5.48xlarge", pool().instance,
                                                                                 EFA_FULL)))
    # p5: 16 × 40,179.20 = $643 K is over $600 K; g6e: 16 × 30.13118 × 730 = $352 K would not be
    [violation] = findings(Inventory(pools=[both]), usd=600_000)
    assert "gpu: 16 × p5.48xlarge" in violation.message
    assert "(judged as p5.48xlarge, the least favourable of its candidate types g6e.48xlarge, p5.48xlarge)" in \
        violation.message
    assert findings(Inventory(pools=[both]), usd=16 * P5_MONTH) == []


def test_a_pool_of_several_types_with_one_unpriced_cannot_be_verified_naming_that_type() -> None:
    unpriced = replace(G6E, on_demand_usd_per_hour=None)
    both = pool(candidates=(Candidate("g6e.48xlarge", unpriced, EFA_FULL),
                            Candidate("p5.48xlarge", pool().instance, EFA_FULL)))
    found = findings(Inventory(pools=[both]), usd=10_000_000)
    assert len(found) == 1 and isinstance(found[0], Unverifiable)
    assert found[0].message.startswith("pool gpu (aws:eks/nodeGroup:NodeGroup; judged as g6e.48xlarge, ")


def test_a_pool_scaled_to_zero_costs_nothing_and_shows_no_rate() -> None:
    idle = pool(name="idle", urn="urn:pulumi:s::p::aws:eks/nodeGroup:NodeGroup::idle", min_nodes=0, max_nodes=0)
    [violation] = findings(Inventory(pools=[pool(), idle]), usd=100_000)
    assert violation.message.endswith("= $642,867; idle: 0 × p5.48xlarge (0 nvidia-h100-80gb) = $0; × 730 h), over "
                                      "the budget of $100,000; lower max nodes (largest: gpu), give your negotiated "
                                      "rates in prices / discountPercent, or raise usd if this is intended")


def test_of_two_types_at_one_price_either_is_the_dearest() -> None:
    """``max`` over (price, pool) pairs compares the price first: the key that names the price is the reading a
    reviewer needs, and a tie between two candidates at the same price is judged on the first."""
    twin = replace(G6E, instance_type="g6e.48xlarge-twin")
    both = pool(instance_type="g6e.48xlarge", instance=G6E,
                candidates=(Candidate("g6e.48xlarge", G6E, EFA_FULL), Candidate("g6e.48xlarge-twin", twin, EFA_FULL)))
    [violation] = findings(Inventory(pools=[both]), usd=1)
    assert "gpu: 16 × g6e.48xlarge" in violation.message
