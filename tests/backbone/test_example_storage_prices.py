"""``backbone plan`` on the three example training stacks whose parallel file systems no cited source prices
(FSx for Lustre at 1000 MB/s/TiB, Google Cloud Managed Lustre at 1000, Azure Managed Lustre at 500): with list
prices monthly-budget says "cannot verify" and names the rate to give; with your storage rates
(``storagePrices``) every part is priced and the file systems count in the monthly cost."""

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


@pytest.mark.parametrize("stack", STACKS)
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
    assert added == pytest.approx(STORAGE_USD[stack])
    cloud, tier = STACKS[stack]
    rate = RATES[cloud]["lustre"][tier]
    assert any(line.startswith("llm-train-scratch-") and f"a month (your rate, ${rate:g} per GiB-month)" in line
               for line in report.capacity.pricing)
