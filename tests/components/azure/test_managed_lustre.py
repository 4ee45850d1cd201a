"""ManagedLustre: the SKU from the throughput tier, a capacity the service accepts, its own subnet, its zone."""

from __future__ import annotations

import pytest

from backbone.components.azure import ManagedLustre, ManagedLustreArgs
from backbone.core import catalog
from backbone.core.errors import ComponentArgumentError

AMLFS = "azure-native:storagecache:AmlFilesystem"
OFFERING = catalog.load().storage_offering("azure", "lustre")


def _program(own_subnet, **kwargs):
    def program() -> None:
        rg, subnet = own_subnet("team", "10.0.200.0/24")
        defaults = {"zone": "1", "capacity_tib": 80, "throughput_mbps_per_tib": 500}
        ManagedLustre("scratch", ManagedLustreArgs(resource_group_name=rg.name, location="eastus",
                                                   filesystem_subnet_id=subnet.id, **{**defaults, **kwargs}))
    return program


def test_file_system_has_the_tier_sku_the_capacity_and_the_zone(preview, only, linked, own_subnet):
    result = preview(_program(own_subnet, zone="2", capacity_tib=80, throughput_mbps_per_tib=500))
    fs = only(result, AMLFS)
    assert fs.inputs["sku"] == {"name": "AMLFS-Durable-Premium-500"}
    assert fs.inputs["storageCapacityTiB"] == 80.0
    assert fs.inputs["zones"] == ["2"]
    assert fs.inputs["location"] == "eastus"
    assert [r.name for r in linked(result, fs, "filesystemSubnet")] == ["team-subnet"]
    assert fs.inputs["maintenanceWindow"] == {"dayOfWeek": "Sunday", "timeOfDayUTC": "02:00"}


@pytest.mark.parametrize("rule", OFFERING.rules if OFFERING else [], ids=lambda r: f"{r.throughput_mbps_per_tib:g}")
def test_every_tier_the_catalog_lists_maps_to_its_sku_at_its_smallest_size(preview, only, own_subnet, rule):
    fs = only(preview(_program(own_subnet, capacity_tib=rule.min_tib,
                               throughput_mbps_per_tib=rule.throughput_mbps_per_tib)), AMLFS)
    assert fs.inputs["sku"]["name"] == f"AMLFS-Durable-Premium-{rule.throughput_mbps_per_tib:g}"
    assert fs.inputs["storageCapacityTiB"] == rule.min_tib


def test_encrypted_at_rest_with_platform_managed_keys(preview, only, own_subnet):
    fs = only(preview(_program(own_subnet)), AMLFS)
    assert "encryptionSettings" not in fs.inputs  # no customer key: the service's platform-managed keys
    assert "identity" not in fs.inputs


def test_aggregate_throughput_is_capacity_times_tier():
    args = ManagedLustreArgs(resource_group_name="rg", location="eastus", filesystem_subnet_id="s", zone="1",
                             capacity_tib=80, throughput_mbps_per_tib=500)
    assert args.throughput_mbps == 40_000


def _args(**kwargs):
    defaults = {"resource_group_name": "rg", "location": "eastus", "filesystem_subnet_id": "s", "zone": "1"}
    args = ManagedLustreArgs(**{**defaults, **kwargs})
    args.check("ManagedLustre scratch")
    return args


def test_a_tier_managed_lustre_does_not_offer_is_refused_with_the_tiers_it_does():
    assert OFFERING is not None
    with pytest.raises(ComponentArgumentError) as err:
        _args(capacity_tib=80, throughput_mbps_per_tib=300)
    assert err.value.argument == "throughput_mbps_per_tib"
    assert "no 300 MB/s/TiB tier" in err.value.reason
    assert err.value.reason.endswith("allowed: " + ", ".join(f"{t:g}" for t in OFFERING.tiers))


def test_a_capacity_the_tier_does_not_accept_is_refused_with_the_sizes_it_does():
    assert OFFERING is not None
    rule = OFFERING.rule_for(500)
    assert rule is not None
    odd = rule.min_tib + rule.step_tib / 2
    with pytest.raises(ComponentArgumentError) as err:
        _args(capacity_tib=odd, throughput_mbps_per_tib=500)
    assert err.value.argument == "capacity_tib"
    assert f"does not accept {odd:g} TiB" in err.value.reason
    assert rule.describe() in err.value.reason


@pytest.mark.parametrize(("kwargs", "where"), [({"maintenance_day": "Sun"}, "maintenance_day"),
                                               ({"maintenance_time_utc": "25:00"}, "maintenance_time_utc")])
def test_a_maintenance_window_the_service_refuses_is_refused(kwargs, where):
    with pytest.raises(ComponentArgumentError) as err:
        _args(capacity_tib=80, throughput_mbps_per_tib=500, **kwargs)
    assert (err.value.component, err.value.argument) == ("ManagedLustre scratch", where)
