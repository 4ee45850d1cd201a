"""One version, said the same everywhere: the installed distribution's metadata, ``backbone --version``, the pack's
``PulumiPolicy.yaml`` (which the Pulumi CLI reports for the pack) and every report of a real plan — SARIF
``tool.driver``, the JSON report's ``tool`` and ``schema_version``, the Markdown summary line."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

import jsonschema
import pytest
import yaml

from backbone.cli import main
from backbone.plan import PACK_DIR
from backbone.stackfile import PROJECT_ROOT

VERSION = version("backbone")
SARIF_SCHEMA = json.loads((PROJECT_ROOT / "backbone" / "data" / "sarif-schema-2.1.0.json").read_text())


def test_the_version_is_a_release_number() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION), VERSION  # semantic versioning: MAJOR.MINOR.PATCH


def test_backbone_version_prints_the_distributions_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"backbone {VERSION}\n"


def test_the_packs_policy_yaml_says_the_same_version() -> None:
    assert str(yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())["version"]) == VERSION


def test_every_report_of_a_plan_names_the_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stack = PROJECT_ROOT / "stacks" / "Pulumi.aws-g6-serve.yaml"
    outputs = {fmt: tmp_path / f"plan.{fmt}" for fmt in ("json", "sarif", "markdown")}
    argv = ["plan", str(stack)]
    for fmt, path in outputs.items():
        argv += ["--format", fmt, "--output", str(path)]
    assert main(argv) == 0, capsys.readouterr().err
    sarif = json.loads(outputs["sarif"].read_text())
    jsonschema.validate(sarif, SARIF_SCHEMA)
    driver = sarif["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["semanticVersion"]) == ("backbone", VERSION, VERSION)
    report = json.loads(outputs["json"].read_text())
    assert report["schema_version"] == 1
    assert report["tool"] == {"name": "backbone", "version": VERSION}
    assert report["policy_pack"] == {"name": "backbone", "version": VERSION}
    summary = next(line for line in outputs["markdown"].read_text().splitlines() if "policy pack" in line)
    assert summary.endswith(f"· policy pack `backbone` {VERSION} · Backbone {VERSION}")
