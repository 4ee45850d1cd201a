"""backbone merge REPORT.json…: combine the JSON reports of shards (``backbone plan --shard I/N``) into one
report, in any format, with one baseline delta (``--baseline``) and one exit code.

The reports must come from the same policy pack (name and version) and the same command, and no stack may be in
two of them. The stacks keep the order of the files. A waiver is stale in the merged run only when it matched
nothing in every shard (each shard saw only its own stacks).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from backbone.baseline import against, read_baseline
from backbone.command import add_output_options, check_outputs, reports_of, write_reports
from backbone.core.errors import ConfigError, Problem
from backbone.help_text import EXIT_CODES, summary
from backbone.report.model import RANK, PlanReport
from backbone.report.read_json import read_report

__all__ = ["merge", "register"]

EXAMPLES = f"""examples:
  backbone merge shard-*.json -f markdown -o plan.md -f sarif -o plan.sarif
  backbone merge shard-1.json shard-2.json --baseline base.json -f json -o plan.json

{EXIT_CODES}"""


def merge(reports: list[tuple[str, PlanReport]]) -> PlanReport:
    """One report of the shards' reports (``(file, report)`` pairs); a mismatch is a ``ConfigError``."""
    first_file, first = reports[0]
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for file, report in reports:
        if (report.pack, report.pack_version, report.command) != (first.pack, first.pack_version, first.command):
            problems.append(Problem("policy_pack", f"{report.command} by {report.pack} {report.pack_version}, but "
                                    f"{first_file} is a {first.command} by {first.pack} {first.pack_version}: merge "
                                    f"reports of one run only", file))
        for stack in report.stacks:
            if stack.stack in seen:
                problems.append(Problem(f"stacks.{stack.stack}", f"also in {seen[stack.stack]}: a stack must be in "
                                        f"one shard only", file))
            seen.setdefault(stack.stack, file)
    if problems:
        raise ConfigError(problems)
    stale_everywhere = set.intersection(*({(w.source, w.policy) for w in r.stale_waivers} for _, r in reports))
    stale = tuple(w for w in dict.fromkeys(w for _, r in reports for w in r.stale_waivers)
                  if (w.source, w.policy) in stale_everywhere)
    policies = {name: info for _, r in reports for name, info in r.policies.items()}
    levels: dict[str, str] = {}
    for _, r in reports:
        for name, level in r.levels.items():
            levels[name] = min(levels.get(name, level), level, key=lambda lv: RANK.get(lv, 0))
    return PlanReport(stacks=tuple(s for _, r in reports for s in r.stacks), policies=policies, pack=first.pack,
                      pack_version=first.pack_version, levels=levels, command=first.command, stale_waivers=stale)


def _run(args: argparse.Namespace) -> int:
    reports = reports_of(args)
    files = [Path(f) for f in args.reports]
    baseline = read_baseline(Path(args.baseline)) if args.baseline else None
    inputs = [*files, *([Path(args.baseline)] if args.baseline else [])]
    check_outputs(reports, inputs)
    problems: list[Problem] = []
    read: list[tuple[str, PlanReport]] = []
    for file in files:
        try:
            read.append((str(file), read_report(file)))
        except ConfigError as exc:
            problems += exc.problems
    if problems:
        raise ConfigError(problems)
    report = merge(read)
    if baseline is not None:
        report = against(report, baseline)
    return write_reports(report, reports, "merge", inputs, args)


def register(sub: Any) -> None:
    p = sub.add_parser("merge", help="combine the JSON reports of plan shards into one report",
                       description=summary(__doc__), epilog=EXAMPLES)
    p.add_argument("reports", nargs="+", metavar="REPORT.json", help="JSON reports of backbone plan (-f json)")
    add_output_options(p)
    p.add_argument("--baseline", metavar="FILE",
                   help="an earlier JSON report: one change (accelerators, cost, new violations) for the whole run")
    p.set_defaults(handler=_run)
