"""``backbone size … --compare on-prem``: cloud versus owning the sized cluster.

Expected figures are worked out here by hand from public facts and the inputs, not by the module: a DGX H100
draws at most 10.2 kW (NVIDIA's DGX H100 user guide), the industry average PUE was 1.58 in 2023 (Uptime
Institute), a month is 730 hours."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from backbone.cli import main
from backbone.core.errors import ConfigError
from backbone.core.sizing import Option
from backbone.sizing.onprem import OwnedInputs, compare

TRAIN = ["size", "train", "--params", "70B", "--tokens", "2T", "--days", "30", "--cloud", "azure"]
OWNED = ["--capex-per-node", "300000", "--usd-per-kwh", "0.10", "--depreciation-years", "4",
         "--colocation-usd-per-kw-month", "150", "--operations-usd-per-node-month", "1000"]
DGX_H100_KW, PUE_2023, HOURS = 10.2, 1.58, 730


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def nd_h100_at_50(tmp_path: Path) -> str:
    """Your rate for ND H100 v5, low enough that it is the best Azure option."""
    prices = tmp_path / "rates.json"
    prices.write_text(json.dumps({"azure": {"Standard_ND96isr_H100_v5": 50.0}}))
    return str(prices)


def test_json_gives_the_break_even_and_the_payback(nd_h100_at_50: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*TRAIN, "--prices", nd_h100_at_50, "--compare", "on-prem", *OWNED, "--format", "json"],
                         capsys)
    assert code == 0, err
    onprem = json.loads(out)["on_prem"]
    assert onprem["instance_type"] == "Standard_ND96isr_H100_v5"
    n = onprem["nodes"]
    cloud = n * 50.0 * HOURS
    power = n * DGX_H100_KW * PUE_2023 * HOURS * 0.10
    fixed = n * (DGX_H100_KW * 150 + 1000)
    depreciation = n * 300000 / 48
    assert onprem["cloud_on_demand_monthly_usd"] == pytest.approx(cloud, abs=0.01)
    assert onprem["owned_running_monthly_usd"] == pytest.approx(fixed + power, abs=0.01)
    assert onprem["break_even_utilization"] == pytest.approx((depreciation + fixed) / (cloud - power), abs=1e-4)
    assert onprem["payback_month"] == math.ceil(n * 300000 / (cloud - fixed - power))
    assumptions = {a["name"]: a for a in onprem["assumptions"]}
    assert assumptions["node power"]["value"] == pytest.approx(DGX_H100_KW)
    assert "DGX H100" in assumptions["node power"]["basis"] and "secondary source" in assumptions["node power"]["basis"]
    assert assumptions["PUE"]["value"] == PUE_2023 and "Uptime Institute" in assumptions["PUE"]["basis"]
    assert assumptions["cloud node-hour"]["basis"] == "your rate"
    assert any("commitment" in n for n in onprem["not_counted"])
    cumulative = onprem["cumulative_usd"]
    assert len(cumulative["owned"]) == 49 and cumulative["owned"][0] == pytest.approx(n * 300000)
    assert cumulative["cloud on demand"][12] == pytest.approx(12 * cloud, abs=0.1)


def test_text_and_markdown_name_every_assumption_and_what_is_not_counted(
    nd_h100_at_50: str, capsys: pytest.CaptureFixture[str]
) -> None:
    owned = ["--capex-per-node", "300000", "--usd-per-kwh", "0.10", "--depreciation-years", "4"]
    code, out, err = run([*TRAIN, "--prices", nd_h100_at_50, "--compare", "on-prem", *owned,
                          "--utilization", "0.5", "--commit-1y", "35"], capsys)
    assert code == 0, err
    assert "Cloud versus owned hardware" in out and "at 50% utilization" in out
    assert "not counted: colocation (give --colocation-usd-per-kw-month)" in out
    assert "not counted: operations staff and support" in out
    assert "1-year commitment" in out and "utilization: 0.5 share of hours busy — your input" in out
    code, out, err = run([*TRAIN, "--prices", nd_h100_at_50, "--compare", "on-prem", *owned, "--format",
                          "markdown"], capsys)
    assert code == 0, err
    assert out.startswith("### Cloud versus owned hardware") and "| PUE | 1.58 | ratio |" in out


def test_missing_or_bad_owned_figures_are_exit_2_naming_the_flags(
    nd_h100_at_50: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run([*TRAIN, "--prices", nd_h100_at_50, "--compare", "on-prem"], capsys)
    assert code == 2 and out == ""
    for flag in ("--capex-per-node", "--usd-per-kwh", "--depreciation-years"):
        assert f"error: {flag}: needed to compare with owned hardware" in err
    code, out, err = run([*TRAIN, "--prices", nd_h100_at_50, "--compare", "on-prem", *OWNED,
                          "--utilization", "1.5", "--pue", "0.9"], capsys)
    assert code == 2
    assert "--utilization: '1.5' is not allowed; allowed: a number above 0 and at most 1" in err
    assert "--pue: '0.9' is not allowed; allowed: a number at least 1" in err
    code, out, err = run([*TRAIN, "--format", "markdown"], capsys)
    assert code == 2 and "add --compare on-prem" in err
    assert "Traceback" not in err


def test_a_plot_needs_matplotlib_or_says_how_to_get_it(nd_h100_at_50: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "costs.png"
    code, _, err = run([*TRAIN, "--prices", nd_h100_at_50, "--compare", "on-prem", *OWNED, "--plot", str(png)],
                         capsys)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert code == 2 and "--plot: needs matplotlib" in err and "backbone[plot]" in err
        assert not png.exists()
    else:
        assert code == 0, err
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def option(usd_per_node_hour: float, nodes: int = 2) -> Option:
    return Option(cloud="aws", instance_type="p5.48xlarge", accelerator="nvidia-h100-80gb", accelerators_per_node=8,
                  nodes=nodes, accelerators=8 * nodes, accelerator_hours=0.0, days=1.0,
                  usd_per_hour=usd_per_node_hour * nodes, cost_usd=0.0, spot_cost_usd=None, storage_mbps_needed=0.0,
                  spans_nodes=nodes > 1, fabric="efa", memory_floor_accelerators=1, throughput_accelerators=1,
                  price_basis="on-demand list price")


def test_a_price_below_the_power_bill_never_breaks_even_and_never_pays_back() -> None:
    """2 nodes at $1 a node-hour: 10.2 kW x 1.58 x $0.10 = $1.61 of power an hour already costs more."""
    c = compare(option(1.0), OwnedInputs(capex_usd_per_node=300000, usd_per_kwh=0.10, depreciation_years=4))
    assert c.break_even_utilization is None and c.payback_month is None
    assert c.owned_monthly_usd == pytest.approx(2 * DGX_H100_KW * PUE_2023 * HOURS * 0.10)


def test_a_node_without_a_datasheet_figure_needs_node_kw() -> None:
    tpu = Option(cloud="gcp", instance_type="ct6e-standard-4t", accelerator="tpu-v6e", accelerators_per_node=4,
                 nodes=1, accelerators=4, accelerator_hours=0.0, days=1.0, usd_per_hour=10.0, cost_usd=0.0,
                 spot_cost_usd=None, storage_mbps_needed=0.0, spans_nodes=False, fabric="ici",
                 memory_floor_accelerators=1, throughput_accelerators=1)
    with pytest.raises(ConfigError) as exc:
        compare(tpu, OwnedInputs(capex_usd_per_node=1, usd_per_kwh=0.1, depreciation_years=4))
    assert [p.path for p in exc.value.problems] == ["--node-kw"]
    c = compare(tpu, OwnedInputs(capex_usd_per_node=100000, usd_per_kwh=0.1, depreciation_years=4, node_kw=3.0))
    assert next(a for a in c.assumptions if a.name == "node power").basis == "your input (--node-kw)"
