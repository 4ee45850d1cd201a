"""How much the policy verdict adds to an offline plan, how far the program is from the SDK's floor, and
whether time grows linearly with the pools.

``python -m benchmarks.plan_speed [--sizes 10,100,1000] [--repeat 1] [--json] [--cprofile DIR]``
(``make bench``) generates stacks of 10, 100 and 1000 accelerator pools across the three clouds (one stack
per cloud, in a temporary directory), then, in one run and on the same stacks:

- floor: the SDK's own cost for the same provider resources — a hand-written program (no components, no
  parents) that registers each provider resource the bare program registered, with the same type, name,
  inputs, dependencies and aliases (pulumi_azure_native adds one per API version: 110 to an AgentPool),
  through the provider SDK's class (its args object and output properties), under the same mock monitor;
  also shown as plain ``pulumi.CustomResource``s without aliases (the SDK's registration alone);
- bare: the program alone under the mock monitor (``backbone.engine.preview_program``), per stack;
- full: ``backbone.judging.plan`` — validate every stack, start and configure the pack, preview, judge
  (Analyze per resource, AnalyzeStack), the inventory for the summary — and the text report.

It prints the time of each — CPU time (this process and the pack's, which other work on a shared machine
barely moves) and wall time — the verdict's share (goal: ≤ 25 % over bare), the time per pool, and the phases
of the full run (timers around the functions the real run calls, not a second run). With ``--repeat`` the
least disturbed run of each kind is kept.
Provider SDK imports are paid once in a warm-up, outside the timings. Timings, not assertions.

``--json`` prints only a JSON list on stdout (the narrative goes to stderr), one object per size:
``pools``, ``resources``, ``floor_cpu_s``, ``bare_cpu_s``, ``plan_cpu_s``, ``bare_wall_s``, ``plan_wall_s``.
``--cprofile DIR`` also profiles, at the largest size, the bare program and the verdict (the pack's own
servicer, in this process, answering the same Analyze and AnalyzeStack requests) and writes ``bare.prof`` /
``verdict.prof`` to DIR.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import backbone.judging as plan_module
import backbone.policies.inventory
from backbone.analyzer import PolicyPack
from backbone.engine import Preview, preview_function, preview_program
from backbone.report import render
from backbone.stackfile import PROJECT_ROOT, read_stack
from benchmarks.stacks import generate

PHASES = {
    "preview": (plan_module, "preview_program"),
    "pack connect (waits for its boot)": (PolicyPack, "connect"),
    "configure (per stack, when its config differs)": (PolicyPack, "configure"),
    "Analyze (per resource)": (PolicyPack, "analyze"),
    "AnalyzeStack": (PolicyPack, "analyze_stack"),
    "inventory for the summary": (backbone.policies.inventory, "build"),
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


@dataclass
class Bare:
    """The bare program's previews, and the aliases its provider SDK classes gave each resource."""

    previews: list[Preview]
    aliases: dict[tuple[str, str], list[Any]]


@contextmanager
def aliases_recorded(into: dict[tuple[str, str], list[Any]]) -> Iterator[None]:
    """Records the aliases each resource is constructed with (pulumi_azure_native gives an AgentPool 110, one
    per API version), so the floor registers the same. One dict append per alias: ~4 ms per 4,000 aliases."""
    import pulumi.resource

    original = pulumi.resource.collapse_alias_to_urn

    def recording(alias: Any, name: str, type_: str, parent: Any) -> Any:
        into.setdefault((type_, name), []).append(alias)
        return original(alias, name, type_, parent)

    pulumi.resource.collapse_alias_to_urn = recording  # type: ignore[assignment]
    try:
        yield
    finally:
        pulumi.resource.collapse_alias_to_urn = original


def bare(paths: list[Path]) -> tuple[Run, Bare]:
    """The program alone under the mock monitor; returns (times, the previews and aliases)."""
    stacks = [read_stack(p) for p in paths]
    aliases: dict[tuple[str, str], list[Any]] = {}
    with aliases_recorded(aliases):
        start, cpu = time.perf_counter(), cpu_seconds()
        previews = [preview_program(PROJECT_ROOT, s.name, s.config) for s in stacks]
        run = Run(time.perf_counter() - start, cpu_seconds() - cpu)
    return run, Bare(previews, aliases)


