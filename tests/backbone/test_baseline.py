"""``backbone plan --baseline``: each stack's change in accelerators and monthly cost against an earlier JSON
report, new and removed stacks, violations new or already present — on real plans of the example stacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backbone.baseline import against, read_baseline
from backbone.cli import main
from backbone.judging import plan
from backbone.report import PlanReport, render
from backbone.stackfile import PROJECT_ROOT

STACKS = ("aws-p5-train", "aws-g6-serve", "gcp-l4-serve")
P5_PRICE = 55.04  # USD per node-hour, the catalog's p5.48xlarge price (backbone/core/catalog/data/aws.yaml)


def _copy(directory: Path, stack: str, replace: tuple[str, str] | None = None) -> Path:
    text = (PROJECT_ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text()
    if replace:
        assert replace[0] in text
        text = text.replace(*replace)
    path = directory / f"Pulumi.{stack}.yaml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The base branch (the example stacks as they are) and a head that doubles the p5 pool's maxNodes and
    sets the g6 pool to 1000 nodes (a new mandatory violation); gcp-l4-serve does not change."""
    root = tmp_path_factory.mktemp("baseline")
    base_dir, head_dir = root / "base", root / "head"
    base_dir.mkdir()
    head_dir.mkdir()
    base = plan([_copy(base_dir, s) for s in STACKS])
    head_paths = [_copy(head_dir, "aws-p5-train", ("maxNodes: 16", "maxNodes: 32")),
                  _copy(head_dir, "aws-g6-serve", ("maxNodes: 8", "maxNodes: 1000")),
                  _copy(head_dir, "gcp-l4-serve")]
    head = plan(head_paths)
    base_json = root / "base.json"
    base_json.write_text(render(base, "json"))
    return {"root": root, "base": base, "head": head, "base_json": base_json, "head_dir": head_dir}


def _stack(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in doc["stacks"] if s["stack"] == name)


def test_doubling_the_p5_pool_is_plus_128_accelerators_and_its_monthly_cost(runs: dict[str, Any]) -> None:
    report = against(runs["head"], read_baseline(runs["base_json"]))
    doc = json.loads(render(report, "json"))
    p5 = _stack(doc, "aws-p5-train")
    # 16 x 55.04 x 730 = 642,867.20 USD of nodes + the FSx, 48 TiB at 1000 MB/s/TiB x 600 USD per TiB-month
    # (0.60 USD per GB-month x 1000 GB; storage.yaml) = 28,800 USD: 671,667.20 USD
    assert p5["baseline"] == {"accelerators_max": 128, "monthly_cost_usd_max": pytest.approx(671_667.20)}
    assert p5["delta"]["accelerators_max"] == 128
    # the file system is priced and unchanged on both sides: the delta is the 16 added nodes, every part counted
    assert p5["delta"]["monthly_cost_usd_max"] == pytest.approx(16 * P5_PRICE * 730)
    assert p5["delta"]["not_counted"]["monthly_cost_usd_max"] == []
    unchanged = _stack(doc, "gcp-l4-serve")
    assert unchanged["change"] == "unchanged"
    assert unchanged["delta"]["accelerators_max"] == 0
    assert unchanged["delta"]["monthly_cost_usd_max"] == 0
    markdown = render(report, "markdown")
    first = markdown.index("**Against the baseline:**")
    assert first < markdown.index("| stack | cloud |")  # the change comes first
    assert "+128 × nvidia-h100-80gb" in markdown and "+$642,867 per month at max scale" in markdown
    assert "| `gcp-l4-serve` | unchanged | 0 accelerators (8 → 8), $0 per month" in markdown


