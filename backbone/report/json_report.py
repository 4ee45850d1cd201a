"""The JSON report. Contract: ``{"stacks": [{"stack", "cloud", "accelerators_max", "monthly_cost_usd_max",
"violations": [{"policy", "level", "urn", "message"}], …}]}``; the other fields are additions. A summed figure is
the part that could be counted: ``unknown_parts`` names what could not, and ``read_coverage`` says how many pools
were judged and which resources that can carry accelerators were not read (``complete: false``). It holds everything
the other formats show, so that ``backbone merge`` can render shard reports in any format (``report.read_json``)."""

from __future__ import annotations

import json
from typing import Any

from backbone._version import __version__
from backbone.policies.inventory.facts import Total
from backbone.report.coverage import CostCoverage
from backbone.report.delta import Change, Figure, StackChange
from backbone.report.excess import Excess
from backbone.report.model import Finding, PlanReport, StackReport, WaiverMark, finding_key

__all__ = ["SCHEMA_VERSION", "document", "render"]

SCHEMA_VERSION = 1
"""The JSON report's shape: raised when a field is removed or changes meaning (additions keep it), so that a
reader of reports (``--baseline``, ``backbone merge``, a team's own scripts) can refuse a shape it does not know."""


def _total(value: Total) -> float | int:
    return int(value.value) if float(value.value).is_integer() else round(value.value, 4)


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "policy": f.policy,
        "level": f.level,
        "urn": f.urn,
        "message": f.message,
        "resource": f.resource,
        "subject_urn": f.subject,
        "config_path": f.config_path,
        "line": f.line,
        "waiver": _mark(f.waiver) if f.waiver else None,
        "program_file": f.program_file,
        "program_line": f.program_line,
    }


def _coverage(cov: CostCoverage | None) -> dict[str, Any] | None:
    if cov is None:
        return None
    return {
        "includes": list(cov.includes),
        "services": [{"name": s.name, "resource_type": s.resource_type, "count": s.count,
                      "usd_per_hour": s.usd_per_hour, "monthly_usd": s.monthly_usd, "note": s.note}
                     for s in cov.services],
        "services_monthly_usd": cov.services_monthly_usd,
        "left_out": list(cov.left_out),
    }


def _mark(w: WaiverMark) -> dict[str, Any]:
    return {"state": w.state, "policy": w.policy, "stack": w.stack, "resource": w.resource, "reason": w.reason,
            "owner": w.owner, "expires": w.expires, "source": w.source}


def _stack(stack: StackReport) -> dict[str, Any]:
    c = stack.capacity
    return {
        "stack": stack.stack,
        "cloud": stack.cloud,
        "file": stack.file,
        "accelerators_min": _total(c.accelerators_min),
        "accelerators_max": _total(c.accelerators_max),
        "accelerators_max_by_model": c.accelerators_max_by_model,
        "accelerator_memory_gib_max": _total(c.accelerator_memory_gib),
        "fabric_gbps_per_accelerator": c.fabric_gbps_per_accelerator,
        "storage_tib": _total(c.storage_tib),
        "storage_mbps": _total(c.storage_mbps),
        "storage_mbps_per_accelerator": c.storage_mbps_per_accelerator,
        "hourly_cost_usd_min": _total(c.hourly_usd_min),
        "hourly_cost_usd_max": _total(c.hourly_usd_max),
        "monthly_cost_usd_min": _total(c.monthly_usd_min),
        "monthly_cost_usd_max": _total(c.monthly_usd_max),
        "pricing": list(c.pricing),
        "runtime": c.runtime,
        "unknown_parts": {name: list(t.unknown) for name, t in c.totals().items() if not t.complete},
        "read_coverage": {
            "pools_judged": c.read_coverage.pools,
            "file_systems_judged": c.read_coverage.file_systems,
            "complete": c.read_coverage.complete,
            "not_read": [{"type": u.token, "count": u.count, "resources": list(u.names), "why": u.why}
                         for u in c.read_coverage.unread],
        },
        "resources_by_type": stack.resources_by_type,
        "violations": [_finding(f) for f in stack.violations],
        "cannot_verify": [_finding(f) for f in stack.cannot_verify],
        "waived": [_finding(f) for f in stack.waived],
        "unknown_invokes": list(stack.unknown_invokes),
        "cost_coverage": _coverage(stack.coverage),
        "verdict": stack.verdict,
    }


