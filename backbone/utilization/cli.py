"""The options ``backbone audit`` takes for ``--prometheus`` and what it does with them after the pack's audit."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from backbone.core.catalog.pricing import Rates
from backbone.core.errors import ConfigError, Problem
from backbone.report import PlanReport
from backbone.state import DeployedStack

__all__ = ["add_options", "check_options", "with_utilization"]


def add_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("what the cluster did (Prometheus; docs/how-to/right-size-from-metrics.md)")
    g.add_argument("--prometheus", metavar="URL",
                   help="read DCGM, kube-state-metrics, YACE (FSx) and node_exporter series from this Prometheus-"
                        "compatible API (credentials: BACKBONE_PROMETHEUS_TOKEN, or BACKBONE_PROMETHEUS_USER and "
                        "BACKBONE_PROMETHEUS_PASSWORD)")
    g.add_argument("--window", default="7d", help="how far back to read (default 7d)")
    g.add_argument("--step", default="5m", help="resolution of the series (default 5m)")
    g.add_argument("--headroom", type=float, default=0.25,
                   help="above the observed peak a proposal keeps (default 0.25 = 25 %%)")
    g.add_argument("--busy-threshold", type=float, default=10.0, metavar="PCT",
                   help="GPU utilization (%%, averaged over a step) from which a GPU counts as busy (default 10)")
    g.add_argument("--query-timeout", type=float, default=120.0, metavar="SECONDS",
                   help="deadline of each query (default 120, the cap of a Prometheus server by default)")
    g.add_argument("--max-series", type=int, default=10_000, help="refuse an answer of more series (default 10000)")
    g.add_argument("--write-stack", metavar="FILE",
                   help="write the pools' proposals (maxNodes, minNodes) and the file systems' into this Backbone "
                        "stack file, showing the diff")
    g.add_argument("--plot", metavar="DIR", help="write one PNG per pool (utilization, nodes, proposal) into DIR "
                                                 "(needs matplotlib: pip install 'backbone[plot]')")


def check_options(args: argparse.Namespace) -> None:
    """Before any work: the options that need ``--prometheus``, and the numbers' ranges."""
    problems = []
    if not args.prometheus:
        problems += [Problem(flag, "needs --prometheus URL (proposals come from what the cluster did)")
                     for flag, value in (("--write-stack", args.write_stack), ("--plot", args.plot)) if value]
    if not 0 <= args.headroom <= 4:
        problems.append(Problem("--headroom", f"{args.headroom:g}: expected a share between 0 and 4 (0.25 = 25 %)"))
    if not 0 < args.busy_threshold < 100:
        problems.append(Problem("--busy-threshold", f"{args.busy_threshold:g}: expected a percentage above 0, "
                                                    f"below 100"))
    if not 0 < args.query_timeout <= 3600:
        problems.append(Problem("--query-timeout", f"{args.query_timeout:g}: expected 1 to 3600 seconds"))
    if args.max_series < 1:
        problems.append(Problem("--max-series", f"{args.max_series}: expected at least 1"))
    if problems:
        raise ConfigError(problems)
    if args.prometheus:
        from backbone.utilization import Settings
        from backbone.utilization.prometheus import Prometheus
        Settings(args.prometheus, args.window, args.step).window_of()
        Prometheus(args.prometheus)  # the URL and the credentials in the environment
    if args.prometheus and args.write_stack:
        from backbone.stackfile import read_stack
        read_stack(Path(args.write_stack))  # a missing or broken stack file before any query


def with_utilization(report: PlanReport, state: DeployedStack, rates: Rates,
                     args: argparse.Namespace) -> PlanReport:
    """The audit report with what the cluster did; the stack file and plots written when asked."""
    if not args.prometheus:
        return report
    from backbone.utilization import Settings, read_utilization

    settings = Settings(args.prometheus, args.window, args.step, args.headroom, args.busy_threshold,
                        args.query_timeout, args.max_series)
    utilization = read_utilization(state, rates, settings)
    if not any(e.verdict != "no-data" for e in utilization.entries):
        names = ", ".join(e.name for e in utilization.entries) or "none"
        raise ConfigError([Problem("--prometheus", (
            f"no series at {utilization.url} matches a pool or file system of {state.file} over {settings.window} "
            f"(pools and file systems: {names}); pool labels seen: {', '.join(utilization.unmatched_pools) or 'none'}"
            f". Needed: kube-state-metrics' kube_node_labels with the pool label allowed, dcgm-exporter's "
            f"DCGM_FI_DEV_GPU_UTIL labelled Hostname = node name, YACE's aws_fsx_data_read_bytes_sum"))])
    if args.plot:
        from backbone.utilization.plot import write_plots
        for path in write_plots(utilization, Path(args.plot)):
            print(f"backbone audit: plot → {path}", file=sys.stderr)
    if args.write_stack:
        from backbone.utilization.stack_edit import write_proposals
        write_proposals(utilization, Path(args.write_stack), [Path(args.state)])
    return replace(report, utilization=utilization)
