"""``backbone plan --shard I/N`` takes a deterministic share of the stacks, the shares together are every stack
once; ``backbone merge`` turns the shards' JSON reports into the report one unsharded run writes, in any format,
with one baseline delta; reports that do not belong together are exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_plan_cli import SERVE as STACK  # one small stack file for the CLI tests

from backbone.cli import main
from backbone.core.errors import ConfigError
from backbone.shard import parse_shard


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "a/b", "2", "1/2/3", " "])
def test_a_shard_is_i_of_n(text: str) -> None:
    with pytest.raises(ConfigError) as refused:
        parse_shard(text)
    assert refused.value.problems[0].path == "--shard"
    assert "expected I/N with 1 ≤ I ≤ N" in refused.value.problems[0].message


def test_shards_are_disjoint_complete_balanced_and_independent_of_order() -> None:
    paths = [Path(f"stacks/Pulumi.s{i:02d}.yaml") for i in range(11)]
    shares = [parse_shard(f"{i}/3").of(paths) for i in (1, 2, 3)]
    assert sorted(p for share in shares for p in share) == sorted(paths)
    assert sorted(len(share) for share in shares) == [3, 4, 4]
    assert [parse_shard(f"{i}/3").of(list(reversed(paths))) for i in (1, 2, 3)] == \
        [list(reversed(share)) for share in shares]
    assert parse_shard("1/20").of(paths[:1]) == paths[:1] and parse_shard("2/20").of(paths[:1]) == []


def test_merged_shards_are_the_unsharded_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    for name, count in (("a", 2), ("b", 1000), ("c", 4)):
        (stacks / f"Pulumi.{name}.yaml").write_text(STACK.format(max_nodes=count))
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - policy: max-accelerators\n    stack: b\n    reason: a load test\n"
                       "    owner: sre@example.com\n    expires: 2099-01-01\n"
                       "  - policy: max-accelerators\n    stack: zzz\n    reason: gone\n"
                       "    owner: sre@example.com\n    expires: 2099-01-01\n")
    common = ["plan", "--stacks-dir", str(stacks), "--waivers", str(waivers), "-f", "json", "-q"]
    code, _, _ = run(capsys, *common, "-o", str(tmp_path / "full.json"))
    assert code == 0
    shards = []
    for i in (1, 2):
        shards.append(tmp_path / f"shard-{i}.json")
        run(capsys, *common, "--shard", f"{i}/2", "-o", str(shards[-1]))
    in_shards = [[s["stack"] for s in json.loads(p.read_text())["stacks"]] for p in shards]
    assert in_shards == [["a", "c"], ["b"]]  # sorted by file name, dealt round-robin
    code, out, err = run(capsys, "merge", *map(str, shards), "-f", "json")
    assert code == 0, err
    merged, full = json.loads(out), json.loads((tmp_path / "full.json").read_text())
    by_name = {s["stack"]: s for s in full["stacks"]}
    differing = {(s["stack"], key): (value, by_name[s["stack"]].get(key)) for s in merged["stacks"]
                 for key, value in s.items() if value != by_name[s["stack"]].get(key)}
    assert differing == {}
    assert {s["stack"]: s for s in merged["stacks"]} == by_name
    for key in ("verdict", "policy_pack", "policies", "policies_weakened", "waived", "exit_code"):
        assert merged[key] == full[key], key
    # the waiver of stack b matched in shard 2 only: stale in shard 1, not in the merged run; zzz is stale in both
    assert [w["stack"] for w in json.loads(shards[0].read_text())["stale_waivers"]] == ["b", "zzz"]
    assert [w["stack"] for w in merged["stale_waivers"]] == [w["stack"] for w in full["stale_waivers"]] == ["zzz"]
    # any format, and one baseline delta for the whole run
    code, out, _ = run(capsys, "merge", *map(str, shards), "-f", "markdown", "--baseline", str(shards[0]))
    assert code == 0
    assert "**Against the baseline:**" in out and "| `b` | new |" in out
    code, out, _ = run(capsys, "merge", *map(str, shards), "-f", "junit", "--fail-on", "advisory")
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="backbone plan"')


def test_merge_refuses_reports_that_do_not_belong_together(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    report = {"stacks": [{"stack": "a", "cloud": "aws", "violations": [], "cannot_verify": []}],
              "policy_pack": {"name": "backbone", "version": "0.1.0"}}
    one, two, other, bad = (tmp_path / f"{n}.json" for n in ("one", "two", "other", "bad"))
    one.write_text(json.dumps(report))
    two.write_text(json.dumps(report))
    other.write_text(json.dumps({**report, "stacks": [], "policy_pack": {"name": "backbone", "version": "9"}}))
    bad.write_text(json.dumps({"stacks": [{"stack": "x", "violations": [{"policy": 3}]}]}))
    code, _, err = run(capsys, "merge", str(one), str(two))
    assert code == 2 and f"error: {two}: stacks.a: also in {one}: a stack must be in one shard only" in err
    code, _, err = run(capsys, "merge", str(one), str(other))
    assert code == 2 and f"error: {other}: policy_pack: plan by backbone 9" in err
    code, _, err = run(capsys, "merge", str(bad))
    assert code == 2 and f"error: {bad}: stacks[0].violations[0].policy: expected str, got int" in err
    assert "Traceback" not in err


def test_an_empty_shard_passes_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    (stacks / "Pulumi.only.yaml").write_text(STACK.format(max_nodes=1000))  # would block, but is in shard 1
    code, out, err = run(capsys, "plan", "--stacks-dir", str(stacks), "--shard", "2/3", "-f", "json")
    assert code == 0
    assert json.loads(out)["stacks"] == []
    assert "shard 2/3: 0 of 1 stacks" in err
