"""The example pull-request workflow runs on pull requests and calls ``backbone plan`` once, with options
and formats the command really has (a renamed option would otherwise break CI silently)."""

from __future__ import annotations

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
    (command,) = [line for script in scripts for line in script.splitlines() if "backbone plan" in line]
    argv = shlex.split(re.sub(r"\$\{\{[^}]*\}\}", "", command).split("backbone plan", 1)[1])
    args = _parser().parse_args(["plan", *argv])
    # one plan writes both reports, each format to its own file
    assert dict(zip(args.format, args.output, strict=True)) == {"sarif": "backbone.sarif", "markdown": "plan.md"}
    assert "pulumi preview --policy-pack policies" in WORKFLOW.read_text()
