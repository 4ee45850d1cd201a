"""Waivers: a known risk accepted with a reason, an owner and an expiry, applied by the pack itself.

A waiver travels as policy config (``{"storage-throughput": {"waivers": [{…}]}}``), the one thing besides the
resources that the engine sends an analyzer; so ``pulumi preview --policy-pack-config`` and ``backbone plan
--waivers`` apply the very same waivers in the very same place, where the verdict is made. A waived violation is
reported at the advisory level (it does not fail a preview), its message led by one line that says so; a
violation whose only matching waiver has expired keeps its own level, led by a line that says the waiver expired.
That first line is the protocol between the pack and whoever reads its diagnostics (``note_of``).

An entry: ``policy`` (optional here: the config it sits in names it), ``stack`` and ``resource`` globs (default
``*``; the resource glob is matched against the resource's name, the name of the pool or file system it is,
and its URN), ``reason``, ``owner``, ``expires`` (an ISO date; the waiver holds through that day, UTC).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fnmatch import fnmatchcase
from typing import Any, Literal

__all__ = [
    "MAX_TEXT",
    "MAX_WAIVERS",
    "WAIVERS_SCHEMA",
    "Note",
    "Waiver",
    "expired_line",
    "matching",
    "note_of",
    "stack_of",
    "today",
    "waived_line",
    "waivers_of",
]

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MAX_WAIVERS = 1_000
"""Waivers in one file or one policy's config: every finding is matched against each, so a pull request cannot
make the verdict crawl with a long list (a real team's list is tens)."""
MAX_TEXT = 500
"""Characters in one waiver field: globs are matched against every finding's names, reasons land in reports."""

WAIVERS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "default": [],
    "maxItems": MAX_WAIVERS,
    "description": "Accepted risks: each waives this policy's violations on the stacks and resources its globs "
                   "match, until it expires (policy, stack, resource, reason, owner, expires).",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["reason", "owner", "expires"],
        "properties": {
            "policy": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
            "stack": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
            "resource": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
            "reason": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
            "owner": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
            "expires": {"type": "string", "pattern": DATE_PATTERN},
        },
    },
}
"""The ``waivers`` key every rule's config schema takes (the engine checks entries against it)."""


@dataclass(frozen=True)
class Waiver:
    """One accepted risk."""

    policy: str
    reason: str
    owner: str
    expires: date
    stack: str = "*"
    resource: str = "*"

    def expired(self, on: date) -> bool:
        """Past its last day."""
        return on > self.expires

    def covers(self, stack: str, names: Iterable[str]) -> bool:
        """Whether the stack glob matches ``stack`` and the resource glob one of ``names`` (the resource's
        name, its pool's or file system's name, its URN)."""
        return fnmatchcase(stack, self.stack) and any(fnmatchcase(n, self.resource) for n in names if n)

    def entry(self) -> dict[str, str]:
        """The config entry (JSON) that carries this waiver to the pack."""
        return {"policy": self.policy, "stack": self.stack, "resource": self.resource, "reason": self.reason,
                "owner": self.owner, "expires": self.expires.isoformat()}


def today() -> date:
    """The date a waiver's expiry is compared with (UTC, so that every runner agrees)."""
    return datetime.now(UTC).date()


def waivers_of(policy: str, config: Mapping[str, Any]) -> list[Waiver | None]:
    """The waivers in a policy's config, in order; None for an entry the pack cannot read (a bad date where the
    engine did not check it): it waives nothing."""
    found: list[Waiver | None] = []
    for entry in config.get("waivers") or []:
        try:
            found.append(Waiver(policy=policy, reason=str(entry["reason"]), owner=str(entry["owner"]),
                                expires=date.fromisoformat(str(entry["expires"])),
                                stack=str(entry.get("stack") or "*"), resource=str(entry.get("resource") or "*")))
        except (KeyError, TypeError, ValueError, AttributeError):
            found.append(None)
    return found


def stack_of(urn: str) -> str:
    """The stack a URN belongs to (``urn:pulumi:<stack>::<project>::…``); "" for anything else."""
    head = urn.split("::", 1)[0]
    return head[len("urn:pulumi:"):] if head.startswith("urn:pulumi:") else ""


def matching(waivers: Sequence[Waiver | None], stack: str, names: Iterable[str],
             on: date) -> tuple[int | None, int | None]:
    """(index of the first live waiver covering the finding, index of the first expired one), None where none."""
    named = list(names)
    live = expired = None
    for index, waiver in enumerate(waivers):
        if waiver is None or not waiver.covers(stack, named):
            continue
        if not waiver.expired(on):
            return index, expired
        if expired is None:
            expired = index
    return live, expired


def _one_line(text: str) -> str:
    return " ".join(text.split())


def waived_line(index: int, waiver: Waiver) -> str:
    """The first line of a waived violation's message."""
    return (f"waived by waiver #{index + 1} (owner {_one_line(waiver.owner)}, until {waiver.expires.isoformat()}): "
            f"{_one_line(waiver.reason)}")


def expired_line(index: int, waiver: Waiver) -> str:
    """The first line of a violation whose waiver has expired."""
    return (f"waiver #{index + 1} expired on {waiver.expires.isoformat()} (owner {_one_line(waiver.owner)}): "
            f"{_one_line(waiver.reason)}; the violation counts again")


_NOTE = re.compile(r"^(?:waived by waiver #(?P<waived>[0-9]+) |waiver #(?P<expired>[0-9]+) expired on )")


@dataclass(frozen=True)
class Note:
    """What the first line of a diagnostic's message says about a waiver."""

    state: Literal["waived", "expired"]
    index: int
    """0-based, in the policy's ``waivers`` config."""
    message: str
    """The violation's own message, without the waiver line."""


def note_of(detail: str) -> Note | None:
    """The waiver line a diagnostic's message starts with, or None."""
    first, _, rest = detail.partition("\n")
    found = _NOTE.match(first)
    if found is None:
        return None
    if found.group("waived"):
        return Note("waived", int(found.group("waived")) - 1, rest)
    return Note("expired", int(found.group("expired")) - 1, rest)
