"""The shared shape of Backbone's rules: a stack policy over the inventory with three outcomes.

A rule's ``check`` yields ``Violation`` (a definite finding) and ``Unverifiable`` (a deciding value is
unknown in preview). The base reports the violations with ``report_violation(message, urn)``, then — for
all unverifiable items at once — raises ``CannotVerify`` (CrossGuard's ``UnknownValueError``), which the
engine shows as one advisory "can't run policy … during preview: …" naming each resource and value.
With ``strict: true`` in the policy's config, unverifiable items are reported as violations instead.

Each rule declares itself on its class, and everything written about the rules derives from those lines
(the policy reference in ``docs/reference/policies.md``, the report's config paths, the level contract test):
``name``, ``description`` ("Ensure …"), ``level``, a class docstring (what it finds, in full), ``config``
(each key with its type, default and meaning), ``reasons`` (why each default is what it is) and ``points_at``
(the stack-config key its findings point at). ``declaration_problems`` says what a rule left out.
"""

from __future__ import annotations

import re
import threading
from abc import abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from backbone.policies.inventory import AcceleratorPool, FileSystem, Inventory, Unknown, build
from backbone.policies.inventory.facts import Scale
from backbone.policies.waivers import WAIVERS_SCHEMA, expired_line, matching, stack_of, today, waived_line, waivers_of

__all__ = [
    "STRICT",
    "STRICT_REASON",
    "CannotVerify",
    "Finding",
    "InventoryPolicy",
    "PointsAt",
    "PoolRule",
    "Unverifiable",
    "Violation",
    "declaration_problems",
    "fabric_name",
    "number",
    "pool_label",
    "unknown_of",
]

STRICT: dict[str, Any] = {
    "type": "boolean",
    "default": False,
    "description": "Report what cannot be verified during preview (unknown values) as violations.",
}
STRICT_REASON = ("a value unknown until the resources exist is shown and counted, not blocked: most of them are "
                 "ids and outputs that a real preview cannot know either")


@dataclass(frozen=True)
class PointsAt:
    """The stack-config key a rule's findings point at, relative to the entry the finding's resource comes
    from: a node pool (``backbone:cluster.nodePools[i].<pool>``), a storage entry
    (``backbone:cluster.storage[i].<storage>``) or, for a finding on the stack as a whole,
    ``backbone:cluster.<stack>``. ``None``: the entry itself (or ``backbone:cluster``)."""

    pool: str | None = None
    storage: str | None = None
    stack: str | None = None


@dataclass(frozen=True)
class Violation:
    urn: str
    message: str


@dataclass(frozen=True)
class Unverifiable:
    urn: str
    message: str


Finding = Violation | Unverifiable


class CannotVerify(UnknownValueError):
    """Raised after the definite violations: CrossGuard reports it as "cannot verify during preview"."""

    def __init__(self, message: str) -> None:
        Exception.__init__(self, message)
        self.unknown_type_sentinel = ""
        self.props: list[str] = []
        self.message = message


def number(value: float, unit: str = "") -> str:
    """``1,234`` / ``1.2`` — a figure for a message."""
    text = f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.3g}"
    return f"{text} {unit}".rstrip()


class _LastInventory(threading.local):
    entry: tuple[Sequence[PolicyResource], Inventory] | None = None


_LAST = _LastInventory()


def shared_inventory(resources: Sequence[PolicyResource]) -> Inventory:
    """The inventory of ``resources``, built once for every rule handed the same list object.

    The pack's servicer (``policies.servicer``) hands one list to every policy of an ``AnalyzeStack`` request, so
    the 19 rules share one inventory instead of building 19. The key is the list's identity, and the entry holds
    the list itself: while it is cached no other list can take its id, so another request — another stack, or
    the same URNs with other inputs — is always a fresh list and a fresh build, never this inventory. The stock
    servicer builds a fresh list per policy: then nothing is shared. One entry per thread (gRPC serves requests
    on a pool of threads); rules only read the inventory."""
    entry = _LAST.entry
    if entry is not None and entry[0] is resources:
        return entry[1]
    inventory = build(resources)
    _LAST.entry = (resources, inventory)
    return inventory


