"""``backbone catalog import --from aws|gcp|azure FILE… --output CATALOG.yaml``: a catalog file from the cloud's
own listing, for ``--catalog``.

What each cloud's CLI prints, and what is read from it (one reader per cloud, the rest is shared):

- ``aws ec2 describe-instance-types --output json`` (``{"InstanceTypes": […]}``): GPU model and count
  (``GpuInfo``), GPU memory, vCPUs, memory, EFA (``NetworkInfo.EfaSupported``; the EFA interfaces a node
  attaches, ``NetworkInfo.EfaInfo.MaximumEfaInterfaces``; the bandwidth, ``NetworkInfo.NetworkPerformance``);
  prices from ``aws pricing get-products --service-code AmazonEC2 …`` (``{"PriceList": ["<product JSON>", …]}``:
  Linux, shared tenancy, no pre-installed software, on-demand hourly USD, with its region and effective date).
- ``gcloud compute machine-types list --format=json`` (a list, one entry per zone): GPU model and count
  (``accelerators``), vCPUs (``guestCpus``), memory (``memoryMb``), the zones that list it; with
  ``gcloud compute accelerator-types list --format=json`` only to confirm the accelerator names (one the catalog
  does not know is named). An "Accelerator Optimized" type without an ``accelerators`` field (older listings) is
  named, not guessed from its description. No fabric, GPU memory or price is in these listings: left out (a
  row's fabric then reads ``none``: say so in your file).
- ``az vm list-skus --output json`` (a list; the Resource SKUs REST body ``{"value": […]}`` too): vCPUs,
  ``MemoryGB``, ``GPUs``, ``RdmaEnabled`` (InfiniBand), regions (a region the listing restricts for the
  subscription that made it is named); prices from the Azure Retail Prices API's JSON pages (``{"Items": […]}``:
  Linux pay-as-you-go ``Consumption`` meters, not Spot, Low Priority, Windows, DevTest or Reservation). The
  listing does not name the GPU model: left out.

Only accelerator types are written (rows with GPUs, or TPUs on GCP). Every figure cites the listing it came from
(its file name and date: ``--as-of``, else the file's modification date). Accelerator names map through each
catalog accelerator's ``listing_names``; a name the catalog does not know is written as ``accelerator: null``
and named in the summary, as is every type a given price listing does not price. An existing output file is
never overwritten without ``--force``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import yaml

from backbone.core import catalog
from backbone.core.catalog.model import INSTANCE_FIGURES
from backbone.core.errors import ConfigError, Problem
from backbone.safe_load import load_json, read_text

__all__ = ["Imported", "catalog_of", "import_listing", "summary_lines", "write_catalog"]

LISTING_BYTES = 64 * 1024 * 1024
"""A whole region's describe-instance-types output is about 6 MB; a price list can be larger."""


@dataclass
class Imported:
    """Rows read from a listing, and what could not be mapped or read."""

    cloud: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    unmapped: dict[str, list[str]] = field(default_factory=dict)
    """Listing accelerator name -> instance types written with ``accelerator: null``."""
    priced: int = 0
    unpriced: list[str] = field(default_factory=list)
    """Types written without a price although a price listing was given (none of its entries matched)."""
    skipped: dict[str, list[str]] = field(default_factory=dict)
    """Why -> entries of the listing that may be accelerator types but could not be read as one."""
    restricted: dict[str, set[str]] = field(default_factory=dict)
    """Azure size -> regions its listing restricts for the subscription that made it (still written)."""
    unknown_accelerator_types: set[str] = field(default_factory=set)
    """GCP accelerator-types entries the catalog does not know by name."""
    notes: list[str] = field(default_factory=list)


