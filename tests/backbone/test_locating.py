"""From the resource a finding names back to what made it: the stack-config entry of Backbone's own program
(through the component the entry became, never a name prefix), the registering line of a hand-written one."""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone.components.spec import from_config
from backbone.engine import Preview, preview_function, preview_program
from backbone.locating import config_path_of, registration_site
from backbone.stackfile import PROJECT_ROOT

CONFIG = {"backbone:cluster": {
    "cloud": "aws", "name": "llm", "region": "us-east-1", "zone": "us-east-1a",
    "nodePools": [
        {"name": "h100", "instanceType": "p5.48xlarge", "maxNodes": 2},
        {"name": "h100-big", "instanceType": "p5.48xlarge", "maxNodes": 4},
    ],
    "storage": [{"name": "scratch", "kind": "lustre", "capacityTiB": 4.8, "throughputMBpsPerTiB": 250}],
}}
CLUSTER = from_config(CONFIG).cluster


@pytest.fixture(scope="module")
def preview() -> Preview:
    return preview_program(PROJECT_ROOT, "dev", CONFIG)


def urn(preview: Preview, name: str) -> str:
    (found,) = [r.urn for r in preview.resources if r.name == name]
    return found


@pytest.mark.parametrize(
    ("policy", "name", "expected"),
    [
        ("max-accelerators", "llm-h100-nodes", "backbone:cluster.nodePools[0].maxNodes"),
        ("max-accelerators", "llm-h100-big-nodes", "backbone:cluster.nodePools[1].maxNodes"),
        ("idle-accelerators", "llm-h100-big-nodes", "backbone:cluster.nodePools[1].minNodes"),
        ("interconnect", "llm-h100-placement", "backbone:cluster.nodePools[0].instanceType"),
        ("storage-throughput", "llm-scratch-filesystem", "backbone:cluster.storage[0].throughputMBpsPerTiB"),
        ("encrypted-storage", "llm-scratch-filesystem", "backbone:cluster.storage[0]"),
        ("private-nodes", "llm-h100", "backbone:cluster.nodePools[0]"),
        ("max-accelerators", "llm-network-vpc", "backbone:cluster.nodePools"),  # not a pool's: the list
        ("single-zone", "llm-eks-system", "backbone:cluster"),  # the cluster's own system pool: no entry
    ],
)
def test_a_resource_leads_to_its_entry_and_the_policy_to_the_key(preview: Preview, policy: str, name: str,
                                                                 expected: str) -> None:
    assert config_path_of(policy, urn(preview, name), preview, CLUSTER) == expected


def test_a_finding_on_the_whole_stack_points_at_the_list_it_is_about(preview: Preview) -> None:
    assert config_path_of("storage-throughput", "", preview, CLUSTER) == "backbone:cluster.storage"
    stack = "urn:pulumi:dev::backbone::pulumi:pulumi:Stack::backbone-dev"
    assert config_path_of("tpu-topology", stack, preview, CLUSTER) == "backbone:cluster"


def test_backbone_s_own_program_has_no_program_line(preview: Preview) -> None:
    assert registration_site(urn(preview, "llm-h100-nodes"), preview) is None


PROGRAM = """\
import pulumi
import pulumi_aws as aws


class Pool(pulumi.ComponentResource):
    def __init__(self, name):
        super().__init__("acme:index:Pool", name)
        aws.eks.NodeGroup(name, cluster_name="c", node_role_arn="r", subnet_ids=["s"],
                          scaling_config={"min_size": 0, "max_size": 1, "desired_size": 0},
                          opts=pulumi.ResourceOptions(parent=self))


bucket = aws.s3.Bucket("data")
Pool("gpu")
"""


def test_a_hand_written_program_s_resource_points_at_the_line_that_registered_it(tmp_path: Path) -> None:
    program = tmp_path / "__main__.py"
    program.write_text(PROGRAM)
    preview = preview_program(tmp_path, "dev", {"aws:region": "us-east-1"}, "acme", root=tmp_path)
    lines = PROGRAM.splitlines()
    bucket_line = lines.index('bucket = aws.s3.Bucket("data")') + 1
    assert registration_site(urn(preview, "data"), preview) == (str(program), bucket_line)
    # a resource a component registers: the component's own line (it is the program's code too)
    node_group = next(r.urn for r in preview.resources if r.type == "aws:eks/nodeGroup:NodeGroup")
    pool_line = next(i for i, line in enumerate(lines, 1) if line.startswith("        aws.eks.NodeGroup("))
    assert registration_site(node_group, preview) == (str(program), pool_line)


def test_a_resource_registered_in_a_package_points_at_the_program_line_that_made_its_component() -> None:
    """A component from an installed package: its children are registered in the package's code, outside the
    project; the program line is the one that made the component."""
    import pulumi

    from backbone.components.aws.bucket import DatasetBucket, DatasetBucketArgs

    def program() -> None:
        DatasetBucket("ds", DatasetBucketArgs(region="us-east-1"))
        pulumi.export("x", 1)

    line = program.__code__.co_firstlineno + 1
    preview = preview_function(program, "dev", {"aws:region": "us-east-1"}, root=Path(__file__).parent)
    bucket = next(r.urn for r in preview.resources if r.type == "aws:s3/bucket:Bucket")
    assert registration_site(bucket, preview) == (__file__, line)
