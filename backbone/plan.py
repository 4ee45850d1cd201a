"""``backbone plan [STACK…]``: preview each stack offline, judge it with the policy pack, report.

Two kinds of program: Backbone's own (``__main__.py`` and ``stacks/``, whose ``backbone:`` config is validated
with the spec models first), or any Pulumi Python project (``--project DIR``, or the current folder when it
holds a ``Pulumi.yaml``): its ``Pulumi.yaml`` and stack files are read (``backbone.project``), its program runs
in its own folder with every config namespace, invokes are answered offline (``backbone.invokes``), and the
report's cloud and capacity come from the pack's inventory of what it provisions.

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
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from backbone.analyzer import Diagnostic, PolicyPack, load_policy_config
from backbone.baseline import against, read_baseline
from backbone.children import stop_all
from backbone.components.catalog.pricing import LIST_PRICES, Rates
from backbone.components.errors import ConfigError, Problem
from backbone.components.spec import StackSpec, from_config
from backbone.engine import Preview, prestart_programs, preview_program
from backbone.help_text import command_help, summary
from backbone.invokes import InvokeAnswers, load_invokes
from backbone.output import check_output, write_file, write_stdout
from backbone.policies.inventory.facts import Inventory
from backbone.program_process import discard_prestarted
from backbone.project import Project, find_project, program_config, project_python, read_project
from backbone.report import FORMATS, Finding, PlanReport, StackReport, render
from backbone.report.locate import config_path_of
from backbone.resources import policy_resources
from backbone.stackfile import PROJECT_ROOT, StackFile, find_stacks, read_stack

__all__ = [
    "PACK_DIR",
    "PROGRAM",
    "ValidStack",
    "add_report_options",
    "judge_stack",
    "plan",
    "plan_project",
    "policy_config_of",
    "register",
    "stack_paths",
    "validate_all",
    "write_reports",
]

PACK_DIR = Path(__file__).resolve().parent / "policies"
"""The pack ships inside the installed package, next to ``backbone`` (``backbone pack-path`` prints it)."""
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


T = TypeVar("T")


def _every(paths: list[Path], read: Callable[[Path], T]) -> list[T]:
    """``read`` of every path; one ``ConfigError`` with the problems of all of them (nothing half-runs)."""
    problems: list[Problem] = []
    done: list[T] = []
    for path in paths:
        try:
            done.append(read(path))
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)
    return done


def _validated(path: Path) -> ValidStack:
    stack = read_stack(path)
    return ValidStack(stack, from_config(stack.config, file=stack.display_path))


def validate_all(paths: list[Path]) -> list[ValidStack]:
    """Reads and validates every stack; one ``ConfigError`` with the problems of all of them."""
    return _every(paths, _validated)


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


def priced_inventory(preview: Preview, rates: Rates) -> Inventory:
    """The pack's inventory of a preview (the facts its rules read), priced with the rates monthly-budget was
    configured with, so that the capacity view shows the figures the pack budgets with."""
    from backbone.policies.inventory import build

    inventory = build(policy_resources(preview))
    inventory.rates = rates
    return inventory


def judge_stack(stack: ValidStack, preview: Preview, pack: PolicyPack,
                rates: Rates = LIST_PRICES) -> StackReport:
    """The pack's verdict on one previewed stack, with the capacity from the pack's inventory, priced with the
    rates monthly-budget was configured with (the same figures the pack budgets with)."""
    diagnostics = pack.judge(preview)
    inventory = priced_inventory(preview, rates)
    return StackReport.build(
        preview,
        cloud=stack.spec.cluster.cloud,
        file=stack.file.display_path,
        inventory=inventory,
        findings=[_finding(d, stack, preview) for d in diagnostics],
    )


# A provider package's cloud, for a stack whose inventory has no accelerator pool or file system to say it.
_PACKAGE_CLOUD = {"aws": "aws", "gcp": "gcp", "google-native": "gcp", "azure-native": "azure", "azure": "azure"}


def cloud_of(clouds: tuple[str, ...], preview: Preview) -> str:
    """The clouds of the judged pools and file systems; else of the stack's provider resources."""
    if not clouds:
        found = (_PACKAGE_CLOUD.get(r.type.split(":", 1)[0]) for r in preview.resources if r.custom)
        clouds = tuple(dict.fromkeys(c for c in found if c))
    return ", ".join(clouds) or "unknown"


def _config_path_named(message: str, config: Mapping[str, Any]) -> str | None:
    """The stack-file key whose text value the message names (``instanceType: p5.48xlarge``), the longest value
    first; None when the message names none (the finding then points at the stack file as a whole)."""
    found: list[tuple[int, str]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict) and set(value) != {"secure"}:  # a secret's ciphertext names nothing
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")
        elif isinstance(value, str) and len(value) >= 4 and value in message:
            found.append((len(value), path))

    walk(dict(config), "")
    return max(found)[1] if found else None


