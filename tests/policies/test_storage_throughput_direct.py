"""storage-throughput judged in this process on hand-built inventories: the MB/s each training accelerator gets
at max scale (p5.48xlarge: 8 H100 a node; FSx PERSISTENT_2: capacity × MB/s per TiB) against the floor (100 MB/s
by default) — every pool and file system of the cloud counted, the larger file system named for the fix, a
throughput declared outside the stack counted and named, and a lower bound of the accelerators deciding only when
the storage is short even for the fewest."""

from __future__ import annotations

from typing import Any

from hand_pools import CATALOG, pool
from test_max_accelerators_direct import named, unknown_type
from test_monthly_budget_direct import fsx

from backbone.policies.inventory import Inventory
from backbone.policies.rules.storage_throughput import StorageThroughput

RULE = StorageThroughput()
FIX = "or lower minMBpsPerAccelerator"


def found(pools: list[Any], systems: list[Any], **config: Any) -> list[tuple[str, str, str]]:
    return [(type(f).__name__, f.urn.rsplit("::", 1)[1], f.message)
            for f in RULE.check(Inventory(pools=pools, file_systems=systems), config)]


def fast() -> Any:
    """20 TiB at 500 MB/s/TiB = 10,000 MB/s."""
    return fsx(name="fast", urn="urn:pulumi:s::p::aws:fsx/lustreFileSystem:LustreFileSystem::fast", capacity_tib=20.0,
               throughput_mbps_per_tib=500.0, throughput_mbps=10_000.0)


def test_every_pool_and_file_system_of_the_cloud_is_counted_and_the_larger_system_named() -> None:
    pools = [pool(), named("small", max_nodes=2)]  # 128 + 16 = 144 H100
    # 1,250 + 10,000 = 11,250 MB/s for 144: 78.125 MB/s each, under 100 (14,400 MB/s needed)
    assert found(pools, [fsx(), fast()]) == [(
        "Violation", "fast",
        "16 × p5.48xlarge (128 nvidia-h100-80gb) + 2 × p5.48xlarge (16 nvidia-h100-80gb) are fed by 10 TiB of lustre "
        "at 125 MB/s/TiB = 1,250 MB/s + 20 TiB of lustre at 500 MB/s/TiB = 10,000 MB/s (78.1 MB/s per accelerator); "
        "this stack needs ≥ 100 MB/s per accelerator = 14,400 MB/s: raise the throughput per TiB or the capacity of "
        f"fast, {FIX}")]
    assert found(pools, [fsx(), fast()], minMBpsPerAccelerator=78.125) == []  # exactly at the floor


def test_a_throughput_declared_outside_the_stack_is_counted_and_named() -> None:
    # 1,250 + 3,150 = 4,400 MB/s for 128: 34.4 each; at 11,550 declared, 12,800 MB/s: exactly 100 each
    [(_, at, message)] = found([pool()], [fsx()], externalMBps=3150)
    assert at == "scratch"
    assert "are fed by 10 TiB of lustre at 125 MB/s/TiB = 1,250 MB/s + 3,150 MB/s declared outside this stack " \
           "(externalMBps) (34.4 MB/s per accelerator); this stack needs ≥ 100 MB/s per accelerator = 12,800 MB/s" \
           in message
    assert found([pool()], [fsx()], externalMBps=11_550) == []


def test_only_a_declared_throughput_and_short_names_it_for_the_fix() -> None:
    assert found([pool()], [], externalMBps=1000) == [(
        "Violation", "gpu", "16 × p5.48xlarge (128 nvidia-h100-80gb) are fed by 1,000 MB/s declared outside this "
        "stack (externalMBps) (7.81 MB/s per accelerator); this stack needs ≥ 100 MB/s per accelerator = 12,800 "
        "MB/s: raise externalMBps if the file system delivers more, or its throughput")]
    assert found([pool()], [], externalMBps=12_800) == []


def test_pools_that_do_not_train_are_not_fed() -> None:
    """1,000 serving nodes beside 128 training H100: the 20,000 MB/s (156 MB/s each) feed the training pool only."""
    serving = named("serve", purpose="inference", max_nodes=1000)
    enough = fsx(capacity_tib=20.0, throughput_mbps_per_tib=1000.0, throughput_mbps=20_000.0)
    assert found([pool(), serving], [enough]) == []


def test_one_accelerator_without_a_file_system_is_still_judged() -> None:
    one = named("one", instance_type="g6.xlarge", instance=CATALOG.find("g6.xlarge"), min_nodes=0, max_nodes=1)
    [(kind, at, message)] = found([one], [])
    assert (kind, at) == ("Violation", "one")
    assert message.startswith("1 × g6.xlarge (1 nvidia-l4-24gb) train with no parallel file system in this stack (0 "
                              "MB/s per accelerator); this stack needs ≥ 100 MB/s per accelerator = 100 MB/s")


BOUND = ("new: p7x.48xlarge is not in the catalog, but p7 is an accelerator family, so each node has at least 1 "
         "accelerator")


def test_a_lower_bound_decides_only_when_short_even_for_the_fewest() -> None:
    # at least 100 accelerators on 1,250 MB/s: at most 12.5 MB/s each, short whatever the true count
    assert found([unknown_type("new", 100)], [fsx()]) == [(
        "Violation", "scratch", f"100 × p7x.48xlarge (≥ 100 accelerators) (lower bounds: {BOUND}) are fed by 10 TiB "
        "of lustre at 125 MB/s/TiB = 1,250 MB/s (at most 12.5 MB/s per accelerator); this stack needs ≥ 100 MB/s "
        f"per accelerator = 10,000 MB/s: raise the throughput per TiB or the capacity of scratch, {FIX}")]
    # at least 10 on 1,000 MB/s: at most exactly 100 each; more accelerators would get less: not a pass
    exactly = fsx(capacity_tib=8.0, throughput_mbps=1000.0)
    assert [(k, at) for k, at, _ in found([unknown_type("new", 10)], [exactly])] == [("Unverifiable", "new")]


def test_of_two_file_systems_of_one_throughput_the_first_is_named() -> None:
    twin = fsx(name="twin", urn="urn:pulumi:s::p::aws:fsx/lustreFileSystem:LustreFileSystem::twin")
    [(_, at, message)] = found([pool()], [fsx(), twin])  # 2,500 MB/s for 128: 19.5 each
    assert at == "scratch" and "(19.5 MB/s per accelerator)" in message
