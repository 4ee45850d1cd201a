"""The score of a ``mutmut run`` (``make mutate``): reads mutmut's per-file results (``mutants/**/*.py.meta``),
writes every mutant that was not killed to ``mutants/not-killed.txt`` and ends with one line,
``mutation score: K killed of N (P %)``. Exit 1 under ``--min`` percent, 2 when there are no results to read or
(without ``--partial``) some mutants were never checked.

Killed: a test failed (mutmut exit codes 1 and 3) or the mutant made the tests run past their deadline (a
timeout: the change was noticed). Every other mutant counts against the score: survived, no covering test,
suspicious, skipped. ``--partial`` scores a run that was stopped early over the mutants it checked, and says how
many it did not."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3}
TIMEOUT = {36, -24, 24, 152, 255}
NAMES = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 35: "suspicious", None: "not checked",
         37: "caught by type check", -11: "segfault", -9: "segfault"}


def outcomes(root: Path) -> dict[str, int | None]:
    """Every mutant's exit code, by mutmut's mutant name."""
    found: dict[str, int | None] = {}
    for meta in sorted(root.rglob("*.py.meta")):
        found.update(json.loads(meta.read_text())["exit_code_by_key"])
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=0.0, help="fail (exit 1) under this percent killed")
    parser.add_argument("--root", type=Path, default=Path("mutants"))
    parser.add_argument("--partial", action="store_true", help="score the checked mutants of a stopped run")
    args = parser.parse_args(argv)
    every = outcomes(args.root)
    unchecked = sum(1 for c in every.values() if c is None)
    if unchecked:
        print(f"  not checked: {unchecked} of {len(every)} mutants", file=sys.stderr)
        if not args.partial:
            print("mutation score: the run did not check every mutant (see mutate.log)", file=sys.stderr)
            return 2
    codes = {name: code for name, code in every.items() if code is not None}
    if not codes:  # nothing checked
        print(f"mutation score: no results under {args.root}/ (did `mutmut run` finish?)", file=sys.stderr)
        return 2
    killed = sum(1 for c in codes.values() if c in KILLED or c in TIMEOUT)
    missed = {name: NAMES.get(code, f"exit {code}") for name, code in codes.items()
              if code not in KILLED and code not in TIMEOUT}
    (args.root / "not-killed.txt").write_text("".join(f"{n}\t{why}\n" for n, why in sorted(missed.items())))
    for why, count in sorted(Counter(missed.values()).items()):
        print(f"  {why}: {count}")
    per_module = Counter(name.rsplit(".", 1)[0].split(".x")[0] for name in missed)
    for module, count in per_module.most_common(10):
        print(f"  not killed in {module}: {count}")
    percent = 100.0 * killed / len(codes)
    checked = f" checked, {unchecked} not checked" if unchecked else ""
    print(f"mutation score: {killed} killed of {len(codes)}{checked} ({percent:.1f} %)")
    return 1 if percent < args.min else 0


if __name__ == "__main__":
    sys.exit(main())
