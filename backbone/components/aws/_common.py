"""Small helpers shared by the AWS components: tags."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["with_name"]


def with_name(tags: Mapping[str, str], name: str) -> dict[str, str]:
    """``tags`` plus a ``Name`` tag (what the EC2 console shows)."""
    return {**tags, "Name": name}
