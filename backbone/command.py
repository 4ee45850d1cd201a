"""What every judging command (``plan``, ``audit``, ``merge``) shares: the report options, the policy config (with
its per-stack overrides and ``--waivers``), and writing every report of a run (all rendered before any is
written) with the exit code ``--fail-on`` asks for."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from backbone.analyzer import load_policy_config
from backbone.catalog_option import add_catalog_option
from backbone.core.errors import ConfigError, Problem
from backbone.output import check_output, write_file, write_stdout
from backbone.policy_config import PolicySetup
from backbone.report import FORMATS, PlanReport, render
from backbone.report.colour import use_colour
from backbone.report.model import FAIL_ON
from backbone.waivers import load_waivers

__all__ = [
    "add_output_options",
    "add_report_options",
    "check_outputs",
    "policy_config_of",
    "reports_of",
    "setup_of",
    "write_reports",
]


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


def setup_of(args: argparse.Namespace) -> PolicySetup:
    """The run's policy config: ``--policy-config`` (with its per-stack overrides) and ``--waivers``."""
    config, source = policy_config_of(args)
    waivers = tuple(load_waivers(Path(args.waivers))) if args.waivers else ()
    return PolicySetup.of(config, source, waivers)


def check_outputs(reports: list[tuple[str, str | None]], inputs: list[Path]) -> None:
    """Refuses a report onto an input (a stack file, the policy config, a state) before any work is done."""
    for _, output in reports:
        if output is not None:
            check_output(Path(output), "--output", inputs)


def write_reports(report: PlanReport, reports: list[tuple[str, str | None]], command: str,
                  inputs: list[Path], args: argparse.Namespace | None = None) -> int:
    """Renders every format first (all or nothing), then writes each to its output (stdout without one),
    atomically and never onto ``inputs``; the run's exit code (``--fail-on``). Colour only for the text report
    on a terminal; ``--quiet`` leaves out the note of each file written."""
    report = replace(report, fail_on=getattr(args, "fail_on", None) or "mandatory")
    colour = use_colour(sys.stdout, bool(getattr(args, "no_color", False)))
    rendered = [(render(report, fmt, colour=colour and output is None), output) for fmt, output in reports]
    for text, output in rendered:
        if output is None:
            write_stdout(text)
        else:
            write_file(Path(output), text, "--output", inputs)
            if not getattr(args, "quiet", False):
                print(f"backbone {command}: {report.verdict} ({len(report.stacks)} stacks) → {output}",
                      file=sys.stderr)
    return report.exit_code


def add_output_options(p: argparse.ArgumentParser) -> None:
    """``-f/--format``, ``-o/--output`` and ``--fail-on``: the options of every command that writes a verdict."""
    p.add_argument("-f", "--format", choices=sorted(FORMATS), action="append",
                   help="report format (default: text); github: workflow annotations; repeat it, each with its "
                        "--output, for several reports of one run")
    p.add_argument("-o", "--output", metavar="FILE", action="append",
                   help="write the report to FILE instead of stdout (one per --format when it is repeated)")
    p.add_argument("--fail-on", choices=FAIL_ON, default="mandatory",
                   help="what makes the exit code 1: a mandatory violation (default), any violation not waived "
                        "(advisory), or nothing (never: report only)")


def add_report_options(p: argparse.ArgumentParser, config_help: str) -> None:
    """The output options, ``-c/--policy-config``, ``--waivers`` and ``--catalog``: the options every judging
    command takes."""
    add_catalog_option(p)
    add_output_options(p)
    p.add_argument("-c", "--policy-config", metavar="FILE", help=config_help)
    p.add_argument("--waivers", metavar="FILE",
                   help="YAML waivers: accepted risks, each with policy, stack and resource globs, reason, owner and "
                        "expires (see docs/how-to/waive-a-finding.md)")
