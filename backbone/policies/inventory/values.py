"""Defensive reading of resource inputs: unknowns become ``UNKNOWN``, junk becomes ``None``, nothing raises.

CrossGuard hands a policy the inputs behind a proxy that raises ``UnknownValueError`` on any unknown
value. ``plain`` walks that proxy once and returns plain Python data where every unknown is ``UNKNOWN``,
so one unknown input never aborts a rule. The typed getters below never raise either.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import _is_unknown

try:  # the proxy classes behind CrossGuard's props; without them ``plain`` reads through the proxy
    from pulumi_policy.proxy import _DictProxy, _ListProxy

    _PROXIES: tuple[type, ...] = (_DictProxy, _ListProxy)
except ImportError:  # pragma: no cover - another pulumi_policy version
    _PROXIES = ()

from backbone.policies.inventory.facts import UNKNOWN, Unknown

__all__ = ["as_bool", "as_count", "as_dict", "as_list", "as_number", "as_str", "dig", "plain"]

def plain(value: Any, depth: int = 0) -> Any:
    """Plain data from a (proxied) value: dicts, lists, scalars; unknowns become ``UNKNOWN``."""
    if depth > 64:
        return None
    kind = type(value)
    if kind in _PROXIES:  # CrossGuard's own escape hatch: the container behind the proxy
        value = value["__target"]
        kind = type(value)
    if kind is str:
        return UNKNOWN if _is_unknown(value) else value
    if kind is dict:
        return {str(k): plain(v, depth + 1) for k, v in value.items()}
    if kind is list:
        return [plain(v, depth + 1) for v in value]
    if kind in (int, float, bool) or value is None or kind is Unknown:
        return value
    return _plain_other(value, depth)


def _plain_other(value: Any, depth: int) -> Any:
    """Any other mapping or sequence, read through its own (possibly raising) accessors; a part that cannot be
    read is UNKNOWN (the rule that needs it says "cannot verify"), never None (absent, which may pass)."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key in list(value):
            try:
                out[str(key)] = plain(value[key], depth + 1)
            except Exception:  # unreadable (or unknown): never a value that could pass a rule silently
                out[str(key)] = UNKNOWN
        return out
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        items: list[Any] = []
        try:
            length = len(value)
        except Exception:
            return UNKNOWN
        for i in range(length):
            try:
                items.append(plain(value[i], depth + 1))
            except Exception:  # unreadable (or unknown): cannot verify, not absent
                items.append(UNKNOWN)
        return items
    return None


def dig(data: Any, *path: str) -> Any:
    """``data[path[0]][path[1]]…``; ``UNKNOWN`` if a step is unknown, None if a step is missing or junk."""
    current = data
    for key in path:
        if isinstance(current, Unknown):
            return UNKNOWN
        if not isinstance(current, dict):
            return None
        current = current.get(key)
    return current


def as_number(value: Any) -> float | Unknown | None:
    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                return None
        else:
            return None
    number = float(value)
    return number if math.isfinite(number) else None


def as_count(value: Any) -> int | Unknown | None:
    """A whole, non-negative number (a node count); None for anything else."""
    number = as_number(value)
    if number is None or isinstance(number, Unknown):
        return number
    if number < 0 or number != int(number):
        return None
    return int(number)


def as_str(value: Any) -> str | Unknown | None:
    if isinstance(value, Unknown):
        return UNKNOWN
    return value if isinstance(value, str) else None


def as_bool(value: Any) -> bool | Unknown | None:
    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def as_list(value: Any) -> list[Any] | Unknown | None:
    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, list):
        return value
    if isinstance(value, str):  # a single id where a list is accepted (FSx subnetIds)
        return [value]
    return None


def as_dict(value: Any) -> dict[str, Any] | Unknown | None:
    if isinstance(value, Unknown):
        return UNKNOWN
    return value if isinstance(value, dict) else None
