"""What every report format renders: per stack, the resources by type, the capacity summary (the pack's
inventory totals, never recomputed here) and the pack's findings; for the plan, the verdict and exit code."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from backbone.analyzer import Diagnostic, PolicyInfo
from backbone.core import catalog
from backbone.core.catalog.pricing import Rates, Unpriced
from backbone.engine import Preview
from backbone.policies.inventory.coverage import Coverage
from backbone.policies.inventory.facts import AcceleratorPool, FileSystem, Inventory, Total, Unknown
from backbone.report.coverage import CostCoverage, coverage_of
from backbone.report.delta import Change, FindingKey
from backbone.report.excess import Excess

if TYPE_CHECKING:
    from backbone.utilization.report import UtilizationReport

__all__ = [
    "BLOCKING",
    "FAIL_ON",
    "RANK",
    "Capacity",
    "Finding",
    "PlanReport",
    "StackReport",
    "Verdict",
    "WaiverMark",
    "finding_key",
    "resource_name",
]

BLOCKING = "mandatory"
"""The enforcement level that blocks: ``pulumi preview`` fails on a mandatory violation, and so does plan."""

Verdict = Literal["pass", "fail"]

FAIL_ON = ("mandatory", "advisory", "never")
"""``--fail-on``: what makes the run exit 1 — a mandatory violation (the default, as ``pulumi preview``), any
violation that is not waived, or nothing (report only)."""


@dataclass(frozen=True)
class WaiverMark:
    """A waiver as a report shows it: on a finding (``waived``, or ``expired``: the finding counts again), or on
    the run when it matched nothing (``stale``)."""

    state: Literal["waived", "expired", "stale"]
    policy: str
    reason: str
    owner: str
    expires: str
    source: str
    """Where it was declared: ``waivers.yaml: waivers[2]``."""
    stack: str = "*"
    resource: str = "*"


@dataclass(frozen=True)
class Capacity:
    """The capacity that matters, at min and max scale, from the pack's inventory of the stack."""

    accelerators_min: Total
    accelerators_max: Total
    accelerator_memory_gib: Total
    fabric_gbps_per_accelerator: float | None
    storage_tib: Total
    storage_mbps: Total
    storage_mbps_per_accelerator: float | None
    hourly_usd_min: Total
    hourly_usd_max: Total
    monthly_usd_min: Total
    monthly_usd_max: Total
    accelerators_max_by_model: dict[str, int] = field(default_factory=dict)
    """Accelerators at max scale per accelerator model, of the pools whose count is known."""
    pricing: tuple[str, ...] = ()
    """Per pool, the node-hour price the costs use and its basis (on-demand list price, spot, Capacity Block,
    your rate), or why it has none."""
    runtime: str = ""
    """What pods get from the stack's Kubernetes runtime (device plugins, fabric to pods, CSI, volumes)."""
    read_coverage: Coverage = field(default_factory=Coverage)
    """How many accelerator pools the pack judged, and which resources that can carry accelerators it did not
    read (their accelerators and cost are parts of the totals that could not be counted)."""

    @classmethod
    def of(cls, inventory: Inventory) -> Capacity:
        return cls(
            accelerators_min=inventory.accelerators_min,
            accelerators_max=inventory.accelerators_max,
            accelerator_memory_gib=inventory.accelerator_memory_gib_max,
            fabric_gbps_per_accelerator=inventory.fabric_gbps_per_accelerator,
            storage_tib=inventory.storage_tib,
            storage_mbps=inventory.storage_mbps,
            storage_mbps_per_accelerator=inventory.storage_mbps_per_accelerator,
            hourly_usd_min=inventory.hourly_usd_min,
            hourly_usd_max=inventory.hourly_usd_max,
            monthly_usd_min=inventory.monthly_usd_min,
            monthly_usd_max=inventory.monthly_usd_max,
            accelerators_max_by_model=_by_model(inventory),
            pricing=tuple(_priced(pool, inventory.rates) for pool in inventory.pools)
            + tuple(_storage_priced(fs, inventory.rates) for fs in inventory.file_systems),
            runtime=inventory.runtime.summary() if inventory.runtime is not None else "",
            read_coverage=inventory.coverage,
        )

    @property
    def has_storage(self) -> bool:
        """False where the stack has no parallel file system at all (nothing to divide per accelerator)."""
        return not (self.storage_tib.complete and self.storage_tib.value == 0 and self.storage_mbps.complete
                    and self.storage_mbps.value == 0)

    def totals(self) -> dict[str, Total]:
        """The summed figures by name (for the unknown parts a report lists)."""
        return {name: value for name, value in vars(self).items() if isinstance(value, Total)}


def _by_model(inventory: Inventory) -> dict[str, int]:
    found: Counter[str] = Counter()
    for pool in inventory.pools:
        count = pool.accelerators("max")
        if isinstance(count, int):
            found[pool.accelerator_name] += count
    return dict(sorted(found.items()))


