"""Property-based: whatever a pull request puts in a stack name, a resource name, a policy name, a config path or
a message, every output medium stays inert — the text report and its CI annotations carry no control character
and no line a runner reads as a workflow command; the Markdown comment no raw HTML and no table row with extra
cells, and a code span gives back exactly its value; SARIF stays valid against the SARIF 2.1.0 schema and says
what it was given."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from backbone.analyzer import PolicyInfo
from backbone.policies.inventory.facts import Inventory
from backbone.report import markdown, sarif, text
from backbone.report.escape import log_lines, markdown_code, terminal
from backbone.report.model import Capacity, Finding, PlanReport, StackReport

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "backbone" / "data" / "sarif-schema-2.1.0.json")
                    .read_text())
SARIF_SCHEMA = jsonschema.Draft4Validator(SCHEMA)
"""Built once: ``jsonschema.validate`` checks the whole schema again on every call, which made this the slowest
test of the mutation run (22 s for 150 examples)."""
PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What is dangerous, by medium: C0/C1 controls, DEL, line/paragraph separators and bidi controls (Unicode);
# GitHub's workflow commands (`::name …::`, after leading blanks); raw HTML tags and comments in a comment.
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
COMMAND = re.compile(r"^\s*::")
RAW_HTML = re.compile(r"<[a-zA-Z!/?]")

# text biased towards what breaks things, plus anything Unicode has
NASTY = st.sampled_from(["|", "`", "``", "<", ">", "&", "::error::", "\n", "\r", "\x1b[31m", "\u202e", "\u2028",
                         "\x85", "\\", "*", "_", "[", "]", "<!--", "-->", "<script>", "&amp;", " ", "\t"])
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=8)), max_size=8).map("".join)


def _report(stack: str, resource: str, policy: str, message: str, path: str, file: str) -> PlanReport:
    urn = f"urn:pulumi:{stack}::p::aws:eks/nodeGroup:NodeGroup::{resource}"
    findings = (
        Finding(policy=policy, level="mandatory", urn=urn, message=message, cannot_verify=False, config_path=path,
                line=3, subject=urn),
        Finding(policy=policy, level="advisory", urn=urn, message=message, cannot_verify=False, subject=urn,
                program_file=file, program_line=7),
        Finding(policy=policy, level="advisory", urn="", message=message, cannot_verify=True, config_path=path),
    )
    report = StackReport(stack=stack, cloud=stack, file=file, resources_by_type={resource: 1},
                         capacity=Capacity.of(Inventory()), findings=findings)
    return PlanReport(stacks=(report,), policies={policy: PolicyInfo(policy, message, "mandatory")}, pack=stack,
                      pack_version=message)


REPORTS = st.builds(_report, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT)


@PROPERTIES
@given(REPORTS)
def test_the_text_report_has_no_control_character_and_no_workflow_command(report: PlanReport) -> None:
    out = text.render(report)
    for line in out.split("\n"):
        assert not CONTROL.search(line), repr(line)
        assert not COMMAND.match(line), repr(line)


@PROPERTIES
@given(TEXT, TEXT)
def test_annotation_lines_never_start_a_workflow_command(first: str, message: str) -> None:
    for line in log_lines(message, first="::notice::" if not first else "- "):
        assert "\n" not in line and not CONTROL.search(line)
        assert not COMMAND.match(line) or line.startswith("::notice::")


def _cells(row: str) -> int:
    """Cells of a GFM table row: pipes not escaped with a backslash (GFM spec 0.29, tables extension)."""
    return len(re.findall(r"(?<!\\)\|", re.sub(r"\\\\", "", row))) - 1


@PROPERTIES
@given(REPORTS)
def test_the_markdown_comment_has_no_raw_html_and_no_extra_cells(report: PlanReport) -> None:
    out = markdown.render(report)
    body = out.replace("<!-- backbone-plan -->", "")
    assert not RAW_HTML.search(body)
    assert not CONTROL.search(out)
    columns = 0  # of the table being read: every row has as many cells as its header
    for line in out.split("\n"):
        if not line.startswith("|"):
            columns = 0
        elif columns == 0:
            columns = _cells(line)
        else:
            assert _cells(line) == columns, line


@PROPERTIES
@given(TEXT)
def test_a_code_span_gives_back_exactly_its_value(value: str) -> None:
    """GFM 6.1: a code span opens and closes on backtick runs of one length, one space each side is stripped when
    both are there; a table cell reads ``\\|`` as ``|``. Values with ``<``, ``>`` or ``&`` are text instead."""
    assume(value)  # the empty value is shown as a blank span
    shown = markdown_code(value)
    if re.search(r"[<>&]", value):
        assert not shown.startswith("`")
        return
    fence = re.match(r"`+", shown)
    assert fence is not None and shown.endswith(fence.group())
    inner = shown[len(fence.group()):-len(fence.group())]
    assert len(fence.group()) not in {len(run) for run in re.findall(r"`+", inner)}  # nothing inside closes it
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip(" "):
        inner = inner[1:-1]
    # a table cell reads `\|` as `|`, and the backslashes before a pipe were doubled
    shown_value = re.sub(r"(\\*)\\\|", lambda m: m.group(1)[: len(m.group(1)) // 2] + "|", inner)
    assert shown_value == terminal(value)


@PROPERTIES
@given(REPORTS)
def test_sarif_is_valid_and_says_what_it_was_given(report: PlanReport) -> None:
    document = json.loads(sarif.render(report))
    SARIF_SCHEMA.validate(document)
    (run,) = document["runs"]
    (finding,) = report.stacks[0].findings[:1]
    assert {r["ruleId"] for r in run["results"]} == {finding.policy}
    assert all(f"[{report.stacks[0].stack}]" in r["message"]["text"] for r in run["results"])
    assert [r["level"] for r in run["results"]] == ["error", "warning", "note"]
