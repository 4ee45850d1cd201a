"""The example pull-request workflow runs on pull requests and calls ``backbone plan`` once, with options
and formats the command really has (a renamed option would otherwise break CI silently)."""

from __future__ import annotations

import argparse
import re
import shlex

import yaml

from backbone.cli import _parser
from backbone.stackfile import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "plan.yml"


def test_the_workflow_plans_on_pull_requests_and_publishes_sarif_and_markdown() -> None:
    doc = yaml.safe_load(WORKFLOW.read_text())
    assert "pull_request" in doc[True]  # YAML 1.1 reads the key `on` as True
    steps = doc["jobs"]["plan"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert any(u.startswith("marocchino/sticky-pull-request-comment@") for u in uses)
    scripts = [s.get("run", "").replace("\\\n", " ") for s in steps]  # join continued lines
    (command,) = [line for script in scripts for line in script.splitlines() if ".venv/bin/backbone plan" in line]
    args = _parse(command)
    # one plan writes both reports, each format to its own file
    assert dict(zip(args.format, args.output, strict=True)) == {"sarif": "backbone.sarif", "markdown": "plan.md"}
    assert "pulumi preview --policy-pack policies" in WORKFLOW.read_text()


def _parse(line: str) -> argparse.Namespace:
    """``backbone plan …`` of a workflow line, with ``${{ … }}`` and shell variables left out."""
    argv = shlex.split(re.sub(r"\$\{\{[^}]*\}\}|\$config", "", line).split("backbone plan", 1)[1].rstrip(")"))
    return _parser().parse_args(["plan", *argv])


def test_the_workflow_plans_the_base_commit_and_posts_the_change_against_it() -> None:
    doc = yaml.safe_load(WORKFLOW.read_text())
    steps = {s.get("id"): s for s in doc["jobs"]["plan"]["steps"] if s.get("id")}
    base = steps["base"]["run"].replace("\\\n", " ")
    assert "github.event.pull_request.base.sha" in steps["base"]["env"]["BASE_SHA"]
    (command,) = [line for line in base.splitlines() if "backbone plan" in line]
    args = _parse(command.replace('"$GITHUB_WORKSPACE/baseline.json"', "baseline.json"))
    assert (args.format, args.output) == (["json"], ["baseline.json"])
    # the head's plan takes that report as its baseline, through the base step's output
    assert 'echo "args=--baseline baseline.json"' in base
    assert "${{ steps.base.outputs.args }}" in steps["plan"]["run"]
    assert _parser().parse_args(["plan", "--baseline", "baseline.json"]).baseline == "baseline.json"
