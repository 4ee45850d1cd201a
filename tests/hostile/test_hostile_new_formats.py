"""The JUnit XML and GitHub annotation formats, and waivers in every format, escape what a pull request controls:
whatever a stack name, a resource name or a waiver's reason holds, JUnit is well-formed XML without control
characters, the annotations are exactly one workflow command per finding (none forged, none cut short), the text
report holds no control character or command, the Markdown comment no raw HTML, SARIF a valid JSON justification."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backbone.analyzer import PolicyInfo
from backbone.policies.inventory import Inventory
from backbone.report import render
from backbone.report.escape import terminal
from backbone.report.model import Capacity, Finding, PlanReport, StackReport, WaiverMark

EVIL = [
    '<img src=x onerror="alert(1)">',
    "]]><!--",
    "a\nb\r\nc",
    "line\n::error file=.github/workflows/plan.yml,line=1::forged",
    "%0A::error::forged",
    "\x1b[2J\x1b]0;title\x07red\x1b[31m",
    "\x00\ufffe\ud800",
    "key=value,line=9::x",
    "\u202eevil\u202c",
]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
COMMAND = re.compile(r"^::(error|warning|notice) ")


def report(stack: str, resource: str, reason: str) -> PlanReport:
    urn = f"urn:pulumi:{stack}::p::aws:eks/nodeGroup:NodeGroup::{resource}"
    waiver = WaiverMark("waived", "single-zone", reason, reason, "2099-01-01", f"{reason}: waivers[0]", stack,
                        resource)
    expired = WaiverMark("expired", "interconnect", reason, reason, "2001-01-01", f"{reason}: waivers[1]")
    findings = (
        Finding("single-zone", "advisory", urn, f"{resource} spans 6 zones", False, "backbone:cluster.zone", 7,
                urn, waiver),
        Finding("interconnect", "mandatory", urn, f"{resource} has no EFA", False, None, None, urn, expired),
        Finding("compact-placement", "advisory", urn, f"{resource}: {reason}", False, None, None, urn),
        Finding("accelerator-runtime", "advisory", "", f"unknown for {resource}", True, None, None, urn),
    )
    stale = WaiverMark("stale", "max-accelerators", reason, reason, "2099-01-01", reason, stack, resource)
    entry = StackReport(stack=stack, cloud="aws", file=f"stacks/Pulumi.{stack}.yaml",
                        resources_by_type={"aws:eks/nodeGroup:NodeGroup": 1}, capacity=Capacity.of(Inventory()),
                        findings=findings)
    policies = {p: PolicyInfo(p, "d", "mandatory") for p in ("single-zone", "interconnect", "compact-placement",
                                                             "accelerator-runtime", "max-accelerators")}
    return PlanReport(stacks=(entry,), policies=policies, pack="backbone", pack_version="1", stale_waivers=(stale,))


def check_junit(out: str) -> None:
    root = ET.fromstring(out)  # well-formed, whatever the names hold
    assert not CONTROL.search(out.replace("\n", "")), repr(out)
    assert len(root.findall("testsuite")) == 1
    assert [c.get("name") for c in root.iter("testcase")] == ["single-zone", "interconnect", "compact-placement",
                                                              "accelerator-runtime", "max-accelerators"]


def check_annotations(out: str) -> None:
    lines = out.split("\n")
    assert lines[-1] == ""
    # 2 violations, 1 waived, 1 cannot verify, 1 stale waiver: five commands and nothing else
    assert len(lines[:-1]) == 5, out
    for line in lines[:-1]:
        assert COMMAND.match(line), line
        assert not CONTROL.search(line) and "\r" not in line, repr(line)
        properties, _, message = line.partition("::")[2].partition("::")
        # in the properties, every comma and colon a value held is encoded: the keys are ours alone
        assert re.fullmatch(r"(error|warning|notice) (file=[^,:]*,)?(line=[0-9]+,)?title=[^,:]*", properties), line
        assert "::" not in message or not message.startswith("::")


def check_text(out: str) -> None:
    assert not CONTROL.search(out.replace("\n", "")), repr(out)
    assert not any(line.lstrip().startswith("::") for line in out.splitlines()), out


def check_markdown(out: str) -> None:
    body = out.replace("<!-- backbone-plan -->", "")
    assert not re.search(r"<[a-zA-Z!/]", body), body
    assert not CONTROL.search(out.replace("\n", ""))


def check_sarif(out: str) -> None:
    results = json.loads(out)["runs"][0]["results"]
    [suppressed] = [r for r in results if "suppressions" in r]
    assert suppressed["suppressions"][0]["status"] == "accepted"


CHECKS = {"junit": check_junit, "github": check_annotations, "text": check_text, "markdown": check_markdown,
          "sarif": check_sarif}


@pytest.mark.parametrize("fmt", sorted(CHECKS))
@pytest.mark.parametrize("text", EVIL)
def test_hostile_names_and_reasons(fmt: str, text: str) -> None:
    CHECKS[fmt](render(report(text, text, text), fmt))


@settings(max_examples=150, deadline=None)
@given(stack=st.text(min_size=1, max_size=40), resource=st.text(min_size=1, max_size=40),
       reason=st.text(min_size=1, max_size=80))
def test_no_string_yields_a_control_character_raw_markup_or_a_workflow_command(stack: str, resource: str,
                                                                                reason: str) -> None:
    built = report(stack, resource, reason)
    for fmt, check in CHECKS.items():
        check(render(built, fmt))


@given(message=st.text(max_size=200))
def test_an_annotation_is_always_one_line_that_decodes_to_the_message(message: str) -> None:
    from backbone.report.github import command

    line = command("error", message, file="a,b:c", line=3)
    assert "\n" not in line and "\r" not in line
    assert line.startswith("::error file=a%2Cb%3Ac,line=3::")
    body = line.split("::", 2)[2]
    lines = message.replace("\r", "").replace("\n", "")
    if terminal(lines) == lines:  # nothing but line breaks to encode: what the runner shows is the message itself
        assert body.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%") == message
