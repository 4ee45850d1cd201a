"""``--format junit`` (one testcase per stack × policy, a failure per violation) checked against the structure of
the JUnit schema Jenkins' xUnit plugin publishes, and ``--format github`` (workflow commands GitHub Actions turns
into annotations), on a hand-written project (examples/aws-eks-gpu: ``train`` blocks, ``dev`` passes)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from backbone.cli import main
from backbone.stackfile import PROJECT_ROOT

AWS = PROJECT_ROOT / "examples" / "aws-eks-gpu"

# The JUnit schema as Jenkins reads it: jenkinsci/xunit-plugin, src/main/resources/org/jenkinsci/plugins/xunit/
# types/model/xsd/junit-10.xsd (commit 0c3752259ca17669b739481b2785a3e4cea1cc0f, read 2026-12-07): for each
# element, the children it may hold, the attributes it may carry and those it must carry.
JUNIT_10 = {
    "testsuites": ({"testsuite"}, {"name", "time", "tests", "failures", "disabled", "errors"}, set()),
    "testsuite": ({"testsuite", "properties", "testcase", "system-out", "system-err"},
                  {"name", "tests", "failures", "errors", "time", "disabled", "skipped", "skips", "timestamp",
                   "hostname", "id", "package", "assertions", "file", "skip", "log", "url"}, {"tests"}),
    "properties": ({"property"}, set(), set()),
    "property": (set(), {"name", "value"}, {"name", "value"}),
    "testcase": ({"skipped", "error", "failure", "rerunFailure", "rerunError", "system-out", "system-err"},
                 {"name", "assertions", "time", "timestamp", "classname", "status", "class", "file", "line", "log",
                  "group", "url"}, {"name"}),
    "failure": (set(), {"type", "message"}, set()),
    "error": (set(), {"type", "message"}, set()),
    "skipped": (set(), {"type", "message"}, set()),
    "system-out": (set(), set(), set()),
    "system-err": (set(), set(), set()),
}


def junit_problems(element: ET.Element, path: str = "") -> list[str]:
    """Where ``element`` and its children depart from ``JUNIT_10`` (empty: it conforms)."""
    here = f"{path}/{element.tag}"
    if element.tag not in JUNIT_10:
        return [f"{here}: no such element"]
    children, allowed, required = JUNIT_10[element.tag]
    problems = [f"{here}: attribute {a}" for a in set(element.attrib) - allowed]
    problems += [f"{here}: missing {a}" for a in required - set(element.attrib)]
    for child in element:
        if child.tag not in children:
            problems.append(f"{here}: child {child.tag}")
        problems += junit_problems(child, here)
    return problems


def plan(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["plan", "--project", str(AWS), "--invokes", str(AWS / "invokes.yaml"), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_junit_is_one_testcase_per_stack_and_policy_and_a_failure_per_violation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - policy: single-zone\n    stack: train\n    reason: zones from the reservation\n"
                       "    owner: ml-platform@example.com\n    expires: 2099-12-31\n")
    config = tmp_path / "policy.json"
    config.write_text('{"known-accelerator": "disabled"}')
    code, out, err = plan(capsys, "-f", "junit", "--waivers", str(waivers), "-c", str(config))
    assert code == 1, err
    root = ET.fromstring(out)
    assert junit_problems(root) == []
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"dev", "train"}
    policies = {c.get("name") for c in suites["train"].findall("testcase")}
    assert {"single-zone", "interconnect", "storage-throughput", "max-accelerators"} <= policies
    for suite in suites.values():
        cases = suite.findall("testcase")
        assert len(cases) == len(policies) == int(suite.get("tests", "-1"))
        assert int(suite.get("failures", "-1")) == sum(len(c.findall("failure")) for c in cases)
        assert all(c.get("classname") == f"backbone.{suite.get('name')}" for c in cases)
    train = {c.get("name"): c for c in suites["train"].findall("testcase")}
    [failure] = train["interconnect"].findall("failure")
    assert failure.get("type") == "mandatory"
    assert (failure.get("message") or "").startswith("h100-nodes: training pool h100-nodes")
    assert train["max-accelerators"].findall("failure") == []  # a policy that passes is a passing testcase
    # waived: no failure, its reason in system-out; disabled: skipped
    assert train["single-zone"].findall("failure") == []
    assert "waived (zones from the reservation; owner ml-platform@example.com" in \
        (train["single-zone"].findtext("system-out") or "")
    assert train["known-accelerator"].find("skipped") is not None
    dev = {c.get("name"): c for c in suites["dev"].findall("testcase")}
    assert {f.get("type") for c in dev.values() for f in c.findall("failure")} <= {"advisory"}  # dev passes
    assert int(root.get("failures", "-1")) == sum(int(s.get("failures", "0")) for s in suites.values())


def test_github_annotations_one_command_per_finding(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = plan(capsys, "train", "-f", "github")
    assert code == 1
    lines = out.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    errors = [line for line in lines if line.startswith("::error ")]
    assert {re.search(r"title=([a-z-]+) ", line).group(1) for line in errors} == \
        {"single-zone", "interconnect", "storage-throughput"}  # type: ignore[union-attr]
    single_zone = next(line for line in errors if "title=single-zone" in line)
    # the program line that registered the node group (a hand-written program), where the diff shows it
    program = AWS / "infra" / "__main__.py"
    registered = 1 + program.read_text().splitlines().index("    aws.eks.NodeGroup(")
    assert re.match(rf"::error file=[^,]*examples/aws-eks-gpu/infra/__main__\.py,line={registered},"
                    r"title=single-zone \(mandatory\) on train::h100-nodes: training pool", single_zone), single_zone
    assert any(line.startswith("::warning ") and "title=compact-placement (advisory)" in line for line in lines)
    assert any(line.startswith("::notice ") and "cannot verify in preview" in line for line in lines)
