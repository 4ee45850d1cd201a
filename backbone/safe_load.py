"""Bounded parsing of every file a pull request controls (stack files, workload files, policy configs, …).

A PR author writes these files, so each one is read with stated limits before anything else looks at it:

- at most ``MAX_BYTES`` bytes (read with that bound, never the whole of a huge file);
- one YAML document; YAML aliases (``*ref``) and merge keys are allowed, but the document they expand to may
  hold at most ``MAX_NODES`` values and ``MAX_ALIASES`` aliases (an alias bomb of a few hundred bytes would
  otherwise expand to billions of values as soon as anything walks it);
- nesting at most ``MAX_DEPTH`` levels deep (YAML and JSON), checked while composing, before any recursion
  deep enough to exhaust the stack;
- no duplicate keys in a mapping (the Pulumi CLI rejects them; YAML would silently keep the last one).

Every fault is a ``ConfigError`` naming the file and the line. Limits are documented in docs/hostile-input.md.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Final

import yaml

from backbone.core.errors import ConfigError, Problem

__all__ = [
    "MAX_ALIASES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "STATE_BYTES",
    "STATE_NODES",
    "Parsed",
    "load_json",
    "load_yaml",
    "read_text",
]

MAX_BYTES: Final = 1024 * 1024
"""1 MiB: a stack file of 1,000 pools is about 150 KB."""
MAX_NODES: Final = 200_000
"""Values in one document after aliases are expanded."""
MAX_ALIASES: Final = 1_000
MAX_DEPTH: Final = 64
STATE_BYTES: Final = 64 * 1024 * 1024
"""A ``pulumi stack export`` or an earlier JSON report: real states of large stacks run to tens of MB."""
STATE_NODES: Final = 5_000_000


class Parsed:
    """A parsed YAML document: its values and its node tree (for the line of a config path)."""

    def __init__(self, data: Any, root: yaml.Node | None) -> None:
        self.data = data
        self.root = root


def read_text(path: Path, what: str, limit: int = MAX_BYTES) -> str:
    """The text of ``path``, refused beyond ``limit`` bytes or when it is not UTF-8 text."""
    try:
        # opened without blocking (a FIFO nobody writes to would wait forever), then read as usual: a pipe with
        # no writer reads as empty, one with a writer (``<(…)``) as its content
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise ConfigError([Problem("(file)", f"cannot read the {what}: {exc.strerror or exc}", str(path))]) from None
    if len(raw) > limit:
        raise ConfigError([Problem("(file)", f"the {what} is larger than {limit // 1024:,} KiB; "
                                   "Backbone reads at most that much", str(path))])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem("(file)", f"the {what} is not UTF-8 text (byte {exc.start})", str(path))]) from None


def _problem(where: str, message: str, line: int | None = None) -> ConfigError:
    at = f" (line {line})" if line is not None else ""
    return ConfigError([Problem("(yaml)", f"{message}{at}", where)])


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses depth, alias counts and duplicate keys while it composes the node tree."""

    def __init__(self, text: str, where: str) -> None:
        super().__init__(text)
        self._where = where
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                line = self.peek_event().start_mark.line + 1
                raise _problem(self._where, f"more than {MAX_ALIASES:,} YAML aliases (*ref); write the values out",
                               line)
            return super().compose_node(parent, index)  # type: ignore[no-any-return,return-value]
        self._depth += 1
        if self._depth > MAX_DEPTH:
            line = self.peek_event().start_mark.line + 1
            raise _problem(self._where, f"nested more than {MAX_DEPTH} levels deep", line)
        try:
            return super().compose_node(parent, index)  # type: ignore[no-any-return,return-value]
        finally:
            self._depth -= 1

    def compose_mapping_node(self, anchor: Any) -> yaml.MappingNode:
        node: yaml.MappingNode = super().compose_mapping_node(anchor)
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                line = key.start_mark.line + 1
                if key.value in seen:
                    raise _problem(self._where, f"duplicate key {key.value!r} (first at line {seen[key.value]}); "
                                   "YAML would keep only the last value — keep one", line)
                seen[key.value] = line
        return node


def _expanded_size(root: yaml.Node, where: str) -> None:
    """Refuses a document whose aliases expand to more than ``MAX_NODES`` values (shared nodes counted once per
    use, as anything that walks the values would visit them), in time linear in the distinct nodes."""
    size: dict[int, int] = {}
    open_: set[int] = set()  # nodes whose children are still being counted: meeting one again is a cycle
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in size:
            continue
        if not done and id(node) in open_:
            raise _problem(where, "a YAML alias refers to a value that contains it (a cycle)", node.start_mark.line + 1)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                children += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if done:
            total = 1 + sum(size[id(c)] for c in children)
            if total > MAX_NODES:
                raise _problem(where, f"the document expands to more than {MAX_NODES:,} values (through YAML "
                               "aliases or sheer size); Backbone reads at most that many", node.start_mark.line + 1)
            size[id(node)] = total
            open_.discard(id(node))
            continue
        open_.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def load_yaml(text: str, where: str) -> Parsed:
    """One YAML document, within the limits; ``Parsed.data`` is None for an empty document."""
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text, where)  # its reader refuses control characters at once
        root = loader.get_single_node()
        if root is None:
            return Parsed(None, None)
        _expanded_size(root, where)
        return Parsed(loader.construct_document(root), root)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _problem(where, f"not valid YAML{at}: {reason}") from None
    except (ValueError, TypeError, RecursionError, OverflowError) as exc:
        raise _problem(where, f"not valid YAML: {str(exc)[:200]}") from None
    finally:
        if loader is not None:
            loader.dispose()


def _json_depth_ok(data: Any, where: str, max_nodes: int = MAX_NODES) -> None:
    """Refuses JSON nested beyond ``MAX_DEPTH`` or holding more than ``MAX_NODES`` values (iteratively)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    count = 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise ConfigError([Problem("(json)", f"nested more than {MAX_DEPTH} levels deep", where)])
        if count > max_nodes:
            raise ConfigError([Problem("(json)", f"more than {max_nodes:,} values", where)])
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}; keep one")
        out[key] = value
    return out


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    """A JSON number as a float, refused where it overflows (``1e400`` would be infinity)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is beyond what a number here can hold")
    return value


def load_json(text: str, where: str, max_nodes: int = MAX_NODES) -> Any:
    """JSON within the limits: no duplicate keys, no NaN/Infinity (nor a number that overflows to it), nesting
    at most ``MAX_DEPTH``, at most ``max_nodes`` values."""
    # A cheap guard before the recursive parser: brackets nested beyond the bound cannot be valid for us.
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                raise ConfigError([Problem("(json)", f"nested more than {MAX_DEPTH} levels deep", where)])
        elif char in "]}":
            depth -= 1
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant,
                          parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise ConfigError([Problem("(json)", f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                                   where)]) from None
    except (ValueError, RecursionError) as exc:
        raise ConfigError([Problem("(json)", f"not valid JSON: {str(exc)[:200]}", where)]) from None
    _json_depth_ok(data, where, max_nodes)
    return data
