"""The workflow other repositories call (``.github/workflows/plan-project.yml``): a reusable workflow (never
run on Backbone's own pull requests) that installs Backbone like a tool and runs one ``backbone plan
--project`` with options the command really has, publishing SARIF and a sticky comment."""

from __future__ import annotations

import re
import shlex

import yaml

from backbone.cli import _parser
from backbone.stackfile import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "plan-project.yml"


def test_it_is_reusable_and_publishes_sarif_and_a_sticky_comment() -> None:
    doc = yaml.safe_load(WORKFLOW.read_text())
    on = doc[True]  # YAML 1.1 reads the key `on` as True
    assert set(on) == {"workflow_call"}
    assert {"project", "stacks", "invokes", "policy-config", "backbone"} <= set(on["workflow_call"]["inputs"])
    uses = [s.get("uses", "") for s in doc["jobs"]["plan"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert any(u.startswith("marocchino/sticky-pull-request-comment@") for u in uses)


def test_backbone_is_installed_without_extras_and_not_editable() -> None:
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["plan"]["steps"]
    install = next(s["run"] for s in steps if s.get("name", "").startswith("Install Backbone"))
    assert 'pip install --quiet "$BACKBONE_REQUIREMENT"' in install
    assert " -e " not in install and "[dev]" not in install
    # inputs reach scripts through the environment, never pasted into them (no script injection)
    assert "${{" not in install


def test_the_plan_command_parses_with_the_real_parser() -> None:
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["plan"]["steps"]
    script = next(s["run"] for s in steps if s.get("id") == "plan").replace("\\\n", " ")
    (command,) = [line for line in script.splitlines() if "backbone/bin/backbone\" plan" in line]
    tail = command.split('backbone" plan', 1)[1]
    tail = tail.replace('"${args[@]}"', "--project infra --invokes infra/invokes.yaml").replace("$STACKS", "dev")
    argv = shlex.split(re.sub(r"2>\s*\S+", "", tail))
    args = _parser().parse_args(["plan", *argv])
    assert (args.project, args.invokes, args.stacks) == ("infra", "infra/invokes.yaml", ["dev"])
    assert dict(zip(args.format, args.output, strict=True)) == {"sarif": "backbone.sarif", "markdown": "plan.md"}
