"""What a user waits for at the command line: ``backbone --help``, one example stack's plan, every example
stack's plan — each a fresh ``backbone`` process, as a user or CI runs it, the program's and the pack's
processes included.

``python -m benchmarks.cli_speed [--repeat 5] [--stack aws-g6-serve] [--root DIR] [--base DIR] [--json]``
(``--root``: the checkout to measure, default this one; ``--base``: another checkout, e.g. main from ``git
archive``, measured in the same run, alternating with ``--root`` command by command so that both see the same
machine)

Prints, per command and checkout, the median wall time of ``--repeat`` runs (and the fastest and slowest), the
median CPU time of the command and every process it started (``RUSAGE_CHILDREN``: the pack, the program host and
the programs it forked), the load average around the runs, and then, one line each, whether the goals of issue 19
are met: ``--help`` ≤ 0.3 s and one stack ≤ 1.2 s wall, median of 5 on 2 cores. A goal is judged only on an idle
machine (load average below 1 per core before and after); on a busy one the line says "not judged" and why: wall
time then says more about the neighbours than about Backbone, CPU time much less.
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
IDLE_LOAD_PER_CORE = 1.0
"""Above this load average per core (before or after the runs), wall-time goals are not judged."""


@dataclass(frozen=True)
class Measured:
    tree: str
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


def measure(label: str, argv: list[str], repeat: int, root: Path = ROOT, tree: str = "this") -> Measured:
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
    return Measured(tree, label, repeat, round(statistics.median(walls), 3), round(min(walls), 3), round(max(walls), 3),
                    round(statistics.median(cpus), 3), GOALS.get(label))


def verdict(result: Measured, load: tuple[float, float], cores: int) -> str:
    """One line: whether ``result`` meets its goal, or why it cannot be judged here."""
    assert result.goal_s is not None
    goal = f"goal {result.command!r} ≤ {result.goal_s:g} s wall (median of {result.runs}, {result.tree})"
    busiest = max(load)
    if busiest > IDLE_LOAD_PER_CORE * cores:
        return (f"{goal}: NOT JUDGED — load average {busiest:.1f} on {cores} cores (the machine is busy); measured "
                f"{result.wall_median_s:.2f} s wall, {result.cpu_median_s:.2f} s CPU")
    met = "MET" if result.wall_median_s <= result.goal_s else "NOT MET"
    return f"{goal}: {met} — {result.wall_median_s:.2f} s wall, {result.cpu_median_s:.2f} s CPU"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--stack", default="aws-g6-serve", help="the example stack of the one-stack plan")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--base", type=Path, help="another checkout to measure in the same run (e.g. main)")
    parser.add_argument("--json", action="store_true", help="print only a JSON list on stdout")
    args = parser.parse_args(argv)
    trees = [("this", args.root.resolve())] + ([("base", args.base.resolve())] if args.base else [])
    stacks = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in (trees[0][1] / "stacks").glob("Pulumi.*.yaml"))
    commands = [("help", ["--help"], max(args.repeat, 5)), ("one stack", ["plan", args.stack], args.repeat),
                (f"{len(stacks)} stacks", ["plan", *stacks], max(1, args.repeat // 2))]
    load_before = os.getloadavg()
    results = [measure(label, argv_, repeat, root, tree) for label, argv_, repeat in commands for tree, root in trees]
    load_after = os.getloadavg()
    if args.json:
        print(json.dumps([asdict(r) for r in results]))
        return
    cores = os.cpu_count() or 1
    print(f"{cores} cores, Python {sys.version.split()[0]}, load average {load_before[0]:.1f} before, "
          f"{load_after[0]:.1f} after")
    print("| checkout | command | runs | wall (median · min … max) | CPU, all processes (median) |")
    print("| --- | --- | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r.tree} | {r.command} | {r.runs} | {r.wall_median_s:.2f} s · {r.wall_min_s:.2f} … "
              f"{r.wall_max_s:.2f} s | {r.cpu_median_s:.2f} s |")
    print()
    for r in results:
        if r.goal_s is not None and r.tree == "this":
            print(verdict(r, (load_before[0], load_after[0]), cores))


if __name__ == "__main__":
    main()
