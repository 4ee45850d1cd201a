"""The JSON report. Contract: ``{"stacks": [{"stack", "cloud", "accelerators_max", "monthly_cost_usd_max",
"violations": [{"policy", "level", "urn", "message"}], …}]}``; the other fields are additions."""

from __future__ import annotations

import json
from typing import Any

from backbone.report.model import Finding, PlanReport, StackReport
from policies.inventory.facts import Total

__all__ = ["document", "render"]


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
    }


def _stack(stack: StackReport) -> dict[str, Any]:
    c = stack.capacity
    return {
        "stack": stack.stack,
        "cloud": stack.cloud,
        "file": stack.file,
        "accelerators_min": _total(c.accelerators_min),
        "accelerators_max": _total(c.accelerators_max),
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
        "unknown_parts": {name: list(t.unknown) for name, t in c.totals().items() if not t.complete},
        "resources_by_type": stack.resources_by_type,
        "violations": [_finding(f) for f in stack.violations],
        "cannot_verify": [_finding(f) for f in stack.cannot_verify],
        "verdict": stack.verdict,
    }


def document(report: PlanReport) -> dict[str, Any]:
    return {
        "stacks": [_stack(s) for s in report.stacks],
        "verdict": report.verdict,
        "policy_pack": {"name": report.pack, "version": report.pack_version},
    }


def render(report: PlanReport) -> str:
    return json.dumps(document(report), indent=2) + "\n"
