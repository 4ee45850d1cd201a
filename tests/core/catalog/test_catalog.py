"""The catalog data: every required instance type is present and coherent, storage size rules accept the
documented sizes and reject others, and the loader refuses figures without a source."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from backbone.core.catalog import CLOUDS, Catalog, InstanceType, TpuSpec, load, loader
from backbone.core.errors import CatalogError

# instance type -> (cloud, accelerator count, fabric): the rows the components and the pack are built on.
REQUIRED: dict[str, tuple[str, int, str]] = {
    "p5.48xlarge": ("aws", 8, "efa"),
    "p5e.48xlarge": ("aws", 8, "efa"),
    "p5en.48xlarge": ("aws", 8, "efa"),
    "p4d.24xlarge": ("aws", 8, "efa"),
    "p4de.24xlarge": ("aws", 8, "efa"),
    "g5.xlarge": ("aws", 1, "none"),
    "g5.48xlarge": ("aws", 8, "efa"),
    "g6.xlarge": ("aws", 1, "none"),
    "g6e.48xlarge": ("aws", 8, "efa"),
    "trn1.32xlarge": ("aws", 16, "efa"),
    "trn2.48xlarge": ("aws", 16, "efa"),
    "a3-highgpu-8g": ("gcp", 8, "gpudirect-tcpx"),
    "a3-megagpu-8g": ("gcp", 8, "gpudirect-tcpxo"),
    "a3-ultragpu-8g": ("gcp", 8, "rdma"),
    # this year's flagships (issue 21): B200, B300, GB200 on AWS, B200 on GCP, MI300X on Azure
    "p6-b200.48xlarge": ("aws", 8, "efa"),
    "p6-b300.48xlarge": ("aws", 8, "efa"),
    "p6e-gb200.36xlarge": ("aws", 4, "efa"),
    "g7e.48xlarge": ("aws", 8, "efa"),
    "a4-highgpu-8g": ("gcp", 8, "rdma"),
    "Standard_ND96isr_MI300X_v5": ("azure", 8, "infiniband"),
    # and the rest of this year's (issue 21 item 2): GB200 on GCP (4 GPUs per A4X VM: Compute Engine "Networking
    # and GPU machines", XPK's gb200-4) and Azure (4 per ND GB200 v6 VM, learn.microsoft.com nd-gb200-v6-series),
    # GB300 on Azure (4 per ND GB300 v6 VM), A3 Edge (8 H100, GPUDirect-TCPX), TPU7x (1 or 4 chips per VM: XPK,
    # GKE "About Ironwood (TPU7x)")
    "a4x-highgpu-4g": ("gcp", 4, "rdma"),
    "a3-edgegpu-8g": ("gcp", 8, "gpudirect-tcpx"),
    "tpu7x-standard-1t": ("gcp", 1, "ici"),
    "tpu7x-standard-4t": ("gcp", 4, "ici"),
    "Standard_ND128isr_NDR_GB200_v6": ("azure", 4, "infiniband"),
    "Standard_ND128isr_GB300_v6": ("azure", 4, "infiniband"),
    "a2-highgpu-8g": ("gcp", 8, "none"),
    "a2-ultragpu-8g": ("gcp", 8, "none"),
    "g2-standard-8": ("gcp", 1, "none"),
    "g2-standard-96": ("gcp", 8, "none"),
    "ct5lp-hightpu-1t": ("gcp", 1, "ici"),
    "ct5lp-hightpu-4t": ("gcp", 4, "ici"),
    "ct5lp-hightpu-8t": ("gcp", 8, "ici"),
    "ct5p-hightpu-4t": ("gcp", 4, "ici"),
    "ct6e-standard-1t": ("gcp", 1, "ici"),
    "ct6e-standard-4t": ("gcp", 4, "ici"),
    "ct6e-standard-8t": ("gcp", 8, "ici"),
    "Standard_ND96isr_H100_v5": ("azure", 8, "infiniband"),
    "Standard_ND96isr_H200_v5": ("azure", 8, "infiniband"),
    "Standard_ND96amsr_A100_v4": ("azure", 8, "infiniband"),
    "Standard_ND96asr_v4": ("azure", 8, "infiniband"),
    "Standard_NC80adis_H100_v5": ("azure", 2, "none"),
    "Standard_NC24ads_A100_v4": ("azure", 1, "none"),
}

# Fabrics a component has to wire up (attach NICs / networks); ICI needs nothing, none has nothing.
ATTACHED_FABRICS = {"efa", "gpudirect-tcpx", "gpudirect-tcpxo", "rdma", "infiniband"}


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load()


@pytest.mark.parametrize("instance_type", sorted(REQUIRED))
def test_required_instance_type_has_its_accelerator_count_and_fabric(cat: Catalog, instance_type: str) -> None:
    cloud, count, fabric = REQUIRED[instance_type]
    row = cat.instance(cloud, instance_type)
    assert row is not None, f"{instance_type} missing from catalog/data/{cloud}.yaml"
    assert (row.accelerator_count, row.fabric) == (count, fabric)
    assert row.accelerator is not None


def test_instance_types_are_unique_per_cloud(cat: Catalog) -> None:
    keys = [(r.cloud, r.instance_type) for r in cat.instances]
    assert len(keys) == len(set(keys))


def test_every_row_names_a_known_accelerator_with_its_memory(cat: Catalog) -> None:
    for row in cat.instances:
        acc = cat.accelerator(row.accelerator)
        assert acc is not None, f"{row.instance_type}: unknown accelerator {row.accelerator!r}"
        assert acc.memory_gib is not None and acc.memory_gib > 0, acc.name


# Figures the catalog leaves out because no source read states them (the components and rules then say so):
# instance type -> the figures left out. A row missing a figure not listed here fails the tests below.
LEFT_OUT: dict[str, set[str]] = {
    "a4-highgpu-8g": {"accelerator_memory_gib"},
    "a4x-highgpu-4g": {"accelerator_memory_gib"},
    "a3-edgegpu-8g": {"fabric_gbps"},  # Google's network page read says 800 Gbps in one version, 600 in another
    "p6e-gb200.36xlarge": {"fabric_nics"},
}

# Rows whose page states a per-accelerator memory other than the model's (the catalog keeps what each cloud
# states): Azure's ND GB200 v6 page gives 192 GB per GPU, where AWS states the same GB200 GPU as 185 GiB.
STATED_PER_ACCELERATOR: dict[str, float] = {"Standard_ND128isr_NDR_GB200_v6": 192}


def left_out(row: InstanceType, figure: str) -> bool:
    if figure in LEFT_OUT.get(row.instance_type, set()):
        assert getattr(row, figure) is None, f"{row.instance_type}: {figure} is listed as left out but is given"
        return True
    return False


def test_total_accelerator_memory_is_count_times_per_accelerator_memory(cat: Catalog) -> None:
    for row in cat.instances:
        if left_out(row, "accelerator_memory_gib"):
            continue
        acc = cat.accelerator(row.accelerator)
        assert acc is not None and acc.memory_gib is not None
        each = STATED_PER_ACCELERATOR.get(row.instance_type, acc.memory_gib)
        assert row.accelerator_memory_gib == pytest.approx(row.accelerator_count * each), row.instance_type


def test_fabric_instances_carry_nic_count_and_total_bandwidth(cat: Catalog) -> None:
    for row in cat.instances:
        if row.fabric in ATTACHED_FABRICS:
            assert left_out(row, "fabric_nics") or (row.fabric_nics is not None and row.fabric_nics >= 1), \
                row.instance_type
            assert left_out(row, "fabric_gbps") or (row.fabric_gbps is not None and row.fabric_gbps > 0), \
                row.instance_type
        else:
            assert row.fabric_gbps is None and row.fabric_nics is None, row.instance_type


def test_fabric_bandwidth_per_nic_is_a_real_link_speed(cat: Catalog) -> None:
    """Total bandwidth / NIC count must come out at a link speed the NICs have (100, 200 or 400 Gbps; 800 Gbps
    for the ConnectX-8 / XDR InfiniBand of ND GB300 v6, "4x800" on its size page)."""
    for row in cat.instances:
        if row.fabric in ATTACHED_FABRICS and row.fabric_nics and row.fabric_nics > 1 and row.fabric_gbps:
            per_nic = row.fabric_gbps / row.fabric_nics
            assert per_nic in {100, 200, 400, 800}, f"{row.instance_type}: {per_nic} Gbps per fabric NIC"


def test_tpu_rows_are_exactly_the_ici_rows(cat: Catalog) -> None:
    for row in cat.instances:
        assert (row.tpu is not None) == (row.fabric == "ici"), row.instance_type


def tpu_rows(cat: Catalog) -> list[tuple[InstanceType, TpuSpec]]:
    return [(r, r.tpu) for r in cat.instances if r.tpu is not None]


def test_tpu_topologies_divide_into_whole_hosts(cat: Catalog) -> None:
    assert len(tpu_rows(cat)) == 9
    for row, tpu in tpu_rows(cat):
        assert tpu.chips_per_host == row.accelerator_count, row.instance_type
        assert row.accelerator == f"tpu-{tpu.version}", row.instance_type
        assert tpu.topologies, row.instance_type
        for topology in tpu.topologies:
            assert re.fullmatch(r"\d+x\d+(x\d+)?", topology), topology
            assert TpuSpec.chips_of(topology) % tpu.chips_per_host == 0, f"{row.instance_type} {topology}"


def test_tpu_topology_dimensions_match_the_version(cat: Catalog) -> None:
    """v5e and v6e slices are 2D; v5p and TPU7x slices are 3D (cloud.google.com/tpu/docs/tpu7x: "shares many
    similarities with TPU v5p"; XPK's TPU7x shapes are AxBxC)."""
    for _row, tpu in tpu_rows(cat):
        dims = {len(t.split("x")) for t in tpu.topologies}
        assert dims == ({3} if tpu.version in ("v5p", "7x") else {2}), tpu.version


def test_single_host_tpu_types_offer_only_their_one_host_shape(cat: Catalog) -> None:
    for row, tpu in tpu_rows(cat):
        if row.instance_type.endswith(("-1t", "-8t")):
            assert [TpuSpec.chips_of(t) for t in tpu.topologies] == [tpu.chips_per_host], row.instance_type


def test_four_chip_tpu_types_offer_multi_host_slices(cat: Catalog) -> None:
    for instance_type in ("ct5lp-hightpu-4t", "ct6e-standard-4t", "ct5p-hightpu-4t", "tpu7x-standard-4t"):
        tpu = cat.instance("gcp", instance_type).tpu  # type: ignore[union-attr]
        assert tpu is not None
        hosts = [TpuSpec.chips_of(t) // tpu.chips_per_host for t in tpu.topologies]
        assert hosts[0] == 1 and max(hosts) > 1, instance_type
        assert hosts == sorted(hosts), f"{instance_type}: topologies not in slice-size order"


def test_prices_carry_region_and_date(cat: Catalog) -> None:
    for row in cat.instances:
        if row.on_demand_usd_per_hour is not None or row.spot_usd_per_hour is not None:
            assert row.price_region and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.price_as_of or ""), row.instance_type
        if row.on_demand_usd_per_hour is not None and row.spot_usd_per_hour is not None:
            assert row.spot_usd_per_hour < row.on_demand_usd_per_hour, row.instance_type


def test_every_row_cites_dated_https_sources(cat: Catalog) -> None:
    for row in cat.instances:
        assert row.sources, row.instance_type
        for source in row.sources:
            assert source.url.startswith("https://"), source.url
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", source.as_of), (source.key, source.as_of)
    for acc in cat.accelerators.values():
        assert acc.sources, acc.name


# --- storage -------------------------------------------------------------------------------------------

def test_one_offering_per_cloud_and_kind(cat: Catalog) -> None:
    pairs = [(s.cloud, s.kind) for s in cat.storage]
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {
        ("aws", "lustre"), ("aws", "bucket"),
        ("gcp", "lustre"), ("gcp", "parallelstore"), ("gcp", "bucket"),
        ("azure", "lustre"), ("azure", "bucket"),
    }
    for offering in cat.storage:
        assert offering.cloud in CLOUDS
        assert (offering.kind == "bucket") == (not offering.rules), offering.kind


@pytest.mark.parametrize(
    ("cloud", "kind", "tiers"),
    [
        ("aws", "lustre", (125, 250, 500, 1000)),
        ("gcp", "lustre", (125, 250, 500, 1000)),
        ("azure", "lustre", (40, 125, 250, 500)),
    ],
)
def test_lustre_tiers(cat: Catalog, cloud: str, kind: str, tiers: tuple[float, ...]) -> None:
    offering = cat.storage_offering(cloud, kind)
    assert offering is not None and offering.throughput_configurable
    assert offering.tiers == tiers


def accepts(cat: Catalog, cloud: str, kind: str, tier: float, tib: float) -> bool:
    offering = cat.storage_offering(cloud, kind)
    assert offering is not None
    rule = offering.rule_for(tier)
    assert rule is not None, f"{cloud}/{kind} has no {tier} tier"
    return rule.accepts(tib)


@pytest.mark.parametrize("tier", [125, 250, 500, 1000])
@pytest.mark.parametrize(("tib", "ok"), [(1.2, True), (2.4, True), (4.8, True), (9.6, True), (96, True),
                                         (0.6, False), (3.0, False), (3.6, False), (5.0, False)])
def test_fsx_persistent_2_sizes(cat: Catalog, tier: int, tib: float, ok: bool) -> None:
    assert accepts(cat, "aws", "lustre", tier, tib) is ok


def test_fsx_sizes_map_to_the_gib_the_api_takes(cat: Catalog) -> None:
    offering = cat.storage_offering("aws", "lustre")
    assert offering is not None
    assert [round(t * offering.gib_per_tib) for t in (1.2, 2.4, 4.8)] == [1200, 2400, 4800]


@pytest.mark.parametrize(
    ("tier", "tib", "ok"),
    [
        (1000, 9, True), (1000, 18, True), (1000, 1530, True), (1000, 10, False), (1000, 4.5, False),
        (1000, 1539, False),  # above the small-step threshold: not accepted by this catalog
        (500, 18, True), (500, 9, False), (500, 27, False), (500, 36, True),
        (250, 36, True), (250, 18, False), (125, 72, True), (125, 144, True), (125, 36, False),
    ],
)
def test_gcp_managed_lustre_sizes(cat: Catalog, tier: int, tib: float, ok: bool) -> None:
    assert accepts(cat, "gcp", "lustre", tier, tib) is ok


@pytest.mark.parametrize(("tib", "ok"), [(12, True), (16, True), (48, True), (100, True),
                                         (8, False), (14, False), (104, False)])
def test_parallelstore_sizes(cat: Catalog, tib: float, ok: bool) -> None:
    offering = cat.storage_offering("gcp", "parallelstore")
    assert offering is not None and not offering.throughput_configurable and len(offering.tiers) == 1
    assert offering.rules[0].accepts(tib) is ok
    assert offering.gib_per_tib * 12 == 12000


@pytest.mark.parametrize(
    ("tier", "tib", "ok"),
    [
        (500, 4, True), (500, 8, True), (500, 128, True), (500, 6, False), (500, 132, False),
        (250, 8, True), (250, 4, False), (250, 12, False), (125, 16, True), (125, 24, False),
        (40, 48, True), (40, 96, True), (40, 768, True), (40, 16, False), (40, 816, False),
    ],
)
def test_azure_managed_lustre_sizes(cat: Catalog, tier: int, tib: float, ok: bool) -> None:
    assert accepts(cat, "azure", "lustre", tier, tib) is ok


def test_a_refused_size_names_the_sizes_on_either_side_and_a_missing_tier_the_tiers(cat: Catalog) -> None:
    fsx = cat.storage_offering("aws", "lustre")
    parallelstore = cat.storage_offering("gcp", "parallelstore")
    assert fsx is not None and parallelstore is not None
    assert fsx.refusal(2.4, 1000) is None
    assert "does not accept 3 TiB" in str(fsx.refusal(3.0, 1000)) and "(nearest: 2.4 or 4.8 TiB)" in str(
        fsx.refusal(3.0, 1000))
    assert fsx.refusal(2.4, 300) == fsx.tier_refusal(300) and "no 300 MB/s/TiB tier; allowed: 125," in str(
        fsx.tier_refusal(300))
    assert fsx.tier_or_only(None) is None and "needs a throughput tier" in str(fsx.refusal(2.4, None))
    only_tier = parallelstore.tier_or_only(None)
    assert only_tier == parallelstore.tiers[0] and parallelstore.refusal(12, only_tier) is None


def test_storage_resource_types_are_provider_tokens(cat: Catalog) -> None:
    for offering in cat.storage:
        provider = offering.resource_type.split(":")[0]
        assert provider == {"aws": "aws", "gcp": "gcp", "azure": "azure-native"}[offering.cloud]
        assert offering.resource_type.count(":") == 2, offering.resource_type


# --- the loader's citation check -----------------------------------------------------------------------

@pytest.fixture
def data_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    """A private, editable copy of every data file, served to the loader instead of the package files."""
    load()  # the package catalog stays cached as it is; these tests build theirs with load_with.__wrapped__
    real_read = loader._read
    files = {name: copy.deepcopy(real_read(name)) for name in
             ("aws.yaml", "gcp.yaml", "azure.yaml", "accelerators.yaml", "storage.yaml")}
    monkeypatch.setattr(loader, "_read", lambda name: files[name])
    return files


def load_fresh() -> Catalog:
    return loader.load_with.__wrapped__(())  # type: ignore[attr-defined,no-any-return]


def row_of(files: dict[str, dict[str, Any]], name: str, instance_type: str) -> dict[str, Any]:
    return next(r for r in files[name]["instances"] if r["instance_type"] == instance_type)


def test_copy_of_the_data_loads_like_the_package(data_files: dict[str, dict[str, Any]]) -> None:
    assert load_fresh().instances == load().instances


def test_loader_rejects_an_uncited_figure(data_files: dict[str, dict[str, Any]]) -> None:
    row = row_of(data_files, "aws.yaml", "p5.48xlarge")
    for figures in row["cite"].values():
        if "fabric_nics" in figures:
            figures.remove("fabric_nics")
    with pytest.raises(CatalogError, match=r"aws\.yaml: p5\.48xlarge: figure 'fabric_nics' has no source"):
        load_fresh()


def test_loader_accepts_the_figure_once_it_is_null(data_files: dict[str, dict[str, Any]]) -> None:
    row = row_of(data_files, "aws.yaml", "p5.48xlarge")
    for figures in row["cite"].values():
        if "fabric_nics" in figures:
            figures.remove("fabric_nics")
    row["fabric_nics"] = None
    assert load_fresh().instance("aws", "p5.48xlarge").fabric_nics is None  # type: ignore[union-attr]


def test_loader_rejects_a_citation_of_an_unknown_source(data_files: dict[str, dict[str, Any]]) -> None:
    row_of(data_files, "gcp.yaml", "a3-megagpu-8g")["cite"]["a-blog-post"] = ["fabric_gbps"]
    with pytest.raises(CatalogError, match=r"unknown source 'a-blog-post'"):
        load_fresh()


def test_loader_rejects_an_uncited_accelerator_figure(data_files: dict[str, dict[str, Any]]) -> None:
    acc = next(a for a in data_files["accelerators.yaml"]["accelerators"] if a["name"] == "nvidia-a10g-24gb")
    acc["bf16_dense_tflops"] = 70
    with pytest.raises(CatalogError, match="nvidia-a10g-24gb: figure 'bf16_dense_tflops' has no source"):
        load_fresh()


def test_loader_rejects_an_uncited_storage_rule(data_files: dict[str, dict[str, Any]]) -> None:
    offerings = data_files["storage.yaml"]["offerings"]
    offering = next(o for o in offerings if (o["cloud"], o["kind"]) == ("azure", "lustre"))
    del offering["cite"]["azure-lustre-skus"]
    with pytest.raises(CatalogError, match="azure/lustre: figure 'rules' has no source"):
        load_fresh()


def test_loader_rejects_a_price_without_region(data_files: dict[str, dict[str, Any]]) -> None:
    row = row_of(data_files, "aws.yaml", "p5en.48xlarge")
    row["price_region"] = None
    with pytest.raises(CatalogError, match=r"p5en\.48xlarge: a price needs price_region and price_as_of"):
        load_fresh()


def _offering_row(files: dict[str, dict[str, Any]], cloud: str, kind: str) -> dict[str, Any]:
    return next(o for o in files["storage.yaml"]["offerings"] if (o["cloud"], o["kind"]) == (cloud, kind))


def test_storage_prices_load_with_their_citation_region_and_date(cat: Catalog) -> None:
    """Managed Lustre, us-central1, USD per GiB-month x 1000 GiB per catalog TiB: 125 -> 0.145 x 1000 = 145;
    250 -> 0.21 x 1000 = 210; 500 -> 0.34 x 1000 = 340; 1000 -> 0.60 x 1000 = 600. Each tier has its own date and
    sources: 125 the SKU quote (2026-07-24) and the billing-export copy that agrees; 250 / 500 / 1000 the copy
    alone (secondary, 2026-06-05)."""
    lustre = cat.storage_offering("gcp", "lustre")
    assert lustre is not None
    assert lustre.usd_per_tib_month == {125.0: 145.0, 250.0: 210.0, 500.0: 340.0, 1000.0: 600.0}
    assert {t: (p.region, p.as_of, p.secondary) for t, p in lustre.prices.items()} == {
        125.0: ("us-central1", "2026-07-24", False),  # the billing catalog's SKU price, quoted with its SKU id
        250.0: ("us-central1", "2026-06-05", True),
        500.0: ("us-central1", "2026-06-05", True),
        1000.0: ("us-central1", "2026-06-05", True),
    }
    [billing] = [s for s in lustre.prices[125.0].sources if "517C-E77D-C11A" in s.title]
    assert billing.url.startswith("https://") and billing.as_of == "2026-07-24"
    [export] = lustre.prices[1000.0].sources
    assert export.url.startswith("https://github.com/WandLZhang/") and "1b191967e06c" in export.url
    assert export.kind == "secondary" and export.as_of == "2026-06-05"


def test_lustre_prices_from_dated_secondary_sources(cat: Catalog) -> None:
    """FSx PERSISTENT_2, us-east-1, USD per GB-month x 1000 GB per catalog TiB: 125 from c3x's fixture, 1,200 GB ->
    174 USD a month (174 / 1200 = 0.145; x 1000 = 145); 500 -> 0.34 x 1000 = 340 and 1000 -> 0.60 x 1000 = 600 from
    a deployment guide (2026-10-08). 250: the one figure found is for us-west-2, so unpriced. Azure Managed Lustre
    East US: 0.000198 / 0.000287 / 0.000466 USD per GiB-hour x 730 h x 1024 GiB. All from secondary sources (no
    official page readable), so marked as such."""
    fsx = cat.storage_offering("aws", "lustre")
    assert fsx is not None and fsx.usd_per_tib_month == {125.0: pytest.approx(174 / 1200 * 1000), 500.0: 340.0,
                                                         1000.0: 600.0}
    assert 250.0 not in fsx.prices and fsx.rule_for(250) is not None
    assert {t: (p.region, p.as_of, p.secondary) for t, p in fsx.prices.items()} == {
        125.0: ("us-east-1", "2026-07-22", True),
        500.0: ("us-east-1", "2026-10-08", True),
        1000.0: ("us-east-1", "2026-10-08", True),
    }
    [guide] = fsx.prices[1000.0].sources
    assert "132afd27ea29" in guide.url and "us-east-1 is the repository's context" in guide.title
    assert [s.key for s in fsx.prices[125.0].sources] == ["c3x-fsx-lustre"]
    amlfs = cat.storage_offering("azure", "lustre")
    assert amlfs is not None and all(p.secondary and p.region == "eastus" for p in amlfs.prices.values())
    assert amlfs.usd_per_tib_month == {125.0: pytest.approx(0.000198 * 730 * 1024, abs=0.01),
                                       250.0: pytest.approx(0.000287 * 730 * 1024, abs=0.01),
                                       500.0: pytest.approx(0.000466 * 730 * 1024, abs=0.01)}
    assert amlfs.rule_for(40) is not None and 40.0 not in amlfs.usd_per_tib_month  # Premium-40: no source found
    assert [s.kind for s in amlfs.sources if "usd" in s.title.lower() or "0.34" in s.title] == ["secondary"] * 2


def test_loader_rejects_a_storage_price_without_region_or_date(data_files: dict[str, dict[str, Any]]) -> None:
    del _offering_row(data_files, "gcp", "lustre")["price_as_of"]
    with pytest.raises(CatalogError, match="gcp/lustre: a price needs price_region and price_as_of"):
        load_fresh()


def test_loader_rejects_a_storage_price_for_a_tier_the_rules_lack(data_files: dict[str, dict[str, Any]]) -> None:
    _offering_row(data_files, "gcp", "lustre")["usd_per_tib_month"] = {300: 200.0}
    with pytest.raises(CatalogError, match="gcp/lustre: a price for a 300 MB/s/TiB tier the rules do not list"):
        load_fresh()


@pytest.mark.parametrize("price", [-600.0, 0, float("nan"), float("inf")])
def test_loader_rejects_a_storage_price_that_is_not_above_zero(data_files: dict[str, dict[str, Any]],
                                                               price: float) -> None:
    # a price of 0 or less (or none at all) would make a file system cheaper than it is: the budget would pass
    _offering_row(data_files, "gcp", "lustre")["usd_per_tib_month"][1000] = price
    with pytest.raises(CatalogError, match=r"gcp/lustre: usd_per_tib_month\[1000\] is .*; allowed: a price above 0"):
        load_fresh()


def test_loader_rejects_an_uncited_storage_price(data_files: dict[str, dict[str, Any]]) -> None:
    cite = _offering_row(data_files, "gcp", "lustre")["cite"]
    del cite["gcp-lustre-billing-sku"], cite["gcp-lustre-billing-export"]
    with pytest.raises(CatalogError, match="gcp/lustre: figure 'usd_per_tib_month' has no source"):
        load_fresh()


def test_loader_rejects_a_tier_price_no_source_cites(data_files: dict[str, dict[str, Any]]) -> None:
    """The SKU quote cites the 125 tier only: without the billing-export copy, 250 has no source."""
    del _offering_row(data_files, "gcp", "lustre")["cite"]["gcp-lustre-billing-export"]
    with pytest.raises(CatalogError, match=r"gcp/lustre: figure 'usd_per_tib_month\[250\]' has no source in 'cite'"):
        load_fresh()


@pytest.mark.parametrize(("cited", "message"), [
    ("usd_per_tib_month[250]", r"aws/lustre: blast-fsx-persistent2 cites 'usd_per_tib_month\[250\]', a tier with no "
                               r"price in usd_per_tib_month \(priced: 125, 500, 1000\)"),
    ("usd_per_tib_month[fast]", r"aws/lustre: blast-fsx-persistent2 cites 'usd_per_tib_month\[fast\]': name a tier "
                                r"in MB/s per TiB, e.g. usd_per_tib_month\[1000\]"),
], ids=["unpriced tier", "not a tier"])
def test_loader_rejects_a_tier_citation_of_no_priced_tier(data_files: dict[str, dict[str, Any]], cited: str,
                                                           message: str) -> None:
    _offering_row(data_files, "aws", "lustre")["cite"]["blast-fsx-persistent2"].append(cited)
    with pytest.raises(CatalogError, match=message):
        load_fresh()


@pytest.mark.parametrize(("dates", "message"), [
    ({125: "2026-07-22", 500: "2026-10-08"}, "price_as_of has no date for the 1000 MB/s/TiB tier"),
    ({125: "2026-07-22", 250: "2026-07-15", 500: "2026-10-08", 1000: "2026-10-08"},
     "price_as_of dates the 250 MB/s/TiB tier"),
    ({"fast": "2026-10-08"}, "price_as_of maps a tier in MB/s per TiB to a date"),
], ids=["a tier undated", "an unpriced tier dated", "not a tier"])
def test_loader_rejects_tier_dates_that_miss_the_priced_tiers(data_files: dict[str, dict[str, Any]],
                                                              dates: dict[Any, str], message: str) -> None:
    _offering_row(data_files, "aws", "lustre")["price_as_of"] = dates
    with pytest.raises(CatalogError, match=f"aws/lustre: {message}"):
        load_fresh()


def test_loader_rejects_a_row_naming_an_unknown_accelerator(data_files: dict[str, dict[str, Any]]) -> None:
    row_of(data_files, "azure.yaml", "Standard_NC24ads_A100_v4")["accelerator"] = "nvidia-a100-81gb"
    with pytest.raises(CatalogError, match="unknown accelerator 'nvidia-a100-81gb'"):
        load_fresh()


def test_smallest_accepted_size_at_least_a_need() -> None:
    from backbone.core import catalog as cat

    fsx = cat.load().storage_offering("aws", "lustre")
    assert fsx is not None
    rule = fsx.rule_for(500)
    assert rule is not None
    # FSx PERSISTENT_2: 1.2 TiB, or 2.4 TiB and up in steps of 2.4 TiB
    assert [rule.smallest_at_least(n) for n in (0.5, 1.2, 1.3, 2.4, 3.0, 48.1)] == [1.2, 1.2, 2.4, 2.4, 4.8, 50.4]
    capped = cat.CapacityRule(throughput_mbps_per_tib=500, min_tib=4, max_tib=128, step_tib=4)
    assert (capped.smallest_at_least(127), capped.smallest_at_least(129)) == (128, None)


def test_a_host_is_a_slice_where_a_listed_shape_has_its_chips() -> None:
    """GKE makes a TPU pool without a topology of one-host slices: possible where the machine type lists the shape of
    one host (ct5lp-hightpu-4t: 2x2; ct5p-hightpu-4t: 2x2x1), not where it lists multi-host shapes only."""
    assert TpuSpec("v5e", 4, ("2x2", "4x4")).forms_host_slice()
    assert TpuSpec("v5p", 4, ("2x2x1", "2x2x2")).forms_host_slice()
    assert TpuSpec("v5e", 1, ("1x1",), single_host=True).forms_host_slice()
    assert not TpuSpec("v5p", 4, ("2x2x2", "2x2x4")).forms_host_slice()


def test_cloud_tpu_device_types_count_chips_as_xpk_lists_them(cat: Catalog) -> None:
    """XPK's system_characteristics: v5p-2048 is 8x8x16 (1,024 chips), v5litepod-16 4x4 (16), v6e-256 16x16 (256)."""
    def chips(machine_type: str, device: str) -> int | None:
        row = cat.find(machine_type)
        assert row is not None and row.tpu is not None and row.tpu.generation is not None
        return row.tpu.generation.chips_of_device(device)

    assert chips("ct5p-hightpu-4t", "v5p-2048") == 1024
    assert chips("ct5lp-hightpu-4t", "v5litepod-16") == 16
    assert chips("ct6e-standard-4t", "v6e-256") == 256
    assert chips("ct5p-hightpu-4t", "v5litepod-16") is None  # another generation's name
    assert chips("ct5p-hightpu-4t", "v5p-7") is None  # not whole chips
