"""Your own catalog files (``--catalog FILE``, ``BACKBONE_CATALOG``): rows in the shipped format add a type the
pack then judges (on a hand-written program and on Backbone's own stacks), replace a shipped row, are checked
like the shipped data (exit 2 naming the file, the row and the key), and every report names the file and the
rows it brought."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from backbone.cli import main
from backbone.core import catalog
from backbone.core.errors import ConfigError
from backbone.stackfile import PROJECT_ROOT

AWS_PROJECT = PROJECT_ROOT / "examples" / "aws-eks-gpu"

# A type the shipped catalog does not know, with 8 GPUs per node (the figures are the user's, each cited).
P7_ROW = {
    "instance_type": "p7.48xlarge",
    "accelerator": "nvidia-b200",
    "accelerator_count": 8,
    "accelerator_memory_gib": 1432,
    "vcpus": 192,
    "memory_gib": 2048,
    "fabric": "efa",
    "fabric_gbps": 3200,
    "fabric_nics": 8,
    "on_demand_usd_per_hour": 120.0,
    "price_region": "us-east-1",
    "price_as_of": "2026-12-01",
    "cite": {"our-quote": ["accelerator", "accelerator_count", "accelerator_memory_gib", "vcpus", "memory_gib",
                           "fabric", "fabric_gbps", "fabric_nics", "on_demand_usd_per_hour"]},
}
SOURCES = {"our-quote": {"url": "https://example.com/quotes/2026-12-01.pdf", "as_of": "2026-12-01",
                         "title": "Our account team's quote"}}


def catalog_file(tmp_path: Path, rows: list[dict[str, object]], name: str = "ours.yaml",
                 sources: dict[str, object] | None = None) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"cloud": "aws", "sources": sources or SOURCES, "instances": rows}))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- the loader ------------------------------------------------------------------------------------------

def test_a_file_adds_a_type_and_replaces_a_shipped_row(tmp_path: Path) -> None:
    cheaper_p5 = {"instance_type": "p5.48xlarge", "accelerator": "nvidia-h100-80gb", "accelerator_count": 8,
                  "accelerator_memory_gib": 640, "fabric": "efa", "fabric_gbps": 3200, "fabric_nics": 32,
                  "on_demand_usd_per_hour": 40.0, "price_region": "us-east-1", "price_as_of": "2026-12-01",
                  "cite": {"our-quote": ["accelerator", "accelerator_count", "accelerator_memory_gib", "fabric",
                                         "fabric_gbps", "fabric_nics", "on_demand_usd_per_hour"]}}
    path = catalog_file(tmp_path, [P7_ROW, cheaper_p5])
    cat = catalog.load_with((str(path),))
    p7 = cat.instance("aws", "p7.48xlarge")
    assert p7 is not None and p7.accelerator_count == 8 and p7.on_demand_usd_per_hour == 120.0
    p5 = cat.instance("aws", "p5.48xlarge")
    assert p5 is not None and p5.on_demand_usd_per_hour == 40.0 and p5.price_as_of == "2026-12-01"
    # the figures the row does not give stay, with the sources that give them
    assert (p5.vcpus, p5.memory_gib, p5.capacity_block is not None) == (192, 2048, True)
    assert {s.key for s in p5.sources} >= {"our-quote", "ec2-accelerated"}
    assert catalog.load().instance("aws", "p5.48xlarge").on_demand_usd_per_hour == 55.04  # type: ignore[union-attr]
    [overlay] = cat.overlays
    assert (overlay.file, overlay.added, overlay.replaced) == (str(path), ("aws/p7.48xlarge",), ("aws/p5.48xlarge",))
    assert cat.provenance() == [f"{path}: added aws/p7.48xlarge; replaced aws/p5.48xlarge"]
    assert len(cat.instances) == len(catalog.load().instances) + 1


@pytest.mark.parametrize(("change", "where", "message"), [
    ({"spot_usd_per_hour": 50.0}, "instances[0]", "p7.24xlarge: figure 'spot_usd_per_hour' has no source in 'cite'"),
    ({"acelerator_count": 8}, "instances[0]", "p7.24xlarge: unknown key 'acelerator_count'"),
    ({"fabric": "nvlink"}, "instances[0]", "p7.24xlarge: fabric 'nvlink' is not one of efa,"),
    ({"instance_type": "p7.48xlarge"}, "instances[0]", "p7.48xlarge is listed twice in this file"),
    ({"accelerator": "nvidia-x1"}, "instances[0].accelerator", "names unknown accelerator 'nvidia-x1'"),
    ({"price_region": None}, "instances[0]", "a price needs price_region and price_as_of"),
    ({"accelerator_count": "eight"}, "instances[0]", "malformed row (ValueError"),
    ({"cite": {"their-blog": ["vcpus"]}}, "instances[0]", "cites unknown source 'their-blog'"),
    # a figure that would make a stack smaller or cheaper than it is: never taken
    ({"on_demand_usd_per_hour": -98.32}, "instances[0]", "on_demand_usd_per_hour is -98.32; allowed: a price above 0"),
    ({"on_demand_usd_per_hour": 0}, "instances[0]", "on_demand_usd_per_hour is 0; allowed: a price above 0"),
    ({"on_demand_usd_per_hour": float("nan")}, "instances[0]", "on_demand_usd_per_hour is nan; allowed: a price"),
    ({"accelerator_count": -8}, "instances[0]", "accelerator_count is -8; allowed: a whole number of 0 or more"),
    ({"accelerator_count": 7.5}, "instances[0]", "accelerator_count is 7.5; allowed: a whole number of 0 or more"),
    ({"accelerator_memory_gib": float("inf")}, "instances[0]", "accelerator_memory_gib is inf; allowed: a number"),
])
def test_a_bad_row_names_the_file_the_row_and_the_key(tmp_path: Path, change: dict[str, object], where: str,
                                                      message: str) -> None:
    path = catalog_file(tmp_path, [P7_ROW, {**P7_ROW, "instance_type": "p7.24xlarge", **change}])
    with pytest.raises(ConfigError) as exc:
        catalog.load_with((str(path),))
    [problem] = exc.value.problems
    assert problem.file == str(path)
    assert problem.path == where.replace("[0]", "[1]")
    assert message in problem.message


def test_a_source_without_a_date_or_a_row_without_a_cloud_is_refused(tmp_path: Path) -> None:
    undated = catalog_file(tmp_path, [P7_ROW], "undated.yaml", {"our-quote": {"url": "https://example.com/q"}})
    with pytest.raises(ConfigError, match="source 'our-quote' needs url and as_of"):
        catalog.load_with((str(undated),))
    cloudless = tmp_path / "cloudless.yaml"
    cloudless.write_text(yaml.safe_dump({"sources": SOURCES, "instances": [P7_ROW]}))
    with pytest.raises(ConfigError) as exc:
        catalog.load_with((str(cloudless),))
    assert exc.value.problems[0].path == "instances[0].cloud"


# --- the command: plan, size, catalog ---------------------------------------------------------------------

def big_pool_project(tmp_path: Path) -> Path:
    """The hand-written EKS example (no backbone.components) with a stack of 100 nodes of the user's p7 type."""
    project = shutil.copytree(AWS_PROJECT, tmp_path / "project")
    stack = (project / "Pulumi.dev.yaml").read_text()
    assert "instanceType: g6.xlarge" in stack and "maxNodes: 2" in stack
    (project / "Pulumi.big.yaml").write_text(stack.replace("instanceType: g6.xlarge", "instanceType: p7.48xlarge")
                                             .replace("maxNodes: 2", "maxNodes: 100"))
    return project


