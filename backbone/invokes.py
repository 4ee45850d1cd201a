"""Offline answers to provider functions (data sources: ``aws.get_availability_zones``,
``gcp.organizations.get_client_config``, …) for ``backbone plan``.

A real preview runs them against the cloud; offline there is no cloud. An invoke is answered, in order:

1. from ``--invokes FILE``, a YAML map from the function's token to its result in the provider's (camelCase)
   output shape — the user knows their account best, so their answer wins;
2. from facts (``backbone/data/invoke_facts.yaml``, every figure with its source): the zones of a known region,
   the region/project/zone of the stack's provider config, documentation placeholders for account and tenant ids.

Nothing else is invented: an invoke nobody answers stops the plan (``UnansweredInvoke``) with the token, the
program line that called it, and the ``--invokes`` entry to add. Fields a fact cannot know (zone ids, access
tokens) are left out of an answer.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from backbone.components.errors import ConfigError, Problem
from backbone.failure import Site, display
from backbone.program_host import noting_invoke_sites
from backbone.safe_load import load_yaml, read_text

__all__ = ["FACTS_FILE", "Answer", "CallSites", "InvokeAnswers", "Unanswered", "UnansweredInvoke", "load_invokes",
           "recording_call_sites"]

FACTS_FILE = Path(__file__).resolve().parent / "data" / "invoke_facts.yaml"
_TOKEN = re.compile(r"^[A-Za-z0-9][\w.-]*:[\w./-]*:\w+$")


@dataclass(frozen=True)
class Answer:
    """An invoke's result (camelCase, as the provider returns it), or why there is none."""

    result: dict[str, Any] | None
    reason: str = ""


@cache
def _facts() -> dict[str, Any]:
    with FACTS_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _zones(cloud: str, region: str | None, config_key: str) -> tuple[list[str] | None, str]:
    if not region:
        return None, f"no region: set {config_key} in the stack file or pass region= to the call"
    table = _facts()["zones"][cloud]
    zones = table["regions"].get(region)
    if zones is None:
        return None, (f"the zones of {region} are not in Backbone's facts (known: {', '.join(table['regions'])}; "
                      f"source {table['source']})")
    return list(zones), ""


def _present(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in (None, "")}


# -- one function per token: (call args, stack config) -> Answer ----------------------------------------

def _aws_zones(args: Mapping[str, Any], config: Mapping[str, Any]) -> Answer:
    region = args.get("region") or config.get("aws:region")
    zones, reason = _zones("aws", region, "aws:region")
    if zones is None:
        return Answer(None, reason)
    excluded = set(args.get("excludeNames") or ())
    names = [z for z in zones if z not in excluded]
    return Answer(_present(names=names, id=region, region=region))


def _aws_region(args: Mapping[str, Any], config: Mapping[str, Any]) -> Answer:
    region = args.get("region") or args.get("name") or config.get("aws:region")
    if not region:
        return Answer(None, "no region: set aws:region in the stack file or pass region= to the call")
    return Answer({"name": region, "region": region, "id": region})


def _aws_caller(args: Mapping[str, Any], config: Mapping[str, Any]) -> Answer:
    account = _facts()["placeholders"]["aws"]["accountId"]
    return Answer({"accountId": account, "id": account, "arn": f"arn:aws:iam::{account}:root", "userId": account})


def _aws_partition(args: Mapping[str, Any], config: Mapping[str, Any]) -> Answer:
    region = str(args.get("region") or config.get("aws:region") or "")
    if not region or region.startswith(("cn-", "us-gov-", "us-iso")):
        return Answer(None, "the partition depends on the region: set aws:region (a commercial region) in the "
                            "stack file, or answer the partition in --invokes")
    return Answer({"partition": "aws", "id": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws"})


def _gcp_zones(args: Mapping[str, Any], config: Mapping[str, Any]) -> Answer:
    region = args.get("region") or config.get("gcp:region")
    zones, reason = _zones("gcp", region, "gcp:region")
    if zones is None:
        return Answer(None, reason)
    project = args.get("project") or config.get("gcp:project")
    return Answer(_present(names=zones, region=region, project=project, id=f"projects/{project}/regions/{region}"
                           if project else None))


def _gcp_client(args: Mapping[str, Any], config: Mapping[str, Any]) -> Answer:
    # the access token is a credential: unknown offline, left out
    project = config.get("gcp:project")
    return Answer(_present(project=project, region=config.get("gcp:region"), zone=config.get("gcp:zone"),
                           id=f"projects/{project}/regions/{config.get('gcp:region')}/zones/{config.get('gcp:zone')}"
                           if project else None))


def _azure_client(args: Mapping[str, Any], config: Mapping[str, Any]) -> Answer:
    guid = _facts()["placeholders"]["azure-native"]["guid"]
    return Answer({
        "clientId": config.get("azure-native:clientId") or guid,
        "objectId": guid,
        "subscriptionId": config.get("azure-native:subscriptionId") or guid,
        "tenantId": config.get("azure-native:tenantId") or guid,
    })


FACTS: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any]], Answer]] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": _aws_zones,
    "aws:index/getRegion:getRegion": _aws_region,
    "aws:index/getCallerIdentity:getCallerIdentity": _aws_caller,
    "aws:index/getPartition:getPartition": _aws_partition,
    "gcp:compute/getZones:getZones": _gcp_zones,
    "gcp:organizations/getClientConfig:getClientConfig": _gcp_client,
    "azure-native:authorization:getClientConfig": _azure_client,
}
"""The functions Backbone answers from facts, by token."""


