"""storage-throughput on stacks of several training pools, in this process (test_storage_throughput_direct.py judges
one): without any file system the largest pool is named (the first by name among equals), whatever the order the
pools come in, with the throughput the fix needs and the Lustre capacity that would give it; only a throughput
declared outside the stack names the largest pool too; two pools of lower bounds are both said.

Figures: p5.48xlarge has 8 H100 (aws.amazon.com/ec2/instance-types/p5); 100 MB/s per accelerator is the rule's default
floor; FSx for Lustre PERSISTENT_2 offers 500 MB/s per TiB (docs.aws.amazon.com/fsx/latest/LustreGuide/
performance.html), the rate the fix suggests."""

from __future__ import annotations

from typing import Any

from test_max_accelerators_direct import named, unknown_type
from test_monthly_budget_direct import fsx

from backbone.policies.inventory import Inventory
from backbone.policies.rules.storage_throughput import StorageThroughput

RULE = StorageThroughput()


def found(pools: list[Any], systems: list[Any], **config: Any) -> list[tuple[str, str, str]]:
    return [(type(f).__name__, f.urn.rsplit("::", 1)[1], f.message)
            for f in RULE.check(Inventory(pools=pools, file_systems=systems), config)]


def test_without_a_file_system_the_largest_pool_is_named_with_the_capacity_that_would_feed_it() -> None:
    """16 + 128 = 144 H100 need 14,400 MB/s: 28.8 TiB at 500 MB/s/TiB."""
    small, large = named("small", max_nodes=2), named("large", max_nodes=16)
    expected = [("Violation", "large", (
        "2 × p5.48xlarge (16 nvidia-h100-80gb) + 16 × p5.48xlarge (128 nvidia-h100-80gb) train with no parallel file "
        "system in this stack (0 MB/s per accelerator); this stack needs ≥ 100 MB/s per accelerator = 14,400 MB/s: "
        "add a Lustre file system (e.g. 28.8 TiB at 500 MB/s/TiB), or declare the throughput of the file system in "
        "another stack that feeds them (externalMBps)"))]
    assert found([small, large], []) == expected
    assert [at for _, at, _ in found([large, small], [])] == ["large"]


def test_the_suggested_capacity_follows_the_floor() -> None:
    """128 H100 at 250 MB/s each: 32,000 MB/s = 64 TiB at 500 MB/s/TiB."""
    [(_, _, message)] = found([named("gpu", max_nodes=16)], [], minMBpsPerAccelerator=250)
    assert "this stack needs ≥ 250 MB/s per accelerator = 32,000 MB/s: add a Lustre file system (e.g. 64 TiB at " \
           "500 MB/s/TiB)" in message


def test_of_two_pools_of_one_size_the_first_by_name_is_named() -> None:
    assert [at for _, at, _ in found([named("b", max_nodes=8), named("a", max_nodes=8)], [])] == ["a"]
    assert [at for _, at, _ in found([named("a", max_nodes=8), named("b", max_nodes=8)], [])] == ["a"]
    declared = found([named("b", max_nodes=8), named("a", max_nodes=8)], [], externalMBps=100)
    assert [at for _, at, _ in declared] == ["a"]


def test_only_a_declared_throughput_names_the_largest_pool() -> None:
    small, large = named("small", max_nodes=2), named("large", max_nodes=16)
    assert [at for _, at, _ in found([small, large], [], externalMBps=1000)] == ["large"]
    assert [at for _, at, _ in found([large, small], [], externalMBps=1000)] == ["large"]


def test_two_pools_of_lower_bounds_are_both_said() -> None:
    """At least 100 + 100 accelerators on 1,250 MB/s: at most 6.25 MB/s each, short whatever the true counts."""
    [(_, at, message)] = found([unknown_type("one", 100), unknown_type("two", 100)], [fsx()])
    assert at == "scratch"
    assert ("(lower bounds: one: p7x.48xlarge is not in the catalog, but p7 is an accelerator family, so each node has "
            "at least 1 accelerator; two: p7x.48xlarge is not in the catalog") in message
    assert "(at most 6.25 MB/s per accelerator)" in message
