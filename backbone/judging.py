"""Judging: each stack previewed offline, then judged by the policy pack the way ``pulumi preview --policy-pack``
judges it — preview + pack → verdict, shared by every command that plans.

Two kinds of program: Backbone's own (``__main__.py`` and ``stacks/``, whose ``backbone:`` config is validated
with the spec models first), or any Pulumi Python project (``backbone.project``): its program runs in its own
folder with every config namespace, invokes are answered offline (``backbone.invokes``), and the report's cloud
and capacity come from the pack's inventory of what it provisions.

Order matters, so that nothing half-runs: every stack file is read and validated first (all problems of all
stacks at once, exit 2); the pack is started once (it boots while the stacks are validated and the first
one is previewed) and its config checked before anything is judged — the JSON ``pulumi preview
--policy-pack-config`` takes, with per-stack overrides and waivers (``backbone.policy_config``; bad config,
exit 2); each stack is previewed under the mock monitor and judged with its own config (the next stack's preview
runs while the pack judges the last one). The capacity
summary comes from the pack's own inventory over the same resources (``backbone.resources``). Where each
finding points is ``backbone.locating``'s.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from backbone.analyzer import Diagnostic, PolicyPack
from backbone.children import stop_all
from backbone.components.extras import missing_extra
from backbone.components.spec import ClusterSpec, StackSpec, from_config
from backbone.core.catalog.pricing import Rates
from backbone.core.errors import ConfigError, Problem
from backbone.engine import Preview, prestart_programs, preview_program
from backbone.invokes import Given, InvokeAnswers, Unanswered, UnansweredInvokes
from backbone.locating import Location, locate, subjects
from backbone.policies.inventory.facts import Inventory
from backbone.policy_config import PolicyConfig, PolicySetup, stale
from backbone.program_process import discard_prestarted
from backbone.progress import SILENT, Progress
from backbone.project import Project, program_config, project_python
from backbone.report import Finding, PlanReport, StackReport
from backbone.report.model import RANK
from backbone.resources import policy_resources
from backbone.stackfile import StackFile, read_stack

__all__ = [
    "EMPTY",
    "PACK_DIR",
    "PROGRAM",
    "ValidStack",
    "cloud_of",
    "findings_of",
    "judge_project_stack",
    "judge_stack",
    "plan",
    "plan_project",
    "priced_inventory",
    "rates_of",
    "read_all",
    "validate_all",
]

EMPTY: Mapping[str, Any] = {}
PACK_DIR = Path(__file__).resolve().parent / "policies"
"""The pack ships inside the installed package, next to ``backbone`` (``backbone pack-path`` prints it)."""
PROGRAM = Path(__file__).resolve().parent / "program"
"""Backbone's own program (``__main__.py``), shipped inside the package: it plans Backbone stack files from any
folder, installed or in the checkout."""


@dataclass(frozen=True)
class ValidStack:
    """A stack file that read and validated cleanly."""

    file: StackFile
    spec: StackSpec


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
    spec = from_config(stack.config, file=stack.display_path)
    missing = missing_extra(spec.cluster.cloud)
    if missing.modules:  # before anything runs: the program would stop at the import
        raise ConfigError([Problem("backbone:cluster.cloud", missing.message, stack.display_path)])
    return ValidStack(stack, spec)


def validate_all(paths: list[Path]) -> list[ValidStack]:
    """Reads and validates every stack; one ``ConfigError`` with the problems of all of them."""
    return _every(paths, _validated)


def findings_of(diagnostics: list[Diagnostic], inventory: Inventory, policy_config: Mapping[str, Any],
                where: Callable[[str, str], Location] | None = None) -> list[Finding]:
    """The report's findings: one per resource each diagnostic is about, located by ``where(policy, urn)``."""
    found = []
    for d in diagnostics:
        for subject in subjects(d, inventory, policy_config):
            at = where(d.policy, subject.urn) if where is not None else Location()
            found.append(Finding.of(d, message=subject.message, subject=subject.urn, config_path=at.config_path,
                                    line=at.line, program_file=at.program_file, program_line=at.program_line))
    return found


def rates_of(policy_config: Mapping[str, Any]) -> Rates:
    """The rates monthly-budget is configured with (list prices without its config)."""
    budget = policy_config.get("monthly-budget")
    return Rates.of_policy_config(budget if isinstance(budget, Mapping) else {})


