"""``backbone size train|serve``: size a workload on every catalog instance type, ranked cheapest first.

    backbone size train --params 70B --tokens 2T --days 30 [--cloud aws] [--format json]
    backbone size serve --model llama-3-70b --context 8192 --concurrency 64 --tokens-per-second 2000
    backbone size train --workload workload.yaml --write-stack llm-train --cloud aws
    backbone size train --params 70B --tokens 2T --days 30 --prices my-rates.json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backbone.catalog_option import add_catalog_option
from backbone.components.spec import problems_of
from backbone.core import catalog
from backbone.core.catalog.pricing import LIST_PRICES, rates_of_file
from backbone.core.errors import ConfigError, Problem
from backbone.core.workload import MODEL_PRESETS, WorkloadSpec
from backbone.help_text import command_help, summary
from backbone.output import write_stdout
from backbone.project import find_project, read_project
from backbone.safe_load import load_json, load_yaml, read_text
from backbone.sizing.onprem import Comparison, OwnedInputs, compare, plot
from backbone.sizing.onprem import render_markdown as render_onprem_markdown
from backbone.sizing.onprem import render_text as render_onprem_text
from backbone.sizing.rank import size
from backbone.sizing.report import render_json, render_text
from backbone.sizing.stack import policy_notes, write_stack

__all__ = ["register", "workload_from_args"]

PREFIX = "backbone:workload"
KIND = {"train": "training", "serve": "inference"}
# Flags of each sub-command: (flag, key in backbone:workload, help). Values go to the pydantic models as
# given, so a bad one is reported the same way as in a workload file.
COUNT_HELP = "K/M/B/T suffixes, e.g. 70B"
COMMON_FLAGS: tuple[tuple[str, str, str], ...] = (
    ("--params", "params", f"total parameters ({COUNT_HELP})"),
    ("--active-params", "activeParams", "parameters active per token, for mixture-of-experts"),
)
FLAGS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "train": (
        *COMMON_FLAGS,
        ("--tokens", "tokens", "training tokens (e.g. 2T)"),
        ("--days", "days", "deadline in days"),
        ("--precision", "precision", "bf16 | fp16 | fp8 (default bf16)"),
        ("--mfu", "mfu", "model FLOPs utilization assumed (default 0.40)"),
        ("--checkpoint-interval-hours", "checkpointIntervalHours", "hours between checkpoints (default 2)"),
        ("--checkpoint-minutes", "checkpointMinutes", "minutes a checkpoint may take (default 5)"),
        ("--bytes-per-token", "bytesPerToken", "bytes of training data read per token (default 4)"),
    ),
    "serve": (
        *COMMON_FLAGS,
        ("--model", "model", f"model preset: {', '.join(MODEL_PRESETS)}"),
        ("--layers", "shape.layers", "transformer layers (without --model)"),
        ("--kv-heads", "shape.kvHeads", "key/value heads (without --model)"),
        ("--head-dim", "shape.headDim", "attention head dimension (without --model)"),
        ("--precision", "precision", "weights: fp32 | bf16 | fp16 | fp8 | int8 | int4 (default bf16)"),
        ("--kv-cache-precision", "kvCachePrecision", "KV cache: fp32 | bf16 | fp16 | fp8 | int8 (default bf16)"),
        ("--context", "context", "context length in tokens"),
        ("--concurrency", "concurrency", "concurrent sequences"),
        ("--tokens-per-second", "tokensPerSecond", "target output tokens per second"),
        ("--serving-utilization", "servingUtilization", "fraction of peak FLOP/s decode achieves (default 0.10)"),
    ),
}


def _dest(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


def _read_workload_file(path: str) -> dict[str, Any]:
    """A YAML file holding the ``backbone:workload`` mapping: bare (``kind: training …``), under its
    ``backbone:workload:`` key as the docs show it, or in a stack file that declares one."""
    data = load_yaml(read_text(Path(path), "workload file"), path).data
    if isinstance(data, dict) and isinstance(data.get("config"), dict) and PREFIX in data["config"]:
        data = data["config"][PREFIX]
    elif isinstance(data, dict) and set(data) == {PREFIX}:
        data = data[PREFIX]
    if not isinstance(data, dict):
        raise ConfigError([Problem(PREFIX, "expected a mapping with the workload's keys (kind, params, ...)",
                                   path)])
    return dict(data)


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    head, _, rest = key.partition(".")
    if rest:
        inner = data.get(head)
        data[head] = dict(inner) if isinstance(inner, dict) else {}
        _set(data[head], rest, value)
    else:
        data[head] = value


def workload_from_args(args: argparse.Namespace) -> WorkloadSpec:
    """The workload of the flags (over ``--workload FILE`` where given), validated; a ``ConfigError`` with
    one problem per fault, naming the flag or the file's config path."""
    command = args.size_command
    data: dict[str, Any] = _read_workload_file(args.workload) if args.workload else {}
    expected = KIND[command]
    if data.get("kind", expected) != expected:
        raise ConfigError([Problem(f"{PREFIX}.kind", f"`backbone size {command}` sizes kind: {expected} "
                                   f"(got {data['kind']!r}): use `backbone size "
                                   f"{'serve' if command == 'train' else 'train'}`", args.workload)])
    data["kind"] = expected
    from_flag: set[str] = set()
    for flag, key, _ in FLAGS[command]:
        value = getattr(args, _dest(flag))
        if value is not None:
            _set(data, key, value)
            from_flag.add(flag)
    try:
        return WorkloadSpec.model_validate(data)
    except ValidationError as exc:
        problems = problems_of(exc, PREFIX, args.workload)
        raise ConfigError([_located(p, command, from_flag, args.workload) for p in problems]) from None


