"""A JSON report read back into the report model (``backbone merge``): every field the formats show, checked as
any file a pull request controls is checked (bounded loader; a wrong shape is bad input naming the file and the
key, never a traceback)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from backbone.analyzer import PolicyInfo
from backbone.core.errors import ConfigError, Problem
from backbone.policies.inventory.coverage import Coverage, Unread
from backbone.policies.inventory.facts import Total
from backbone.report.coverage import CostCoverage, ServiceCost
from backbone.report.excess import EXCESS_TITLES, Excess
from backbone.report.model import Capacity, Finding, PlanReport, StackReport, WaiverMark
from backbone.safe_load import STATE_BYTES, STATE_NODES, load_json, read_text

__all__ = ["read_report"]

T = TypeVar("T")

# Capacity field → its key in a stack of the JSON report (``unknown_parts`` uses the field names)
_TOTALS = {
    "accelerators_min": "accelerators_min",
    "accelerators_max": "accelerators_max",
    "accelerator_memory_gib": "accelerator_memory_gib_max",
    "storage_tib": "storage_tib",
    "storage_mbps": "storage_mbps",
    "hourly_usd_min": "hourly_cost_usd_min",
    "hourly_usd_max": "hourly_cost_usd_max",
    "monthly_usd_min": "monthly_cost_usd_min",
    "monthly_usd_max": "monthly_cost_usd_max",
}
_RATIOS = ("fabric_gbps_per_accelerator", "storage_mbps_per_accelerator")
_MARK_STATES = ("waived", "expired", "stale")


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def get(self, entry: dict[str, Any], key: str, kind: type[T] | tuple[type, ...], where: str,
            default: Any = None, required: bool = False) -> Any:
        value = entry.get(key, default)
        if value is None and not required:
            return default
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            self.problems.append(Problem(_at(where, key), f"expected {name}, got {type(value).__name__}", self.file))
            return default
        return value

    def strings(self, entry: dict[str, Any], key: str, where: str) -> list[str]:
        items = self.get(entry, key, list, where, [])
        if not all(isinstance(item, str) for item in items):
            self.problems.append(Problem(_at(where, key), "expected a list of texts", self.file))
            return []
        return list(items)

    def objects(self, entry: dict[str, Any], key: str, where: str) -> list[tuple[str, dict[str, Any]]]:
        items = self.get(entry, key, list, where, [])
        found = []
        for i, item in enumerate(items):
            if isinstance(item, dict):
                found.append((f"{_at(where, key)}[{i}]", item))
            else:
                self.problems.append(Problem(f"{_at(where, key)}[{i}]", "expected an object", self.file))
        return found

    def mark(self, entry: dict[str, Any] | None, where: str) -> WaiverMark | None:
        if entry is None:
            return None
        state = self.get(entry, "state", str, where, "", required=True)
        if state not in _MARK_STATES:
            self.problems.append(Problem(f"{where}.state", f"{state!r}; allowed: {', '.join(_MARK_STATES)}",
                                         self.file))
            return None
        text = {k: self.get(entry, k, str, where, "", required=True)
                for k in ("policy", "reason", "owner", "expires", "source")}
        return WaiverMark(state=state, stack=self.get(entry, "stack", str, where, "*"),
                          resource=self.get(entry, "resource", str, where, "*"), **text)

    def finding(self, entry: dict[str, Any], where: str, cannot_verify: bool) -> Finding:
        waiver = self.get(entry, "waiver", dict, where)
        return Finding(policy=self.get(entry, "policy", str, where, "", required=True),
                       level=self.get(entry, "level", str, where, "", required=True),
                       urn=self.get(entry, "urn", str, where, ""),
                       message=self.get(entry, "message", str, where, ""),
                       cannot_verify=cannot_verify,
                       config_path=self.get(entry, "config_path", str, where),
                       line=self.get(entry, "line", int, where),
                       subject=self.get(entry, "subject_urn", str, where, ""),
                       waiver=self.mark(waiver, f"{where}.waiver"),
                       program_file=self.get(entry, "program_file", str, where),
                       program_line=self.get(entry, "program_line", int, where))

    def coverage(self, entry: dict[str, Any] | None, where: str) -> CostCoverage | None:
        if entry is None:
            return None
        services = []
        for at, item in self.objects(entry, "services", where):
            services.append(ServiceCost(name=self.get(item, "name", str, at, "", required=True),
                                        resource_type=self.get(item, "resource_type", str, at, ""),
                                        count=self.get(item, "count", int, at, 0),
                                        usd_per_hour=float(self.get(item, "usd_per_hour", (int, float), at, 0)),
                                        note=self.get(item, "note", str, at, "")))
        return CostCoverage(includes=tuple(self.strings(entry, "includes", where)), services=tuple(services),
                            left_out=tuple(self.strings(entry, "left_out", where)))

    def capacity(self, entry: dict[str, Any], where: str) -> Capacity:
        unknown = self.get(entry, "unknown_parts", dict, where, {})
        totals: dict[str, Any] = {}
        for name, key in _TOTALS.items():
            parts = unknown.get(name, [])
            if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
                self.problems.append(Problem(f"{where}.unknown_parts.{name}", "expected a list of texts", self.file))
                parts = []
            totals[name] = Total(float(self.get(entry, key, (int, float), where, 0)), tuple(parts))
        by_model = self.get(entry, "accelerators_max_by_model", dict, where, {})
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in by_model.values()):
            self.problems.append(Problem(f"{where}.accelerators_max_by_model", "expected model → count", self.file))
            by_model = {}
        fabric, storage = (self.get(entry, name, (int, float), where) for name in _RATIOS)
        read = self.get(entry, "read_coverage", dict, where, {})
        unread = tuple(Unread(token=self.get(u, "type", str, at, "", required=True),
                              names=tuple(self.strings(u, "resources", at)), urns=(),
                              why=self.get(u, "why", str, at, ""))
                       for at, u in self.objects(read, "not_read", _at(where, "read_coverage")))
        coverage = Coverage(pools=self.get(read, "pools_judged", int, where, 0),
                            file_systems=self.get(read, "file_systems_judged", int, where, 0), unread=unread)
        return Capacity(**totals, fabric_gbps_per_accelerator=fabric, storage_mbps_per_accelerator=storage,
                        accelerators_max_by_model=dict(by_model),
                        pricing=tuple(self.strings(entry, "pricing", where)),
                        runtime=self.get(entry, "runtime", str, where, ""), read_coverage=coverage)

    def excess(self, entry: dict[str, Any], where: str) -> Excess | None:
        kind = self.get(entry, "kind", str, where, "", required=True)
        if kind not in EXCESS_TITLES:
            self.problems.append(Problem(f"{where}.kind", f"{kind!r}; allowed: {', '.join(EXCESS_TITLES)}",
                                         self.file))
            return None
        return Excess(kind=kind, urn=self.get(entry, "urn", str, where, ""),
                      resource=self.get(entry, "resource", str, where, ""),
                      message=self.get(entry, "message", str, where, ""),
                      accelerators=self.get(entry, "accelerators", int, where, 0),
                      monthly_usd=self.get(entry, "monthly_cost_usd", (int, float), where))

    def stack(self, entry: dict[str, Any], where: str) -> StackReport:
        findings = [self.finding(v, w, False) for w, v in self.objects(entry, "violations", where)]
        findings += [self.finding(v, w, False) for w, v in self.objects(entry, "waived", where)]
        findings += [self.finding(v, w, True) for w, v in self.objects(entry, "cannot_verify", where)]
        by_type = self.get(entry, "resources_by_type", dict, where, {})
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in by_type.values()):
            self.problems.append(Problem(f"{where}.resources_by_type", "expected type → count", self.file))
            by_type = {}
        excess = [self.excess(e, w) for w, e in self.objects(entry, "excess", where)]
        return StackReport(stack=self.get(entry, "stack", str, where, "", required=True),
                           cloud=self.get(entry, "cloud", str, where, ""),
                           file=self.get(entry, "file", str, where, ""),
                           resources_by_type=dict(by_type), capacity=self.capacity(entry, where),
                           findings=tuple(findings), excess=tuple(e for e in excess if e is not None),
                           unknown_invokes=tuple(self.strings(entry, "unknown_invokes", where)),
                           coverage=self.coverage(self.get(entry, "cost_coverage", dict, where),
                                                  _at(where, "cost_coverage")))


def read_report(path: Path) -> PlanReport:
    """The report in a JSON file written by ``backbone plan --format json`` (or ``audit``)."""
    file = str(path)
    data = load_json(read_text(path, "JSON report", STATE_BYTES), file, STATE_NODES)
    if not isinstance(data, dict) or not isinstance(data.get("stacks"), list):
        raise ConfigError([Problem("(top level)", "not a backbone JSON report: expected an object with a `stacks` "
                                                  "list (`backbone plan --format json`)", file)])
    reader = _Reader(file)
    stacks = [reader.stack(entry, where) for where, entry in reader.objects(data, "stacks", "")]
    pack = reader.get(data, "policy_pack", dict, "", {})
    policies: dict[str, PolicyInfo] = {}
    levels: dict[str, str] = {}
    for where, entry in reader.objects(data, "policies", ""):
        name = reader.get(entry, "policy", str, where, "", required=True)
        policies[name] = PolicyInfo(name, reader.get(entry, "description", str, where, ""),
                                    reader.get(entry, "level", str, where, "advisory"))
        levels[name] = reader.get(entry, "configured", str, where, policies[name].level)
    stale = [reader.mark(entry, where) for where, entry in reader.objects(data, "stale_waivers", "")]
    command = reader.get(data, "command", str, "", "plan")
    if command not in ("plan", "audit"):
        reader.problems.append(Problem("command", f"{command!r}; allowed: plan, audit", file))
    if reader.problems:
        raise ConfigError(reader.problems)
    return PlanReport(stacks=tuple(stacks), policies=policies, pack=reader.get(pack, "name", str, "", ""),
                      pack_version=reader.get(pack, "version", str, "", ""), levels=levels, command=command,
                      stale_waivers=tuple(m for m in stale if m is not None))

