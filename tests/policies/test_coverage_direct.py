"""The coverage statement (``backbone.policies.inventory.coverage``) judged in this process, on resources built by hand
as CrossGuard hands them to the pack, with a registry of entries written here: which resources that can carry
accelerators the pack did not read, how they are named and grouped, and the one line every report prints.

Machine types named here are the clouds' own: ``p5.48xlarge`` (AWS), ``ml.p4d.24xlarge`` (SageMaker), ``a3-highgpu-8g``
(GCP), ``Standard_ND96isr_H100_v5`` (Azure); ``m5.large`` has no accelerator.
"""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from backbone.policies.inventory.coverage import Coverage, Unread, survey
from backbone.policies.inventory.entry import Entry
from backbone.policies.inventory.graph import Graph
from tests.policies import hand_resources as hand

NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"
INSTANCE = "aws:ec2/instance:Instance"
GROUP = "aws:eks/nodeGroup:NodeGroup"
TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
ENTRIES = (
    Entry(GROUP, "aws", "pool", "EKS node group", "instanceTypes", lambda graph, catalog, nodes: []),
    Entry(TEMPLATE, "aws", "link", "launch template", "instanceType", via=(GROUP,)),
)


def resource(type_: str, name: str, props: Any, parent: PolicyResource | None = None,
             depends: list[PolicyResource] | None = None,
             prop_deps: dict[str, list[PolicyResource]] | None = None) -> PolicyResource:
    return hand.res(type_, name, props, parent=parent, deps=depends or (), prop_deps=prop_deps, stack=STACK)


def covered(*resources: PolicyResource, pools: int = 1, file_systems: int = 0) -> Coverage:
    return survey(Graph(resources), ENTRIES, pools, file_systems)


STACK = "urn:pulumi:dev::p"


def urn(type_: str, name: str) -> str:
    return hand.urn(type_, name, STACK)


def test_unread_resources_of_one_type_are_grouped_sorted_by_name_with_the_first_ones_input() -> None:
    coverage = covered(resource(NOTEBOOK, "b", {"instanceType": "ml.p4d.24xlarge"}),
                       resource(NOTEBOOK, "a", {"instanceType": "ml.p5.48xlarge"}),
                       resource(INSTANCE, "vm", {"instanceType": "p5.48xlarge"}),
                       resource(INSTANCE, "web", {"instanceType": "m5.large"}))
    assert coverage == Coverage(1, 0, (
        Unread(INSTANCE, ("vm",), (urn(INSTANCE, "vm"),), "instanceType: p5.48xlarge"),
        Unread(NOTEBOOK, ("a", "b"), (urn(NOTEBOOK, "a"), urn(NOTEBOOK, "b")), "instanceType: ml.p5.48xlarge")))
    assert (coverage.complete, coverage.unread_count) == (False, 3)
    assert coverage.labels() == (f"1 × {INSTANCE} not read", f"2 × {NOTEBOOK} not read")


def test_two_resources_of_one_name_are_ordered_by_urn() -> None:
    one = resource(NOTEBOOK, "nb", {"instanceType": "ml.g5.xlarge"})
    other = PolicyResource(NOTEBOOK, unknown_checking_proxy({"instanceType": "ml.p5.48xlarge"}),
                           "urn:pulumi:dev::a::x::nb", "nb", None, None, None, [], {})  # type: ignore[arg-type]
    [unread] = covered(one, other).unread
    assert (unread.urns, unread.why) == (("urn:pulumi:dev::a::x::nb", urn(NOTEBOOK, "nb")),
                                         "instanceType: ml.p5.48xlarge")


@pytest.mark.parametrize(("props", "why"), [
    ({"instanceType": "p5.48xlarge"}, "instanceType: p5.48xlarge"),
    ({"spec": {"machine": {"type": "a3-highgpu-8g"}}}, "spec.machine.type: a3-highgpu-8g"),
    ({"pools": [{"size": "m5.large"}, {"size": "Standard_ND96isr_H100_v5"}]},
     "pools[1].size: Standard_ND96isr_H100_v5"),
    ({"a": "m5.large", "b": ["x", ["y", "p4d.24xlarge"]]}, "b[1][1]: p4d.24xlarge"),
    ({"first": "g5.xlarge", "second": "p5.48xlarge"}, "first: g5.xlarge"),
])
def test_the_first_input_that_names_an_accelerator_type_with_its_path(props: dict[str, Any], why: str) -> None:
    [unread] = covered(resource(INSTANCE, "x", props)).unread
    assert unread.why == why


@pytest.mark.parametrize("props", [
    {"nodeSelector": {"node.kubernetes.io/instance-type": "p5.48xlarge"}},
    {"instanceType": "m5.large", "count": 8, "flag": True, "tags": {"note": "runs on p5 nodes"}},
    {"instanceType": UNKNOWN_STRING_VALUE},
    {},
])
def test_no_accelerator_type_named_is_nothing_unread(props: dict[str, Any]) -> None:
    """A label key (with a ``/``) selects nodes; it does not provision them."""
    assert covered(resource(INSTANCE, "x", props)).unread == ()


def test_an_unreadable_resource_names_no_type() -> None:
    assert covered(resource(INSTANCE, "x", 42)).unread == ()


