"""How much the policy verdict adds to an offline plan, and whether time grows linearly with the pools.

``python -m benchmarks.plan_speed [--sizes 10 100 1000] [--repeat 1]`` (``make bench``) generates stacks of
10, 100 and 1000 accelerator pools across the three clouds (one stack per cloud, in a temporary directory),
then, in one run and on the same stacks:

- bare: the program alone under the mock monitor (``backbone.engine.preview_program``), per stack;
- full: ``backbone.plan.plan`` — validate every stack, start and configure the pack, preview, judge
  (Analyze per resource, AnalyzeStack), the inventory for the summary — and the text report.

It prints the time of each — CPU time (this process and the pack's, which other work on a shared machine
barely moves) and wall time — the verdict's share (goal: ≤ 25 % over bare), the time per pool, and the phases
of the full run (timers around the functions the real run calls, not a second run). With ``--repeat`` the
least disturbed run of each kind is kept.
Provider SDK imports are paid once in a warm-up, outside the timings. Timings, not assertions.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import backbone.plan as plan_module
import policies.inventory
from backbone.analyzer import PolicyPack
from backbone.engine import preview_program
from backbone.report import render
from backbone.stackfile import PROJECT_ROOT, read_stack
from benchmarks.stacks import generate

PHASES = {
    "preview": (plan_module, "preview_program"),
    "pack connect (waits for its boot) + configure": (plan_module, "_configure_once"),
    "Analyze (per resource)": (PolicyPack, "analyze"),
    "AnalyzeStack": (PolicyPack, "analyze_stack"),
    "inventory for the summary": (policies.inventory, "build"),
    "validate stack files": (plan_module, "validate_all"),
}


class Timers:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start
                self.calls[label] += 1
        return timed


@contextmanager
def timed_phases(timers: Timers) -> Iterator[None]:
    saved = []
    for label, (owner, name) in PHASES.items():
        original = getattr(owner, name)
        saved.append((owner, name, original))
        setattr(owner, name, timers.wrap(label, original))
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pack, once it has exited)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@dataclass
class Run:
    wall: float
    cpu: float


def bare(paths: list[Path]) -> tuple[Run, int]:
    """The program alone under the mock monitor; returns (times, resources)."""
    stacks = [read_stack(p) for p in paths]
    start, cpu = time.perf_counter(), cpu_seconds()
    resources = sum(len(preview_program(PROJECT_ROOT, s.name, s.config).resources) for s in stacks)
    return Run(time.perf_counter() - start, cpu_seconds() - cpu), resources


def full(paths: list[Path], timers: Timers) -> tuple[Run, str]:
    start, cpu = time.perf_counter(), cpu_seconds()
    with timed_phases(timers):
        report = plan_module.plan(paths)
        render(report, "text")
    return Run(time.perf_counter() - start, cpu_seconds() - cpu), report.verdict


def share(full_s: float, bare_s: float) -> str:
    return f"{100 * (full_s - bare_s) / bare_s:+.0f} %"


def profile_analyze_stack(paths: list[Path]) -> None:
    """Where AnalyzeStack's time goes: CrossGuard's servicer rebuilds every resource for each stack policy
    (deserialize + proxy + links, as ``backbone.resources`` does), and each Backbone rule builds the
    inventory from them. Measured here in-process, per stack, against the RPC itself."""
    from pulumi_policy import StackValidationPolicy

    from backbone.resources import policy_resources
    from policies.rules import ALL_POLICIES

    stack_policies = sum(isinstance(p, StackValidationPolicy) for p in ALL_POLICIES)
    print(f"\nAnalyzeStack, per stack ({stack_policies} stack policies in the pack):")
    print("  | stack | resources | convert once | inventory once | × policies | AnalyzeStack RPC |")
    print("  | --- | ---: | ---: | ---: | ---: | ---: |")
    with PolicyPack(plan_module.PACK_DIR) as pack:
        pack.configure({})
        for path in paths:
            stack = read_stack(path)
            result = preview_program(PROJECT_ROOT, stack.name, stack.config)
            policy_resources(result)  # once untimed: first-call costs
            start = time.perf_counter()
            resources = policy_resources(result)
            convert = time.perf_counter() - start
            start = time.perf_counter()
            policies.inventory.build(resources)
            inventory = time.perf_counter() - start
            pack.configure_stack(result.project, result.stack)
            start = time.perf_counter()
            pack.analyze_stack(result.resources)
            rpc = time.perf_counter() - start
            print(f"  | {stack.name} | {len(result.resources)} | {convert:.2f} s | {inventory:.2f} s "
                  f"| {stack_policies * (convert + inventory):.2f} s | {rpc:.2f} s |")


def machine() -> str:
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load avg {load}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the best of each is kept")
    parser.add_argument("--profile", action="store_true", help="also split AnalyzeStack of the largest size")
    args = parser.parse_args(argv)
    print(f"backbone plan speed — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {machine()}")
    with tempfile.TemporaryDirectory(prefix="backbone-bench-") as tmp:
        root = Path(tmp)
        warm = generate(root / "warm-up", 3)
        bare(warm)  # provider SDK imports, paid once
        full(warm, Timers())
        rows = []
        for size in args.sizes:
            paths = generate(root / str(size), size)
            runs = []
            for _ in range(args.repeat):
                bare_run, resources = bare(paths)
                timers = Timers()
                full_run, verdict = full(paths, timers)
                runs.append((bare_run, full_run, timers))
            # The least disturbed run of each kind (other work on the machine only ever adds time).
            b = min((r[0] for r in runs), key=lambda r: r.cpu)
            f, timers = min(((r[1], r[2]) for r in runs), key=lambda r: r[0].cpu)
            rows.append((size, resources, b, f))
            print(f"\n{size} pools, {resources} resources in 3 stacks (verdict {verdict})")
            print(f"  bare program   wall {b.wall:7.2f} s  cpu {b.cpu:7.2f} s  {1000 * b.cpu / size:6.1f} ms cpu/pool")
            print(f"  backbone plan  wall {f.wall:7.2f} s  cpu {f.cpu:7.2f} s  {1000 * f.cpu / size:6.1f} ms cpu/pool")
            print(f"  verdict adds   wall {share(f.wall, b.wall)}, cpu {share(f.cpu, b.cpu)}")
            print("  phases of backbone plan (wall):")
            for label in PHASES:
                if timers.calls[label]:
                    print(f"    {label:<28}{timers.seconds[label]:8.2f} s  ({timers.calls[label]} calls)")
        if args.profile:
            profile_analyze_stack(generate(root / str(max(args.sizes)), max(args.sizes)))
    print("\n| pools | resources | bare program (cpu · wall) | backbone plan (cpu · wall) | verdict adds (cpu · wall) "
          "| plan cpu per pool |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, resources, b, f in rows:
        print(f"| {size} | {resources} | {b.cpu:.1f} s · {b.wall:.1f} s | {f.cpu:.1f} s · {f.wall:.1f} s "
              f"| {share(f.cpu, b.cpu)} · {share(f.wall, b.wall)} | {1000 * f.cpu / size:.1f} ms |")
    print(f"\nfinished {datetime.now(UTC):%H:%M} UTC — {machine()}")


if __name__ == "__main__":
    main()
