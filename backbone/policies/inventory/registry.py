"""The reader registry: every resource type the pack reads, one declared ``Entry`` each, gathered from the cloud
modules' ``ENTRIES``. ``inventory.build`` reads through it, the docs' "what the pack reads" tables and the
coverage statement (what was *not* read) are generated from it, and a test fails when a reader has no entry or
an entry no reader. Adding a resource type is one ``Entry`` and one reader function in its cloud module."""

from __future__ import annotations

from backbone.policies.inventory import aws, aws_fleets, azure, azure_vms, gcp, gcp_vms, runtime
from backbone.policies.inventory.entry import Entry, Kind

__all__ = ["CLOUD_MODULES", "ENTRIES", "FACT_KINDS", "read_tokens", "readers", "reads_table"]

CLOUD_MODULES = (aws, aws_fleets, gcp, gcp_vms, azure, azure_vms, runtime)
"""The modules that declare entries, in the order their facts are read."""
ENTRIES: tuple[Entry, ...] = tuple(entry for module in CLOUD_MODULES for entry in module.ENTRIES)
FACT_KINDS: tuple[Kind, ...] = ("pool", "file system")
_CLOUD_TITLES = {"aws": "AWS", "gcp": "GCP", "azure": "Azure"}


def readers(kind: Kind) -> tuple[Entry, ...]:
    """The entries of ``kind``, in reading order."""
    return tuple(entry for entry in ENTRIES if entry.kind == kind)


def read_tokens() -> frozenset[str]:
    """Every resource type some entry reads (a pool, a file system, a link or the runtime)."""
    return frozenset(entry.token for entry in ENTRIES)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def reads_table(cloud: str) -> str:
    """The Markdown table of what the pack reads on ``cloud`` (pools, file systems and what they link to)."""
    lines = ["| what | resource type | gives | inputs read |", "| --- | --- | --- | --- |"]
    for entry in ENTRIES:
        if entry.cloud != cloud or entry.kind == "runtime":
            continue
        gives = f"read through {', '.join(f'`{t}`' for t in entry.via)}" if entry.kind == "link" else entry.kind
        lines.append(f"| {_cell(entry.what)} | `{entry.token}` | {gives} | {_cell(entry.reads)} |")
    return "\n".join(lines) + "\n"


def runtime_table() -> str:
    """The Markdown table of what the pack reads of the Kubernetes runtime."""
    lines = ["| what | resource type | inputs read |", "| --- | --- | --- |"]
    lines += [f"| {_cell(e.what)} | `{e.token}` | {_cell(e.reads)} |" for e in readers("runtime")]
    return "\n".join(lines) + "\n"


def clouds() -> tuple[str, ...]:
    """The clouds with pool or file-system entries, in reading order."""
    return tuple(dict.fromkeys(e.cloud for e in ENTRIES if e.kind in FACT_KINDS))


def cloud_title(cloud: str) -> str:
    return _CLOUD_TITLES.get(cloud, cloud)
