"""Small helpers shared by the AWS components: tags, the errors they raise."""

from __future__ import annotations

from collections.abc import Mapping

from components.errors import BackboneError

__all__ = ["AwsComponentError", "with_name"]


class AwsComponentError(BackboneError):
    """An AWS component was given arguments it cannot build (says what was wrong and what is allowed)."""



def with_name(tags: Mapping[str, str], name: str) -> dict[str, str]:
    """``tags`` plus a ``Name`` tag (what the EC2 console shows)."""
    return {**tags, "Name": name}
