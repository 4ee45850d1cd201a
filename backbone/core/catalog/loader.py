"""Loads the catalog data files into typed, immutable records and checks that every figure is cited.

Data files (``backbone/core/catalog/data``):

- ``aws.yaml``, ``gcp.yaml``, ``azure.yaml``: ``sources`` (key -> url, as_of, title) and ``instances``,
  one row per instance type; each row's ``cite`` maps a source key to the figures that source gives.
- ``accelerators.yaml``: per accelerator model, memory and peak dense BF16 TFLOP/s; for a TPU generation, its
  slice dimensions, largest slice, the rule its published shapes follow and its DCN bandwidth per chip.
- ``storage.yaml``: per cloud and kind, the sizes and throughput tiers the file system service accepts.

A figure that cannot be sourced is left out (null), never guessed; ``load`` refuses an uncited figure.

Your own catalog files (``--catalog FILE``, or the files named in ``BACKBONE_CATALOG``, separated by the path
separator) hold rows in the same format — ``sources``, ``instances`` (each with a ``cloud``, or one ``cloud`` for
the whole file), ``accelerators``, ``offerings`` — checked the same way; their rows add to or replace the shipped
ones, in the order the files are given, and ``Catalog.overlays`` says which rows came from which file.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from backbone.core.catalog.model import (
    CLOUDS,
    FABRICS,
    INSTANCE_FIGURES,
    Accelerator,
    BlockRate,
    CapacityRule,
    Cloud,
    InstanceType,
    Source,
    StorageOffering,
    TierPrice,
    TpuGeneration,
    TpuSpec,
)
from backbone.core.data_yaml import read_yaml
from backbone.core.errors import CatalogError, ConfigError, Problem

__all__ = ["CATALOG_ENV", "CATALOG_FILES_SCHEMA", "Catalog", "Overlay", "catalog_files", "load", "load_with",
           "use_catalog_files"]

CATALOG_ENV = "BACKBONE_CATALOG"
"""Your own catalog files, separated by the path separator (``:``), read by every process that loads the catalog
(the command, the program, the policy pack under ``pulumi preview --policy-pack``)."""
CATALOG_FILES_SCHEMA: dict[str, Any] = {
    "type": "array", "items": {"type": "string", "pattern": r"^(/|[A-Za-z]:[\\/])"}, "default": [],
    "description": "Your own catalog files (absolute paths), read by the whole pack after BACKBONE_CATALOG's: "
                   "cited rows in the shipped format that add or replace rows (docs/catalog.md).",
}
"""``known-accelerator``'s ``catalogFiles``: the pack's config names catalog files for every rule of the pack."""
MAX_CATALOG_BYTES = 4 * 1024 * 1024
INSTANCE_KEYS = frozenset({*INSTANCE_FIGURES, "cloud", "instance_type", "cite", "price_region", "price_as_of",
                           "capacity_block_region", "capacity_block_as_of"})



def _read(name: str) -> dict[str, Any]:
    text = resources.files("backbone.core.catalog").joinpath("data", name).read_text(encoding="utf-8")
    data = read_yaml(text)
    if not isinstance(data, dict):
        raise CatalogError(f"{name}: expected a mapping at the top")
    return data


SOURCE_KINDS = ("primary", "secondary")


def _sources(name: str, data: dict[str, Any]) -> dict[str, Source]:
    out: dict[str, Source] = {}
    raw_sources = data.get("sources") or {}
    if not isinstance(raw_sources, dict):
        raise CatalogError(f"{name}: sources must map a key to url, as_of, title")
    for key, raw in raw_sources.items():
        if not isinstance(raw, dict) or not raw.get("url") or not raw.get("as_of"):
            raise CatalogError(f"{name}: source {key!r} needs url and as_of")
        kind = str(raw.get("source_kind", "primary"))
        if kind not in SOURCE_KINDS:
            raise CatalogError(f"{name}: source {key!r}: source_kind {kind!r} is not one of "
                               f"{', '.join(SOURCE_KINDS)}")
        out[key] = Source(key=key, url=str(raw["url"]), as_of=str(raw["as_of"]), title=str(raw.get("title", "")),
                          kind="secondary" if kind == "secondary" else "primary")
    return out


def _cited(name: str, row_name: str, row: dict[str, Any], sources: dict[str, Source],
           figures: tuple[str, ...]) -> tuple[Source, ...]:
    """Checks that every non-null figure of ``row`` is cited; returns the sources the row cites."""
    cite = row.get("cite") or {}
    if not isinstance(cite, dict):
        raise CatalogError(f"{name}: {row_name}: cite must map source keys to figure lists")
    covered: set[str] = set()
    used: list[Source] = []
    for key, fields in cite.items():
        if key not in sources:
            raise CatalogError(f"{name}: {row_name}: cites unknown source {key!r}")
        used.append(sources[key])
        # A figure cited for one of its keys (``usd_per_tib_month[1000]``) counts as cited here; the per-key
        # check is the figure's own (``_tier_prices``).
        covered.update(str(f).split("[", 1)[0] for f in fields or [])
    for fig in figures:
        value = row.get(fig)
        if value not in (None, [], {}) and fig not in covered:
            raise CatalogError(f"{name}: {row_name}: figure {fig!r} has no source in 'cite'")
    return tuple(used)


def _secondary_only(row: dict[str, Any], sources: dict[str, Source], figure: str) -> bool:
    """True where every source the row cites for ``figure`` is a secondary one (and at least one is)."""
    cite = row.get("cite") or {}
    kinds = [sources[key].kind for key, fields in cite.items() if key in sources and figure in (fields or [])]
    return bool(kinds) and all(k == "secondary" for k in kinds)


ACCELERATOR_FIGURES = ("memory_gib", "bf16_dense_tflops", "slice_dimensions", "max_slice_chips", "shape_rule",
                       "dcn_gbps_per_chip", "device_prefix", "cores_per_chip")


def _generation(name: str, a: dict[str, Any]) -> TpuGeneration | None:
    if a.get("slice_dimensions") is None:
        return None
    if a.get("max_slice_chips") is None:
        raise CatalogError(f"{name}: {a['name']}: slice_dimensions needs max_slice_chips")
    dcn = a.get("dcn_gbps_per_chip")
    return TpuGeneration(dimensions=int(a["slice_dimensions"]), max_slice_chips=int(a["max_slice_chips"]),
                         shape_rule=str(a.get("shape_rule") or ""),
                         dcn_gbps_per_chip=None if dcn is None else float(dcn),
                         device_prefix=None if a.get("device_prefix") is None else str(a["device_prefix"]),
                         cores_per_chip=int(a.get("cores_per_chip") or 1))


def _figure(where: str, key: str, value: Any, *, price: bool = False, whole: bool = False) -> float:
    """A catalog figure as a number: finite, and above 0 for a price (a price of 0 or less would make a stack
    cheaper than it is), 0 or more for a count or a size. Raises ``CatalogError`` naming the row and key."""
    number = float(value)
    if not math.isfinite(number) or (number <= 0 if price else number < 0) or (whole and not number.is_integer()):
        allowed = "a price above 0" if price else "a whole number of 0 or more" if whole else "a number of 0 or more"
        raise CatalogError(f"{where}: {key} is {value!r}; allowed: {allowed}")
    return number


def _block_rate(name: str, it: str, row: dict[str, Any]) -> BlockRate | None:
    rate = row.get("capacity_block_usd_per_hour")
    if rate is None:
        return None
    if not (row.get("capacity_block_region") and row.get("capacity_block_as_of")):
        raise CatalogError(f"{name}: {it}: a Capacity Block rate needs capacity_block_region and "
                           "capacity_block_as_of")
    return BlockRate(_figure(f"{name}: {it}", "capacity_block_usd_per_hour", rate, price=True),
                     str(row["capacity_block_region"]), str(row["capacity_block_as_of"]))


def _instance(cloud: Cloud, name: str, row: dict[str, Any], sources: dict[str, Source],
              generations: dict[str, TpuGeneration]) -> InstanceType:
    if not isinstance(row, dict) or not row.get("instance_type"):
        raise CatalogError(f"{name}: a row needs instance_type (and the figures its sources give)")
    it = str(row["instance_type"])
    unknown = sorted(str(k) for k in row if k not in INSTANCE_KEYS)
    if unknown:
        raise CatalogError(f"{name}: {it}: unknown key {unknown[0]!r}; allowed: "
                           f"{', '.join(sorted(INSTANCE_KEYS))}")
    fabric = str(row.get("fabric") or "none")
    if fabric not in FABRICS:
        raise CatalogError(f"{name}: {it}: fabric {fabric!r} is not one of {', '.join(FABRICS)}")
    tpu_raw = row.get("tpu")
    tpu = None
    if tpu_raw:
        tpu = TpuSpec(
            version=str(tpu_raw["version"]),
            chips_per_host=int(tpu_raw["chips_per_host"]),
            topologies=tuple(str(t) for t in tpu_raw.get("topologies") or ()),
            single_host=bool(tpu_raw.get("single_host", False)),
            generation=generations.get(str(row.get("accelerator"))),
        )
    has_price = row.get("on_demand_usd_per_hour") is not None or row.get("spot_usd_per_hour") is not None
    if has_price and not (row.get("price_region") and row.get("price_as_of")):
        raise CatalogError(f"{name}: {it}: a price needs price_region and price_as_of")

    def num(key: str) -> float | None:
        v = row.get(key)
        return None if v is None else _figure(f"{name}: {it}", key, v, price=key.endswith("usd_per_hour"))

    def whole(key: str) -> int | None:
        v = row.get(key)
        return None if v is None else int(_figure(f"{name}: {it}", key, v, whole=True))

    return InstanceType(
        cloud=cloud,
        instance_type=it,
        accelerator=row.get("accelerator"),
        accelerator_count=whole("accelerator_count") or 0,
        accelerator_memory_gib=num("accelerator_memory_gib"),
        vcpus=whole("vcpus"),
        memory_gib=num("memory_gib"),
        fabric=fabric,
        fabric_gbps=num("fabric_gbps"),
        fabric_nics=whole("fabric_nics"),
        on_demand_usd_per_hour=num("on_demand_usd_per_hour"),
        spot_usd_per_hour=num("spot_usd_per_hour"),
        price_region=row.get("price_region"),
        price_as_of=None if row.get("price_as_of") is None else str(row["price_as_of"]),
        regions=tuple(row.get("regions") or ()),
        zones=tuple(row.get("zones") or ()),
        tpu=tpu,
        sources=_cited(name, it, row, sources, INSTANCE_FIGURES),
        capacity_block=_block_rate(name, it, row),
        capacity_block_only=bool(row.get("capacity_block_only", False)),
        price_secondary=_secondary_only(row, sources, "on_demand_usd_per_hour"),
    )


def _offering(name: str, row: dict[str, Any], sources: dict[str, Source]) -> StorageOffering:
    if not isinstance(row, dict) or row.get("cloud") not in CLOUDS or not row.get("kind"):
        raise CatalogError(f"{name}: an offering needs cloud (one of {', '.join(CLOUDS)}), kind, service and "
                           "resource_type")
    label = f"{row.get('cloud')}/{row.get('kind')}"
    rules = tuple(
        CapacityRule(
            throughput_mbps_per_tib=float(r["throughput_mbps_per_tib"]),
            min_tib=float(r["min_tib"]),
            max_tib=None if r.get("max_tib") is None else float(r["max_tib"]),
            step_tib=float(r["step_tib"]),
            extra_sizes_tib=tuple(float(s) for s in r.get("extra_sizes_tib") or ()),
        )
        for r in row.get("rules") or ()
    )
    cited = _cited(name, label, row, sources, ("rules", PRICE_FIGURE, "gib_per_tib"))
    return StorageOffering(
        cloud=row["cloud"],
        kind=str(row["kind"]),
        service=str(row["service"]),
        resource_type=str(row["resource_type"]),
        gib_per_tib=float(row.get("gib_per_tib", 1024)),
        throughput_configurable=bool(row.get("throughput_configurable", True)),
        rules=rules,
        prices=_tier_prices(name, label, row, sources, {r.throughput_mbps_per_tib for r in rules}),
        sources=cited,
    )


PRICE_FIGURE = "usd_per_tib_month"
_TIER_CITE = re.compile(r"usd_per_tib_month\[([^\]]*)\]")


def _tier_prices(name: str, label: str, row: dict[str, Any], sources: dict[str, Source],
                 tiers: set[float]) -> dict[float, TierPrice]:
    """Each priced tier of an offering with its region, date and sources. A source cites ``usd_per_tib_month``
    (every tier's price) or ``usd_per_tib_month[<tier>]`` (that tier's); ``price_as_of`` is one date, or a date
    per priced tier (``{125: "2026-07-24", 1000: "2026-06-05"}``) where the tiers come from sources read on
    different dates."""
    prices = {float(k): _figure(f"{name}: {label}", f"{PRICE_FIGURE}[{k}]", v, price=True)
              for k, v in (row.get(PRICE_FIGURE) or {}).items()}
    for tier in prices:
        if tier not in tiers:
            raise CatalogError(f"{name}: {label}: a price for a {tier:g} MB/s/TiB tier the "
                               f"rules do not list (tiers: {', '.join(f'{t:g}' for t in sorted(tiers))})")
    priced = ", ".join(f"{t:g}" for t in sorted(prices)) or "none"
    every: list[Source] = []
    per_tier: dict[float, list[Source]] = {}
    cite = row.get("cite") or {}
    for key, fields in (cite.items() if isinstance(cite, dict) else ()):
        for fig in fields or ():
            if fig == PRICE_FIGURE and key in sources:
                every.append(sources[key])
                continue
            match = _TIER_CITE.fullmatch(str(fig))
            if match is None:
                continue
            try:
                tier = float(match.group(1))
            except ValueError:
                raise CatalogError(f"{name}: {label}: {key} cites {fig!r}: name a tier in MB/s per TiB, "
                                   f"e.g. {PRICE_FIGURE}[1000]") from None
            if tier not in prices:
                raise CatalogError(f"{name}: {label}: {key} cites {fig!r}, a tier with no price in "
                                   f"{PRICE_FIGURE} (priced: {priced})")
            if key in sources:
                per_tier.setdefault(tier, []).append(sources[key])
    if not prices:
        return {}
    region, dates = row.get("price_region"), row.get("price_as_of")
    if not (region and dates):
        raise CatalogError(f"{name}: {label}: a price needs price_region and price_as_of")
    if isinstance(dates, dict):
        try:
            dated = {float(k): str(v) for k, v in dates.items()}
        except ValueError:
            raise CatalogError(f"{name}: {label}: price_as_of maps a tier in MB/s per TiB to a date, e.g. "
                               '{1000: "2026-06-05"}') from None
        for tier in sorted(set(dated) ^ set(prices)):
            what = "has no date for" if tier in prices else "dates"
            raise CatalogError(f"{name}: {label}: price_as_of {what} the {tier:g} MB/s/TiB tier "
                               f"(priced: {priced}); give one date per priced tier, or one date for all")
    else:
        dated = dict.fromkeys(prices, str(dates))
    out: dict[float, TierPrice] = {}
    for tier, usd in sorted(prices.items()):
        cited = (*every, *(s for s in per_tier.get(tier, ()) if s not in every))
        if (every or per_tier) and not cited:
            raise CatalogError(f"{name}: {label}: figure '{PRICE_FIGURE}[{tier:g}]' has no source in 'cite'")
        out[tier] = TierPrice(usd, str(region), dated[tier], tuple(cited))
    return out


@dataclass(frozen=True)
class Overlay:
    """What one of your catalog files changed: the rows it added and the shipped rows it replaced."""

    file: str
    added: tuple[str, ...]
    replaced: tuple[str, ...]

    def describe(self) -> str:
        parts = []
        if self.added:
            parts.append(f"added {', '.join(self.added)}")
        if self.replaced:
            parts.append(f"replaced {', '.join(self.replaced)}")
        return f"{self.file}: {'; '.join(parts) or 'no rows'}"

    def to_json(self) -> dict[str, object]:
        return {"file": self.file, "added": list(self.added), "replaced": list(self.replaced)}


class Catalog:
    """The whole catalog, indexed for look-ups. Build it with ``load()``."""

    def __init__(self, instances: list[InstanceType], accelerators: list[Accelerator],
                 storage: list[StorageOffering], overlays: tuple[Overlay, ...] = ()) -> None:
        self.instances: tuple[InstanceType, ...] = tuple(instances)
        self.accelerators: dict[str, Accelerator] = {a.name: a for a in accelerators}
        self.storage: tuple[StorageOffering, ...] = tuple(storage)
        self.overlays: tuple[Overlay, ...] = overlays
        """Your catalog files, in the order given, with the rows each added or replaced."""
        self._by_key: dict[tuple[str, str], InstanceType] = {(i.cloud, i.instance_type): i for i in instances}

    def instance(self, cloud: str, instance_type: str) -> InstanceType | None:
        """The row for ``instance_type`` on ``cloud``, or None when the catalog does not know it."""
        return self._by_key.get((cloud, instance_type))

    def not_listed(self, cloud: str, instance_type: str) -> str:
        """What to say of an instance type the catalog does not know on ``cloud``: the types it knows there, and
        how to add one."""
        known = ", ".join(i.instance_type for i in self.for_cloud(cloud))
        return f"{instance_type!r} is not in the {cloud} catalog; known: {known}; {ADD_A_ROW}"

    def find(self, instance_type: str) -> InstanceType | None:
        """The row for ``instance_type`` on whichever cloud has it (instance names do not collide)."""
        for cloud in CLOUDS:
            row = self._by_key.get((cloud, instance_type))
            if row is not None:
                return row
        return None

    def for_cloud(self, cloud: str) -> tuple[InstanceType, ...]:
        return tuple(i for i in self.instances if i.cloud == cloud)

    def accelerator(self, name: str | None) -> Accelerator | None:
        return None if name is None else self.accelerators.get(name)

    def storage_offering(self, cloud: str, kind: str) -> StorageOffering | None:
        for s in self.storage:
            if s.cloud == cloud and s.kind == kind:
                return s
        return None

    def storage_kinds(self, cloud: str) -> tuple[str, ...]:
        return tuple(s.kind for s in self.storage if s.cloud == cloud)

    def provenance(self) -> list[str]:
        """One line per catalog file of yours: which rows it added or replaced (empty: the shipped catalog only)."""
        return [o.describe() for o in self.overlays]


ADD_A_ROW = ("add a cited row with --catalog FILE (the format of the shipped catalog files, see "
             "docs/catalog.md#your-own-catalog-files)")
"""The advice for a type or a figure the catalog lacks: your own catalog file, never an edit of the package."""


def catalog_files() -> tuple[str, ...]:
    """The catalog files named in ``BACKBONE_CATALOG`` (none when it is unset or empty)."""
    return tuple(p for p in os.environ.get(CATALOG_ENV, "").split(os.pathsep) if p.strip())


def use_catalog_files(files: Sequence[str]) -> tuple[str, ...]:
    """Adds ``files`` (those a pack config names) after ``BACKBONE_CATALOG``'s, for this process; returns the
    whole list. Every later ``load()`` of the process reads them."""
    combined = (*catalog_files(), *(f for f in files if f not in catalog_files()))
    if combined:
        os.environ[CATALOG_ENV] = os.pathsep.join(combined)
    return combined


def load() -> Catalog:
    """The catalog of this process: the shipped data plus the files of ``BACKBONE_CATALOG``, loaded once."""
    return load_with(catalog_files())


K = TypeVar("K")
V = TypeVar("V")


def _merge(table: dict[K, V], rows: list[tuple[K, V]], label: Callable[[K], str],
           added: list[str], replaced: list[str], prefix: str = "") -> None:
    for key, value in rows:
        (replaced if key in table else added).append(prefix + label(key))
        table[key] = value


def _shipped() -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    return (_read("accelerators.yaml"), [_read(f"{cloud}.yaml") for cloud in CLOUDS], _read("storage.yaml"))


def _read_user(path: str) -> dict[str, Any]:
    where = str(path)
    try:
        raw = Path(path).read_bytes()[: MAX_CATALOG_BYTES + 1]
    except OSError as exc:
        raise ConfigError([Problem("(file)", f"cannot read the catalog file: {exc.strerror or exc}", where)]) from None
    if len(raw) > MAX_CATALOG_BYTES:
        raise ConfigError([Problem("(file)", f"the catalog file is larger than {MAX_CATALOG_BYTES // 1024:,} KiB",
                                   where)])
    try:
        data = read_yaml(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError([Problem("(yaml)", f"not a YAML catalog file: {str(exc).splitlines()[0]}", where)]) from None
    if not isinstance(data, dict):
        raise ConfigError([Problem("(top)", "expected a mapping with sources and instances (and optionally "
                                            "accelerators, offerings)", where)])
    unknown = sorted(str(k) for k in data if k not in ("cloud", "sources", "instances", "accelerators", "offerings"))
    if unknown:
        raise ConfigError([Problem(unknown[0], "unknown top-level key; allowed: cloud, sources, instances, "
                                               "accelerators, offerings", where)])
    return data


def _rows(data: dict[str, Any], key: str, where: str) -> list[Any]:
    rows = data.get(key) or []
    if not isinstance(rows, list):
        raise ConfigError([Problem(key, "expected a list of rows", where)])
    return rows


def _checked(where: str, path: str, build: Callable[[], V]) -> V:
    """``build()``, its faults as a ``ConfigError`` naming the file and the row (exit 2, no traceback)."""
    try:
        return build()
    except CatalogError as exc:
        message = str(exc).removeprefix(f"{where}: ")
        raise ConfigError([Problem(path, message, where)]) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError([Problem(path, f"malformed row ({type(exc).__name__}: {exc}); each figure is a number, "
                                         "a string or a list as in the shipped catalog files", where)]) from None


def _accelerator(name: str, a: dict[str, Any], sources: dict[str, Source]) -> Accelerator:
    if not isinstance(a, dict) or not a.get("name") or a.get("kind") not in ("gpu", "tpu", "trainium"):
        raise CatalogError(f"{name}: an accelerator needs name and kind (gpu, tpu or trainium)")
    return Accelerator(
        name=str(a["name"]),
        display_name=str(a.get("display_name", a["name"])),
        kind=a["kind"],
        memory_gib=None if a.get("memory_gib") is None else float(a["memory_gib"]),
        bf16_dense_tflops=None if a.get("bf16_dense_tflops") is None else float(a["bf16_dense_tflops"]),
        sources=_cited(name, str(a["name"]), a, sources, ACCELERATOR_FIGURES),
        listing_names=tuple(str(n) for n in a.get("listing_names") or ()),
    )


@dataclass
class _Parts:
    accelerators: dict[str, Accelerator]
    generations: dict[str, TpuGeneration]
    instances: dict[tuple[str, str], InstanceType]
    storage: dict[tuple[str, str], StorageOffering]


_FIELDS_OF_KEY = {"capacity_block_usd_per_hour": ("capacity_block",), "capacity_block_region": ("capacity_block",),
                  "capacity_block_as_of": ("capacity_block",),
                  "on_demand_usd_per_hour": ("on_demand_usd_per_hour", "price_secondary"),
                  "spot_usd_per_hour": ("spot_usd_per_hour",)}


def _over(shipped: InstanceType | None, new: InstanceType, raw: dict[str, Any]) -> InstanceType:
    """A row of your file over a row the catalog has: the figures your row gives replace those of the row,
    the others stay (with the sources that give them); a new type is your row as it is."""
    if shipped is None:
        return new
    given = {f for key in raw if key not in ("cite", "cloud", "instance_type")
             for f in _FIELDS_OF_KEY.get(key, (key,))}
    merged = replace(shipped, **{f: getattr(new, f) for f in given if hasattr(new, f)})
    return replace(merged, sources=(*shipped.sources, *(s for s in new.sources if s not in shipped.sources)))


def _pair(key: tuple[str, str]) -> str:
    return f"{key[0]}/{key[1]}"


def _cloud(name: str) -> Cloud:
    for cloud in CLOUDS:
        if cloud == name:
            return cloud
    raise CatalogError(f"{name!r} is not a cloud; allowed: {', '.join(CLOUDS)}")


def _add_file(parts: _Parts, name: str, data: dict[str, Any], default_cloud: str | None,
              user: bool) -> Overlay:
    """Adds the rows of one data file to ``parts``; a user file's faults name the file and the row."""

    def check(path: str, build: Callable[[], V]) -> V:
        return _checked(name, path, build) if user else build()

    sources = check("sources", partial(_sources, name, data))
    added: list[str] = []
    replaced: list[str] = []
    acc_rows = _rows(data, "accelerators", name)
    accs = [check(f"accelerators[{i}]", partial(_accelerator, name, a, sources)) for i, a in enumerate(acc_rows)]
    _merge(parts.accelerators, [(a.name, a) for a in accs], str, added, replaced, "accelerator ")
    for i, a in enumerate(acc_rows):
        generation = check(f"accelerators[{i}]", partial(_generation, name, a))
        if generation is not None:
            parts.generations[str(a["name"])] = generation
    instances = []
    for i, row in enumerate(_rows(data, "instances", name)):
        cloud = row.get("cloud", default_cloud) if isinstance(row, dict) else default_cloud
        if cloud not in CLOUDS:
            raise ConfigError([Problem(f"instances[{i}].cloud", f"{cloud!r} is not a cloud; allowed: "
                                       f"{', '.join(CLOUDS)} (per row, or one cloud: for the file)", name)])
        instances.append(check(f"instances[{i}]", partial(_instance, _cloud(cloud), name, row, sources,
                                                          parts.generations)))
    seen: set[tuple[str, str]] = set()
    for i, inst in enumerate(instances):
        if (inst.cloud, inst.instance_type) in seen:
            raise ConfigError([Problem(f"instances[{i}]", f"{inst.cloud} {inst.instance_type} is listed twice in "
                                                          "this file; keep one row", name)])
        seen.add((inst.cloud, inst.instance_type))
        if inst.accelerator is not None and inst.accelerator not in parts.accelerators:
            message = (f"{inst.instance_type} names unknown accelerator {inst.accelerator!r}; known: "
                       f"{', '.join(sorted(parts.accelerators))} (or add it under accelerators:)")
            if user:
                raise ConfigError([Problem(f"instances[{i}].accelerator", message, name)])
            raise CatalogError(f"catalog: {message}")
    raw_rows = _rows(data, "instances", name)
    instance_rows: list[tuple[tuple[str, str], InstanceType]] = [
        ((r.cloud, r.instance_type), _over(parts.instances.get((r.cloud, r.instance_type)), r, raw))
        for r, raw in zip(instances, raw_rows, strict=True)]
    _merge(parts.instances, instance_rows, _pair, added, replaced)
    offerings = [check(f"offerings[{i}]", partial(_offering, name, r, sources))
                 for i, r in enumerate(_rows(data, "offerings", name))]
    storage_rows: list[tuple[tuple[str, str], StorageOffering]] = [((o.cloud, o.kind), o) for o in offerings]
    _merge(parts.storage, storage_rows, _pair, added, replaced, "storage ")
    return Overlay(name, tuple(added), tuple(replaced))


@cache
def load_with(files: tuple[str, ...] = ()) -> Catalog:
    """The shipped catalog, then each of ``files`` in order (its rows add or replace); loaded once per list of
    files. A fault of a shipped file is a ``CatalogError``; a fault of one of yours, a ``ConfigError`` naming the
    file and the row."""
    acc_data, cloud_data, st_data = _shipped()
    parts = _Parts({}, {}, {}, {})
    _add_file(parts, "catalog/data/accelerators.yaml", acc_data, None, user=False)
    for cloud, data in zip(CLOUDS, cloud_data, strict=True):
        _add_file(parts, f"catalog/data/{cloud}.yaml", data, cloud, user=False)
    _add_file(parts, "catalog/data/storage.yaml", st_data, None, user=False)
    overlays = []
    for path in files:
        data = _read_user(path)
        overlays.append(_add_file(parts, path, data, data.get("cloud"), user=True))
    return Catalog(list(parts.instances.values()), list(parts.accelerators.values()), list(parts.storage.values()),
                   tuple(overlays))
