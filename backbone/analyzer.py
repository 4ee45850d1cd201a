"""Drives a CrossGuard policy pack exactly as ``pulumi preview --policy-pack`` does.

The CLI starts a Python pack as ``python -u -m pulumi.policy <engine-address> <pack-dir>``, reads the port
the pack prints on stdout, and speaks the Analyzer gRPC protocol: GetAnalyzerInfo, Configure (the policy
config, after checking it against each policy's schema), ConfigureStack, Analyze for every resource and
AnalyzeStack at the end. The pack may log through the engine address it is given: this module serves a
small Engine service there and keeps what the pack logs.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import select
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from concurrent import futures
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, ClassVar

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, engine_pb2, engine_pb2_grpc

from backbone.core.errors import ConfigError, CouldNotFinish, Problem
from backbone.engine import Preview, RecordedResource
from backbone.safe_load import load_json, load_yaml, read_text

__all__ = ["CANNOT_VERIFY_PREFIX", "Diagnostic", "PolicyInfo", "PolicyPack", "declared_version", "load_policy_config"]

CANNOT_VERIFY_PREFIX = "can't run policy"
PROVIDER_PREFIX = "pulumi:providers:"
LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "remediate": analyzer_pb2.REMEDIATE,
    "disabled": analyzer_pb2.DISABLED,
}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}
_MAX_MESSAGE = 1024 * 1024 * 400
PACK_BOOT_SECONDS = float(os.environ.get("BACKBONE_PACK_BOOT_SECONDS", "180"))
"""How long the pack may take to start (it imports the provider SDKs; slow on a loaded CI machine)."""
CALL_SECONDS = float(os.environ.get("BACKBONE_PACK_CALL_SECONDS", "120"))
"""The deadline of one call to the pack; AnalyzeStack gets more per resource."""
STACK_SECONDS_PER_RESOURCE = 0.1


@dataclass(frozen=True)
class Diagnostic:
    """One finding of the pack: a violation, or — where a deciding value is unknown — cannot verify."""

    policy: str
    level: str
    urn: str
    message: str
    description: str

    @property
    def cannot_verify(self) -> bool:
        """CrossGuard's own signal for "unknown during preview": the pack raised UnknownValueError."""
        return self.message.startswith(CANNOT_VERIFY_PREFIX)

    @property
    def detail(self) -> str:
        """The message without the policy description CrossGuard puts in front of it."""
        if self.cannot_verify:
            _, _, rest = self.message.partition(" during preview: ")
            return rest or self.message
        prefix = self.description + "\n"
        return self.message[len(prefix):] if self.message.startswith(prefix) else self.message


@dataclass(frozen=True)
class PolicyInfo:
    name: str
    description: str
    level: str
    config_schema: dict[str, Any] = field(default_factory=dict)


class _Engine(engine_pb2_grpc.EngineServicer):
    """The engine end of the pack's log channel: what the pack logs goes to the ``backbone.pack`` logger."""

    _LEVELS: ClassVar[dict[int, int]] = {
        engine_pb2.DEBUG: logging.DEBUG,
        engine_pb2.INFO: logging.INFO,
        engine_pb2.WARNING: logging.WARNING,
        engine_pb2.ERROR: logging.ERROR,
    }

    def Log(self, request: Any, context: Any) -> empty_pb2.Empty:
        logging.getLogger("backbone.pack").log(self._LEVELS.get(request.severity, logging.INFO), request.message)
        return empty_pb2.Empty()


def load_policy_config(path: Path) -> dict[str, Any]:
    """Reads a ``--policy-pack-config`` JSON file: ``{"policy": "mandatory" | {"enforcementLevel": …, …}}``."""
    data = load_json(read_text(path, "policy config"), str(path))
    if not isinstance(data, dict):
        raise ConfigError([Problem("(top level)", "expected an object keyed by policy name", str(path))])
    return data


def declared_version(pack_dir: Path) -> str | None:
    """The version a pack's ``PulumiPolicy.yaml`` declares, which the Pulumi CLI reports in place of the one the
    Python SDK's analyzer answers (always 0.0.1); None when the file declares none or cannot be read."""
    try:
        data = load_yaml(read_text(pack_dir / "PulumiPolicy.yaml", "PulumiPolicy.yaml"), "PulumiPolicy.yaml").data
    except ConfigError:
        return None
    version = data.get("version") if isinstance(data, dict) else None
    return str(version) if version is not None else None


