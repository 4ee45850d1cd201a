"""The resource graph (``backbone.policies.inventory.graph``) on resources built by hand: which resources an input
names (exactly, or only "may"), literal ids outside the stack, a deployed stack's ids, ancestors, and what it says
when a link is unknown."""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource

from backbone.policies.inventory import UNKNOWN
from backbone.policies.inventory.common import candidates_of, zones_of_subnets
from backbone.policies.inventory.facts import FabricCheck
from backbone.policies.inventory.graph import Graph, Links, Node

SUBNET = "aws:ec2/subnet:Subnet"
GROUP = "aws:eks/nodeGroup:NodeGroup"


def resource(type_: str, name: str, props: Any = None, parent: PolicyResource | None = None) -> PolicyResource:
    return PolicyResource(type_, props if props is not None else {}, f"urn:{type_}::{name}", name,  # type: ignore
                          None, None, parent, [], {})


def group_on(subnets: list[PolicyResource], value: Any, prop_deps: bool = True,
             extra: list[PolicyResource] = ()) -> PolicyResource:  # type: ignore[assignment]
    group = resource(GROUP, "gpu", {"subnetIds": value})
    if prop_deps:
        group.property_dependencies = {"subnetIds": [*subnets, *extra]}
    else:
        group.dependencies = [*subnets, *extra]
    return group


def subnets(*names: str) -> list[PolicyResource]:
    return [resource(SUBNET, n, {"availabilityZone": "us-east-1a", "id": f"subnet-{n}"}) for n in names]


def test_one_unknown_id_per_dependency_is_an_exact_link() -> None:
    a, b = subnets("a", "b")
    group = group_on([a, b], [UNKNOWN, UNKNOWN])
    graph = Graph([a, b, group])
    links = graph.links(graph.node(group), "subnetIds", SUBNET)  # type: ignore[arg-type]
    assert links.exact and [n.name for n in links.candidates] == ["a", "b"] and links.outside == ()
    assert [n.name for n in graph.linked(graph.node(group), "subnetIds", SUBNET)] == ["a", "b"]  # type: ignore


def test_a_value_computed_from_several_resources_only_may_name_them() -> None:
    a, b = subnets("a", "b")
    group = group_on([a, b], UNKNOWN)
    graph = Graph([a, b, group])
    links = graph.links(graph.node(group), "subnetIds", SUBNET)  # type: ignore[arg-type]
    assert not links.exact and links.nodes == () and len(links.candidates) == 2
    assert links.why_unknown("subnet") == ("subnetIds (computed from 2 subnets: which of them it names is unknown "
                                           "before deployment)")
    assert graph.linked(graph.node(group), "subnetIds", SUBNET) == []  # type: ignore[arg-type]


def test_a_value_computed_from_one_resource_is_exact() -> None:
    [a] = subnets("a")
    group = group_on([a], UNKNOWN)
    graph = Graph([a, group])
    assert graph.links(graph.node(group), "subnetIds", SUBNET).exact  # type: ignore[arg-type]


def test_a_dependency_of_another_type_makes_a_link_inexact() -> None:
    [a] = subnets("a")
    vpc = resource("aws:ec2/vpc:Vpc", "vpc")
    group = group_on([a], [UNKNOWN], extra=[vpc])
    graph = Graph([a, vpc, group])
    links = graph.links(graph.node(group), "subnetIds", SUBNET)  # type: ignore[arg-type]
    assert not links.exact and [n.name for n in links.candidates] == ["a"]


def test_without_property_dependencies_the_resources_dependencies_are_candidates_never_exact() -> None:
    [a] = subnets("a")
    group = group_on([a], [UNKNOWN], prop_deps=False)
    graph = Graph([a, group])
    links = graph.links(graph.node(group), "subnetIds", SUBNET)  # type: ignore[arg-type]
    assert not links.exact and [n.name for n in links.candidates] == ["a"]


def test_a_literal_id_names_a_resource_outside_the_stack_unless_a_deployed_one_has_it() -> None:
    [a] = subnets("a")
    outside = group_on([], ["subnet-0abc"])
    graph = Graph([a, outside])
    links = graph.links(graph.node(outside), "subnetIds", SUBNET)  # type: ignore[arg-type]
    assert links.outside == ("subnet-0abc",) and not links.exact
    assert links.why_unknown("subnet") == "subnetIds (subnet-0abc: not a subnet of this stack)"
    deployed = group_on([a], ["subnet-a"])  # a deployed stack's state: the subnet's id is known
    graph = Graph([a, deployed])
    links = graph.links(graph.node(deployed), "subnetIds", SUBNET)  # type: ignore[arg-type]
    assert links.exact and links.outside == () and [n.name for n in links.nodes] == ["a"]


def test_an_input_not_set_names_nothing_and_a_link_to_nothing_says_so() -> None:
    group = resource(GROUP, "gpu", {})
    graph = Graph([group])
    links = graph.links(graph.node(group), "subnetIds", SUBNET)  # type: ignore[arg-type]
    assert links == Links("subnetIds", (), exact=True)
    assert Links("subnetIds", (), exact=False).why_unknown("subnet") == "subnetIds (no subnet of this stack is linked)"


