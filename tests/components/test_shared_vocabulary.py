"""Every cloud's AcceleratorCluster speaks one vocabulary: the same output names, each a provider resource
(or a dict of them), so stacks and platform teams read AWS, GCP and Azure the same way."""

from __future__ import annotations

import importlib
from typing import Any

import pulumi
import pytest

from backbone.engine import preview_function
from backbone.stackfile import PROJECT_ROOT, read_stack
from components.spec import from_config

TRAINING_STACKS = {"aws": "aws-p5-train", "gcp": "gcp-a3mega-train", "azure": "azure-ndh100-train"}


@pytest.mark.parametrize("cloud", sorted(TRAINING_STACKS))
def test_outputs_have_the_same_names_on_every_cloud(cloud: str) -> None:
    config = read_stack(PROJECT_ROOT / "stacks" / f"Pulumi.{TRAINING_STACKS[cloud]}.yaml").config
    spec = from_config(config).cluster
    built: dict[str, Any] = {}

    def program() -> None:
        built["cluster"] = importlib.import_module(f"components.{cloud}").AcceleratorCluster(spec.name, spec)

    preview_function(program, "test", config)
    cluster = built["cluster"]
    assert isinstance(cluster.network, pulumi.CustomResource)
    assert isinstance(cluster.cluster, pulumi.CustomResource)
    assert cluster.subnets and all(isinstance(s, pulumi.CustomResource) for s in cluster.subnets.values())
    assert set(cluster.pools) == {p.name for p in spec.node_pools}
    assert all(isinstance(p.pool, pulumi.CustomResource) for p in cluster.pools.values())
    assert set(cluster.filesystems) == {s.name for s in spec.storage if s.kind != "bucket"}
    assert all(isinstance(f.filesystem, pulumi.CustomResource) for f in cluster.filesystems.values())
    assert set(cluster.buckets) == {s.name for s in spec.storage if s.kind == "bucket"}
