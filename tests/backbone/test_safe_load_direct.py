"""``backbone.safe_load`` on the inputs test_safe_load_bounds.py does not write: every refusal whole (the file it
names, its line or none), the node tree kept beside the values, an empty document, anchors of mappings, merge keys
(``<<``) that may repeat where other keys may not, values counted under every key of a mapping, a cycle through an
alias, and a FIFO nobody writes to read as empty instead of waiting.

The YAML facts are the YAML 1.1 spec's (yaml.org/spec/1.1) and the merge key type's (yaml.org/type/merge.html), as
PyYAML implements them; the limit (200,000 values) is docs/hostile-input.md's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from backbone.core.errors import ConfigError
from backbone.safe_load import load_yaml, read_text


def refusal(text: str) -> tuple[str, str, str | None]:
    with pytest.raises(ConfigError) as caught:
        load_yaml(text, "stack.yaml")
    [problem] = caught.value.problems
    return problem.path, problem.message, problem.file


def test_the_node_tree_is_kept_beside_the_values() -> None:
    parsed = load_yaml("a: 1\n", "stack.yaml")
    assert parsed.data == {"a": 1}
    assert isinstance(parsed.root, yaml.MappingNode)


def test_an_empty_document_has_no_values_and_no_tree() -> None:
    parsed = load_yaml("", "stack.yaml")
    assert parsed.data is None and parsed.root is None


def test_an_anchored_mapping_can_be_referred_to() -> None:
    assert load_yaml("a: &x {b: 1}\nc: *x\n", "stack.yaml").data == {"a": {"b": 1}, "c": {"b": 1}}


def test_merge_keys_may_repeat_where_other_keys_may_not() -> None:
    text = "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: *a\n  <<: *b\n"
    assert load_yaml(text, "stack.yaml").data["c"] == {"x": 1, "y": 2}
    assert refusal("c:\n  x: 1\n  x: 2\n") == (
        "(yaml)", "duplicate key 'x' (first at line 2); YAML would keep only the last value — keep one (line 3)",
        "stack.yaml")


def test_the_values_under_every_key_of_a_mapping_are_counted() -> None:
    """A list of 1,000 zeros (1,001 values) under 200 keys of one mapping: 200 × 1,002 + 1 > 200,000."""
    text = "x: &x [" + ", ".join(["0"] * 1000) + "]\nm:\n" + "".join(f"  k{i}: *x\n" for i in range(200))
    assert refusal(text) == ("(yaml)", "the document expands to more than 200,000 values (through YAML aliases or "
                                       "sheer size); Backbone reads at most that many (line 3)", "stack.yaml")


def test_an_alias_inside_its_own_anchor_is_a_cycle() -> None:
    assert refusal("a: &a [*a]\n") == (
        "(yaml)", "a YAML alias refers to a value that contains it (a cycle) (line 1)", "stack.yaml")


@pytest.mark.parametrize("text, message", [
    ("a: \x07\n", "not valid YAML: unacceptable character #x0007: special characters are not allowed"),
    ("a: 2024-13-45\n", "not valid YAML: month must be in 1..12"),  # a timestamp no calendar has
    ("a: [1", "not valid YAML at line 1, column 6: expected ',' or ']', but got '<stream end>'"),
])
def test_each_refusal_says_where_when_it_can_and_nothing_more_when_it_cannot(text: str, message: str) -> None:
    assert refusal(text) == ("(yaml)", message, "stack.yaml")


def test_a_fifo_nobody_writes_to_reads_as_empty(tmp_path: Path) -> None:
    fifo = tmp_path / "stack.yaml"
    os.mkfifo(fifo)
    assert read_text(fifo, "stack file") == ""
