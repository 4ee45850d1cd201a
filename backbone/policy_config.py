"""The policy config of a run: ``--policy-config`` (the JSON ``pulumi preview --policy-pack-config`` takes), its
per-stack overrides and ``--waivers``, resolved into the one config each stack's preview is judged with.

A policy-config file may carry ``"stacks": {"<stack glob>": {<policy config>}}``: for a stack, every glob that
matches it (in the file's order) is laid over the whole-run config, policy by policy — a level replaces the
level, a key replaces the key, and waivers add up. The ``--waivers`` entries are added last, each to its policy's
``waivers``. What the pack receives for a stack is therefore a plain CrossGuard policy config: the very file
``pulumi preview --policy-pack-config`` would take for that stack (``backbone policy-config --stack``… is not
needed: ``PolicySetup.for_stack`` is what a test or a script calls).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from typing import Any

from backbone.analyzer import PolicyPack
from backbone.core.catalog.pricing import Rates
from backbone.core.errors import ConfigError, Problem
from backbone.policies.waivers import note_of
from backbone.report.model import Finding, StackReport, WaiverMark
from backbone.waivers import DeclaredWaiver, entry_problems, waiver_of

__all__ = ["STACKS_KEY", "PolicyConfig", "PolicySetup", "Resolved", "mark_of", "stale"]

STACKS_KEY = "stacks"


@dataclass(frozen=True)
class Resolved:
    """One stack's policy config, and the declared waiver behind each entry of each policy's ``waivers``."""

    config: dict[str, Any]
    waivers: dict[str, list[DeclaredWaiver]]

    def marked(self, report: StackReport) -> StackReport:
        """The stack's findings with the waiver the pack applied (or found expired) on each: the pack's first
        line of the message (``policies.waivers.note_of``) names the entry of the policy's ``waivers``."""
        return replace(report, findings=tuple(self._marked(f) for f in report.findings))

    def _marked(self, finding: Finding) -> Finding:
        note = note_of(finding.message)
        declared = self.waivers.get(finding.policy, [])
        if note is None or not 0 <= note.index < len(declared):
            return finding
        return replace(finding, message=note.message.strip(), waiver=mark_of(declared[note.index], note.state))


@dataclass(frozen=True)
class PolicySetup:
    """The run's policy config (without ``stacks``), its per-stack overrides, and the ``--waivers`` entries."""

    base: dict[str, Any] = field(default_factory=dict)
    overrides: tuple[tuple[str, dict[str, Any]], ...] = ()
    source: str = "policy config"
    extra_waivers: tuple[DeclaredWaiver, ...] = ()

    @classmethod
    def of(cls, config: Mapping[str, Any] | PolicySetup | None, source: str = "policy config",
           waivers: tuple[DeclaredWaiver, ...] = ()) -> PolicySetup:
        """From a policy-config document as read (its ``stacks`` section split off); a bad ``stacks`` section or
        a bad waiver entry in it is a ``ConfigError``."""
        if isinstance(config, PolicySetup):
            return config
        data = dict(config or {})
        stacks = data.pop(STACKS_KEY, {})
        if not isinstance(stacks, Mapping) or not all(isinstance(v, Mapping) for v in stacks.values()):
            raise ConfigError([Problem(STACKS_KEY, 'expected {"<stack glob>": {<policy config>}, …}', source)])
        setup = cls(data, tuple((str(k), dict(v)) for k, v in stacks.items()), source, tuple(waivers))
        problems = [p for prefix, part in setup._parts() for p in _waiver_problems(part, prefix, source)]
        if problems:
            raise ConfigError(problems)
        return setup

    def _parts(self) -> list[tuple[str, dict[str, Any]]]:
        return [("", self.base), *((f"{STACKS_KEY}.{glob}.", part) for glob, part in self.overrides)]

    def check(self, pack: PolicyPack) -> list[Problem]:
        """Every part of the config checked against the pack's policies (as the Pulumi CLI checks a config), and
        every ``--waivers`` entry naming a policy of the pack."""
        problems = []
        for prefix, part in self._parts():
            problems += [Problem(prefix + p.path, p.message, p.file) for p in pack.check_config(part, self.source)]
        for declared in self.extra_waivers:
            if declared.waiver.policy not in pack.policies:
                file, _, path = declared.source.partition(": ")
                problems.append(Problem(f"{path}.policy", f"no policy {declared.waiver.policy!r} in the pack; "
                                        f"known: {', '.join(sorted(pack.policies))}", file))
        return problems

    def for_stack(self, stack: str) -> Resolved:
        """The config ``stack`` is judged with, and where each of its waivers was declared."""
        config = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in self.base.items()}
        declared = {name: _declared(value, self.source, name) for name, value in config.items()}
        for glob, part in self.overrides:
            if not fnmatchcase(stack, glob):
                continue
            for name, value in part.items():
                config[name] = _laid_over(config.get(name), value)
                declared[name] = declared.get(name, []) + _declared(value, self.source,
                                                                     f"{STACKS_KEY}.{glob}.{name}")
        for item in self.extra_waivers:
            name = item.waiver.policy
            current = config.get(name)
            entry = {k: v for k, v in item.waiver.entry().items() if k != "policy"}
            config[name] = _laid_over(current, {"waivers": [entry]})
            declared[name] = [*declared.get(name, []), item]
        return Resolved(config, {k: v for k, v in declared.items() if v})

    def rates(self, stack: str) -> Rates:
        """The rates monthly-budget prices with for ``stack`` (the figures the pack budgets with)."""
        budget = self.for_stack(stack).config.get("monthly-budget")
        return Rates.of_policy_config(budget if isinstance(budget, Mapping) else {})

    def declared(self) -> list[DeclaredWaiver]:
        """Every waiver of the run, wherever declared, once each."""
        found: list[DeclaredWaiver] = []
        for prefix, part in self._parts():
            for name, value in part.items():
                found += _declared(value, self.source, f"{prefix}{name}")
        return [*found, *self.extra_waivers]