def _priced(pool: AcceleratorPool, rates: Rates) -> str:
    price = pool.price(rates)
    if isinstance(price, Unknown):
        return f"{pool.name}: instance type unknown in preview"
    if isinstance(price, Unpriced):
        return f"{pool.name}: not priced ({price.reason})"
    return f"{pool.name}: ${price.usd_per_hour:,.2f} per node-hour, {pool.capacity} ({price.basis})"


def _storage_priced(fs: FileSystem, rates: Rates) -> str:
    price = fs.price(rates)
    if price is None and fs.unknown_inputs:
        return f"{fs.name}: size or throughput tier unknown in preview"
    if price is None:
        return (f"{fs.name}: not priced (the catalog has no {fs.cloud} {fs.kind} price for this tier: give your "
                f"rate in monthly-budget storagePrices)")
    return f"{fs.name}: ${price[0]:,.0f} a month ({price[1]})"


def resource_name(urn: str) -> str:
    """The resource name at the end of a URN (``…::llm-train-h100-nodes`` → ``llm-train-h100-nodes``)."""
    return urn.rsplit("::", 1)[-1] if urn else ""


@dataclass(frozen=True)
class Finding:
    """One diagnostic of the pack, with where in the stack file it points (when that can be found)."""

    policy: str
    level: str
    urn: str
    message: str
    cannot_verify: bool
    config_path: str | None = None
    line: int | None = None
    subject: str = ""
    """The URN the finding is about (the pack's; empty for a finding on the whole stack)."""
    waiver: WaiverMark | None = None
    """The waiver that accepts it (``waived``: it fails nothing) or that expired (``expired``)."""
    program_file: str | None = None
    program_line: int | None = None
    """The line of the user's program that registered the resource (a hand-written program only)."""

    @classmethod
    def of(cls, diagnostic: Diagnostic, config_path: str | None = None, line: int | None = None,
           subject: str = "", program_file: str | None = None, program_line: int | None = None,
           message: str | None = None) -> Finding:
        return cls(
            policy=diagnostic.policy,
            level=diagnostic.level,
            urn=diagnostic.urn,
            message=diagnostic.detail.strip() if message is None else message,
            cannot_verify=diagnostic.cannot_verify,
            config_path=config_path,
            line=line,
            subject=subject or diagnostic.urn,
            program_file=program_file,
            program_line=program_line,
        )

    @property
    def resource(self) -> str:
        return resource_name(self.subject) or "(stack)"

    @property
    def waived(self) -> bool:
        return self.waiver is not None and self.waiver.state == "waived"

    @property
    def program_site(self) -> str:
        """``file:line`` of the program line behind the finding, or "" where there is none."""
        return f"{self.program_file}:{self.program_line}" if self.program_file else ""

    @property
    def blocking(self) -> bool:
        return self.level == BLOCKING and not self.cannot_verify and not self.waived

    def fails(self, fail_on: str) -> bool:
        """Whether this finding fails a run with ``--fail-on fail_on``."""
        if fail_on == "advisory":
            return not self.cannot_verify and not self.waived
        return fail_on == "mandatory" and self.blocking


@dataclass(frozen=True)
class StackReport:
    """One stack's plan: what it provisions, what capacity that is, and what the pack found."""

    stack: str
    cloud: str
    file: str
    resources_by_type: dict[str, int]
    """Provider resources (what the clouds would create) by type; components and the stack not counted."""
    capacity: Capacity
    findings: tuple[Finding, ...]
    excess: tuple[Excess, ...] = ()
    """What a deployed stack provisions beyond need (``backbone audit`` only)."""
    unknown_invokes: tuple[str, ...] = ()
    """The provider functions nobody answered, judged with unknown results (``--unknown-invokes``)."""
    coverage: CostCoverage | None = None
    """What the cost figures count and leave out, and the managed services counted beside them."""

    @classmethod
    def build(cls, preview: Preview, cloud: str, file: str, inventory: Inventory,
              findings: list[Finding]) -> StackReport:
        counts = Counter(r.type for r in preview.resources if r.custom)
        return cls(
            stack=preview.stack,
            cloud=cloud,
            file=file,
            resources_by_type=dict(sorted(counts.items())),
            capacity=Capacity.of(inventory),
            findings=tuple(findings),
            unknown_invokes=tuple(u.describe() for u in preview.unknown_invokes),
            coverage=coverage_of(preview, inventory),
        )

    @property
    def violations(self) -> list[Finding]:
        """Findings the pack could judge and no live waiver accepts, mandatory first."""
        found = [f for f in self.findings if not f.cannot_verify and not f.waived]
        return sorted(found, key=lambda f: (f.level != BLOCKING, f.policy, f.urn))

    @property
    def waived(self) -> list[Finding]:
        """Violations a live waiver accepts: shown with their reason, failing nothing."""
        return sorted((f for f in self.findings if f.waived), key=lambda f: (f.policy, f.urn))

    @property
    def cannot_verify(self) -> list[Finding]:
        return [f for f in self.findings if f.cannot_verify]

    def count(self, level: str) -> int:
        return sum(1 for f in self.violations if f.level == level)

    @property
    def verdict(self) -> Verdict:
        return "fail" if any(f.blocking for f in self.findings) else "pass"

    @property
    def resource_count(self) -> int:
        return sum(self.resources_by_type.values())


