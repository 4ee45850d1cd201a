"""Each escape of ``backbone.report.escape``, character by character, with expectations from the standards that
define the characters (Unicode's C0/C1 control blocks, its line and paragraph separators and bidi controls,
GitHub's workflow-command syntax, GFM's table cells and code spans, HTML's entities, RFC 3986 URIs)."""

from __future__ import annotations

import pytest

from backbone.report.escape import annotation_safe, log_lines, markdown_code, markdown_text, terminal, uri

# Unicode: C0 controls U+0000–U+001F and DEL U+007F, C1 controls U+0080–U+009F (Unicode 15, chapter 23.1);
# U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR (chapter 5.8, both end a line); the bidi controls
# U+200E/U+200F (LRM/RLM), U+202A–U+202E (embeddings and overrides) and U+2066–U+2069 (isolates) of UAX #9,
# which reorder what a reviewer sees ("Trojan Source", CVE-2021-42574).
SHOWN_AS_ESCAPES = {
    "\x00": "\\x00", "\x1b": "\\x1b", "\r": "\\r", "\n": "\\n", "\t": "\\t", "\x7f": "\\x7f",
    "\x80": "\\x80", "\x85": "\\x85", "\x9b": "\\x9b", "\x9f": "\\x9f",
    "\u2028": "\\u2028", "\u2029": "\\u2029",
    "\u200e": "\\u200e", "\u200f": "\\u200f",
    "\u202a": "\\u202a", "\u202b": "\\u202b", "\u202c": "\\u202c", "\u202d": "\\u202d", "\u202e": "\\u202e",
    "\u2066": "\\u2066", "\u2067": "\\u2067", "\u2068": "\\u2068", "\u2069": "\\u2069",
}


@pytest.mark.parametrize("char", sorted(SHOWN_AS_ESCAPES))
def test_terminal_shows_each_control_and_bidi_character_as_an_escape(char: str) -> None:
    assert terminal(f"a{char}b") == f"a{SHOWN_AS_ESCAPES[char]}b"


@pytest.mark.parametrize("char", [" ", "~", "\xa0", "\xa1", "é", "\u2027", "\u202f", "\u2065", "\u206a", "H100"])
def test_terminal_keeps_printable_characters_next_to_the_escaped_ranges(char: str) -> None:
    assert terminal(char) == char


# GitHub Actions reads a log line as a workflow command when it starts with `::` after leading whitespace (the
# runner trims the line first: actions/runner src/Runner.Worker/ActionCommandManager.cs, `TryProcessCommand`).
@pytest.mark.parametrize("line, shown", [
    ("::error file=a.py::boom", "\\::error file=a.py::boom"),
    ("   ::error::boom", "   \\::error::boom"),
    ("\t::warning::x", "\\t::warning::x"),  # a tab is shown escaped: the line no longer starts with blanks
    ("::add-mask::x", "\\::add-mask::x"),
    ("a ::error::not at the start", "a ::error::not at the start"),
    (":single colon", ":single colon"),
])
def test_annotation_safe_disarms_a_workflow_command_even_when_indented(line: str, shown: str) -> None:
    assert annotation_safe(line) == shown


def test_log_lines_disarm_every_line_not_only_the_first() -> None:
    assert log_lines("first\n  ::error::second\n::stop-commands::x", first="- ") == [
        "- first", "    \\::error::second", "  \\::stop-commands::x"]


# HTML: `&`, `<`, `>` as entities (&amp; first, or `&lt;` would show as text); GFM: a `|` in a table cell must
# be `\|` or it starts a new cell (GFM spec 0.29, example 200); inline syntax escaped with a backslash.
@pytest.mark.parametrize("text, shown", [
    ("a|b", "a\\|b"),
    ("a&b", "a&amp;b"),
    ("&lt;", "&amp;lt;"),
    ("<img src=x>", "&lt;img src=x&gt;"),
    ("*bold* _it_ ~s~", "\\*bold\\* \\_it\\_ \\~s\\~"),
    ("[link](x)", "\\[link\\](x)"),
    ("`code`", "\\`code\\`"),
    ("a\\b", "a\\\\b"),
    ("line\nbreak", "line\\\\nbreak"),  # the newline is escaped, then its backslash too: one line, no break
])
def test_markdown_text(text: str, shown: str) -> None:
    assert markdown_text(text) == shown


@pytest.mark.parametrize("text, shown", [
    ("p5.48xlarge", "`p5.48xlarge`"),
    ("a|b", "`a\\|b`"),  # GFM: `\|` inside a code span in a table keeps the cell whole (example 201)
    ("a`b", "``a`b``"),  # GFM 6.1: a code span closes on a backtick run of the same length
    ("``x", "``` ``x ```"),
    ("x\u202ey", "`x\\u202ey`"),
])
def test_markdown_code(text: str, shown: str) -> None:
    assert markdown_code(text) == shown


@pytest.mark.parametrize("text", ["a&b", "<b>", "x>y"])
def test_markdown_code_shows_html_like_values_as_escaped_text(text: str) -> None:
    shown = markdown_code(text)
    assert "<" not in shown and ">" not in shown and "&" not in shown.replace("&amp;", "").replace(
        "&lt;", "").replace("&gt;", "")
    assert not shown.startswith("`")


@pytest.mark.parametrize("path, shown", [
    ("stacks\\Pulumi.dev.yaml", "stacks/Pulumi.dev.yaml"),  # a Windows path: SARIF URIs use `/`
    ("a b/c#d?.yaml", "a%20b/c%23d%3F.yaml"),  # RFC 3986: space, `#` and `?` percent-encoded
    ("stacks/Pulumi.train.yaml", "stacks/Pulumi.train.yaml"),
])
def test_uri(path: str, shown: str) -> None:
    assert uri(path) == shown


def test_a_code_span_keeps_the_spaces_around_a_value() -> None:
    # GFM 6.1 strips one space from each end of "` a `": the span pads such a value so both spaces survive
    assert markdown_code(" | ") == "`  \\|  `"


def test_a_backslash_before_a_pipe_cannot_break_a_table_cell() -> None:
    # cmark-gfm's table scanner reads a backslash and any punctuation as one escaped character, so `\\|` would be
    # an escaped backslash then a cell break: the backslashes before a pipe are doubled (found by the properties)
    assert markdown_code("a\\|b") == "`a\\\\\\|b`"
