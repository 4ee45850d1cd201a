"""GCP resource labels (a stricter alphabet than Kubernetes labels)."""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["resource_labels"]

_NOT_LABEL = re.compile(r"[^a-z0-9_-]")



def _label_text(text: str) -> str:
    return _NOT_LABEL.sub("-", text.lower())[:63]


def resource_labels(tags: Mapping[str, str], cluster: str) -> dict[str, str]:
    """GCP resource labels from the stack's tags: lowercase letters, digits, ``_`` and ``-``, 63 at most."""
    out = {_label_text(k): _label_text(v) for k, v in tags.items() if k}
    out["backbone-cluster"] = _label_text(cluster)
    return out