def priced_inventory(preview: Preview, rates: Rates) -> Inventory:
    """The pack's inventory of a preview (the facts its rules read), priced with the rates monthly-budget was
    configured with, so that the capacity view shows the figures the pack budgets with."""
    from backbone.policies.inventory import build

    inventory = build(policy_resources(preview))
    inventory.rates = rates
    return inventory


def judge_stack(stack: ValidStack, preview: Preview, pack: PolicyPack,
                policy_config: Mapping[str, Any] = EMPTY) -> StackReport:
    """The pack's verdict on one previewed stack, with the capacity from the pack's inventory, priced with the
    rates monthly-budget was configured with (the same figures the pack budgets with); each finding at the
    stack-file entry behind its resource."""
    diagnostics = pack.judge(preview)
    inventory = priced_inventory(preview, rates_of(policy_config))
    where = partial(_locate, preview=preview, stack=stack.file, cluster=stack.spec.cluster)
    return StackReport.build(
        preview,
        cloud=stack.spec.cluster.cloud,
        file=stack.file.display_path,
        inventory=inventory,
        findings=findings_of(diagnostics, inventory, policy_config, where),
    )


def _locate(policy: str, urn: str, *, preview: Preview, stack: StackFile, cluster: ClusterSpec | None) -> Location:
    return locate(policy, urn, preview, stack, cluster)


# A provider package's cloud, for a stack whose inventory has no accelerator pool or file system to say it.
_PACKAGE_CLOUD = {"aws": "aws", "gcp": "gcp", "google-native": "gcp", "azure-native": "azure", "azure": "azure"}


def cloud_of(clouds: tuple[str, ...], preview: Preview) -> str:
    """The clouds of the judged pools and file systems; else of the stack's provider resources."""
    if not clouds:
        found = (_PACKAGE_CLOUD.get(r.type.split(":", 1)[0]) for r in preview.resources if r.custom)
        clouds = tuple(dict.fromkeys(c for c in found if c))
    return ", ".join(clouds) or "unknown"


def judge_project_stack(stack: StackFile, file: str, preview: Preview, pack: PolicyPack,
                        policy_config: Mapping[str, Any] = EMPTY) -> StackReport:
    """The pack's verdict on one stack of an outside project: the cloud from what the program provisions, and
    each finding at the program line that registered its resource."""
    diagnostics = pack.judge(preview)
    inventory = priced_inventory(preview, rates_of(policy_config))
    where = partial(_locate, preview=preview, stack=stack, cluster=None)
    return StackReport.build(preview, cloud=cloud_of(inventory.clouds, preview), file=file, inventory=inventory,
                             findings=findings_of(diagnostics, inventory, policy_config, where))


@dataclass(frozen=True)
class _Job:
    """One stack to plan: its name, how to preview it, and how to judge the preview."""

    stack: str
    preview: Callable[[], Preview]
    judge: Callable[[Preview, PolicyPack, Mapping[str, Any]], StackReport]


def plan(paths: list[Path], policy_config: PolicyConfig = None, config_source: str = "policy config",
         program: Path = PROGRAM, pack_dir: Path = PACK_DIR,
         invokes: Mapping[str, list[Given]] | None = None, unknown_invokes: bool = False,
         progress: Progress = SILENT) -> PlanReport:
    """Backbone's own program on its stack files, each validated with the spec models before any preview."""

    def jobs() -> list[_Job]:
        return [_Job(stack.file.name,
                     partial(_named, partial(preview_program, program, stack.file.name, stack.file.config,
                                             invokes=InvokeAnswers(stack.file.config, invokes, unknown_invokes),
                                             preload=_OWN),
                             stack.file.display_path),
                     partial(judge_stack, stack)) for stack in validate_all(paths)]

    return _plan(jobs, PolicySetup.of(policy_config, config_source), pack_dir, progress,
                 partial(prestart_programs, program, None, None, _at_once(paths), _OWN))


_OWN = ("backbone.components.program",)
"""What Backbone's own program imports first: its processes import it ahead, while the stack files are checked."""


def _at_once(paths: Sequence[object]) -> int:
    """How many stacks' programs run at once: one per core, at most one per stack."""
    return max(1, min(len(paths), os.cpu_count() or 1))


def read_all(paths: list[Path]) -> list[StackFile]:
    """Reads every stack file of an outside project; one ``ConfigError`` with the problems of all of them."""
    return _every(paths, read_stack)