RANK = {"disabled": 0, "advisory": 1, "remediate": 2, "mandatory": 2}
"""How strongly each enforcement level judges (a lower rank weakens a policy)."""


@dataclass(frozen=True)
class PlanReport:
    """The plan of every stack asked for, and the pack that judged them."""

    stacks: tuple[StackReport, ...]
    policies: dict[str, PolicyInfo] = field(default_factory=dict)
    pack: str = ""
    pack_version: str = ""
    levels: dict[str, str] = field(default_factory=dict)
    """Each policy's level as the policy config set it (empty: every policy at its own level)."""
    command: Literal["plan", "audit"] = "plan"
    change: Change | None = None
    """The run against a baseline report (``--baseline``), when one was given."""
    utilization: UtilizationReport | None = None
    """What the cluster did (``backbone audit --prometheus``), when it was read."""
    stale_waivers: tuple[WaiverMark, ...] = ()
    """Waivers of the run that matched no finding of any stack."""
    fail_on: str = "mandatory"
    """``--fail-on``: what makes the run exit 1 (``FAIL_ON``)."""
    catalog_overlays: tuple[catalog.Overlay, ...] = field(default_factory=lambda: catalog.load().overlays)
    """Your catalog files (``--catalog``, ``BACKBONE_CATALOG``) and the rows each added or replaced."""

    def catalog_summary(self) -> list[str]:
        """One line per catalog file of yours: the rows it added or replaced (none: the shipped catalog only)."""
        return [f"catalog rows from {o.describe()}" for o in self.catalog_overlays]

    @property
    def verdict(self) -> Verdict:
        return "fail" if any(s.verdict == "fail" for s in self.stacks) else "pass"

    @property
    def weakened(self) -> list[tuple[str, str, str]]:
        """(policy, its own level, the level the policy config gave it) for each policy the config disabled
        or lowered — a reviewer must see that a check was switched off."""
        out = []
        for name, info in sorted(self.policies.items()):
            level = self.levels.get(name, info.level)
            if RANK.get(level, 0) < RANK.get(info.level, 0):
                out.append((name, info.level, level))
        return out

    @property
    def all_disabled(self) -> bool:
        """Every policy is disabled by the policy config."""
        return bool(self.policies) and all(self.levels.get(n, i.level) == "disabled"
                                           for n, i in self.policies.items())

    @property
    def nothing_read(self) -> bool:
        """No stack had a pool or file system the pack could read, and some resource that can carry accelerators
        was not read: the pack judged nothing of what the stacks provision."""
        coverages = [s.capacity.read_coverage for s in self.stacks]
        return (bool(coverages) and all(c.pools == 0 and c.file_systems == 0 for c in coverages)
                and any(not c.complete for c in coverages))

    @property
    def nothing_judged(self) -> bool:
        """A "pass" would mean nothing: every policy is disabled, or nothing the stacks provision was read."""
        return self.all_disabled or self.nothing_read

    def weakened_summary(self) -> str:
        """One sentence for every report, or "" when the policy config weakens nothing and something was read."""
        if self.all_disabled:
            return "nothing was judged: the policy config disables every policy"
        if self.nothing_read:
            return ("nothing was judged: the pack read no accelerator pool or file system, and resources that can "
                    "carry accelerators were not read (see what the pack read, per stack)")
        if not self.weakened:
            return ""
        parts = [f"{name} {own} → {level}" for name, own, level in self.weakened]
        return "the policy config weakens " + ", ".join(parts)

    @property
    def exit_code(self) -> int:
        """1 when a finding fails the run under ``fail_on``, else 0."""
        return 1 if any(f.fails(self.fail_on) for s in self.stacks for f in s.findings) else 0

    @property
    def waived_count(self) -> int:
        return sum(len(s.waived) for s in self.stacks)

    @property
    def expired_waivers(self) -> list[WaiverMark]:
        """The expired waivers that matched a finding (which therefore counts), once each."""
        marks = (f.waiver for s in self.stacks for f in s.findings if f.waiver and f.waiver.state == "expired")
        return list(dict.fromkeys(marks))

    def count(self, level: str) -> int:
        return sum(s.count(level) for s in self.stacks)

    @property
    def cannot_verify_count(self) -> int:
        return sum(len(s.cannot_verify) for s in self.stacks)


def finding_key(stack: str, finding: Finding) -> FindingKey:
    """A finding's identity across two runs: its stack, policy and the resource it is about."""
    return stack, finding.policy, finding.subject or finding.urn
