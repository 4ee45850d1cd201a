"""``backbone plan [STACK…]``: preview each stack offline, judge it with the policy pack, report.

Order matters, so that nothing half-runs: every stack file is read and validated first (all problems of all
stacks at once, exit 2); the pack is started once (it boots while the stacks are validated and the first
one is previewed) and configured once with ``--policy-config`` (the JSON ``pulumi preview
--policy-pack-config`` takes; bad config, exit 2) before anything is judged; each stack is previewed under
the mock monitor and judged the way ``pulumi preview --policy-pack`` judges it (the next stack's preview
runs while the pack judges the last one). The capacity summary comes from the pack's own inventory over
the same resources (``backbone.resources``).

Exit codes: 0 no mandatory violation, 1 at least one, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from backbone.analyzer import Diagnostic, PolicyPack, load_policy_config
from backbone.baseline import against, read_baseline
from backbone.engine import Preview, preview_program
from backbone.output import check_output, write_file, write_stdout
from backbone.report import FORMATS, Finding, PlanReport, StackReport, render
from backbone.report.locate import config_path_of
from backbone.resources import policy_resources
from backbone.stackfile import PROJECT_ROOT, StackFile, find_stacks, read_stack
from components.errors import ConfigError, Problem
from components.spec import StackSpec, from_config

__all__ = [
    "PACK_DIR",
    "PROGRAM",
    "ValidStack",
    "add_report_options",
    "judge_stack",
    "plan",
    "policy_config_of",
    "register",
    "stack_paths",
    "validate_all",
    "write_reports",
]

PACK_DIR = PROJECT_ROOT / "policies"
PROGRAM = PROJECT_ROOT


@dataclass(frozen=True)
class ValidStack:
    """A stack file that read and validated cleanly."""

    file: StackFile
    spec: StackSpec


def stack_paths(names: list[str], stacks_dir: Path) -> list[Path]:
    """Stack names (``aws-p5-train``) or files; no names: every ``Pulumi.<stack>.yaml`` in ``stacks_dir``."""
    if not names:
        found = find_stacks(stacks_dir)
        if not found:
            raise ConfigError([Problem("(stacks)", "no Pulumi.<stack>.yaml files to plan", str(stacks_dir))])
        return found
    paths = []
    for name in names:
        candidate = Path(name)
        if candidate.suffix in (".yaml", ".yml") or candidate.exists():
            paths.append(candidate)
        else:
            paths.append(stacks_dir / f"Pulumi.{name}.yaml")
    return paths


def validate_all(paths: list[Path]) -> list[ValidStack]:
    """Reads and validates every stack; one ``ConfigError`` with the problems of all of them."""
    problems: list[Problem] = []
    valid: list[ValidStack] = []
    for path in paths:
        try:
            stack = read_stack(path)
            valid.append(ValidStack(stack, from_config(stack.config, file=stack.display_path)))
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)
    return valid


def _subject(diagnostic: Diagnostic, preview: Preview) -> str:
    """The URN a finding is about: its own, or — for a finding on the whole stack, such as CrossGuard's
    "cannot verify" — the provider resource its message names first."""
    if diagnostic.urn:
        return diagnostic.urn
    found = [(diagnostic.message.find(r.name), -len(r.name), r.urn) for r in preview.resources
             if r.custom and r.name and r.name in diagnostic.message]
    return min(found)[2] if found else ""


def _finding(diagnostic: Diagnostic, stack: ValidStack, preview: Preview) -> Finding:
    subject = _subject(diagnostic, preview)
    path = config_path_of(diagnostic.policy, subject, stack.spec.cluster)
    return Finding.of(diagnostic, config_path=path, line=stack.file.line_of(path), subject=subject)


def judge_stack(stack: ValidStack, preview: Preview, pack: PolicyPack) -> StackReport:
    """The pack's verdict on one previewed stack, with the capacity from the pack's inventory."""
    from policies.inventory import build

    diagnostics = pack.judge(preview)
    inventory = build(policy_resources(preview))
    return StackReport.build(
        preview,
        cloud=stack.spec.cluster.cloud,
        file=stack.file.display_path,
        inventory=inventory,
        findings=[_finding(d, stack, preview) for d in diagnostics],
    )


def plan(paths: list[Path], policy_config: dict[str, Any] | None = None, config_source: str = "policy config",
         program: Path = PROGRAM, pack_dir: Path = PACK_DIR) -> PlanReport:
    """Validates every stack, then previews each stack while the pack judges the one before it (most of
    judging is the pack's own process: on two cores the two overlap, as the engine, too, analyzes while a
    program runs). The pack process boots while the stacks are validated and the first is previewed; it is
    connected and configured (a bad config is a ``ConfigError``) before anything is judged or reported.
    Reports come back in the order of ``paths``."""
    pack = PolicyPack(pack_dir)
    pack.spawn()
    try:
        stacks = validate_all(paths)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="backbone-judge") as judge:
            judged: list[Future[StackReport]] = []
            try:
                for stack in stacks:
                    preview = _preview(program, stack)
                    _configure_once(pack, policy_config, config_source)
                    judged.append(judge.submit(judge_stack, stack, preview, pack))
                _configure_once(pack, policy_config, config_source)
                reports = tuple(future.result() for future in judged)
            except BaseException:
                judge.shutdown(wait=True, cancel_futures=True)  # before the pack closes
                raise
        return PlanReport(stacks=reports, policies=dict(pack.policies), pack=pack.name,
                          pack_version=pack.version, levels=dict(pack.levels))
    finally:
        pack.close()


def _preview(program: Path, stack: ValidStack) -> Preview:
    """The stack's preview; a config fault the program finds (checks that need the whole program) is named
    with the stack file like every other."""
    try:
        return preview_program(program, stack.file.name, stack.file.config)
    except ConfigError as exc:
        raise ConfigError([p if p.file else replace(p, file=stack.file.display_path) for p in exc.problems]) \
            from None


def _configure_once(pack: PolicyPack, policy_config: dict[str, Any] | None, source: str) -> None:
    if not pack.connected:
        pack.connect()
        pack.configure(policy_config or {}, source)


def _reports(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """(format, output file or None for stdout) pairs: one report per ``--format``, each with its own
    ``--output`` in order, so that CI gets SARIF and Markdown from one plan instead of planning twice."""
    formats: list[str] = args.format or ["text"]
    outputs: list[str | None] = list(args.output or [None])
    if len(outputs) != len(formats):
        raise ConfigError([Problem("--output", f"{len(formats)} formats need {len(formats)} --output files, one "
                                   f"per --format in order (got {len(args.output or [])})")])
    return list(zip(formats, outputs, strict=True))


def policy_config_of(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    """(``--policy-config`` as read, where it came from for messages); empty without the option."""
    if not args.policy_config:
        return {}, "policy config"
    return load_policy_config(Path(args.policy_config)), args.policy_config


def check_outputs(reports: list[tuple[str, str | None]], inputs: list[Path]) -> None:
    """Refuses a report onto an input (a stack file, the policy config, a state) before any work is done."""
    for _, output in reports:
        if output is not None:
            check_output(Path(output), "--output", inputs)


def write_reports(report: PlanReport, reports: list[tuple[str, str | None]], command: str,
                  inputs: list[Path]) -> int:
    """Renders every format first (all or nothing), then writes each to its output (stdout without one),
    atomically and never onto ``inputs``; the run's exit code."""
    rendered = [(render(report, fmt), output) for fmt, output in reports]
    for text, output in rendered:
        if output is None:
            write_stdout(text)
        else:
            write_file(Path(output), text, "--output", inputs)
            print(f"backbone {command}: {report.verdict} ({len(report.stacks)} stacks) → {output}", file=sys.stderr)
    return report.exit_code


