"""The program host: runs each stack's Pulumi program in a process of its own, as Pulumi's language host does.

``backbone plan`` starts it once per interpreter and folder as ``<python> -u -c <bootstrap> <this file> <control
fd> <path> <modules…>`` (``backbone.program_process``) under the project's interpreter (``--python``, the project's
``virtualenv``, or Backbone's own), in the program's folder, with the program's folder (and the project folder)
leading ``sys.path``. It imports the SDK and the modules named (the provider SDKs' packages) once, then serves as
a fork server: one forked process per stack, in a session of its own, with its own input, output and result
descriptors (``serve``). That process reads what to run as JSON on standard input, points the interpreter's own
``pulumi`` SDK at the resource monitor and engine that Backbone serves on 127.0.0.1 (the addresses the Pulumi CLI
passes as ``--monitor``/``--engine``), runs the program inside the root stack resource (``run_in_stack``, as the
language host does) and writes one JSON result to the result descriptor: how the program failed, if it did (its
own file and line), and where it called each provider function. The resources themselves travel over the monitor
protocol, never through this file.

Only the standard library and the ``pulumi`` SDK are used here, on Python 3.9 or later: the project's environment
need not hold Backbone, and nothing of Backbone's is on the program's path. ``backbone.failure`` and
``backbone.invokes`` use the same functions for a program run in Backbone's own process (``preview_function``).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import inspect
import json
import os
import runpy
import select
import signal
import socket
import sys
import traceback
import types
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

Site = tuple[str, int]
"""A program file (absolute) and a line."""

NO_PULUMI = "no-pulumi"
"""The ``kind`` of a failure when the interpreter cannot import the ``pulumi`` SDK."""
BACKBONE_ERROR = "backbone-error"
"""The ``kind`` of a failure raised as one of Backbone's own errors (Backbone's components in the program)."""

# Import names whose package on PyPI has another name. Any other ``pulumi_x`` is ``pulumi-x``.
_PACKAGES = {"yaml": "pyyaml", "jwt": "pyjwt", "dateutil": "python-dateutil", "PIL": "pillow"}
_INVOKE_FUNCTIONS = ("invoke", "invoke_single", "invoke_async", "invoke_output", "invoke_output_single")
_ERRORS_MODULE = "backbone.core.errors"


def _in_program(filename: str, root: Path) -> bool:
    path = Path(filename)
    if not path.is_absolute() or not path.is_relative_to(root):
        return False
    return not ({"site-packages", "dist-packages"} & set(path.relative_to(root).parts))


def innermost(frames: Iterable[Site], root: Path | None) -> Site | None:
    """The innermost frame inside the project folder (the program and its own modules, not a virtualenv there)."""
    if root is None:
        return None
    found = [frame for frame in frames if _in_program(frame[0], root)]
    return found[-1] if found else None


def call_site(frame: FrameType | None, root: Path | None) -> Site | None:
    """The program line that led to ``frame`` (the innermost one inside ``root``)."""
    frames: list[Site] = []
    while frame is not None:
        frames.append((frame.f_code.co_filename, frame.f_lineno))
        frame = frame.f_back
    return innermost(reversed(frames), root)


def package_for(module: str) -> str:
    """The package to ``pip install`` for a missing top-level module (``pulumi_random`` → ``pulumi-random``)."""
    top = module.split(".")[0]
    return _PACKAGES.get(top, top.replace("_", "-"))


def failure_of(exc: BaseException, root: Path | None) -> tuple[Site | None, str]:
    """The program's own error: where (the innermost program line) and what (``Type: message``, plus what to
    install for a missing module)."""
    from pulumi import RunError

    where: Site | None
    if isinstance(exc, SyntaxError) and exc.filename:
        where = (exc.filename, exc.lineno or 0)
        message = f"SyntaxError: {exc.msg}"
    else:
        where = innermost(((f.filename, f.lineno or 0) for f in traceback.extract_tb(exc.__traceback__)), root)
        detail = str(exc)
        # Pulumi's own errors (a missing config key) say what to do in their message; no type name needed
        message = detail if isinstance(exc, RunError) else f"{type(exc).__name__}: {detail}" if detail \
            else type(exc).__name__
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        message += (f" — install the package that provides it into the environment the program runs in: "
                    f"pip install {package_for(exc.name)}")
    if isinstance(exc, SystemExit):
        message = f"the program exited with status {exc.code}"
    return where, message


def output_fields(typ: Any) -> tuple[str, ...]:
    """The camelCase names of an output type's fields (``insecureValue``), as ``@pulumi.getter`` records them."""
    if typ is None:
        return ()
    return tuple(getattr(p.fget, "_pulumi_name", name) for name, p in vars(typ).items() if isinstance(p, property))


