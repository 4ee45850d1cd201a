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
  ``gcloud compute accelerator-types list --format=json`` only to confirm the accelerator names. No fabric, GPU
  memory or price is in these listings: left out (a row's fabric then reads ``none``: say so in your file).
- ``az vm list-skus --output json``: vCPUs, ``MemoryGB``, ``GPUs``, ``RdmaEnabled`` (InfiniBand), regions; prices
  from the Azure Retail Prices API's JSON pages (``{"Items": […]}``: Linux pay-as-you-go ``Consumption`` meters,
  not Spot, Low Priority or Windows). The listing does not name the GPU model: left out.

Only accelerator types are written (rows with GPUs, or TPUs on GCP). Every figure cites the listing it came from
(its file name and date: ``--as-of``, else the file's modification date). Accelerator names map through each
catalog accelerator's ``listing_names``; a name the catalog does not know is written as ``accelerator: null``
and named in the summary. An existing output file is never overwritten without ``--force``.
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

__all__ = ["Imported", "import_listing", "write_catalog"]

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
    notes: list[str] = field(default_factory=list)


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


def _gcp(listing: Any, path: str, imported: Imported) -> None:
    if not isinstance(listing, list):
        raise ConfigError([Problem("(top)", "expected the JSON of `gcloud compute machine-types list "
                                   "--format=json` (a list of machine types)", path)])
    by_name: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(listing):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ConfigError([Problem(f"[{i}]", "expected an object with name", path)])
        accelerators = entry.get("accelerators") or []
        if not accelerators:
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
    imported.notes.append("the GCP listings state no fabric, GPU memory or price: left out (fabric reads none)")


def _capabilities(sku: dict[str, Any]) -> dict[str, str]:
    return {str(c.get("name")): str(c.get("value")) for c in sku.get("capabilities") or [] if isinstance(c, dict)}


def _azure(listing: Any, path: str, imported: Imported) -> None:
    if not isinstance(listing, list):
        raise ConfigError([Problem("(top)", "expected the JSON of `az vm list-skus --output json` (a list)", path)])
    by_name: dict[str, dict[str, Any]] = {}
    for entry in listing:
        if not isinstance(entry, dict) or entry.get("resourceType") != "virtualMachines":
            continue
        caps = _capabilities(entry)
        gpus = int(float(caps.get("GPUs", "0") or 0))
        if gpus == 0 or not isinstance(entry.get("name"), str):
            continue
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
    imported.notes.append("az vm list-skus names no GPU model, GPU memory or InfiniBand bandwidth: left out")


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
    """The catalog file (as a mapping) of ``listings`` (and ``prices``), and what was left out."""
    imported = Imported(cloud)
    listings = list(listings)
    sources: dict[str, dict[str, str]] = {}
    for path in listings:
        _shaped(path, COMMANDS[cloud], partial(READERS[cloud], _read(path, "listing"), path, imported))
    listing_key = "listing"
    sources[listing_key] = {"url": Path(listings[0]).resolve().as_uri(),
                            "title": f"{COMMANDS[cloud]}: {', '.join(Path(p).name for p in listings)}",
                            "as_of": _as_of(listings[0], as_of)}
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
