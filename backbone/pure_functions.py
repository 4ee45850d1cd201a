"""Provider functions that are pure — their result follows from their arguments alone, no cloud is asked — computed
locally, as the provider computes them.

``aws:iam/getPolicyDocument:getPolicyDocument``: pulumi-aws bridges the Terraform AWS provider's
``aws_iam_policy_document`` data source, which builds the JSON in the provider itself (terraform-provider-aws,
``internal/service/iam/policy_document_data_source.go`` and ``policy_model.go``, read 2026-12-07): ``Version``
defaults to ``2012-10-17``, ``Effect`` to ``Allow``; a list of one item (actions, resources, principal
identifiers, condition values) is written as a string, a longer one sorted in reverse; principals of one type are
merged, and ``{"*": ["*"]}`` is written ``"*"``; ``json`` is Go's ``MarshalIndent`` with two spaces (keys in the
struct's order, ``<``, ``>``, ``&`` escaped), ``minifiedJson`` the same without whitespace, ``id`` the CRC-32 of
``json``. A document that merges others (``sourcePolicyDocuments``, ``overridePolicyDocuments``) or has an argument
unknown in preview is not computed here: answer it with ``--invokes``.

Not pure, so not here: ``getCallerIdentity`` (the account), ``getRegion``/``getPartition`` (the provider's region:
answered from the stack config with the facts in ``backbone.invokes``), anything that lists what exists.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.runtime.rpc import UNKNOWN

__all__ = ["PURE", "Answer", "policy_document"]


@dataclass(frozen=True)
class Answer:
    """An invoke's result (camelCase, as the provider returns it), or why there is none."""

    result: dict[str, Any] | None
    reason: str = ""


def _strings(values: list[Any]) -> str | list[str]:
    """A list of one item is the item; a longer one is sorted in reverse (``policyDecodeConfigStringList``)."""
    items = [str(v) for v in values]
    return items[0] if len(items) == 1 else sorted(items, reverse=True)


def _principals(entries: list[Mapping[str, Any]]) -> str | dict[str, Any]:
    """``IAMPolicyStatementPrincipalSet.MarshalJSON``: identifiers merged per type; ``{"*": "*"}`` is ``"*"``."""
    typed = [(str(e.get("type", "")), _strings(list(e.get("identifiers") or []))) for e in entries]
    if len(typed) == 1 and typed[0][0] == "*" and typed[0][1] in ("*", ["*"]):
        return "*"
    merged: dict[str, Any] = {}
    for kind, identifiers in typed:
        before = merged.get(kind)
        if isinstance(identifiers, list):
            merged[kind] = ([] if before is None else [before] if isinstance(before, str) else before) + identifiers
        elif before is None:
            merged[kind] = identifiers
        else:
            merged[kind] = ([before] if isinstance(before, str) else before) + [identifiers]
    return dict(sorted(merged.items()))


def _conditions(entries: list[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """``IAMPolicyStatementConditionSet.MarshalJSON``: values per test and variable, one value as a string."""
    raw: dict[str, dict[str, list[str]]] = {}
    for entry in entries:
        values = _strings(list(entry.get("values") or []))
        raw.setdefault(str(entry.get("test")), {}).setdefault(str(entry.get("variable")), []).extend(
            [values] if isinstance(values, str) else values)
    return {test: {var: items[0] if len(items) == 1 else items for var, items in sorted(variables.items())}
            for test, variables in sorted(raw.items())}


def _statement(args: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if args.get("sid"):
        out["Sid"] = args["sid"]
    out["Effect"] = args.get("effect") or "Allow"
    for key, name in (("actions", "Action"), ("notActions", "NotAction"), ("resources", "Resource"),
                      ("notResources", "NotResource")):
        if args.get(key):
            out[name] = _strings(list(args[key]))
    for key, name in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
        if args.get(key):
            out[name] = _principals(list(args[key]))
    if args.get("conditions"):
        out["Condition"] = _conditions(list(args["conditions"]))
    return out


def _go_json(value: Any, indent: int | None) -> str:
    """JSON as Go's ``encoding/json`` writes it (HTML characters escaped, UTF-8 kept)."""
    separators = (",", ": ") if indent else (",", ":")
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=False)
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                          ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _has_unknown(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    return value == UNKNOWN


def policy_document(args: Mapping[str, Any]) -> Answer:
    """The result of ``aws.iam.getPolicyDocument`` for ``args`` (camelCase), or why it is not computed here."""
    if args.get("sourcePolicyDocuments") or args.get("overridePolicyDocuments"):
        return Answer(None, "it merges other policy documents (sourcePolicyDocuments / overridePolicyDocuments), "
                            "which Backbone does not compute")
    if _has_unknown(dict(args)):
        return Answer(None, "an argument is unknown in preview")
    document: dict[str, Any] = {"Version": args.get("version") or "2012-10-17"}
    if args.get("policyId"):
        document["Id"] = args["policyId"]
    statements = [_statement(s) for s in args.get("statements") or []]
    if statements:
        document["Statement"] = statements
    text = _go_json(document, indent=2)
    return Answer({**dict(args), "json": text, "minifiedJson": _go_json(document, indent=None),
                   "id": str(zlib.crc32(text.encode()))})


PURE: dict[str, Callable[[Mapping[str, Any]], Answer]] = {
    "aws:iam/getPolicyDocument:getPolicyDocument": policy_document,
}
"""The pure functions Backbone computes, by token: each returns an ``Answer``."""
