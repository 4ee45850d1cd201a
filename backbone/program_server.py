"""The processes that run the stacks' programs: one program host per interpreter and folder (a fork server,
``backbone.program_host``), started ahead of the specs, and one process forked from it per program.

- Its own interpreter (``python``), working directory and ``sys.path``: the program imports its own modules
  (a top-level ``components`` package included) and its environment's provider versions, never Backbone's.
- Each program in a session and process group of its own: at its deadline the whole group is killed (SIGKILL
  cannot be ignored; whatever it forked is in the group), and so it is after a normal end: nothing is left. It
  dies with the host (``PR_SET_PDEATHSIG`` on Linux), which dies with Backbone.
- Its standard output and error are captured (one pipe, so their lines keep their order) and shown on
  Backbone's log, each line escaped, never in a report on standard output.
- What every program of the host imports (the SDK, Backbone's components, each cloud's provider packages) is
  imported once, in the host, before it forks: the plan of several stacks pays it once, not once per stack.

Only the standard library at import time: ``backbone plan`` starts the host before its own heavier imports.
``backbone.program_process`` serves the resource monitor the programs talk to.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backbone.children import DIE_WITH_PARENT, forget, keep, signal_group

if TYPE_CHECKING:
    from backbone.core.errors import ConfigError

__all__ = ["OUTPUT_LIMIT", "ProgramRun", "bad_python", "discard_prestarted", "learned_within", "prestart",
           "program_run", "server_for", "show"]

HOST = Path(__file__).resolve().with_name("program_host.py")
OUTPUT_LIMIT = 1024 * 1024
"""How much of a program's output is shown (a program printing for ever must not fill Backbone's memory)."""
_READ_SECONDS = 2.0
"""After the program's group is gone, how long its output pipes are read (a child that left the group may
still hold them)."""

_BOOT = DIE_WITH_PARENT + """
import types
path = sys.argv[1]
module = types.ModuleType("__backbone_program_host__")
module.__file__ = path
sys.modules[module.__name__] = module
del sys.argv[0]
with open(path, "rb") as handle:
    code = compile(handle.read(), path, "exec")
