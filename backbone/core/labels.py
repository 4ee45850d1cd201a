"""The Kubernetes node labels every accelerator pool carries on every cloud (the policy pack reads them)."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["POOL_LABEL", "PURPOSE_LABEL", "node_labels"]

PURPOSE_LABEL = "backbone.dev/purpose"
POOL_LABEL = "backbone.dev/pool"


def node_labels(purpose: str, pool: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A pool's node labels: the extras, then purpose and pool (which the extras cannot override)."""
    return {**(extra or {}), PURPOSE_LABEL: purpose, POOL_LABEL: pool}
