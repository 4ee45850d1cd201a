"""The stack-config models: cross-field rules and the messages a user reads."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from backbone.components.spec import ClusterSpec, from_config
from backbone.core.errors import ConfigError

BASE: dict[str, Any] = {
    "cloud": "aws",
    "name": "llm-train",
    "region": "us-east-1",
    "zone": "us-east-1a",
    "nodePools": [{"name": "h100", "instanceType": "p5.48xlarge", "minNodes": 0, "maxNodes": 16}],
    "storage": [{"name": "scratch", "kind": "lustre", "capacityTiB": 48, "throughputMBpsPerTiB": 500}],
}


def problems(cluster: dict[str, Any], **extra: Any) -> list[str]:
    try:
        from_config({"backbone:cluster": cluster, **extra}, file="stacks/Pulumi.t.yaml")
    except ConfigError as exc:
        return [str(p) for p in exc.problems]
    return []


def changed(path: str, value: Any) -> dict[str, Any]:
    """BASE with one value changed; ``path`` like ``nodePools.0.maxNodes``."""
    data = copy.deepcopy(BASE)
    node: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    last = parts[-1]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return data


_DELETE = object()


def test_the_base_stack_is_valid() -> None:
    spec = from_config({"backbone:cluster": BASE}).cluster
    assert spec.node_pools[0].max_nodes == 16
    assert spec.storage[0].capacity_tib == 48
    assert spec.node_pools[0].zones_in(spec.zone) == ["us-east-1a"]


def test_min_above_max_names_both_numbers_and_the_fix() -> None:
    (line,) = problems(changed("nodePools.0.minNodes", 20))
    assert line.startswith("stacks/Pulumi.t.yaml: backbone:cluster.nodePools[0]: ")
    assert "minNodes (20) is above maxNodes (16)" in line


def test_unknown_instance_type_lists_what_the_catalog_knows() -> None:
    (line,) = problems(changed("nodePools.0.instanceType", "p5.49xlarge"))
    assert "backbone:cluster.nodePools[0].instanceType" in line
    assert "'p5.49xlarge' is not in the aws catalog" in line
    assert "p5.48xlarge" in line


def test_an_instance_type_of_another_cloud_is_unknown_here() -> None:
    (line,) = problems(changed("nodePools.0.instanceType", "a3-megagpu-8g"))
    assert "not in the aws catalog" in line


def test_multi_zone_training_pool_is_rejected() -> None:
    (line,) = problems(changed("nodePools.0.zones", ["us-east-1a", "us-east-1b"]))
    assert "spans zones us-east-1a, us-east-1b" in line
    assert "give one zone" in line


def test_single_node_training_pool_may_name_any_one_zone_and_inference_may_span_zones() -> None:
    data = changed("nodePools.0.zones", ["us-east-1a", "us-east-1b"])
    data["nodePools"][0]["purpose"] = "inference"
    assert problems(data) == []


def test_zone_outside_the_region_is_rejected_with_an_example() -> None:
    (line,) = problems(changed("zone", "eu-west-1a"))
    assert "zone 'eu-west-1a' is not a zone of us-east-1 on aws (e.g. us-east-1a)" in line


@pytest.mark.parametrize(
    ("tier", "capacity", "expected"),
    [
        (300, 48, "has no 300 MB/s/TiB tier; allowed: 125, 250, 500, 1000"),
        (500, 3.0, "does not accept 3 TiB; allowed: 1.2 TiB, or 2.4 TiB and up in steps of 2.4 TiB "
                   "(nearest: 2.4 or 4.8 TiB)"),
        (500, 1.0, "allowed: 1.2 TiB, or 2.4 TiB and up in steps of 2.4 TiB (nearest: 1.2 TiB)"),
    ],
)
def test_storage_sizes_and_tiers_the_service_does_not_accept(tier: int, capacity: float, expected: str) -> None:
    data = changed("storage.0.throughputMBpsPerTiB", tier)
    data["storage"][0]["capacityTiB"] = capacity
    (line,) = problems(data)
    assert line.startswith("stacks/Pulumi.t.yaml: backbone:cluster.storage[0]: ")
    assert expected in line


def test_a_reservation_pool_must_name_its_reservation() -> None:
    (line,) = problems(changed("nodePools.0.capacity", "reservation"))
    assert "no reservation is named" in line


def test_a_capacity_block_pool_names_its_reservation_and_is_aws_only() -> None:
    (line,) = problems(changed("nodePools.0.capacity", "capacity-block"))
    assert "capacity is 'capacity-block' but no reservation is named" in line and "cr-" in line
    block = changed("nodePools.0.capacity", "capacity-block")
    block["nodePools"][0]["reservation"] = "cr-0123456789abcdef0"
    assert problems(block) == []
    block["nodePools"][0]["reservation"] = "my-block"
    (line,) = problems(block)
    assert "reservation 'my-block' is not an AWS capacity reservation id" in line
    gcp = {"cloud": "gcp", "name": "llm-train", "region": "us-central1", "zone": "us-central1-a",
           "nodePools": [{"name": "h100", "instanceType": "a3-megagpu-8g", "maxNodes": 2,
                          "capacity": "capacity-block", "reservation": "my-reservation"}]}
    (line,) = problems(gcp)
    assert "'capacity-block' is an AWS EC2 Capacity Block for ML; gcp has none" in line


def test_typos_are_unknown_keys_not_silently_ignored() -> None:
    (line,) = problems(changed("nodePools.0.maxNode", 3))
    assert "backbone:cluster.nodePools[0].maxNode: unknown key 'maxNode'" in line


def test_wrong_types_say_what_was_given() -> None:
    (line,) = problems(changed("nodePools.0.maxNodes", "lots"))
    assert "backbone:cluster.nodePools[0].maxNodes" in line
    assert "(got 'lots')" in line


def test_missing_cluster_and_unknown_namespace_keys() -> None:
    try:
        from_config({"backbone:clusterr": {}}, file="f.yaml")
    except ConfigError as exc:
        lines = [str(p) for p in exc.problems]
    assert "f.yaml: backbone:clusterr: unknown config key; allowed: cluster, workload" in lines
    assert "f.yaml: backbone:cluster: required, but missing" in lines


def test_every_problem_is_reported_at_once() -> None:
    data = changed("nodePools.0.minNodes", 20)
    data["storage"][0]["throughputMBpsPerTiB"] = 7
    assert len(problems(data)) == 2


def test_names_are_unique() -> None:
    data = copy.deepcopy(BASE)
    data["nodePools"].append(dict(data["nodePools"][0]))
    (line,) = problems(data)
    assert "nodePools names must be unique; repeated: h100" in line


def test_friendly_message_for_bad_names() -> None:
    (line,) = problems(changed("nodePools.0.name", "H100_pool"))
    assert "lowercase letters, digits and '-'" in line


def test_pulumi_config_json_text_is_accepted() -> None:
    import json

    assert from_config({"backbone:cluster": json.dumps(BASE)}).cluster.name == "llm-train"


def test_the_schema_uses_the_stack_file_names() -> None:
    schema = ClusterSpec.model_json_schema(by_alias=True)
    pool = schema["$defs"]["NodePoolSpec"]["properties"]
    assert {"instanceType", "minNodes", "maxNodes", "tpuTopology"} <= set(pool)
    assert {"capacityTiB", "throughputMBpsPerTiB"} <= set(schema["$defs"]["StorageSpec"]["properties"])


def test_each_broken_rule_of_one_pool_is_its_own_line() -> None:
    data = changed("nodePools.0.minNodes", 20)
    data["nodePools"][0]["zones"] = ["us-east-1a", "us-east-1b"]
    lines = problems(data)
    assert len(lines) == 2
    assert all(line.startswith("stacks/Pulumi.t.yaml: backbone:cluster.nodePools[0]: ") for line in lines)
    assert "minNodes (20) is above maxNodes (16)" in lines[0]
    assert "spans zones us-east-1a, us-east-1b" in lines[1]


def test_the_gpu_operator_is_refused_on_gke_and_accepted_elsewhere() -> None:
    gke = {"cloud": "gcp", "name": "llm-train", "region": "us-central1", "zone": "us-central1-a",
           "nodePools": [{"name": "h100", "instanceType": "a3-megagpu-8g", "maxNodes": 2}], "gpuDriver": "operator"}
    (line,) = problems(gke)
    assert "gpuDriver" in line and "Container-Optimized OS" in line and "keep 'managed'" in line
    assert problems({**gke, "gpuDriver": "managed"}) == []
    assert problems({**BASE, "gpuDriver": "operator"}) == []  # EKS: the plain AL2023 AMI takes the operator