class PolicyPack:
    """A running policy pack process. Use as a context manager."""

    def __init__(self, pack_dir: Path, python: str | None = None) -> None:
        self.pack_dir = pack_dir.resolve()  # the pack runs with its own directory as cwd
        self.python = python or sys.executable
        self.engine = _Engine()
        self._engine_server: grpc.Server | None = None
        self._process: subprocess.Popen[bytes] | None = None
        # the pack's stderr goes to a file, not to a pipe nobody reads while the pack runs (a chatty pack
        # would fill the pipe and block mid-analysis); its tail is shown if the pack fails to start
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the pack; closed in close()
        self._channel: grpc.Channel | None = None
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None
        self.policies: dict[str, PolicyInfo] = {}
        self.levels: dict[str, str] = {}
        """Each policy's enforcement level as configured (its own default where the config says nothing)."""
        self.name = ""
        self.version = ""

    # -- lifecycle -------------------------------------------------------------------------------------
    def __enter__(self) -> PolicyPack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        self.spawn()
        self.connect()

    def spawn(self) -> None:
        """Starts the pack process; it boots (imports, loads the catalog) while the caller does other work."""
        if self._process is not None:
            return
        self._engine_server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        engine_pb2_grpc.add_EngineServicer_to_server(self.engine, self._engine_server)
        engine_port = self._engine_server.add_insecure_port("127.0.0.1:0")
        self._engine_server.start()
        env = {**os.environ, "PULUMI_DRY_RUN": "true"}
        command = [self.python, "-u", "-m", "pulumi.policy", f"127.0.0.1:{engine_port}", str(self.pack_dir)]
        self._process = subprocess.Popen(
            [self.python, "-c", _DIE_WITH_PARENT, str(os.getpid()), *command],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=str(self.pack_dir),
            env=env,
            start_new_session=True,  # its own process group: killed as a group, never left behind
        )
        _LIVE.add(self)

    @property
    def connected(self) -> bool:
        return self._stub is not None

    def connect(self) -> None:
        """Reads the port the pack prints, connects, and reads its policies (GetAnalyzerInfo)."""
        self.spawn()
        assert self._process is not None and self._process.stdout is not None
        line = _read_port(self._process, PACK_BOOT_SECONDS)
        if not line.isdigit():
            self._process.kill()
            self._process.wait(timeout=10)
            self._stderr.seek(0)
            err = self._stderr.read().decode(errors="replace").strip()
            self.close()
            why = _without_traceback(err)[-2000:] or f"no port printed within {PACK_BOOT_SECONDS:g} s"
            raise CouldNotFinish(f"the policy pack in {self.pack_dir} did not start: {why}")
        options = [("grpc.max_receive_message_length", _MAX_MESSAGE), ("grpc.max_send_message_length", _MAX_MESSAGE)]
        self._channel = grpc.insecure_channel(f"127.0.0.1:{line}", options=options)
        try:
            grpc.channel_ready_future(self._channel).result(timeout=30)
        except grpc.FutureTimeoutError:
            self.close()
            raise CouldNotFinish(f"the policy pack did not accept a connection on port {line} within 30 s") from None
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        self._read_info()

    def close(self) -> None:
        _LIVE.discard(self)
        if self._channel is not None:
            self._channel.close()
        if self._process is not None and self._process.poll() is None:
            _signal_group(self._process, signal.SIGTERM)
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _signal_group(self._process, signal.SIGKILL)
                self._process.wait(timeout=5)
        if self._process is not None and self._process.stdout is not None:
            self._process.stdout.close()
        self._stderr.close()
        if self._engine_server is not None:
            self._engine_server.stop(0)

    @property
    def stub(self) -> analyzer_pb2_grpc.AnalyzerStub:
        if self._stub is None:
            raise CouldNotFinish("the policy pack is not running")
        return self._stub

    def _call(self, method: str, request: Any, seconds: float) -> Any:
        """One call to the pack with a deadline; a pack that died or stopped answering is "could not
        finish" (exit 3), never a hang and never a traceback."""
        try:
            return getattr(self.stub, method)(request, timeout=seconds)
        except grpc.RpcError as exc:
            code = exc.code() if hasattr(exc, "code") else None
            if code == grpc.StatusCode.DEADLINE_EXCEEDED:
                raise CouldNotFinish(f"the policy pack did not answer {method} within {seconds:g} s") from None
            if code == grpc.StatusCode.UNKNOWN and self._process is not None and self._process.poll() is None:
                detail = exc.details() if hasattr(exc, "details") else str(exc)
                raise CouldNotFinish(f"the policy pack failed in {method}: {str(detail)[:500]}") from None
            status = self._process.poll() if self._process is not None else None
            state = f"it exited with status {status}" if status is not None else "it stopped answering"
            raise CouldNotFinish(f"the policy pack stopped during {method} ({state})") from None

    # -- protocol --------------------------------------------------------------------------------------
    def _read_info(self) -> None:
        info = self._call("GetAnalyzerInfo", empty_pb2.Empty(), CALL_SECONDS)
        self.name, self.version = info.name, declared_version(self.pack_dir) or info.version
        for p in info.policies:
            schema = {
                "type": "object",
                "properties": _to_python(p.configSchema.properties),
                "required": list(p.configSchema.required),
            }
            self.policies[p.name] = PolicyInfo(p.name, p.description, LEVEL_NAMES[p.enforcementLevel], schema)

    def configure(self, config: Mapping[str, Any] | None = None, source: str = "policy config") -> None:
        """Checks ``config`` against each policy's schema (as the CLI does) and sends it to the pack."""
        problems = self.check_config(config or {}, source)
        if problems:
            raise ConfigError(problems)
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        every = (config or {}).get("all")  # {"all": "<level>"}: every policy's level, unless set per policy
        for name, info in self.policies.items():
            value = (config or {}).get(name)
            level = every if isinstance(every, str) else info.level
            props: dict[str, Any] = {}
            if isinstance(value, str):
                level = value
            elif isinstance(value, dict):
                level = value.get("enforcementLevel", level)
                props = {k: v for k, v in value.items() if k != "enforcementLevel"}
            defaults = {k: s["default"] for k, s in info.config_schema["properties"].items() if "default" in s}
            self.levels[name] = level
            entry = analyzer_pb2.PolicyConfig(enforcementLevel=LEVELS[level])
            entry.properties.update({**defaults, **props})
            request.policyConfig[name].CopyFrom(entry)
        self._call("Configure", request, CALL_SECONDS)

    def check_config(self, config: Mapping[str, Any], source: str) -> list[Problem]:
        import jsonschema

        problems: list[Problem] = []
        for name, value in config.items():
            if name == "all":
                if not isinstance(value, str) or value not in LEVELS:
                    problems.append(Problem(name, f"enforcement level {value!r}; allowed: {', '.join(LEVELS)}",
                                            source))
                continue
            info = self.policies.get(name)
            if info is None:
                problems.append(Problem(name, f"no such policy; known: {', '.join(sorted(self.policies))}", source))
                continue
            if isinstance(value, str):
                if value not in LEVELS:
                    problems.append(Problem(name, f"enforcement level {value!r}; allowed: {', '.join(LEVELS)}",
                                            source))
                continue
            if not isinstance(value, dict):
                problems.append(Problem(name, "expected an enforcement level or an object", source))
                continue
            level = value.get("enforcementLevel")
            if level is not None and (not isinstance(level, str) or level not in LEVELS):
                problems.append(Problem(f"{name}.enforcementLevel", f"{level!r}; allowed: {', '.join(LEVELS)}",
                                        source))
            props = {k: v for k, v in value.items() if k != "enforcementLevel"}
            schema = {**info.config_schema, "additionalProperties": False}
            for err in jsonschema.Draft7Validator(schema).iter_errors(props):
                path = ".".join(str(p) for p in err.absolute_path)
                allowed = ", ".join(info.config_schema["properties"]) or "none"
                problems.append(Problem(f"{name}{'.' + path if path else ''}",
                                        f"{err.message} (config keys of {name}: {allowed})", source))
        return problems

    def configure_stack(self, project: str, stack: str) -> None:
        self._call("ConfigureStack", analyzer_pb2.AnalyzerStackConfigureRequest(
            project=project, stack=stack, organization="organization", dry_run=True), CALL_SECONDS)

    def analyze(self, resource: RecordedResource,
                providers: Mapping[str, RecordedResource] | None = None) -> list[Diagnostic]:
        request = analyzer_pb2.AnalyzeRequest(
            type=resource.type,
            properties=resource.properties,
            urn=resource.urn,
            name=resource.name,
            options=analyzer_pb2.AnalyzerResourceOptions(parent=resource.parent),
            provider=_provider_of(resource, providers or {}),
        )
        # A resource policy reports without a URN; the engine attributes it to the resource analyzed.
        found = self._diagnostics(self._call("Analyze", request, CALL_SECONDS).diagnostics)
        return [d if d.urn else replace(d, urn=resource.urn) for d in found]

    def analyze_stack(self, resources: Iterable[RecordedResource]) -> list[Diagnostic]:
        request = analyzer_pb2.AnalyzeStackRequest()
        listed = list(resources)
        providers = {r.urn: r for r in listed if r.type.startswith(PROVIDER_PREFIX)}
        for r in listed:
            entry = request.resources.add(
                type=r.type,
                properties=r.properties,
                urn=r.urn,
                name=r.name,
                options=analyzer_pb2.AnalyzerResourceOptions(parent=r.parent),
                parent=r.parent,
                dependencies=r.dependencies,
                provider=_provider_of(r, providers),
            )
            for key, urns in r.property_dependencies.items():
                entry.propertyDependencies[key].urns.extend(urns)
        seconds = CALL_SECONDS + STACK_SECONDS_PER_RESOURCE * len(request.resources)
        return self._diagnostics(self._call("AnalyzeStack", request, seconds).diagnostics)

    def judge(self, preview: Preview) -> list[Diagnostic]:
        """What ``pulumi preview --policy-pack`` does for one stack: Analyze each resource, then the stack."""
        self.configure_stack(preview.project, preview.stack)
        every = [*preview.providers, *preview.resources]  # the default providers first, as the engine makes them
        providers = {r.urn: r for r in every if r.type.startswith(PROVIDER_PREFIX)}
        found: list[Diagnostic] = []
        for resource in every:
            found.extend(self.analyze(resource, providers))
        found.extend(self.analyze_stack(every))
        return found

    @staticmethod
    def _diagnostics(raw: Iterable[Any]) -> list[Diagnostic]:
        return [
            Diagnostic(
                policy=d.policyName,
                level=LEVEL_NAMES.get(d.enforcementLevel, "advisory"),
                urn=d.urn,
                message=d.message,
                description=d.description,
            )
            for d in raw
        ]


