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
way the Pulumi CLI runs it: in a process of its own (``backbone.program_process``) whose ``pulumi`` SDK talks to
this monitor over gRPC, in its own folder, which is on ``sys.path`` (so a program of several modules imports its
own), with the project's config. A failing program is reported with its own error at its own file and line
(``backbone.failure``), never a traceback through the engine.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import mocks, settings
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.stack import wait_for_rpcs
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from backbone.core.errors import BackboneError, ConfigError, Problem
from backbone.failure import Site, describe, located
from backbone.invokes import CallSites, InvokeAnswers, Unanswered, UnansweredInvokes, recording_call_sites
from backbone.program_host import BACKBONE_ERROR, noting_registration_sites
from backbone.program_process import run_program
from backbone.program_server import prestart, program_run
from backbone.safe_load import MAX_DEPTH, STATE_BYTES

__all__ = ["PREVIEW_SECONDS", "UNKNOWN", "Preview", "RecordedResource", "prestart_programs", "preview_function",
           "preview_program", "program_run"]

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
PROJECT = "backbone"
PREVIEW_SECONDS = float(os.environ.get("BACKBONE_PREVIEW_SECONDS", "300"))
"""How long one stack's program may run (a program that loops forever must not hold a PR check for hours); at
the deadline its whole process group is killed (0: no deadline)."""


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


class _RecordingMonitor(mocks.MockMonitor):
    def __init__(self, invokes: InvokeAnswers | None, root: Path | None, project: str, stack: str) -> None:
        self.project, self.stack = project, stack
        self.sites = CallSites(root)
        self.registrations = _RegistrationSites(root)
        self.answers = _NoInventedOutputs(invokes, self.sites)
        super().__init__(self.answers)
        self.recorded: list[RecordedResource] = []
        # The SDK calls the monitor from the preview loop's executor threads and gives each thread an event
        # loop it never closes; left to the garbage collector they warn, or print a traceback at exit.
        self.worker_loops: set[asyncio.AbstractEventLoop] = set()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The SDK's URN, of this monitor's own stack (several stacks' programs run at once)."""
        if parent:
            type_ = parent.split("::")[2].split("$")[-1] + "$" + type_
        return f"urn:pulumi:{self.stack}::{self.project}::{type_}::{name}"

    def note_output_form(self, token: str) -> None:
        """A program in its own process calls ``token`` in the output form (said before the call arrives)."""
        self.sites.output_form.add(token)

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
                    root: Path | None = None, python: str | None = None,
                    python_source: tuple[str | None, str] = (None, "--python"),
                    preload: tuple[str, ...] = ()) -> Preview:
    """Runs ``program`` (a ``__main__.py`` or a directory holding one) for ``stack`` with ``config``, in a process of
    its own (``backbone.program_process``) under ``python`` (default: Backbone's own interpreter).

    With ``root`` (the project folder of an outside project): the program runs in its own folder, that folder
    and ``root`` lead its ``sys.path``, and errors point at the program's file and line inside ``root``. Without
    it (Backbone's own program), it runs where the command runs, its own folder leading its path. ``preload``:
    modules its process imports ahead (``prestart_programs``)."""
    values = _config_values(config)
    run = program_run(program, root, python, preload, project=project, stack=stack, config=values,
                      secret_keys=tuple(secret_keys), python_source=python_source)
    monitor = _RecordingMonitor(invokes, run.root, project, stack)
    try:
        result = run_program(run, monitor, PREVIEW_SECONDS)
    finally:
        _close_loops(monitor.worker_loops)
    sites = {token: ((site[0], site[1]) if site else None, tuple(fields))
             for token, (site, fields) in result.get("invoke_sites", {}).items()}
    unanswered = [replace(u, site=sites[u.token][0], fields=sites[u.token][1]) if u.token in sites else u
                  for u in monitor.answers.unanswered]
    for type_, name, site in result.get("registrations", []):
        monitor.registrations.note(type_, name, (site[0], site[1]) if site else None)
    for resource in monitor.recorded:
        resource.site = monitor.registrations.take(resource.type, resource.name)
    failure = result.get("failure")
    return _preview(monitor, values, project, stack, invokes, unanswered,
                    None if not failure else lambda after: _program_failure(stack, failure, after))


def prestart_programs(program: Path, root: Path | None, python: str | None, preload: tuple[str, ...] = ()) -> None:
    """Starts the program host of ``program``'s previews ahead: it imports the SDK (and ``preload``) while the stack
    files are read and checked, then forks one process per preview."""
    prestart(program_run(program, root, python, preload, project="", stack="", config={}))


