"""The reader registry: every resource type the pack reads, one declared ``Entry`` each, gathered from the cloud
modules' ``ENTRIES``. ``inventory.build`` reads through it, the docs' "what the pack reads" tables and the
coverage statement (what was *not* read) are generated from it, and a test fails when a reader has no entry or
an entry no reader. Adding a resource type is one ``Entry`` and one reader function in its cloud module."""

from __future__ import annotations

from backbone.policies.inventory import aws, aws_fleets, azure, azure_vms, gcp, gcp_vms, runtime
from backbone.policies.inventory.entry import Entry, Kind

__all__ = ["CLOUD_MODULES", "ENTRIES", "FACT_KINDS", "readers"]

CLOUD_MODULES = (aws, aws_fleets, gcp, gcp_vms, azure, azure_vms, runtime)
"""The modules that declare entries, in the order their facts are read."""
ENTRIES: tuple[Entry, ...] = tuple(entry for module in CLOUD_MODULES for entry in module.ENTRIES)
FACT_KINDS: tuple[Kind, ...] = ("pool", "file system")


def readers(kind: Kind) -> tuple[Entry, ...]:
    """The entries of ``kind``, in reading order."""
    return tuple(entry for entry in ENTRIES if entry.kind == kind)
