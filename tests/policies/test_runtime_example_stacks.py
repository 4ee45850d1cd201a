"""The example stacks in stacks/, built by the real components with the runtime layer, pass accelerator-runtime
and storage-mount at mandatory level with nothing left unverified; without the layer (``runtime: false``) the
training stacks are blocked on their pools, and on their file systems where the CSI driver comes from the layer
(on GKE it is a cluster add-on, which stays)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from backbone.analyzer import PolicyPack
from backbone.engine import preview_program
from backbone.stackfile import PROJECT_ROOT, find_stacks, read_stack

STACKS = find_stacks(PROJECT_ROOT / "stacks")
MANDATORY = {"accelerator-runtime": {"enforcementLevel": "mandatory"},
             "storage-mount": {"enforcementLevel": "mandatory"}}
POLICIES = tuple(MANDATORY)


@pytest.mark.parametrize("path", STACKS, ids=[p.name for p in STACKS])
def test_example_stack_passes_both_runtime_policies_at_mandatory(pack: PolicyPack, path: Path) -> None:
    stack = read_stack(path)
    pack.configure(MANDATORY)
    found = [d for d in pack.judge(preview_program(PROJECT_ROOT, stack.name, stack.config)) if d.policy in POLICIES]
    assert [d.detail for d in found] == []


@pytest.mark.parametrize("path", [p for p in STACKS if "train" in p.name and "v5p" not in p.name],
                         ids=lambda p: p.name)
def test_training_stack_without_the_layer_is_blocked(pack: PolicyPack, path: Path) -> None:
    stack = read_stack(path)
    config = copy.deepcopy(stack.config)
    config["backbone:cluster"]["runtime"] = False
    pack.configure(MANDATORY)
    found = pack.judge(preview_program(PROJECT_ROOT, stack.name, config))
    blocked = {d.policy for d in found if d.policy in POLICIES and d.level == "mandatory" and not d.cannot_verify}
    expected = {"accelerator-runtime"} if "gcp" in path.name else set(POLICIES)
    assert blocked == expected, [d.detail for d in found if d.policy in POLICIES]


def test_plan_shows_what_pods_get_in_its_capacity_view(capsys: pytest.CaptureFixture[str]) -> None:
    from backbone.cli import main

    assert main(["plan", "aws-p5-train", "--format", "json"]) == 0
    [stack] = json.loads(capsys.readouterr().out)["stacks"]
    assert stack["runtime"] == "NVIDIA device plugin · EFA device plugin · FSx CSI · 1 volume"
    assert main(["plan", "aws-p5-train"]) == 0
    assert "runtime (to pods)       NVIDIA device plugin · EFA device plugin" in capsys.readouterr().out
    assert main(["plan", "aws-p5-train", "--format", "markdown"]) == 0
    assert "| `aws-p5-train` | NVIDIA device plugin · EFA device plugin · FSx CSI · 1 volume |" \
        in capsys.readouterr().out
