"""Small helpers shared by the Azure components: Azure names, argument checks."""

from __future__ import annotations

import hashlib
import re

import pulumi

from backbone.core.errors import ComponentArgumentError

__all__ = ["require", "storage_account_name"]


def storage_account_name(name: str) -> str:
    """A storage account name (3-24 lowercase letters and digits, unique across Azure): the component name
    shortened, plus a digest of project, stack and name so that two stacks never collide."""
    stem = re.sub(r"[^a-z0-9]", "", name.lower())[:16] or "backbone"
    digest = hashlib.sha256(f"{pulumi.get_project()}/{pulumi.get_stack()}/{name}".encode()).hexdigest()
    return f"{stem}{digest[:24 - len(stem)]}"


def require(condition: bool, component: str, argument: str, message: str) -> None:
    """Raises the ``ComponentArgumentError`` of ``component``'s ``argument`` when ``condition`` does not hold."""
    if not condition:
        raise ComponentArgumentError(component, argument, message)