def summary_lines(imported: Imported, output: str, priced_from: str | None) -> list[str]:
    """What the import wrote and, one line each, everything it could not read, map, price or place."""
    lines = [f"wrote {output}: {len(imported.rows)} {imported.cloud} accelerator types"
             + (f", {imported.priced} priced" if priced_from else "")]
    for listed, types in sorted(imported.unmapped.items()):
        lines.append(f"note: accelerator {listed!r} is not in the catalog, written as accelerator: null: "
                     f"{', '.join(types)}")
    if imported.unpriced:
        lines.append(f"note: no on-demand Linux price in {priced_from} for: {', '.join(imported.unpriced)} "
                     "(written without a price: plans cannot verify their cost)")
    for why, names in sorted(imported.skipped.items()):
        lines.append(f"note: not imported ({why}): {', '.join(names)}")
    for size, regions in sorted(imported.restricted.items()):
        lines.append(f"note: {size} is restricted in {', '.join(sorted(regions))} for the subscription that made "
                     "this listing (NotAvailableForSubscription); its regions list them all the same")
    if imported.unknown_accelerator_types:
        lines.append("note: accelerator types the catalog does not know: "
                     f"{', '.join(sorted(imported.unknown_accelerator_types))}")
    lines.extend(f"note: {note}" for note in imported.notes)
    return lines


def _read(path: str, what: str) -> Any:
    return load_json(read_text(Path(path), what, LISTING_BYTES), path)


def _accelerator(cloud: str, listed: str, per_accelerator_gib: float | None) -> str | None:
    """The catalog accelerator a listing's name means (nearest per-accelerator memory when several share it)."""
    cat = catalog.load()
    matches = [a for a in cat.accelerators.values() if f"{cloud}:{listed}" in a.listing_names]
    if len(matches) > 1 and per_accelerator_gib is not None:
        matches.sort(key=lambda a: abs((a.memory_gib or 0) - per_accelerator_gib))
    return matches[0].name if matches else None


def _gbps(performance: str | None) -> float | None:
    """``"3200 Gigabit"`` -> 3200, ``"4x 100 Gigabit"`` -> 400; ``"Up to 10 Gigabit"`` (burst) -> None."""
    if not performance or performance.lower().startswith("up to"):
        return None
    m = re.fullmatch(r"\s*(?:(\d+)x\s*)?(\d+(?:\.\d+)?)\s*Gigabit\s*", performance)
    if not m:
        return None
    return float(m.group(1) or 1) * float(m.group(2))


def _row(instance_type: str, figures: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"instance_type": instance_type}
    row.update({k: v for k, v in figures.items() if v is not None and v != []})
    return row


