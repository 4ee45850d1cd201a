"""``backbone catalog [--cloud aws|gcp|azure] [--format text|json]``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from backbone.catalog_option import add_catalog_option
from backbone.core import catalog
from backbone.help_text import command_help, summary

__all__ = ["register"]


def _fmt(value: float | int | None, spec: str = "g") -> str:
    return "-" if value is None else format(value, spec)


def render_text(rows: list[catalog.InstanceType]) -> str:
    header = ("cloud", "instance type", "accelerator", "n", "acc GiB", "vCPU", "GiB", "fabric", "Gbps",
              "NICs", "$/h", "price region")
    table = [header]
    for r in rows:
        table.append((r.cloud, r.instance_type, r.accelerator or "-", str(r.accelerator_count),
                      _fmt(r.accelerator_memory_gib), _fmt(r.vcpus), _fmt(r.memory_gib), r.fabric,
                      _fmt(r.fabric_gbps), _fmt(r.fabric_nics), _fmt(r.on_demand_usd_per_hour, ".2f"),
                      r.price_region or "-"))
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table)


def _run(args: argparse.Namespace) -> int:
    cat = catalog.load()
    rows = list(cat.for_cloud(args.cloud) if args.cloud else cat.instances)
    if args.format == "json":
        print(json.dumps([r.to_json() for r in rows], indent=2))
    else:
        print(render_text(rows))
    return 0


def _import(args: argparse.Namespace) -> int:
    from backbone.catalog_import import import_listing, write_catalog

    document, imported = import_listing(args.source, args.files, args.prices, args.as_of)
    write_catalog(document, args.output, args.force)
    print(f"wrote {args.output}: {len(imported.rows)} {args.source} accelerator types"
          + (f", {imported.priced} priced" if args.prices else ""), file=sys.stderr)
    for listed, types in sorted(imported.unmapped.items()):
        print(f"note: accelerator {listed!r} is not in the catalog, written as accelerator: null: "
              f"{', '.join(types)}", file=sys.stderr)
    for note in imported.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("catalog", help=command_help("catalog"))
    p.add_argument("--cloud", choices=catalog.CLOUDS)
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_catalog_option(p)
    p.set_defaults(handler=_run)
    inner = p.add_subparsers(dest="catalog_command", parser_class=type(p))
    q = inner.add_parser("import", help="write a catalog file from the cloud's own listing (for --catalog)",
                         description=summary(catalog_import_doc()))
    q.add_argument("--from", dest="source", choices=catalog.CLOUDS, required=True,
                   help="whose listing: aws (describe-instance-types), gcp (machine-types list), azure (list-skus)")
    q.add_argument("files", nargs="+", metavar="FILE", help="the listing(s), JSON as the cloud's CLI prints it")
    q.add_argument("--prices", metavar="FILE", help="aws: `aws pricing get-products` JSON; azure: Retail Prices "
                   "API JSON (one page, or a list of pages)")
    q.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date of the listing (default: the file's date)")
    q.add_argument("--output", metavar="CATALOG.yaml", required=True)
    q.add_argument("--force", action="store_true", help="overwrite --output if it exists")
    q.set_defaults(handler=_import)


def catalog_import_doc() -> str:
    from backbone import catalog_import

    return catalog_import.__doc__ or ""
