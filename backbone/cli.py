"""``backbone``: plan stacks offline, print the catalog or the config schema, size a workload.

Exit codes: 0 ok; 1 a mandatory policy violation; 2 bad input (one line per problem, no traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from components.errors import BackboneError, ConfigError

__all__ = ["main"]

EXIT_OK, EXIT_VIOLATION, EXIT_BAD_INPUT = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"backbone: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _parser() -> argparse.ArgumentParser:
    from backbone import catalog_cmd, docs, plan, schema
    from backbone.sizing import cli as sizing_cli

    parser = _Parser(prog="backbone", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in (plan, sizing_cli, catalog_cmd, schema, docs):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BackboneError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
