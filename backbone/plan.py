"""``backbone plan [STACK…]``: preview each stack offline, judge it with the policy pack, report.

Two kinds of program: Backbone's own (``__main__.py`` and ``stacks/``, whose ``backbone:`` config is validated
with the spec models first), or any Pulumi Python project (``--project DIR``, or the current folder when it
holds a ``Pulumi.yaml``): its ``Pulumi.yaml`` and stack files are read (``backbone.project``), its program runs
in its own folder with every config namespace, invokes are answered offline (``backbone.invokes``), and the
report's cloud and capacity come from the pack's inventory of what it provisions.

Order matters, so that nothing half-runs: every stack file is read and validated first (all problems of all
stacks at once, exit 2); the pack is started once (it boots while the stacks are validated and the first
one is previewed) and its config checked — ``--policy-config`` (the JSON ``pulumi preview
--policy-pack-config`` takes, with per-stack overrides) and ``--waivers`` (``backbone.policy_config``; bad
config, exit 2) — before anything is judged; each stack is previewed under the mock monitor and judged with its
own config the way ``pulumi preview --policy-pack`` judges it (the next stack's preview runs while the pack
judges the last one). The capacity summary comes from the pack's own inventory over the same resources
(``backbone.resources``). ``--shard I/N`` plans a share of the stacks (``backbone.shard``).

Exit codes: 0 no violation at the ``--fail-on`` level, 1 one at least, 2 bad input, 3 could not finish.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from backbone.analyzer import Diagnostic, PolicyPack, load_policy_config
from backbone.baseline import against, read_baseline
from backbone.components.catalog.pricing import LIST_PRICES, Rates
from backbone.components.errors import ConfigError, Problem
from backbone.components.spec import StackSpec, from_config
from backbone.engine import Preview, preview_program
from backbone.help_text import EXIT_CODES, summary
from backbone.invokes import InvokeAnswers, load_invokes
from backbone.output import check_output, write_file, write_stdout
from backbone.policies.inventory.facts import Inventory
from backbone.policy_config import PolicySetup, stale
from backbone.progress import SILENT, Progress, progress_for
from backbone.project import Project, find_project, program_config, read_project
from backbone.report import FORMATS, Finding, PlanReport, StackReport, render
from backbone.report.colour import use_colour
from backbone.report.locate import config_path_of
from backbone.report.model import FAIL_ON
from backbone.report.model import RANK as _RANK
from backbone.resources import policy_resources
from backbone.shard import Shard, parse_shard
from backbone.stackfile import PROJECT_ROOT, StackFile, find_stacks, read_stack
from backbone.waivers import load_waivers

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

EXAMPLES = f"""examples:
  backbone plan                                   every stack in stacks/ (Backbone's own program)
  backbone plan aws-p5-train -f markdown -o plan.md
  backbone plan --project ../my-infra -c policy.json --waivers waivers.yaml
  backbone plan -f sarif -o plan.sarif -f junit -o plan.xml -f github
  backbone plan --fail-on advisory                any violation not waived fails (exit 1)
  backbone plan --shard 1/4 -f json -o shard-1.json   then: backbone merge shard-*.json -f markdown

{EXIT_CODES}"""


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
    """One stack to plan: its name, how to preview it, and how to judge the preview."""

    stack: str
    preview: Callable[[], Preview]
    judge: Callable[[Preview, PolicyPack, Rates], StackReport]


PolicyConfig = Mapping[str, Any] | PolicySetup | None
"""A run's policy config: a ``--policy-config`` document as read, or a whole ``PolicySetup`` (with waivers)."""


def plan(paths: list[Path], policy_config: PolicyConfig = None, config_source: str = "policy config",
         program: Path = PROGRAM, pack_dir: Path = PACK_DIR,
         invokes: Mapping[str, dict[str, Any]] | None = None, progress: Progress = SILENT) -> PlanReport:
    """Backbone's own program on its stack files, each validated with the spec models before any preview."""

    def jobs() -> list[_Job]:
        return [_Job(stack.file.name,
                     partial(_named, partial(preview_program, program, stack.file.name, stack.file.config,
                                             invokes=InvokeAnswers(stack.file.config, invokes)),
                             stack.file.display_path),
                     partial(judge_stack, stack)) for stack in validate_all(paths)]

    return _plan(jobs, PolicySetup.of(policy_config, config_source), pack_dir, progress)


def read_all(paths: list[Path]) -> list[StackFile]:
    """Reads every stack file of an outside project; one ``ConfigError`` with the problems of all of them."""
    return _every(paths, read_stack)


def plan_project(project: Project, paths: list[Path], policy_config: PolicyConfig = None,
                 config_source: str = "policy config", invokes: Mapping[str, dict[str, Any]] | None = None,
                 pack_dir: Path = PACK_DIR, progress: Progress = SILENT) -> PlanReport:
    """An outside Pulumi project on its stack files: no Backbone spec, the whole config reaches the program."""

    def job(stack: StackFile) -> _Job:
        config = program_config(project, stack)
        preview = partial(_named, partial(preview_program, project.program, stack.name, config.values,
                                          project.name, secret_keys=config.secret_keys,
                                          invokes=InvokeAnswers(config.values, invokes), root=project.root),
                          stack.display_path)
        # the display path is taken now: a preview runs in the program's folder
        return _Job(stack.name, preview, partial(judge_project_stack, stack, stack.display_path))

    return _plan(lambda: [job(stack) for stack in read_all(paths)], PolicySetup.of(policy_config, config_source),
                 pack_dir, progress)


def _plan(jobs: Callable[[], list[_Job]], setup: PolicySetup, pack_dir: Path, progress: Progress) -> PlanReport:
    """Reads every stack (``jobs``), then previews each stack while the pack judges the one before it (most of
    judging is the pack's own process: on two cores the two overlap, as the engine, too, analyzes while a
    program runs). The pack process boots while the stacks are read and the first is previewed; it is
    connected and its config checked (a bad config is a ``ConfigError``) before anything is judged or reported;
    each stack is judged with its own config (``backbone.policy_config``: overrides, waivers). Reports come back
    in the order of the stacks."""
    pack = PolicyPack(pack_dir)
    pack.spawn()
    try:
        planned = jobs()
        progress.start(len(planned))
        judging = _Judging(pack, setup, progress)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="backbone-judge") as judge:
            judged: list[Future[StackReport]] = []
            try:
                for item in planned:
                    progress.step(item.stack, "previewing")
                    preview = item.preview()
                    judging.connect()
                    judged.append(judge.submit(judging.judge, item, preview))
                judging.connect()
                reports = tuple(future.result() for future in judged)
            except BaseException as exc:
                if not isinstance(exc, Exception):  # an interrupt: stop the pack now, so that a call in flight
                    pack.close()                     # ends at once instead of at its deadline
                judge.shutdown(wait=True, cancel_futures=True)  # before the pack closes
                raise
        return PlanReport(stacks=reports, policies=dict(pack.policies), pack=pack.name,
                          pack_version=pack.version, levels=judging.levels, stale_waivers=stale(setup, reports))
    finally:
        pack.close()