def test_a_catalog_file_adds_a_type_the_pack_blocks_at_100_nodes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = big_pool_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    invokes = str(AWS_PROJECT / "invokes.yaml")
    # without the file: the pack cannot count the pool's GPUs, and says why
    code, out, err = run(capsys, "plan", "--project", str(project), "--invokes", invokes, "big", "--format", "json")
    document = json.loads(out)
    [stack] = document["stacks"]
    assert not any(v["policy"] == "max-accelerators" for v in stack["violations"]), err
    assert any(v["policy"] == "known-accelerator" and "--catalog FILE" in v["message"] for v in stack["violations"])
    assert document["catalog_files"] == []
    # with it: 100 nodes x 8 GPUs = 800 > the 512 a pool may reach: blocked
    path = catalog_file(tmp_path, [P7_ROW])
    code, out, err = run(capsys, "plan", "--project", str(project), "--invokes", invokes, "big", "--format", "json",
                         "--catalog", str(path))
    assert code == 1, err
    document = json.loads(out)
    [stack] = document["stacks"]
    blocking = [v for v in stack["violations"] if v["policy"] == "max-accelerators"]
    assert blocking and "800" in blocking[0]["message"], stack["violations"]
    assert stack["accelerators_max"] == 800
    assert not any(v["policy"] == "known-accelerator" for v in stack["violations"])
    assert document["catalog_files"] == [{"file": str(path.resolve()), "added": ["aws/p7.48xlarge"],
                                          "replaced": []}]
    # the text report says which rows came from which file
    code, out, err = run(capsys, "plan", "--project", str(project), "--invokes", invokes, "big",
                         "--catalog", str(path))
    assert f"note: catalog rows from {path.resolve()}: added aws/p7.48xlarge" in out


def test_backbones_own_stack_takes_the_type_only_with_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = tmp_path / "Pulumi.p7.yaml"
    stack.write_text((PROJECT_ROOT / "stacks" / "Pulumi.aws-p5-train.yaml").read_text()
                     .replace("instanceType: p5.48xlarge", "instanceType: p7.48xlarge")
                     .replace("maxNodes: 16", "maxNodes: 100"))
    code, out, err = run(capsys, "plan", str(stack))
    assert code == 2 and "'p7.48xlarge' is not in the aws catalog" in err
    assert "add a cited row with --catalog FILE" in err and "catalog/data" not in err
    code, out, err = run(capsys, "plan", str(stack), "--catalog", str(catalog_file(tmp_path, [P7_ROW])),
                         "--format", "json")
    assert code == 1, err
    [report] = json.loads(out)["stacks"]
    assert any(v["policy"] == "max-accelerators" for v in report["violations"])


