"""backbone/core/catalog/pricing.py: one node-hour by capacity type, from the catalog's cited figures or your own
rates; every price says its basis, every missing one says how to give it."""

from __future__ import annotations

import pytest

from backbone.core.catalog import load
from backbone.core.catalog.pricing import LIST_PRICES, NodePrice, Rates, Unpriced, node_price


def price(cloud: str, instance_type: str, capacity: str, region: str | None = None,
          rates: Rates = LIST_PRICES) -> NodePrice | Unpriced:
    return node_price(cloud, instance_type, load().instance(cloud, instance_type), capacity, region, rates)


def test_on_demand_is_the_list_price_with_region_and_date() -> None:
    p = price("aws", "p5.48xlarge", "on-demand", "us-east-1")
    assert p == NodePrice(55.04, "on-demand list price, us-east-1, 2026-11-09")


def test_a_price_from_another_region_says_so() -> None:
    p = price("gcp", "a3-megagpu-8g", "on-demand", "us-central1")
    assert isinstance(p, NodePrice) and p.basis.endswith("us-east4, 2025-03-06; the catalog has no us-central1 price")


def test_a_reservation_bills_at_the_on_demand_list_price() -> None:
    p = price("aws", "p5.48xlarge", "reservation")
    assert isinstance(p, NodePrice) and p.usd_per_hour == 55.04 and p.basis.startswith("reservation, billed at")


def test_spot_uses_the_catalog_spot_price_else_on_demand_as_its_ceiling() -> None:
    assert price("aws", "p5en.48xlarge", "spot") == NodePrice(27.1988, "spot price, us-east-1, 2026-08-06")
    ceiling = price("aws", "p5.48xlarge", "spot")
    assert isinstance(ceiling, NodePrice) and ceiling.usd_per_hour == 55.04 and "spot ceiling" in ceiling.basis


def test_capacity_blocks_use_the_published_block_rate() -> None:
    p = price("aws", "p5.48xlarge", "capacity-block")
    assert p == NodePrice(39.33, "published Capacity Block rate, us-east-1, 2024-12-31")
    only = price("aws", "trn2.48xlarge", "on-demand")
    assert isinstance(only, NodePrice) and only.usd_per_hour == 35.76
    assert only.basis.startswith("sold only as Capacity Blocks: published Capacity Block rate")
    missing = price("aws", "p5en.48xlarge", "capacity-block")
    assert isinstance(missing, Unpriced) and 'prices.aws["p5en.48xlarge"]' in missing.reason


def test_your_rate_wins_except_over_a_catalog_spot_price() -> None:
    mine = Rates(prices={"aws": {"p5.48xlarge": 41.5, "p5en.48xlarge": 20.0}})
    for capacity in ("on-demand", "reservation", "capacity-block"):
        assert price("aws", "p5.48xlarge", capacity, rates=mine) == NodePrice(41.5, "your rate")
    spot = price("aws", "p5.48xlarge", "spot", rates=mine)
    assert spot == NodePrice(41.5, "your rate (no spot price in the catalog)")
    assert price("aws", "p5en.48xlarge", "spot", rates=mine).usd_per_hour == 27.1988  # type: ignore[union-attr]


def test_a_discount_lowers_list_prices_only() -> None:
    off = Rates(discount_percent=25)
    listed = price("aws", "p5.48xlarge", "on-demand", rates=off)
    assert isinstance(listed, NodePrice) and listed.usd_per_hour == pytest.approx(41.28)
    assert listed.basis.endswith("less 25% discount")
    assert price("aws", "p5en.48xlarge", "spot", rates=off).usd_per_hour == 27.1988  # type: ignore[union-attr]
    own = Rates(prices={"aws": {"p5.48xlarge": 41.5}}, discount_percent=25)
    assert price("aws", "p5.48xlarge", "on-demand", rates=own) == NodePrice(41.5, "your rate")


def test_a_type_the_catalog_does_not_know_needs_your_rate() -> None:
    missing = node_price("aws", "p6-b300.48xlarge", None, "on-demand")
    assert isinstance(missing, Unpriced) and "does not know p6-b300.48xlarge" in missing.reason
    mine = Rates(prices={"aws": {"p6-b300.48xlarge": 150.0}})
    assert node_price("aws", "p6-b300.48xlarge", None, "on-demand", None, mine) == NodePrice(150.0, "your rate")


def test_every_example_stack_pool_type_has_a_price() -> None:
    """The pools of stacks/ are priced (their file systems' prices are the honest gaps: see docs/catalog.md)."""
    for cloud, it in [("aws", "p5.48xlarge"), ("aws", "g6.xlarge"), ("gcp", "a3-megagpu-8g"), ("gcp", "g2-standard-8"),
                      ("gcp", "ct5p-hightpu-4t"), ("azure", "Standard_ND96isr_H100_v5"),
                      ("azure", "Standard_NC24ads_A100_v4")]:
        assert isinstance(price(cloud, it, "on-demand"), NodePrice), it


TPU = load().instance("gcp", "ct5p-hightpu-4t").tpu  # type: ignore[union-attr]


@pytest.mark.parametrize(("topology", "why"), [
    ("2x2x4", None), ("4x4x16", None), ("16x20x28", None), ("2x2x3", None),
    ("4x8", "3 dimensions"), ("3x3x3", "not whole hosts"), ("16x20x32", "beyond the largest v5p slice"),
    ("2x0x4", "not a topology"), ("2xx4", "not a topology"),
])
def test_what_a_v5p_slice_cannot_be(topology: str, why: str | None) -> None:
    assert TPU is not None
    found = TPU.impossible(topology)
    assert (found is None) if why is None else (found is not None and why in found)


def test_the_v5p_generation_carries_cited_slice_facts() -> None:
    assert TPU is not None and TPU.generation is not None
    generation = TPU.generation
    assert (generation.dimensions, generation.max_slice_chips, generation.dcn_gbps_per_chip) == (3, 8960, 50)
    assert "2x2x4" in TPU.topologies and TPU.listed("2x2x4") and not TPU.listed("4x4x16")


def test_a_price_from_a_secondary_source_says_so_with_its_date() -> None:
    """The basis a report prints names a secondary source and its date (FSx PERSISTENT_2 125: c3x, 2026-07-22;
    p6-b200.48xlarge: instances.vantage.sh data, 2025-11-30); a primary one does not."""
    from backbone.core.catalog.pricing import StoragePrice, storage_price

    fsx = load().storage_offering("aws", "lustre")
    assert fsx is not None
    price = storage_price(fsx, 125)
    assert price is not None and price.usd_per_tib_month == pytest.approx(145.0)
    assert price.basis == "catalog list price, us-east-1, secondary source, 2026-07-22"
    b200 = node_price("aws", "p6-b200.48xlarge", load().instance("aws", "p6-b200.48xlarge"), "on-demand")
    assert isinstance(b200, NodePrice) and b200.usd_per_hour == pytest.approx(113.9328)
    assert b200.basis == "on-demand list price, us-east-1, secondary source, 2025-11-30"
    p5 = node_price("aws", "p5.48xlarge", load().instance("aws", "p5.48xlarge"), "on-demand")
    assert isinstance(p5, NodePrice) and "secondary" not in p5.basis
    # 1000 MB/s/TiB: 0.60 USD per GB-month x 1000 GB = 600 USD per TiB-month, from another secondary source
    assert storage_price(fsx, 1000) == StoragePrice(600.0, "catalog list price, us-east-1, secondary source, "
                                                           "2026-10-08")
    assert storage_price(fsx, 250) is None  # the one figure found for 250 is us-west-2's: never carried over
