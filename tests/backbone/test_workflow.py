"""The GitHub workflows and the example CI pipelines hold on real runners: every action pinned to a commit (its
version in a comment), the pull request's code run only with a read-only token, SARIF uploaded with the
permissions code scanning needs and unable to fail a passing plan, forks judged with publishing skipped, a push
run on the default branch (the code-scanning baseline), the reports kept as an artifact, and ``backbone``
called with options the command really has (a renamed option would otherwise break CI silently).
``make test`` also runs zizmor and the workflow schemas over the same files."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from backbone.cli import _parser
from backbone.stackfile import PROJECT_ROOT

WORKFLOWS = PROJECT_ROOT / ".github" / "workflows"
EXAMPLES = PROJECT_ROOT / "examples" / "ci"
GITHUB_FILES = [*sorted(WORKFLOWS.glob("*.yml")), EXAMPLES / "github-sharded.yml"]
PUBLISHING = {"plan.yml": "publish", "plan-project.yml": "publish", "github-sharded.yml": "merge"}
"""Per workflow that publishes findings, the job that holds the write token (and runs no code of the PR)."""


def _load(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(path.read_text())
    return doc


def _on(doc: dict[str, Any]) -> dict[str, Any]:
    on: dict[str, Any] = doc[True]  # YAML 1.1 reads the key `on` as True
    return on


def _steps(doc: dict[str, Any], job: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = doc["jobs"][job]["steps"]
    return steps


@pytest.mark.parametrize("path", GITHUB_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_named(path: Path) -> None:
    uses = re.findall(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", path.read_text(), re.MULTILINE)
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s*#\s*v\d+(\.\d+)*", comment), f"{action}: no version comment"


@pytest.mark.parametrize("path", GITHUB_FILES, ids=lambda p: p.name)
def test_no_job_gets_more_than_it_asks_for(path: Path) -> None:
    doc = _load(path)
    assert "write" not in doc["permissions"].values(), "workflow-wide: read at most; a job asks for its writes"
    assert "pull_request_target" not in _on(doc) and "workflow_run" not in _on(doc)
    for name, job in doc["jobs"].items():
        writes = {k for k, v in job.get("permissions", doc["permissions"]).items() if v == "write"}
        if name == PUBLISHING.get(path.name):
            assert writes == {"security-events", "pull-requests"}
            assert job["permissions"]["actions"] == "read"  # upload-sarif in private repositories
            runs = [s["run"] for s in job["steps"] if "run" in s]
            assert not any("pip install -r" in r or "--project" in r for r in runs), "no PR code with a write token"
        elif path.name != "release.yml":
            assert not writes, f"job {name} runs the pull request's code: read-only"


@pytest.mark.parametrize("path", [p for p in GITHUB_FILES if p.name in PUBLISHING], ids=lambda p: p.name)
def test_publishing_skips_forks_and_cannot_fail_a_passing_plan(path: Path) -> None:
    doc = _load(path)
    job = doc["jobs"][PUBLISHING[path.name]]
    condition = " ".join(job["if"].split())
    assert "github.event.pull_request.head.repo.full_name == github.repository" in condition
    assert "github.event_name == 'push'" in condition
    steps = {s.get("uses", "").split("@")[0]: s for s in job["steps"]}
    sarif = steps["github/codeql-action/upload-sarif"]
    assert "# v4." in path.read_text().split("github/codeql-action/upload-sarif@", 1)[1].splitlines()[0]
    assert sarif["continue-on-error"] is True
    assert steps["marocchino/sticky-pull-request-comment"]["continue-on-error"] is True
    assert "github.event_name == 'pull_request'" in steps["marocchino/sticky-pull-request-comment"]["if"]


def test_backbones_own_plan_runs_on_pull_requests_and_pushes_to_main_and_keeps_its_reports() -> None:
    doc = _load(WORKFLOWS / "plan.yml")
    assert _on(doc)["push"]["branches"] == ["main"] and "pull_request" in _on(doc)
    steps = _steps(doc, "plan")
    artifact = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert artifact["if"] == "always()"
    assert {"backbone.sarif", "plan.md", "plan.json"} <= set(artifact["with"]["path"].split())
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip"
    scripts = [s.get("run", "").replace("\\\n", " ") for s in steps]
    (command,) = [line for script in scripts for line in script.splitlines() if ".venv/bin/backbone plan" in line]
    args = _parse(command)
    assert dict(zip(args.format, args.output, strict=True)) == {
        "sarif": "backbone.sarif", "markdown": "plan.md", "json": "plan.json"}
    assert "pulumi preview --policy-pack policies" in (WORKFLOWS / "plan.yml").read_text()


def _parse(line: str, command: str = "plan") -> argparse.Namespace:
    """``backbone plan …`` of a workflow line, shell arrays and ``${{ … }}`` left out."""
    tail = re.split(rf'backbone"? {command}', line, maxsplit=1)[1]
    tail = re.sub(r'"\$\{\w+\[@\]\}"|\$\{\{[^}]*\}\}|2>\s*\S+', "", tail).rstrip(")")
    return _parser().parse_args([command, *shlex.split(tail)])


def test_the_base_commit_is_planned_for_the_baseline() -> None:
    steps = _steps(_load(WORKFLOWS / "plan.yml"), "plan")
    base = next(s for s in steps if "baseline" in s.get("name", "") and "run" in s)
    assert base["if"] == "github.event_name == 'pull_request'"
    assert "github.event.pull_request.base.sha" in base["env"]["BASE_SHA"]
    script = base["run"].replace("\\\n", " ")
    (command,) = [line for line in script.splitlines() if "backbone plan" in line]
    args = _parse(command.replace('"$GITHUB_WORKSPACE/baseline.json"', "baseline.json"))
    assert (args.format, args.output) == (["json"], ["baseline.json"])
    plan = next(s for s in steps if s.get("id") == "plan")["run"]
    assert "args+=(--baseline baseline.json)" in plan


def test_the_reusable_workflow_works_when_copied_with_no_inputs() -> None:
    """Copied with ``pull_request`` in place of ``workflow_call``, every ``inputs.X`` is empty: each one either
    falls back to its default in the expression, or means "not given" when empty."""
    text = (WORKFLOWS / "plan-project.yml").read_text()
    doc = _load(WORKFLOWS / "plan-project.yml")
    inputs = _on(doc)["workflow_call"]["inputs"]
    empty_means_none = {name for name, spec in inputs.items() if spec.get("default") == ""} - {"backbone"}
    for name in re.findall(r"inputs\.([\w-]+)", text):
        if name in empty_means_none:
            continue
        assert re.search(rf"inputs\.{re.escape(name)} \|\| ", text), f"inputs.{name} has no fallback"
    assert "inputs.backbone || vars.BACKBONE_REQUIREMENT" in text
    install = next(s["run"] for s in _steps(doc, "plan") if s.get("name", "").startswith("Install Backbone"))
    assert 'pip install --quiet "$BACKBONE_REQUIREMENT"' in install
    assert "${{" not in install  # inputs reach scripts through the environment, never pasted into them


def test_the_reusable_workflows_plan_parses_with_the_real_parser() -> None:
    steps = _steps(_load(WORKFLOWS / "plan-project.yml"), "plan")
    script = next(s["run"] for s in steps if s.get("id") == "plan").replace("\\\n", " ")
    (command,) = [line for line in script.splitlines() if 'backbone/bin/backbone" plan' in line]
    args = _parse(command.replace('"${args[@]}"', "--project infra --invokes infra/invokes.yaml"))
    assert (args.project, args.invokes) == ("infra", "infra/invokes.yaml")
    assert dict(zip(args.format, args.output, strict=True)) == {
        "sarif": "backbone.sarif", "markdown": "plan.md", "json": "plan.json"}


def test_a_release_builds_checks_the_tag_attaches_and_publishes_when_enabled() -> None:
    doc = _load(WORKFLOWS / "release.yml")
    assert _on(doc) == {"push": {"tags": ["v*"]}}
    jobs = doc["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert any("python -m build" in s.get("run", "") for s in jobs["build"]["steps"])
    assert jobs["github-release"]["permissions"] == {"contents": "write"}
    assert "gh release upload" in jobs["github-release"]["steps"][-1]["run"]
    pypi = jobs["pypi"]
    assert pypi["permissions"] == {"id-token": "write"} and pypi["if"] == "vars.PUBLISH_TO_PYPI == 'true'"
    assert pypi["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert "with" not in pypi["steps"][-1], "trusted publishing: no password or token"


def test_the_test_workflow_covers_python_3_11_to_3_14() -> None:
    doc = _load(WORKFLOWS / "test.yml")
    assert doc["jobs"]["test"]["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13", "3.14"]
    pyproject = (PROJECT_ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.11,<3.15"' in pyproject


EXAMPLE_COMMANDS = [
    (EXAMPLES / "gitlab-ci.yml", "plan"),
    (EXAMPLES / "azure-pipelines.yml", "plan"),
    (EXAMPLES / "github-sharded.yml", "plan"),
    (EXAMPLES / "github-sharded.yml", "merge"),
]


@pytest.mark.parametrize(("path", "command"), EXAMPLE_COMMANDS, ids=lambda v: getattr(v, "name", v))
def test_the_example_pipelines_call_backbone_with_options_it_has(path: Path, command: str) -> None:
    text = re.sub(r"\\\n\s*|\n\s+(?=--)", " ", path.read_text())  # one line per command
    lines = [line for line in text.splitlines() if re.search(rf'bin/backbone"? {command} ', line)]
    assert lines, f"no backbone {command} in {path.name}"
    for line in lines:
        args = _parse(re.sub(r"\$\([\w.]+\)|\$\{?\w+\}?", "1", line), command)
        formats = args.format or []
        assert {"junit", "markdown"} <= set(formats) or command == "merge" or "--shard" in line, formats
