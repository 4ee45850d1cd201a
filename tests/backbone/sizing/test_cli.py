"""``backbone size train|serve``: flags and workload files, errors (exit 2, one line each), JSON, and
``--write-stack`` on every cloud."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backbone.cli import main
from backbone.components.spec import from_config
from backbone.core import catalog
from backbone.core.errors import ConfigError
from backbone.core.workload import WorkloadSpec
from backbone.sizing.cli import workload_from_args
from backbone.sizing.stack import POLICY_FLOOR_MBPS_PER_ACCELERATOR
from backbone.stackfile import read_stack

TRAIN = ["size", "train", "--params", "70B", "--tokens", "2T", "--days", "30"]
SERVE = ["size", "serve", "--model", "llama-3-70b", "--context", "8192", "--concurrency", "64",
         "--tokens-per-second", "2000"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_documented_fields_ranked_cheapest_first(
    priced_catalog: catalog.Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run([*TRAIN, "--format", "json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    options = report["options"]
    assert options
    for field in ("cloud", "instance_type", "accelerators", "nodes", "days", "accelerator_hours", "cost_usd",
                  "storage_mbps_needed", "spot_cost_usd"):
        assert all(field in o for o in options), field
    assert [o["cost_usd"] for o in options] == sorted(o["cost_usd"] for o in options)
    assert [o["rank"] for o in options] == list(range(1, len(options) + 1))
    assert all(o["days"] <= 30 for o in options)
    assert report["needs"]["checkpoint_bytes"] == 14 * 70e9
    assert sum(r["instance_types"] for r in report["skipped_reasons"]) == len(report["skipped"])


def test_text_names_the_skipped_types_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*TRAIN, "--top", "0"], capsys)
    assert code == 0
    w = WorkloadSpec.model_validate({"kind": "training", "params": "70B", "tokens": "2T", "days": 30})
    from backbone.sizing import size

    skipped = size(w.root).skipped
    assert skipped, "a 70B run spans nodes: single-node types without a fabric are always skipped"
    assert f"Skipped {len(skipped)} instance types:" in out
    for s in skipped:
        assert s.reason in out
    assert "Standard_NC24ads_A100_v4" in out  # no fabric, named among the first of its reason


def test_the_cloud_filter(priced_catalog: catalog.Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*SERVE, "--cloud", "gcp", "--format", "json"], capsys)
    assert code == 0
    report = json.loads(out)
    assert report["options"] and {o["cloud"] for o in report["options"]} == {"gcp"}
    assert {s["cloud"] for s in report["skipped"]} <= {"gcp"}


@pytest.mark.parametrize(("argv", "expected"), [
    (["size", "train", "--params", "70X", "--tokens", "2T", "--days", "30"],
     ["error: --params: '70X' is not a count: expected a whole number, optionally with a suffix K, M, B (or G) "
      "or T, e.g. 70B, 2T, 1.5K"]),
    (["size", "train", "--params", "70B"],
     ["error: --tokens: required, but missing", "error: --days: required, but missing"]),
    (["size", "train", "--params", "70B", "--tokens", "2T", "--days", "30", "--precision", "fp4"],
     ["error: --precision: Input should be 'bf16', 'fp16' or 'fp8' (got 'fp4')"]),
    (["size", "serve", "--context", "8192", "--concurrency", "64", "--tokens-per-second", "1K"],
     ["error: workload: params and shape missing: name a preset"]),
    ([*TRAIN, "--write-stack", "x"], ["error: --write-stack: needs --cloud"]),
])
def test_bad_input_exits_2_with_one_line_per_problem(
    argv: list[str], expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), line
    assert "Traceback" not in err


def test_a_workload_file_with_flags_over_it(tmp_path: Path, priced_catalog: catalog.Catalog,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("kind: training\nparams: 7B\ntokens: 200B\ndays: 10\nmfu: 0.5\n", encoding="utf-8")
    code, out, _ = run(["size", "train", "--workload", str(path), "--days", "20", "--format", "json"], capsys)
    assert code == 0
    workload = json.loads(out)["workload"]
    assert (workload["params"], workload["days"], workload["mfu"]) == (7e9, 20, 0.5)


def test_errors_in_a_workload_file_name_the_file_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("kind: training\nparams: 7B\ntokens: lots\ndays: 10\n", encoding="utf-8")
    code, _, err = run(["size", "train", "--workload", str(path)], capsys)
    assert code == 2
    assert err.startswith(f"error: {path}: backbone:workload.tokens: 'lots' is not a count")
    code, _, err = run(["size", "serve", "--workload", str(path)], capsys)
    assert code == 2 and "sizes kind: inference (got 'training'): use `backbone size train`" in err


def _namespace(command: str, **flags: Any) -> argparse.Namespace:
    from backbone.sizing.cli import FLAGS, _dest

    values = {_dest(flag): None for flag, _, _ in FLAGS[command]}
    values.update(flags)
    return argparse.Namespace(size_command=command, workload=None, **values)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(params=st.text(max_size=10), tokens=st.text(max_size=10), days=st.text(max_size=6))
def test_the_size_parser_fails_only_with_config_error(params: str, tokens: str, days: str) -> None:
    try:
        spec = workload_from_args(_namespace("train", params=params, tokens=tokens, days=days))
    except ConfigError as exc:
        assert exc.problems and all(p.path.startswith("--") for p in exc.problems)
        return
    assert spec.root.kind == "training"


def _write(cloud: str, argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, dict]:
    name = f"sized-{cloud}"
    code, out, err = run([*argv, "--format", "json", "--cloud", cloud, "--write-stack", name,
                          "--stacks-dir", str(tmp_path)], capsys)
    assert code == 0, err
    path = tmp_path / f"Pulumi.{name}.yaml"
    assert path.exists() and f"wrote {path}" in err
    return path, json.loads(out)["options"][0]


@pytest.mark.parametrize("cloud", catalog.CLOUDS)
def test_write_stack_for_training_parses_and_matches_the_best_option(
    cloud: str, tmp_path: Path, priced_catalog: catalog.Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    path, best = _write(cloud, TRAIN, tmp_path, capsys)
    stack = read_stack(path)
    spec = from_config(stack.config, file=str(path))
    cluster = spec.cluster
    assert (cluster.cloud, cluster.name) == (cloud, f"sized-{cloud}")
    [pool] = cluster.node_pools
    assert (pool.instance_type, pool.purpose, pool.min_nodes, pool.max_nodes) == (
        best["instance_type"], "training", 0, best["nodes"])
    row = priced_catalog.instance(cloud, pool.instance_type)
    assert row is not None and row.offered_in_region(cluster.region) is not False
    assert row.offered_in_zone(cluster.zone) is not False
    assert cluster.storage, "a training stack gets a parallel file system"
    delivered = 0.0
    for fs in cluster.storage:
        tier = fs.tier(cloud)
        assert fs.kind != "bucket" and fs.capacity_tib is not None and tier is not None
        delivered += fs.capacity_tib * tier
    assert delivered >= best["storage_mbps_needed"]
    assert delivered >= POLICY_FLOOR_MBPS_PER_ACCELERATOR * best["accelerators"]
    assert sum(fs.capacity_tib or 0 for fs in cluster.storage) * 2**40 >= 3 * 14 * 70e9  # three checkpoints
    assert spec.workload == WorkloadSpec.model_validate({"kind": "training", "params": "70B", "tokens": "2T",
                                                         "days": 30})


@pytest.mark.parametrize("cloud", catalog.CLOUDS)
def test_write_stack_for_serving_parses(
    cloud: str, tmp_path: Path, priced_catalog: catalog.Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    path, best = _write(cloud, SERVE, tmp_path, capsys)
    spec = from_config(read_stack(path).config, file=str(path))
    [pool] = spec.cluster.node_pools
    assert (pool.instance_type, pool.purpose, pool.max_nodes) == (best["instance_type"], "inference", best["nodes"])
    assert spec.cluster.storage == []
    assert spec.workload is not None and spec.workload.root.kind == "inference"  # type: ignore[attr-defined]


def test_write_stack_refuses_to_overwrite_without_force(
    tmp_path: Path, priced_catalog: catalog.Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = _write("aws", TRAIN, tmp_path, capsys)
    path.write_text("# mine\n", encoding="utf-8")
    argv = [*TRAIN, "--cloud", "aws", "--write-stack", "sized-aws", "--stacks-dir", str(tmp_path)]
    code, _, err = run(argv, capsys)
    assert code == 2 and "the file exists: pass --force to overwrite it" in err
    assert path.read_text(encoding="utf-8") == "# mine\n"
    code, _, _ = run([*argv, "--force"], capsys)
    assert code == 0 and "backbone:cluster" in yaml.safe_load(path.read_text(encoding="utf-8"))["config"]


def test_write_stack_names_must_be_cluster_names(
    tmp_path: Path, priced_catalog: catalog.Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([*TRAIN, "--cloud", "aws", "--write-stack", "Bad_Name", "--stacks-dir", str(tmp_path)], capsys)
    assert code == 2 and "'Bad_Name' is not a valid stack name" in err
    assert not list(tmp_path.iterdir())


def test_write_stack_without_a_priced_option_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    real = catalog.load()
    unpriced = catalog.Catalog([dataclasses.replace(r, on_demand_usd_per_hour=None, spot_usd_per_hour=None)
                                for r in real.instances], list(real.accelerators.values()), list(real.storage))
    monkeypatch.setattr(catalog, "load", lambda: unpriced)
    code, _, err = run([*TRAIN, "--cloud", "azure", "--write-stack", "x-y", "--stacks-dir", str(tmp_path)], capsys)
    assert code == 2
    assert "error: --cloud: no azure instance type fits this workload" in err
    assert "× no price in the catalog (on demand or Capacity Block)" in err


def test_write_stack_says_when_the_pack_defaults_would_block_the_stack(
    tmp_path: Path, priced_catalog: catalog.Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    # 70B on 2T tokens in 15 days needs more than 512 accelerators on any AWS type: the fastest, B200 at 2,250
    # dense TFLOP/s, needs 6 x 70B x 2T / (2,250 TFLOP/s x 0.4 MFU) / 360 h ~ 720: over poolLimit 512
    argv = ["size", "train", "--params", "70B", "--tokens", "2T", "--days", "15", "--cloud", "aws", "--write-stack",
            "big", "--stacks-dir", str(tmp_path)]
    code, _, err = run(argv, capsys)
    assert code == 0
    found = re.search(r"note: (\d+) accelerators are over the pack's max-accelerators defaults \(poolLimit 512", err)
    assert found is not None and int(found.group(1)) > 512, err
    small = ["size", "train", "--params", "7B", "--tokens", "200B", "--days", "10"]
    code, _, err = run([*small, "--cloud", "aws", "--write-stack", "small", "--stacks-dir", str(tmp_path)], capsys)
    assert code == 0 and "note:" not in err
