"""The cloud-neutral facts the rules judge (``backbone.policies.inventory.facts``), on pools and file systems built
by hand: counts, bounds, prices and the words messages use. Fast (no preview), so ``make mutate`` can run them for
every mutant of the facts.

Figures from the providers' public pages, as the catalog cites them (read 2026-12-07): p5.48xlarge has 8 NVIDIA
H100 80GB (640 GiB of HBM), 3,200 Gbps of EFA, on demand $55.04 an hour in us-east-1 (aws.amazon.com/ec2/
instance-types/p5; datareceipts' GPU price list, 2026-11-09); p4d.24xlarge 8 A100 40GB, 400 Gbps of EFA, $21.957642
an hour; Standard_NC24ads_A100_v4 one A100 80GB, no InfiniBand (learn.microsoft.com .../nc-a100-v4-series). A month
is 730 hours (8,760 / 12, the AWS pricing calculator's convention)."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pytest
from hand_pools import CATALOG, EFA_FULL, P5, pool

from backbone.core.catalog.pricing import LIST_PRICES
from backbone.policies.inventory.facts import (
    UNKNOWN,
    Candidate,
    FabricCheck,
    FileSystem,
    Inventory,
    Total,
    Unknown,
    is_known,
    least_favourable_first,
)

P4D = CATALOG.find("p4d.24xlarge")


def test_unknown_is_one_value_that_refuses_a_truth_value() -> None:
    assert Unknown() is UNKNOWN and repr(UNKNOWN) == "UNKNOWN"
    with pytest.raises(TypeError) as raised:
        bool(UNKNOWN)
    assert str(raised.value) == "an unknown value has no truth value: test it with is_known() first"
    assert is_known(0) and is_known(None) and not is_known(UNKNOWN)


@pytest.mark.parametrize("total, text", [
    (Total(1234.4), "1,234"),
    (Total(128.0, ("pool a",)), "≥ 128 (1 unknown)"),
    (Total(0.0, ("a", "b")), "≥ 0 (2 unknown)"),
    (Total(math.inf), "inf"),
    (Total(-math.inf, ("x",)), "≥ -inf (1 unknown)"),
    (Total(math.nan), "nan"),
])
def test_a_total_says_when_it_is_only_a_lower_bound(total: Total, text: str) -> None:
    assert str(total) == text
    assert total.complete == (not total.unknown)


# --- a pool's counts ----------------------------------------------------------------------------------------


def test_a_p5_pool_counts_its_h100s_memory_fabric_and_price() -> None:
    p = pool()
    assert p.accelerators_per_node == 8 and p.accelerator_name == "nvidia-h100-80gb"
    assert p.accelerators("max") == 128 and p.accelerators("min") == 16
    assert p.memory_gib("max") == 16 * 640 and p.memory_gib("min") == 2 * 640
    assert p.fabric_gbps_per_accelerator() == 400.0  # 3,200 Gbps over 8 GPUs
    assert p.hourly_usd("max") == pytest.approx(16 * 55.04)
    assert p.hourly_usd("min") == pytest.approx(2 * 55.04)
    assert p.describe() == "16 × p5.48xlarge (128 nvidia-h100-80gb)"
    assert p.describe("min") == "2 × p5.48xlarge (16 nvidia-h100-80gb)"
    assert p.is_training and p.spans_nodes() is True


def test_no_node_costs_nothing_even_unpriced() -> None:
    assert pool(min_nodes=0).hourly_usd("min") == 0.0
    assert pool(instance_type=UNKNOWN, instance=None, min_nodes=0).hourly_usd("min") == 0.0
    assert isinstance(pool(instance_type=UNKNOWN, instance=None).hourly_usd("max"), Unknown)
    assert isinstance(pool(max_nodes=UNKNOWN).hourly_usd("max"), Unknown)
    # a type no price list knows, on demand: no figure (None), not $0
    assert pool(instance_type="p9.made-up", instance=None).hourly_usd("max") is None


def test_half_the_efa_interfaces_give_half_the_fabric_per_gpu() -> None:
    assert pool(fabric=FabricCheck(False, ("16 of 32",), gbps=1600.0)).fabric_gbps_per_accelerator() == 200.0
    assert isinstance(pool(fabric=FabricCheck(UNKNOWN, gbps=UNKNOWN)).fabric_gbps_per_accelerator(), Unknown)
    assert isinstance(pool(instance_type=UNKNOWN).fabric_gbps_per_accelerator(), Unknown)
    assert pool(fabric=FabricCheck(True, gbps=None)).fabric_gbps_per_accelerator() is None
    assert pool(instance=None, instance_type="x").fabric_gbps_per_accelerator() is None  # no per-node count


@pytest.mark.parametrize("max_nodes, least, spans", [(1, 0, False), (2, 0, True), (0, 0, False),
                                                     (UNKNOWN, 0, UNKNOWN), (UNKNOWN, 1, UNKNOWN),
                                                     (UNKNOWN, 2, True)])
def test_whether_a_pool_spans_nodes(max_nodes: Any, least: int, spans: Any) -> None:
    assert pool(max_nodes=max_nodes, least_max_nodes=least).spans_nodes() is spans


def test_unknown_counts_are_unknown_and_an_uncatalogued_type_is_none() -> None:
    assert isinstance(pool(max_nodes=UNKNOWN).accelerators("max"), Unknown)
    assert pool(max_nodes=UNKNOWN).accelerators("min") == 16
    assert isinstance(pool(instance_type=UNKNOWN, instance=None).accelerators("min"), Unknown)
    assert pool(instance_type="p9.made-up", instance=None).accelerators("max") is None
    assert isinstance(pool(max_nodes=UNKNOWN).memory_gib("max"), Unknown)
    assert isinstance(pool(instance_type=UNKNOWN).memory_gib("max"), Unknown)
    assert pool(instance_type="p9.made-up", instance=None).memory_gib("max") is None
    assert pool(instance_type="p9.made-up", instance=None).accelerator_name == "accelerator"


def test_attached_accelerators_count_on_a_type_the_catalog_does_not_know() -> None:
    p = pool(cloud="gcp", instance_type="n1-standard-8", instance=None, attached_accelerators=4, max_nodes=3)
    assert p.accelerators_per_node == 4 and p.accelerators("max") == 12 and p.least_per_node == 4
    assert p.describe() == "3 × n1-standard-8 (12 accelerator)"


@pytest.mark.parametrize("instance_type, least", [("p7x.48xlarge", 1), ("m7i.large", 0)])
def test_an_uncatalogued_type_of_an_accelerator_family_has_at_least_one_per_node(instance_type: str,
                                                                                   least: int) -> None:
    p = pool(instance_type=instance_type, instance=None)
    assert p.least_per_node == least
    assert p.least_accelerators() == 16 * least
    if least:
        assert p.describe() == "16 × p7x.48xlarge (≥ 16 accelerators)"
        assert p.bound() == ("p7x.48xlarge is not in the catalog, but p7 is an accelerator family, so each node "
                             "has at least 1 accelerator")
    else:
        assert p.describe() == "16 × m7i.large" and p.bound() == ""


def test_a_lower_bound_of_nodes_is_used_only_at_max_scale() -> None:
    p = pool(max_nodes=UNKNOWN, min_nodes=UNKNOWN, least_max_nodes=6, unknown_inputs={"max_nodes": "a.b"})
    assert p.least_nodes() == p.least_nodes("max") == 6 and p.least_nodes("min") == 0
    assert p.least_accelerators("max") == 48 and p.least_accelerators("min") == 0
    assert p.bound("max") == p.bound() == "at least 6 nodes (a.b unknown)"
    unnamed = replace(p, unknown_inputs={})
    assert unnamed.bound().startswith("at least 6 nodes (") and "None" not in unnamed.bound()
    both = pool(instance_type="p7x.48xlarge", instance=None, max_nodes=UNKNOWN, least_max_nodes=3,
                unknown_inputs={"max_nodes": "maxSize"})
    assert both.bound() == ("p7x.48xlarge is not in the catalog, but p7 is an accelerator family, so each node has "
                            "at least 1 accelerator; at least 3 nodes (maxSize unknown)")
    assert p.describe() == "at least 6 × p5.48xlarge (48 nvidia-h100-80gb)"
    assert p.describe("min") == "an unknown number of p5.48xlarge nodes"
    assert p.bound("min") == ""
    assert pool(max_nodes=UNKNOWN, least_max_nodes=6, unknown_inputs={"max_nodes": "x"}).least_accelerators() == 48
    assert pool(instance_type=UNKNOWN, instance=None).least_accelerators() == 0


def test_describe_a_pool_of_unknown_size_or_type() -> None:
    assert pool(instance_type=UNKNOWN, instance=None).describe() == "16 × an unknown instance type"
    assert pool(max_nodes=UNKNOWN).describe() == "an unknown number of p5.48xlarge nodes"
    assert pool(max_nodes=UNKNOWN, least_max_nodes=1).describe() == "an unknown number of p5.48xlarge nodes"
    assert pool(max_nodes=UNKNOWN, least_max_nodes=2).describe() == "at least 2 × p5.48xlarge (16 nvidia-h100-80gb)"
    family = pool(instance_type="p7x.48xlarge", instance=None, max_nodes=UNKNOWN, least_max_nodes=3)
    assert family.describe() == "at least 3 × p7x.48xlarge (≥ 3 accelerator)"
    nothing = pool(instance_type="m7i.large", instance=None, max_nodes=UNKNOWN, least_max_nodes=3)
    assert nothing.describe() == "at least 3 × m7i.large"
    assert pool(max_nodes=1000).describe() == "1,000 × p5.48xlarge (8,000 nvidia-h100-80gb)"


def test_a_price_from_another_region_says_so() -> None:
    price = pool(region="eu-west-2").price()
    assert not isinstance(price, Unknown)
    assert price.basis.endswith("; the catalog has no eu-west-2 price")  # type: ignore[union-attr]
    assert "the catalog has no" not in pool().price().basis  # type: ignore[union-attr]


def test_price_of_a_pool_of_unknown_type_is_unknown() -> None:
    assert isinstance(pool(instance_type=UNKNOWN).price(), Unknown)
    assert pool().price(LIST_PRICES).usd_per_hour == pytest.approx(55.04)  # type: ignore[union-attr]


# --- candidate types ----------------------------------------------------------------------------------------


def _candidate(name: str, max_nodes: Any = None) -> Candidate:
    return Candidate(name, CATALOG.find(name), EFA_FULL, max_nodes)


def test_candidates_least_favourable_first() -> None:
    # unknown first (nothing verifiable), then most accelerators (8 > 1), then the dearer (p5 $55.04 > p4d $21.96)
    names = ["Standard_NC24ads_A100_v4", "p4d.24xlarge", "p9.made-up", "p5.48xlarge"]
    ordered = [c.instance_type for c in least_favourable_first([_candidate(n) for n in names])]
    assert ordered == ["p9.made-up", "p5.48xlarge", "p4d.24xlarge", "Standard_NC24ads_A100_v4"]
    # a node count that depends on the type: 20 × 1 GPU outnumber 2 × 8; an unknown count goes first
    weighted = [_candidate("p5.48xlarge", 2), _candidate("Standard_NC24ads_A100_v4", 20),
                _candidate("p4d.24xlarge", UNKNOWN)]
    assert [c.instance_type for c in least_favourable_first(weighted)] == [
        "p4d.24xlarge", "Standard_NC24ads_A100_v4", "p5.48xlarge"]
    # the same figures: by name, whatever the program's order
    same = [_candidate("p9.b"), _candidate("p9.a")]
    assert [c.instance_type for c in least_favourable_first(same)] == ["p9.a", "p9.b"]


def test_a_pool_of_several_types_is_judged_once_per_type_least_favourable_first() -> None:
    assert pool().variants() == [pool()]
    assert pool(candidates=(_candidate("p5.48xlarge"),)).variants()[0].judged_as == ""
    # 1 × 8 A100 against 8 H100 per node of the pool: the same count, the dearer p5 first
    p4d_fabric = FabricCheck(False, ("2 of 4 EFA",), gbps=200.0)
    p = pool(candidates=(Candidate("p4d.24xlarge", P4D, p4d_fabric, 1), _candidate("p5.48xlarge")),
             fabric=FabricCheck(UNKNOWN, gbps=UNKNOWN))
    first, second = p.variants()
    assert (first.fabric, second.fabric) == (EFA_FULL, p4d_fabric)  # each candidate's own fabric
    assert (first.instance_type, first.instance, first.max_nodes) == ("p5.48xlarge", P5, 16)
    assert (second.instance_type, second.instance, second.max_nodes) == ("p4d.24xlarge", P4D, 1)
    assert first.candidates == () and second.candidates == ()
    assert first.judged_as == ("judged as p5.48xlarge, the least favourable of its candidate types p4d.24xlarge, "
                               "p5.48xlarge")
    assert second.judged_as.startswith("judged as p4d.24xlarge, ")


# --- file systems -------------------------------------------------------------------------------------------


def fsx(**changes: Any) -> FileSystem:
    base = FileSystem(urn="urn:fs", name="scratch", cloud="aws", resource_type="aws:fsx/lustreFileSystem:"
                      "LustreFileSystem", kind="lustre", capacity_tib=48.0, throughput_mbps=24000.0,
                      zones=("us-east-1a",), region="us-east-1", monthly_usd=None, throughput_mbps_per_tib=500.0,
                      offering=CATALOG.storage_offering("aws", "lustre"))
    return replace(base, **changes)


@pytest.mark.parametrize("changes, text", [
    ({}, "48 TiB of lustre at 500 MB/s/TiB = 24,000 MB/s"),
    ({"capacity_tib": 1.2, "throughput_mbps_per_tib": 125.0, "throughput_mbps": 150.0},
     "1.2 TiB of lustre at 125 MB/s/TiB = 150 MB/s"),
    ({"capacity_tib": UNKNOWN, "throughput_mbps": UNKNOWN},
     "an unknown capacity of lustre at 500 MB/s/TiB = an unknown throughput"),
    ({"throughput_mbps_per_tib": None}, "48 TiB of lustre = 24,000 MB/s"),
    ({"throughput_mbps_per_tib": UNKNOWN}, "48 TiB of lustre = 24,000 MB/s"),
])
def test_a_file_system_in_words(changes: dict[str, Any], text: str) -> None:
    assert fsx(**changes).describe() == text


def test_a_file_system_priced_at_the_catalogs_fsx_rate() -> None:
    # FSx for Lustre PERSISTENT_2 at 125 MB/s/TiB: $0.145 per GB-month (aws.amazon.com/fsx/lustre/pricing, us-east-1);
    # 10 of FSx's TiB (1,000 GiB each: AWS states 1,200 GiB as 1.2 TiB) = 10,000 GB: $1,450 a month (730 h)
    fs = fsx(capacity_tib=10.0, throughput_mbps_per_tib=125.0)
    price = fs.price()
    assert price == (pytest.approx(1450.0), "catalog list price, us-east-1, secondary source, 2026-07-22")
    assert fs.hourly_usd() == pytest.approx(1450.0 / 730)
    assert fsx(throughput_mbps_per_tib=250.0).price() is None  # a tier the catalog has no price for
    # at 1000 MB/s/TiB: $0.60 per GB-month x 1,000 GB x 10 = $6,000 a month, from its own source and date
    assert fsx(capacity_tib=10.0, throughput_mbps_per_tib=1000.0).price() == (
        pytest.approx(6000.0), "catalog list price, us-east-1, secondary source, 2026-10-08")
    # your rate of $0.10 per GiB-month: 1,000 GiB per FSx TiB × 10 of them = $1,000.00
    from backbone.core.catalog.pricing import Rates

    mine = Rates(storage={"aws": {"lustre": {125.0: 0.1}}})
    assert fs.price(mine) == (pytest.approx(1000.0), "your rate, $0.1 per GiB-month")
    assert fs.hourly_usd(mine) == pytest.approx(1000.0 / 730)


def test_a_file_system_without_an_offering_or_size_has_no_price() -> None:
    assert fsx(offering=None).price() is None and fsx(offering=None).hourly_usd() is None
    assert fsx(capacity_tib=UNKNOWN).price() is None
    assert fsx(throughput_mbps_per_tib=UNKNOWN).price() is None


# --- stack totals -------------------------------------------------------------------------------------------


def test_stack_totals_add_the_known_and_name_the_unknown() -> None:
    inv = Inventory(pools=[pool(name="a"), pool(name="b", max_nodes=UNKNOWN, min_nodes=0, least_max_nodes=2),
                           pool(name="c", purpose="inference", max_nodes=2, min_nodes=1)])
    # a: 128 max / 16 min; b: at least 2 × 8 = 16 max (a bound), 0 min; c: 16 max / 8 min
    assert inv.accelerators_max == Total(128 + 16 + 16, ("b",))
    assert inv.accelerators_min == Total(16 + 0 + 8)
    assert inv.training_accelerators_max == Total(128, ("b",))
    assert inv.accelerator_memory_gib_max == Total(16 * 640 + 2 * 640, ("b",))
    assert inv.accelerators("max", [inv.pools[2]]) == Total(16)
    assert [p.name for p in inv.training_pools] == ["a", "b"]
    assert inv.clouds == ("aws",)
    assert inv.most_accelerators() == inv.pools


def test_the_slowest_multi_node_training_fabric_sets_the_stack_figure() -> None:
    slow = pool(name="slow", instance_type="p4d.24xlarge", instance=P4D, fabric=FabricCheck(True, gbps=400.0))
    one_node = replace(slow, name="one", max_nodes=1, fabric=FabricCheck(False, gbps=0.0))
    serving = replace(slow, name="serve", purpose="inference", fabric=FabricCheck(False, gbps=0.0))
    unknown_size = replace(slow, name="unk", max_nodes=UNKNOWN, fabric=FabricCheck(False, gbps=0.0))
    assert Inventory(pools=[pool(), slow, one_node, serving, unknown_size]).fabric_gbps_per_accelerator == 50.0
    assert Inventory(pools=[pool()]).fabric_gbps_per_accelerator == 400.0
    assert Inventory(pools=[one_node, serving]).fabric_gbps_per_accelerator is None


def test_storage_per_accelerator_over_the_training_pools_else_all() -> None:
    fs = [fsx(), fsx(name="b", throughput_mbps=8000.0)]
    assert Inventory(pools=[pool()], file_systems=fs).storage_mbps_per_accelerator == 250.0  # 32,000 / 128
    serving = pool(purpose="inference", max_nodes=4)
    assert Inventory(pools=[serving], file_systems=fs).storage_mbps_per_accelerator == 1000.0  # 32,000 / 32
    assert Inventory(pools=[pool(), serving], file_systems=fs).storage_mbps_per_accelerator == 250.0
    assert Inventory(pools=[pool(max_nodes=0)], file_systems=fs).storage_mbps_per_accelerator is None
    assert Inventory(pools=[pool(max_nodes=UNKNOWN)], file_systems=fs).storage_mbps_per_accelerator is None
    assert Inventory(pools=[pool()], file_systems=[fsx(throughput_mbps=UNKNOWN)]).storage_mbps_per_accelerator \
        is None
    assert Inventory(pools=[pool()], file_systems=fs).storage_tib == Total(96.0)
    assert Inventory(pools=[pool()], file_systems=fs).storage_mbps == Total(32000.0)


def test_the_monthly_cost_is_730_hours_of_the_hourly() -> None:
    inv = Inventory(pools=[pool()])
    assert inv.hourly_usd_max.value == pytest.approx(16 * 55.04)
    assert inv.hourly_usd_min.value == pytest.approx(2 * 55.04)
    assert inv.monthly_usd_max.value == pytest.approx(16 * 55.04 * 730)
    assert inv.monthly_usd_min.value == pytest.approx(2 * 55.04 * 730)
    unknown = Inventory(pools=[pool(), pool(name="u", max_nodes=UNKNOWN)])
    assert unknown.monthly_usd_max.unknown == ("u",) and unknown.monthly_usd("max").value == pytest.approx(
        16 * 55.04 * 730)


def test_what_was_not_read_is_an_unknown_part_of_every_stack_total_and_your_rates_price_the_stack() -> None:
    from backbone.core.catalog.pricing import Rates
    from backbone.policies.inventory.coverage import Coverage, Unread

    unread = Coverage(pools=1, unread=(Unread("aws:ec2/instance:Instance", ("a", "b"), ("urn:a", "urn:b"),
                                              "instanceType: p5.48xlarge"),))
    inv = Inventory(pools=[pool()], coverage=unread)
    label = "2 × aws:ec2/instance:Instance not read"
    assert inv.accelerators_max == Total(128, (label,))
    assert inv.accelerators("max", inv.pools) == Total(128)  # a selection of pools: the unread are not its parts
    assert inv.hourly_usd_max.unknown == (label,) and inv.accelerator_memory_gib_max.unknown == (label,)
    # your rate of $50 a node-hour, not the $55.04 list price: 16 × 50
    mine = Inventory(pools=[pool()], rates=Rates(prices={"aws": {"p5.48xlarge": 50.0}}))
    assert mine.hourly_usd_max == Total(800.0)