def test_a_bad_catalog_file_is_exit_2_with_file_row_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = catalog_file(tmp_path, [{**P7_ROW, "cite": {"our-quote": ["accelerator"]}}])
    for argv in (["plan", "aws-p5-train"], ["size", "train", "--params", "7B", "--tokens", "1T", "--days", "30"],
                 ["catalog"]):
        code, out, err = run(capsys, *argv, "--catalog", str(path))
        assert code == 2, argv
        assert out == ""
        assert err.startswith(f"error: {path.resolve()}: instances[0]: p7.48xlarge: figure ")
        assert "Traceback" not in err
    code, out, err = run(capsys, "catalog", "--catalog", str(tmp_path / "missing.yaml"))
    assert code == 2 and "no such catalog file" in err


def test_catalog_and_size_list_the_added_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = catalog_file(tmp_path, [P7_ROW])
    code, out, err = run(capsys, "catalog", "--cloud", "aws", "--format", "json", "--catalog", str(path))
    assert code == 0, err
    rows = {r["instance_type"]: r for r in json.loads(out)}
    assert rows["p7.48xlarge"]["accelerator_count"] == 8
    assert rows["p7.48xlarge"]["source"] == "https://example.com/quotes/2026-12-01.pdf (2026-12-01)"
    code, out, err = run(capsys, "size", "train", "--params", "7B", "--tokens", "1T", "--days", "30",
                         "--cloud", "aws", "--format", "json", "--catalog", str(path))
    assert code == 0, err
    document = json.loads(out)
    assert any(o["instance_type"] == "p7.48xlarge" for o in document["options"])
    assert document["catalog_files"] == [{"file": str(path.resolve()), "added": ["aws/p7.48xlarge"],
                                          "replaced": []}]


def test_the_pack_config_names_catalog_files_for_the_pack_and_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``known-accelerator.catalogFiles`` in the config `pulumi preview --policy-pack-config` takes: the pack
    loads the rows itself (the pack process gets no --catalog), and so does the report."""
    project = big_pool_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKBONE_CATALOG", raising=False)
    path = catalog_file(tmp_path, [P7_ROW]).resolve()
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"known-accelerator": {"catalogFiles": [str(path)]}}))
    code, out, err = run(capsys, "plan", "--project", str(project), "--invokes", str(AWS_PROJECT / "invokes.yaml"),
                         "big", "--format", "json", "--policy-config", str(config))
    assert code == 1, err
    document = json.loads(out)
    assert any(v["policy"] == "max-accelerators" for v in document["stacks"][0]["violations"])
    assert document["catalog_files"][0]["file"] == str(path)
    config.write_text(json.dumps({"known-accelerator": {"catalogFiles": ["ours.yaml"]}}))
    code, out, err = run(capsys, "plan", "--project", str(project), "big", "--policy-config", str(config))
    assert code == 2 and "known-accelerator.catalogFiles[0]: 'ours.yaml' is not an absolute path" in err


def test_the_pack_alone_reads_the_files_of_its_config(tmp_path: Path) -> None:
    """The servicer hands the pack config's files to the catalog of the pack process: a later load() has them."""
    import os

    from backbone.core.catalog import CATALOG_ENV, load, use_catalog_files

    path = str(catalog_file(tmp_path, [P7_ROW]))
    before = os.environ.get(CATALOG_ENV)
    try:
        assert load().instance("aws", "p7.48xlarge") is None
        assert use_catalog_files([path])[-1] == path
        assert load().instance("aws", "p7.48xlarge") is not None
    finally:
        if before is None:
            os.environ.pop(CATALOG_ENV, None)
        else:
            os.environ[CATALOG_ENV] = before


def test_the_pack_process_reads_the_catalog_files_its_config_names(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """No --catalog and no BACKBONE_CATALOG anywhere: only the pack's config names the file, as under
    `pulumi preview --policy-pack-config`. The pack's own process loads it (the program needs no catalog)."""
    from backbone.invokes import load_invokes
    from backbone.plan import plan_project
    from backbone.project import read_project

    monkeypatch.delenv("BACKBONE_CATALOG", raising=False)
    project_dir = big_pool_project(tmp_path)
    path = catalog_file(tmp_path, [P7_ROW]).resolve()
    config = {"known-accelerator": {"catalogFiles": [str(path)]}}
    report = plan_project(read_project(project_dir), [project_dir / "Pulumi.big.yaml"], policy_config=config,
                          invokes=load_invokes(AWS_PROJECT / "invokes.yaml"))
    [stack] = report.stacks
    assert any(f.policy == "max-accelerators" for f in stack.violations)
    assert report.catalog_overlays == ()  # this process was never told: only the pack was
