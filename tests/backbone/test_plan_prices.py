"""``backbone plan``: the capacity view prices each pool with the rates ``monthly-budget`` is configured with,
says the basis, and the budget verdict follows the same figures (a price override flips it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from backbone.cli import main

# 4 × g6.xlarge on demand: 0.8048 USD/h list (us-east-1) × 4 × 730 h = 2,350.016 USD a month.
CLUSTER = {"cloud": "aws", "name": "small", "region": "us-east-1", "zone": "us-east-1a",
           "nodePools": [{"name": "l4", "instanceType": "g6.xlarge", "purpose": "inference", "maxNodes": 4}]}


def plan(tmp_path: Path, capsys: pytest.CaptureFixture[str], budget: dict[str, object],
         cluster: dict[str, object] = CLUSTER) -> tuple[int, dict]:
    directory = tmp_path / "stacks"
    directory.mkdir(exist_ok=True)
    (directory / "Pulumi.small.yaml").write_text(yaml.safe_dump({"config": {"backbone:cluster": cluster}}))
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"monthly-budget": budget}))
    code = main(["plan", "--stacks-dir", str(directory), "--policy-config", str(config), "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    [stack] = json.loads(out)["stacks"]
    return code, stack


def test_list_prices_by_default_with_their_basis(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, stack = plan(tmp_path, capsys, {"usd": 2000})
    assert stack["monthly_cost_usd_max"] == pytest.approx(0.8048 * 4 * 730)
    [priced] = stack["pricing"]
    assert "$0.80 per node-hour, on-demand (on-demand list price, us-east-1" in priced
    assert code == 1 and [v["policy"] for v in stack["violations"]] == ["monthly-budget"]


def test_your_rate_reprices_the_capacity_view_and_flips_the_budget(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, stack = plan(tmp_path, capsys, {"usd": 2000, "prices": {"aws": {"g6.xlarge": 0.5}}})
    assert stack["monthly_cost_usd_max"] == pytest.approx(0.5 * 4 * 730)
    assert "(your rate)" in stack["pricing"][0]
    assert code == 0 and stack["violations"] == []


def test_a_discount_reprices_list_prices(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, stack = plan(tmp_path, capsys, {"usd": 2000, "discountPercent": 20})
    assert stack["monthly_cost_usd_max"] == pytest.approx(0.8048 * 0.8 * 4 * 730)
    assert "less 20% discount" in stack["pricing"][0] and code == 0


def test_a_capacity_block_pool_of_the_stack_spec_is_priced_at_the_block_rate(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    block = {"cloud": "aws", "name": "train", "region": "us-east-1", "zone": "us-east-1a",
             "nodePools": [{"name": "h100", "instanceType": "p5.48xlarge", "purpose": "inference", "maxNodes": 2,
                            "capacity": "capacity-block", "reservation": "cr-0123456789abcdef0"}]}
    code, stack = plan(tmp_path, capsys, {"usd": 100_000}, block)
    assert code == 0
    # 2 × p5.48xlarge at the published Capacity Block rate, 39.33 USD/h (us-east-1), × 730 h
    assert stack["monthly_cost_usd_max"] == pytest.approx(39.33 * 2 * 730)
    assert "capacity-block (published Capacity Block rate, us-east-1" in stack["pricing"][0]
    code, stack = plan(tmp_path, capsys, {"usd": 100_000, "prices": {"aws": {"p5.48xlarge": 30.0}}}, block)
    assert stack["monthly_cost_usd_max"] == pytest.approx(30.0 * 2 * 730) and "(your rate)" in stack["pricing"][0]
