"""The scheduled pin check: one command per chart, manifest and image, and a pin that does not resolve fails."""

from __future__ import annotations

from collections.abc import Sequence

from backbone.components.runtime import versions
from backbone.components.runtime.pin_check import checks, run


def test_every_pin_gets_a_check() -> None:
    todo = checks(versions.load())
    whats = [c.what for c in todo]
    assert "chart gpu-operator v25.10.1" in whats
    assert any(w.startswith("manifest ") and "nccl-rdma-installer" in w for w in whats)
    assert "image ubuntu:22.04" in whats and "image ubuntu" not in whats  # the pinned image, not the floating one
    assert any(c.argv[:3] == ("helm", "show", "chart") and "oci://public.ecr.aws/neuron/neuron-helm-chart" in c.argv
               for c in todo)
    assert len(whats) == len(set(whats))


def test_a_pin_that_does_not_resolve_is_reported() -> None:
    todo = checks(versions.load())

    def runner(argv: Sequence[str]) -> int:
        return 1 if "v25.10.1" in argv else 0
    assert [c.what for c in run(todo, runner)] == ["chart gpu-operator v25.10.1"]


def test_the_renovate_config_watches_the_versions_file() -> None:
    import json
    import re

    from backbone.stackfile import PROJECT_ROOT

    config = json.loads((PROJECT_ROOT / "renovate.json").read_text())
    text = (PROJECT_ROOT / "backbone/components/runtime/data/versions.yaml").read_text()
    matched = {}
    for manager in config["customManagers"]:
        for pattern in manager["matchStrings"]:
            # Renovate's named groups are Python's with a P
            matched[manager["datasourceTemplate"]] = re.findall(pattern.replace("(?<", "(?P<"), text)
    assert len(matched["helm"]) == 4  # the https charts; the OCI one is a docker datasource in Renovate's terms
    assert any("nccl-plugin-gib" in str(m) for m in matched["docker"])
    assert len(matched["git-refs"]) == len(re.findall(r"githubusercontent\.com/", text))