class InventoryPolicy(StackValidationPolicy):
    """A stack policy judged over the inventory. Subclasses set the class attributes and ``check``."""

    name: str = ""
    description: str = ""
    level: EnforcementLevel = EnforcementLevel.ADVISORY
    config: ClassVar[Mapping[str, dict[str, Any]]] = {}
    has_unknowns: bool = True
    """Whether the rule has cannot-verify cases (then it takes ``strict``)."""
    reasons: ClassVar[Mapping[str, str]] = {}
    """Why each ``config`` default is what it is (one entry per key)."""
    points_at: ClassVar[PointsAt]
    """The stack-config key its findings point at (``PointsAt()``: the entry itself)."""

    def __init__(self) -> None:
        properties = dict(self.config)
        if self.has_unknowns:
            properties["strict"] = STRICT
        properties["waivers"] = WAIVERS_SCHEMA
        super().__init__(
            name=self.name,
            description=self.description,
            validate=self._validate,
            enforcement_level=self.level,
            config_schema=PolicyConfigSchema(properties=properties) if properties else None,
        )

    def setting(self, config: Mapping[str, Any], key: str) -> Any:
        """A config value, or the schema default when the engine sent none."""
        value = config.get(key)
        return self.config[key].get("default") if value is None and key in self.config else value

    @abstractmethod
    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        """The rule itself: its findings on one stack's inventory."""

    def _validate(self, args: StackValidationArgs, report: ReportViolation) -> None:
        config: Mapping[str, Any] = args.get_config() or {}
        unverifiable: list[Unverifiable] = []
        definite: list[Violation] = []
        try:
            inventory = shared_inventory(args.resources)
            for finding in self.check(inventory, config):
                if isinstance(finding, Unverifiable):
                    unverifiable.append(finding)
                else:
                    definite.append(finding)
        except UnknownValueError:
            raise
        except Exception as exc:  # never crash the preview: say what could not be judged
            raise CannotVerify(f"the pack could not judge this stack ({type(exc).__name__}: {exc})") from exc
        if config.get("strict") is True:
            definite += [Violation(item.urn, f"cannot verify (strict): {item.message}") for item in unverifiable]
            unverifiable = []
        stack = next((stack_of(r.urn) for r in args.resources if r.urn), "")  # the stack the engine previews
        for violation in definite:
            self._report(violation, stack, inventory, config, report)
        if unverifiable:
            raise CannotVerify("; ".join(item.message for item in unverifiable))

    def _report(self, violation: Violation, stack: str, inventory: Inventory, config: Mapping[str, Any],
                report: ReportViolation) -> None:
        """Reports one violation, unless a live waiver covers it: then at the advisory level, led by the waiver
        (``policies.waivers``). A servicer without an advisory channel reports it at the policy's level."""
        waivers = waivers_of(self.name, config)
        if not waivers:
            report(violation.message, violation.urn)
            return
        names = [violation.urn, violation.urn.rsplit("::", 1)[-1] if violation.urn else ""]
        names += [pool.name for pool in inventory.pools if pool.urn == violation.urn]
        names += [fs.name for fs in inventory.file_systems if fs.urn == violation.urn]
        live, expired = matching(waivers, stack, names, today())
        if live is not None:
            waiver = waivers[live]
            assert waiver is not None
            advisory = getattr(report, "advisory", report)
            advisory(f"{waived_line(live, waiver)}\n{violation.message}", violation.urn)
        elif expired is not None:
            waiver = waivers[expired]
            assert waiver is not None
            report(f"{expired_line(expired, waiver)}\n{violation.message}", violation.urn)
        else:
            report(violation.message, violation.urn)


KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _declared(cls: type, attribute: str) -> bool:
    """Whether a rule class (or a rule base between it and ``InventoryPolicy``) sets ``attribute`` itself."""
    shared = {*PoolRule.__mro__}
    return any(attribute in vars(c) for c in cls.__mro__ if c not in shared)


