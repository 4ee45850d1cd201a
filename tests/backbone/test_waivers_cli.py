"""``--waivers FILE`` and waivers in the policy config, on plan (a hand-written project: examples/aws-eks-gpu, whose
``train`` stack blocks on single-zone, interconnect and storage-throughput for its node group ``h100-nodes``) and
per-stack policy config: a waived finding is shown with its reason in every format and fails nothing, an expired
waiver waives nothing and says so, a waiver that matches nothing is stale; bad waivers are exit 2 naming the
file, the entry and the key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backbone.cli import main
from backbone.stackfile import PROJECT_ROOT

AWS = PROJECT_ROOT / "examples" / "aws-eks-gpu"
BLOCKING = ("single-zone", "interconnect", "storage-throughput")


def entry(policy: str, **changes: str) -> dict[str, str]:
    return {"policy": policy, "stack": "tr*", "resource": "h100-nodes", "reason": f"accepted: {policy}",
            "owner": "ml-platform@example.com", "expires": "2099-12-31", **changes}


def waivers_file(tmp_path: Path, *entries: dict[str, Any]) -> Path:
    import yaml

    path = tmp_path / "waivers.yaml"
    path.write_text(yaml.safe_dump({"waivers": list(entries)}, sort_keys=False))
    return path


def plan(capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["plan", "--project", str(AWS), "--invokes", str(AWS / "invokes.yaml"), "train", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_every_blocking_finding_waived_passes_and_every_format_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    waivers = waivers_file(tmp_path, *(entry(p) for p in BLOCKING))
    outputs = {fmt: tmp_path / f"plan.{fmt}" for fmt in ("json", "sarif", "markdown", "text")}
    argv = [a for fmt, path in outputs.items() for a in ("-f", fmt, "-o", str(path))]
    code, _, err = plan(capsys, tmp_path, "--waivers", str(waivers), *argv)
    assert code == 0, err
    (stack,) = json.loads(outputs["json"].read_text())["stacks"]
    assert stack["verdict"] == "pass"
    assert {v["policy"] for v in stack["violations"]} & set(BLOCKING) == set()
    waived = {w["policy"]: w for w in stack["waived"]}
    assert set(waived) == set(BLOCKING)
    mark = waived["single-zone"]["waiver"]
    assert (mark["state"], mark["reason"], mark["owner"], mark["expires"]) == \
        ("waived", "accepted: single-zone", "ml-platform@example.com", "2099-12-31")
    assert mark["source"] == f"{waivers}: waivers[0]"
    results = json.loads(outputs["sarif"].read_text())["runs"][0]["results"]
    suppressed = {r["ruleId"]: r["suppressions"] for r in results if "suppressions" in r}
    assert set(suppressed) == set(BLOCKING)
    assert suppressed["interconnect"][0]["kind"] == "external"
    assert suppressed["interconnect"][0]["status"] == "accepted"
    assert suppressed["interconnect"][0]["justification"].startswith("accepted: interconnect (owner ")
    markdown = outputs["markdown"].read_text()
    assert "#### Waived" in markdown and "accepted: storage-throughput" in markdown
    text = outputs["text"].read_text()
    assert "WAIVED     single-zone · h100-nodes" in text
    assert "waived until 2099-12-31 by ml-platform@example.com: accepted: single-zone" in " ".join(text.split())


def test_an_expired_waiver_waives_nothing_and_the_report_says_it_expired(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    waivers = waivers_file(tmp_path, entry("single-zone"), entry("interconnect", expires="2001-01-01"),
                           entry("storage-throughput"))
    code, out, _ = plan(capsys, tmp_path, "--waivers", str(waivers), "-f", "json")
    assert code == 1
    document = json.loads(out)
    (stack,) = document["stacks"]
    [interconnect] = [v for v in stack["violations"] if v["policy"] == "interconnect"]
    assert interconnect["level"] == "mandatory"
    assert interconnect["waiver"]["state"] == "expired"
    assert [w["source"] for w in document["expired_waivers"]] == [f"{waivers}: waivers[1]"]


def test_a_waiver_that_matches_nothing_is_reported_stale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    waivers = waivers_file(tmp_path, entry("single-zone"), entry("max-accelerators", stack="prod-*"))
    code, out, _ = plan(capsys, tmp_path, "--waivers", str(waivers))
    assert code == 1  # interconnect and storage-throughput still block
    assert f"stale waiver: {waivers}: waivers[1] (max-accelerators, stack prod-*, resource h100-nodes)" in \
        " ".join(out.split())


def test_fail_on_advisory_counts_what_is_not_waived(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    waivers = waivers_file(tmp_path, *(entry(p) for p in BLOCKING))
    code, _, _ = plan(capsys, tmp_path, "--waivers", str(waivers), "--fail-on", "advisory")
    assert code == 1  # accelerator-runtime and compact-placement are advisory violations
    more = [*(entry(p) for p in BLOCKING), entry("accelerator-runtime"), entry("compact-placement")]
    code, out, _ = plan(capsys, tmp_path, "--waivers", str(waivers_file(tmp_path, *more)), "--fail-on", "advisory")
    assert code == 0, out


def test_waivers_and_per_stack_overrides_in_the_policy_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = {
        "single-zone": {"waivers": [{k: v for k, v in entry("single-zone").items() if k != "policy"}]},
        "stacks": {
            "tr*": {"interconnect": "advisory", "storage-throughput": {"enforcementLevel": "disabled"}},
            "dev": {"single-zone": "disabled"},
        },
    }
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(config))
    code, out, err = plan(capsys, tmp_path, "-c", str(path), "-f", "json")
    assert code == 0, err
    document = json.loads(out)
    (stack,) = document["stacks"]
    assert [w["policy"] for w in stack["waived"]] == ["single-zone"]
    assert stack["waived"][0]["waiver"]["source"] == f"{path}: single-zone.waivers[0]"
    levels = {v["policy"]: v["level"] for v in stack["violations"]}
    assert levels["interconnect"] == "advisory" and "storage-throughput" not in levels
    # the report shows that the overrides weakened a policy
    assert {"policy": "interconnect", "level": "mandatory", "configured": "advisory"} in \
        document["policies_weakened"]


def test_a_per_stack_override_applies_only_to_the_stacks_it_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"stacks": {"dev": {"interconnect": "disabled", "single-zone": "disabled",
                                                   "storage-throughput": "disabled"}}}))
    code, out, _ = plan(capsys, tmp_path, "-c", str(path), "-f", "json")
    assert code == 1
    (stack,) = json.loads(out)["stacks"]
    assert {"interconnect", "single-zone", "storage-throughput"} <= {v["policy"] for v in stack["violations"]}


@pytest.mark.parametrize(("entries", "path", "said"), [
    ([{**entry("single-zone"), "expires": "31/03/2027"}], "waivers[0].expires", "is not an ISO date"),
    ([{**entry("single-zone"), "expires": "2027-02-30"}], "waivers[0].expires", "is not an ISO date"),
    ([{k: v for k, v in entry("single-zone").items() if k != "reason"}], "waivers[0].reason", "required"),
    ([{k: v for k, v in entry("single-zone").items() if k != "owner"}], "waivers[0].owner", "required"),
    ([entry("single-zone"), {k: v for k, v in entry("x").items() if k != "policy"}], "waivers[1].policy",
     "required"),
    ([{**entry("single-zone"), "resrouce": "x"}], "waivers[0].resrouce", "unknown key"),
    ([{**entry("single-zone"), "owner": ""}], "waivers[0].owner", "expected a non-empty text"),
    (["just a string"], "waivers[0]", "expected a mapping"),
    # bounds: each waiver is matched against every finding, so a pull request cannot make the verdict crawl
    ([{**entry("single-zone"), "resource": "*a" * 251}], "waivers[0].resource", "502 characters; at most 500"),
    ([entry("single-zone")] * 1_001, "waivers", "1,001 entries; at most 1,000"),
])
def test_a_bad_waiver_is_exit_2_naming_file_entry_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entries: list[Any], path: str, said: str
) -> None:
    waivers = waivers_file(tmp_path, *entries)
    code, out, err = plan(capsys, tmp_path, "--waivers", str(waivers))
    assert code == 2
    assert out == ""
    assert f"error: {waivers}: {path}: " in err and said in err
    assert "Traceback" not in err


def test_a_waiver_of_a_policy_the_pack_does_not_have_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    waivers = waivers_file(tmp_path, entry("single-zone"), entry("singel-zone"))
    code, _, err = plan(capsys, tmp_path, "--waivers", str(waivers))
    assert code == 2
    assert f"error: {waivers}: waivers[1].policy: no policy 'singel-zone' in the pack; known: " in err


@pytest.mark.parametrize("text", ["- a list\n", "waiver: []\n", "waivers: {}\n", "waivers: [\n"])
def test_a_waivers_file_of_the_wrong_shape_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(text)
    code, _, err = plan(capsys, tmp_path, "--waivers", str(path))
    assert code == 2
    assert f"error: {path}: " in err and "Traceback" not in err


def test_a_bad_waiver_in_the_policy_config_is_exit_2_with_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"stacks": {"tr*": {"single-zone": {"waivers": [{"reason": "r", "owner": "o",
                                                                                 "expires": "soon"}]}}}}))
    code, _, err = plan(capsys, tmp_path, "-c", str(path))
    assert code == 2
    assert f"error: {path}: stacks.tr*.single-zone.waivers[0].expires: 'soon' is not an ISO date" in err


def test_audit_takes_the_same_waivers_for_the_deployed_stack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the exported state of stack "prod": a p5 group without EFA (interconnect blocks on h100-nodes)
    state = Path(__file__).parent / "fixtures" / "states" / "aws-p5-no-efa.json"
    other_stack = waivers_file(tmp_path, entry("interconnect", stack="staging"))
    code = main(["audit", str(state), "--waivers", str(other_stack), "-f", "json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1 and [w["stack"] for w in document["stale_waivers"]] == ["staging"]
    waivers = waivers_file(tmp_path, entry("interconnect", stack="prod"))
    code = main(["audit", str(state), "--waivers", str(waivers), "-f", "json"])
    document = json.loads(capsys.readouterr().out)
    (stack,) = document["stacks"]
    assert [w["policy"] for w in stack["waived"]] == ["interconnect"]
    assert "interconnect" not in {v["policy"] for v in stack["violations"]}
    assert code == 1  # storage-throughput still blocks (on the file system scratch): nothing waives it
    both = waivers_file(tmp_path, entry("interconnect", stack="prod"),
                        entry("storage-throughput", stack="prod", resource="scratch"))
    assert main(["audit", str(state), "--waivers", str(both), "-q"]) == 0
