"""``backbone catalog``: the JSON contract other tools read, the text table, and bad arguments."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from backbone.cli import main
from backbone.core import catalog
from backbone.core.catalog import load

CONTRACT_FIELDS = {
    "cloud", "instance_type", "accelerator", "accelerator_count", "accelerator_memory_gib", "vcpus", "memory_gib",
    "fabric", "fabric_gbps", "fabric_nics", "on_demand_usd_per_hour", "price_region", "price_as_of", "source",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["catalog", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def json_rows(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "--format", "json", *argv)
    assert code == 0, err
    rows = json.loads(out)
    assert isinstance(rows, list)
    return rows


def test_json_for_aws_lists_every_aws_row_with_the_contract_fields(capsys: pytest.CaptureFixture[str]) -> None:
    rows = json_rows(capsys, "--cloud", "aws")
    assert [r["instance_type"] for r in rows] == [r.instance_type for r in load().for_cloud("aws")]
    for row in rows:
        assert row.keys() >= CONTRACT_FIELDS, CONTRACT_FIELDS - row.keys()
        assert row["cloud"] == "aws"


def test_json_values_are_the_catalog_figures(capsys: pytest.CaptureFixture[str]) -> None:
    by_type = {r["instance_type"]: r for r in json_rows(capsys, "--cloud", "aws")}
    p5 = by_type["p5.48xlarge"]
    row = load().instance("aws", "p5.48xlarge")
    assert row is not None
    assert (p5["accelerator"], p5["accelerator_count"], p5["fabric"], p5["fabric_nics"], p5["fabric_gbps"]) == (
        row.accelerator, row.accelerator_count, row.fabric, row.fabric_nics, row.fabric_gbps)
    assert p5["fabric_nics"] == 32 and p5["fabric_gbps"] == 3200
    assert "https://" in p5["source"] and "(20" in p5["source"]  # url (date)


def test_json_unknown_figures_are_null_not_guessed(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    real = catalog.load()
    unpriced = catalog.Catalog(
        [dataclasses.replace(r, on_demand_usd_per_hour=None, spot_usd_per_hour=None, price_region=None,
                             price_as_of=None) if r.instance_type == "g6.xlarge" else r for r in real.instances],
        list(real.accelerators.values()), list(real.storage))
    monkeypatch.setattr(catalog, "load", lambda: unpriced)  # g6.xlarge as a row whose price no source gives
    by_type = {r["instance_type"]: r for r in json_rows(capsys, "--cloud", "aws")}
    g6 = by_type["g6.xlarge"]
    assert g6["fabric"] == "none" and g6["fabric_gbps"] is None and g6["fabric_nics"] is None
    assert g6["on_demand_usd_per_hour"] is None and g6["price_region"] is None


def test_json_without_cloud_covers_all_clouds(capsys: pytest.CaptureFixture[str]) -> None:
    rows = json_rows(capsys)
    assert {r["cloud"] for r in rows} == {"aws", "gcp", "azure"}
    assert len(rows) == len(load().instances)
    tpu = next(r for r in rows if r["instance_type"] == "ct5p-hightpu-4t")
    assert tpu["tpu"]["version"] == "v5p" and "2x2x1" in tpu["tpu"]["topologies"]


# This year's types as the clouds publish them (read 2026-12-07): A4X 4 GB200 and A3 Edge 8 H100 per VM
# (cloud.google.com/compute/docs/gpus/gpu-network-bandwidth), TPU7x 4 chips per tpu7x-standard-4t VM (GKE "About
# Ironwood (TPU7x)"), ND GB200 v6 and ND GB300 v6 4 GPUs per VM (learn.microsoft.com size pages).
THIS_YEAR = {
    ("gcp", "a4x-highgpu-4g"): (4, "nvidia-gb200", "rdma"),
    ("gcp", "a3-edgegpu-8g"): (8, "nvidia-h100-80gb", "gpudirect-tcpx"),
    ("gcp", "tpu7x-standard-4t"): (4, "tpu-7x", "ici"),
    ("azure", "Standard_ND128isr_NDR_GB200_v6"): (4, "nvidia-gb200", "infiniband"),
    ("azure", "Standard_ND128isr_GB300_v6"): (4, "nvidia-gb300", "infiniband"),
}


def test_json_lists_this_years_types_with_their_accelerator_counts(capsys: pytest.CaptureFixture[str]) -> None:
    rows = {(r["cloud"], r["instance_type"]): r for r in json_rows(capsys)}
    for key, (count, accelerator, fabric) in THIS_YEAR.items():
        row = rows[key]
        assert (row["accelerator_count"], row["accelerator"], row["fabric"]) == (count, accelerator, fabric), key
        assert "https://" in row["source"], key


def test_text_table_has_a_header_and_one_line_per_row(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--cloud", "azure")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["cloud", "instance", "type"]
    assert len(lines) == 1 + len(load().for_cloud("azure"))
    nc = next(line for line in lines if line.startswith("azure") and "Standard_NC24ads_A100_v4" in line)
    assert " none " in nc and " - " in nc  # no fabric: bandwidth and NICs print as "-"


def test_unknown_cloud_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["catalog", "--cloud", "oracle"])
    assert exc.value.code == 2
    assert "invalid choice: 'oracle'" in capsys.readouterr().err