class InvokeAnswers:
    """Answers invokes for one stack: the user's ``--invokes`` answers first, then the facts."""

    def __init__(self, config: Mapping[str, Any], given: Mapping[str, dict[str, Any]] | None = None) -> None:
        self.config = config
        self.given = dict(given or {})

    def answer(self, token: str, args: Mapping[str, Any]) -> Answer:
        if token in self.given:
            return Answer(self.given[token])
        fact = FACTS.get(token)
        if fact is None:
            return Answer(None, "Backbone has no offline facts for it")
        return fact(args, self.config)


# -- where the program called a function, and what to say when nobody answers it ---------------------------

@dataclass(frozen=True)
class Unanswered:
    """An invoke the preview could not answer offline: its token, why, and where the program called it."""

    token: str
    reason: str
    site: Site | None
    fields: tuple[str, ...]
    """The function's output fields (camelCase), for the ``--invokes`` entry to add."""

    def message(self, stack: str) -> str:
        where = f" at {display(self.site[0])}:{self.site[1]}" if self.site else ""
        fields = "".join(f"\n    {name}: …" for name in self.fields) or "\n    <outputField>: <value>"
        return (f"stack {stack}: the program calls the provider function {self.token}{where}, which cannot be "
                f"answered offline ({self.reason}). A real preview asks the cloud; here, give its result in a "
                f"YAML file passed with --invokes FILE (camelCase output fields; leave out those the program does "
                f"not read):\n  \"{self.token}\":{fields}")


class UnansweredInvoke(Exception):
    """Raised into the program at an unanswered invoke, so that it stops there (reported as ``Unanswered``)."""


@dataclass
class CallSites:
    """Where the program called each provider function, and the function's result type (for its fields)."""

    root: Path | None
    seen: dict[str, tuple[Site | None, tuple[str, ...]]] = field(default_factory=dict)


def recording_call_sites(sites: CallSites) -> contextlib.AbstractContextManager[None]:
    """Notes, in a program run in this process, where it calls each provider function (in a program's own
    process, ``backbone.program_host`` notes them the same way)."""
    return noting_invoke_sites(sites.seen, sites.root)


def load_invokes(path: Path) -> dict[str, dict[str, Any]]:
    """Reads an ``--invokes`` file: ``{token: {camelCaseField: value, …}}``, within the limits of
    ``backbone.safe_load`` (size, aliases, depth, duplicate keys). Every fault names the file and line."""
    where = str(path)
    parsed = load_yaml(read_text(path, "invokes file"), where)
    root, data = parsed.root, parsed.data
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise ConfigError([Problem("(top level)", "expected a mapping from a function's token "
                                   "(\"aws:ssm/getParameter:getParameter\") to its result", where)])
    problems: list[Problem] = []
    for key_node, _ in root.value:
        token, line = key_node.value, key_node.start_mark.line + 1
        if not isinstance(token, str) or not _TOKEN.match(token):
            problems.append(Problem(f"line {line}", f"{token!r} is not a function token; tokens look like "
                                    "aws:ssm/getParameter:getParameter (the error that asked for it names it)",
                                    where))
        elif not isinstance(data.get(token), dict):
            problems.append(Problem(f"line {line}", f"{token}: the result is a mapping of the function's output "
                                    f"fields (camelCase), got {type(data.get(token)).__name__}", where))
    if problems:
        raise ConfigError(problems)
    return data