def judge_project_stack(stack: StackFile, file: str, preview: Preview, pack: PolicyPack,
                        rates: Rates = LIST_PRICES) -> StackReport:
    """The pack's verdict on one stack of an outside project: the cloud from what the program provisions, and
    each finding at the stack-file key whose value it names, where there is one."""
    diagnostics = pack.judge(preview)
    inventory = priced_inventory(preview, rates)
    findings = []
    for d in diagnostics:
        path = _config_path_named(d.message, stack.config)
        findings.append(Finding.of(d, config_path=path, line=stack.line_of(path) if path else None,
                                   subject=_subject(d, preview)))
    return StackReport.build(preview, cloud=cloud_of(inventory.clouds, preview), file=file, inventory=inventory,
                             findings=findings)


@dataclass(frozen=True)
class _Job:
    """One stack to plan: how to preview it, and how to judge the preview."""

    preview: Callable[[], Preview]
    judge: Callable[[Preview, PolicyPack, Rates], StackReport]


def plan(paths: list[Path], policy_config: dict[str, Any] | None = None, config_source: str = "policy config",
         program: Path = PROGRAM, pack_dir: Path = PACK_DIR,
         invokes: Mapping[str, dict[str, Any]] | None = None) -> PlanReport:
    """Backbone's own program on its stack files, each validated with the spec models before any preview."""

    def jobs() -> list[_Job]:
        return [_Job(partial(_named, partial(preview_program, program, stack.file.name, stack.file.config,
                                             invokes=InvokeAnswers(stack.file.config, invokes), preload=_OWN),
                             stack.file.display_path),
                     partial(judge_stack, stack)) for stack in validate_all(paths)]

    return _plan(jobs, policy_config, config_source, pack_dir,
                 partial(prestart_programs, program, None, None, _at_once(paths), _OWN))


_OWN = ("backbone.components.program",)
"""What Backbone's own program imports first: its processes import it ahead, while the stack files are checked."""


def _at_once(paths: Sequence[object]) -> int:
    """How many stacks' programs run at once: one per core, at most one per stack."""
    return max(1, min(len(paths), os.cpu_count() or 1))


def read_all(paths: list[Path]) -> list[StackFile]:
    """Reads every stack file of an outside project; one ``ConfigError`` with the problems of all of them."""
    return _every(paths, read_stack)


def plan_project(project: Project, paths: list[Path], policy_config: dict[str, Any] | None = None,
                 config_source: str = "policy config", invokes: Mapping[str, dict[str, Any]] | None = None,
                 pack_dir: Path = PACK_DIR, python: str | None = None) -> PlanReport:
    """An outside Pulumi project on its stack files: no Backbone spec, the whole config reaches the program,
    which runs under ``python`` (``--python``), else the project's own virtualenv, else Backbone's interpreter."""
    interpreter, source = (python, (None, "--python")) if python else project_python(project)

    def job(stack: StackFile) -> _Job:
        config = program_config(project, stack)
        preview = partial(_named, partial(preview_program, project.program, stack.name, config.values,
                                          project.name, secret_keys=config.secret_keys,
                                          invokes=InvokeAnswers(config.values, invokes), root=project.root,
                                          python=interpreter, python_source=source),
                          stack.display_path)
        # the display path is taken now: a preview runs in the program's folder
        return _Job(preview, partial(judge_project_stack, stack, stack.display_path))

    return _plan(lambda: [job(stack) for stack in read_all(paths)], policy_config, config_source, pack_dir,
                 partial(prestart_programs, project.program, project.root, interpreter, _at_once(paths)))


def _plan(jobs: Callable[[], list[_Job]], policy_config: dict[str, Any] | None, config_source: str,
          pack_dir: Path, warm_up: Callable[[], None] = lambda: None) -> PlanReport:
    """Reads every stack (``jobs``), then previews each stack while the pack judges the one before it (most of
    judging is the pack's own process: on two cores the two overlap, as the engine, too, analyzes while a
    program runs). The pack process boots while the stacks are read and the first is previewed; it is
    connected and configured (a bad config is a ``ConfigError``) before anything is judged or reported.
    Reports come back in the order of the stacks."""
    pack = PolicyPack(pack_dir)
    pack.spawn()
    try:
        warm_up()  # the programs' processes start too, and import their SDK while the stacks are read
        planned = jobs()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="backbone-judge") as judge, \
                ThreadPoolExecutor(max_workers=_at_once(planned), thread_name_prefix="backbone-preview") as programs:
            judged: list[Future[StackReport]] = []
            previews = [programs.submit(item.preview) for item in planned]  # each program in its own process
            try:
                for item, running in zip(planned, previews, strict=True):
                    preview = running.result()
                    _configure_once(pack, policy_config, config_source)
                    rates = Rates.of_policy_config((policy_config or {}).get("monthly-budget") or {})
                    judged.append(judge.submit(item.judge, preview, pack, rates))
                _configure_once(pack, policy_config, config_source)
                reports = tuple(future.result() for future in judged)
            except BaseException as exc:
                if not isinstance(exc, Exception):  # an interrupt: stop the pack now, so that a call in flight
                    pack.close()                     # ends at once instead of at its deadline
                stop_all()  # the programs still running are stopped, not waited for
                programs.shutdown(wait=True, cancel_futures=True)
                judge.shutdown(wait=True, cancel_futures=True)  # before the pack closes
                raise
        return PlanReport(stacks=reports, policies=dict(pack.policies), pack=pack.name,
                          pack_version=pack.version, levels=dict(pack.levels))
    finally:
        pack.close()
        discard_prestarted()


