"""``--waivers FILE``: accepted risks, each with a reason, an owner and an expiry (YAML).

```yaml
waivers:
  - policy: storage-throughput      # required
    stack: "gpu-*"                   # glob; default "*"
    resource: "gpu"                  # resource name, pool name or URN glob; default "*"
    reason: "data is served from the training stack's FSx"   # required
    owner: ml-platform@example.com   # required
    expires: "2027-03-31"            # required, ISO date
```

The file is read through the bounded loader (``backbone.safe_load``); every fault of every entry is named at
once (file, ``waivers[i].key``, what was wrong and what is allowed), exit 2. The same entries may sit in the
policy config under a policy's ``waivers`` key (what ``pulumi preview --policy-pack-config`` takes); both end up
there (``backbone.policy_config``), and the pack applies them (``backbone.policies.waivers``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from backbone.core.errors import ConfigError, Problem
from backbone.policies.waivers import DATE_PATTERN, MAX_TEXT, MAX_WAIVERS, Waiver
from backbone.safe_load import load_yaml, read_text

__all__ = ["DeclaredWaiver", "entry_problems", "load_waivers", "waiver_of"]

REQUIRED = ("reason", "owner", "expires")
OPTIONAL = ("policy", "stack", "resource")


@dataclass(frozen=True)
class DeclaredWaiver:
    """A waiver and where it was declared (``waivers.yaml: waivers[2]``), for the report."""

    waiver: Waiver
    source: str


def entry_problems(entry: Any, path: str, file: str, policy: str | None = None) -> list[Problem]:
    """What is wrong with one waiver entry at ``path`` of ``file`` (empty: nothing). ``policy``: the policy whose
    config holds the entry (then its own ``policy`` key is optional and must name that policy)."""
    if not isinstance(entry, Mapping):
        return [Problem(path, f"expected a mapping with {', '.join(REQUIRED + OPTIONAL)}; got "
                              f"{type(entry).__name__}", file)]
    problems = []
    required = REQUIRED if policy else ("policy", *REQUIRED)
    for key in required:
        if key not in entry:
            problems.append(Problem(f"{path}.{key}", f"required: {_meaning(key)}", file))
    for key, value in entry.items():
        if key not in REQUIRED + OPTIONAL:
            problems.append(Problem(f"{path}.{key}", f"unknown key; allowed: {', '.join(REQUIRED + OPTIONAL)}",
                                    file))
        elif key == "expires":
            problems += _date_problems(value, f"{path}.{key}", file)
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(f"{path}.{key}", f"expected a non-empty text ({_meaning(key)}); got "
                                                     f"{value!r}"[:300], file))
        elif len(value) > MAX_TEXT:
            problems.append(Problem(f"{path}.{key}", f"{len(value):,} characters; at most {MAX_TEXT}", file))
    if policy and isinstance(entry.get("policy"), str) and entry["policy"] != policy:
        problems.append(Problem(f"{path}.policy", f"{entry['policy']!r} in the config of {policy}: leave it out "
                                                  f"or name {policy}", file))
    return problems


def _meaning(key: str) -> str:
    return {
        "policy": "the policy it waives (e.g. storage-throughput)",
        "stack": 'a stack-name glob (default "*")',
        "resource": 'a resource name, pool name or URN glob (default "*")',
        "reason": "why the risk is accepted",
        "owner": "who owns the decision (a team or an address)",
        "expires": "the last day it holds, an ISO date such as 2027-03-31",
    }[key]


def _date_problems(value: Any, path: str, file: str) -> list[Problem]:
    if isinstance(value, date):  # YAML reads an unquoted 2027-03-31 as a date: that is what was meant
        return []
    try:
        if isinstance(value, str) and re.match(DATE_PATTERN, value):
            date.fromisoformat(value)
            return []
    except ValueError:
        pass
    return [Problem(path, f"{value!r} is not an ISO date; expected YYYY-MM-DD, such as 2027-03-31"[:300], file)]


def waiver_of(entry: Mapping[str, Any], policy: str | None = None) -> Waiver:
    """The waiver of an entry that ``entry_problems`` passed."""
    expires = entry["expires"]
    return Waiver(policy=policy or str(entry["policy"]), reason=str(entry["reason"]), owner=str(entry["owner"]),
                  expires=expires if isinstance(expires, date) else date.fromisoformat(str(expires)),
                  stack=str(entry.get("stack", "*")), resource=str(entry.get("resource", "*")))


def load_waivers(path: Path) -> list[DeclaredWaiver]:
    """The waivers of a ``--waivers`` file; a ``ConfigError`` naming every fault of every entry."""
    file = str(path)
    data = load_yaml(read_text(path, "waivers file"), file).data
    if not isinstance(data, Mapping) or set(data) != {"waivers"} or not isinstance(data["waivers"], list):
        raise ConfigError([Problem("(top level)", "expected one key, waivers: a list of entries with policy, "
                                                  "reason, owner, expires (and stack, resource globs)", file)])
    if len(data["waivers"]) > MAX_WAIVERS:
        raise ConfigError([Problem("waivers", f"{len(data['waivers']):,} entries; at most {MAX_WAIVERS:,} (each is "
                                              "matched against every finding)", file)])
    problems: list[Problem] = []
    for i, entry in enumerate(data["waivers"]):
        problems += entry_problems(entry, f"waivers[{i}]", file)
    if problems:
        raise ConfigError(problems)
    return [DeclaredWaiver(waiver_of(entry), f"{file}: waivers[{i}]") for i, entry in enumerate(data["waivers"])]