class _Judging:
    """The pack's side of a run: connected and its config checked once; configured per stack (only when the
    stack's config differs from the last one sent), in the one thread that judges."""

    def __init__(self, pack: PolicyPack, setup: PolicySetup, progress: Progress) -> None:
        self.pack, self.setup, self.progress = pack, setup, progress
        self.levels: dict[str, str] = {}
        """Each policy at the lowest level any stack was judged with (a check switched off anywhere shows)."""
        self._sent: dict[str, Any] | None = None

    def connect(self) -> None:
        if self.pack.connected:
            return
        self.pack.connect()
        problems = self.setup.check(self.pack)
        if problems:
            raise ConfigError(problems)

    def judge(self, item: _Job, preview: Preview) -> StackReport:
        resolved = self.setup.for_stack(item.stack)
        if resolved.config != self._sent:
            self.pack.configure(resolved.config, self.setup.source)
            self._sent = resolved.config
            for name, level in self.pack.levels.items():
                if _RANK.get(level, 0) < _RANK.get(self.levels.get(name, level), 0) or name not in self.levels:
                    self.levels[name] = level
        self.progress.step(item.stack, "judging")
        report = resolved.marked(item.judge(preview, self.pack, self.setup.rates(item.stack)))
        self.progress.step(item.stack, f"done: {report.verdict}")
        return report


def _named(preview: Callable[[], Preview], file: str) -> Preview:
    """Runs a stack's preview; a config fault the program finds (a check that needs the whole program) is
    named with the stack file like every other."""
    try:
        return preview()
    except ConfigError as exc:
        raise ConfigError([p if p.file else replace(p, file=file) for p in exc.problems]) from None


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


def setup_of(args: argparse.Namespace) -> PolicySetup:
    """The run's policy config: ``--policy-config`` (with its per-stack overrides) and ``--waivers``."""
    config, source = policy_config_of(args)
    waivers = tuple(load_waivers(Path(args.waivers))) if args.waivers else ()
    return PolicySetup.of(config, source, waivers)


def check_outputs(reports: list[tuple[str, str | None]], inputs: list[Path]) -> None:
    """Refuses a report onto an input (a stack file, the policy config, a state) before any work is done."""
    for _, output in reports:
        if output is not None:
            check_output(Path(output), "--output", inputs)


def write_reports(report: PlanReport, reports: list[tuple[str, str | None]], command: str,
                  inputs: list[Path], args: argparse.Namespace | None = None) -> int:
    """Renders every format first (all or nothing), then writes each to its output (stdout without one),
    atomically and never onto ``inputs``; the run's exit code (``--fail-on``)."""
    fail_on = getattr(args, "fail_on", None) or "mandatory"
    quiet = bool(getattr(args, "quiet", False))
    report = replace(report, fail_on=fail_on)
    colour = use_colour(sys.stdout, bool(getattr(args, "no_color", False)))
    rendered = [(render(report, fmt, colour=colour and output is None), output) for fmt, output in reports]
    for text, output in rendered:
        if output is None:
            write_stdout(text)
        else:
            write_file(Path(output), text, "--output", inputs)
            if not quiet:
                print(f"backbone {command}: {report.verdict} ({len(report.stacks)} stacks) → {output}",
                      file=sys.stderr)
    return report.exit_code