PACKAGES = {"aws": "pulumi_aws", "gcp": "pulumi_gcp", "azure-native": "pulumi_azure_native",
            "kubernetes": "pulumi_kubernetes"}


def provider_class(type_token: str) -> tuple[type[Any], type[Any]] | None:
    """The provider SDK's resource class and its args class for ``aws:eks/nodeGroup:NodeGroup``."""
    import importlib

    package, module, name = type_token.split(":")
    if package not in PACKAGES:
        return None
    for path in (module.replace("/", "."), module.split("/")[0]):
        try:
            found = importlib.import_module(f"{PACKAGES[package]}.{path}")
        except ImportError:
            continue
        cls, args = getattr(found, name, None), getattr(found, f"{name}Args", None)
        if isinstance(cls, type) and isinstance(args, type):
            return cls, args
    return None


def typed(type_token: str, name: str, inputs: dict[str, Any], opts: Any) -> Any:
    """What a provider class's constructor registers — its args object with every input (Python names) and
    every output property left unset — without re-deriving the arguments from Python keyword names."""
    import pulumi
    from pulumi import _types

    classes = provider_class(type_token)
    if classes is None:
        return pulumi.CustomResource(type_token, name, inputs, opts)
    cls, args_cls = classes
    py_name = {pulumi_name: py for py, pulumi_name in _types.input_type_py_to_pulumi_names(args_cls).items()}
    props = object.__new__(args_cls)
    for key, value in inputs.items():
        props.__dict__[py_name.get(key, key)] = value
    for output in _types._py_to_pulumi_names_from_py_properties(cls):
        props.__dict__.setdefault(output, None)
    resource = object.__new__(cls)
    pulumi.CustomResource.__init__(resource, type_token, name, props, opts)
    return resource


def hand_written(preview: Preview, aliases: dict[tuple[str, str], list[Any]] | None,
                 classes: bool = True) -> Callable[[], None]:
    """A program without components that registers the provider resources of ``preview`` directly: the same
    type, name, inputs, dependencies and aliases, through the provider SDK's class (``classes``) or as a
    plain ``CustomResource`` (``classes=False, aliases=None``: the SDK's registration alone)."""
    import pulumi

    provider_resources = [r for r in preview.resources if r.custom]

    def program() -> None:
        made: dict[str, Any] = {}
        for r in provider_resources:
            depends_on = [made[urn] for urn in r.dependencies if urn in made]
            opts = pulumi.ResourceOptions(depends_on=depends_on, aliases=(aliases or {}).get((r.type, r.name)))
            made[r.urn] = (typed(r.type, r.name, r.inputs, opts) if classes
                           else pulumi.CustomResource(r.type, r.name, r.inputs, opts))
    return program


def floor(recorded: Bare, minimum: bool = False) -> Run:
    """The SDK's floor: the same provider resources registered by a hand-written program (``minimum``: as
    plain ``CustomResource``s without aliases, the SDK's registration alone)."""
    programs = [(hand_written(p, None if minimum else recorded.aliases, classes=not minimum), p.stack)
                for p in recorded.previews]
    start, cpu = time.perf_counter(), cpu_seconds()
    for program, stack in programs:
        preview_function(program, stack)
    return Run(time.perf_counter() - start, cpu_seconds() - cpu)


def full(paths: list[Path], timers: Timers) -> tuple[Run, str]:
    start, cpu = time.perf_counter(), cpu_seconds()
    with timed_phases(timers):
        report = plan_module.plan(paths)
        render(report, "text")
    return Run(time.perf_counter() - start, cpu_seconds() - cpu), report.verdict


def share(full_s: float, bare_s: float) -> str:
    return f"{100 * (full_s - bare_s) / bare_s:+.0f} %"