def test_each_violation_is_marked_new_or_already_present_and_the_verdict_does_not_change(
        runs: dict[str, Any], tmp_path: Path) -> None:
    new = against(runs["head"], read_baseline(runs["base_json"]))
    doc = json.loads(render(new, "json"))
    (violation,) = [v for v in _stack(doc, "aws-g6-serve")["violations"] if v["policy"] == "max-accelerators"]
    assert violation["baseline"] == "new"
    assert doc["baseline"]["new_violations"] == {"mandatory": 1}
    change = " ".join(render(new, "text").split("\n\n", 1)[0].split())  # the headline (wrapped) and the stacks
    assert change.startswith("change against") and "1 new mandatory violation" in change
    # against itself every violation was already there, and it still fails: a base-branch violation blocks
    head_json = tmp_path / "head.json"
    head_json.write_text(render(runs["head"], "json"))
    same = against(runs["head"], read_baseline(head_json))
    marks = {v["baseline"] for s in json.loads(render(same, "json"))["stacks"] for v in s["violations"]}
    assert marks == {"present"}
    assert same.exit_code == new.exit_code == 1
    assert "a mandatory violation already on the baseline still fails the plan" in render(same, "text")
    sarif = json.loads(render(same, "sarif"))["runs"][0]["results"]
    assert {r["baselineState"] for r in sarif if r["level"] == "error"} == {"unchanged"}


def test_new_and_removed_stacks_are_named(runs: dict[str, Any], tmp_path: Path) -> None:
    data = json.loads(runs["base_json"].read_text())
    data["stacks"] = [s for s in data["stacks"] if s["stack"] != "gcp-l4-serve"]
    data["stacks"].append({"stack": "retired", "accelerators_max": 64, "monthly_cost_usd_max": 1000.0,
                           "violations": []})
    baseline = tmp_path / "base.json"
    baseline.write_text(json.dumps(data))
    doc = json.loads(render(against(runs["head"], read_baseline(baseline)), "json"))
    assert doc["baseline"]["new_stacks"] == ["gcp-l4-serve"]
    (removed,) = doc["baseline"]["removed_stacks"]
    assert (removed["stack"], removed["delta"]["accelerators_max"]) == ("retired", -64)
    assert _stack(doc, "gcp-l4-serve")["baseline"] is None
    assert _stack(doc, "gcp-l4-serve")["delta"]["accelerators_max"] == 8


def test_a_cost_counted_on_one_side_only_has_an_unknown_delta(runs: dict[str, Any], tmp_path: Path) -> None:
    data = json.loads(runs["base_json"].read_text())
    for entry in data["stacks"]:
        if entry["stack"] == "aws-p5-train":  # as if the file system had had no price on the base branch
            entry["unknown_parts"] = {"monthly_usd_max": ["llm-train-scratch-filesystem"]}
    baseline = tmp_path / "base.json"
    baseline.write_text(json.dumps(data))
    report = against(runs["head"], read_baseline(baseline))
    p5 = _stack(json.loads(render(report, "json")), "aws-p5-train")
    assert p5["delta"]["accelerators_max"] == 128
    assert p5["delta"]["monthly_cost_usd_max"] is None
    assert "per month at max scale: unknown (counted on one side only: llm-train-scratch-filesystem" \
        in " ".join(render(report, "text").split())  # the headline is wrapped at 100 characters


BAD = {
    "not JSON": ("{", "not valid JSON"),
    "no stacks": ('{"verdict": "pass"}', "expected an object with a `stacks` list"),
    "a bad figure": ('{"stacks": [{"stack": "a", "accelerators_max": "many"}]}',
                     "stacks[0].accelerators_max: expected a number"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_baseline_is_exit_2_before_anything_is_planned(
        case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, expected = BAD[case]
    baseline = tmp_path / "base.json"
    baseline.write_text(text)
    code = main(["plan", "--baseline", str(baseline), "--stacks-dir", str(tmp_path / "missing")])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert str(baseline) in err and expected in err
    assert "Traceback" not in err


def test_the_cli_writes_the_change_in_json(runs: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["plan", "--stacks-dir", str(runs["head_dir"]), "gcp-l4-serve", "--baseline", str(runs["base_json"]),
                 "--format", "json"])
    out, _ = capsys.readouterr()
    assert code == 0
    doc = json.loads(out)
    assert doc["baseline"]["removed_stacks"][0]["stack"] in {"aws-p5-train", "aws-g6-serve"}
    assert isinstance(runs["head"], PlanReport)