def _aws(listing: Any, path: str, imported: Imported) -> None:
    if not isinstance(listing, dict) or not isinstance(listing.get("InstanceTypes"), list):
        raise ConfigError([Problem("InstanceTypes", "expected the JSON of `aws ec2 describe-instance-types "
                                   "--output json` (an object with InstanceTypes)", path)])
    for i, entry in enumerate(listing["InstanceTypes"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("InstanceType"), str):
            raise ConfigError([Problem(f"InstanceTypes[{i}]", "expected an object with InstanceType", path)])
        gpus = (entry.get("GpuInfo") or {}).get("Gpus") or []
        if not gpus:
            continue
        count = sum(int(g.get("Count") or 0) for g in gpus)
        total_mib = (entry.get("GpuInfo") or {}).get("TotalGpuMemoryInMiB")
        per_gib = None if not total_mib or not count else total_mib / 1024 / count
        name = str(gpus[0].get("Name") or "")
        accelerator = _accelerator("aws", name, per_gib)
        if accelerator is None:
            imported.unmapped.setdefault(name, []).append(entry["InstanceType"])
        network = entry.get("NetworkInfo") or {}
        efa = bool(network.get("EfaSupported"))
        mem_mib = (entry.get("MemoryInfo") or {}).get("SizeInMiB")
        imported.rows.append(_row(entry["InstanceType"], {
            "accelerator": accelerator,
            "accelerator_count": count,
            "accelerator_memory_gib": None if not total_mib else round(total_mib / 1024, 1),
            "vcpus": (entry.get("VCpuInfo") or {}).get("DefaultVCpus"),
            "memory_gib": None if not mem_mib else round(mem_mib / 1024, 1),
            "fabric": "efa" if efa else "none",
            "fabric_gbps": _gbps(network.get("NetworkPerformance")) if efa else None,
            "fabric_nics": (network.get("EfaInfo") or {}).get("MaximumEfaInterfaces") if efa else None,
        }))


def _gcp_accelerator_type(entry: dict[str, Any], imported: Imported) -> None:
    """An entry of ``gcloud compute accelerator-types list``: its name is checked against the catalog's."""
    if _accelerator("gcp", entry["name"], None) is None:
        imported.unknown_accelerator_types.add(entry["name"])


def _gcp(listing: Any, path: str, imported: Imported) -> None:
    if not isinstance(listing, list):
        raise ConfigError([Problem("(top)", "expected the JSON of `gcloud compute machine-types list "
                                   "--format=json` (a list of machine types)", path)])
    by_name: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(listing):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ConfigError([Problem(f"[{i}]", "expected an object with name", path)])
        if entry.get("kind") == "compute#acceleratorType":
            _gcp_accelerator_type(entry, imported)
            continue
        accelerators = entry.get("accelerators") or []
        if not accelerators:
            if str(entry.get("description") or "").startswith("Accelerator Optimized"):
                # older listings describe an A2 type's GPUs in words only: named, not guessed from the text
                imported.skipped.setdefault("accelerator-optimized, but the listing has no accelerators field",
                                            []).append(entry["name"])
            continue
        listed = str(accelerators[0].get("guestAcceleratorType") or "")
        row = by_name.get(entry["name"])
        if row is None:
            accelerator = _accelerator("gcp", listed, None)
            if accelerator is None:
                imported.unmapped.setdefault(listed, []).append(entry["name"])
            row = _row(entry["name"], {
                "accelerator": accelerator,
                "accelerator_count": sum(int(a.get("guestAcceleratorCount") or 0) for a in accelerators),
                "vcpus": entry.get("guestCpus"),
                "memory_gib": None if entry.get("memoryMb") is None else round(entry["memoryMb"] / 1024, 1),
            })
            row["zones"] = []
            by_name[entry["name"]] = row
            imported.rows.append(row)
        zone = str(entry.get("zone") or "").rsplit("/", 1)[-1]
        if zone and zone not in row["zones"]:
            row["zones"].append(zone)
    for row in by_name.values():
        row["zones"].sort()
        if not row["zones"]:
            del row["zones"]


def _capabilities(sku: dict[str, Any]) -> dict[str, str]:
    return {str(c.get("name")): str(c.get("value")) for c in sku.get("capabilities") or [] if isinstance(c, dict)}


def _restricted(sku: dict[str, Any]) -> list[str]:
    """Locations where the subscription that made the listing cannot deploy the size (``restrictions`` of type
    ``Location``, e.g. ``NotAvailableForSubscription``): a fact of that subscription, not of the size."""
    return sorted({str(loc).lower() for r in sku.get("restrictions") or [] if isinstance(r, dict)
                   and r.get("type") == "Location" for loc in r.get("values") or []})


def _azure(listing: Any, path: str, imported: Imported) -> None:
    if isinstance(listing, dict) and isinstance(listing.get("value"), list):
        listing = listing["value"]  # the Resource SKUs REST body (`az rest`, recordings): {"value": [...]}
    if not isinstance(listing, list):
        raise ConfigError([Problem("(top)", "expected the JSON of `az vm list-skus --output json` (a list), or "
                                   "the Resource SKUs API body ({\"value\": [...]})", path)])
    by_name: dict[str, dict[str, Any]] = {}
    for entry in listing:
        if not isinstance(entry, dict) or entry.get("resourceType") != "virtualMachines":
            continue
        caps = _capabilities(entry)
        gpus = int(float(caps.get("GPUs", "0") or 0))
        if gpus == 0 or not isinstance(entry.get("name"), str):
            continue
        for region in _restricted(entry):
            imported.restricted.setdefault(entry["name"], set()).add(region)
        row = by_name.get(entry["name"])
        if row is None:
            row = _row(entry["name"], {
                "accelerator_count": gpus,
                "vcpus": int(float(caps["vCPUs"])) if "vCPUs" in caps else None,
                "memory_gib": float(caps["MemoryGB"]) if "MemoryGB" in caps else None,
                "fabric": "infiniband" if caps.get("RdmaEnabled") == "True" else "none",
            })
            row["regions"] = []
            by_name[entry["name"]] = row
            imported.rows.append(row)
            imported.unmapped.setdefault("(GPU model not in az vm list-skus)", []).append(entry["name"])
        for region in entry.get("locations") or []:
            if str(region).lower() not in row["regions"]:
                row["regions"].append(str(region).lower())
    for row in by_name.values():
        row["regions"].sort()


def _aws_prices(data: Any, path: str) -> dict[str, tuple[float, str, str]]:
    """Instance type -> (USD per hour, region, effective date) from ``aws pricing get-products`` JSON."""
    if not isinstance(data, dict) or not isinstance(data.get("PriceList"), list):
        raise ConfigError([Problem("PriceList", "expected the JSON of `aws pricing get-products` (PriceList)", path)])
    out: dict[str, tuple[float, str, str]] = {}
    for index, item in enumerate(data["PriceList"]):
        # each entry is a JSON document inside a string: read within the same bounds as the file (depth, size,
        # duplicate keys), and an entry that is not an object is named, not a crash
        product = load_json(item, f"{path}: PriceList[{index}]") if isinstance(item, str) else item
        if not isinstance(product, dict):
            raise ConfigError([Problem(f"PriceList[{index}]", "expected a price-list product (a JSON object)", path)])
        attrs = (product.get("product") or {}).get("attributes") or {}
        if (attrs.get("operatingSystem"), attrs.get("tenancy"), attrs.get("preInstalledSw"),
                attrs.get("capacitystatus", "Used")) != ("Linux", "Shared", "NA", "Used"):
            continue
        for term in (((product.get("terms") or {}).get("OnDemand")) or {}).values():
            for dim in (term.get("priceDimensions") or {}).values():
                usd = float((dim.get("pricePerUnit") or {}).get("USD") or 0)
                if dim.get("unit") == "Hrs" and usd > 0:
                    date = str(term.get("effectiveDate") or "")[:10]
                    out[str(attrs.get("instanceType"))] = (usd, str(attrs.get("regionCode") or ""), date)
    return out


def _azure_prices(data: Any, path: str) -> dict[str, tuple[float, str, str]]:
    """VM size -> (USD per hour, region, effective date) from Azure Retail Prices API pages."""
    pages = data if isinstance(data, list) else [data]
    out: dict[str, tuple[float, str, str]] = {}
    for page in pages:
        if not isinstance(page, dict) or not isinstance(page.get("Items"), list):
            raise ConfigError([Problem("Items", "expected the JSON of the Azure Retail Prices API (Items)", path)])
        for item in page["Items"]:
            text = f"{item.get('meterName', '')} {item.get('skuName', '')} {item.get('productName', '')}"
            if (item.get("type") != "Consumption" or item.get("unitOfMeasure") != "1 Hour"
                    or any(w in text for w in ("Spot", "Low Priority", "Windows"))):
                continue
            usd = float(item.get("retailPrice") or 0)
            if usd > 0:
                out[str(item.get("armSkuName"))] = (usd, str(item.get("armRegionName") or ""),
                                                    str(item.get("effectiveStartDate") or "")[:10])
    return out


READERS: dict[str, Callable[[Any, str, Imported], None]] = {"aws": _aws, "gcp": _gcp, "azure": _azure}
PRICE_READERS: dict[str, Callable[[Any, str], dict[str, tuple[float, str, str]]]] = {
    "aws": _aws_prices, "azure": _azure_prices}
LEFT_OUT = {"gcp": "the GCP listings state no fabric, GPU memory or price: left out (fabric reads none)",
            "azure": "az vm list-skus names no GPU model, GPU memory or InfiniBand bandwidth: left out"}
"""What a cloud's listing never states, said once per import."""
COMMANDS = {"aws": "aws ec2 describe-instance-types --output json",
            "gcp": "gcloud compute machine-types list --format=json",
            "azure": "az vm list-skus --output json"}
PRICE_COMMANDS = {"aws": "aws pricing get-products (AWS Price List API)",
                  "azure": "Azure Retail Prices API (prices.azure.com/api/retail/prices)"}


T = TypeVar("T")


def _shaped(path: str, command: str, read: Callable[[], T]) -> T:
    """``read()``; an entry of another shape than ``command`` prints is exit 2 naming the file, not a traceback."""
    try:
        return read()
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError([Problem("(listing)", f"not the JSON `{command}` prints ({type(exc).__name__}: "
                                   f"{str(exc)[:120]})", path)]) from None


def _as_of(path: str, given: str | None) -> str:
    if given:
        return given
    return dt.datetime.fromtimestamp(Path(path).stat().st_mtime, tz=dt.UTC).date().isoformat()


def import_listing(cloud: str, listings: Iterable[str], prices: str | None = None,
                   as_of: str | None = None) -> tuple[dict[str, Any], Imported]:
    """The catalog file (as a mapping) of the listing files ``listings`` (and ``prices``), and what was left
    out."""
    listings = list(listings)
    source = {"url": Path(listings[0]).resolve().as_uri(),
              "title": f"{COMMANDS[cloud]}: {', '.join(Path(p).name for p in listings)}",
              "as_of": _as_of(listings[0], as_of)}
    return catalog_of(cloud, [(path, _read(path, "listing")) for path in listings], source, prices, as_of)


def catalog_of(cloud: str, listings: list[tuple[str, Any]], source: dict[str, str], prices: str | None = None,
               as_of: str | None = None) -> tuple[dict[str, Any], Imported]:
    """The catalog file of listings already read (where each came from, its JSON), every figure citing
    ``source``; the one way from a listing to rows, for a file (import) and for a cloud's API (fetch)."""
    imported = Imported(cloud)
    for where, listing in listings:
        _shaped(where, COMMANDS[cloud], partial(READERS[cloud], listing, where, imported))
    if cloud in LEFT_OUT:
        imported.notes.append(LEFT_OUT[cloud])
    listing_key = "listing"
    sources: dict[str, dict[str, str]] = {listing_key: source}
    price_table: dict[str, tuple[float, str, str]] = {}
    if prices is not None:
        if cloud not in PRICE_READERS:
            raise ConfigError([Problem("--prices", f"no price listing is read for {cloud}; allowed: "
                                       f"{', '.join(PRICE_READERS)}", prices)])
        price_table = _shaped(prices, PRICE_COMMANDS[cloud],
                              partial(PRICE_READERS[cloud], _read(prices, "price listing"), prices))
        sources["prices"] = {"url": Path(prices).resolve().as_uri(),
                             "title": f"{PRICE_COMMANDS[cloud]}: {Path(prices).name}",
                             "as_of": _as_of(prices, as_of)}
    for row in imported.rows:
        figures = [k for k in row if k in INSTANCE_FIGURES]
        row["cite"] = {listing_key: figures}
        price = price_table.get(row["instance_type"])
        if price is not None and price[1]:
            usd, region, date = price
            row["on_demand_usd_per_hour"] = usd
            row["price_region"] = region
            row["price_as_of"] = date or sources["prices"]["as_of"]
            row["cite"]["prices"] = ["on_demand_usd_per_hour"]
            imported.priced += 1
        elif prices is not None:
            imported.unpriced.append(row["instance_type"])
    return {"cloud": cloud, "sources": sources, "instances": imported.rows}, imported


def write_catalog(document: dict[str, Any], output: str, force: bool) -> None:
    """Writes the catalog file after checking it loads like any catalog file; never over a file without
    ``force``."""
    path = Path(output)
    if path.exists() and not force:
        raise ConfigError([Problem("--output", "the file exists; pass --force to overwrite it", output)])
    text = ("# Written by `backbone catalog import`: every figure cites the listing it came from. Use it with\n"
            "# --catalog FILE (docs/catalog.md). Figures the listing does not state are left out.\n"
            + yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    path.write_text(text, encoding="utf-8")
    try:
        catalog.load_with((str(path.resolve()),))
    except ConfigError:
        path.unlink()
        raise
