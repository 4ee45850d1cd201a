"""Reports escape for where they are shown: whatever a PR puts in a name, a zone, a file name or a message,
the Markdown comment holds no raw HTML and no escaped code span, the text report no control character or
workflow command, SARIF a percent-encoded URI — and the comment fits GitHub's limit."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backbone.analyzer import PolicyInfo
from backbone.policies.inventory import Inventory
from backbone.report import render
from backbone.report.escape import markdown_code, markdown_text, terminal, uri
from backbone.report.markdown import COMMENT_LIMIT
from backbone.report.model import Capacity, Finding, PlanReport, StackReport
from tests.hostile.conftest import SMALL, backbone

EVIL = [
    '<img src=x onerror="alert(1)">',
    "<script>fetch('//x')</script>",
    "a`b``c```",
    "line\n::error file=.github/workflows/plan.yml,line=1::forged",
    "\x1b[2J\x1b]0;title\x07red\x1b[31m",
    "| cell | split |",
    "[click](javascript:alert(1))",
    "\u202eevil\u202c",
]


def _report(text: str, findings: int = 1) -> PlanReport:
    found = tuple(Finding(policy=f"p-{text}", level="mandatory", urn=f"urn:pulumi:s::p::t::{text}",
                          message=f"found {text} {i}", cannot_verify=False, config_path=f"backbone:cluster.{text}",
                          line=3) for i in range(findings))
    stack = StackReport(stack=text, cloud=text, file=f"stacks/Pulumi.{text}.yaml", resources_by_type={text: 1},
                        capacity=Capacity.of(Inventory()), findings=found)
    return PlanReport(stacks=(stack,), policies={"p": PolicyInfo("p", "d", "mandatory")}, pack=text,
                      pack_version=text)


def _no_raw_html(markdown: str) -> None:
    body = markdown.replace("<!-- backbone-plan -->", "")
    assert not re.search(r"<[a-zA-Z!/]", body), body


def _code_spans_closed(markdown: str) -> None:
    """Every line has balanced code fences: a run of N backticks is closed by a run of exactly N."""
    for line in markdown.splitlines():
        runs = re.findall(r"(?<!\\)`+", line)
        stack: list[int] = []
        for run in runs:
            if stack and stack[-1] == len(run):
                stack.pop()
            elif not stack:
                stack.append(len(run))
        assert not stack, line


@pytest.mark.parametrize("text", EVIL)
def test_markdown_has_no_raw_html_and_no_broken_code_span(text: str) -> None:
    out = render(_report(text), "markdown")
    _no_raw_html(out)
    _code_spans_closed(out)
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert all(line.startswith(("|", "#", "<!--", "⚠", "**")) or not line or line[0].isdigit()
               for line in out.splitlines()), out


@pytest.mark.parametrize("text", EVIL)
def test_text_has_no_control_characters_and_no_workflow_command(text: str) -> None:
    out = render(_report(text), "text")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", out), repr(out)
    assert not any(line.lstrip().startswith("::") for line in out.splitlines()), out


def test_a_message_whose_wrapped_line_starts_with_a_command_is_neutralised() -> None:
    out = render(_report("x " * 30 + "::error file=a::forged " + "y " * 40), "text")
    assert not any(line.lstrip().startswith("::") for line in out.splitlines()), out


@pytest.mark.parametrize("text", EVIL)
def test_sarif_uris_are_percent_encoded(text: str) -> None:
    sarif = json.loads(render(_report(text), "sarif"))
    for result in sarif["runs"][0]["results"]:
        for location in result["locations"]:
            value = location["physicalLocation"]["artifactLocation"]["uri"]
            assert re.fullmatch(r"[A-Za-z0-9._~/%-]+", value), value


def test_a_plan_with_thousands_of_findings_still_fits_a_pr_comment() -> None:
    out = render(_report("x" * 40, findings=5_000), "markdown")
    assert len(out) <= COMMENT_LIMIT < 65_536
    assert "more rows are not shown" in out and "artifact" in out
    assert out.count("| `") > 10  # the summary and the first findings are kept


@given(st.text(max_size=200))
def test_escapes_hold_for_any_text(text: str) -> None:
    assert not re.search(r"[\x00-\x1f\x7f]", terminal(text))
    assert "<" not in markdown_text(text) and "\n" not in markdown_text(text)
    code = markdown_code(text)
    assert "<" not in code and "\n" not in code
    fence = re.match(r"`+", code)
    if fence is not None:  # a code span: its fence is longer than any run of backticks inside
        inner = code[len(fence.group()):-len(fence.group())]
        assert code.endswith(fence.group())
        assert all(len(run) < len(fence.group()) for run in re.findall(r"`+", inner))
    assert re.fullmatch(r"[A-Za-z0-9._~/%-]*", uri(text))


def test_an_error_line_cannot_forge_an_annotation(tmp_path: Path) -> None:
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    evil_key = '"backbone:cluster\\n::error file=x::forged"'
    (stacks / "Pulumi.evil.yaml").write_text(SMALL.replace("  backbone:cluster:", f"  {evil_key}:", 1))
    run = backbone(["plan", "--stacks-dir", str(stacks), "evil"], tmp_path)
    run.assert_clean_failure(2)
    lines = run.err.splitlines()
    assert lines and lines[0].startswith("error: ")
    assert not any(line.lstrip().startswith("::") for line in lines), run.err
    assert "backbone:cluster\\n::error" in run.err  # the key's newline is shown, not obeyed


def test_a_stack_file_named_with_html_gives_a_comment_without_html(tmp_path: Path) -> None:
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    name = "Pulumi.x<img src=y onerror=z>`.yaml"
    (stacks / name).write_text(SMALL)
    out = tmp_path / "plan.md"
    run = backbone(["plan", str(stacks / name), "--format", "markdown", "--output", str(out)], tmp_path)
    assert run.code == 0, run.err  # the stack is fine; only its name is hostile
    text = out.read_text()
    _no_raw_html(text)
    assert "x&lt;img src=y onerror=z&gt;" in text  # shown, escaped


def test_a_policy_config_that_disables_everything_says_nothing_was_judged(tmp_path: Path) -> None:
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    (stacks / "Pulumi.small.yaml").write_text(SMALL)
    config = tmp_path / "off.json"
    config.write_text('{"all": "disabled"}')
    run = backbone(["plan", "--stacks-dir", str(stacks), "--policy-config", str(config)], tmp_path)
    assert run.code == 0 and "nothing was judged: the policy config disables every policy" in run.out
    config.write_text('{"interconnect": "advisory"}')
    run = backbone(["plan", "--stacks-dir", str(stacks), "--policy-config", str(config), "--format", "json"],
                   tmp_path)
    data = json.loads(run.out)
    assert data["policies_weakened"] == [{"policy": "interconnect", "level": "mandatory", "configured": "advisory"}]
    assert data["nothing_judged"] is False
