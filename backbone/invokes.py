"""Offline answers to provider functions (data sources: ``aws.get_availability_zones``,
``gcp.organizations.get_client_config``, …) for ``backbone plan``.

A real preview runs them against the cloud; offline there is no cloud. An invoke is answered, in order:

1. from ``--invokes FILE``, a YAML map from the function's token to its result in the provider's (camelCase)
   output shape, or to a list of ``{args: …, result: …}`` answers matched on the call's arguments (the first
   whose ``args`` all equal the call's; an entry without ``args`` matches any call) — the user knows their
   account best, so their answer wins;
2. from pure functions computed locally (``backbone.pure_functions``: ``aws.iam.getPolicyDocument``);
3. from facts (``backbone/data/invoke_facts.yaml``, every figure with its source): the zones of every public
   region of AWS and GCP, the region/project/zone of the stack's provider config, documentation placeholders
   for account and tenant ids.

Nothing else is invented. An invoke nobody answers gets an unknown result, so that the program goes on and
every other unanswered invoke of the run is found too; the plan then stops (``UnansweredInvokes``, exit 2)
naming all of them with the YAML skeleton of an ``--invokes`` file for all of them — or, with
``--unknown-invokes``, judges with the unknown results (what depends on them cannot be verified) and names them
in the report. Fields a fact cannot know (zone ids, access tokens) are left out of an answer.
"""

from __future__ import annotations

import contextlib
import re
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from backbone.core.errors import BackboneError, ConfigError, Problem
from backbone.failure import Site, call_site, display
from backbone.pure_functions import PURE, Answer
from backbone.safe_load import load_yaml, read_text

__all__ = ["FACTS_FILE", "Answer", "CallSites", "Given", "InvokeAnswers", "Unanswered", "UnansweredInvokes",
           "load_invokes", "recording_call_sites"]

FACTS_FILE = Path(__file__).resolve().parent / "data" / "invoke_facts.yaml"
_TOKEN = re.compile(r"^[A-Za-z0-9][\w.-]*:[\w./-]*:\w+$")


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
        return None, (f"the zones of {region} are not in Backbone's facts ({len(table['regions'])} regions from "
                      f"{table['source']}; a region whose zone names vary by account is left out)")
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


@dataclass(frozen=True)
class Given:
    """One ``--invokes`` answer: the result, for calls whose arguments include ``args`` (None: any call)."""

    args: dict[str, Any] | None
    result: dict[str, Any]

    def matches(self, args: Mapping[str, Any]) -> bool:
        return self.args is None or all(_same(args.get(key), value) for key, value in self.args.items())


def _same(called: Any, given: Any) -> bool:
    """Equal as they cross the Pulumi wire: numbers are floats there (``16`` is ``16.0``)."""
    if isinstance(called, dict) and isinstance(given, dict):
        return called.keys() == given.keys() and all(_same(called[k], given[k]) for k in given)
    if isinstance(called, list) and isinstance(given, list):
        return len(called) == len(given) and all(_same(a, b) for a, b in zip(called, given, strict=True))
    if isinstance(called, int | float) and isinstance(given, int | float) and not isinstance(given, bool):
        return float(called) == float(given)
    return bool(called == given)


class InvokeAnswers:
    """Answers invokes for one stack: the user's ``--invokes`` answers first, then pure functions, then the facts.
    ``unknown``: an unanswered invoke is judged as unknown (``--unknown-invokes``) instead of stopping the plan."""

    def __init__(self, config: Mapping[str, Any], given: Mapping[str, list[Given]] | None = None,
                 unknown: bool = False) -> None:
        self.config = config
        self.given = dict(given or {})
        self.unknown = unknown

    def answer(self, token: str, args: Mapping[str, Any]) -> Answer:
        given = self.given.get(token, [])
        match = next((g for g in given if g.matches(args)), None)
        if match is not None:
            return Answer(match.result)
        pure = PURE.get(token)
        fact = FACTS.get(token)
        found = pure(args) if pure is not None else fact(args, self.config) if fact is not None else \
            Answer(None, "Backbone has no offline facts for it")
        if found.result is None and given:
            return Answer(None, f"none of the {len(given)} --invokes answers for it matches its arguments; "
                                f"{found.reason}")
        return found


# -- where the program called a function, and what to say when nobody answers it ---------------------------

@dataclass(frozen=True)
class Unanswered:
    """An invoke the preview could not answer offline: its token, why, where the program called it, and with
    what arguments."""

    token: str
    reason: str
    site: Site | None
    fields: tuple[str, ...]
    """The function's output fields (camelCase), for the ``--invokes`` entry to add."""
    args: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        where = f" at {display(self.site[0])}:{self.site[1]}" if self.site else ""
        return f"{self.token}{where}, which cannot be answered offline ({self.reason})"


class UnansweredInvokes(BackboneError):
    """Every invoke of a run nobody answered (stack, unanswered), named together with one ``--invokes`` skeleton."""

    def __init__(self, found: list[tuple[str, Unanswered]]) -> None:
        self.found = found
        super().__init__(_unanswered_message(found))


