"""Cloud-neutral facts the rules judge, derived from provider resources only (never Backbone config).

A value the preview cannot know is ``UNKNOWN``; a rule that needs it says "cannot verify".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from components.catalog import InstanceType

__all__ = ["UNKNOWN", "AcceleratorPool", "FileSystem", "Inventory", "Unknown", "is_known"]


class Unknown:
    """The value exists but cannot be known during preview (it depends on an unknown output)."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("an unknown value has no truth value: test it with is_known() first")


UNKNOWN: Final = Unknown()


def is_known(value: object) -> bool:
    return not isinstance(value, Unknown)


@dataclass(frozen=True)
class FabricCheck:
    """Whether a pool's node-to-node fabric is fully configured, and what is missing if not."""

    configured: bool | Unknown
    missing: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class AcceleratorPool:
    """A pool of accelerator nodes (EKS node group, GKE node pool, AKS agent pool)."""

    urn: str
    name: str
    cloud: str
    resource_type: str
    instance_type: str | Unknown
    instance: InstanceType | None
    min_nodes: int | Unknown
    max_nodes: int | Unknown
    purpose: str
    purpose_declared: bool
    zones: tuple[str, ...] | Unknown
    region: str | None
    capacity: str
    fabric: FabricCheck
    public_ips: bool | Unknown
    tpu_topology: str | None | Unknown = None
    labels: dict[str, Any] = field(default_factory=dict)

    @property
    def accelerators_per_node(self) -> int | None:
        return None if self.instance is None else self.instance.accelerator_count


@dataclass(frozen=True)
class FileSystem:
    """A parallel file system (FSx for Lustre, GCP Managed Lustre / Parallelstore, Azure Managed Lustre)."""

    urn: str
    name: str
    cloud: str
    resource_type: str
    kind: str
    capacity_tib: float | Unknown
    throughput_mbps: float | Unknown
    zones: tuple[str, ...] | Unknown
    region: str | None
    encrypted: bool | Unknown
    monthly_usd: float | None


@dataclass
class Inventory:
    """Everything the rules judge for one stack."""

    pools: list[AcceleratorPool] = field(default_factory=list)
    file_systems: list[FileSystem] = field(default_factory=list)
    workload: dict[str, Any] | None = None
