"""``backbone plan`` on the three example training stacks with a parallel file system: FSx for Lustre at 1000
MB/s/TiB and Google Cloud Managed Lustre at 1000, which no read source prices (monthly-budget says "cannot verify"
and names the rate to give), and Azure Managed Lustre at 500, priced from a dated secondary source (East US,
0.000466 USD per GiB-hour, cyclecloud-cmaq 2024-03-11): 80 TiB x 1024 GiB x 0.000466 x 730 h = 27,867.21 USD a
month. With your storage rates (``storagePrices``) every part is priced and your rate wins."""

from __future__ import annotations

from typing import Any

import pytest

from backbone.judging import plan
from backbone.report import StackReport
from backbone.stackfile import PROJECT_ROOT

STACKS = {"aws-p5-train": ("aws", "1000"), "gcp-a3mega-train": ("gcp", "1000"),
          "azure-ndh100-train": ("azure", "500")}
# Test figures, not prices: USD per GiB-month of provisioned capacity.
RATES = {"aws": {"lustre": {"1000": 0.6}}, "gcp": {"lustre": {"1000": 0.5}}, "azure": {"lustre": {"500": 0.4}}}
# Provisioned GiB: FSx 48 "TiB" of 1000 GiB, Managed Lustre 36 of 1000 GiB, AMLFS 80 TiB of 1024 GiB.
STORAGE_USD = {"aws-p5-train": 48_000 * 0.6, "gcp-a3mega-train": 36_000 * 0.5,
               "azure-ndh100-train": 80 * 1024 * 0.4}


def _plan(budget: dict[str, Any]) -> dict[str, StackReport]:
    paths = [PROJECT_ROOT / "stacks" / f"Pulumi.{name}.yaml" for name in STACKS]
    return {s.stack: s for s in plan(paths, {"monthly-budget": budget}).stacks}


@pytest.fixture(scope="module")
def list_priced() -> dict[str, StackReport]:
    return _plan({})


@pytest.fixture(scope="module")
def own_rates() -> dict[str, StackReport]:
    return _plan({"storagePrices": RATES})


def _budget_unknowns(report: StackReport) -> list[str]:
    return [f.message for f in report.findings if f.policy == "monthly-budget" and f.cannot_verify]


UNPRICED = ("aws-p5-train", "gcp-a3mega-train")
AMLFS_LIST_USD = 80 * 1024 * 0.000466 * 730


def test_the_azure_file_system_is_priced_from_its_secondary_source(list_priced: dict[str, StackReport]) -> None:
    report = list_priced["azure-ndh100-train"]
    assert _budget_unknowns(report) == [] and report.capacity.monthly_usd_max.complete
    [line] = [line for line in report.capacity.pricing if line.startswith("llm-train-scratch-")]
    assert "$27,867 a month (catalog list price, eastus, secondary source, 2024-03-11)" in " ".join(line.split())


@pytest.mark.parametrize("stack", UNPRICED)
def test_list_prices_leave_the_file_system_unpriced_and_name_the_rate(list_priced: dict[str, StackReport],
                                                                      stack: str) -> None:
    cloud, tier = STACKS[stack]
    [message] = _budget_unknowns(list_priced[stack])
    assert f'storagePrices.{cloud}.lustre["{tier}"], USD per GiB-month' in message
    assert not list_priced[stack].capacity.monthly_usd_max.complete
    assert any(line.startswith("llm-train-scratch-") and "not priced" in line
               for line in list_priced[stack].capacity.pricing)


@pytest.mark.parametrize("stack", STACKS)
def test_your_storage_rates_price_every_part(list_priced: dict[str, StackReport],
                                             own_rates: dict[str, StackReport], stack: str) -> None:
    report = own_rates[stack]
    assert _budget_unknowns(report) == []
    assert report.capacity.monthly_usd_max.complete
    added = report.capacity.monthly_usd_max.value - list_priced[stack].capacity.monthly_usd_max.value
    listed = AMLFS_LIST_USD if stack == "azure-ndh100-train" else 0.0  # your rate replaces the list price
    assert added == pytest.approx(STORAGE_USD[stack] - listed, abs=1.0)  # the catalog keeps cents per TiB-month
    cloud, tier = STACKS[stack]
    rate = RATES[cloud]["lustre"][tier]
    assert any(line.startswith("llm-train-scratch-") and f"a month (your rate, ${rate:g} per GiB-month)" in line
               for line in report.capacity.pricing)
