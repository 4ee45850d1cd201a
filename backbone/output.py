"""Writing what Backbone produces (reports, stack files) without ever damaging an input.

A file is written whole or not at all (a temporary file beside it, then an atomic rename), never onto a file
the same run reads (``--output`` naming a stack file), and never through a symlink: the link itself is replaced
(a dangling one only when the caller was told to overwrite). A full disk is "could not finish" (exit 3); a path
the user cannot write is bad input (exit 2).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from backbone.core.errors import BackboneError, ConfigError, CouldNotFinish, Problem

__all__ = ["check_output", "write_file", "write_stdout"]

_NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG}


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_output(path: Path, option: str, inputs: Iterable[Path] = (), force: bool = True,
                 what: str = "report") -> None:
    """Refuses an output path before any work is done: an input of this run, a directory, an existing file
    (or a dangling symlink) without ``force``."""
    for source in inputs:
        if _same_file(path, source):
            raise ConfigError([Problem(option, f"{path} is an input of this run; write the report elsewhere",
                                       str(path))])
    if path.is_symlink() and not path.exists() and not force:
        raise ConfigError([Problem(option, f"{path} is a symlink to a missing file ({os.readlink(path)}); "
                                   "remove it or name another file", str(path))])
    if not force and path.exists():
        raise ConfigError([Problem(option, "the file exists: pass --force to overwrite it", str(path))])
    if path.is_dir():
        raise ConfigError([Problem(option, f"cannot write the {what}: it is a directory; name a file", str(path))])


def write_file(path: Path, text: str, option: str, inputs: Iterable[Path] = (), force: bool = True,
               what: str = "report") -> None:
    """Writes ``text`` to ``path`` atomically, after ``check_output``. ``inputs`` are the files this run
    read: never overwritten. Without ``force`` an existing file (or a dangling symlink) is refused."""
    check_output(path, option, inputs, force, what)
    if path.exists() and not path.is_symlink() and not path.is_file():
        _write_special(path, text, option, what)  # /dev/stdout, a pipe: written as it is, never replaced
        return
    target = path  # a symlink is replaced by the file, never written through (it may point anywhere)
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise _fail(exc, path, option, what) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _fail(exc: OSError, path: Path, option: str, what: str) -> BackboneError:
    reason = "nothing reads from this pipe" if exc.errno == errno.ENXIO else exc.strerror or str(exc)
    if exc.errno in _NO_SPACE:
        return CouldNotFinish(f"{option} {path}: could not write the {what} ({reason}); nothing was written")
    return ConfigError([Problem(option, f"cannot write the {what}: {reason}", str(path))])


def _write_special(path: Path, text: str, option: str, what: str) -> None:
    try:
        # opened without blocking: a FIFO nobody reads is refused (ENXIO) instead of waiting forever
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.set_blocking(fd, True)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise _fail(exc, path, option, what) from None


def write_stdout(text: str) -> None:
    """Writes to standard output; a full disk or a closed pipe is "could not finish", not a traceback."""
    if sys.stdout is None:  # started with standard output closed
        raise CouldNotFinish("standard output is closed; name a file with --output")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        raise CouldNotFinish("standard output was closed before the report was written") from None
    except OSError as exc:
        _silence_stdout()
        raise CouldNotFinish(f"could not write the report to standard output ({exc.strerror or exc})") from None


def _silence_stdout() -> None:
    """After a failed write, point stdout at /dev/null so that the interpreter's final flush is quiet."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
