"""The node-hour pricing rules of ``backbone.core.catalog.pricing`` on small inputs, with expectations
from the rules as the providers state them: spot never bills above on-demand (AWS EC2 Spot: "you pay the Spot
price … never more than the On-Demand price"), a percent discount comes off list prices only, a price is a
positive number of USD per hour."""

from __future__ import annotations

from dataclasses import replace

import pytest

from backbone.core.catalog import load
from backbone.core.catalog.model import BlockRate, InstanceType, Source, TierPrice
from backbone.core.catalog.pricing import (
    MAX_PRICE_USD,
    NodePrice,
    Rates,
    StoragePrice,
    Unpriced,
    node_price,
    rates_of_file,
    storage_price,
)
from backbone.core.errors import ConfigError, Problem


def _on_demand_only() -> tuple[str, str, float]:
    """A catalog row with an on-demand list price and no spot price (the spot ceiling case)."""
    for row in load().instances:
        if row.on_demand_usd_per_hour and row.spot_usd_per_hour is None and not row.capacity_block_only:
            return row.cloud, row.instance_type, row.on_demand_usd_per_hour
    pytest.fail("the catalog has no row priced on demand without a spot price")


def test_the_spot_ceiling_is_the_discounted_on_demand_price() -> None:
    cloud, instance_type, usd = _on_demand_only()
    price = node_price(cloud, instance_type, load().find(instance_type), "spot", rates=Rates(discount_percent=20))
    assert isinstance(price, NodePrice)
    assert price.usd_per_hour == pytest.approx(usd * 0.8)
    assert "spot ceiling" in price.basis and "less 20% discount" in price.basis


def test_a_discount_comes_off_list_prices_but_never_off_your_own_rate() -> None:
    cloud, instance_type, usd = _on_demand_only()
    row = load().find(instance_type)
    listed = node_price(cloud, instance_type, row, "on-demand", rates=Rates(discount_percent=25))
    own = node_price(cloud, instance_type, row, "on-demand",
                     rates=Rates(prices={cloud: {instance_type: 7.0}}, discount_percent=25))
    assert isinstance(listed, NodePrice) and listed.usd_per_hour == pytest.approx(usd * 0.75)
    assert own == NodePrice(7.0, "your rate")


@pytest.mark.parametrize("usd", [0, 0.0, -1, MAX_PRICE_USD + 0.01, True, "41.5", float("nan")])
def test_a_price_file_refuses_what_is_not_a_positive_hourly_price(usd: object) -> None:
    with pytest.raises(ConfigError, match=r"prices\.aws\.p5\.48xlarge"):
        rates_of_file({"aws": {"p5.48xlarge": usd}}, "prices.json")


@pytest.mark.parametrize("usd", [0.01, 41.5, MAX_PRICE_USD])
def test_a_price_file_accepts_prices_above_zero_up_to_the_cap(usd: float) -> None:
    assert rates_of_file({"aws": {"p5.48xlarge": usd}}, "prices.json").own("aws", "p5.48xlarge") == usd


@pytest.mark.parametrize("discount", [-1, 100.5, True])
def test_a_price_file_refuses_a_discount_outside_0_to_100(discount: object) -> None:
    with pytest.raises(ConfigError, match="discountPercent"):
        rates_of_file({"monthly-budget": {"prices": {}, "discountPercent": discount}}, "prices.json")


def test_a_policy_config_price_file_carries_rates_discount_and_storage_rates() -> None:
    rates = rates_of_file({"monthly-budget": {"prices": {"aws": {"p5.48xlarge": 41.5}}, "discountPercent": 20,
                                              "storagePrices": {"aws": {"lustre": {"1000": 0.55}}}}}, "p.json")
    assert rates.own("aws", "p5.48xlarge") == 41.5 and rates.own("gcp", "p5.48xlarge") is None
    assert rates.discount_percent == 20
    assert rates.own_storage("aws", "lustre", 1000.0) == 0.55 and rates.own_storage("aws", "lustre", 500.0) is None


# each refusal names the file, the path of the bad value, what it was and what is allowed
@pytest.mark.parametrize("data, problem", [
    ({"aws": {"p5.48xlarge": 0}},
     Problem("prices.aws.p5.48xlarge", "0 is not a USD per hour price; allowed: a number above 0 and at most 100,000",
             "p.json")),
    ({"moon": {}}, Problem("prices.moon", "not a cloud; allowed: aws, gcp, azure", "p.json")),
    ({"aws": 3}, Problem("prices.aws", "expected an object of instance type -> USD per hour", "p.json")),
    ([], Problem("prices", "expected a JSON object of clouds, e.g. {\"aws\": {\"p5.48xlarge\": 41.5}}", "p.json")),
    ({"monthly-budget": 3}, Problem("monthly-budget", "expected an object with prices / discountPercent", "p.json")),
    ({"monthly-budget": {"discountPercent": -1}},
     Problem("monthly-budget.discountPercent", "-1 is not a percent; allowed: 0 to 100", "p.json")),
])
def test_a_price_file_refusal_names_the_file_path_and_rule(data: object, problem: Problem) -> None:
    with pytest.raises(ConfigError) as raised:
        rates_of_file(data, "p.json")
    assert raised.value.problems == [problem]