def add_report_options(p: argparse.ArgumentParser, config_help: str) -> None:
    """``-f/--format``, ``-o/--output``, ``-c/--policy-config``, ``--waivers`` and ``--fail-on``: the options
    every command that reports a verdict takes."""
    p.add_argument("-f", "--format", choices=sorted(FORMATS), action="append",
                   help="report format (default: text); github: workflow annotations; repeat it, each with its "
                        "--output, for several reports of one run")
    p.add_argument("-o", "--output", metavar="FILE", action="append",
                   help="write the report to FILE instead of stdout (one per --format when it is repeated)")
    p.add_argument("-c", "--policy-config", metavar="FILE", help=config_help)
    p.add_argument("--waivers", metavar="FILE",
                   help="YAML waivers: accepted risks, each with policy, stack and resource globs, reason, owner and "
                        "expires (see docs/how-to/waive-a-finding.md)")
    p.add_argument("--fail-on", choices=FAIL_ON, default="mandatory",
                   help="what makes the exit code 1: a mandatory violation (default), any violation not waived "
                        "(advisory), or nothing (never: report only)")


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
    setup = setup_of(args)
    shard = parse_shard(args.shard) if args.shard else None
    baseline = read_baseline(Path(args.baseline)) if args.baseline else None
    invokes = load_invokes(Path(args.invokes)) if args.invokes else None
    project = _project_of(args)
    pack_dir = Path(args.policy_pack) if args.policy_pack else PACK_DIR
    inputs = [Path(f) for f in (args.policy_config, args.waivers, args.baseline, args.invokes) if f]
    progress = progress_for(args.progress, args.quiet)
    if project is None:
        stacks_dir = Path(args.stacks_dir) if args.stacks_dir else PROJECT_ROOT / "stacks"
        if not args.stacks_dir and not stacks_dir.is_dir():  # installed: no checkout's stacks/ to fall back on
            raise ConfigError([Problem("--project", "no Pulumi.yaml in the current folder: pass --project DIR, "
                                       "the folder of a Pulumi Python project", str(Path.cwd()))])
        paths = _share(stack_paths(args.stacks, stacks_dir), shard, args.quiet)
        check_outputs(reports, [*paths, *inputs])
        report = plan(paths, setup, pack_dir=pack_dir, invokes=invokes, progress=progress)
    else:
        paths = _share(stack_paths(args.stacks, project.stack_dir), shard, args.quiet)
        inputs += [project.root / "Pulumi.yaml"]
        check_outputs(reports, [*paths, *inputs])
        report = plan_project(project, paths, setup, invokes=invokes, pack_dir=pack_dir, progress=progress)
    inputs += paths
    if baseline is not None:
        report = against(report, baseline)
    return write_reports(report, reports, "plan", inputs, args)


def _share(paths: list[Path], shard: Shard | None, quiet: bool) -> list[Path]:
    """``--shard I/N``: this runner's share of the stacks (all of them without the option)."""
    if shard is None:
        return paths
    mine = shard.of(paths)
    if not quiet:
        print(f"backbone plan: shard {shard}: {len(mine)} of {len(paths)} stacks", file=sys.stderr)
    return mine


def _pack_path(args: argparse.Namespace) -> int:
    print(PACK_DIR)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("plan", help="preview stacks offline and judge them with the policy pack",
                       description=summary(__doc__))
    p.add_argument("stacks", nargs="*", help="stack names or files (default: every stack of the project)")
    p.add_argument("--project", metavar="DIR",
                   help="a Pulumi Python project (the folder holding Pulumi.yaml) to plan instead of Backbone's own "
                        "program; default: the current folder when it holds a Pulumi.yaml")
    p.add_argument("--invokes", metavar="FILE",
                   help="YAML answers to provider functions (data sources) offline: {token: result in camelCase}")
    add_report_options(p, "policy config JSON, the same file `pulumi preview --policy-pack-config` takes")
    p.add_argument("--policy-pack", metavar="DIR",
                   help="the policy pack to judge with, as `pulumi preview --policy-pack DIR` (default: Backbone's)")
    p.add_argument("--stacks-dir", default=None, metavar="DIR",
                   help="where Backbone's own stack names are looked up (default: stacks/)")
    p.add_argument("--shard", metavar="I/N",
                   help="plan only shard I of N (1 ≤ I ≤ N): a deterministic share of the stacks, for a matrix of "
                        "runners; combine the JSON reports with backbone merge")
    p.add_argument("--baseline", metavar="FILE",
                   help="an earlier JSON report (e.g. of the base branch): show each stack's change in accelerators "
                        "and cost, and mark each violation new or already present (exit codes do not change)")
    p.set_defaults(handler=_run)
    p.epilog = EXAMPLES
    pack = sub.add_parser("pack-path", help="print the folder of the installed policy pack",
                          description="Prints the policy pack's folder, for "
                                      '`pulumi preview --policy-pack "$(backbone pack-path)"`.')
    pack.set_defaults(handler=_pack_path)
