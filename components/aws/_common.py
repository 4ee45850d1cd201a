"""Small helpers shared by the AWS components: node labels, tags, the errors they raise."""

from __future__ import annotations

from collections.abc import Mapping

from components.errors import BackboneError

__all__ = ["POOL_LABEL", "PURPOSE_LABEL", "AwsComponentError", "node_labels", "with_name"]

PURPOSE_LABEL = "backbone.dev/purpose"
POOL_LABEL = "backbone.dev/pool"


class AwsComponentError(BackboneError):
    """An AWS component was given arguments it cannot build (says what was wrong and what is allowed)."""


def node_labels(purpose: str, pool: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The Kubernetes node labels of a pool: the purpose and pool name the policy pack reads, plus extras."""
    labels = dict(extra or {})
    labels[PURPOSE_LABEL] = purpose
    labels[POOL_LABEL] = pool
    return labels


def with_name(tags: Mapping[str, str], name: str) -> dict[str, str]:
    """``tags`` plus a ``Name`` tag (what the EC2 console shows)."""
    return {**tags, "Name": name}
