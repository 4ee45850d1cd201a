"""A cloud package's public names, imported on first use (PEP 562 ``__getattr__``), so that importing
``backbone.components.<cloud>._facts`` (which spec validation, the pack and the docs do) never loads the
cloud's provider SDK, and Backbone's core runs with no provider SDK installed (``pip install backbone``).
Asking for a component whose SDK is missing is a ``MissingExtra`` naming ``backbone[<cloud>]``."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from backbone.components.extras import missing_extra

__all__ = ["exports"]


def exports(package: str, cloud: str | None,
            names: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``names`` maps each public name to the module defining it;
    ``cloud``: whose extra a missing SDK names (None: a package every cloud's components share)."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        if cloud is not None:
            missing_extra(cloud).throw()
        return getattr(importlib.import_module(module), name)

    def __dir__() -> list[str]:
        return sorted(names)

    return __getattr__, __dir__