def document(report: PlanReport) -> dict[str, Any]:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "backbone", "version": __version__},
        "stacks": [_stack(s) for s in report.stacks],
        "verdict": report.verdict,
        "policy_pack": {"name": report.pack, "version": report.pack_version},
        "policies_weakened": [{"policy": n, "level": own, "configured": level} for n, own, level in report.weakened],
        "nothing_judged": report.nothing_judged,
        "policies": [{"policy": name, "description": info.description, "level": info.level,
                      "configured": report.levels.get(name, info.level)} for name, info in report.policies.items()],
        "waived": report.waived_count,
        "expired_waivers": [_mark(w) for w in report.expired_waivers],
        "stale_waivers": [_mark(w) for w in report.stale_waivers],
        "fail_on": report.fail_on,
        "exit_code": report.exit_code,
        "catalog_files": [o.to_json() for o in report.catalog_overlays],
    }
    if report.command == "audit":
        _add_excess(doc, report)
    if report.utilization is not None:
        doc["utilization"] = report.utilization.json_entries()
        doc["utilization_source"] = report.utilization.source()
    if report.change is not None:
        _add_change(doc, report, report.change)
    return doc


def _number(value: float | None) -> float | int | None:
    return None if value is None else _total(Total(value))


def _excess(item: Excess) -> dict[str, Any]:
    return {"kind": item.kind, "urn": item.urn, "resource": item.resource, "message": item.message,
            "accelerators": item.accelerators, "monthly_cost_usd": _number(item.monthly_usd)}


def _add_excess(doc: dict[str, Any], report: PlanReport) -> None:
    """``backbone audit``: per stack, what is provisioned beyond need."""
    doc["command"] = "audit"
    for entry, stack in zip(doc["stacks"], report.stacks, strict=True):
        entry["excess"] = [_excess(e) for e in stack.excess]


def _side(accelerators: Figure | None, monthly: Figure | None) -> dict[str, Any] | None:
    if accelerators is None or monthly is None:
        return None
    return {"accelerators_max": _number(accelerators.value), "monthly_cost_usd_max": _number(monthly.value)}


def _delta(c: StackChange) -> dict[str, Any]:
    return {
        "accelerators_max": _number(c.accelerators_delta),
        "monthly_cost_usd_max": _number(c.monthly_delta),
        "not_counted": {"accelerators_max": list(c.accelerators_not_counted),
                        "monthly_cost_usd_max": list(c.monthly_not_counted)},
    }


def _add_change(doc: dict[str, Any], report: PlanReport, change: Change) -> None:
    """``--baseline``: per stack ``baseline`` / ``delta`` / ``change``, each violation ``new`` or ``present``;
    at the top the new and removed stacks and the totals."""
    for entry, stack in zip(doc["stacks"], report.stacks, strict=True):
        c = change.of(stack.stack)
        assert c is not None
        entry["change"] = c.status
        entry["baseline"] = _side(c.accelerators_before, c.monthly_before)
        entry["delta"] = _delta(c)
        for v, f in zip(entry["violations"], stack.violations, strict=True):
            v["baseline"] = "new" if change.is_new(finding_key(stack.stack, f)) else "present"
        entry["resolved_violations"] = [{"policy": p, "urn": u} for _, p, u in c.resolved]
    accelerators, accelerators_left_out = change.total("accelerators")
    monthly, monthly_left_out = change.total("monthly")
    new = [f for s in report.stacks for f in s.violations if change.is_new(finding_key(s.stack, f))]
    doc["baseline"] = {
        "file": change.file,
        "new_stacks": change.new_stacks,
        "removed_stacks": [{"stack": c.stack, **(_side(c.accelerators_before, c.monthly_before) or {}),
                            "delta": _delta(c)} for c in change.stacks if c.status == "removed"],
        "delta": {"accelerators_max": _number(accelerators), "monthly_cost_usd_max": _number(monthly),
                  "not_counted": {"accelerators_max": list(accelerators_left_out),
                                  "monthly_cost_usd_max": list(monthly_left_out)}},
        "new_violations": {level: sum(1 for f in new if f.level == level) for level in sorted({f.level for f in new})},
        "resolved_violations": sum(len(c.resolved) for c in change.stacks),
    }


def render(report: PlanReport) -> str:
    return json.dumps(document(report), indent=2) + "\n"