def _program_failure(stack: str, failure: Mapping[str, Any], after: str) -> BackboneError:
    """The error a failed program is reported with: its own file and line; Backbone's own errors as they are."""
    if failure.get("kind") == BACKBONE_ERROR:
        if failure.get("config"):
            return ConfigError([Problem(p["path"], p["message"], p["file"]) for p in failure["problems"]])
        return BackboneError(failure["message"])
    site = failure.get("site")
    said = located((site[0], site[1]) if site else None, failure["message"])
    return BackboneError(f"stack {stack}: {said}{after}" if failure.get("run_error")
                         else f"stack {stack}: the program failed: {said}{after}")


def _preview(monitor: _RecordingMonitor, values: dict[str, str], project: str, stack: str,
             invokes: InvokeAnswers | None, unanswered: list[Unanswered],
             failed: Callable[[str], BackboneError] | None) -> Preview:
    """The preview of a program that ran: every unanswered invoke at once (unless unknown results are accepted),
    else the program's failure, else its resources, checked to be within what can be judged."""
    if unanswered and not (invokes is not None and invokes.unknown):  # why the program failed, if it did
        raise UnansweredInvokes([(stack, u) for u in unanswered]) from None
    if failed is not None:
        after = f" (after {len(unanswered)} provider function(s) gave unknown results: --unknown-invokes)" \
            if unanswered else ""
        raise failed(after) from None
    recorded = list(monitor.recorded)
    _check_judgeable(recorded, stack)
    providers = _default_providers(recorded, values, project, stack)
    return Preview(project=project, stack=stack, resources=recorded, providers=providers,
                   unknown_invokes=list(unanswered))


def _check_judgeable(recorded: list[RecordedResource], stack: str) -> None:
    """Inputs too deep or too large to judge are bad input (exit 2), said before the pack is asked: the limits of
    every other input (``backbone.safe_load``), walked without recursion."""
    total = 0
    for resource in recorded:
        total += resource.properties.ByteSize()
        if total > STATE_BYTES:
            raise BackboneError(f"stack {stack}: the program's resources hold more than {STATE_BYTES // 2**20} MiB of "
                                f"inputs (at {resource.name}, {resource.type}); Backbone judges at most that much")
        deep = _deeper_than(resource.properties, MAX_DEPTH)
        if deep is not None:
            raise BackboneError(f"stack {stack}: resource {resource.name} ({resource.type}): input {deep} is nested "
                                f"more than {MAX_DEPTH} levels deep; Backbone judges inputs at most {MAX_DEPTH} deep")


def _deeper_than(properties: struct_pb2.Struct, limit: int) -> str | None:
    """The path of a value nested deeper than ``limit`` levels of objects and lists, if there is one."""
    pending: list[tuple[struct_pb2.Value, str, int]] = [(v, k, 1) for k, v in properties.fields.items()]
    while pending:
        value, path, depth = pending.pop()
        if depth > limit:
            return path if len(path) <= 80 else f"{path[:80]}…"
        kind = value.WhichOneof("kind")
        if kind == "struct_value":
            pending.extend((v, f"{path}.{k}", depth + 1) for k, v in value.struct_value.fields.items())
        elif kind == "list_value":
            pending.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value.list_value.values))
    return None


def preview_function(
    program: Callable[[], object], stack: str, config: Mapping[str, Any] | None = None, project: str = PROJECT,
    *, secret_keys: tuple[str, ...] = (), invokes: InvokeAnswers | None = None, root: Path | None = None,
) -> Preview:
    """Runs a Pulumi program given as a function, in Backbone's own process (how tests and platform teams try a
    component): the same monitor as ``preview_program``, reached directly instead of over gRPC. ``root``: the
    folder whose files are the program's (for the lines of its resources, invokes and failures)."""
    import pulumi

    monitor = _RecordingMonitor(invokes, root, project, stack)
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
        with recording_call_sites(monitor.sites), noting_registration_sites(monitor.registrations.note, root):
            program()
            _sync_await(wait_for_rpcs())
    except (KeyboardInterrupt, BackboneError):
        raise
    except BaseException as exc:  # the program's own error, SystemExit included: reported, never re-raised
        failure = exc
    finally:
        settings.ROOT.set(None)
        _close(loop, monitor.worker_loops)
    for resource in monitor.recorded:  # (recorded on the monitor's threads, once the line was noted)
        resource.site = resource.site or monitor.registrations.take(resource.type, resource.name)

    def failed(after: str) -> BackboneError:
        said = describe(failure, root) if failure is not None else ""
        if isinstance(failure, pulumi.RunError):
            return BackboneError(f"stack {stack}: {said}{after}")
        return BackboneError(f"stack {stack}: the program failed: {said}{after}")

    return _preview(monitor, values, project, stack, invokes, monitor.answers.unanswered,
                    None if failure is None else failed)


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
    _close_loops(worker_loops)
    loop.close()
    asyncio.set_event_loop(None)


def _close_loops(worker_loops: set[asyncio.AbstractEventLoop]) -> None:
    for worker_loop in worker_loops:
        if not worker_loop.is_running():
            worker_loop.close()
