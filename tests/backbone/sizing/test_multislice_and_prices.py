"""``backbone size``: TPU Multislice rows when one slice is too small, and ``--prices`` (your own rates, the
same JSON as monthly-budget's ``prices``), with bad files refused (exit 2, the file named)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from backbone.cli import main
from backbone.core import catalog

TRAIN = ["size", "train", "--params", "70B", "--tokens", "2T", "--days", "30", "--top", "0"]


def sized(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code = main([*argv, "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def option(report: dict[str, Any], instance_type: str) -> dict[str, Any]:
    [found] = [o for o in report["options"] if o["instance_type"] == instance_type]
    return found


def test_70b_on_2t_tokens_in_30_days_lists_tpu_multislice_rows(capsys: pytest.CaptureFixture[str]) -> None:
    report = sized(TRAIN, capsys)
    multislice = {o["instance_type"]: o for o in report["options"] if o["slices"] > 1}
    assert {"ct5lp-hightpu-4t", "ct6e-standard-4t"} <= set(multislice)
    for o in multislice.values():
        tpu = catalog.load().instance("gcp", o["instance_type"]).tpu  # type: ignore[union-attr]
        assert tpu is not None and o["tpu_topology"] in tpu.topologies
        per_slice = tpu.chips_of(o["tpu_topology"])
        largest = max(tpu.chips_of(t) for t in tpu.topologies)
        needed = max(o["throughput_accelerators"], o["memory_floor_accelerators"])
        assert per_slice * o["slices"] == o["accelerators"] >= needed > largest  # one slice is too small
        assert (o["slices"] - 1) * largest < needed                             # and no slice is spare
        assert o["nodes"] == o["slices"] * per_slice // tpu.chips_per_host
        assert o["fabric"] == "ici + dcn"
    assert multislice["ct5lp-hightpu-4t"]["dcn_gbps_per_chip"] == 25  # v5e: 6.4 Tbps per 256-chip Pod
    assert multislice["ct6e-standard-4t"]["dcn_gbps_per_chip"] is None  # no cited v6e figure


def test_a_workload_one_slice_holds_is_not_split(capsys: pytest.CaptureFixture[str]) -> None:
    report = sized(["size", "train", "--params", "7B", "--tokens", "100B", "--days", "30", "--cloud", "gcp"], capsys)
    assert all(o["slices"] == 1 for o in report["options"])


def test_multislice_text_says_how_many_slices_and_the_dcn(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*TRAIN, "--cloud", "gcp"]) == 0
    out = capsys.readouterr().out
    assert "(17×16x16)" in out and "TPU Multislice, 17 slices of 16x16" in out and "(25 Gbps per chip)" in out


def test_your_rates_reprice_and_rerank(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = option(sized([*TRAIN, "--cloud", "aws"], capsys), "p5.48xlarge")
    rates = tmp_path / "rates.json"
    rates.write_text(json.dumps({"aws": {"p5.48xlarge": 10.0}}))
    mine = sized([*TRAIN, "--cloud", "aws", "--prices", str(rates)], capsys)
    p5 = option(mine, "p5.48xlarge")
    assert p5["usd_per_hour"] == pytest.approx(p5["nodes"] * 10.0)
    assert p5["cost_usd"] == pytest.approx(listed["cost_usd"] * 10.0 / 55.04, rel=1e-6)
    assert p5["price_basis"] == "your rate" and mine["options"][0]["instance_type"] == "p5.48xlarge"


def test_a_policy_config_file_gives_prices_and_discount(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = option(sized([*TRAIN, "--cloud", "aws"], capsys), "p4d.24xlarge")
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"monthly-budget": {"usd": 1e6, "discountPercent": 20,
                                                     "prices": {"aws": {"p5.48xlarge": 30}}}}))
    p4d = option(sized([*TRAIN, "--cloud", "aws", "--prices", str(config)], capsys), "p4d.24xlarge")
    assert p4d["cost_usd"] == pytest.approx(listed["cost_usd"] * 0.8, rel=1e-6)
    assert "less 20% discount" in p4d["price_basis"]


@pytest.mark.parametrize(("content", "says"), [
    (None, "cannot read the prices file"),
    ("{not json", "not valid JSON"),
    ('{"aws": {"p5.48xlarge": -3}}', "prices.aws.p5.48xlarge: -3 is not a USD per hour price"),
    ('{"aws": {"p5.48xlarge": true}}', "prices.aws.p5.48xlarge: True is not a USD per hour price"),
    ('{"oracle": {"x": 1}}', "prices.oracle: not a cloud; allowed: aws, gcp, azure"),
    ('[1, 2]', "prices: expected a JSON object"),
    ('{"monthly-budget": {"discountPercent": 150}}', "monthly-budget.discountPercent: 150 is not a percent"),
    ('{"monthly-budget": {"storagePrices": {"aws": {"lustre": {"fast": 0.5}}}}}',
     "monthly-budget.storagePrices.aws.lustre: 'fast' does not match"),
    ('{"monthly-budget": {"storagePrices": {"aws": {"lustre": {"1000": 0}}}}}',
     "monthly-budget.storagePrices.aws.lustre.1000: 0 is less than or equal to the minimum of 0; allowed: USD per "
     "GiB-month"),
    ("[" * 100_000, "nested more than 64 levels deep"),
    (" " * (1024 * 1024 + 1), "larger than 1,024 KiB"),
])
def test_bad_price_files_exit_2_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                content: str | None, says: str) -> None:
    path = tmp_path / "rates.json"
    if content is not None:
        path.write_text(content)
    code = main([*TRAIN, "--prices", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert str(path) in err and says in err and "Traceback" not in err


def test_multislice_needs_fewer_slices_than_one_more_slice_would_make(capsys: pytest.CaptureFixture[str]) -> None:
    """v6e: 4 slices of 16x16 for 920 chips (3 × 256 = 768 would be short)."""
    o = option(sized([*TRAIN, "--cloud", "gcp"], capsys), "ct6e-standard-4t")
    assert (o["slices"], o["tpu_topology"]) == (4, "16x16")
    assert math.ceil(o["throughput_accelerators"] / 256) == 4
