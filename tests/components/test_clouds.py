"""Each cloud states its facts once (components/<cloud>/_facts.py); the facts agree with themselves and with
the example stacks, and the spec and the components read them."""

from __future__ import annotations

import pytest

from backbone.components.clouds import facts
from backbone.components.spec import from_config
from backbone.core import catalog
from backbone.stackfile import PROJECT_ROOT, read_stack


@pytest.mark.parametrize("cloud", catalog.CLOUDS)
def test_every_cloud_has_facts_whose_examples_fit_their_own_formats(cloud: str) -> None:
    found = facts(cloud)
    assert found.cloud == cloud
    assert found.type_prefix == f"backbone:{cloud}:"
    assert found.region_refusal(found.region_example) is None
    if cloud != "azure":  # Azure's example is a list of zones in words
        assert found.zone_refusal(found.region_example, found.zone_example.format(region=found.region_example)) is None


def test_every_example_stack_sits_in_a_region_and_zone_its_cloud_accepts() -> None:
    stacks = sorted((PROJECT_ROOT / "stacks").glob("Pulumi.*.yaml"))
    assert stacks
    for path in stacks:
        spec = from_config(read_stack(path).config).cluster
        assert spec is not None
        cloud = facts(spec.cloud)
        assert cloud.region_refusal(spec.region) is None, path.name
        assert cloud.zone_refusal(spec.region, spec.zone) is None, path.name


@pytest.mark.parametrize(("cloud", "region", "zone"), [("aws", "us-east-1", "us-east-1-a"),
                                                        ("gcp", "us-central1", "us-central1a"),
                                                        ("azure", "eastus", "eastus-1")])
def test_a_zone_in_another_cloud_s_format_is_refused_with_an_example(cloud: str, region: str, zone: str) -> None:
    refusal = facts(cloud).zone_refusal(region, zone)
    assert refusal is not None and f"zone {zone!r} is not a zone of {region} on {cloud}" in refusal
    assert "e.g." in refusal


@pytest.mark.parametrize(("cloud", "zone"), [("aws", "us-east-1a"), ("gcp", "us-central1-a")])
def test_a_zone_given_as_a_region_is_refused(cloud: str, zone: str) -> None:
    assert facts(cloud).region_refusal(zone) is not None


def test_reservation_format_is_stated_where_the_cloud_has_one() -> None:
    assert facts("aws").reservation_refusal("cr-0123456789abcdef0") is None
    assert facts("aws").reservation_refusal("my-block") == (
        "reservation 'my-block' is not an AWS capacity reservation id: cr- and 8 to 17 hex digits")
    assert facts("gcp").reservation_refusal("any-name") is None
