"""``backbone plan`` on the three example training stacks with a parallel file system, each priced at list price
from a dated secondary source (storage.yaml):

- FSx for Lustre PERSISTENT_2 at 1000 MB/s/TiB, us-east-1: 0.60 USD per GB-month (aws-blast-performance, read
  2026-10-08) x 1000 GB per FSx TiB x 48 TiB = 28,800 USD a month;
- Google Cloud Managed Lustre at 1000 MB/s/TiB, us-central1: 0.60 USD per GiB-month (a Cloud Billing pricing
  export quoted 2026-06-05) x 1000 GiB per TiB x 36 TiB = 21,600 USD a month;
- Azure Managed Lustre at 500 MB/s/TiB, East US: 0.000466 USD per GiB-hour (cyclecloud-cmaq 2024-03-11) x 730 h x
  1024 GiB = 348.34 USD per TiB-month x 80 TiB = 27,867.20 USD a month.

With your storage rates (``storagePrices``) your rate wins. A tier the catalog cannot price (FSx at 250 MB/s/TiB:
the one figure found is us-west-2's) leaves the budget "cannot verify", naming the rate to give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backbone.judging import plan
from backbone.report import StackReport
from backbone.stackfile import PROJECT_ROOT

STACKS = {"aws-p5-train": ("aws", "1000"), "gcp-a3mega-train": ("gcp", "1000"),
          "azure-ndh100-train": ("azure", "500")}
LISTED = {
    "aws-p5-train": ("$28,800 a month (catalog list price, us-east-1, secondary source, 2026-10-08)", 28_800.0),
    "gcp-a3mega-train": ("$21,600 a month (catalog list price, us-central1, secondary source, 2026-06-05)", 21_600.0),
    "azure-ndh100-train": ("$27,867 a month (catalog list price, eastus, secondary source, 2024-03-11)", 27_867.20),
}
# Test figures, not prices: USD per GiB-month of provisioned capacity.
RATES = {"aws": {"lustre": {"1000": 0.5}}, "gcp": {"lustre": {"1000": 0.5}}, "azure": {"lustre": {"500": 0.4}}}
# Provisioned GiB x your rate: FSx 48 "TiB" of 1000 GiB x 0.5 = 24,000; Managed Lustre 36 of 1000 GiB x 0.5 = 18,000;
# AMLFS 80 TiB of 1024 GiB x 0.4 = 32,768.
STORAGE_USD = {"aws-p5-train": 24_000.0, "gcp-a3mega-train": 18_000.0, "azure-ndh100-train": 32_768.0}


def _plan(budget: dict[str, Any], paths: list[Path] | None = None) -> dict[str, StackReport]:
    paths = paths or [PROJECT_ROOT / "stacks" / f"Pulumi.{name}.yaml" for name in STACKS]
    return {s.stack: s for s in plan(paths, {"monthly-budget": budget}).stacks}


@pytest.fixture(scope="module")
def list_priced() -> dict[str, StackReport]:
    return _plan({})


@pytest.fixture(scope="module")
def own_rates() -> dict[str, StackReport]:
    return _plan({"storagePrices": RATES})


def _budget_unknowns(report: StackReport) -> list[str]:
    return [f.message for f in report.findings if f.policy == "monthly-budget" and f.cannot_verify]


def _storage_line(report: StackReport) -> str:
    [line] = [line for line in report.capacity.pricing if line.startswith("llm-train-scratch-")]
    return " ".join(line.split())


@pytest.mark.parametrize("stack", STACKS)
def test_each_file_system_is_priced_from_its_tier_s_own_source(list_priced: dict[str, StackReport],
                                                              stack: str) -> None:
    report = list_priced[stack]
    assert _budget_unknowns(report) == [] and report.capacity.monthly_usd_max.complete
    assert LISTED[stack][0] in _storage_line(report)


@pytest.mark.parametrize("stack", STACKS)
def test_your_storage_rates_win_over_the_list_price(list_priced: dict[str, StackReport],
                                                    own_rates: dict[str, StackReport], stack: str) -> None:
    report = own_rates[stack]
    assert _budget_unknowns(report) == []
    assert report.capacity.monthly_usd_max.complete
    added = report.capacity.monthly_usd_max.value - list_priced[stack].capacity.monthly_usd_max.value
    assert added == pytest.approx(STORAGE_USD[stack] - LISTED[stack][1], abs=0.01)  # your rate replaces the list
    cloud, tier = STACKS[stack]
    rate = RATES[cloud]["lustre"][tier]
    assert f"a month (your rate, ${rate:g} per GiB-month)" in _storage_line(report)


def test_a_tier_the_catalog_cannot_price_is_cannot_verify_with_the_rate_to_give(tmp_path: Path) -> None:
    """aws-p5-train with its FSx at 250 MB/s/TiB: no us-east-1 price for that tier, never a silent zero."""
    text = (PROJECT_ROOT / "stacks" / "Pulumi.aws-p5-train.yaml").read_text()
    assert "throughputMBpsPerTiB: 1000" in text
    path = tmp_path / "Pulumi.aws-p5-train.yaml"
    path.write_text(text.replace("throughputMBpsPerTiB: 1000", "throughputMBpsPerTiB: 250"))
    report = _plan({}, [path])["aws-p5-train"]
    [message] = _budget_unknowns(report)
    assert 'give your rate in monthly-budget storagePrices.aws.lustre["250"], USD per GiB-month' in message
    assert not report.capacity.monthly_usd_max.complete
    assert "not priced" in _storage_line(report)
