"""The offline engine: runs the real Pulumi program for one stack under the Pulumi SDK's mock monitor in
preview mode and records the resource graph the engine would see — type, name, URN, inputs, parent,
dependencies, property dependencies — exactly as the program sent it over the resource-monitor protocol.

Preview semantics: the mock invents no outputs. A resource's outputs are its own inputs (what a provider
returns for a create in preview), ids are empty (unknown), and a value computed from an unknown output
reaches its consumers as Pulumi's unknown sentinel, as under ``pulumi preview``.

Invokes (provider functions, data sources) are answered by ``backbone.invokes`` when the caller passes
answers; an invoke nobody answers gets an unknown result and the program goes on, so that one run finds every
unanswered invoke (``UnansweredInvokes`` at the end, each with the program line that called it), unless the
caller accepts unknown results (``--unknown-invokes``: the preview then lists them). A program runs the
way the Pulumi CLI runs it: in its own folder, which is on ``sys.path`` (so a program of several modules
imports its own), with the project's config. A failing program is reported with its own error at its own
file and line (``backbone.failure``), never a traceback through the engine.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import io
import json
import logging
import os
import runpy
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import mocks, settings
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.stack import wait_for_rpcs
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from backbone.core.errors import BackboneError
from backbone.failure import Site, call_site, describe
from backbone.invokes import CallSites, InvokeAnswers, Unanswered, UnansweredInvokes, recording_call_sites

__all__ = ["PREVIEW_SECONDS", "UNKNOWN", "Preview", "PreviewDeadline", "RecordedResource", "preview_function",
           "preview_program"]

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
PROJECT = "backbone"
PREVIEW_SECONDS = float(os.environ.get("BACKBONE_PREVIEW_SECONDS", "300"))
"""How long one stack's program may run (a program that loops forever must not hold a PR check for hours)."""
_GRACE_SECONDS = 5.0
"""After the deadline, how long a program that swallows the interruption gets before Backbone exits anyway."""


_EXIT = os._exit
"""The process's own exit, kept before a program's ``os._exit`` is made its failure (``_exit_is_a_failure``)."""


class PreviewDeadline(KeyboardInterrupt):
    """A stack's program ran past ``PREVIEW_SECONDS``: raised into it like Ctrl-C, so that no ``except
    Exception`` of the program swallows it (exit 3: Backbone could not finish)."""


@dataclass
class RecordedResource:
    """One resource registration, as the engine receives it."""

    type: str
    name: str
    urn: str
    custom: bool
    parent: str
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    properties: struct_pb2.Struct
    provider: str = ""
    """The URN of the provider resource the engine uses for this resource (explicit, or a default one)."""
    version: str = ""
    """The provider package version the program asked for (the default provider is named after it)."""
    site: Site | None = None
    """Where the user's program registered it (file, line): the innermost frame inside the project folder, not
    the SDK's; None for Backbone's own program and for what the engine makes (default providers)."""

    @property
    def inputs(self) -> dict[str, Any]:
        """The inputs as plain data; unknowns stay the unknown sentinel, numbers are floats."""
        return json_format.MessageToDict(self.properties)


@dataclass
class Preview:
    """The resource graph of one stack's preview."""

    project: str
    stack: str
    resources: list[RecordedResource]
    providers: list[RecordedResource] = field(default_factory=list)
    """The default provider resources the engine creates for resources without an explicit provider
    (``pulumi:providers:aws`` … ``::default_<version>``, inputs from the stack config ``aws:*``)."""
    unknown_invokes: list[Unanswered] = field(default_factory=list)
    """The invokes nobody answered, judged with unknown results (``--unknown-invokes``)."""

    def of_type(self, type_: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_]

    def by_urn(self) -> dict[str, RecordedResource]:
        return {r.urn: r for r in [*self.providers, *self.resources]}

    def linked(self, resource: RecordedResource, prop: str) -> list[RecordedResource]:
        """The resources an input of ``resource`` depends on (its property dependencies, followed)."""
        by_urn = self.by_urn()
        return [by_urn[urn] for urn in resource.property_dependencies.get(prop, [])]


