"""Every process Backbone starts (the policy pack, each stack's program): in a process group of its own, dying
with Backbone, stopped as a whole group, and said plainly when it ends by itself.

- Its own session (``start_new_session``): the group is signalled as one, so whatever it forked goes with it.
- On Linux, ``PR_SET_PDEATHSIG``: the kernel kills it when Backbone dies, even by SIGKILL (``DIE_WITH_PARENT``,
  run by the child's interpreter before anything else).
- ``stop_all`` (at exit, on SIGTERM and Ctrl-C through ``backbone.analyzer.close_all``) stops what is still running.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Callable

__all__ = ["DIE_WITH_PARENT", "ended", "forget", "keep", "signal_group", "stop_all"]

DIE_WITH_PARENT = """
import os, sys
if sys.platform.startswith("linux"):
    import ctypes, signal
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass
    if os.getppid() != int(os.environ.get("BACKBONE_PARENT_PID", os.getppid())):
        os._exit(1)  # the parent is already gone
"""
"""Python run first in a child started with ``BACKBONE_PARENT_PID`` in its environment: on Linux the kernel
kills it when its parent dies (the setting survives ``exec``). Elsewhere the process group and ``stop_all`` do."""


def signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    """Signals the child's whole process group (it leads its own session), or the process where groups are
    not available."""
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError, AttributeError):
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(sig)


def ended(status: int) -> str:
    """How a child ended, as a user reads it: "exited with status 1", "was killed by signal SIGKILL"."""
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = str(-status)
        return f"was killed by signal {name}"
    return f"exited with status {status}"


_LIVE: dict[int, Callable[[], None]] = {}
_LOCK = threading.Lock()


def keep(key: int, stop: Callable[[], None]) -> None:
    """Remembers how to stop a running child (``key``: its pid) until ``forget``."""
    with _LOCK:
        _LIVE[key] = stop


def forget(key: int) -> None:
    with _LOCK:
        _LIVE.pop(key, None)


def stop_all() -> None:
    """Stops every child still running: nothing is left behind."""
    with _LOCK:
        stops = list(_LIVE.values())
        _LIVE.clear()
    for stop in stops:
        with contextlib.suppress(Exception):
            stop()


atexit.register(stop_all)