def _unanswered_message(found: list[tuple[str, Unanswered]]) -> str:
    calls = "".join(f"\n  stack {stack}: the program calls the provider function {u.describe()}"
                    for stack, u in found)
    return (f"{len(found)} provider function call(s) cannot be answered offline:{calls}\nA real preview asks the "
            f"cloud; here, give their results in a YAML file passed with --invokes FILE (camelCase output fields; "
            f"leave out those the program does not read; args: only those that tell the calls apart), or pass "
            f"--unknown-invokes to judge with unknown results (what depends on them cannot be verified):\n"
            + textwrap.indent(skeleton([u for _, u in found]), "  "))


def skeleton(unanswered: list[Unanswered]) -> str:
    """The ``--invokes`` YAML for all of ``unanswered``: one entry per token, one answer per distinct call."""
    by_token: dict[str, list[Unanswered]] = {}
    for u in unanswered:
        calls = by_token.setdefault(u.token, [])
        if all(other.args != u.args for other in calls):
            calls.append(u)
    lines = []
    for token, calls in by_token.items():
        lines.append(f"\"{token}\":")
        if len(calls) == 1:  # one call: its result, for any call
            lines += [f"  {name}: …" for name in calls[0].fields] or ["  <outputField>: <value>"]
            continue
        for u in calls:
            args = yaml.safe_dump(u.args, default_flow_style=True, width=1000, sort_keys=True).strip()
            lines.append(f"  - args: {args}")
            lines.append("    result:")
            lines += [f"      {name}: …" for name in u.fields] or ["      <outputField>: <value>"]
    return "\n".join(lines)


@dataclass
class CallSites:
    """Where the program called each provider function, and the function's result type (for its fields)."""

    root: Path | None
    seen: dict[str, tuple[Site | None, tuple[str, ...]]] = field(default_factory=dict)
    output_form: set[str] = field(default_factory=set)
    """Tokens called in the output form (``get_…_output``), whose unknown result is an unknown output."""

    def record(self, token: str, typ: Any, output_form: bool) -> None:
        if token not in self.seen:  # the first call's line (several calls of one token are answered apart)
            self.seen[token] = (call_site(sys._getframe(2), self.root), _output_fields(typ))
        if output_form:
            self.output_form.add(token)


def _output_fields(typ: Any) -> tuple[str, ...]:
    """The camelCase names of an output type's fields (``insecureValue``), as ``@pulumi.getter`` records them."""
    if typ is None:
        return ()
    return tuple(getattr(p.fget, "_pulumi_name", name) for name, p in vars(typ).items() if isinstance(p, property))


_INVOKE_FUNCTIONS = ("invoke", "invoke_single", "invoke_async", "invoke_output", "invoke_output_single")


@contextlib.contextmanager
def recording_call_sites(sites: CallSites) -> Iterator[None]:
    """Provider SDKs call ``pulumi.runtime.invoke…(token, args, opts, typ)``; the program's line is on the stack
    only at that moment (the monitor answers later, on another thread), so it is noted there."""
    import pulumi.runtime

    originals = {name: getattr(pulumi.runtime, name) for name in _INVOKE_FUNCTIONS}

    def noting(original: Callable[..., Any], output_form: bool) -> Callable[..., Any]:
        def invoke(tok: str, *args: Any, **kwargs: Any) -> Any:
            sites.record(tok, kwargs.get("typ", args[2] if len(args) > 2 else None), output_form)
            return original(tok, *args, **kwargs)
        return invoke

    for name, original in originals.items():
        setattr(pulumi.runtime, name, noting(original, name.startswith("invoke_output")))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(pulumi.runtime, name, original)


def load_invokes(path: Path) -> dict[str, list[Given]]:
    """Reads an ``--invokes`` file: ``{token: {camelCaseField: value, …}}`` or ``{token: [{args: {…}, result:
    {…}}, …]}``, within the limits of ``backbone.safe_load`` (size, aliases, depth, duplicate keys). Every fault
    names the file and line."""
    where = str(path)
    parsed = load_yaml(read_text(path, "invokes file"), where)
    root, data = parsed.root, parsed.data
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise ConfigError([Problem("(top level)", "expected a mapping from a function's token "
                                   "(\"aws:ssm/getParameter:getParameter\") to its result", where)])
    problems: list[Problem] = []
    answers: dict[str, list[Given]] = {}
    for key_node, _ in root.value:
        token, line = key_node.value, key_node.start_mark.line + 1
        if not isinstance(token, str) or not _TOKEN.match(token):
            problems.append(Problem(f"line {line}", f"{token!r} is not a function token; tokens look like "
                                    "aws:ssm/getParameter:getParameter (the error that asked for it names it)",
                                    where))
            continue
        given = _given(data.get(token))
        if given is None:
            problems.append(Problem(f"line {line}", f"{token}: the result is a mapping of the function's output "
                                    f"fields (camelCase), or a list of {{args: {{…}}, result: {{…}}}} answers, got "
                                    f"{_kind(data.get(token))}", where))
        else:
            answers[token] = given
    if problems:
        raise ConfigError(problems)
    return answers


def _kind(value: Any) -> str:
    return type(value).__name__ if not isinstance(value, list) else "a list with an entry that is not " \
        "{args: mapping, result: mapping}"


def _given(value: Any) -> list[Given] | None:
    """The answers of one token, or None when their shape is wrong."""
    if isinstance(value, dict):
        return [Given(None, value)]
    if not isinstance(value, list) or not value:
        return None
    found = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) - {"args", "result"} or not isinstance(entry.get("result"), dict) \
                or not isinstance(entry.get("args", {}), dict):
            return None
        found.append(Given(entry.get("args"), entry["result"]))
    return found