def _located(problem: Problem, command: str, from_flag: set[str], file: str | None) -> Problem:
    """Names the flag where the value came from a flag (or nothing came from a file), else the file's path."""
    key = problem.path.removeprefix(PREFIX).removeprefix(".")
    flag = next((f for f, k, _ in FLAGS[command] if key == k or key.startswith(k + ".")), None)
    if flag is not None and (flag in from_flag or file is None):
        return Problem(flag, problem.message)
    if file is None:
        return Problem(key or "workload", problem.message)
    return problem


def _stacks_dir(args: argparse.Namespace) -> Path:
    """Where ``--write-stack`` writes: ``--stacks-dir``, else the stacks folder of the project in the current
    folder (its ``stackConfigDir``, as ``pulumi config`` uses it), never the installed package."""
    if args.stacks_dir:
        return Path(args.stacks_dir)
    here = find_project(Path.cwd())
    if here is None:
        raise ConfigError([Problem("--write-stack", "no Pulumi.yaml in the current folder: run it in the project "
                                   "the stack is for, or pass --stacks-dir DIR", str(Path.cwd()))])
    return read_project(here).stack_dir


def _run(args: argparse.Namespace) -> int:
    if args.write_stack and not args.cloud:
        raise ConfigError([Problem("--write-stack", "needs --cloud (aws, gcp or azure): the stack is on one cloud")])
    stacks_dir = _stacks_dir(args) if args.write_stack else None
    spec = workload_from_args(args)
    rates = rates_of_file(load_json(read_text(Path(args.prices), "prices file"), args.prices), args.prices) \
        if args.prices else LIST_PRICES
    try:
        sizing = size(spec.root, args.cloud, rates)
        comparison = _comparison(args, sizing)
        if args.format == "json":
            document = render_json(sizing)
            if comparison is not None:
                document["on_prem"] = comparison.to_json()
            text = json.dumps(document, indent=2, allow_nan=False)
        elif args.format == "markdown" and comparison is not None:
            text = render_onprem_markdown(comparison)
        else:
            text = render_text(sizing, limit=args.top if args.top > 0 else None)
            if comparison is not None:
                text += "\n\n" + render_onprem_text(comparison)
    except (OverflowError, ValueError) as exc:  # figures beyond what a float holds (the bounds make it rare)
        raise ConfigError([Problem("workload", f"the workload's figures are out of range for sizing ({exc}): "
                                   "check params, tokens, days and the rates")]) from None
    write_stdout(text + "\n")
    if stacks_dir is not None:  # --write-stack
        path = write_stack(sizing, spec, args.write_stack, args.cloud, stacks_dir, args.force,
                           f"backbone size {args.size_command}")
        print(f"wrote {path}", file=sys.stderr)
        best = sizing.best(args.cloud)
        for note in policy_notes(best) if best is not None else []:
            print(f"note: {note}", file=sys.stderr)
    return 0


COMPARE_FLAGS: tuple[tuple[str, str, str], ...] = (
    ("--capex-per-node", "capex_usd_per_node", "owned: capital cost of one node, USD"),
    ("--node-kw", "node_kw", "owned: a node's maximum power in kW (default: the vendor datasheet figure, "
     "where backbone/data/onprem.yaml has one)"),
    ("--pue", "pue", "owned: power usage effectiveness (default: the cited industry average)"),
    ("--usd-per-kwh", "usd_per_kwh", "owned: electricity price, USD per kWh"),
    ("--colocation-usd-per-kw-month", "colocation_usd_per_kw_month", "owned: colocation, USD per kW-month"),
    ("--operations-usd-per-node-month", "operations_usd_per_node_month", "owned: operations, USD per node-month"),
    ("--depreciation-years", "depreciation_years", "owned: years the capital is spread over"),
    ("--utilization", "utilization", "share of hours the cluster is busy, 0 to 1 (default 1: steady use)"),
    ("--commit-1y", "commit_1y_usd_per_node_hour", "cloud: your 1-year commitment rate, USD per node-hour"),
    ("--commit-3y", "commit_3y_usd_per_node_hour", "cloud: your 3-year commitment rate, USD per node-hour"),
)