def add_report_options(p: argparse.ArgumentParser, config_help: str) -> None:
    """``--format``, ``--output`` and ``--policy-config``, the options every judging command takes."""
    p.add_argument("--format", choices=sorted(FORMATS), action="append",
                   help="report format (default: text); repeat it, each with its --output, for several reports "
                        "of one run")
    p.add_argument("--output", metavar="FILE", action="append",
                   help="write the report to FILE instead of stdout (one per --format when it is repeated)")
    p.add_argument("--policy-config", metavar="FILE", help=config_help)


def _run(args: argparse.Namespace) -> int:
    reports = _reports(args)
    config, source = policy_config_of(args)
    baseline = read_baseline(Path(args.baseline)) if args.baseline else None
    paths = stack_paths(args.stacks, Path(args.stacks_dir))
    inputs = [*paths, *(Path(f) for f in (args.policy_config, args.baseline) if f)]
    check_outputs(reports, inputs)
    pack_dir = Path(args.policy_pack) if args.policy_pack else PACK_DIR
    report = plan(paths, config, source, pack_dir=pack_dir)
    if baseline is not None:
        report = against(report, baseline)
    return write_reports(report, reports, "plan", inputs)


def register(sub: Any) -> None:
    p = sub.add_parser("plan", help="preview stacks offline and judge them with the policy pack",
                       description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("stacks", nargs="*", help="stack names or files (default: every stack in --stacks-dir)")
    add_report_options(p, "policy config JSON, the same file `pulumi preview --policy-pack-config` takes")
    p.add_argument("--policy-pack", metavar="DIR",
                   help="the policy pack to judge with, as `pulumi preview --policy-pack DIR` (default: Backbone's)")
    p.add_argument("--stacks-dir", default=str(PROJECT_ROOT / "stacks"), metavar="DIR",
                   help="where stack names are looked up (default: stacks/)")
    p.add_argument("--baseline", metavar="FILE",
                   help="an earlier JSON report (e.g. of the base branch): show each stack's change in accelerators "
                        "and cost, and mark each violation new or already present (exit codes do not change)")
    p.set_defaults(handler=_run)