def test_a_bad_storage_rate_is_named_by_its_path() -> None:
    with pytest.raises(ConfigError) as raised:
        rates_of_file({"monthly-budget": {"storagePrices": {"aws": {"lustre": {"1000": 0}}}}}, "p.json")
    (problem,) = raised.value.problems
    assert (problem.path, problem.file) == ("monthly-budget.storagePrices.aws.lustre.1000", "p.json")
    assert problem.message == (
        "0 is less than or equal to the minimum of 0; allowed: USD per GiB-month above 0 and at most 100, by cloud "
        "(aws, gcp, azure), kind (lustre, parallelstore) and tier in MB/s per TiB, e.g. "
        '{"aws": {"lustre": {"1000": 0.55}}}')


@pytest.mark.parametrize("discount", [0, 100, 37.5])
def test_a_price_file_accepts_a_discount_from_0_to_100(discount: float) -> None:
    rates = rates_of_file({"monthly-budget": {"prices": {}, "discountPercent": discount}}, "prices.json")
    assert rates.discount_percent == discount


def test_a_price_file_without_a_discount_has_none() -> None:
    assert rates_of_file({"aws": {"p5.48xlarge": 41.5}}, "p.json").discount_percent == 0
    assert rates_of_file({"monthly-budget": {"prices": {"aws": {"p5.48xlarge": 41.5}}}}, "p.json").discount_percent == 0


# Every branch of node_price on one hand-built row, with the whole figure and basis a report prints (the rules are
# the module's: your rate first except over a catalog spot price, spot → your rate → on-demand as the ceiling,
# Capacity Block rates, reservations at the on-demand price, a discount off list prices only).
def _row() -> InstanceType:
    found = load().find("p5.48xlarge")
    assert found is not None
    return replace(found, on_demand_usd_per_hour=100.0, spot_usd_per_hour=None, price_region="us-east-1",
                   price_as_of="2026-01-02", capacity_block=BlockRate(60.0, "us-east-2", "2026-03-04"),
                   capacity_block_only=False, price_secondary=False)


ROW = _row()
GIVE = 'give your rate in monthly-budget prices.aws["p5.48xlarge"]'
MINE = {"aws": {"p5.48xlarge": 41.5}}


@pytest.mark.parametrize(("row", "capacity", "region", "rates", "expected"), [
    (ROW, "on-demand", "us-east-1", Rates(), NodePrice(100.0, "on-demand list price, us-east-1, 2026-01-02")),
    (ROW, "on-demand", "eu-west-1", Rates(), NodePrice(
        100.0, "on-demand list price, us-east-1, 2026-01-02; the catalog has no eu-west-1 price")),
    (ROW, "on-demand", None, Rates(discount_percent=12.5), NodePrice(
        87.5, "on-demand list price, us-east-1, 2026-01-02, less 12.5% discount")),
    (replace(ROW, price_secondary=True), "on-demand", None, Rates(), NodePrice(
        100.0, "on-demand list price, us-east-1, secondary source, 2026-01-02")),
    (replace(ROW, price_as_of=None, price_region=None), "on-demand", "us-east-1", Rates(), NodePrice(
        100.0, "on-demand list price")),
    (ROW, "reservation", None, Rates(), NodePrice(
        100.0, "reservation, billed at the on-demand list price, us-east-1, 2026-01-02")),
    (ROW, "on-demand", None, Rates(prices=MINE, discount_percent=50), NodePrice(41.5, "your rate")),
    (ROW, "spot", None, Rates(discount_percent=10), NodePrice(90.0, (
        "on-demand list price as the spot ceiling (no spot price in the catalog), us-east-1, 2026-01-02, less 10% "
        "discount"))),
    (ROW, "spot", None, Rates(prices=MINE), NodePrice(41.5, "your rate (no spot price in the catalog)")),
    (ROW, "spot", "eu-west-1", Rates(), NodePrice(100.0, (
        "on-demand list price as the spot ceiling (no spot price in the catalog), us-east-1, 2026-01-02; the catalog "
        "has no eu-west-1 price"))),
    (replace(ROW, spot_usd_per_hour=30.0), "spot", "us-west-2", Rates(prices=MINE, discount_percent=10), NodePrice(
        30.0, "spot price, us-east-1, 2026-01-02; the catalog has no us-west-2 price")),
    (replace(ROW, on_demand_usd_per_hour=None), "spot", None, Rates(), Unpriced(
        f"the catalog has no on-demand price for p5.48xlarge: {GIVE}")),
    (None, "spot", None, Rates(), Unpriced(f"the catalog does not know p5.48xlarge: {GIVE}")),
    (None, "on-demand", None, Rates(prices=MINE), NodePrice(41.5, "your rate")),
    (ROW, "capacity-block", "us-east-2", Rates(discount_percent=50), NodePrice(
        30.0, "published Capacity Block rate, us-east-2, 2026-03-04, less 50% discount")),
    (ROW, "capacity-block", "eu-west-1", Rates(), NodePrice(
        60.0, "published Capacity Block rate, us-east-2, 2026-03-04; the catalog has no eu-west-1 price")),
    (replace(ROW, capacity_block_only=True), "capacity-block", None, Rates(), NodePrice(
        60.0, "published Capacity Block rate, us-east-2, 2026-03-04")),
    (replace(ROW, capacity_block_only=True), "on-demand", None, Rates(), NodePrice(
        60.0, "sold only as Capacity Blocks: published Capacity Block rate, us-east-2, 2026-03-04")),
    (replace(ROW, capacity_block=None), "capacity-block", None, Rates(), Unpriced(
        f"the catalog has no published Capacity Block rate for p5.48xlarge: {GIVE}")),
    (replace(ROW, capacity_block=None, capacity_block_only=True), "reservation", None, Rates(), Unpriced(
        f"sold only as Capacity Blocks: the catalog has no published Capacity Block rate for p5.48xlarge: {GIVE}")),
])
def test_each_pricing_rule_gives_its_figure_and_says_its_basis(
        row: InstanceType | None, capacity: str, region: str | None, rates: Rates,
        expected: NodePrice | Unpriced) -> None:
    assert node_price("aws", "p5.48xlarge", row, capacity, region, rates) == expected