def _add_compare_options(q: argparse.ArgumentParser) -> None:
    q.add_argument("--compare", choices=("on-prem",), help="compare the best option with owning the same nodes "
                   "(docs/sizing.md#cloud-versus-owned-hardware)")
    for flag, dest, help_ in COMPARE_FLAGS:
        q.add_argument(flag, dest=dest, metavar="N", help=help_)
    q.add_argument("--plot", metavar="FILE.png", help="with --compare: a PNG of the cumulative costs by month "
                   "(needs matplotlib: pip install 'backbone[plot]')")


ZERO_ALLOWED = ("colocation_usd_per_kw_month", "operations_usd_per_node_month")
"""Figures that may be zero (your own building, no extra staff); every other one must be above 0."""


def _owned_inputs(args: argparse.Namespace) -> OwnedInputs:
    values: dict[str, float] = {}
    problems: list[Problem] = []
    for flag, dest, _ in COMPARE_FLAGS:
        raw = getattr(args, dest)
        if raw is None:
            continue
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        low_ok = value >= 0 if dest in ZERO_ALLOWED else value > 0
        high = {"utilization": 1.0, "pue": 5.0, "depreciation_years": 30.0}.get(dest, 1e12)
        lowest = {"pue": 1.0}.get(dest)
        if not (math.isfinite(value) and low_ok and value <= high and (lowest is None or value >= lowest)):
            floor = f"at least {lowest:g}" if lowest else ("0 or more" if dest in ZERO_ALLOWED else "above 0")
            problems.append(Problem(flag, f"{raw!r} is not allowed; allowed: a number {floor} and at most {high:g}"))
            continue
        values[dest] = value
    if problems:
        raise ConfigError(problems)
    return OwnedInputs(**values)


def _comparison(args: argparse.Namespace, sizing: Any) -> Comparison | None:
    if args.compare is None:
        if args.plot:
            raise ConfigError([Problem("--plot", "needs --compare on-prem")])
        if args.format == "markdown":
            raise ConfigError([Problem("--format", "markdown is the comparison's format: add --compare on-prem")])
        return None
    best = sizing.best(args.cloud) if args.cloud else (sizing.options[0] if sizing.options else None)
    if best is None:
        raise ConfigError([Problem("--compare", "no instance type fits and can be priced, so there is nothing to "
                                   "compare (see the skipped reasons without --compare)")])
    comparison = compare(best, _owned_inputs(args))
    if args.plot:
        plot(comparison, args.plot)
    return comparison


def register(sub: Any) -> None:
    """Adds ``size train`` and ``size serve`` to the ``backbone`` command."""
    p = sub.add_parser("size", help=command_help("size"))
    inner = p.add_subparsers(dest="size_command", required=True, parser_class=type(p))
    for command, help_ in (("train", "size a training run"), ("serve", "size an inference service")):
        q = inner.add_parser(command, help=help_, description=summary(__doc__))
        for flag, _, flag_help in FLAGS[command]:
            q.add_argument(flag, dest=_dest(flag), help=flag_help)
        q.add_argument("--workload", metavar="FILE", help="YAML file with the backbone:workload mapping "
                       "(flags override its values)")
        q.add_argument("--cloud", choices=catalog.CLOUDS, help="only this cloud's instance types")
        q.add_argument("--prices", metavar="FILE", help="your own USD per node-hour, JSON: {\"aws\": "
                       "{\"p5.48xlarge\": 41.5}}, or a policy config file (monthly-budget prices and "
                       "discountPercent), the figures `backbone plan` budgets with")
        add_catalog_option(q)
        q.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                       help="markdown: with --compare on-prem, the comparison as a PR comment")
        _add_compare_options(q)
        q.add_argument("--top", type=int, default=20, help="text: show the N cheapest (0 or less: all; default 20)")
        q.add_argument("--write-stack", metavar="NAME", help="write stacks/Pulumi.NAME.yaml for the best option "
                       "on --cloud")
        q.add_argument("--stacks-dir", metavar="DIR",
                       help="where --write-stack writes (default: the stacks folder of the project in the current "
                            "folder, its Pulumi.yaml's stackConfigDir)")
        q.add_argument("--force", action="store_true", help="--write-stack may overwrite an existing file")
        q.set_defaults(handler=_run)