def profile_analyze_stack(paths: list[Path]) -> None:
    """Where AnalyzeStack's time goes: the pack's servicer (``policies/servicer.py``) converts every resource
    once per request (deserialize + proxy + links, as ``backbone.resources`` does) and the rules share one
    inventory built from them; the rest of the RPC is the rules and gRPC. Measured here in-process, per stack,
    against the RPC itself."""
    from pulumi_policy import StackValidationPolicy

    from backbone.policies.rules import ALL_POLICIES
    from backbone.resources import policy_resources

    stack_policies = sum(isinstance(p, StackValidationPolicy) for p in ALL_POLICIES)
    print(f"\nAnalyzeStack, per stack ({stack_policies} stack policies in the pack):")
    print("  | stack | resources | convert once | inventory once | both | AnalyzeStack RPC |")
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
            backbone.policies.inventory.build(resources)
            inventory = time.perf_counter() - start
            pack.configure_stack(result.project, result.stack)
            start = time.perf_counter()
            pack.analyze_stack(result.resources)
            rpc = time.perf_counter() - start
            print(f"  | {stack.name} | {len(result.resources)} | {convert:.2f} s | {inventory:.2f} s "
                  f"| {convert + inventory:.2f} s | {rpc:.2f} s |")


def machine() -> str:
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load avg {load}"


class _InProcessStub:
    """The pack's own servicer answering in this process, so cProfile sees the verdict's work."""

    def __init__(self) -> None:
        from pulumi_policy import EnforcementLevel
        from pulumi_policy.policy import _PolicyAnalyzerServicer

        from backbone.policies.rules import ALL_POLICIES
        from backbone.policies.servicer import SharedConversionServicer, supported

        servicer = SharedConversionServicer if supported() else _PolicyAnalyzerServicer  # as the pack serves
        self.servicer = servicer("backbone", "0.0.1", ALL_POLICIES, EnforcementLevel.ADVISORY,
                                 None, None, None, None, None, None, None)

    def __getattr__(self, rpc: str) -> Callable[[Any], Any]:
        method = getattr(self.servicer, rpc)

        def call(request: Any, timeout: float | None = None) -> Any:  # the client's deadline: none here
            return method(request, None)

        return call


def _top(profile: cProfile.Profile, title: str, limit: int = 25) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(limit)
    print(f"\n== cProfile: {title} (cumulative, top {limit})\n{out.getvalue()}", file=sys.stderr)


def cprofile(paths: list[Path], directory: Path) -> None:
    """cProfile of the bare program and of the verdict (Analyze per resource + AnalyzeStack) on ``paths``."""
    directory.mkdir(parents=True, exist_ok=True)
    stacks = [read_stack(p) for p in paths]
    profile = cProfile.Profile()
    profile.enable()
    previews = [preview_program(PROJECT_ROOT, s.name, s.config) for s in stacks]
    profile.disable()
    profile.dump_stats(directory / "bare.prof")
    _top(profile, "bare program")
    pack = PolicyPack(plan_module.PACK_DIR)
    pack._stub = _InProcessStub()  # type: ignore[assignment]
    profile = cProfile.Profile()
    profile.enable()
    for preview in previews:
        pack.judge(preview)
    profile.disable()
    profile.dump_stats(directory / "verdict.prof")
    _top(profile, "verdict (the pack's servicer in-process)")


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "-"


@dataclass
class Round:
    floor: Run  # the same provider resources through their provider classes, with their aliases, by hand
    minimum: Run  # the same provider resources as plain CustomResources, no aliases: the SDK's registration
    bare: Run
    full: Run
    timers: Timers
    verdict: str


def measure(paths: list[Path], repeat: int) -> tuple[list[Round], int]:
    """``repeat`` rounds of bare, floor and full on the same stacks (interleaved, so load hits all of them)."""
    rounds = []
    resources = 0
    for _ in range(repeat):
        bare_run, recorded = bare(paths)
        resources = sum(len(p.resources) for p in recorded.previews)
        floor_run, minimum = floor(recorded), floor(recorded, minimum=True)
        timers = Timers()
        full_run, verdict = full(paths, timers)
        rounds.append(Round(floor_run, minimum, bare_run, full_run, timers, verdict))
    return rounds, resources


