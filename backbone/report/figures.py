"""How a figure reads in text and Markdown: thousands separators, units, and a lower bound marked as such
when part of a total could not be counted (``≥ 128``)."""

from __future__ import annotations

from backbone.policies.inventory.facts import Total

__all__ = ["amount", "figure", "usd"]

NONE = "—"


def _number(value: float, digits: int) -> str:
    if digits == 0 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def amount(value: Total | float | None, unit: str = "", digits: int = 0) -> str:
    """``128``, ``10,240 GiB``, ``≥ 64 GiB`` (a lower bound: some parts could not be counted), ``unknown``
    (none could), or ``—`` where there is nothing to show. Reports list the parts not counted."""
    if value is None:
        return NONE
    suffix = f" {unit}" if unit else ""
    if isinstance(value, Total):
        text = _number(value.value, digits) + suffix
        if value.complete:
            return text
        if value.value == 0:
            return "unknown"
        return f"≥ {text}"
    return _number(value, digits) + suffix


def usd(value: Total | float | None) -> str:
    """``$1,576``, ``≥ $98``, ``unknown``."""
    if value is None:
        return NONE
    text = amount(value, digits=0)
    if text.startswith("≥ "):
        return "≥ $" + text[2:]
    if text.startswith("unknown"):
        return text
    return "$" + text


def figure(value: float | None, unit: str, digits: int = 1) -> str:
    return NONE if value is None else f"{_number(value, digits)} {unit}"
