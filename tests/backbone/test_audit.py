"""``backbone audit STATE.json`` on hand-written ``pulumi stack export`` files (tests/backbone/fixtures/states/,
programs Backbone did not write): the same pack judges the deployed values, exit codes as for plan."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from backbone.cli import main
from backbone.report import render
from backbone.state import read_state

STATES = Path(__file__).parent / "fixtures" / "states"
P5_NO_EFA = STATES / "aws-p5-no-efa.json"
BALANCED = STATES / "gcp-tpu-balanced.json"
SECRET_SIG = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}


def audit(capsys: pytest.CaptureFixture[str], state: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["audit", str(state), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def edited(tmp_path: Path, source: Path, edit: Any) -> Path:
    data = json.loads(source.read_text())
    edit(data["deployment"]["resources"])
    path = tmp_path / source.name
    path.write_text(json.dumps(data))
    return path


def resource(resources: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(r for r in resources if r["urn"].endswith("::" + name))


def test_a_deployed_p5_group_without_efa_is_blocked(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = audit(capsys, P5_NO_EFA, "--format", "json")
    assert code == 1, err
    (stack,) = json.loads(out)["stacks"]
    assert (stack["stack"], stack["cloud"], stack["verdict"]) == ("prod", "aws", "fail")
    (interconnect,) = [v for v in stack["violations"] if v["policy"] == "interconnect"]
    assert interconnect["level"] == "mandatory" and interconnect["resource"] == "h100-nodes"
    # the launch template is linked by its id (the state records no property dependency for it), the pool
    # trains (its launch template has a cluster placement group), and the
    # subnet's zone comes from its outputs (the program never set it)
    assert "0 EFA interface(s) configured where p5.48xlarge has 32" in interconnect["message"]
    assert (stack["accelerators_min"], stack["accelerators_max"]) == (16, 32)
    (warm,) = stack["excess"]
    assert (warm["kind"], warm["resource"], warm["accelerators"]) == ("warm-at-minimum", "h100-nodes", 16)
    assert warm["monthly_cost_usd"] == pytest.approx(2 * 55.04 * 730)


def test_a_balanced_deployed_stack_passes_with_nothing_left_unverified(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = audit(capsys, BALANCED, "--format", "json")
    assert code == 0, err
    (stack,) = json.loads(out)["stacks"]
    assert stack["violations"] == [] and stack["cannot_verify"] == [] and stack["excess"] == []
    assert stack["unknown_parts"] == {}
    # Parallelstore capacityGib 12,000 is 12 TiB: Google states --capacity-gib 12000..100000 in multiples of 4000 as
    # "12 TiB to 100 TiB in multiples of 4" (cloud.google.com/parallelstore/docs/create-instance)
    assert (stack["accelerators_max"], stack["storage_tib"]) == (8, pytest.approx(12))
    # two values are encrypted in the state; no policy needs them, and the user is told which they are
    assert "2 value(s) are encrypted in the state" in err and "wandb-key.secretData" in err


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif"])
def test_no_report_prints_a_secret(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The launch template's instance type exported with --show-secrets: the pack judges the value (the
    group is still blocked) and no report prints it, nor any ciphertext of the state."""
    def secret_instance_type(resources: list[dict[str, Any]]) -> None:
        template = resource(resources, "h100-template")
        for side in ("inputs", "outputs"):
            template[side]["instanceType"] = {**SECRET_SIG, "plaintext": '"p5.48xlarge"'}
        resource(resources, "h100-nodes")["outputs"].pop("instanceTypes")
    state = edited(tmp_path, P5_NO_EFA, secret_instance_type)
    code, out, _ = audit(capsys, state, "--format", fmt)
    assert code == 1
    assert "p5.48xlarge" not in out
    assert "[secret]" in out.replace("\\[", "[").replace("\\]", "]")  # Markdown escapes the brackets
    assert "v1:Hq3xWm0fT1sZk9pA" not in out  # the kubeconfig's ciphertext