def parse_sizes(values: list[str]) -> list[int]:
    return [int(v) for value in values for v in value.split(",") if v]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", nargs="+", default=["10,100,1000"], help="pools, e.g. 10,100,1000")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the best of each is kept")
    parser.add_argument("--profile", action="store_true", help="also split AnalyzeStack of the largest size")
    parser.add_argument("--json", action="store_true", help="print only the JSON list of measurements")
    parser.add_argument("--cprofile", type=Path, metavar="DIR", help="cProfile bare and verdict at the largest size")
    args = parser.parse_args(argv)
    sizes = parse_sizes(args.sizes)
    def say(*parts: Any) -> None:  # with --json, stdout holds only the JSON; the narrative goes to stderr
        print(*parts, file=sys.stderr if args.json else sys.stdout)

    say(f"backbone plan speed — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {machine()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="backbone-bench-") as tmp:
        root = Path(tmp)
        warm = generate(root / "warm-up", 3)
        floor(bare(warm)[1])  # provider SDK imports, paid once
        full(warm, Timers())
        for size in sizes:
            paths = generate(root / str(size), size)
            rounds, resources = measure(paths, args.repeat)
            # The least disturbed run of each kind (other work on the machine only ever adds time).
            fl = min((r.floor for r in rounds), key=lambda r: r.cpu)
            mn = min((r.minimum for r in rounds), key=lambda r: r.cpu)
            b = min((r.bare for r in rounds), key=lambda r: r.cpu)
            best = min(rounds, key=lambda r: r.full.cpu)
            f, timers = best.full, best.timers
            rows.append({"pools": size, "resources": resources, "floor_cpu_s": round(fl.cpu, 3),
                         "bare_cpu_s": round(b.cpu, 3), "plan_cpu_s": round(f.cpu, 3),
                         "bare_wall_s": round(b.wall, 3), "plan_wall_s": round(f.wall, 3)})
            say(f"\n{size} pools, {resources} resources in 3 stacks (verdict {best.verdict})")
            say(f"  SDK alone      wall {mn.wall:7.2f} s  cpu {mn.cpu:7.2f} s  (plain CustomResources, no aliases)")
            say(f"  floor (SDK)    wall {fl.wall:7.2f} s  cpu {fl.cpu:7.2f} s  (provider classes, by hand)")
            say(f"  bare program   wall {b.wall:7.2f} s  cpu {b.cpu:7.2f} s  {1000 * b.cpu / size:6.1f} ms cpu/pool")
            say(f"  backbone plan  wall {f.wall:7.2f} s  cpu {f.cpu:7.2f} s  {1000 * f.cpu / size:6.1f} ms cpu/pool")
            say(f"  verdict adds   wall {share(f.wall, b.wall)}, cpu {share(f.cpu, b.cpu)}; "
                f"bare/floor cpu {ratio(b.cpu, fl.cpu)}")
            if len(rounds) > 1:  # how noisy: the spread of the per-round ratios
                adds = sorted(100 * (r.full.cpu - r.bare.cpu) / r.bare.cpu for r in rounds)
                over = sorted(r.bare.cpu / r.floor.cpu for r in rounds)
                say(f"  per round: verdict adds cpu {adds[0]:+.0f} % … {adds[-1]:+.0f} %, "
                    f"bare/floor {over[0]:.2f}× … {over[-1]:.2f}×")
            say("  phases of backbone plan (wall):")
            for label in PHASES:
                if timers.calls[label]:
                    say(f"    {label:<28}{timers.seconds[label]:8.2f} s  ({timers.calls[label]} calls)")
        largest = generate(root / str(max(sizes)), max(sizes))
        if args.profile:
            profile_analyze_stack(largest)
        if args.cprofile:
            cprofile(largest, args.cprofile)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("\n| pools | resources | floor cpu | bare program (cpu · wall) | backbone plan (cpu · wall) "
          "| verdict adds (cpu · wall) | bare / floor (cpu) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(f"| {row['pools']} | {row['resources']} | {row['floor_cpu_s']:.1f} s "
              f"| {row['bare_cpu_s']:.1f} s · {row['bare_wall_s']:.1f} s "
              f"| {row['plan_cpu_s']:.1f} s · {row['plan_wall_s']:.1f} s "
              f"| {share(row['plan_cpu_s'], row['bare_cpu_s'])} · {share(row['plan_wall_s'], row['bare_wall_s'])} "
              f"| {ratio(row['bare_cpu_s'], row['floor_cpu_s'])} |")
    print(f"\nfinished {datetime.now(UTC):%H:%M} UTC — {machine()}")


if __name__ == "__main__":
    main()
