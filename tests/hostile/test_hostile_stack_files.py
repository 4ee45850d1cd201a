"""Stack files a PR author controls: resource exhaustion, silent acceptance and odd bytes all end in exit 2
with the file (and line), within seconds and within a bounded amount of memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone.safe_load import MAX_BYTES, MAX_DEPTH
from tests.hostile.conftest import SMALL, backbone


def _bomb(levels: int = 9, fan: int = 9) -> str:
    """A billion-laughs document of a few hundred bytes: each level repeats the previous one ``fan`` times."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * fan) + "]")
    return "\n".join(lines) + "\n"


def _indent(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" for line in text.splitlines())


BOMB_PLACES = {
    "a provider key": "config:\n  aws:region:\n" + _indent(_bomb(), 4),
    "the cluster's tags": SMALL.replace("    nodePools:", "    tags:\n" + _indent(_bomb(), 6) + "    nodePools:"),
    "a pool's labels": SMALL + "        labels:\n" + _indent(_bomb(), 10),
    "the top level": _bomb() + SMALL,
}


@pytest.mark.parametrize("text", BOMB_PLACES.values(), ids=BOMB_PLACES.keys())
def test_an_alias_bomb_anywhere_is_refused_fast_in_bounded_memory(stack_dir: Path, text: str) -> None:
    assert len(text) < 2_000
    (stack_dir / "Pulumi.bomb.yaml").write_text(text)
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "bomb"], stack_dir, timeout=60, memory_gib=3)
    run.assert_clean_failure(2)
    assert "Pulumi.bomb.yaml" in run.err and "expands to more than" in run.err


def test_duplicate_keys_are_refused_naming_both_lines(stack_dir: Path) -> None:
    text = SMALL.replace("        maxNodes: 2\n", "        maxNodes: 1000\n        maxNodes: 2\n")
    (stack_dir / "Pulumi.dup.yaml").write_text(text)
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "dup"], stack_dir)
    run.assert_clean_failure(2)
    assert "duplicate key 'maxNodes' (first at line 11)" in run.err and "(line 12)" in run.err


@pytest.mark.parametrize("value", ["yes", "true", "on"])
def test_a_boolean_is_not_a_node_count(stack_dir: Path, value: str) -> None:
    (stack_dir / "Pulumi.b.yaml").write_text(SMALL.replace("maxNodes: 2", f"maxNodes: {value}"))
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "b"], stack_dir)
    run.assert_clean_failure(2)
    assert "nodePools[0]: maxNodes: expected a number, got the boolean true" in run.err


@pytest.mark.parametrize("shape", ["flow", "block"])
def test_nesting_beyond_the_limit_is_refused_before_any_deep_recursion(stack_dir: Path, shape: str) -> None:
    depth = 50_000 if shape == "flow" else MAX_DEPTH + 5
    nested = "[" * depth + "]" * depth if shape == "flow" else "".join(
        " " * (2 * i) + f"k{i}:\n" for i in range(depth)) + " " * (2 * depth) + "x"
    (stack_dir / "Pulumi.deep.yaml").write_text(f"config:\n  aws:tags:\n    {nested}\n" if shape == "flow"
                                                else "config:\n" + _indent(nested, 2))
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "deep"], stack_dir, timeout=60, memory_gib=3)
    run.assert_clean_failure(2)
    assert f"nested more than {MAX_DEPTH} levels deep" in run.err


def test_a_file_over_the_size_limit_is_not_read_whole(stack_dir: Path) -> None:
    path = stack_dir / "Pulumi.huge.yaml"
    with path.open("w") as handle:
        handle.write(SMALL)
        handle.write("# " + "x" * 100 + "\n" * 1)
        handle.write(("# padding " + "y" * 200 + "\n") * (MAX_BYTES // 200 + 10))
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "huge"], stack_dir)
    run.assert_clean_failure(2)
    assert "larger than 1,024 KiB" in run.err


def test_a_self_referencing_alias_is_refused(stack_dir: Path) -> None:
    (stack_dir / "Pulumi.cycle.yaml").write_text("config:\n  aws:tags: &loop\n    again: *loop\n" + SMALL[8:])
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "cycle"], stack_dir)
    run.assert_clean_failure(2)
    assert "refers to a value that contains it" in run.err


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00config", b"config:\n  a: \x1b[31m\x07\n",
                                 b"config: !!python/object:os.system {}\n"])
def test_bytes_that_are_not_plain_yaml_are_refused(stack_dir: Path, raw: bytes) -> None:
    (stack_dir / "Pulumi.odd.yaml").write_bytes(raw)
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "odd"], stack_dir)
    run.assert_clean_failure(2)
    assert "Pulumi.odd.yaml" in run.err
    assert "\x1b" not in run.err and "\x07" not in run.err


def test_a_file_system_zone_outside_the_region_is_refused(stack_dir: Path) -> None:
    text = SMALL + "    storage:\n      - name: data\n        kind: lustre\n        capacityTiB: 4.8\n" \
                   "        throughputMBpsPerTiB: 250\n        zone: eu-west-1a\n"
    (stack_dir / "Pulumi.fs.yaml").write_text(text)
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "fs"], stack_dir)
    run.assert_clean_failure(2)
    assert "storage[0]" in run.err and "'eu-west-1a' is not a zone of us-east-1" in run.err


@pytest.mark.parametrize(("cloud_cidr", "expected"), [
    (("aws", "10.0.0.0/8"), "larger than aws accepts"),
    (("aws", "8.8.0.0/16"), "not a private range"),
    (("azure", "0.0.0.0/1"), "not a private range"),
])
def test_cidrs_the_cloud_refuses_are_refused_with_their_config_path(stack_dir: Path, cloud_cidr: tuple[str, str],
                                                                    expected: str) -> None:
    cloud, cidr = cloud_cidr
    text = SMALL.replace("    nodePools:", f"    network:\n      cidr: {cidr}\n    nodePools:")
    if cloud == "azure":
        text = text.replace("cloud: aws", "cloud: azure").replace("us-east-1a", "1").replace("us-east-1", "eastus") \
            .replace("g6.xlarge", "Standard_NC24ads_A100_v4")
    (stack_dir / "Pulumi.net.yaml").write_text(text)
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "net"], stack_dir)
    run.assert_clean_failure(2)
    assert "backbone:cluster.network.cidr" in run.err and expected in run.err


def test_aks_pool_names_that_collide_after_shortening_are_refused_before_the_preview(stack_dir: Path) -> None:
    pool = "      - name: {name}\n        instanceType: Standard_NC24ads_A100_v4\n        purpose: inference\n" \
           "        maxNodes: 1\n"
    text = ("config:\n  backbone:cluster:\n    cloud: azure\n    name: small\n    region: eastus\n    zone: '1'\n"
            "    nodePools:\n" + pool.format(name="inference-pool-a") + pool.format(name="inference-pool-b"))
    (stack_dir / "Pulumi.aks.yaml").write_text(text)
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "aks"], stack_dir)
    run.assert_clean_failure(2)
    assert "Pulumi.aks.yaml: backbone:cluster.nodePools:" in run.err and "both become the AKS pool name" in run.err