def test_ancestors_and_the_one_linked_resource() -> None:
    cluster = resource("aws:eks/cluster:Cluster", "train")
    component = resource("backbone:aws:Cluster", "c", parent=None)
    component.parent = cluster
    group = resource(GROUP, "gpu", {"clusterName": UNKNOWN}, parent=component)
    graph = Graph([cluster, component, group])
    node = graph.node(group)
    assert node is not None
    assert graph.ancestor(node, "aws:eks/cluster:Cluster") is graph.node(cluster)
    assert graph.ancestor(node, "aws:ec2/vpc:Vpc") is None
    assert graph.linked_or_ancestor(node, "clusterName", "aws:eks/cluster:Cluster") is graph.node(cluster)
    group.property_dependencies = {"clusterName": [cluster]}
    assert graph.linked_or_ancestor(node, "clusterName", "aws:eks/cluster:Cluster") is graph.node(cluster)


def test_a_parent_cycle_ends() -> None:
    a = resource("x:a", "a")
    b = resource("x:b", "b", parent=a)
    a.parent = b
    graph = Graph([a, b])
    assert graph.ancestor(graph.node(a), "x:none") is None  # type: ignore[arg-type]


def test_nodes_read_their_inputs_once_and_say_why_not() -> None:
    node = Node(resource(GROUP, "gpu", {"a": 1}))
    assert node.readable and node.inputs == {"a": 1} and node.problem is None
    assert (node.type, node.name, node.urn) == (GROUP, "gpu", f"urn:{GROUP}::gpu")
    bad = Node(resource(GROUP, "gpu", ["not", "a", "mapping"]))
    assert not bad.readable and bad.inputs == {} and bad.problem == "its inputs could not be read (got list)"
    graph = Graph([node.resource])
    assert graph.nodes()[0].name == "gpu" and graph.resources() == [node.resource]
    assert graph.of_type(GROUP)[0].name == "gpu" and graph.of_type(SUBNET) == [] and graph.node(None) is None


# --- the zones of a pool's subnets, through the graph ----------------------------------------------------------


def _zones(subnet_zones: dict[str, Any], value: Any, nested: Any = None) -> tuple[Any, dict[str, str]]:
    made = [resource(SUBNET, n, {"availabilityZone": z}) for n, z in subnet_zones.items()]
    group = group_on(made, value)
    graph = Graph([*made, group])
    unknown: dict[str, str] = {}
    found = zones_of_subnets(graph, graph.node(group), "subnetIds", SUBNET, "availabilityZone", unknown,  # type: ignore
                             nested)
    return found, unknown


def test_subnets_named_exactly_give_their_zones_sorted() -> None:
    assert _zones({"b": "us-east-1b", "a": "us-east-1a"}, [UNKNOWN, UNKNOWN]) == (("us-east-1a", "us-east-1b"), {})


def test_subnets_that_may_be_named_give_a_zone_only_where_they_agree() -> None:
    assert _zones({"a": "us-east-1a", "b": "us-east-1a"}, UNKNOWN) == (("us-east-1a",), {})
    found, unknown = _zones({"a": "us-east-1a", "b": "us-east-1b"}, UNKNOWN)
    assert found is UNKNOWN
    assert unknown == {"zones": "subnetIds (computed from 2 subnets in 2 zones, us-east-1a, us-east-1b: which of them "
                                "it names is unknown before deployment)"}


def test_a_subnet_outside_the_stack_or_none_linked_or_a_zone_unknown_is_named() -> None:
    assert _zones({}, ["subnet-0abc"]) == (UNKNOWN, {"zones": "subnetIds (subnet-0abc: not a subnet of this stack)"})
    assert _zones({"a": "us-east-1a"}, ["subnet-0abc", UNKNOWN]) == (
        UNKNOWN, {"zones": "subnetIds (subnet-0abc: not a subnet of this stack)"})
    assert _zones({}, [UNKNOWN]) == (UNKNOWN, {"zones": "subnetIds (no subnet of this stack is linked)"})
    assert _zones({"a": UNKNOWN}, [UNKNOWN]) == (UNKNOWN, {"zones": "subnetIds → a.availabilityZone"})


def test_a_nested_value_names_the_subnets() -> None:
    # only the part of the input that names subnets counts (a launch template's networkInterfaces[0].subnetId)
    assert _zones({"a": "us-east-1a"}, {"other": "x"}, nested=[UNKNOWN]) == (("us-east-1a",), {})


def test_candidates_are_read_once_each_with_their_node_count() -> None:
    from hand_pools import CATALOG

    seen: list[str] = []

    def nodes(instance: Any, name: str) -> int:
        seen.append(name)
        return 2 if name == "p5.48xlarge" else 4

    found = candidates_of(CATALOG, ["p4d.24xlarge", "p5.48xlarge", "p4d.24xlarge"], lambda i: FabricCheck(True),
                          nodes)
    assert seen == ["p4d.24xlarge", "p5.48xlarge"]
    # 4 × 8 A100 outnumber 2 × 8 H100: p4d first
    assert [(c.instance_type, c.max_nodes) for c in found] == [("p4d.24xlarge", 4), ("p5.48xlarge", 2)]
    assert [c.max_nodes for c in candidates_of(CATALOG, ["p5.48xlarge"], lambda i: FabricCheck(True))] == [None]