class _NoInventedOutputs(mocks.Mocks):
    """Outputs are the resource's own scalar inputs and nothing more; ids stay unknown (empty) in preview.

    A provider echoes known inputs as outputs in preview, in its OUTPUT shape. Where the two shapes differ
    (azure-native: an identity's user-assigned ids are a list going in, a map coming out), echoing a nested
    input would break the SDK's output types; so only top-level strings, numbers and booleans are echoed and
    every nested output stays unknown, as anything the preview cannot know.

    Invokes: without answers, every result is empty (unknown). With answers, an unanswered invoke is recorded
    and its result is unknown."""

    def __init__(self, invokes: InvokeAnswers | None, sites: CallSites) -> None:
        self.invokes = invokes
        self.sites = sites
        self.unanswered: list[Unanswered] = []

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        return "", {k: v for k, v in args.inputs.items() if isinstance(v, str | int | float | bool)}

    def call(self, args: mocks.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        if self.invokes is None:
            return {}, []
        answer = self.invokes.answer(args.token, args.args or {})
        if answer.result is None:
            site, fields = self.sites.seen.get(args.token, (None, ()))
            self.unanswered.append(Unanswered(args.token, answer.reason, site, fields, dict(args.args or {})))
            if args.token in self.sites.output_form:
                raise _UnknownResult(args.token)
            return {}, []  # the plain form cannot be unknown: an empty result, every field None
        return answer.result, []


class _UnknownResult(Exception):
    """An invoke nobody answered, called in the output form (``get_…_output``): its result is unknown, as the
    engine says of a function it cannot run in preview, and so is every output computed from it."""


class _RegistrationSites:
    """The program line of each resource registration, noted on the program's thread when it calls the SDK (the
    monitor receives the registration later, on another thread), and handed to the registration it belongs to."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.waiting: dict[tuple[str, str], collections.deque[Site | None]] = {}
        self.lock = threading.Lock()

    def note(self, type_: str, name: str, site: Site | None) -> None:
        with self.lock:
            self.waiting.setdefault((type_, name), collections.deque()).append(site)

    def take(self, type_: str, name: str) -> Site | None:
        with self.lock:
            queue = self.waiting.get((type_, name))
            return queue.popleft() if queue else None


def _registration_site(root: Path | None) -> Site | None:
    """The user's line that registered a resource, taken at ``register_resource`` (two frames up: the SDK's
    ``Resource.__init__``, then the program or its component)."""
    return call_site(sys._getframe(2), root)


@contextlib.contextmanager
def _noting_registration_sites(sites: _RegistrationSites) -> Iterator[None]:
    """Every ``Resource`` registers through ``pulumi.resource.register_resource`` on the program's thread:
    the call site is noted there, keyed by type and name (a URN's own parts)."""
    import pulumi.resource

    original = pulumi.resource.register_resource

    def noting(res: Any, ty: str, name: str, *args: Any, **kwargs: Any) -> Any:
        sites.note(ty, name, _registration_site(sites.root))
        return original(res, ty, name, *args, **kwargs)

    pulumi.resource.register_resource = noting  # type: ignore[assignment]
    try:
        yield
    finally:
        pulumi.resource.register_resource = original  # type: ignore[assignment]


class _RecordingMonitor(mocks.MockMonitor):
    def __init__(self, invokes: InvokeAnswers | None = None, root: Path | None = None) -> None:
        self.sites = CallSites(root)
        self.registrations = _RegistrationSites(root)
        self.answers = _NoInventedOutputs(invokes, self.sites)
        super().__init__(self.answers)
        self.recorded: list[RecordedResource] = []
        # The SDK calls the monitor from the preview loop's executor threads and gives each thread an event
        # loop it never closes; left to the garbage collector they warn, or print a traceback at exit.
        self.worker_loops: set[asyncio.AbstractEventLoop] = set()

    def Invoke(self, request: Any) -> Any:
        try:
            return super().Invoke(request)
        except _UnknownResult:
            return resource_pb2.ResourceInvokeResponse(unknown=True)

    def RegisterResource(self, request: Any) -> Any:
        self.worker_loops.add(_ensure_event_loop())
        response = super().RegisterResource(request)
        properties = struct_pb2.Struct()
        properties.CopyFrom(request.object)
        self.recorded.append(
            RecordedResource(
                type=request.type,
                name=request.name,
                urn=response.urn,
                custom=bool(request.custom),
                parent=request.parent,
                dependencies=list(request.dependencies),
                property_dependencies={k: list(v.urns) for k, v in request.propertyDependencies.items()},
                properties=properties,
                provider=_provider_urn(request.provider),
                version=request.version,
                site=self.registrations.take(request.type, request.name),
            )
        )
        return response


def _provider_urn(reference: str) -> str:
    """A provider reference is ``<urn>::<id>``; the URN names the provider resource."""
    return reference.rsplit("::", 1)[0] if reference else ""


def _default_providers(recorded: list[RecordedResource], config: dict[str, str], project: str,
                       stack: str) -> list[RecordedResource]:
    """The default providers the engine creates, one per package (and version) used by a custom resource
    without an explicit provider, configured from the stack config keys of that package; each such resource
    is pointed at its default provider."""
    made: dict[str, RecordedResource] = {}
    for resource in recorded:
        package = resource.type.split(":", 1)[0]
        if not resource.custom or resource.provider or package == "pulumi":
            continue
        name = f"default_{resource.version.replace('.', '_')}" if resource.version else "default"
        urn = f"urn:pulumi:{stack}::{project}::pulumi:providers:{package}::{name}"
        if urn not in made:
            inputs: dict[str, Any] = {key.split(":", 1)[1]: value for key, value in config.items()
                                      if key.startswith(f"{package}:")}
            if resource.version:
                inputs["version"] = resource.version
            properties = struct_pb2.Struct()
            properties.update(inputs)
            made[urn] = RecordedResource(type=f"pulumi:providers:{package}", name=name, urn=urn, custom=True,
                                         parent="", dependencies=[], property_dependencies={},
                                         properties=properties, version=resource.version)
        resource.provider = urn
    return list(made.values())


def _config_values(config: Mapping[str, Any]) -> dict[str, str]:
    """Stack-file values as the Pulumi CLI hands them to a program: strings, objects as JSON."""
    out: dict[str, str] = {}
    for key, value in config.items():
        if isinstance(value, dict | list):
            out[key] = json.dumps(value)
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[key] = "" if value is None else str(value)
    return out


def preview_program(program: Path, stack: str, config: Mapping[str, Any], project: str = PROJECT, *,
                    secret_keys: tuple[str, ...] = (), invokes: InvokeAnswers | None = None,
                    root: Path | None = None) -> Preview:
    """Runs ``program`` (a ``__main__.py`` or a directory holding one) for ``stack`` with ``config``.

    With ``root`` (the project folder of an outside project): the program runs in its own folder, that folder
    and ``root`` lead ``sys.path``, the project's own modules are forgotten afterwards (the next stack imports
    them afresh), and errors point at the program's file and line inside ``root``."""
    path = program / "__main__.py" if program.is_dir() else program
    return preview_function(lambda: runpy.run_path(str(path), run_name="__main__"), stack, config, project,
                            secret_keys=secret_keys, invokes=invokes,
                            root=None if root is None else root.resolve(), workdir=path.parent.resolve())


@contextlib.contextmanager
def _in_program_dir(program_dir: Path, root: Path | None) -> Iterator[None]:
    if root is None:  # Backbone's own program: run where the command runs
        yield
        return
    cwd, path, modules = os.getcwd(), list(sys.path), set(sys.modules)
    os.chdir(program_dir)
    sys.path[:0] = list(dict.fromkeys([str(program_dir), str(root)]))
    try:
        yield
    finally:
        os.chdir(cwd)
        sys.path[:] = path
        for name in set(sys.modules) - modules:
            origin = getattr(sys.modules[name], "__file__", None)
            if origin and Path(origin).resolve().is_relative_to(root):
                del sys.modules[name]


def preview_function(
    program: Callable[[], object], stack: str, config: Mapping[str, Any] | None = None, project: str = PROJECT,
    *, secret_keys: tuple[str, ...] = (), invokes: InvokeAnswers | None = None, root: Path | None = None,
    workdir: Path | None = None,
) -> Preview:
    """Runs a Pulumi program given as a function (how tests and platform teams try a component)."""
    import pulumi

    monitor = _RecordingMonitor(invokes, root)
    loop = asyncio.new_event_loop()  # a loop of its own: a failed program leaves no task for the next one
    loop.set_exception_handler(_quiet_about_failed_outputs)
    asyncio.set_event_loop(loop)
    settings.ROOT.set(None)
    with settings.SETTINGS.lock:  # outputs left by a program that failed belong to its closed loop
        settings.SETTINGS.outputs.clear()
    values = _config_values(config or {})
    pulumi.runtime.set_all_config(values, list(secret_keys))
    mocks.set_mocks(
        monitor.mocks,
        project=project,
        stack=stack,
        preview=True,
        monitor=monitor,
        logger=logging.getLogger("backbone.program"),
    )
    failure: BaseException | None = None
    try:
        with _deadline(stack), _in_program_dir(workdir or Path.cwd(), root), recording_call_sites(monitor.sites), \
                _noting_registration_sites(monitor.registrations), _program_output(), _exit_is_a_failure():
            program()
            _sync_await(wait_for_rpcs())
    except (KeyboardInterrupt, BackboneError):
        raise
    except BaseException as exc:  # the program's own error, SystemExit included: reported, never re-raised
        failure = exc
    finally:
        settings.ROOT.set(None)
        _close(loop, monitor.worker_loops)
    unanswered = monitor.answers.unanswered
    if unanswered and not (invokes is not None and invokes.unknown):  # why the program failed, if it did
        raise UnansweredInvokes([(stack, u) for u in unanswered]) from None
    after = f" (after {len(unanswered)} provider function(s) gave unknown results: --unknown-invokes)" \
        if unanswered else ""
    if isinstance(failure, pulumi.RunError):
        raise BackboneError(f"stack {stack}: {describe(failure, root)}{after}") from None
    if failure is not None:
        raise BackboneError(f"stack {stack}: the program failed: {describe(failure, root)}{after}") from None
    recorded = list(monitor.recorded)
    providers = _default_providers(recorded, values, project, stack)
    return Preview(project=project, stack=stack, resources=recorded, providers=providers,
                   unknown_invokes=list(unanswered))


class _ToLog(io.TextIOBase):
    """What a program prints, as the Pulumi CLI shows it: on the log (stderr), never in the report on stdout,
    each line escaped so that it cannot forge a CI workflow command."""

    def __init__(self, log: io.TextIOBase | Any) -> None:
        from backbone.report.escape import annotation_safe  # the report package imports the engine

        self.log = log
        self.safe = annotation_safe
        self.pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, self.pending = (self.pending + text).split("\n")
        for line in lines:
            self.log.write(self.safe(line) + "\n")
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.log.write(self.safe(self.pending) + "\n")
            self.pending = ""
        self.log.flush()


@contextlib.contextmanager
def _exit_is_a_failure() -> Iterator[None]:
    """``os._exit`` in a program ends the program, not Backbone: it raises ``SystemExit`` (reported as the
    program's failure), so that a program's exit code can never pass for Backbone's (1: a mandatory violation).
    A child the program forked exits as it asked."""
    parent = os.getpid()

    def program_exit(code: int) -> None:
        if os.getpid() != parent:
            _EXIT(code)
        raise SystemExit(code)

    os._exit = program_exit  # type: ignore[assignment]
    try:
        yield
    finally:
        os._exit = _EXIT


@contextlib.contextmanager
def _program_output() -> Iterator[None]:
    log = _ToLog(sys.stderr)
    try:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            log.flush()


@contextlib.contextmanager
def _deadline(stack: str) -> Iterator[None]:
    """Bounds the program's run to ``PREVIEW_SECONDS`` (main thread only: signals are delivered there). At the
    deadline ``PreviewDeadline`` is raised into the program; a program that swallows it is given
    ``_GRACE_SECONDS`` more, then Backbone stops its packs and exits 3 at once."""
    if threading.current_thread() is not threading.main_thread() or PREVIEW_SECONDS <= 0:
        yield
        return
    fired = False

    def on_alarm(signum: int, frame: object) -> None:
        nonlocal fired
        message = (f"stack {stack}: the program ran longer than {PREVIEW_SECONDS:g} s "
                   "(BACKBONE_PREVIEW_SECONDS); does it wait for something, or loop?")
        if not fired:
            fired = True
            signal.setitimer(signal.ITIMER_REAL, _GRACE_SECONDS)
            raise PreviewDeadline(message)
        from backbone.analyzer import close_all  # the program ignored the interruption: stop here

        close_all()
        with contextlib.suppress(OSError):
            os.write(2, f"error: Backbone could not finish: {message}\n".encode())
        _EXIT(3)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, PREVIEW_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _quiet_about_failed_outputs(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """A failed program leaves outputs whose error nobody awaited; that error is the one reported (once, with
    the program's line), so asyncio's "exception was never retrieved" traceback at exit is dropped."""
    if "never retrieved" not in str(context.get("message", "")):
        loop.default_exception_handler(context)


def _close(loop: asyncio.AbstractEventLoop, worker_loops: set[asyncio.AbstractEventLoop]) -> None:
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_default_executor())  # its threads are done with their loops
    for worker_loop in worker_loops:
        worker_loop.close()
    loop.close()
    asyncio.set_event_loop(None)
