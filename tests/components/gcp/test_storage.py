"""ManagedLustre, Parallelstore, DatasetBucket: sized as the catalog says the service accepts, in the zone
(or region) of the pools they feed, on the host VPC, private and encrypted."""

from __future__ import annotations

import pytest
from pulumi_gcp import compute

from backbone.components.gcp import (
    DatasetBucket,
    DatasetBucketArgs,
    ManagedLustre,
    ManagedLustreArgs,
    Network,
    NetworkArgs,
    Parallelstore,
    ParallelstoreArgs,
)
from backbone.core import catalog
from backbone.core.errors import BackboneError
from backbone.engine import Preview

from .helpers import linked, only, run

LUSTRE = "gcp:lustre/instance:Instance"
PARALLELSTORE = "gcp:parallelstore/instance:Instance"
BUCKET = "gcp:storage/bucket:Bucket"
KEY = "projects/acme/locations/us-central1/keyRings/ml/cryptoKeys/data"


def offering(kind: str) -> catalog.StorageOffering:
    found = catalog.load().storage_offering("gcp", kind)
    assert found is not None, kind
    return found


def smallest(kind: str, tier: float | None = None) -> tuple[float, float]:
    """(tier, smallest capacity the catalog says the service accepts at that tier)."""
    service = offering(kind)
    rule = service.rule_for(tier) if tier is not None else service.rules[0]
    assert rule is not None
    return rule.throughput_mbps_per_tib, rule.min_tib


def with_network(build: object) -> Preview:
    def program() -> None:
        net = Network("net", NetworkArgs(region="us-central1", zone="us-central1-a", private_service_access=True))
        build(net)  # type: ignore[operator]

    return run(program)


def test_lustre_capacity_tier_zone_network_and_service_access() -> None:
    tier, tib = smallest("lustre", 1000)
    preview = with_network(lambda net: ManagedLustre("scratch", ManagedLustreArgs(
        zone="us-central1-a", network=net.network.id, capacity_tib=tib * 2, throughput_mbps_per_tib=tier,
        service_access=net.service_access, kms_key=KEY)))
    fs = only(preview, LUSTRE)
    assert fs.inputs["capacityGib"] == str(round(tib * 2 * offering("lustre").gib_per_tib))
    assert fs.inputs["perUnitStorageThroughput"] == "1000"
    assert fs.inputs["location"] == "us-central1-a"
    assert fs.inputs["kmsKey"] == KEY
    assert fs.inputs["filesystem"] == "scratch"
    host = linked(preview, fs, "network")
    assert [h.inputs["name"] for h in host] == ["net-vpc"]
    peering = only(preview, "gcp:servicenetworking/connection:Connection")
    assert peering.urn in fs.dependencies


@pytest.mark.parametrize(("tier", "tib"), [(300.0, 36.0), (1000.0, 10.0)], ids=["no such tier", "wrong size"])
def test_lustre_refuses_what_the_service_does_not_accept(tier: float, tib: float) -> None:
    def program() -> None:
        vpc = compute.Network("vpc")
        ManagedLustre("scratch", ManagedLustreArgs(zone="us-central1-a", network=vpc.id, capacity_tib=tib,
                                                   throughput_mbps_per_tib=tier))

    with pytest.raises(BackboneError, match=r"Managed Lustre.*allowed"):
        run(program)


def test_parallelstore_capacity_and_zone() -> None:
    _, tib = smallest("parallelstore")
    preview = with_network(lambda net: Parallelstore("scratch", ParallelstoreArgs(
        zone="us-central1-a", network=net.network.id, capacity_tib=tib, service_access=net.service_access)))
    fs = only(preview, PARALLELSTORE)
    assert fs.inputs["capacityGib"] == str(round(tib * offering("parallelstore").gib_per_tib))
    assert fs.inputs["location"] == "us-central1-a"
    assert [h.inputs["name"] for h in linked(preview, fs, "network")] == ["net-vpc"]


def test_bucket_is_regional_private_and_optionally_customer_keyed() -> None:
    plain = only(run(lambda: DatasetBucket("data", DatasetBucketArgs(region="us-central1"))), BUCKET).inputs
    assert plain["location"] == "US-CENTRAL1"
    assert plain["uniformBucketLevelAccess"] is True
    assert plain["publicAccessPrevention"] == "enforced"
    assert "encryption" not in plain  # Google-managed encryption at rest
    keyed = only(run(lambda: DatasetBucket("data", DatasetBucketArgs(region="us-central1", kms_key=KEY))),
                 BUCKET).inputs
    assert keyed["encryption"] == {"defaultKmsKeyName": KEY}
