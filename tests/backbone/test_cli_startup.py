"""``backbone --help`` starts without importing any command (they take seconds to import together), and a
command imports its own module, not the others'. Checked by the modules a run leaves loaded, never by a clock."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from backbone.help_text import COMMANDS

_LOADED = """
import contextlib, io, json, sys
from backbone.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main(sys.argv[1:])
print(json.dumps(sorted(sys.modules)))
"""


def _loaded(*argv: str) -> set[str]:
    run = subprocess.run([sys.executable, "-c", _LOADED, *argv], capture_output=True, text=True, timeout=120,
                         check=True)
    return set(json.loads(run.stdout.splitlines()[-1]))


def test_help_imports_no_command_and_no_sdk() -> None:
    loaded = _loaded("--help")
    assert not {module for module, _ in COMMANDS.values()} & loaded
    assert not {"pulumi", "pydantic", "grpc", "backbone.components"} & loaded


def test_help_lists_every_command_with_its_help() -> None:
    run = subprocess.run([sys.executable, "-m", "backbone", "--help"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0
    text = " ".join(run.stdout.split())
    for name, (_, help_) in COMMANDS.items():
        assert f"{name} {help_}" in text


@pytest.mark.parametrize("command", ["catalog", "schema"])
def test_a_command_imports_its_own_module_not_the_others(command: str) -> None:
    loaded = _loaded(command)
    assert COMMANDS[command][0] in loaded
    assert not {"backbone.plan", "backbone.audit", "backbone.engine", "backbone.analyzer"} & loaded


def test_an_unknown_command_is_bad_input_listing_the_commands() -> None:
    run = subprocess.run([sys.executable, "-m", "backbone", "plam"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "invalid choice: 'plam'" in run.stderr and "plan" in run.stderr
