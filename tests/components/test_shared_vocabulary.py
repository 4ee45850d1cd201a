"""Every cloud's AcceleratorCluster speaks one vocabulary: the same output names with one meaning each —
``network`` and ``cluster`` provider resources, ``subnets`` role -> subnets (roles of
``backbone.core.vocabulary.SUBNET_ROLES``, never zones), ``pools`` / ``filesystems`` components by spec name,
``buckets`` provider resources by storage name — so stacks and platform teams read AWS, GCP and Azure the same
way. The checker is tested on clusters that break it, so this test can fail."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import pulumi
import pytest

from backbone.components.spec import ClusterSpec, from_config
from backbone.core.vocabulary import SUBNET_ROLES
from backbone.engine import preview_function
from backbone.stackfile import PROJECT_ROOT, read_stack

TRAINING_STACKS = {"aws": "aws-p5-train", "gcp": "gcp-a3mega-train", "azure": "azure-ndh100-train"}


def _resource(value: Any) -> bool:
    return isinstance(value, pulumi.CustomResource)


def vocabulary_problems(cluster: Any, spec: ClusterSpec) -> list[str]:
    """Where a built cluster leaves the shared vocabulary (empty when it speaks it)."""
    problems = [f"{name} is not a provider resource" for name in ("network", "cluster")
                if not _resource(getattr(cluster, name, None))]
    subnets = getattr(cluster, "subnets", {})
    if "nodes" not in subnets:
        problems.append(f"subnets has no 'nodes' role: {sorted(subnets)}")
    problems += [f"subnets key {key!r} is not a role ({', '.join(SUBNET_ROLES)})" for key in subnets
                 if key not in SUBNET_ROLES]
    problems += [f"subnets[{key!r}] is not a list of provider resources" for key, value in subnets.items()
                 if not (isinstance(value, list) and value and all(_resource(s) for s in value))]
    if set(cluster.pools) != {p.name for p in spec.node_pools}:
        problems.append(f"pools are {sorted(cluster.pools)}, not the spec's pool names")
    problems += [f"pools[{key!r}].pool is not a provider resource" for key, pool in cluster.pools.items()
                 if not _resource(getattr(pool, "pool", None))]
    if set(cluster.filesystems) != {s.name for s in spec.storage if s.kind != "bucket"}:
        problems.append(f"filesystems are {sorted(cluster.filesystems)}, not the spec's file systems")
    problems += [f"filesystems[{key!r}].filesystem is not a provider resource"
                 for key, fs in cluster.filesystems.items() if not _resource(getattr(fs, "filesystem", None))]
    if set(cluster.buckets) != {s.name for s in spec.storage if s.kind == "bucket"}:
        problems.append(f"buckets are {sorted(cluster.buckets)}, not the spec's buckets")
    problems += [f"buckets[{key!r}] is not a provider resource" for key, b in cluster.buckets.items()
                 if not _resource(b)]
    return problems


def _built(cloud: str) -> tuple[Any, ClusterSpec]:
    config = read_stack(PROJECT_ROOT / "stacks" / f"Pulumi.{TRAINING_STACKS[cloud]}.yaml").config
    spec = from_config(config).cluster
    assert spec is not None
    built: dict[str, Any] = {}

    def program() -> None:
        built["cluster"] = importlib.import_module(f"backbone.components.{cloud}").AcceleratorCluster(spec.name, spec)

    preview_function(program, "test", config)
    return built["cluster"], spec


@pytest.mark.parametrize("cloud", sorted(TRAINING_STACKS))
def test_every_cloud_speaks_the_shared_vocabulary(cloud: str) -> None:
    cluster, spec = _built(cloud)
    assert vocabulary_problems(cluster, spec) == []


def test_the_checker_fails_on_zone_keyed_subnets_and_pools_that_are_bare_resources() -> None:
    """main's AWS cluster keyed subnets by zone while GCP and Azure keyed them by role; the old test passed."""
    cluster, spec = _built("aws")
    zonal = SimpleNamespace(**{**vars(cluster), "subnets": {"us-east-1a": cluster.subnets["nodes"][:1]}})
    assert vocabulary_problems(zonal, spec) == ["subnets has no 'nodes' role: ['us-east-1a']",
                                                "subnets key 'us-east-1a' is not a role (nodes, filesystem, public)"]
    single = SimpleNamespace(**{**vars(cluster), "subnets": {"nodes": cluster.subnets["nodes"][0]}})
    assert vocabulary_problems(single, spec) == ["subnets['nodes'] is not a list of provider resources"]
    bare = SimpleNamespace(**{**vars(cluster), "pools": {n: p.pool for n, p in cluster.pools.items()}})
    assert vocabulary_problems(bare, spec) == [f"pools[{n!r}].pool is not a provider resource" for n in cluster.pools]
