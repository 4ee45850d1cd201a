"""``backbone plan --baseline FILE``: the plan against an earlier JSON report (typically the base branch's).

Each stack of the plan gets its earlier ``accelerators_max`` and ``monthly_cost_usd_max`` and the difference;
stacks that are new or gone are named; each violation is new or was already present (same stack, policy
and resource — its message may differ, the numbers in it move with the change). The verdict and exit code
do not change: a mandatory violation that the base branch already had still blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from backbone.core.errors import ConfigError, Problem
from backbone.report.delta import Change, Figure, FindingKey, StackChange
from backbone.report.model import PlanReport, StackReport, finding_key
from backbone.safe_load import STATE_BYTES, STATE_NODES, load_json, read_text

__all__ = ["Baseline", "BaselineStack", "against", "read_baseline"]

ACCELERATORS, MONTHLY = "accelerators_max", "monthly_cost_usd_max"
UNKNOWN_KEYS = {ACCELERATORS: "accelerators_max", MONTHLY: "monthly_usd_max"}
"""The figure's key in ``unknown_parts`` of the JSON report."""


@dataclass(frozen=True)
class BaselineStack:
    stack: str
    accelerators: Figure
    monthly: Figure
    violations: tuple[FindingKey, ...]
    models: dict[str, int] | None = None


@dataclass(frozen=True)
class Baseline:
    file: str
    stacks: tuple[BaselineStack, ...]


def _figure(entry: dict[str, Any], key: str, where: str, file: str, problems: list[Problem]) -> Figure:
    value = entry.get(key)
    unknown = entry.get("unknown_parts") or {}
    parts = unknown.get(UNKNOWN_KEYS[key], []) if isinstance(unknown, dict) else []
    if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
        problems.append(Problem(f"{where}.unknown_parts.{UNKNOWN_KEYS[key]}", "expected a list of resource names",
                                file))
        parts = []
    if value is None:  # not counted at all
        return Figure(0.0, tuple(parts) or ("(not in the baseline)",))
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(Problem(f"{where}.{key}", f"expected a number, got {value!r}", file))
        return Figure(0.0)
    return Figure(float(value), tuple(parts))


def _violations(entry: dict[str, Any], stack: str, where: str, file: str,
                problems: list[Problem]) -> tuple[FindingKey, ...]:
    raw = entry.get("violations", [])
    if not isinstance(raw, list):
        problems.append(Problem(f"{where}.violations", "expected a list", file))
        return ()
    keys: list[FindingKey] = []
    for i, v in enumerate(raw):
        urn = (v.get("subject_urn") or v.get("urn") or "") if isinstance(v, dict) else None
        if not isinstance(v, dict) or not isinstance(v.get("policy"), str) or not isinstance(urn, str):
            problems.append(Problem(f"{where}.violations[{i}]", "expected an object with `policy` and `urn`", file))
            continue
        keys.append((stack, v["policy"], urn))
    return tuple(keys)


def _models(entry: dict[str, Any], where: str, file: str, problems: list[Problem]) -> dict[str, int] | None:
    """``accelerators_max_by_model``, or None for a report written before it existed."""
    raw = entry.get("accelerators_max_by_model")
    if raw is None:
        return None
    if not isinstance(raw, dict) or not all(isinstance(v, int) and not isinstance(v, bool) for v in raw.values()):
        problems.append(Problem(f"{where}.accelerators_max_by_model", "expected accelerator model → count", file))
        return None
    return {str(k): v for k, v in raw.items()}


def read_baseline(path: Path) -> Baseline:
    """The stacks of a JSON report written by ``backbone plan --format json`` (or ``backbone audit``)."""
    file = str(path)
    data = load_json(read_text(path, "baseline report", STATE_BYTES), file, STATE_NODES)
    if not isinstance(data, dict) or not isinstance(data.get("stacks"), list):
        raise ConfigError([Problem("(top level)", "not a backbone JSON report: expected an object with a "
                                                  "`stacks` list (`backbone plan --format json`)", file)])
    problems: list[Problem] = []
    stacks: list[BaselineStack] = []
    for i, entry in enumerate(data["stacks"]):
        where = f"stacks[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("stack"), str) or not entry["stack"]:
            problems.append(Problem(where, "expected an object with a `stack` name", file))
            continue
        name = entry["stack"]
        stacks.append(BaselineStack(
            stack=name,
            accelerators=_figure(entry, ACCELERATORS, where, file, problems),
            monthly=_figure(entry, MONTHLY, where, file, problems),
            violations=_violations(entry, name, where, file, problems),
            models=_models(entry, where, file, problems),
        ))
    if problems:
        raise ConfigError(problems)
    return Baseline(file=file, stacks=tuple(stacks))


def _figures(stack: StackReport) -> tuple[Figure, Figure]:
    c = stack.capacity
    return (Figure(c.accelerators_max.value, c.accelerators_max.unknown),
            Figure(c.monthly_usd_max.value, c.monthly_usd_max.unknown))


def _change(stack: StackReport, before: BaselineStack | None, current: set[FindingKey]) -> StackChange:
    accelerators, monthly = _figures(stack)
    models = stack.capacity.accelerators_max_by_model
    if before is None:
        return StackChange(stack.stack, "new", None, accelerators, None, monthly, models_after=models)
    resolved = tuple(k for k in before.violations if k not in current)
    new = any(finding_key(stack.stack, f) not in before.violations for f in stack.violations)
    change = StackChange(stack.stack, "changed", before.accelerators, accelerators, before.monthly, monthly, resolved,
                         before.models, models)
    same = change.accelerators_delta == 0 and change.monthly_delta == 0 and not new and not resolved
    return replace(change, status="unchanged") if same else change


def against(report: PlanReport, baseline: Baseline) -> PlanReport:
    """``report`` with its change against ``baseline``; verdict and exit code stay the report's own."""
    earlier = {s.stack: s for s in baseline.stacks}
    current = {finding_key(s.stack, f) for s in report.stacks for f in s.violations}
    changes = [_change(s, earlier.get(s.stack), current) for s in report.stacks]
    planned = {s.stack for s in report.stacks}
    changes += [StackChange(b.stack, "removed", b.accelerators, None, b.monthly, None, b.violations, b.models)
                for b in baseline.stacks if b.stack not in planned]
    present = frozenset(k for b in baseline.stacks for k in b.violations)
    return replace(report, change=Change(file=baseline.file, stacks=tuple(changes), present=present))