if TYPE_CHECKING:  # (an annotation only: ``X | None`` of a generic alias needs Python 3.10 at run time)
    InvokeSites = dict[str, tuple[Site | None, tuple[str, ...]]]
    """Per provider function token: where the program first called it, and its output fields."""


@contextlib.contextmanager
def noting_invoke_sites(seen: InvokeSites, output_form: set[str], root: Path | None,
                        tell: Callable[[str], None] = lambda token: None) -> Iterator[None]:
    """Provider SDKs call ``pulumi.runtime.invoke…(token, args, opts, typ)``; the program's line is on the stack
    only at that moment (the monitor answers later, on another thread), so it is noted there (the first call's
    line: several calls of one token are answered apart), and so is the output form (``get_…_output``), whose
    unknown result is an unknown output. ``tell``: a token first called in the output form, said before the
    call reaches the monitor."""
    import pulumi.runtime

    originals = {name: getattr(pulumi.runtime, name) for name in _INVOKE_FUNCTIONS if hasattr(pulumi.runtime, name)}

    def noting(original: Callable[..., Any], in_output_form: bool) -> Callable[..., Any]:
        def invoke(tok: str, *args: Any, **kwargs: Any) -> Any:
            if tok not in seen:
                typ = kwargs.get("typ", args[2] if len(args) > 2 else None)
                seen[tok] = (call_site(sys._getframe(1), root), output_fields(typ))
            if in_output_form and tok not in output_form:
                output_form.add(tok)
                tell(tok)
            return original(tok, *args, **kwargs)
        return invoke

    for name, original in originals.items():
        setattr(pulumi.runtime, name, noting(original, name.startswith("invoke_output")))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(pulumi.runtime, name, original)


@contextlib.contextmanager
def noting_registration_sites(note: Callable[[str, str, Site | None], None], root: Path | None) -> Iterator[None]:
    """Every ``Resource`` registers through ``pulumi.resource.register_resource`` on the program's thread: the
    program's line (two frames up: the SDK's ``Resource.__init__``, then the program or its component) is noted
    there, with the type and name the registration carries."""
    import pulumi.resource

    original = pulumi.resource.register_resource

    def noting(res: Any, ty: str, name: str, *args: Any, **kwargs: Any) -> Any:
        note(ty, name, call_site(sys._getframe(2), root))
        return original(res, ty, name, *args, **kwargs)

    pulumi.resource.register_resource = noting  # type: ignore[assignment]
    try:
        yield
    finally:
        pulumi.resource.register_resource = original  # type: ignore[assignment]


OUTPUT_FORM_NOTE = "backbone-host: output form: "
"""How the host tells Backbone, on the engine's log channel and before the call, that a token is called in the
output form (the monitor's answer to an unanswered call depends on it; the invoke request does not say)."""


def _tell_output_form(token: str) -> None:
    from pulumi.runtime.proto import engine_pb2
    from pulumi.runtime.settings import get_engine

    engine = get_engine()
    if engine is not None:
        engine.Log(engine_pb2.LogRequest(severity=engine_pb2.DEBUG, message=OUTPUT_FORM_NOTE + token))


