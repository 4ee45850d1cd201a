"""What a deployed stack provisions beyond need (``backbone audit``): accelerators kept warm at minimum size,
pools far above the workload the stack declares, parallel file systems with no training pool to feed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["EXCESS_TITLES", "Excess", "ExcessKind"]

ExcessKind = Literal["warm-at-minimum", "above-workload", "storage-without-training"]

EXCESS_TITLES: dict[str, str] = {
    "warm-at-minimum": "accelerators warm at minimum size",
    "above-workload": "accelerators above the declared workload",
    "storage-without-training": "parallel file system without a training pool",
}


@dataclass(frozen=True)
class Excess:
    """One thing provisioned beyond need, with what it costs (None where the catalog has no price)."""

    kind: ExcessKind
    urn: str
    resource: str
    message: str
    accelerators: int = 0
    """Accelerators beyond need (0 for a file system)."""
    monthly_usd: float | None = None
    """On-demand cost of the excess per month (730 h); None where it cannot be priced."""
