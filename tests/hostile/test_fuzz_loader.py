"""Fuzz target over the stack-file loader: any bytes, and YAML built from anchors, aliases, merge keys,
duplicate keys, deep nesting and odd scalars, either load or fail with a ``ConfigError`` naming the file —
nothing else escapes, and nothing takes long. ``BACKBONE_FUZZ_EXAMPLES=20000 pytest tests/hostile/test_fuzz_loader.py``
runs it longer than CI does."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backbone.core.errors import ConfigError
from backbone.stackfile import read_stack

EXAMPLES = int(os.environ.get("BACKBONE_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                              HealthCheck.too_slow])

SCALARS = st.sampled_from(["1", "yes", "~", "null", "1e309", "-.inf", ".nan", "0x10", "'a'", '"\\x1b"', "<b>",
                           "2001-01-01", "!!binary aGk=", "!!python/object:os.system {}", "`x`", "*a", "&a 1",
                           "{", "]", "<<: *a", "'''", "\t"])
KEYS = st.sampled_from(["config", "backbone:cluster", "aws:region", "maxNodes", "a", "<<", "? x", "a"])


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> str:
    """A YAML-ish document: nested mappings and lists with anchors, aliases and odd scalars, by indentation."""
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 5))):
        key = draw(KEYS)
        anchor = draw(st.sampled_from(["", " &a", " &b"]))
        if depth < 4 and draw(st.booleans()):
            inner = draw(documents(depth + 1))
            lines.append(f"{key}:{anchor}")
            lines += ["  " + line for line in inner.splitlines()]
        elif draw(st.booleans()):
            items = draw(st.lists(st.one_of(SCALARS, st.just("*a"), st.just("*b")), max_size=6))
            lines.append(f"{key}:{anchor} [{', '.join(items)}]")
        else:
            lines.append(f"{key}:{anchor} {draw(SCALARS)}")
    return "\n".join(lines) + "\n"


def _load(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "Pulumi.fuzz.yaml"
    path.write_bytes(raw)
    try:
        stack = read_stack(path)
    except ConfigError as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)
        return
    assert isinstance(stack.config, dict)


@FUZZ
@given(st.binary(max_size=2_000))
def test_any_bytes_load_or_fail_with_a_config_error(tmp_path: Path, raw: bytes) -> None:
    _load(tmp_path, raw)


@FUZZ
@given(documents())
def test_any_yaml_structure_loads_or_fails_with_a_config_error(tmp_path: Path, text: str) -> None:
    _load(tmp_path, ("config:\n" + "".join("  " + line + "\n" for line in text.splitlines())).encode())
    _load(tmp_path, text.encode())
