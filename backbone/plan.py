"""``backbone plan [STACK…]``: preview each stack offline, judge it with the policy pack, report.

Backbone's own program on its stack files, or any Pulumi Python project (``--project DIR``, or the current folder
when it holds a ``Pulumi.yaml``); judging is ``backbone.judging``'s, where a finding points ``backbone.locating``'s.

Exit codes: 0 no mandatory violation, 1 at least one, 2 bad input.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from backbone.baseline import against, read_baseline
from backbone.command import add_report_options, check_outputs, policy_config_of, reports_of, write_reports
from backbone.core.errors import ConfigError, Problem
from backbone.help_text import summary
from backbone.invokes import load_invokes
from backbone.judging import PACK_DIR, plan, plan_project
from backbone.project import Project, find_project, read_project
from backbone.stackfile import PROJECT_ROOT, find_stacks

__all__ = ["plan", "plan_project", "register", "stack_paths"]


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
    config, source = policy_config_of(args)
    baseline = read_baseline(Path(args.baseline)) if args.baseline else None
    invokes = load_invokes(Path(args.invokes)) if args.invokes else None
    project = _project_of(args)
    pack_dir = Path(args.policy_pack) if args.policy_pack else PACK_DIR
    inputs = [Path(f) for f in (args.policy_config, args.baseline, args.invokes) if f]
    if project is None:
        stacks_dir = Path(args.stacks_dir) if args.stacks_dir else PROJECT_ROOT / "stacks"
        by_name = not args.stacks or not all(_is_file(s) for s in args.stacks)
        if not args.stacks_dir and not stacks_dir.is_dir() and by_name:  # installed: no checkout's stacks/
            raise ConfigError([Problem("--project", "no Pulumi.yaml in the current folder: pass --project DIR, "
                                       "the folder of a Pulumi Python project", str(Path.cwd()))])
        paths = stack_paths(args.stacks, stacks_dir)
        check_outputs(reports, [*paths, *inputs])
        report = plan(paths, config, source, pack_dir=pack_dir, invokes=invokes,
                      unknown_invokes=args.unknown_invokes)
    else:
        paths = stack_paths(args.stacks, project.stack_dir)
        inputs += [project.root / "Pulumi.yaml"]
        check_outputs(reports, [*paths, *inputs])
        report = plan_project(project, paths, config, source, invokes, pack_dir=pack_dir,
                              unknown_invokes=args.unknown_invokes)
    inputs += paths
    if baseline is not None:
        report = against(report, baseline)
    return write_reports(report, reports, "plan", inputs)


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
    p.add_argument("--baseline", metavar="FILE",
                   help="an earlier JSON report (e.g. of the base branch): show each stack's change in accelerators "
                        "and cost, and mark each violation new or already present (exit codes do not change)")
    p.set_defaults(handler=_run)
    pack = sub.add_parser("pack-path", help="print the folder of the installed policy pack",
                          description="Prints the policy pack's folder, for "
                                      '`pulumi preview --policy-pack "$(backbone pack-path)"`.')
    pack.set_defaults(handler=_pack_path)
