"""backbone: plan stacks offline, audit a deployed stack, print the catalog or the config schema, size a
workload.

Exit codes: 0 ok; 1 a policy violation at the --fail-on level (mandatory by default); 2 bad input (one line per
problem, no traceback); 3 Backbone could not finish (the pack died or missed a deadline, no space for a report,
an internal error: one line, the traceback only with --debug); 130 interrupted (Ctrl-C), 143 terminated
(SIGTERM). Every policy pack this run started is stopped before it exits.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from types import FrameType


def _interrupted_while_starting(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C while the command's modules are still importing (a second or two; nothing started yet): exit 130
    at once, without the interpreter's traceback."""
    os.write(2, b"backbone: interrupted\n")
    os._exit(130)


# Before the imports below (they take a second or two): a Ctrl-C then is an interrupt, not a traceback. Only when
# Ctrl-C raises KeyboardInterrupt as usual (an ignored SIGINT stays ignored); ``main`` restores it.
if threading.current_thread() is threading.main_thread() and \
        signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    signal.signal(signal.SIGINT, _interrupted_while_starting)

import importlib  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from backbone import __version__  # noqa: E402
from backbone.help_text import COMMANDS, EXIT_CODES, HelpFormatter, summary  # noqa: E402

if TYPE_CHECKING:
    from backbone.core.errors import Problem

__all__ = ["main"]

EXIT_OK, EXIT_VIOLATION, EXIT_BAD_INPUT, EXIT_COULD_NOT_FINISH = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"backbone: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


EXAMPLES = """examples:
  backbone plan                                  every stack of Backbone's own stacks/ folder
  backbone plan --project . -f sarif -o plan.sarif -f markdown -o plan.md
  backbone plan --waivers waivers.yaml --fail-on advisory
  backbone plan --shard 2/4 -f json -o shard-2.json && backbone merge shard-*.json -f markdown
  backbone audit state.json -f junit -o audit.xml
  backbone <command> --help                      a command's options, examples and exit codes"""


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """``--debug``, ``--quiet``, ``--no-color``, ``--progress``: before or after the subcommand. On a subcommand
    their default is ``SUPPRESS``, so that one given before it is not reset after it."""
    parser.add_argument("--debug", action="store_true", default=default,
                        help="show the traceback of an internal error")
    parser.add_argument("-q", "--quiet", action="store_true", default=default,
                        help="nothing on standard error but errors (no progress, no notes)")
    parser.add_argument("--no-color", action="store_true", default=default,
                        help="no colour (also: the NO_COLOR environment variable; colour is only ever used on a "
                             "terminal)")
    parser.add_argument("--progress", action="store_true", default=default,
                        help="progress on standard error stack by stack even when it is not a terminal (CI)")


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command's own options when ``command`` is None; else ``command``'s own
    (its module imported and registered) and the others by name and help only, so that ``backbone --help`` and
    each command start without importing every other command (seconds of imports)."""
    parser = _Parser(prog="backbone", description=summary(__doc__), epilog=f"{EXAMPLES}\n\n{EXIT_CODES}",
                     formatter_class=HelpFormatter)
    parser.add_argument("--version", action="version", version=f"backbone {__version__}")
    _global_options(parser, False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")
    chosen = {COMMANDS[command][0]} if command in COMMANDS else set()
    if command is None:
        chosen = {module for module, _ in COMMANDS.values()}
    for name, (module, help_) in COMMANDS.items():
        if name in sub.choices:
            continue
        if module in chosen:
            importlib.import_module(module).register(sub)
        else:
            sub.add_parser(name, help=help_)
    for each in sub.choices.values():
        _global_options(each, argparse.SUPPRESS)
        _plain_help(each)
    return parser


def _plain_help(parser: argparse.ArgumentParser) -> None:
    """``parser`` and the commands under it (``size train``) print plain help, ending with the exit codes."""
    parser.formatter_class = HelpFormatter
    if not parser.epilog:
        parser.epilog = EXIT_CODES
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for nested in action.choices.values():
                _plain_help(nested)


def _command_in(argv: Sequence[str]) -> str:
    """The command ``argv`` names (the first word that is not an option), or "" when it names none."""
    return next((word for word in argv if not word.startswith("-")), "")


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that every ``finally`` runs (the pack is stopped). An interrupt
    like Ctrl-C, so that whatever lets an interrupt through (the preview of a program) lets this through."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Terminated()


def _say(text: str) -> None:
    from backbone.report.escape import log_lines

    for line in log_lines(text, first="error: "):
        print(line, file=sys.stderr)


def _say_problem(problem: Problem) -> None:
    """``error: FILE: CONFIG.PATH: message``: the file and the path (which hold whatever a PR wrote as a key)
    on one line, control characters escaped; a message of several lines keeps its lines, indented."""
    from backbone.report.escape import terminal

    where = f"{terminal(problem.file)}: " if problem.file else ""
    _say(f"{where}{terminal(problem.path)}: {problem.message}")


def main(argv: Sequence[str] | None = None) -> int:
    code = _main(argv)
    if argv is None and _left_running():
        return _stop(None, code, hard=True)
    return code


def _left_running() -> bool:
    """A thread a program started and never ended: the interpreter would wait for it at exit, for ever."""
    return any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread())


def _main(argv: Sequence[str] | None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    command = _command_in(words)
    if command == "plan":  # its program host starts now, and imports while the command's modules do
        from backbone.plan_ahead import start_ahead

        start_ahead(words[words.index(command):])
    parser = _parser(command)
    if signal.getsignal(signal.SIGINT) is _interrupted_while_starting:  # imported: Ctrl-C stops what runs
        signal.signal(signal.SIGINT, signal.default_int_handler)
    args = parser.parse_args(words)
    from backbone.catalog_option import catalog_files_of, using_catalog_files
    from backbone.core.errors import BackboneError, ConfigError, CouldNotFinish

    handler: Handler = args.handler
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        with using_catalog_files(catalog_files_of(args)):
            return handler(args)
    except ConfigError as exc:
        for problem in exc.problems:
            _say_problem(problem)
        return EXIT_BAD_INPUT
    except CouldNotFinish as exc:
        _say(f"Backbone could not finish: {exc}")
        return EXIT_COULD_NOT_FINISH
    except BackboneError as exc:
        _say(str(exc))
        return EXIT_BAD_INPUT
    except _Terminated:
        return _stop("terminated", EXIT_TERMINATED, hard=argv is None)
    except KeyboardInterrupt:
        return _stop("interrupted", EXIT_INTERRUPTED, hard=argv is None)
    except (MemoryError, RecursionError) as exc:  # the input's fault, not Backbone's: bad input
        _say(f"an input too large or too deep to judge ({type(exc).__name__}); make it smaller or flatter")
        return EXIT_BAD_INPUT
    except Exception as exc:
        if getattr(args, "debug", False):
            traceback.print_exc()
        _say(f"Backbone could not finish: internal error {type(exc).__name__}: {str(exc)[:300]}"
             + ("" if getattr(args, "debug", False) else " (run with --debug for the traceback)"))
        return EXIT_COULD_NOT_FINISH
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(what: str | None, code: int, hard: bool) -> int:
    """Stops every policy pack this run started; as the ``backbone`` command (``hard``) it then exits at once:
    worker threads of the Pulumi SDK that were busy in a preview must not keep the interpreter alive (they
    would make Ctrl-C hang). Called from Python (tests), it returns the exit code."""
    from backbone.analyzer import close_all

    close_all()
    if what:
        print(f"backbone: {what}", file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # None: the command started with that descriptor closed
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    if hard:
        os._exit(code)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
