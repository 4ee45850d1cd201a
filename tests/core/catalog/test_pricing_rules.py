"""The node-hour pricing rules of ``backbone.core.catalog.pricing`` on small inputs, with expectations
from the rules as the providers state them: spot never bills above on-demand (AWS EC2 Spot: "you pay the Spot
price … never more than the On-Demand price"), a percent discount comes off list prices only, a price is a
positive number of USD per hour."""

from __future__ import annotations

import pytest

from backbone.core.catalog import load
from backbone.core.catalog.pricing import MAX_PRICE_USD, NodePrice, Rates, node_price, rates_of_file
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
    assert "allowed: USD per GiB-month above 0 and at most 100" in problem.message
