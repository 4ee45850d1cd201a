"""Kubernetes node labels every pool carries, and GCP resource labels (a stricter alphabet)."""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["POOL_LABEL", "PURPOSE_LABEL", "node_labels", "resource_labels"]

PURPOSE_LABEL = "backbone.dev/purpose"
POOL_LABEL = "backbone.dev/pool"

_NOT_LABEL = re.compile(r"[^a-z0-9_-]")


def node_labels(purpose: str, pool: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The pool's Kubernetes node labels: the extras, then purpose and pool (which the extras cannot override)."""
    return {**(extra or {}), PURPOSE_LABEL: purpose, POOL_LABEL: pool}


def _label_text(text: str) -> str:
    return _NOT_LABEL.sub("-", text.lower())[:63]


def resource_labels(tags: Mapping[str, str], cluster: str) -> dict[str, str]:
    """GCP resource labels from the stack's tags: lowercase letters, digits, ``_`` and ``-``, 63 at most."""
    out = {_label_text(k): _label_text(v) for k, v in tags.items() if k}
    out["backbone-cluster"] = _label_text(cluster)
    return out
