"""``--write-stack FILE``: the proposals written into a Backbone stack file as a reviewed change — the unified diff
is printed (stderr) before the file is replaced, atomically; comments and every other line stay as they are.

A pool's proposal sets ``maxNodes`` and ``minNodes`` of its ``nodePools`` entry, a file system's sets
``capacityTiB`` and ``throughputMBpsPerTiB`` of its ``storage`` entry. An entry is found by the components'
naming: the deployed resource ``{cluster}-{entry}-…`` belongs to the entry ``{entry}``.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path
from typing import Any

from backbone.core.errors import ConfigError, Problem
from backbone.output import write_file
from backbone.report.escape import terminal
from backbone.stackfile import StackFile, read_stack
from backbone.utilization.report import UtilizationReport

__all__ = ["proposed_text", "write_proposals"]

ROOT = "backbone:cluster"
KEYS = {"pool": ("nodePools", ("maxNodes", "minNodes")),
        "file-system": ("storage", ("capacityTiB", "throughputMBpsPerTiB"))}


def _entry_index(name: str, cluster: str, entries: list[str]) -> int | None:
    """The entry whose ``{cluster}-{entry}`` the resource name is or starts (the longest, when one entry's name is
    a prefix of another's): components name their children ``f"{cluster}-{entry}-<role>"``."""
    found = [(len(entry), i) for i, entry in enumerate(entries)
             if name == f"{cluster}-{entry}" or name.startswith(f"{cluster}-{entry}-")]
    return max(found)[1] if found else None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _set(lines: list[str], stack: StackFile, entry: str, key: str, value: float) -> None:
    """Replaces ``key``'s value on its line, or adds the key under the entry's first key with its indentation."""
    line = stack.lines.get(f"{entry}.{key}")
    if line is not None:
        lines[line - 1] = re.sub(rf"^(\s*(?:-\s+)?{key}\s*:\s*)([^#\s]+)", rf"\g<1>{_number(value)}", lines[line - 1])
        return
    first = stack.lines[entry]
    indent = len(re.match(r"^(\s*(?:-\s+)?)", lines[first - 1])[0])  # type: ignore[index]
    lines.insert(first, f"{' ' * indent}{key}: {_number(value)}")


def proposed_text(report: UtilizationReport, stack: StackFile, text: str) -> tuple[str, list[str]]:
    """(the stack file with the proposals, what could not be written and why)."""
    cluster = stack.config.get("backbone:cluster")
    if not isinstance(cluster, dict) or not isinstance(cluster.get("name"), str):
        raise ConfigError([Problem(ROOT, "--write-stack writes Backbone stack files (a `backbone:cluster` with a "
                                         "`name`); for any other stack, use the Markdown report", str(stack.path))])
    lines = text.splitlines()
    skipped: list[str] = []
    edits: list[tuple[int, str, str, float]] = []
    for e in report.entries:
        if not e.proposal or e.kind not in KEYS:
            continue
        section, keys = KEYS[e.kind]
        entries = cluster.get(section) or []
        names = [x.get("name", "") for x in entries if isinstance(x, dict)]
        index = _entry_index(e.name, cluster["name"], names)
        if index is None:
            skipped.append(f"{e.name}: no {section} entry of {stack.path} makes it")
            continue
        values: dict[str, Any] = {k: e.proposal[k] for k in keys if isinstance(e.proposal.get(k), int | float)}
        today = entries[index] if isinstance(entries[index], dict) else {}
        # the stack file may already ask for less (a pool) or more (a file system) than the state deployed: kept
        keep = [k for k, v in values.items() if isinstance(today.get(k), int | float)
                and (today[k] <= v if e.kind == "pool" else today[k] >= v)]
        values = {k: v for k, v in values.items() if k not in keep}
        if not values and not keep:
            skipped.append(f"{e.name}: its proposal has no figure the stack file takes ({e.message[:80]}…)")
        for key, value in values.items():
            edits.append((stack.lines[f"{ROOT}.{section}[{index}]"], f"{ROOT}.{section}[{index}]", key, value))
    # bottom-up, and in an entry its written keys before its added ones: an added line moves no line still to edit
    for _, entry, key, value in sorted(edits, key=lambda x: (-x[0], f"{x[1]}.{x[2]}" not in stack.lines, x[2])):
        _set(lines, stack, entry, key, value)
    return "\n".join(lines) + ("\n" if text.endswith("\n") else ""), skipped


def write_proposals(report: UtilizationReport, path: Path, inputs: list[Path]) -> bool:
    """Shows the diff and writes the file; False (and nothing written) when no proposal changes it."""
    stack = read_stack(path)
    text = path.read_text()
    new, skipped = proposed_text(report, stack, text)
    for why in skipped:
        print(f"backbone audit: --write-stack: not written: {terminal(why)}", file=sys.stderr)
    if new == text:
        print(f"backbone audit: --write-stack: no proposal changes {path}", file=sys.stderr)
        return False
    diff = difflib.unified_diff(text.splitlines(keepends=True), new.splitlines(keepends=True), f"{path}",
                                f"{path} (proposed)")
    sys.stderr.write("".join(terminal(line.rstrip("\n")) + "\n" for line in diff))
    write_file(path, new, "--write-stack", inputs, what="stack file")
    print(f"backbone audit: --write-stack: proposals written to {path}: review the diff above, then commit it",
          file=sys.stderr)
    return True