def _laid_over(old: Any, new: Any) -> Any:
    """A policy's config with an override laid over it: a level replaces the level, keys replace keys,
    waivers add up."""
    if isinstance(new, str):
        return {**old, "enforcementLevel": new} if isinstance(old, Mapping) else new
    if not isinstance(new, Mapping):
        return new
    base: dict[str, Any] = dict(old) if isinstance(old, Mapping) else \
        ({"enforcementLevel": old} if isinstance(old, str) else {})
    merged = {**base, **new}
    if "waivers" in base and "waivers" in new:
        merged["waivers"] = [*base["waivers"], *new["waivers"]]
    return merged


def _declared(value: Any, source: str, path: str) -> list[DeclaredWaiver]:
    if not isinstance(value, Mapping) or not isinstance(value.get("waivers"), list):
        return []
    policy = path.rsplit(".", 1)[-1]
    return [DeclaredWaiver(waiver_of(entry, policy), f"{source}: {path}.waivers[{i}]")
            for i, entry in enumerate(value["waivers"])]


def _waiver_problems(part: Mapping[str, Any], prefix: str, source: str) -> list[Problem]:
    """The waiver entries of one part of a policy config, checked as strictly as a ``--waivers`` file."""
    problems: list[Problem] = []
    for name, value in part.items():
        if not isinstance(value, Mapping) or "waivers" not in value:
            continue
        entries = value["waivers"]
        if not isinstance(entries, list):
            problems.append(Problem(f"{prefix}{name}.waivers", "expected a list of waiver entries", source))
            continue
        for i, entry in enumerate(entries):
            problems += entry_problems(entry, f"{prefix}{name}.waivers[{i}]", source, policy=name)
    return problems


def mark_of(declared: DeclaredWaiver, state: str) -> WaiverMark:
    """A declared waiver as a report shows it."""
    w = declared.waiver
    return WaiverMark(state=state, policy=w.policy, reason=w.reason, owner=w.owner,  # type: ignore[arg-type]
                      expires=w.expires.isoformat(), source=declared.source, stack=w.stack, resource=w.resource)


def stale(setup: PolicySetup, reports: Iterable[StackReport]) -> tuple[WaiverMark, ...]:
    """The run's waivers that matched no finding of any stack (live or expired)."""
    used = {(f.waiver.source, f.waiver.policy) for r in reports for f in r.findings if f.waiver is not None}
    return tuple(mark_of(d, "stale") for d in dict.fromkeys(setup.declared())
                 if (d.source, d.waiver.policy) not in used)


PolicyConfig = Mapping[str, Any] | PolicySetup | None
"""A run's policy config: a ``--policy-config`` document as read, or a whole ``PolicySetup`` (with waivers)."""
