"""``backbone plan [STACK…]``: preview each stack offline, judge it with the policy pack, report.

Backbone's own program on its stack files, or any Pulumi Python project (``--project DIR``, or the current folder
when it holds a ``Pulumi.yaml``); judging is ``backbone.judging``'s, where a finding points ``backbone.locating``'s.
The policy config (``--policy-config`` with its per-stack overrides, ``--waivers``) is ``backbone.policy_config``'s;
``--shard I/N`` plans a share of the stacks (``backbone.shard``).

Exit codes: 0 no violation at the ``--fail-on`` level, 1 one at least, 2 bad input, 3 could not finish.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from backbone.baseline import against, read_baseline
from backbone.command import add_report_options, check_outputs, reports_of, setup_of, write_reports
from backbone.core.errors import ConfigError, Problem
from backbone.help_text import EXIT_CODES, summary
from backbone.invokes import load_invokes
from backbone.judging import PACK_DIR, plan, plan_project
from backbone.progress import progress_for
from backbone.project import Project, find_project, read_project
from backbone.shard import Shard, parse_shard
from backbone.stackfile import PROJECT_ROOT, find_stacks

__all__ = ["plan", "plan_project", "register", "stack_paths"]

EXAMPLES = f"""examples:
  backbone plan                                   every stack in stacks/ (Backbone's own program)
  backbone plan aws-p5-train -f markdown -o plan.md
  backbone plan --project ../my-infra -c policy.json --waivers waivers.yaml
  backbone plan -f sarif -o plan.sarif -f junit -o plan.xml -f github
  backbone plan --fail-on advisory                any violation not waived fails (exit 1)
  backbone plan --shard 1/4 -f json -o shard-1.json   then: backbone merge shard-*.json -f markdown

{EXIT_CODES}"""


def _is_file(stack: str) -> bool:
    """A stack given as a file (``Pulumi.dev.yaml``, ``infra/Pulumi.dev.yaml``) rather than by name."""
    return Path(stack).suffix in (".yaml", ".yml") or Path(stack).exists()


def stack_paths(names: list[str], stacks_dir: Path) -> list[Path]:
    """Stack names (``aws-p5-train``) or files; no names: every ``Pulumi.<stack>.yaml`` in ``stacks_dir``."""
    if not names:
        found = find_stacks(stacks_dir)
        if not found:
            raise ConfigError([Problem("(stacks)", "no Pulumi.<stack>.yaml files to plan", str(stacks_dir))])
        return found
    paths = []
    for name in names:
        if _is_file(name):
            paths.append(Path(name))
        else:
            paths.append(stacks_dir / f"Pulumi.{name}.yaml")
    return paths


def _project_of(args: argparse.Namespace) -> Project | None:
    """``--project DIR``; else the current folder when it holds an outside project's ``Pulumi.yaml`` (Backbone's
    own checkout, or an explicit ``--stacks-dir``, plans Backbone's own program)."""
    if args.project:
        return read_project(Path(args.project))
    here = find_project(Path.cwd())
    if here is None or args.stacks_dir is not None or here.resolve() == PROJECT_ROOT:
        return None
    return read_project(here)


def _run(args: argparse.Namespace) -> int:
    reports = reports_of(args)
    setup = setup_of(args)
    shard = parse_shard(args.shard) if args.shard else None
    baseline = read_baseline(Path(args.baseline)) if args.baseline else None
    invokes = load_invokes(Path(args.invokes)) if args.invokes else None
    project = _project_of(args)
    pack_dir = Path(args.policy_pack) if args.policy_pack else PACK_DIR
    inputs = [Path(f) for f in (args.policy_config, args.waivers, args.baseline, args.invokes) if f]
    progress = progress_for(args.progress, args.quiet)
    if project is None:
        stacks_dir = Path(args.stacks_dir) if args.stacks_dir else PROJECT_ROOT / "stacks"
        by_name = not args.stacks or not all(_is_file(s) for s in args.stacks)
        if not args.stacks_dir and not stacks_dir.is_dir() and by_name:  # installed: no checkout's stacks/
            raise ConfigError([Problem("--project", "no Pulumi.yaml in the current folder: pass --project DIR, "
                                       "the folder of a Pulumi Python project", str(Path.cwd()))])
        paths = _share(stack_paths(args.stacks, stacks_dir), shard, args.quiet)
        check_outputs(reports, [*paths, *inputs])
        report = plan(paths, setup, pack_dir=pack_dir, invokes=invokes, unknown_invokes=args.unknown_invokes,
                      progress=progress)
    else:
        paths = _share(stack_paths(args.stacks, project.stack_dir), shard, args.quiet)
        inputs += [project.root / "Pulumi.yaml"]
        check_outputs(reports, [*paths, *inputs])
        report = plan_project(project, paths, setup, invokes=invokes, pack_dir=pack_dir,
                              unknown_invokes=args.unknown_invokes, progress=progress)
    inputs += paths
    if baseline is not None:
        report = against(report, baseline)
    return write_reports(report, reports, "plan", inputs, args)


def _share(paths: list[Path], shard: Shard | None, quiet: bool) -> list[Path]:
    """``--shard I/N``: this runner's share of the stacks (all of them without the option)."""
    if shard is None:
        return paths
    mine = shard.of(paths)
    if not quiet:
        print(f"backbone plan: shard {shard}: {len(mine)} of {len(paths)} stacks", file=sys.stderr)
    return mine


def _pack_path(args: argparse.Namespace) -> int:
    print(PACK_DIR)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("plan", help="preview stacks offline and judge them with the policy pack",
                       description=summary(__doc__))
    p.add_argument("stacks", nargs="*", help="stack names or files (default: every stack of the project)")
    p.add_argument("--project", metavar="DIR",
                   help="a Pulumi Python project (the folder holding Pulumi.yaml) to plan instead of Backbone's own "
                        "program; default: the current folder when it holds a Pulumi.yaml")
    p.add_argument("--invokes", metavar="FILE",
                   help="YAML answers to provider functions (data sources) offline: {token: result in camelCase}, "
                        "or {token: [{args: {...}, result: {...}}, ...]} to answer calls by their arguments")
    p.add_argument("--unknown-invokes", action="store_true",
                   help="judge with unknown results for the provider functions nobody answers (what depends on "
                        "them cannot be verified; the report names them) instead of stopping with exit 2")
    add_report_options(p, "policy config JSON, the same file `pulumi preview --policy-pack-config` takes")
    p.add_argument("--policy-pack", metavar="DIR",
                   help="the policy pack to judge with, as `pulumi preview --policy-pack DIR` (default: Backbone's)")
    p.add_argument("--stacks-dir", default=None, metavar="DIR",
                   help="where Backbone's own stack names are looked up (default: stacks/)")
    p.add_argument("--shard", metavar="I/N",
                   help="plan only shard I of N (1 ≤ I ≤ N): a deterministic share of the stacks, for a matrix of "
                        "runners; combine the JSON reports with backbone merge")
    p.add_argument("--baseline", metavar="FILE",
                   help="an earlier JSON report (e.g. of the base branch): show each stack's change in accelerators "
                        "and cost, and mark each violation new or already present (exit codes do not change)")
    p.set_defaults(handler=_run)
    p.epilog = EXAMPLES
    pack = sub.add_parser("pack-path", help="print the folder of the installed policy pack",
                          description="Prints the policy pack's folder, for "
                                      '`pulumi preview --policy-pack "$(backbone pack-path)"`.')
    pack.set_defaults(handler=_pack_path)