def plan_project(project: Project, paths: list[Path], policy_config: PolicyConfig = None,
                 config_source: str = "policy config", invokes: Mapping[str, list[Given]] | None = None,
                 pack_dir: Path = PACK_DIR, unknown_invokes: bool = False, python: str | None = None,
                 progress: Progress = SILENT) -> PlanReport:
    """An outside Pulumi project on its stack files: no Backbone spec, the whole config reaches the program,
    which runs under ``python`` (``--python``), else the project's own virtualenv, else Backbone's interpreter."""
    interpreter, source = (python, (None, "--python")) if python else project_python(project)

    def job(stack: StackFile) -> _Job:
        config = program_config(project, stack)
        preview = partial(_named, partial(preview_program, project.program, stack.name, config.values,
                                          project.name, secret_keys=config.secret_keys,
                                          invokes=InvokeAnswers(config.values, invokes, unknown_invokes),
                                          root=project.root, python=interpreter, python_source=source),
                          stack.display_path)
        # the display path is taken now: a preview runs in the program's folder
        return _Job(stack.name, preview, partial(judge_project_stack, stack, stack.display_path))

    return _plan(lambda: [job(stack) for stack in read_all(paths)], PolicySetup.of(policy_config, config_source),
                 pack_dir, progress,
                 partial(prestart_programs, project.program, project.root, interpreter, _at_once(paths)))


def _plan(jobs: Callable[[], list[_Job]], setup: PolicySetup, pack_dir: Path, progress: Progress,
          warm_up: Callable[[], None] = lambda: None) -> PlanReport:
    """Reads every stack (``jobs``), then previews the stacks, each program in its own process, up to one per
    core at once, while the pack judges the previews in the stacks' order (the pack is its own process too).
    The pack process and the programs' processes (``warm_up``) boot while the stacks are read; the pack is
    connected and its config checked (a bad config is a ``ConfigError``) before anything is judged or reported;
    each stack is judged with its own config (``backbone.policy_config``: overrides, waivers). Reports come back
    in the order of the stacks."""
    pack = PolicyPack(pack_dir)
    pack.spawn()
    try:
        warm_up()  # the programs' processes start too, and import their SDK while the stacks are read
        planned = jobs()
        progress.start(len(planned))
        judging = _Judging(pack, setup, progress)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="backbone-judge") as judge, \
                ThreadPoolExecutor(max_workers=_at_once(planned), thread_name_prefix="backbone-preview") as programs:
            judged: list[Future[StackReport]] = []
            unanswered: list[tuple[str, Unanswered]] = []
            previews = [programs.submit(item.preview) for item in planned]  # each program in its own process
            try:
                for item, running in zip(planned, previews, strict=True):
                    progress.step(item.stack, "previewing")
                    try:
                        preview = running.result()
                    except UnansweredInvokes as exc:  # the other stacks run on: one run names them all
                        unanswered += exc.found
                        continue
                    judging.connect()
                    judged.append(judge.submit(judging.judge, item, preview))
                if unanswered:
                    raise UnansweredInvokes(unanswered)
                judging.connect()
                reports = tuple(future.result() for future in judged)
            except BaseException as exc:
                if not isinstance(exc, Exception):  # an interrupt: stop the pack now, so that a call in flight
                    pack.close()                     # ends at once instead of at its deadline
                stop_all()  # the programs still running are stopped, not waited for
                programs.shutdown(wait=True, cancel_futures=True)
                judge.shutdown(wait=True, cancel_futures=True)  # before the pack closes
                raise
        return PlanReport(stacks=reports, policies=dict(pack.policies), pack=pack.name,
                          pack_version=pack.version, levels=judging.levels, stale_waivers=stale(setup, reports))
    finally:
        pack.close()
        discard_prestarted()


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
                if name not in self.levels or RANK.get(level, 0) < RANK.get(self.levels[name], 0):
                    self.levels[name] = level
        self.progress.step(item.stack, "judging")
        report = resolved.marked(item.judge(preview, self.pack, resolved.config))
        self.progress.step(item.stack, f"done: {report.verdict}")
        return report


def _named(preview: Callable[[], Preview], file: str) -> Preview:
    """Runs a stack's preview; a config fault the program finds (a check that needs the whole program) is
    named with the stack file like every other."""
    try:
        return preview()
    except ConfigError as exc:
        raise ConfigError([p if p.file else replace(p, file=file) for p in exc.problems]) from None