def declaration_problems(policy: object) -> list[str]:
    """What a rule of the pack leaves undeclared, one sentence each (empty: fully declared)."""
    cls = type(policy)
    where = f"{cls.__module__}.{cls.__qualname__}"
    if not isinstance(policy, InventoryPolicy):
        return [f"{where} is not an InventoryPolicy: build rules on backbone.policies.rules.base.InventoryPolicy (or "
                f"PoolRule) so they declare their level, config and config paths"]
    label = f"policy {policy.name or '?'} ({where})"
    problems = []
    if not KEBAB.match(policy.name):
        problems.append(f"{label}: name {policy.name!r} is not kebab-case (e.g. max-accelerators)")
    if not policy.description.startswith("Ensure "):
        problems.append(f"{label}: description {policy.description!r} does not start with 'Ensure '")
    if not _declared(cls, "level"):
        problems.append(f"{label}: no `level = EnforcementLevel.…` on the class (the default is not a decision)")
    if not (vars(cls).get("__doc__") or "").strip():
        problems.append(f"{label}: no class docstring: say what the rule finds, per cloud, in full sentences")
    if not _declared(cls, "points_at"):
        problems.append(f"{label}: no `points_at = PointsAt(pool=…, storage=…, stack=…)`: which stack-config key "
                        f"its findings point at (PointsAt() for the entry itself)")
    for key, schema in policy.config.items():
        missing = [field for field in ("type", "default", "description") if field not in schema]
        if missing:
            problems.append(f"{label}: config key {key} has no {', '.join(missing)}")
        if not policy.reasons.get(key, "").strip():
            problems.append(f"{label}: config key {key} has no reason: add `reasons = {{{key!r}: \"why "
                            f"{schema.get('default')!r}\"}}`")
    for key in set(policy.reasons) - set(policy.config):
        problems.append(f"{label}: reasons names {key}, which is not a config key")
    return problems


def pool_label(pool: AcceleratorPool) -> str:
    """``h100 (aws:eks/nodeGroup:NodeGroup)`` — how a message names a pool; a pool of several candidate
    types also says which one its verdict was judged on."""
    if pool.judged_as:
        return f"{pool.name} ({pool.resource_type}; {pool.judged_as})"
    return f"{pool.name} ({pool.resource_type})"


def unknown_of(item: AcceleratorPool | FileSystem, *facts: str) -> str:
    """Which inputs of ``item`` decide ``facts`` and are unknown: ``scalingConfig.maxSize``."""
    inputs = [item.unknown_inputs[f] for f in facts if f in item.unknown_inputs]
    return ", ".join(dict.fromkeys(inputs)) or "a deciding input"


def counted(pool: AcceleratorPool, scale: Scale) -> int | Unverifiable:
    """The accelerators of ``pool`` at ``scale``, or why they cannot be counted (unknown, not in the catalog)."""
    count = pool.accelerators(scale)
    if isinstance(count, Unknown):
        return Unverifiable(pool.urn, f"pool {pool_label(pool)}: accelerators at {scale} scale unknown "
                                      f"({unknown_of(pool, 'instance_type', f'{scale}_nodes')})")
    if count is None:
        return Unverifiable(pool.urn, f"pool {pool_label(pool)}: the catalog does not know how many "
                                      f"accelerators a {pool.instance_type} has")
    return count


class PoolRule(InventoryPolicy):
    """A rule judged pool by pool: ``applies`` picks the pools, ``check_pool`` judges one.

    A pool of several candidate instance types is judged once per type and reported on the least favourable:
    the first type with a violation (in ``rank`` order), else the first that cannot be verified."""

    def applies(self, pool: AcceleratorPool) -> bool:
        return True

    def rank(self, pool: AcceleratorPool) -> tuple[float, ...]:
        """Which of a pool's violating candidates is reported first (lowest first); the candidates' own order
        (most accelerators, highest price) by default."""
        return ()

    @abstractmethod
    def check_pool(self, pool: AcceleratorPool, config: Mapping[str, Any]) -> Iterable[Finding]:
        """The rule's findings on one pool."""

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        for pool in inventory.pools:
            variants = [v for v in pool.variants() if self.applies(v)]
            judged = [(self.rank(v), i, list(self.check_pool(v, config))) for i, v in enumerate(variants)]
            violating = sorted((rank, i, f) for rank, i, f in judged if any(isinstance(x, Violation) for x in f))
            unverifiable = [f for _, _, f in judged if f]
            if violating:
                yield from violating[0][2]
            elif unverifiable:
                yield from unverifiable[0]


_FABRIC = {
    "efa": "EFA (AWS's Elastic Fabric Adapter)",
    "gpudirect-tcpx": "GPUDirect-TCPX (Google's GPU-to-GPU networking over extra NICs, one VPC each)",
    "gpudirect-tcpxo": "GPUDirect-TCPXO (Google's GPU-to-GPU networking over extra NICs, one VPC each)",
    "rdma": "GPUDirect-RDMA (Google's RoCE networking between GPUs)",
    "infiniband": "InfiniBand",
}


def fabric_name(fabric: str) -> str:
    """The fabric a catalog row names, in words: ``tcpxo`` → GPUDirect-TCPXO (…)."""
    return _FABRIC.get(fabric, fabric)