def _backbone_error(exc: BaseException) -> dict[str, Any] | None:
    """One of Backbone's own errors (raised by Backbone's components): its message and problems, so that
    Backbone reports it as its own (a config fault the program found names the stack file)."""
    if not any(c.__module__ == _ERRORS_MODULE and c.__name__ == "BackboneError" for c in type(exc).__mro__):
        return None
    problems = [{"path": p.path, "message": p.message, "file": p.file} for p in getattr(exc, "problems", ())]
    return {"kind": BACKBONE_ERROR, "message": str(exc), "config": type(exc).__name__ == "ConfigError",
            "problems": problems}


class _QuietEngine:
    """The engine's client as the program's SDK uses it, except that its debug messages stay in the process when
    Backbone does not show them (``debug_logs`` false): the SDK logs three of them per resource, each a blocking
    call, about a third of a small program's time; the host's own notes (``OUTPUT_FORM_NOTE``) still go."""

    def __init__(self, stub: Any, debug: int) -> None:
        self._stub = stub
        self._debug = debug

    def Log(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.severity == self._debug and not request.message.startswith(OUTPUT_FORM_NOTE):
            return None
        return self._stub.Log(request, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stub, name)


def _engine(spec: dict[str, Any]) -> Any:
    """The engine's address, or its client with the debug messages kept back when Backbone does not show them."""
    if spec.get("debug_logs", True):
        return spec["engine"]
    import grpc
    from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

    return _QuietEngine(engine_pb2_grpc.EngineStub(grpc.insecure_channel(spec["engine"])), engine_pb2.DEBUG)


def _settings(spec: dict[str, Any]) -> Any:
    """The SDK's settings as the language host makes them, with the keywords this SDK version takes."""
    from pulumi.runtime import settings

    wanted = {"project": spec["project"], "stack": spec["stack"], "monitor": spec["monitor"],
              "engine": _engine(spec), "dry_run": True, "parallel": 0, "organization": "organization",
              "root_directory": spec["root"] or spec["cwd"]}
    taken = inspect.signature(settings.Settings).parameters
    return settings.Settings(**{k: v for k, v in wanted.items() if k in taken})


def _run(spec: dict[str, Any]) -> dict[str, Any]:
    root = Path(spec["root"]) if spec["root"] else None
    try:
        import pulumi.runtime
        from pulumi.runtime.settings import configure
        from pulumi.runtime.stack import run_in_stack
    except ImportError as exc:
        return {"failure": {"kind": NO_PULUMI, "message": f"{type(exc).__name__}: {exc}"}}
    configure(_settings(spec))
    pulumi.runtime.set_all_config(spec["config"], spec["secret_keys"])
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    seen: InvokeSites = {}
    registered: list[tuple[str, str, Site | None]] = []
    failure: dict[str, Any] | None = None

    def program() -> None:
        runpy.run_path(spec["program"], run_name="__main__")

    try:
        with noting_invoke_sites(seen, set(), root, _tell_output_form), \
                noting_registration_sites(lambda *noted: registered.append(noted), root):
            loop.run_until_complete(run_in_stack(program))
    except BaseException as exc:  # the program's own error, SystemExit included: reported, never re-raised
        failure = _backbone_error(exc)
        if failure is None:
            site, message = failure_of(exc, root)
            failure = {"kind": "program", "site": site, "message": message,
                       "run_error": isinstance(exc, pulumi.RunError)}
    return {"failure": failure, "invoke_sites": {tok: [site, list(fields)] for tok, (site, fields) in seen.items()},
            "registrations": registered, "provider_packages": provider_packages(root)}


def provider_packages(root: Path | None) -> list[str]:
    """The provider SDK modules (``pulumi_*``) the program loaded from its environment, not from its own folder:
    the host loads them before it forks the next stacks' processes. A subpackage whose ``__init__`` ran is named
    whole (the host runs it too); a module of a subpackage loaded name by name (``provider_imports``) is named
    alone; a subpackage still lazy or deferred was never used, and is left out."""
    found = []
    for name, module in list(sys.modules.items()):
        where = getattr(module, "__file__", None)
        if not name.startswith("pulumi_") or _unused(module) or not where or (root and _in_program(where, root)):
            continue
        parent = sys.modules.get(name.rpartition(".")[0])
        if getattr(module, "__path__", None) is not None or (parent is not None and _deferred(parent)):
            found.append(name)
    return sorted(found)


def _deferred(module: object) -> bool:
    return _PROVIDER_IMPORTS is not None and bool(_PROVIDER_IMPORTS.is_deferred(module))


def _unused(module: object) -> bool:
    """A provider subpackage not loaded yet: the SDK's lazy module, or one deferred name by name."""
    return type(module).__name__.startswith("_Lazy") or _deferred(module)


_PROVIDER_IMPORTS: Any = None
"""``provider_imports`` (next to this file), loaded by the host: the provider subpackages load name by name."""


def _load_provider_imports() -> Any:
    """``provider_imports.py``, run as a module of its own: this file's folder is not on the program's path."""
    path = Path(__file__).with_name("provider_imports.py")
    module = types.ModuleType("__backbone_provider_imports__")
    module.__file__ = str(path)
    sys.modules[module.__name__] = module
    exec(compile(path.read_bytes(), str(path), "exec"), module.__dict__)
    return module


def _preload(modules: list[str]) -> None:
    """Imports the SDK (and ``modules``) ahead of the programs: every program the server forks finds them imported.
    The provider SDKs' subpackages then load name by name (``provider_imports``): a module named here is loaded
    alone (``pulumi_aws.ec2.launch_template``: that module and what it imports), a subpackage named whole has its
    ``__init__`` run (``pulumi_aws.ec2``: all of its 182 modules). A module that fails here fails again where the
    program imports it, at the program's own line. The collector is off meanwhile: importing makes objects that
    live as long as the process, and collecting while they are made cost 0.06 of 0.38 s of CPU (measured on these
    imports, docs/explanation/speed.md)."""
    global _PROVIDER_IMPORTS
    gc.disable()
    try:
        for name in ("pulumi", "pulumi.runtime.settings", "pulumi.runtime.stack"):
            with contextlib.suppress(Exception):
                importlib.import_module(name)
        if _PROVIDER_IMPORTS is None:
            with contextlib.suppress(Exception):
                _PROVIDER_IMPORTS = _load_provider_imports()
                _PROVIDER_IMPORTS.install()
        for name in modules:
            with contextlib.suppress(Exception):
                _load(name)
    finally:
        gc.enable()


def _load(name: str) -> None:
    """The module ``name``, reached as a program reaches it: through its parents' attributes (a lazy or deferred
    subpackage gives its own module), then touched (a subpackage named whole runs its ``__init__``)."""
    parts = name.split(".")
    module = importlib.import_module(parts[0])
    for end in range(2, len(parts) + 1):
        child = getattr(module, parts[end - 1], None)
        module = child if isinstance(child, types.ModuleType) else importlib.import_module(".".join(parts[:end]))
    getattr(module, "__all__", None)


def serve(control: socket.socket) -> None:
    """The fork server: imports ahead, then forks one process per request and reports how each ended.

    A request is one datagram on ``control``: ``{"preload": [modules]}`` (imported first, once) with four
    descriptors: the program's standard input (its spec, as JSON), its output (standard output and error), its
    result, and a status pipe on which the server writes the process id, then, once it is reaped, how it ended
    (``os.waitstatus_to_exitcode``). Children are reaped in the SIGCHLD handler, which runs even while the server
    imports ahead for the next request. The server ends when its standard input ends (Backbone closed it, or
    died) or when it is killed."""
    statuses: dict[int, int] = {}
    """Per running child, its status pipe."""
    early: dict[int, int] = {}
    """How the children that ended before their status pipe was noted ended."""
    signal.signal(signal.SIGCHLD, lambda signum, frame: _reap(statuses, early))
    while True:
        ready, _, _ = select.select([control, 0], [], [])
        if 0 in ready and not os.read(0, 512):
            os._exit(0)
        if control in ready:
            data, fds, _, _ = socket.recv_fds(control, 65536, 4)
            _preload(json.loads(data)["preload"])
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            gc.freeze()  # what is imported stays out of the children's collections: their pages stay shared
            pid = os.fork()
            if pid == 0:
                _forked(*fds)
            for fd in fds[:3]:
                os.close(fd)
            os.write(fds[3], f"{pid}\n".encode())
            statuses[pid] = fds[3]
            if pid in early:  # it ended (and was reaped) before it was noted
                _say_end(statuses.pop(pid), early.pop(pid))


def _reap(statuses: dict[int, int], early: dict[int, int]) -> None:
    """Every child that ended: how, on its status pipe."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        code = os.waitstatus_to_exitcode(status)
        fd = statuses.pop(pid, None)
        if fd is None:
            early[pid] = code
        else:
            _say_end(fd, code)


def _say_end(fd: int, code: int) -> None:
    with contextlib.suppress(OSError):
        os.write(fd, f"{code}\n".encode())
    os.close(fd)


def _forked(spec_fd: int, output_fd: int, result_fd: int, status_fd: int) -> None:
    """In the forked process: a session and process group of its own (killed as one group, whatever it forks),
    dying with the server (which dies with Backbone), its own descriptors only; then the program."""
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _die_with_parent()
    os.dup2(spec_fd, 0)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    os.dup2(result_fd, _RESULT_FD)
    for name in os.listdir("/dev/fd"):
        if name.isdigit() and int(name) > _RESULT_FD:
            with contextlib.suppress(OSError):
                os.close(int(name))
    run_once(_RESULT_FD)


_RESULT_FD = 3
"""Where a forked program's result descriptor is placed (0–2 being its input and output)."""


def _die_with_parent() -> None:
    """On Linux, killed when the server dies (``PR_SET_PDEATHSIG``, which a fork does not inherit); elsewhere
    Backbone stops the process group."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    server = os.getppid()
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != server or server == 1:
        os._exit(1)  # the server is already gone


def run_once(result_fd: int) -> None:
    """Reads the spec on standard input, runs the program, writes the result to ``result_fd``; then ends the
    process at once (a thread the program left running does not hold it)."""
    spec = json.loads(sys.stdin.read())
    os.environ.clear()  # Backbone's environment as the program runs (``--catalog`` files included), as a process
    os.environ.update(spec["environ"])  # it started then would inherit it; not the one the host started with
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # the program reads no input, as under the Pulumi CLI
    os.close(devnull)
    try:
        result = _run(spec)
    except BaseException as exc:  # the host itself failed (a broken SDK): said, never a silent pass
        result = {"failure": {"kind": "program", "site": None, "message": f"{type(exc).__name__}: {exc}"}}
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    data = json.dumps(result, default=str).encode()
    with contextlib.suppress(OSError):
        while data:
            data = data[os.write(result_fd, data):]
    os._exit(0)


def main(argv: list[str]) -> None:
    """``argv``: this file, the control socket's descriptor, the program's ``sys.path`` folders (JSON), modules to
    import ahead. Imports ahead, then serves (``serve``)."""
    control = socket.socket(fileno=int(argv[1]))
    sys.path[:1] = list(dict.fromkeys(json.loads(argv[2])))  # in place of the "" of ``-c``: the program's folders
    _preload(argv[3:])
    serve(control)


if __name__ == "__backbone_program_host__":
    main(sys.argv)