def _named(preview: Callable[[], Preview], file: str) -> Preview:
    """Runs a stack's preview; a config fault the program finds (a check that needs the whole program) is
    named with the stack file like every other."""
    try:
        return preview()
    except ConfigError as exc:
        raise ConfigError([p if p.file else replace(p, file=file) for p in exc.problems]) from None


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


def _project_of(args: argparse.Namespace) -> Project | None:
    """``--project DIR``; else the current folder when it holds an outside project's ``Pulumi.yaml`` (Backbone's
    own checkout, or an explicit ``--stacks-dir``, plans Backbone's own program)."""
    if args.project:
        return read_project(Path(args.project))
    here = find_project(Path.cwd())
    if here is None or args.stacks_dir is not None or here.resolve() == PROJECT_ROOT:
        return None
    return read_project(here)


def _run(args: argparse.Namespace) -> int:
    reports = _reports(args)
    config, source = policy_config_of(args)
    baseline = read_baseline(Path(args.baseline)) if args.baseline else None
    invokes = load_invokes(Path(args.invokes)) if args.invokes else None
    project = _project_of(args)
    pack_dir = Path(args.policy_pack) if args.policy_pack else PACK_DIR
    inputs = [Path(f) for f in (args.policy_config, args.baseline, args.invokes) if f]
    if project is None:
        if args.python:
            raise ConfigError([Problem("--python", "runs an outside project's program (--project DIR) under its own "
                                       "environment; Backbone's own program runs under Backbone's")])
        stacks_dir = Path(args.stacks_dir) if args.stacks_dir else PROJECT_ROOT / "stacks"
        if not args.stacks_dir and not stacks_dir.is_dir():  # installed: no checkout's stacks/ to fall back on
            raise ConfigError([Problem("--project", "no Pulumi.yaml in the current folder: pass --project DIR, "
                                       "the folder of a Pulumi Python project", str(Path.cwd()))])
        paths = stack_paths(args.stacks, stacks_dir)
        check_outputs(reports, [*paths, *inputs])
        report = plan(paths, config, source, pack_dir=pack_dir, invokes=invokes)
    else:
        paths = stack_paths(args.stacks, project.stack_dir)
        inputs += [project.root / "Pulumi.yaml"]
        check_outputs(reports, [*paths, *inputs])
        report = plan_project(project, paths, config, source, invokes, pack_dir=pack_dir, python=args.python)
    inputs += paths
    if baseline is not None:
        report = against(report, baseline)
    return write_reports(report, reports, "plan", inputs)


def _pack_path(args: argparse.Namespace) -> int:
    print(PACK_DIR)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("plan", help=command_help("plan"),
                       description=summary(__doc__))
    p.add_argument("stacks", nargs="*", help="stack names or files (default: every stack of the project)")
    p.add_argument("--project", metavar="DIR",
                   help="a Pulumi Python project (the folder holding Pulumi.yaml) to plan instead of Backbone's own "
                        "program; default: the current folder when it holds a Pulumi.yaml")
    p.add_argument("--python", metavar="PATH",
                   help="the Python interpreter of the project's environment, to run its program with its own "
                        "pulumi and provider versions (default: the virtualenv of Pulumi.yaml's runtime options, "
                        "else Backbone's own)")
    p.add_argument("--invokes", metavar="FILE",
                   help="YAML answers to provider functions (data sources) offline: {token: result in camelCase}")
    add_report_options(p, "policy config JSON, the same file `pulumi preview --policy-pack-config` takes")
    p.add_argument("--policy-pack", metavar="DIR",
                   help="the policy pack to judge with, as `pulumi preview --policy-pack DIR` (default: Backbone's)")
    p.add_argument("--stacks-dir", default=None, metavar="DIR",
                   help="where Backbone's own stack names are looked up (default: stacks/)")
    p.add_argument("--baseline", metavar="FILE",
                   help="an earlier JSON report (e.g. of the base branch): show each stack's change in accelerators "
                        "and cost, and mark each violation new or already present (exit codes do not change)")
    p.set_defaults(handler=_run)
    pack = sub.add_parser("pack-path", help=command_help("pack-path"),
                          description="Prints the policy pack's folder, for "
                                      '`pulumi preview --policy-pack "$(backbone pack-path)"`.')
    pack.set_defaults(handler=_pack_path)
