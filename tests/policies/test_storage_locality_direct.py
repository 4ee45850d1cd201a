"""storage-locality judged in this process on hand-built inventories: a file system outside every zone (or in
another region) of its cloud's training pools is named with both places; an unknown zone is named, never read as
"same zone"; each file system and each pool is judged, not only the first."""

from __future__ import annotations

from hand_pools import pool
from test_monthly_budget_direct import fsx

from backbone.policies.inventory import UNKNOWN, Inventory
from backbone.policies.rules.storage_locality import StorageLocality

RULE = StorageLocality()
FEEDS = ": cross-zone reads add latency and transfer cost; put the file system in the pool's zone"


def messages(inventory: Inventory) -> list[tuple[str, str, str]]:
    return [(type(f).__name__, f.urn.rsplit("::", 1)[1], f.message) for f in RULE.check(inventory, {})]


def test_same_zone_passes_and_a_pool_of_another_purpose_or_cloud_is_not_fed() -> None:
    assert messages(Inventory(pools=[pool()], file_systems=[fsx()])) == []
    assert messages(Inventory(pools=[pool(purpose="inference")], file_systems=[fsx(zones=("us-east-1b",))])) == []


def test_each_file_system_and_each_pool_is_judged_past_an_unknown_one() -> None:
    unknown = fsx(name="unzoned", urn="urn:pulumi:s::p::aws:fsx/lustreFileSystem:LustreFileSystem::unzoned",
                  zones=UNKNOWN, unknown_inputs={"zones": "subnetIds[0]"})
    far = fsx(zones=("us-east-1b", "us-east-1c"))
    blind = pool(name="blind", urn="urn:pulumi:s::p::aws:eks/nodeGroup:NodeGroup::blind", zones=UNKNOWN,
                 unknown_inputs={"zones": "subnetIds"})
    two_zones = pool(zones=("us-east-1d", "us-east-1a"))
    assert messages(Inventory(pools=[blind, two_zones], file_systems=[unknown, far])) == [
        ("Unverifiable", "unzoned", "file system unzoned (aws:fsx/lustreFileSystem:LustreFileSystem): zone unknown "
                                    "(subnetIds[0])"),
        ("Unverifiable", "blind", "pool blind (aws:eks/nodeGroup:NodeGroup): zones unknown (subnetIds)"),
        ("Violation", "scratch", "file system scratch (lustre) is in us-east-1b, us-east-1c but feeds training pool "
                                 f"gpu in us-east-1a, us-east-1d{FEEDS}"),
    ]


def test_another_region_is_named_when_no_zone_is_known() -> None:
    regional = fsx(zones=(), region="us-west-2")
    anywhere = pool(zones=(), region="us-east-1")
    assert messages(Inventory(pools=[anywhere], file_systems=[regional])) == [
        ("Violation", "scratch", f"file system scratch (lustre) is in us-west-2 but feeds training pool gpu in "
                                 f"us-east-1{FEEDS}")]


def test_a_zone_in_another_region_without_zones_on_the_other_side_names_an_unknown_region() -> None:
    placed = fsx(zones=("us-west-2a",), region="us-west-2")
    nowhere = pool(zones=(), region=None)
    assert messages(Inventory(pools=[nowhere], file_systems=[placed])) == []  # no region to compare: not far
    far_pool = pool(zones=(), region="eu-west-1")
    assert messages(Inventory(pools=[far_pool], file_systems=[placed])) == [
        ("Violation", "scratch", f"file system scratch (lustre) is in us-west-2a but feeds training pool gpu in "
                                 f"eu-west-1{FEEDS}")]