def _read_port(process: subprocess.Popen[bytes], seconds: float) -> str:
    """The first line the pack prints (its port), or "" when it prints none within ``seconds``."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], seconds)
    return process.stdout.readline().decode(errors="replace").strip() if ready else ""


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    """Signals the pack's whole process group (it leads its own session), or the process where groups are
    not available."""
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError, AttributeError):
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(sig)


def _without_traceback(err: str) -> str:
    """The pack's error output without the frames of a Python traceback: the error itself, in one or two
    lines, as Backbone reports every failure (the frames are the pack's, of no use to whoever opened the PR)."""
    kept: list[str] = []
    in_frames = False
    for line in err.splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_frames = True
        elif not in_frames or (line.strip() and not line.startswith(" ")):
            in_frames = False
            kept.append(line)
    return "\n".join(kept).strip()


def close_all() -> None:
    """Stops every pack this process started (on SIGTERM, Ctrl-C or exit): nothing is left running."""
    for pack in list(_LIVE):
        with contextlib.suppress(Exception):
            pack.close()


_LIVE: set[PolicyPack] = set()
atexit.register(close_all)

# Started in place of the pack's command: on Linux it asks the kernel to kill the pack when Backbone dies, even
# by SIGKILL (PR_SET_PDEATHSIG survives exec), then becomes the pack's command. Elsewhere the process group
# and the atexit/signal handlers stop it.
_DIE_WITH_PARENT = """
import os, sys
if sys.platform.startswith("linux"):
    import ctypes, signal
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass
    if os.getppid() != int(sys.argv[1]):
        sys.exit(1)  # the parent is already gone
os.execv(sys.argv[2], sys.argv[2:])
"""


def _provider_of(resource: RecordedResource,
                 providers: Mapping[str, RecordedResource]) -> analyzer_pb2.AnalyzerProviderResource | None:
    """The resource's provider as the engine sends it to an analyzer (type, inputs, URN, name)."""
    provider = providers.get(resource.provider)
    if provider is None:
        return None
    return analyzer_pb2.AnalyzerProviderResource(type=provider.type, properties=provider.properties,
                                                 urn=provider.urn, name=provider.name)


def _to_python(struct: struct_pb2.Struct) -> dict[str, Any]:
    from google.protobuf import json_format

    return json_format.MessageToDict(struct)