def test_an_encrypted_deciding_value_cannot_be_verified(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only the secrets provider can read a ciphertext: the pack says "cannot verify", never a silent pass."""
    def encrypted_instance_type(resources: list[dict[str, Any]]) -> None:
        template = resource(resources, "h100-template")
        for side in ("inputs", "outputs"):
            template[side]["instanceType"] = {**SECRET_SIG, "ciphertext": "v1:c2VjcmV0:aW5zdGFuY2U="}
        resource(resources, "h100-nodes")["outputs"].pop("instanceTypes")
    code, out, err = audit(capsys, edited(tmp_path, P5_NO_EFA, encrypted_instance_type), "--format", "json")
    (stack,) = json.loads(out)["stacks"]
    assert any(f["policy"] == "interconnect" and f["resource"] == "h100-nodes" for f in stack["cannot_verify"])
    assert "h100-template.instanceType" in err
    assert code == 0  # "cannot verify" is shown, and blocks only with strict: true (as for plan)


def test_a_file_system_without_a_training_pool_is_excess(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def no_pool(resources: list[dict[str, Any]]) -> None:
        resources.remove(resource(resources, "v5p-slice"))
    code, out, _ = audit(capsys, edited(tmp_path, BALANCED, no_pool), "--format", "json")
    assert code == 0
    (item,) = json.loads(out)["stacks"][0]["excess"]
    assert (item["kind"], item["resource"]) == ("storage-without-training", "scratch")
    assert item["monthly_cost_usd"] == pytest.approx(12 * 140)  # catalog: Parallelstore $140 per TiB-month


def test_a_pool_above_its_declared_workload_is_excess(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tiny training run declared next to a 2-host v5p slice: the accelerators beyond its need."""
    def declare(resources: list[dict[str, Any]]) -> None:
        stack = resources[0]["urn"]
        resources.append({
            "urn": "urn:pulumi:europe::tpu-research::backbone:index:Workload::run", "custom": False,
            "type": "backbone:index:Workload", "parent": stack,
            "inputs": {"kind": "training", "params": "100M", "tokens": "1B", "days": 30},
            "outputs": {"kind": "training"},
        })
    code, out, _ = audit(capsys, edited(tmp_path, BALANCED, declare), "--format", "json")
    stack = json.loads(out)["stacks"][0]
    (item,) = [e for e in stack["excess"] if e["kind"] == "above-workload"]
    assert item["resource"] == "v5p-slice" and 0 < item["accelerators"] < 8
    assert "the declared workload needs" in item["message"]
    assert code == 1 and any(v["policy"] == "workload-fit" for v in stack["violations"])


BAD = {
    "not JSON": ("{", "not valid JSON"),
    "not an export": ('{"resources": []}', "not a stack export"),
    "old version": ('{"version": 2, "deployment": {"resources": []}}', "only version 3"),
    "a resource without urn": ('{"version": 3, "deployment": {"resources": [{"type": "aws:s3/bucket:Bucket"}]}}',
                               "deployment.resources[0]: a resource needs `urn`"),
    "no resources": ('{"version": 3, "deployment": {"resources": []}}', "nothing to audit"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_state_is_exit_2_with_file_and_entry(case: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    text, expected = BAD[case]
    state = tmp_path / "state.json"
    state.write_text(text)
    code, out, err = audit(capsys, state)
    assert code == 2
    assert out == "" and str(state) in err and expected in err and "Traceback" not in err


def test_reading_a_state(tmp_path: Path) -> None:
    def pending_delete(resources: list[dict[str, Any]]) -> None:
        gone = copy.deepcopy(resource(resources, "scratch"))
        gone["delete"] = True
        gone["urn"] += "-old"
        resources.append(gone)
    state = read_state(edited(tmp_path, P5_NO_EFA, pending_delete))
    assert (state.project, state.stack) == ("research-gpu", "prod")
    assert not any(r.urn.endswith("-old") for r in state.resources)  # pending deletion: left out
    nodes = next(r for r in state.resources if r.name == "h100-nodes")
    assert nodes.provider == "urn:pulumi:prod::research-gpu::pulumi:providers:aws::default_7_11_0"
    assert nodes.property_dependencies["launchTemplate"] == [
        "urn:pulumi:prod::research-gpu::aws:ec2/launchTemplate:LaunchTemplate::h100-template"]
    stack = next(r for r in state.resources if r.type == "pulumi:pulumi:Stack")
    assert "ciphertext" not in json.dumps(stack.outputs)
    assert state.encrypted == ("research-gpu-prod.kubeconfig",)


def test_the_text_report_of_an_audit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = audit(capsys, P5_NO_EFA)
    assert code == 1
    assert "    MANDATORY  interconnect · h100-nodes" in out
    assert "  provisioned beyond need\n    accelerators warm at minimum size · h100-nodes ($80,358 per month)" in out
    assert render  # the same renderers as plan


def test_your_catalog_file_reprices_a_deployed_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`audit --catalog FILE`: a row giving only your p5.48xlarge price (cited) replaces that figure; the pack
    (another process) prices the warm nodes with it and the report names the file and the row."""
    import yaml

    ours = tmp_path / "ours.yaml"
    ours.write_text(yaml.safe_dump({
        "cloud": "aws",
        "sources": {"contract": {"url": "https://wiki.example.com/contract-2026.pdf", "as_of": "2026-11-01"}},
        "instances": [{"instance_type": "p5.48xlarge", "on_demand_usd_per_hour": 40.0, "price_region": "us-east-1",
                       "price_as_of": "2026-11-01", "cite": {"contract": ["on_demand_usd_per_hour"]}}]}))
    code, out, err = audit(capsys, P5_NO_EFA, "--format", "json", "--catalog", str(ours))
    assert code == 1, err
    document = json.loads(out)
    (stack,) = document["stacks"]
    (warm,) = stack["excess"]
    assert warm["monthly_cost_usd"] == pytest.approx(2 * 40.0 * 730)
    # the figures the row does not give stay: 32 EFA interfaces, 8 GPUs a node
    (interconnect,) = [v for v in stack["violations"] if v["policy"] == "interconnect"]
    assert "where p5.48xlarge has 32" in interconnect["message"]
    assert document["catalog_files"] == [{"file": str(ours.resolve()), "added": [], "replaced": ["aws/p5.48xlarge"]}]
