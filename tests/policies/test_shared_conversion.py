"""The pack's servicer converts a stack's resources once for its 18 policies (policies/servicer.py) and the rules
share one inventory per request (policies/rules/base.py): the verdict must be exactly CrossGuard's own, and an
inventory must never serve another request."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel

from backbone.analyzer import PolicyPack
from backbone.engine import preview_program
from backbone.policies.rules import ALL_POLICIES
from backbone.policies.rules.base import shared_inventory
from backbone.policies.servicer import _STOCK, SharedConversionServicer, convert, supported
from backbone.stackfile import PROJECT_ROOT, find_stacks, read_stack

STACKS = find_stacks(PROJECT_ROOT / "stacks")
TIGHT = {  # limits nothing meets, one rule advisory
    "max-accelerators": {"poolLimit": 1, "stackLimit": 1},
    "monthly-budget": {"enforcementLevel": "advisory", "usd": 1, "strict": True},
}
UNPRICED = {"monthly-budget": {"usd": 1_000_000}}


def _servicer(cls: type) -> Any:
    return cls("backbone", "0.0.1", ALL_POLICIES, EnforcementLevel.ADVISORY, None, None, None, None, None, None, None)


class _Compared:
    """A stub for ``backbone.analyzer.PolicyPack``: every RPC goes to CrossGuard's stock servicer and to ours;
    AnalyzeStack's two answers are kept for comparison."""

    def __init__(self) -> None:
        self.stock, self.shared = _servicer(_STOCK), _servicer(SharedConversionServicer)
        self.answers: list[tuple[Any, Any]] = []
        self.requests: list[Any] = []

    def __getattr__(self, rpc: str) -> Callable[..., Any]:
        def call(request: Any, timeout: float | None = None) -> Any:
            stock = getattr(self.stock, rpc)(request, None)
            shared = getattr(self.shared, rpc)(request, None)
            if rpc == "AnalyzeStack":
                self.answers.append((stock, shared))
                self.requests.append(request)
            return shared
        return call


@pytest.fixture(scope="module")
def compared() -> _Compared:
    stub = _Compared()
    pack = PolicyPack(PROJECT_ROOT / "backbone" / "policies")
    pack._stub = stub  # type: ignore[assignment]
    pack._read_info()
    for path in STACKS:
        stack = read_stack(path)
        broken = copy.deepcopy(stack.config)
        first = broken["backbone:cluster"]["nodePools"][0]
        if "tpu" not in str(first.get("instanceType", "")):  # a TPU slice's node count is fixed by its shape
            first["maxNodes"] = 1000
        runs = [(stack.config, {}), (broken, {}), (stack.config, TIGHT)]
        if stack.name == "aws-p5-train":  # FSx at 250 MB/s/TiB has no list price: under a budget the
            unpriced = copy.deepcopy(stack.config)  # pools' $642,867 fit, the file system may not: cannot verify
            unpriced["backbone:cluster"]["storage"][0]["throughputMBpsPerTiB"] = 250
            runs.append((unpriced, UNPRICED))
        for config, policy_config in runs:
            pack.configure(policy_config)
            pack.judge(preview_program(PROJECT_ROOT, stack.name, config))
    return stub


def test_the_installed_crossguard_has_what_the_shared_servicer_relies_on() -> None:
    assert supported(), "pulumi_policy changed: policies/servicer.py must follow its AnalyzeStack again"


def test_analyze_stack_answers_exactly_as_crossguard(compared: _Compared) -> None:
    assert len(compared.answers) == 3 * len(STACKS) + 1
    for stock, shared in compared.answers:
        assert shared == stock
    diagnostics = [d for stock, _ in compared.answers for d in stock.diagnostics]
    # the comparison covered violations of every level and "cannot verify" diagnostics, not only silence
    assert {d.enforcementLevel for d in diagnostics if "can't run policy" not in d.message} >= {
        analyzer_pb2.ADVISORY, analyzer_pb2.MANDATORY}
    assert any("can't run policy" in d.message for d in diagnostics)


def test_an_inventory_is_shared_only_by_the_policies_of_one_request(compared: _Compared) -> None:
    request = compared.requests[0]
    servicer = compared.shared
    resources = convert(servicer, request)
    first = shared_inventory(resources)
    assert shared_inventory(resources) is first  # the same list: the rules of one request share it
    again = convert(servicer, request)
    assert shared_inventory(again) is not first  # same content, another request: built again

    # the same URNs with other inputs: never the cached inventory
    changed = copy.deepcopy(request)
    pools = [r for r in changed.resources if r.type == "aws:eks/nodeGroup:NodeGroup"]
    assert pools, "the first example stack has an EKS node group"
    for pool in pools:  # every group: which one is the accelerator pool depends on the registration order
        pool.properties["scalingConfig"]["maxSize"] = 977
    other = shared_inventory(convert(servicer, changed))
    assert [r.urn for r in changed.resources] == [r.urn for r in request.resources]
    assert other is not first
    assert 977 in {p.max_nodes for p in other.pools}
    assert 977 not in {p.max_nodes for p in first.pools}
