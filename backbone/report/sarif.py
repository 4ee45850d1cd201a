"""SARIF 2.1.0 for code scanning: one result per finding, located at the program line that registered its resource
(a hand-written program), else at the stack file and, where it can be found, the line of the config entry behind
the resource; the pack's policies are the rules. A waived violation is a result with an accepted external
suppression whose justification is the waiver's reason."""

from __future__ import annotations

import json
from typing import Any

from backbone._version import __version__
from backbone.report.escape import uri
from backbone.report.model import BLOCKING, Finding, PlanReport, StackReport, finding_key

__all__ = ["SCHEMA_URI", "document", "render"]

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
REFERENCE = "docs/reference/policies.md"
LEVELS = {BLOCKING: "error", "remediate": "error", "advisory": "warning"}


def _level(f: Finding) -> str:
    return "note" if f.cannot_verify else LEVELS.get(f.level, "warning")


def _rules(report: PlanReport) -> list[dict[str, Any]]:
    names = list(report.policies)
    names += sorted({f.policy for s in report.stacks for f in s.findings} - set(names))
    rules = []
    for name in names:
        info = report.policies.get(name)
        description = info.description if info else name
        rule: dict[str, Any] = {
            "id": name,
            "name": name,
            "shortDescription": {"text": description},
            "fullDescription": {"text": description},
            "help": {"text": f"{description} (policy `{name}` of the Backbone policy pack; see {REFERENCE})"},
        }
        if info is not None:
            rule["defaultConfiguration"] = {"level": LEVELS.get(info.level, "none")}  # disabled: none
        rules.append(rule)
    return rules


def _physical(file: str, line: int | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri(file)}}
    if line:
        physical["region"] = {"startLine": line}
    return physical


def _result(stack: StackReport, f: Finding, index: dict[str, int]) -> dict[str, Any]:
    """At the program line that registered the resource (a hand-written program: code scanning shows it on the
    diff), the stack file a related location; else at the stack-file line of the entry behind it."""
    if f.program_file:
        location: dict[str, Any] = {"physicalLocation": _physical(f.program_file, f.program_line)}
        related = [{"id": 1, "physicalLocation": _physical(stack.file, f.line),
                    "message": {"text": f"stack {stack.stack}"}}]
    else:
        location, related = {"physicalLocation": _physical(stack.file, f.line)}, []
    if f.subject:
        location["logicalLocations"] = [{"name": f.resource, "fullyQualifiedName": f.subject, "kind": "resource"}]
    text = f"{f.resource}: {f.message}" if f.subject else f.message
    if f.cannot_verify:
        text = f"cannot verify in preview: {text}"
    result: dict[str, Any] = {
        "ruleId": f.policy,
        "ruleIndex": index[f.policy],
        "level": _level(f),
        "message": {"text": f"[{stack.stack}] {text}"},
        "locations": [location],
        "properties": {
            "stack": stack.stack,
            "enforcementLevel": f.level,
            "cannotVerify": f.cannot_verify,
            "configPath": f.config_path,
        },
    }
    if f.waiver is not None and f.waived:
        w = f.waiver
        # SARIF's own way to say "accepted": an external suppression with its justification (§3.35)
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f"{w.reason} (owner {w.owner}, until {w.expires}, {w.source})"}]
    elif f.waiver is not None:
        result["properties"]["waiverExpired"] = {"expires": f.waiver.expires, "source": f.waiver.source}
    if related:
        result["relatedLocations"] = related
    return result


def document(report: PlanReport) -> dict[str, Any]:
    rules = _rules(report)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [_result(s, f, index) for s in report.stacks for f in (*s.violations, *s.cannot_verify, *s.waived)]
    _mark_baseline(report, results)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "backbone",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }},
            "automationDetails": {"id": "backbone-plan/"},
            "results": results,
            "properties": {"readCoverage": [_read_coverage(s) for s in report.stacks]},
        }],
    }


def _read_coverage(stack: StackReport) -> dict[str, Any]:
    """One stack's coverage: the pools judged and the resources that can carry accelerators not read."""
    c = stack.capacity.read_coverage
    return {"stack": stack.stack, "poolsJudged": c.pools, "complete": c.complete, "statement": c.statement(),
            "notRead": [{"type": u.token, "count": u.count, "resources": list(u.names)} for u in c.unread]}


def _mark_baseline(report: PlanReport, results: list[dict[str, Any]]) -> None:
    """``--baseline``: SARIF's own ``baselineState`` on each result (``new`` or ``unchanged``)."""
    if report.change is None:
        return
    findings = [(s.stack, f) for s in report.stacks for f in (*s.violations, *s.cannot_verify, *s.waived)]
    for result, (stack, f) in zip(results, findings, strict=True):
        if not f.cannot_verify and not f.waived:  # the baseline records violations only
            result["baselineState"] = "new" if report.change.is_new(finding_key(stack, f)) else "unchanged"


def render(report: PlanReport) -> str:
    return json.dumps(document(report), indent=2) + "\n"
