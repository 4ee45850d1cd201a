"""``backbone audit STATE.json``: judge a deployed stack — the output of ``pulumi stack export`` — with the same
policy pack, over the same Analyzer protocol, as ``pulumi policy analyze`` does with a stack's state.

Every resource of the state is sent as the CLI sends it (``backbone.state``): Analyze with its inputs, then
AnalyzeStack with its outputs, so the values judged are the deployed ones, not a preview's unknowns. The
report is the plan's (capacity, violations, cannot verify, same formats and exit codes) plus what the stack
provisions beyond need: accelerators warm at minimum size, accelerators above the workload the stack declares,
parallel file systems with no training pool to feed. The state may come from any Pulumi program: the pack
reads provider resources only.

Exit codes as for ``plan``: 0 no mandatory violation, 1 at least one, 2 bad input (state, policy config),
3 Backbone could not finish, 130 interrupted, 143 terminated.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from backbone.analyzer import Diagnostic, PolicyPack
from backbone.command import add_report_options, check_outputs, reports_of, setup_of, write_reports
from backbone.core.catalog.pricing import NodePrice
from backbone.core.errors import ConfigError
from backbone.engine import Preview
from backbone.help_text import command_help, summary
from backbone.judging import EMPTY, PACK_DIR, cloud_of, findings_of, priced_inventory, rates_of
from backbone.policies.inventory import HOURS_PER_MONTH, Inventory
from backbone.policies.rules.workload_fit import WorkloadNeed, workload_need
from backbone.policy_config import PolicyConfig, PolicySetup, stale
from backbone.report import PlanReport, StackReport
from backbone.report.excess import Excess
from backbone.state import DeployedStack, read_state
from backbone.utilization.cli import add_options, check_options, with_utilization

__all__ = ["audit", "excess_of", "register"]

MASK = "[secret]"


def _masked(text: str, secrets: frozenset[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def _monthly(hourly: object) -> float | None:
    return hourly * HOURS_PER_MONTH if isinstance(hourly, float | int) else None


def excess_of(inventory: Inventory) -> list[Excess]:
    """What the stack provisions beyond need, from the same inventory the rules judge."""
    found: list[Excess] = []
    for pool in inventory.pools:
        count = pool.accelerators("min")
        if isinstance(count, int) and count > 0:
            found.append(Excess(
                "warm-at-minimum", pool.urn, pool.name,
                f"{pool.describe('min')} run at the pool's minimum size, billed whether or not a job runs: set its "
                f"minimum to 0 and let the autoscaler add nodes, unless a service needs them warm",
                accelerators=count, monthly_usd=_monthly(pool.hourly_usd("min", inventory.rates))))
    for fit in workload_need(inventory):
        if not isinstance(fit, WorkloadNeed) or fit.accelerators <= fit.need.accelerators:
            continue
        pool, beyond = fit.pool, fit.accelerators - fit.need.accelerators
        per_node, price = pool.accelerators_per_node, pool.price(inventory.rates)
        cost = _monthly(price.usd_per_hour * beyond / per_node) if per_node and isinstance(price, NodePrice) \
            else None
        found.append(Excess(
            "above-workload", pool.urn, pool.name,
            f"{fit.accelerators:,} {pool.accelerator_name} at max scale ({pool.describe()}) are "
            f"{fit.accelerators / fit.need.accelerators:.1f}× the {fit.need.accelerators:,} the declared workload "
            f"needs ({fit.describe_workload()}: {fit.need.nodes} × {fit.need.instance_type}): lower its max nodes "
            f"to {fit.need.nodes}", accelerators=beyond, monthly_usd=cost))
    training = {p.cloud for p in inventory.training_pools}
    for fs in inventory.file_systems:
        if fs.cloud not in training:
            found.append(Excess(
                "storage-without-training", fs.urn, fs.name,
                f"{fs.describe()} feeds no training pool of this stack: delete it, or move it to the stack "
                f"that trains", monthly_usd=None if (priced := fs.price(inventory.rates)) is None else priced[0]))
    return found


def judge_state(state: DeployedStack, pack: PolicyPack, policy_config: Mapping[str, Any] = EMPTY) -> StackReport:
    """What ``pulumi policy analyze`` does for one state: Analyze each resource with its inputs, then
    AnalyzeStack with every resource's outputs; the capacity and excess from the pack's inventory."""
    pack.configure_stack(state.project, state.stack)
    diagnostics: list[Diagnostic] = []
    for resource in state.resources:
        diagnostics.extend(pack.analyze(resource.as_analyzed()))
    deployed = Preview(project=state.project, stack=state.stack, resources=[r.as_deployed() for r in state.resources])
    diagnostics.extend(pack.analyze_stack(deployed.resources))
    inventory = priced_inventory(deployed, rates_of(policy_config))
    findings = [replace(f, message=_masked(f.message, state.secrets))
                for f in findings_of(diagnostics, inventory, policy_config)]
    report = StackReport.build(deployed, cloud=cloud_of(inventory.clouds, deployed), file=state.file,
                               inventory=inventory, findings=findings)
    excess = [replace(e, message=_masked(e.message, state.secrets)) for e in excess_of(inventory)]
    return replace(report, excess=tuple(excess))


def audit(path: Path, policy_config: PolicyConfig = None, config_source: str = "policy config",
          pack_dir: Path = PACK_DIR) -> PlanReport:
    """Reads the state (a bad one is a ``ConfigError`` before the pack starts), then judges it."""
    return audit_state(read_state(path), policy_config, config_source, pack_dir)


def audit_state(state: DeployedStack, policy_config: PolicyConfig = None,
                config_source: str = "policy config", pack_dir: Path = PACK_DIR) -> PlanReport:
    """Judges a state already read, with the stack's own policy config (per-stack overrides and waivers,
    ``backbone.policy_config``)."""
    setup = PolicySetup.of(policy_config, config_source)
    with PolicyPack(pack_dir) as pack:
        problems = setup.check(pack)
        if problems:
            raise ConfigError(problems)
        resolved = setup.for_stack(state.stack)
        pack.configure(resolved.config, setup.source)
        stack = resolved.marked(judge_state(state, pack, resolved.config))
        return PlanReport(stacks=(stack,), policies=dict(pack.policies), pack=pack.name,
                          pack_version=pack.version, command="audit", levels=dict(pack.levels),
                          stale_waivers=stale(setup, (stack,)))


def _run(args: argparse.Namespace) -> int:
    reports = reports_of(args)
    setup = setup_of(args)
    inputs = [Path(f) for f in (args.state, args.policy_config, args.waivers) if f]
    check_outputs(reports, inputs)
    check_options(args)
    state = read_state(Path(args.state))  # once: a state may be tens of MB
    report = with_utilization(audit_state(state, setup), state, setup.rates(state.stack), args)
    encrypted = state.encrypted
    if encrypted and not args.quiet:
        print(f"backbone audit: {len(encrypted)} value(s) are encrypted in the state and unknown to the pack "
              f"({', '.join(encrypted[:5])}{', …' if len(encrypted) > 5 else ''}); a policy that needs one says "
              f"'cannot verify': export with `pulumi stack export --show-secrets` to judge them", file=sys.stderr)
    return write_reports(report, reports, "audit", inputs, args)


def register(sub: Any) -> None:
    p = sub.add_parser("audit", help=command_help("audit"),
                       description=summary(__doc__))
    p.add_argument("state", metavar="STATE.json", help="the output of `pulumi stack export` (deployment version 3)")
    add_report_options(p, "policy config JSON, the same file `pulumi policy analyze --policy-pack-config` takes")
    add_options(p)
    p.set_defaults(handler=_run)
