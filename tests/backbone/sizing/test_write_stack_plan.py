"""Stacks written by ``--write-stack`` pass ``backbone plan`` — every policy of the pack, workload-fit
included — on every cloud, for a training run and an inference service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backbone.cli import main
from backbone.core import catalog

TRAIN = ["size", "train", "--params", "7B", "--tokens", "200B", "--days", "10"]
SERVE = ["size", "serve", "--model", "llama-3-70b", "--context", "8192", "--concurrency", "64",
         "--tokens-per-second", "2000"]


def test_written_stacks_pass_backbone_plan(tmp_path: Path, priced_catalog: catalog.Catalog,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    paths = []
    for cloud in catalog.CLOUDS:
        for kind, argv in (("train", TRAIN), ("serve", SERVE)):
            name = f"{kind}-{cloud}"
            assert main([*argv, "--cloud", cloud, "--write-stack", name, "--stacks-dir", str(tmp_path)]) == 0
            paths.append(str(tmp_path / f"Pulumi.{name}.yaml"))
    capsys.readouterr()
    code = main(["plan", *paths, "--format", "json"])
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert code == 0, err
    assert report["verdict"] == "pass"
    judged = {stack["stack"]: stack for stack in report["stacks"]}
    assert set(judged) == {Path(p).name.removeprefix("Pulumi.").removesuffix(".yaml") for p in paths}
    for name, stack in judged.items():
        assert (stack["verdict"], stack["violations"]) == ("pass", []), name
        assert not [c for c in stack["cannot_verify"] if c["policy"].startswith("workload-")], name
