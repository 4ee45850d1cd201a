"""max-accelerators judged in this process on hand-built inventories (p5.48xlarge: 8 H100 a node, from the
catalog's cited row; p7x.48xlarge: a type no catalog row knows, of AWS's P family, so at least 1 a node): the
pool limit and the stack limit each exactly at and just past, the lower bound that decides, which pool a stack
verdict points at, and a pool over its own limit not said twice."""

from __future__ import annotations

from typing import Any

from hand_pools import pool

from backbone.policies.inventory import UNKNOWN, Inventory
from backbone.policies.rules.max_accelerators import MaxAccelerators

RULE = MaxAccelerators()
RAISE_POOL = "or raise poolLimit if this is intended"
RAISE_STACK = "or raise stackLimit if this is intended"


def found(*pools: Any, **config: Any) -> list[tuple[str, str, str]]:
    return [(type(f).__name__, f.urn.rsplit("::", 1)[1], f.message) for f in RULE.check(Inventory(pools=list(pools)),
                                                                                         config)]


def named(name: str, **changes: Any) -> Any:
    return pool(name=name, urn=f"urn:pulumi:s::p::aws:eks/nodeGroup:NodeGroup::{name}", **changes)


def unknown_type(name: str, nodes: int) -> Any:
    return named(name, instance_type="p7x.48xlarge", instance=None, max_nodes=nodes, fabric=pool().fabric)


def test_the_pool_limit_exactly_at_and_one_node_past() -> None:
    assert found(named("gpu", max_nodes=64)) == []  # 512 = the default pool limit
    assert found(named("gpu", max_nodes=65)) == [(
        "Violation", "gpu", "pool gpu (aws:eks/nodeGroup:NodeGroup) can scale to 65 × p5.48xlarge (520 "
        "nvidia-h100-80gb): 520 accelerators over the pool limit of 512; lower its max nodes to 64 or less, "
        f"{RAISE_POOL}")]


def test_a_pool_over_both_limits_is_said_once() -> None:
    [(kind, _, message)] = found(named("gpu", max_nodes=1000))
    assert kind == "Violation" and message.startswith("pool gpu ") and "8,000 accelerators" in message


def test_a_pool_exactly_at_its_limit_but_over_the_stack_limit_is_a_stack_verdict() -> None:
    assert found(named("gpu", max_nodes=16), poolLimit=128, stackLimit=64) == [(
        "Violation", "gpu", "the stack can scale to 128 accelerators (gpu: 128), over the stack limit of 64; lower "
        f"the pools' max nodes (largest: gpu) {RAISE_STACK}")]


def test_the_stack_limit_points_at_the_largest_pool_wherever_it_stands() -> None:
    small, large = named("small", max_nodes=8), named("large", max_nodes=60)
    assert found(small, large, stackLimit=544) == []  # 64 + 480 = 544, exactly at the limit
    assert found(small, large, stackLimit=543) == [(
        "Violation", "large", "the stack can scale to 544 accelerators (small: 64, large: 480), over the stack limit "
        f"of 543; lower the pools' max nodes (largest: large) {RAISE_STACK}")]


def test_two_pools_of_one_size_point_at_the_first() -> None:
    one, two = named("one", max_nodes=40), named("two", max_nodes=40)
    [(_, at, _)] = found(one, two, stackLimit=600)
    assert at == "one"


def test_a_type_of_an_accelerator_family_counts_at_least_one_a_node_and_says_so() -> None:
    bound = ("p7x.48xlarge is not in the catalog, but p7 is an accelerator family, so each node has at least 1 "
             "accelerator")
    assert found(unknown_type("new", 1000)) == [
        ("Violation", "new", f"pool new (aws:eks/nodeGroup:NodeGroup) can scale to 1,000 × p7x.48xlarge (≥ 1,000 "
                             f"accelerators): at least 1,000 accelerators (decided by a lower bound: {bound}) over the "
                             f"pool limit of 512; lower its max nodes to 512 or less, {RAISE_POOL}"),
    ]
    under = found(unknown_type("new", 10))
    assert [(k, at) for k, at, _ in under] == [("Unverifiable", "new")]  # 10 at least, maybe more: not a pass


def test_a_lower_bound_of_one_still_counts_toward_the_stack() -> None:
    """1,024 H100 are exactly the stack limit; one node of a P-family type nobody lists makes it at least 1,025."""
    known = named("known", max_nodes=128)
    assert found(known, poolLimit=2048) == []
    assert found(known, unknown_type("new", 1), poolLimit=2048) == [
        ("Unverifiable", "new", "pool new (aws:eks/nodeGroup:NodeGroup): the catalog does not know how many "
                                "accelerators a p7x.48xlarge has"),
        ("Violation", "known", "the stack can scale to at least 1,025 accelerators (known: 1,024, new: ≥ 1) (lower "
                               "bounds: new: p7x.48xlarge is not in the catalog, but p7 is an accelerator family, so "
                               "each node has at least 1 accelerator), over the stack limit of 1,024; lower the pools' "
                               f"max nodes (largest: known) {RAISE_STACK}"),
    ]


def test_a_pool_of_no_known_size_cannot_be_verified_and_adds_nothing() -> None:
    blind = named("blind", instance_type=UNKNOWN, instance=None, unknown_inputs={"instance_type": "instanceTypes"})
    result = found(blind, named("gpu", max_nodes=64))
    assert [(k, at) for k, at, _ in result] == [("Unverifiable", "blind")]


def test_each_lower_bound_that_decides_a_stack_verdict_is_named() -> None:
    [*_, (_, _, message)] = found(named("known", max_nodes=128), unknown_type("new", 1), unknown_type("newer", 2),
                                  poolLimit=2048)
    assert "(known: 1,024, new: ≥ 1, newer: ≥ 2) (lower bounds: new: p7x.48xlarge is not in the catalog, but p7 is " \
           "an accelerator family, so each node has at least 1 accelerator; newer: p7x.48xlarge is not in" in message