def test_your_storage_rate_wins_over_the_list_price_of_its_tier_only() -> None:
    lustre = next(s for s in load().storage if s.cloud == "aws" and s.kind == "lustre")
    offering = replace(lustre, prices={125.0: TierPrice(300.0, "us-east-1", "2026-01-02", ())}, gib_per_tib=1024.0)
    mine = Rates(storage={"aws": {"lustre": {250.0: 0.5}}})
    assert storage_price(offering, 125.0) == StoragePrice(300.0, "catalog list price, us-east-1, 2026-01-02")
    assert storage_price(offering, 125.0, mine) == StoragePrice(300.0, "catalog list price, us-east-1, 2026-01-02")
    assert storage_price(offering, 250.0, mine) == StoragePrice(512.0, "your rate, $0.5 per GiB-month")
    assert storage_price(offering, 500.0, mine) is None
    assert storage_price(offering, 125.5) is None  # a tier is matched exactly, not to the nearest listed one


def test_each_tier_s_list_price_says_its_own_date_and_kind_of_source() -> None:
    """Two tiers of one service from two sources: the basis names the tier's own date, and "secondary source"
    only where every source of that tier is secondary."""
    primary = Source("sku", "https://example.com/sku", "2026-07-24")
    copy = Source("copy", "https://example.com/copy", "2026-06-05", kind="secondary")
    lustre = next(s for s in load().storage if s.cloud == "gcp" and s.kind == "lustre")
    offering = replace(lustre, prices={125.0: TierPrice(145.0, "us-central1", "2026-07-24", (copy, primary)),
                                       1000.0: TierPrice(600.0, "us-central1", "2026-06-05", (copy,))})
    assert storage_price(offering, 125.0) == StoragePrice(145.0, "catalog list price, us-central1, 2026-07-24")
    assert storage_price(offering, 1000.0) == StoragePrice(
        600.0, "catalog list price, us-central1, secondary source, 2026-06-05")
    assert storage_price(offering, 500.0) is None


def test_rates_of_a_policy_config_are_numbers_by_cloud_type_kind_and_tier() -> None:
    rates = Rates.of_policy_config({"prices": {"aws": {"p5.48xlarge": 41}}, "discountPercent": 5,
                                    "storagePrices": {"gcp": {"parallelstore": {"1000": 1}}}})
    assert rates.own("aws", "p5.48xlarge") == 41.0 and isinstance(rates.own("aws", "p5.48xlarge"), float)
    assert rates.own("aws", "p4d.24xlarge") is None and rates.own("gcp", "p5.48xlarge") is None
    assert rates.discount_percent == 5.0 and rates.discount_note() == ", less 5% discount"
    assert rates.own_storage("gcp", "parallelstore", 1000.0) == 1.0
    assert rates.own_storage("gcp", "parallelstore", 1000.1) is None
    assert Rates.of_policy_config({}) == Rates(prices={}, discount_percent=0.0, storage={})
    assert Rates().discount_note() == ""
