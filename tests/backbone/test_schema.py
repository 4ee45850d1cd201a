"""``backbone schema``: a JSON Schema that editors can use to check stack files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from backbone.cli import main
from backbone.stackfile import PROJECT_ROOT, find_stacks


def schema(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["schema"]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def test_schema_is_a_valid_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(capsys))


@pytest.mark.parametrize("path", find_stacks(PROJECT_ROOT / "stacks"), ids=lambda p: p.name)
def test_every_example_stack_validates_against_the_schema(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text()), schema(capsys))


def test_schema_rejects_a_typo_an_editor_should_underline(capsys: pytest.CaptureFixture[str]) -> None:
    doc = {"config": {"backbone:cluster": {"cloud": "aws", "name": "x", "region": "us-east-1", "zone": "us-east-1a",
                                           "nodePools": [{"name": "p", "instanceType": "g6.xlarge", "maxNode": 2}]}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema(capsys))


def test_unknown_command_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["plna"])
    assert exit_.value.code == 2
    assert "invalid choice: 'plna'" in capsys.readouterr().err
