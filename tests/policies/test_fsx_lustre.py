"""FSx for Lustre as AWS defines it (issue 18, item 4): ``storageCapacity`` in GiB, in FSx's own "TiB" of 1,000 GiB;
scratch file systems at their 200 MB/s/TiB baseline; a ``perUnitStorageThroughput`` AWS refuses for the deployment
type reported as invalid, not as slow. Expected figures are AWS's (FSx API CreateFileSystemLustreConfiguration;
"Deployment options for FSx for Lustre file systems"), worked by hand.

The unit: the FSx API's PerUnitStorageThroughput (docs.aws.amazon.com/fsx/latest/APIReference/
API_CreateFileSystemLustreConfiguration.html, read 2026-12-07) says throughput is storage capacity (TiB) × MB/s/TiB,
"for a 2.4-TiB file system, provisioning 50 MB/s/TiB ... yields 120 MB/s"; AWS's "Performance characteristics of
SSD and HDD storage classes" (docs.aws.amazon.com/fsx/latest/LustreGuide/ssd-storage.html, read 2026-12-07) works its
example as "a persistent
file system with a storage capacity of 4.8 TiB and 50 MBps per TiB ... provides an aggregate baseline disk
throughput of 240 MBps and a burst disk throughput of 1.152 GBps" (4.8 × 50 = 240, 4.8 × 240 = 1,152); 4.8 TiB is
the API's 4,800 GiB (sizes are 1,200, 2,400 and increments of 2,400 GiB: 4,915.2 GiB would not be one), and the
CreateFileSystem page calls 1,200 GiB "1.2 TiB". So a FSx TiB is 1,000 GiB, for the size and for the throughput."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from policy_programs import Aws
from policy_verdict import Judge

from backbone.core.catalog import load
from backbone.engine import preview_function
from backbone.policies.inventory import FileSystem, build
from backbone.policies.inventory.common import capacity_of_gib
from backbone.policies.inventory.facts import UNKNOWN, Unknown
from backbone.resources import policy_resources


def lustre(**args: Any) -> Callable[[], None]:
    def program() -> None:
        import pulumi_aws as aws

        aws.fsx.LustreFileSystem("scratch", subnet_ids="subnet-0a1b2c3d", **args)
    return program


def file_system(**args: Any) -> FileSystem:
    [fs] = build(policy_resources(preview_function(lustre(**args), "fsx"))).file_systems
    return fs


def test_capacity_is_in_fsx_tib_and_throughput_follows() -> None:
    fs = file_system(storage_capacity=1200, deployment_type="PERSISTENT_2", per_unit_storage_throughput=125)
    assert fs.capacity_tib == pytest.approx(1.2)  # "1.2 TiB", as the FSx API names 1,200 GiB
    assert fs.throughput_mbps == pytest.approx(150)  # 1.2 × 125
    assert fs.invalid == ""


@pytest.mark.parametrize(("gib", "tib", "mbps"), [(2400, 2.4, 120), (4800, 4.8, 240)])
def test_aws_worked_examples_of_aggregate_throughput(gib: int, tib: float, mbps: float) -> None:
    """AWS's own examples at 50 MB/s per TiB: the API reference's 2.4 TiB gives 120 MB/s, the user guide's 4.8 TiB
    gives 240 MB/s (a pack counting 1,024 GiB a TiB would say 117.2 and 234.4)."""
    fs = file_system(storage_capacity=gib, deployment_type="PERSISTENT_1", storage_type="SSD",
                     per_unit_storage_throughput=50)
    assert (fs.capacity_tib, fs.throughput_mbps) == (pytest.approx(tib), pytest.approx(mbps))


@pytest.mark.parametrize("deployment", ["SCRATCH_1", "SCRATCH_2", None])
def test_scratch_file_systems_have_their_fixed_baseline(deployment: str | None) -> None:
    args: dict[str, Any] = {"storage_capacity": 2400}
    if deployment is not None:  # the FSx API's default deployment type is SCRATCH_1
        args["deployment_type"] = deployment
    fs = file_system(**args)
    assert (fs.throughput_mbps_per_tib, fs.throughput_mbps) == (200, pytest.approx(2.4 * 200))  # 2,400 GiB = 2.4 TiB


@pytest.mark.parametrize(("deployment", "storage", "per_tib", "valid"), [
    ("PERSISTENT_2", "SSD", 250, True),
    ("PERSISTENT_2", "SSD", 200, False),  # a PERSISTENT_1 value
    ("PERSISTENT_1", "SSD", 200, True),
    ("PERSISTENT_1", "SSD", 40, False),  # an HDD value
    ("PERSISTENT_1", "HDD", 40, True),
    ("SCRATCH_2", "SSD", 200, False),  # scratch takes no perUnitStorageThroughput
    ("PERSISTENT_2", "SSD", None, False),  # required for the persistent types
])
def test_a_throughput_aws_refuses_is_invalid(deployment: str, storage: str, per_tib: int | None,
                                             valid: bool) -> None:
    args: dict[str, Any] = {"storage_capacity": 2400, "deployment_type": deployment, "storage_type": storage}
    if per_tib is not None:
        args["per_unit_storage_throughput"] = per_tib
    fs = file_system(**args)
    assert (fs.invalid == "") is valid, fs.invalid
    if not valid:
        assert not isinstance(fs.throughput_mbps, float)


def test_the_pack_reports_an_invalid_throughput_as_invalid_not_slow(judge: Judge) -> None:
    # The balanced cluster's FSx (48,000 GiB) made PERSISTENT_2 at 200 MB/s/TiB: AWS refuses the value.
    def program() -> None:
        Aws(fs=False)()
        import pulumi_aws as aws

        aws.fsx.LustreFileSystem("data", subnet_ids="subnet-0a1b2c3d", storage_capacity=48000,
                                 deployment_type="PERSISTENT_2", per_unit_storage_throughput=200)
    verdict = judge(program)
    found = verdict.only_violation("storage-throughput")
    assert "is invalid" in found.detail and "125, 250, 500, 1000" in found.detail
    assert "MB/s per accelerator" not in found.detail


def test_a_capacity_without_the_catalogs_conversion_is_unknown_and_named() -> None:
    """The pack converts the API's GiB only through the catalog's offering: with none, the capacity is unknown and
    said to be, never read through a guessed factor; an input unknown in preview is named as it is."""
    fsx = load().storage_offering("aws", "lustre")
    unknown: dict[str, str] = {}
    assert capacity_of_gib(fsx, 1200, "storageCapacity", unknown) == pytest.approx(1.2) and unknown == {}
    assert isinstance(capacity_of_gib(None, 1200, "storageCapacity", unknown), Unknown)
    assert unknown["capacity_tib"].startswith("storageCapacity (GiB: the catalog has no offering")
    unknown.clear()
    assert isinstance(capacity_of_gib(fsx, UNKNOWN, "storageCapacity", unknown), Unknown)
    assert unknown == {"capacity_tib": "storageCapacity"}
