"""What a user waits for at the command line: ``backbone --help``, one example stack's plan, every example
stack's plan — each a fresh ``backbone`` process, as a user or CI runs it, the program's and the pack's
processes included.

``python -m benchmarks.cli_speed [--repeat 5] [--stack aws-g6-serve] [--root DIR] [--json]`` (``--root``: another
checkout to measure, e.g. the base branch from ``git archive``, run from its folder with it first on the path)

Prints, per command, the median wall time of ``--repeat`` runs (and the fastest and slowest), the median CPU
time of the command and every process it started (``RUSAGE_CHILDREN``), the load average around the runs, and
the goals of issue 19 (``--help`` ≤ 0.3 s, one stack ≤ 1.2 s wall, median of 5 on 2 cores) against what this
machine measured. Figures, not assertions: on a shared machine wall time says more about the neighbours than
about Backbone; CPU time moves much less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOALS = {"help": 0.3, "one stack": 1.2}
"""Issue 19, item 9: wall seconds, median of 5 on 2 cores."""


@dataclass(frozen=True)
class Measured:
    command: str
    runs: int
    wall_median_s: float
    wall_min_s: float
    wall_max_s: float
    cpu_median_s: float
    goal_s: float | None


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(label: str, argv: list[str], repeat: int, root: Path = ROOT) -> Measured:
    """``backbone ARGV`` ``repeat`` times in the checkout ``root``; a failed run (exit 2 or 3) stops the
    benchmark."""
    walls, cpus = [], []
    env = {**os.environ, "PYTHONPATH": str(root)}
    for _ in range(repeat):
        cpu, start = _children_cpu(), time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "backbone", *argv], cwd=root, env=env, capture_output=True,
                             text=True, check=False)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)  # backbone, its pack and its programs: all reaped by now
        if run.returncode not in (0, 1):
            raise SystemExit(f"backbone {' '.join(argv)} exited {run.returncode}: {run.stderr[-2000:]}")
    return Measured(label, repeat, round(statistics.median(walls), 3), round(min(walls), 3), round(max(walls), 3),
                    round(statistics.median(cpus), 3), GOALS.get(label))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--stack", default="aws-g6-serve", help="the example stack of the one-stack plan")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--json", action="store_true", help="print only a JSON list on stdout")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    stacks = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in (root / "stacks").glob("Pulumi.*.yaml"))
    load_before = os.getloadavg()
    results = [
        measure("help", ["--help"], max(args.repeat, 5), root),
        measure("one stack", ["plan", args.stack], args.repeat, root),
        measure(f"{len(stacks)} stacks", ["plan", *stacks], max(1, args.repeat // 2), root),
    ]
    load_after = os.getloadavg()
    if args.json:
        print(json.dumps([asdict(r) for r in results]))
        return
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {load_before[0]:.1f} before, "
          f"{load_after[0]:.1f} after")
    print("| command | runs | wall (median · min … max) | CPU, all processes (median) | goal (wall) |")
    print("| --- | ---: | ---: | ---: | --- |")
    for r in results:
        goal = "" if r.goal_s is None else \
            f"≤ {r.goal_s:g} s: {'met' if r.wall_median_s <= r.goal_s else 'not met'} on this machine"
        print(f"| {r.command} | {r.runs} | {r.wall_median_s:.2f} s · {r.wall_min_s:.2f} … {r.wall_max_s:.2f} s "
              f"| {r.cpu_median_s:.2f} s | {goal} |")


if __name__ == "__main__":
    main()
