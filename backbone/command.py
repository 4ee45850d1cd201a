"""What every judging command (``plan``, ``audit``) shares: the report options, the policy config, and writing
every report of a run (all rendered before any is written)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from backbone.analyzer import load_policy_config
from backbone.catalog_option import add_catalog_option
from backbone.core.errors import ConfigError, Problem
from backbone.output import check_output, write_file, write_stdout
from backbone.report import FORMATS, PlanReport, render

__all__ = ["add_report_options", "check_outputs", "policy_config_of", "reports_of", "write_reports"]


def reports_of(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """(format, output file or None for stdout) pairs: one report per ``--format``, each with its own
    ``--output`` in order, so that CI gets SARIF and Markdown from one plan instead of planning twice."""
    formats: list[str] = args.format or ["text"]
    outputs: list[str | None] = list(args.output or [None])
    if len(outputs) != len(formats):
        raise ConfigError([Problem("--output", f"{len(formats)} formats need {len(formats)} --output files, one "
                                   f"per --format in order (got {len(args.output or [])})")])
    return list(zip(formats, outputs, strict=True))


def policy_config_of(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    """(``--policy-config`` as read, where it came from for messages); empty without the option."""
    if not args.policy_config:
        return {}, "policy config"
    return load_policy_config(Path(args.policy_config)), args.policy_config


def check_outputs(reports: list[tuple[str, str | None]], inputs: list[Path]) -> None:
    """Refuses a report onto an input (a stack file, the policy config, a state) before any work is done."""
    for _, output in reports:
        if output is not None:
            check_output(Path(output), "--output", inputs)


def write_reports(report: PlanReport, reports: list[tuple[str, str | None]], command: str,
                  inputs: list[Path]) -> int:
    """Renders every format first (all or nothing), then writes each to its output (stdout without one),
    atomically and never onto ``inputs``; the run's exit code."""
    rendered = [(render(report, fmt), output) for fmt, output in reports]
    for text, output in rendered:
        if output is None:
            write_stdout(text)
        else:
            write_file(Path(output), text, "--output", inputs)
            print(f"backbone {command}: {report.verdict} ({len(report.stacks)} stacks) → {output}", file=sys.stderr)
    return report.exit_code


def add_report_options(p: argparse.ArgumentParser, config_help: str) -> None:
    """``--format``, ``--output``, ``--policy-config`` and ``--catalog``, the options every judging command
    takes."""
    add_catalog_option(p)
    p.add_argument("--format", choices=sorted(FORMATS), action="append",
                   help="report format (default: text); repeat it, each with its --output, for several reports "
                        "of one run")
    p.add_argument("--output", metavar="FILE", action="append",
                   help="write the report to FILE instead of stdout (one per --format when it is repeated)")
    p.add_argument("--policy-config", metavar="FILE", help=config_help)
