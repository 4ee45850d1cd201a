"""``backbone catalog [--cloud aws|gcp|azure] [--format text|json]``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from backbone.components import catalog
from backbone.help_text import command_help

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


def register(sub: Any) -> None:
    p = sub.add_parser("catalog", help=command_help("catalog"))
    p.add_argument("--cloud", choices=catalog.CLOUDS)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=_run)
