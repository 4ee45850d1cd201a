"""The bounds of ``backbone.safe_load`` exactly at, and one past, the limits docs/hostile-input.md states
(200,000 values after YAML aliases, 1,000 aliases, 64 levels of nesting), and duplicate keys refused in JSON
as in YAML (RFC 8259 §4: names SHOULD be unique; the Pulumi CLI refuses duplicates in its YAML)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone.core.errors import ConfigError, Problem
from backbone.safe_load import load_json, load_yaml, read_text

VALUES = 200_000
ALIASES = 1_000
DEPTH = 64


def _expanding_to(values: int) -> str:
    """A YAML sequence that expands to ``values`` values through 998 aliases of one anchored list: the root
    (1) + 999 lists of 1 + 199 scalars (199,800) + the rest as plain scalars at the root."""
    shared = "[" + ", ".join(["0"] * 199) + "]"
    lines = [f"- &x {shared}", *["- *x"] * 998]
    lines += ["- 1"] * (values - 1 - 999 * 200)
    return "\n".join(lines) + "\n"


def test_a_document_expanding_to_exactly_the_value_limit_is_read() -> None:
    data = load_yaml(_expanding_to(VALUES), "at.yaml").data
    assert len(data) == 999 + (VALUES - 1 - 999 * 200)


def test_one_value_past_the_limit_is_refused() -> None:
    with pytest.raises(ConfigError, match="expands to more than 200,000 values"):
        load_yaml(_expanding_to(VALUES + 1), "past.yaml")


def _aliases(count: int) -> str:
    return "a: &x 1\nb:\n" + "".join("  - *x\n" for _ in range(count))


def test_exactly_the_alias_limit_is_read() -> None:
    assert len(load_yaml(_aliases(ALIASES), "at.yaml").data["b"]) == ALIASES


def test_one_alias_past_the_limit_is_refused() -> None:
    with pytest.raises(ConfigError, match="more than 1,000 YAML aliases"):
        load_yaml(_aliases(ALIASES + 1), "past.yaml")


def test_yaml_nesting_exactly_at_and_past_the_depth_limit() -> None:
    assert load_yaml("[" * DEPTH + "]" * DEPTH, "at.yaml").data is not None
    with pytest.raises(ConfigError, match="nested more than 64 levels"):
        load_yaml("[" * (DEPTH + 1) + "]" * (DEPTH + 1), "past.yaml")


def test_json_nesting_exactly_at_and_past_the_depth_limit() -> None:
    assert load_json("[" * DEPTH + "]" * DEPTH, "at.json") is not None
    with pytest.raises(ConfigError, match="nested more than 64 levels"):
        load_json("[" * (DEPTH + 1) + "]" * (DEPTH + 1), "past.json")


def test_json_value_count_exactly_at_and_past_a_limit() -> None:
    assert len(load_json("[" + ",".join(["1"] * 9) + "]", "at.json", max_nodes=10)) == 9
    with pytest.raises(ConfigError, match="more than 10 values"):
        load_json("[" + ",".join(["1"] * 10) + "]", "past.json", max_nodes=10)


@pytest.mark.parametrize("text", [
    '{"usd": 1, "usd": 2}',
    '{"prices": {"p5.48xlarge": 1, "p5.48xlarge": 2}}',
    '[{"a": {"b": 1, "b": 1}}]',
])
def test_duplicate_json_keys_are_refused_at_any_depth(text: str) -> None:
    with pytest.raises(ConfigError, match="duplicate key"):
        load_json(text, "dup.json")


def test_duplicate_yaml_keys_are_refused_with_both_lines() -> None:
    with pytest.raises(ConfigError, match=r"duplicate key 'usd' \(first at line 1\).*line 2"):
        load_yaml("usd: 1\nusd: 2\n", "dup.yaml")


def test_the_same_key_in_sibling_objects_is_not_a_duplicate() -> None:
    assert load_json('[{"a": 1}, {"a": 2}]', "ok.json") == [{"a": 1}, {"a": 2}]


# Every refusal names the file, the part of it and what was wrong (the house rule for bad input): the whole
# Problem is asserted, not a fragment of its text.
@pytest.mark.parametrize("text, problem", [
    ('{"a": 1, "a": 2}', Problem("(json)", "not valid JSON: duplicate key 'a'; keep one", "f.json")),
    ("[" * 65 + "]" * 65, Problem("(json)", "nested more than 64 levels deep", "f.json")),
    ("[1,", Problem("(json)", "not valid JSON at line 1, column 4: Expecting value", "f.json")),
    ('{"x": NaN}', Problem("(json)", "not valid JSON: NaN is not a JSON number", "f.json")),
    ('{"x": -Infinity}', Problem("(json)", "not valid JSON: -Infinity is not a JSON number", "f.json")),
    ('{"x": 1e400}', Problem("(json)", "not valid JSON: 1e400 is beyond what a number here can hold", "f.json")),
])
def test_a_json_refusal_names_the_file_and_the_fault(text: str, problem: Problem) -> None:
    with pytest.raises(ConfigError) as raised:
        load_json(text, "f.json")
    assert raised.value.problems == [problem]


def test_a_json_value_count_refusal_names_the_file() -> None:
    with pytest.raises(ConfigError) as raised:
        load_json("[1, 2]", "f.json", max_nodes=2)
    assert raised.value.problems == [Problem("(json)", "more than 2 values", "f.json")]


@pytest.mark.parametrize("text", ['["' + "[" * 100 + '"]', '{"a": "\\"' + "{" * 100 + '"}', '["\\\\", "]]]"]'])
def test_brackets_inside_json_strings_are_not_nesting(text: str) -> None:
    assert load_json(text, "f.json") is not None


def test_a_yaml_refusal_names_the_file_and_the_line() -> None:
    with pytest.raises(ConfigError) as raised:
        load_yaml("a: 1\nb:\n  c: 2\n  c: 3\n", "f.yaml")
    assert raised.value.problems == [Problem(
        "(yaml)", "duplicate key 'c' (first at line 3); YAML would keep only the last value — keep one (line 4)",
        "f.yaml")]


def test_json_nested_far_past_the_limit_is_refused_before_the_parser_recurses() -> None:
    # 100,000 levels would exhaust the parser's recursion: the bound is checked on the text first, same message
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(ConfigError) as raised:
        load_json(deep, "f.json")
    assert raised.value.problems == [Problem("(json)", "nested more than 64 levels deep", "f.json")]


@pytest.mark.parametrize("text", ['["\\"", ' + "[" * 63 + "]" * 63 + "]", '[{"a]": "}"}, ' + "[" * 62 + "]" * 62 + "]"])
def test_quotes_and_brackets_in_strings_do_not_shift_the_depth_count(text: str) -> None:
    assert load_json(text, "f.json") is not None


def test_json_objects_nested_at_and_past_the_depth_limit() -> None:
    # 63 objects around a number: 64 levels of values, read; 64 objects around it: 65 levels, refused (the text
    # has only 64 brackets, so the count of values decides)
    assert load_json('{"a":' * 63 + "1" + "}" * 63, "at.json") is not None
    with pytest.raises(ConfigError) as raised:
        load_json('{"a":' * 64 + "1" + "}" * 64, "past.json")
    assert raised.value.problems == [Problem("(json)", "nested more than 64 levels deep", "past.json")]
    with pytest.raises(ConfigError):
        load_json("[" * 64 + "1" + "]" * 64, "past.json")


PAST_RECURSION = 2_000
"""Deeper than the JSON parser can recurse (CPython's default limit is 1,000): only the text pre-check can refuse
such a document with the nesting message; past it, the parser's RecursionError would say something else."""


@pytest.mark.parametrize("text", [
    # closing brackets lower the count by one each, never reset it: `[[],` nests one level per repetition
    "[[]," * PAST_RECURSION + "0" + "]" * PAST_RECURSION,
    # a closed string: what follows it is counted again, escaped or not
    '["a", ' + "[" * PAST_RECURSION + "]" * PAST_RECURSION + "]",
    '["\\n", ' + "[" * PAST_RECURSION + "]" * PAST_RECURSION + "]",
    '["\\\\", ' + "[" * PAST_RECURSION + "]" * PAST_RECURSION + "]",
    # commas, digits and spaces between brackets are not closing brackets
    "[0, " * PAST_RECURSION + "0" + "]" * PAST_RECURSION,
])
def test_nesting_past_the_parsers_recursion_is_refused_as_nesting_whatever_comes_before(text: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_json(text, "f.json")
    assert raised.value.problems == [Problem("(json)", "nested more than 64 levels deep", "f.json")]


@pytest.mark.parametrize(("text", "problem"), [
    # only brackets count as nesting: letters outside strings are the parser's to refuse
    ("X" * 100, "not valid JSON at line 1, column 1: Expecting value"),
    ("X" * 100 + "[" * 100, "nested more than 64 levels deep"),
])
def test_the_nesting_pre_check_counts_brackets_only(text: str, problem: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_json(text, "f.json")
    assert raised.value.problems == [Problem("(json)", problem, "f.json")]


def test_a_long_faulty_value_is_quoted_in_part_only() -> None:
    # a refusal quotes at most 40 characters of an overflowing number and 200 of the parser's reason
    number = "1" * 400
    with pytest.raises(ConfigError) as raised:
        load_json(f'{{"x": {number}.0}}', "f.json")
    assert raised.value.problems == [Problem(
        "(json)", f"not valid JSON: {number[:40]} is beyond what a number here can hold", "f.json")]
    key = "k" * 300
    with pytest.raises(ConfigError) as raised:
        load_json(f'{{"{key}": 1, "{key}": 2}}', "f.json")
    assert raised.value.problems == [Problem(
        "(json)", "not valid JSON: " + f"duplicate key {key!r}; keep one"[:200], "f.json")]


def test_the_alias_refusal_names_the_file_and_the_line_of_the_alias_past_the_limit() -> None:
    # line 1 the anchor, line 2 `b:`, aliases from line 3: the 1,001st is on line 1,003
    with pytest.raises(ConfigError) as raised:
        load_yaml(_aliases(ALIASES + 1), "past.yaml")
    assert raised.value.problems == [Problem(
        "(yaml)", "more than 1,000 YAML aliases (*ref); write the values out (line 1003)", "past.yaml")]


def test_the_depth_refusal_names_the_file_and_the_line_of_the_first_value_too_deep() -> None:
    # one mapping per line, each the value of the key above: the mapping on line k is k levels deep, and its key
    # one more — the key on line 64 is the first value 65 levels deep
    text = "".join("  " * i + "a:\n" for i in range(DEPTH + 1)) + "  " * (DEPTH + 1) + "1\n"
    with pytest.raises(ConfigError) as raised:
        load_yaml(text, "past.yaml")
    assert raised.value.problems == [Problem("(yaml)", "nested more than 64 levels deep (line 64)", "past.yaml")]


def test_a_yaml_syntax_error_is_named_once_by_line_and_column() -> None:
    with pytest.raises(ConfigError) as raised:
        load_yaml("a: [1,\n", "bad.yaml")
    (problem,) = raised.value.problems
    assert (problem.path, problem.file) == ("(yaml)", "bad.yaml")
    assert problem.message.startswith("not valid YAML at line 2, column 1: ") and "(line" not in problem.message


def test_a_file_is_read_up_to_its_limit_and_refused_one_byte_past(tmp_path: Path) -> None:
    at, past = tmp_path / "at.yaml", tmp_path / "past.yaml"
    at.write_bytes(b"a" * 2048)
    past.write_bytes(b"a" * 2049)
    assert read_text(at, "stack file", limit=2048) == "a" * 2048
    with pytest.raises(ConfigError) as raised:
        read_text(past, "stack file", limit=2048)
    assert raised.value.problems == [Problem(
        "(file)", "the stack file is larger than 2 KiB; Backbone reads at most that much", str(past))]


def test_a_file_that_is_not_utf8_is_refused_at_its_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: café\n".encode("latin-1"))
    with pytest.raises(ConfigError) as raised:
        read_text(path, "stack file")
    assert raised.value.problems == [Problem("(file)", "the stack file is not UTF-8 text (byte 6)", str(path))]


def test_a_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        read_text(tmp_path / "missing.yaml", "stack file")
    assert raised.value.problems == [Problem(
        "(file)", "cannot read the stack file: No such file or directory", str(tmp_path / "missing.yaml"))]
