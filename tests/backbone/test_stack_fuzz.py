"""Property: whatever is in a stack file — random text, random YAML, a valid stack with one value replaced —
reading and validating it either succeeds or raises ``ConfigError`` (exit 2, one line per problem), never
anything else; and ``backbone plan`` on a file that does not validate exits 2 with no traceback."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from backbone.cli import main
from backbone.components.spec import from_config
from backbone.core.errors import ConfigError
from backbone.stackfile import read_stack
from tests.nested_paths import paths

VALID: dict[str, Any] = {
    "config": {
        "backbone:cluster": {
            "cloud": "aws",
            "name": "fuzz",
            "region": "us-east-1",
            "zone": "us-east-1a",
            "nodePools": [
                {"name": "h100", "instanceType": "p5.48xlarge", "purpose": "training", "minNodes": 0,
                 "maxNodes": 4},
            ],
            "storage": [{"name": "scratch", "kind": "lustre", "capacityTiB": 4.8, "throughputMBpsPerTiB": 250}],
            "network": {"cidr": "10.0.0.0/16"},
        }
    }
}

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["aws", "gcp", "azure", "p5.48xlarge", "training", "lustre", "us-east-1a", "1", "2x2x4"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.text(max_size=12), st.integers()), inner, max_size=4)),
    max_leaves=12,
)


PATHS = paths(VALID)


@st.composite
def mutated_stacks(draw: st.DrawFn) -> Any:
    """The valid stack with one value replaced, one entry deleted, or one unknown key added."""
    data = copy.deepcopy(VALID)
    path = draw(st.sampled_from(PATHS))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace":
        parent[path[-1]] = draw(values)
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=10))] = draw(values)
    return data


def dump(data: Any) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:  # e.g. a float key YAML cannot represent: write its text instead
        return str(data)


files = st.one_of(
    st.text(max_size=200),
    st.builds(lambda v: dump({"config": {"backbone:cluster": v}}), values),
    st.builds(lambda v: dump({"config": {**VALID["config"], "backbone:workload": v}}), values),
    st.builds(lambda v: dump({"config": v}), values),
    st.builds(dump, mutated_stacks()),
)


def check(tmp: Path, text: str) -> bool:
    """True if the file validates; False if it raised ConfigError. Anything else fails the test."""
    path = tmp / "Pulumi.fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        stack = read_stack(path)
        from_config(stack.config, file=str(path))
    except ConfigError as exc:
        assert exc.problems and all(p.path and p.message for p in exc.problems)
        return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=files)
@example(text="config:\n backbone:cluster: \n  function-:")  # once an IndexError: a key like a validator step
def test_reading_and_validating_a_stack_file_fails_only_with_config_error(tmp_path: Path, text: str) -> None:
    check(tmp_path, text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=files)
def test_plan_on_a_file_that_does_not_validate_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assume(not check(tmp_path, text))  # a valid one would run the whole program: covered elsewhere
    capsys.readouterr()
    code = main(["plan", str(tmp_path / "Pulumi.fuzz.yaml")])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == "" and "Traceback" not in err
    assert all(line.startswith("error: ") and "Pulumi.fuzz.yaml: " in line for line in err.strip().split("\n"))