@pytest.mark.parametrize(("size", "found"), [(19_998, True), (19_999, False)])
def test_the_scan_stops_after_twenty_thousand_values(size: int, found: bool) -> None:
    """The inputs (1), the list (2), then item i is value 3 + i: the 20,000th value is item 19,997."""
    items = ["m5.large"] * (size - 1) + ["p5.48xlarge"]
    unread = covered(resource(INSTANCE, "x", {"types": items})).unread
    assert [u.why for u in unread] == ([f"types[{size - 1}]: p5.48xlarge"] if found else [])


@pytest.mark.parametrize("token", [
    "pulumi:providers:aws", "backbone:aws:GpuNodePool", "kubernetes:core/v1:Pod", "kubernetes:apps/v1:Deployment",
    "kubernetes:batch/v1:Job", "kubernetes:policy/v1:PodDisruptionBudget",
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    "kubernetes:networking.k8s.io/v1:Ingress", "kubernetes:rbac.authorization.k8s.io/v1:Role", GROUP,
])
def test_providers_components_workloads_and_read_types_are_not_counted(token: str) -> None:
    assert covered(resource(token, "x", {"instanceType": "p5.48xlarge"})).unread == ()


@pytest.mark.parametrize("token", ["kubernetes:karpenter.sh/v1:NodePool", "pulumi-x:index:Thing",
                                   "kubernetes:coreX/v1:Thing"])
def test_other_packages_and_kubernetes_groups_are_counted(token: str) -> None:
    assert [u.token for u in covered(resource(token, "x", {"instanceType": "p5.48xlarge"})).unread] == [token]


def test_a_component_with_children_is_covered_by_its_children() -> None:
    parent = resource("custom:index:GpuCluster", "c", {"instanceType": "p5.48xlarge"})
    child = resource(GROUP, "c-pool", {"instanceTypes": ["p5.48xlarge"]}, parent=parent)
    assert covered(parent, child).unread == ()


@pytest.mark.parametrize("how", ["depends", "prop_deps"])
def test_a_link_type_is_read_where_a_pool_of_its_via_type_depends_on_it(how: str) -> None:
    template = resource(TEMPLATE, "lt", {"instanceType": "p5.48xlarge"})
    group = resource(GROUP, "g", {}, **({"depends": [template]} if how == "depends"
                                        else {"prop_deps": {"launchTemplate": [template]}}))
    assert covered(template, group).unread == ()


def test_a_link_type_no_pool_uses_is_unread_even_when_another_type_depends_on_it() -> None:
    template = resource(TEMPLATE, "lt", {"instanceType": "p5.48xlarge"})
    other = resource(INSTANCE, "vm", {"instanceType": "m5.large"}, depends=[template])
    assert covered(template, other).unread == (
        Unread(TEMPLATE, ("lt",), (urn(TEMPLATE, "lt"),), "instanceType: p5.48xlarge"),)


@pytest.mark.parametrize(("pools", "judged"), [(0, "0 accelerator pools judged"), (1, "1 accelerator pool judged"),
                                              (2, "2 accelerator pools judged")])
def test_the_statement_of_a_complete_stack(pools: int, judged: str) -> None:
    coverage = covered(pools=pools, file_systems=3)
    assert (coverage.pools, coverage.file_systems, coverage.complete, coverage.unread_count, coverage.labels()) == (
        pools, 3, True, 0, ())
    assert coverage.statement() == f"{judged}; every resource that can carry accelerators was read"


def test_the_statement_of_one_unread_resource() -> None:
    coverage = covered(resource(NOTEBOOK, "nb", {"instanceType": "ml.p5.48xlarge"}), pools=1)
    assert coverage.statement() == (
        "1 accelerator pool judged; not read (1 resource that can carry accelerators, so accelerators and cost are "
        f"unknown): 1 × {NOTEBOOK} (nb; instanceType: ml.p5.48xlarge)")


def test_the_statement_of_several_unread_types() -> None:
    coverage = covered(resource(NOTEBOOK, "nb2", {"instanceType": "ml.p5.48xlarge"}),
                       resource(NOTEBOOK, "nb1", {"instanceType": "ml.p4d.24xlarge"}),
                       resource(INSTANCE, "vm", {"instanceType": "p5.48xlarge"}), pools=0)
    assert coverage.statement() == (
        "0 accelerator pools judged; not read (3 resources that can carry accelerators, so accelerators and cost are "
        f"unknown): 1 × {INSTANCE} (vm; instanceType: p5.48xlarge); "
        f"2 × {NOTEBOOK} (nb1, nb2; instanceType: ml.p4d.24xlarge)")
    assert str(coverage.unread[1]) == f"2 × {NOTEBOOK} (nb1, nb2; instanceType: ml.p4d.24xlarge)"
    assert coverage.unread[1].count == 2


def test_a_read_type_or_a_used_link_type_does_not_stop_the_survey() -> None:
    template = resource(TEMPLATE, "lt", {"instanceType": "p5.48xlarge"})
    group = resource(GROUP, "g", {"instanceTypes": ["p5.48xlarge"]}, depends=[template])
    notebook = resource(NOTEBOOK, "nb", {"instanceType": "ml.p5.48xlarge"})
    assert [u.names for u in covered(group, notebook).unread] == [("nb",)]
    assert [u.names for u in covered(template, group, notebook).unread] == [("nb",)]


def test_a_link_type_nothing_depends_on_is_unread() -> None:
    assert covered(resource(TEMPLATE, "lt", {"instanceType": "p5.48xlarge"})).unread == (
        Unread(TEMPLATE, ("lt",), (urn(TEMPLATE, "lt"),), "instanceType: p5.48xlarge"),)
