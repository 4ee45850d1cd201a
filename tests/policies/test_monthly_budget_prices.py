"""monthly-budget prices a pool by its capacity type and takes your own rates (``prices``, ``discountPercent``)
from the policy config: hand-written EKS programs (no ``components``), judged through the Analyzer protocol."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from policy_verdict import Judge

from backbone.analyzer import PolicyPack
from backbone.core.errors import ConfigError

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"


def node_group(instance_type: str, max_nodes: int, capacity_type: str | None = None,
               fsx_tier: int | None = None) -> Callable[[], None]:
    """One EKS managed node group of ``max_nodes`` × ``instance_type`` (and optionally FSx for Lustre)."""

    def program() -> None:
        from pulumi_aws import ec2, eks, fsx

        vpc = ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
        subnet = ec2.Subnet("private", vpc_id=vpc.id, cidr_block="10.0.0.0/24", availability_zone="us-east-1a")
        eks.NodeGroup("gpu", cluster_name="train", node_role_arn="arn:aws:iam::123456789012:role/node",
                      subnet_ids=[subnet.id], instance_types=[instance_type], capacity_type=capacity_type,
                      scaling_config={"min_size": 0, "max_size": max_nodes, "desired_size": 0},
                      labels={"backbone.dev/purpose": "inference"})
        if fsx_tier is not None:
            fsx.LustreFileSystem("scratch", storage_capacity=48000, subnet_ids=subnet.id,
                                 deployment_type="PERSISTENT_2", per_unit_storage_throughput=fsx_tier)

    return program


def budget_verdict(judge: Judge, program: Callable[[], None], **config: object) -> list[str]:
    verdict = judge(program, {"monthly-budget": config})
    return [d.detail for d in verdict.violations("monthly-budget")]


# 16 × p5.48xlarge at the catalog's 55.04 USD/h × 730 h = 642,867 USD a month; at 41.5 USD/h, 484,720.
P5 = node_group("p5.48xlarge", 16)


def test_list_price_is_over_the_budget_and_names_its_basis(judge: Judge) -> None:
    [message] = budget_verdict(judge, P5, usd=500_000)
    assert "$642,867" in message and "$55.04/h (on-demand list price, us-east-1, 2026-11-09)" in message


def test_your_own_rate_flips_the_verdict(judge: Judge) -> None:
    assert budget_verdict(judge, P5, usd=500_000, prices={"aws": {"p5.48xlarge": 41.5}}) == []
    [message] = budget_verdict(judge, P5, usd=480_000, prices={"aws": {"p5.48xlarge": 41.5}})
    assert "$484,720" in message and "(your rate)" in message


def test_a_discount_lowers_list_prices(judge: Judge) -> None:
    assert budget_verdict(judge, P5, usd=500_000, discountPercent=25) == []
    [message] = budget_verdict(judge, P5, usd=400_000, discountPercent=25)
    assert "$482,150" in message and "less 25% discount" in message


def test_a_capacity_block_pool_is_priced_at_the_published_block_rate(judge: Judge) -> None:
    # 8 × p5e.48xlarge at 43.26 USD/h × 730 h = 252,638 USD
    [message] = budget_verdict(judge, node_group("p5e.48xlarge", 8, "CAPACITY_BLOCK"), usd=200_000)
    assert "$252,638" in message and "published Capacity Block rate, us-east-2" in message


def test_a_type_sold_only_as_capacity_blocks_is_never_priced_on_demand(judge: Judge) -> None:
    [message] = budget_verdict(judge, node_group("p5e.48xlarge", 8), usd=200_000)
    assert "sold only as Capacity Blocks" in message and "$252,638" in message


def test_a_spot_pool_is_priced_at_the_catalog_spot_price(judge: Judge) -> None:
    # 16 × p5en.48xlarge at 27.1988 USD/h × 730 = 317,684 USD; on demand (63.296) it would be 739,297
    [message] = budget_verdict(judge, node_group("p5en.48xlarge", 16, "SPOT"), usd=300_000)
    assert "$317,682" in message and "spot price, us-east-1" in message
    assert budget_verdict(judge, node_group("p5en.48xlarge", 16, "SPOT"), usd=400_000) == []


def test_your_rate_prices_a_type_the_catalog_does_not_know(judge: Judge) -> None:
    program = node_group("p7.48xlarge", 4)  # a type no catalog row names (p6-b300 has a price since issue 21)
    verdict = judge(program, {"monthly-budget": {"usd": 1_000_000}})
    [unpriced] = verdict.cannot_verify("monthly-budget")
    assert 'prices.aws["p7.48xlarge"]' in unpriced.detail
    verdict = judge(program, {"monthly-budget": {"usd": 1_000_000, "prices": {"aws": {"p7.48xlarge": 150}}}})
    assert verdict.cannot_verify("monthly-budget") == [] and verdict.violations("monthly-budget") == []


def test_over_budget_on_what_is_known_is_a_violation_even_with_an_unpriced_part(judge: Judge) -> None:
    """The FSx tier has no verified price: the pools alone are over budget, so the verdict is definite."""
    verdict = judge(node_group("p5.48xlarge", 16, fsx_tier=250), {"monthly-budget": {"usd": 100_000}})
    [item] = verdict.violations("monthly-budget")
    assert "plus 1 part(s) that cannot be priced" in item.detail
    assert verdict.cannot_verify("monthly-budget") == []


# 48,000 GiB of FSx for Lustre PERSISTENT_2 at 250 MB/s/TiB: the catalog has no cited us-east-1 price for the tier
# (the one figure found is us-west-2's).
P5_WITH_FSX = node_group("p5.48xlarge", 16, fsx_tier=250)
# The same at 1000 MB/s/TiB, priced from a dated secondary source: 0.60 USD per GB-month x 1000 GB = 600 USD per
# TiB-month.
P5_WITH_FSX_1000 = node_group("p5.48xlarge", 16, fsx_tier=1000)


def test_an_unpriced_file_system_says_which_storage_rate_to_give(judge: Judge) -> None:
    verdict = judge(P5_WITH_FSX, {"monthly-budget": {"usd": 2_000_000}})
    [unpriced] = verdict.cannot_verify("monthly-budget")
    assert ("cost unknown (the catalog has no aws lustre price for this tier; give your rate in monthly-budget "
            'storagePrices.aws.lustre["250"], USD per GiB-month)') in unpriced.detail


def test_the_catalog_list_price_of_the_1000_tier_counts_in_the_budget(judge: Judge) -> None:
    # 642,867 USD of p5 nodes + 48 TiB × 600 USD (0.60 USD per GB-month × 1000 GB) = 28,800 USD of FSx
    # = 671,667 USD a month
    verdict = judge(P5_WITH_FSX_1000, {"monthly-budget": {"usd": 700_000}})
    assert verdict.cannot_verify("monthly-budget") == [] and verdict.violations("monthly-budget") == []
    [message] = budget_verdict(judge, P5_WITH_FSX_1000, usd=660_000)
    assert "$671,667" in message and "$28,800" in message
    assert "(catalog list price, us-east-1, secondary source, 2026-10-08)" in message


def test_your_storage_rate_prices_the_file_system_and_counts_in_the_budget(judge: Judge) -> None:
    # 642,867 USD of p5 nodes + 48,000 GiB × 0.60 USD = 28,800 USD of FSx = 671,667 USD a month
    rates = {"storagePrices": {"aws": {"lustre": {"250": 0.6}}}}
    verdict = judge(P5_WITH_FSX, {"monthly-budget": {"usd": 700_000, **rates}})
    assert verdict.cannot_verify("monthly-budget") == [] and verdict.violations("monthly-budget") == []
    [message] = budget_verdict(judge, P5_WITH_FSX, usd=660_000, **rates)
    assert "$671,667" in message and "scratch: " in message and "(your rate, $0.6 per GiB-month)" in message
    assert "$28,800" in message


def test_your_storage_rate_wins_over_the_catalog_list_price(judge: Judge) -> None:
    # 642,867 USD of p5 nodes + 48,000 GiB × 0.50 USD = 24,000 USD of FSx = 666,867 USD a month
    [message] = budget_verdict(judge, P5_WITH_FSX_1000, usd=660_000,
                               storagePrices={"aws": {"lustre": {"1000": 0.5}}})
    assert "$666,867" in message and "(your rate, $0.5 per GiB-month)" in message


def test_a_storage_rate_for_another_tier_does_not_price_this_one(judge: Judge) -> None:
    verdict = judge(P5_WITH_FSX, {"monthly-budget": {"usd": 2_000_000,
                                                     "storagePrices": {"aws": {"lustre": {"125": 0.2}}}}})
    [unpriced] = verdict.cannot_verify("monthly-budget")
    assert 'storagePrices.aws.lustre["250"]' in unpriced.detail


@pytest.mark.parametrize("config", [
    {"storagePrices": {"aws": {"lustre": {"fast": 0.5}}}},
    {"storagePrices": {"aws": {"lustre": {"1000": 0}}}},
    {"storagePrices": {"aws": {"lustre": {"1000": 500}}}},
    {"storagePrices": {"aws": {"nfs": {"1000": 0.5}}}},
    {"storagePrices": {"oracle": {"lustre": {"1000": 0.5}}}},
])
def test_bad_storage_rates_in_the_policy_config_are_refused(pack: PolicyPack, config: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="monthly-budget"):
        pack.configure({"monthly-budget": config})
    pack.configure({})


@pytest.mark.parametrize("config", [
    {"prices": {"aws": {"p5.48xlarge": -1}}},
    {"prices": {"aws": {"p5.48xlarge": "cheap"}}},
    {"prices": {"oracle": {"BM.GPU.H100.8": 10}}},
    {"discountPercent": 120},
])
def test_bad_rates_in_the_policy_config_are_refused(pack: PolicyPack, config: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="monthly-budget"):
        pack.configure({"monthly-budget": config})
    pack.configure({})
