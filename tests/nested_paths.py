"""Test helper: the paths into nested dicts and lists, for tests that change one value of a valid input."""

from __future__ import annotations

from typing import Any


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path below ``data`` (keys and list indexes, containers and leaves alike), parents first; not the
    empty path of ``data`` itself."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, item in data.items():
            found += paths(item, (*prefix, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found += paths(item, (*prefix, index))
    return found