exec(code, module.__dict__)
"""
"""The child's ``-c`` program: dies with Backbone, then runs ``program_host.py`` as a module that is not on the
program's path (so no Backbone folder shadows the program's own packages)."""

_OUTPUT_LOCK = threading.Lock()
_PROVIDER_PACKAGE = re.compile(r"pulumi_[a-z0-9_]+(\.[A-Za-z0-9_]+)*")
_LEARNED = 500
_LEARNED_CHARS = 32_768
"""At most this many characters of learned names in all: they travel to the host in one datagram, which it reads
64 KiB at a time (a program that invents long names must not break the next stacks' forks)."""


@dataclass(frozen=True)
class ProgramRun:
    """What to run: the program's file, where, under which interpreter, for which stack and config."""

    program: Path
    cwd: Path
    path: tuple[Path, ...]
    """The folders that lead the program's ``sys.path`` (its own folder, then the project folder)."""
    root: Path | None
    """The project folder: the program's failures are located inside it (``None``: Backbone's own program)."""
    project: str
    stack: str
    config: dict[str, str]
    secret_keys: tuple[str, ...] = ()
    python: str = field(default_factory=lambda: sys.executable)
    preload: tuple[str, ...] = ()
    """Modules the host imports before it forks the program's process (Backbone's own program: its components and
    its cloud's provider packages, ``backbone.components.loads``), once for every program it forks."""
    python_source: tuple[str | None, str] = (None, "--python")
    """Where ``python`` came from (a file, or None for the command line; the option or key), for the message when
    it cannot run a program."""


def program_run(program: Path, root: Path | None, python: str | None, preload: tuple[str, ...] = (),
                **what: Any) -> ProgramRun:
    """Where and how ``program`` runs (``what``: the stack, its config); the one place that decides it."""
    path = (program / "__main__.py" if program.is_dir() else program).resolve()
    root = None if root is None else root.resolve()
    return ProgramRun(program=path, cwd=path.parent if root else Path.cwd(),
                      path=(path.parent, root) if root else (path.parent,), root=root,
                      python=python or sys.executable, preload=preload, **what)


def learned_within(packages: Iterable[object]) -> tuple[str, ...]:
    """The provider SDK module names among ``packages`` (``pulumi_*``, first seen first), at most ``_LEARNED`` of
    them and ``_LEARNED_CHARS`` characters in all."""
    kept: list[str] = []
    chars = 0
    for name in dict.fromkeys(p for p in packages if isinstance(p, str) and _PROVIDER_PACKAGE.fullmatch(p)):
        if len(kept) == _LEARNED or chars + len(name) > _LEARNED_CHARS:
            break
        kept.append(name)
        chars += len(name)
    return tuple(kept)


class _Drain(threading.Thread):
    """Reads a pipe to its end (keeping at most ``limit`` bytes), so that a program never blocks on it."""

    def __init__(self, pipe: Any, limit: int) -> None:
        super().__init__(daemon=True, name="backbone-program-output")
        self.pipe, self.limit = pipe, limit
        self.data = bytearray()
        self.dropped = 0
        self.start()

    def run(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            while chunk := self.pipe.read1(65536):
                keep_bytes = max(0, self.limit - len(self.data))
                self.data += chunk[:keep_bytes]
                self.dropped += len(chunk) - min(len(chunk), keep_bytes)


def show(stack: str, output: _Drain) -> None:
    """The program's output on Backbone's log (stderr), escaped like every log line, never in a report."""
    if not output.data and not output.dropped:
        return
    from backbone.report.escape import annotation_safe  # the report package imports the engine

    lines = output.data.decode(errors="replace").splitlines()
    with _OUTPUT_LOCK, contextlib.suppress(OSError, ValueError):
        for line in lines:
            sys.stderr.write(annotation_safe(line) + "\n")
        if output.dropped:
            sys.stderr.write(f"(stack {stack}: {output.dropped:,} more bytes of the program's output not shown)\n")
        sys.stderr.flush()


def bad_python(run: ProgramRun, message: str) -> ConfigError:
    from backbone.core.errors import ConfigError, Problem

    where, key = run.python_source  # the command line: the interpreter is the "file"; Pulumi.yaml: it is named
    return ConfigError([Problem(key, message if where is None else f"{run.python}: {message}", where or run.python)])


def _runnable(python: str) -> bool:
    return os.path.isfile(python) and os.access(python, os.X_OK)


def _check_python(run: ProgramRun) -> None:
    if not _runnable(run.python):
        raise bad_python(run, "not an executable Python interpreter; name the python of the environment that "
                               "holds the project's requirements")


class _Server:
    """A started program host (``backbone.program_host``): a fork server in a process group of its own, which
    imports the SDK (and Backbone's components) while Backbone reads the stack files, then forks one process per
    program (``fork``). Its own output (an import that prints) is shown when it stops."""

    def __init__(self, key: _Key, preload: tuple[str, ...]) -> None:
        self.key = key
        python, cwd, path = key
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            self.process = subprocess.Popen(
                [python, "-u", "-c", _BOOT, str(HOST), str(theirs.fileno()), json.dumps(path), *preload],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd,
                env={**os.environ, "BACKBONE_PARENT_PID": str(os.getpid())}, pass_fds=(theirs.fileno(),),
                start_new_session=True,  # its own process group: killed as a group, never left behind
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        keep(self.process.pid, self.stop)
        self.control = ours
        self.output = _Drain(self.process.stdout, OUTPUT_LIMIT)
        self._lock = threading.Lock()
        self.learned: tuple[str, ...] = ()
        """The provider packages the programs forked so far loaded: imported before the next fork."""

    def learn(self, packages: Iterable[object]) -> None:
        """Notes the provider packages a program loaded (an outside project's program says what it uses only by
        running), so that the stacks forked after it find them imported. The result is the program's to write:
        only names of provider SDK packages (``pulumi_*``) are kept, within ``learned_within``'s bounds."""
        with self._lock:
            self.learned = learned_within((*self.learned, *packages))

    def fork(self, preload: tuple[str, ...]) -> _Forked:
        """A process of its own for one program, forked once the server has imported ``preload``."""
        spec_read, spec_write = os.pipe()
        output_read, output_write = os.pipe()
        result_read, result_write = os.pipe()
        status_read, status_write = os.pipe()
        theirs = (spec_read, output_write, result_write, status_write)
        try:
            with self._lock:
                socket.send_fds(self.control, [json.dumps({"preload": list(preload)}).encode()], list(theirs))
        except OSError:
            pass  # the server is gone: the status pipe ends at once, and the program is said to have ended
        finally:
            for fd in theirs:
                os.close(fd)
        return _Forked(os.fdopen(spec_write, "wb"), os.fdopen(output_read, "rb"), os.fdopen(result_read, "rb"),
                       os.fdopen(status_read, "rb"))

    def stop(self) -> None:
        signal_group(self.process, signal.SIGKILL)

    def finish(self, label: str) -> None:
        self.stop()
        self.process.wait()
        forget(self.process.pid)
        self.control.close()
        self.output.join(_READ_SECONDS)
        show(label, self.output)


class _Forked:
    """One program's process, forked by a ``_Server``: its input (the spec), its output and result being read,
    and its status pipe (its process id, then how it ended)."""

    def __init__(self, spec: Any, output: Any, result: Any, status: Any) -> None:
        self.spec, self.status = spec, status
        self.output = _Drain(output, OUTPUT_LIMIT)
        self.result_pipe = result
        self.result = _Drain(result, 64 * 1024 * 1024)
        self.pid: int | None = None
        self.ended: int | None = None

    def _line(self, deadline: float | None) -> int | None:
        """The next figure on the status pipe; None when ``deadline`` passes first; the server's end (its pipe
        closed) is a kill."""
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([self.status], [], [], wait)
        if not ready:
            return None
        line = self.status.readline()
        return int(line) if line.strip() else -signal.SIGKILL

    def started(self, deadline: float | None) -> bool:
        """Whether the server has forked it (its process id read) by ``deadline``."""
        if self.pid is None:
            pid = self._line(deadline)
            if pid is None:
                return False
            self.pid = pid
            if pid < 0:  # no process id: the server ended first
                self.ended = pid
            else:
                keep(pid, self.kill)
        return True

    def wait(self, deadline: float | None) -> int | None:
        """How the process ended (``Popen.returncode``'s form), or None at ``deadline`` (monotonic seconds)."""
        if not self.started(deadline):
            return None
        if self.ended is None:
            self.ended = self._line(deadline)
        return self.ended

    def kill(self) -> None:
        if self.pid is not None and self.pid > 0:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)

    def finish(self, server: _Server) -> None:
        """Kills what is left of its group (the program's children, or the program at its deadline), waits
        until the server has reaped it, reads its pipes to their end."""
        if not self.started(time.monotonic() + _READ_SECONDS):
            server.stop()  # the server never forked it (an import ahead hangs): the server goes
        self.kill()
        self.wait(None)
        if self.pid is not None and self.pid > 0:
            forget(self.pid)
        self.output.join(_READ_SECONDS)
        self.result.join(_READ_SECONDS)
        for pipe in (self.spec, self.result_pipe, self.status):
            with contextlib.suppress(OSError):
                pipe.close()


_Key = tuple[str, str, tuple[str, ...]]
"""What a program host is started with: interpreter, working directory, ``sys.path`` folders."""
_SERVERS: dict[_Key, _Server] = {}
_SERVERS_LOCK = threading.Lock()


def _key(run: ProgramRun) -> _Key:
    return run.python, str(run.cwd), tuple(str(p) for p in run.path)


def prestart(run: ProgramRun) -> None:
    """Starts the program host for programs like ``run`` (same interpreter, folder, path) ahead of their specs: it
    imports the SDK and ``run.preload`` while Backbone reads the stack files. A bad interpreter is left for
    ``run_program`` to say (nothing heavier than the standard library is imported here)."""
    if _runnable(run.python):
        with contextlib.suppress(OSError):
            _started(run)


def discard_prestarted() -> None:
    """Stops every program host (their programs have ended by now)."""
    with _SERVERS_LOCK:
        servers = list(_SERVERS.values())
        _SERVERS.clear()
    for server in servers:
        server.finish("(program host)")


def server_for(run: ProgramRun) -> _Server:
    """The running host for ``run`` (started now if none is); an interpreter that cannot run is a ``ConfigError``."""
    _check_python(run)
    try:
        return _started(run)
    except OSError as exc:
        raise bad_python(run, f"cannot start it: {exc.strerror or exc}") from None


def _started(run: ProgramRun) -> _Server:
    with _SERVERS_LOCK:
        server = _SERVERS.get(_key(run))
        if server is None or server.process.poll() is not None:
            server = _SERVERS[_key(run)] = _Server(_key(run), run.preload)
        return server
