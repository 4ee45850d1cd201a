"""inventory.placement on small inputs: Helm's merge of values over the chart's defaults, selectors and affinity
against labels, tolerations against taints, and unknown never read as a match."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from backbone.policies.inventory.facts import UNKNOWN, Unknown
from backbone.policies.inventory.placement import NodeTraits, Placement, lands, placement_of_release, traits_of_pool

GPU_NODE = NodeTraits({"backbone.dev/pool": "h100"}, ())


def release(values: Any) -> Any:
    return placement_of_release(SimpleNamespace(inputs={"values": values}), "nvidia-device-plugin")  # type: ignore[arg-type]


def test_chart_defaults_need_nfd_labels() -> None:
    placement = release({})
    assert isinstance(placement, Placement)
    assert lands(placement, GPU_NODE)[0] is False
    assert lands(placement, NodeTraits({"feature.node.kubernetes.io/pci-10de.present": "true"}, ()))[0] is True
    assert lands(placement, NodeTraits({"nvidia.com/gpu.present": "true"}, ()))[0] is True


def test_a_node_selector_alone_keeps_the_default_affinity() -> None:
    # Helm merges maps: values.nodeSelector does not remove the chart's affinity.
    placement = release({"nodeSelector": {"backbone.dev/pool": "h100"}})
    assert isinstance(placement, Placement)
    assert lands(placement, GPU_NODE)[0] is False


def test_null_affinity_removes_the_default_and_the_selector_decides() -> None:
    placement = release({"affinity": None, "nodeSelector": {"backbone.dev/pool": "h100"}})
    assert isinstance(placement, Placement)
    assert lands(placement, GPU_NODE) == (True, "")
    assert lands(placement, NodeTraits({"backbone.dev/pool": "l4"}, ()))[0] is False


def test_tolerations_replace_the_defaults() -> None:
    spot = NodeTraits({"nvidia.com/gpu.present": "true"},
                      (("kubernetes.azure.com/scalesetpriority", "spot", "NoSchedule"),))
    default = release({})
    assert isinstance(default, Placement)
    verdict, why = lands(default, spot)
    assert verdict is False and "scalesetpriority=spot:NoSchedule" in why
    everything = release({"tolerations": [{"operator": "Exists"}]})
    assert isinstance(everything, Placement) and lands(everything, spot)[0] is True
    # A PreferNoSchedule taint never keeps a pod off.
    soft = NodeTraits({"nvidia.com/gpu.present": "true"}, (("x", "y", "PreferNoSchedule"),))
    assert lands(default, soft)[0] is True


@pytest.mark.parametrize("values", [UNKNOWN, {"affinity": UNKNOWN}, {"tolerations": [{"key": UNKNOWN}]}])
def test_unknown_values_make_the_landing_unknown(values: Any) -> None:
    assert isinstance(release(values), Unknown)


def test_an_unknown_label_is_never_a_match() -> None:
    placement = release({})
    assert isinstance(placement, Placement)
    unsure = NodeTraits({"nvidia.com/gpu.present": UNKNOWN}, ())
    assert isinstance(lands(placement, unsure)[0], Unknown)
    open_labels = NodeTraits({}, (), open_labels=True)
    assert isinstance(lands(placement, open_labels)[0], Unknown)
    assert isinstance(lands(Placement(), NodeTraits({}, UNKNOWN))[0], Unknown)


def test_a_chart_the_pack_does_not_know_is_not_judged_unless_its_values_place_it() -> None:
    other = SimpleNamespace(inputs={"values": {}})
    assert placement_of_release(other, "some-chart") is None  # type: ignore[arg-type]


@pytest.mark.parametrize("node_type, inputs, taints", [
    ("aws:eks/nodeGroup:NodeGroup", {"labels": {"a": "b"}, "taints": [{"key": "k", "value": "v",
                                                                     "effect": "NO_SCHEDULE"}]},
     (("k", "v", "NoSchedule"),)),
    ("gcp:container/nodePool:NodePool",
     {"nodeConfig": {"labels": {"a": "b"}, "taints": [{"key": "k", "value": "v", "effect": "NO_EXECUTE"}]}},
     (("k", "v", "NoExecute"),)),
    ("azure-native:containerservice:AgentPool", {"nodeLabels": {"a": "b"}, "nodeTaints": ["k=v:NoSchedule"],
                                                 "scaleSetPriority": "Spot"},
     (("k", "v", "NoSchedule"), ("kubernetes.azure.com/scalesetpriority", "spot", "NoSchedule"))),
])
def test_pool_traits_per_cloud(node_type: str, inputs: dict[str, Any], taints: tuple[Any, ...]) -> None:
    traits = traits_of_pool(SimpleNamespace(type=node_type, inputs=inputs), {})  # type: ignore[arg-type]
    assert traits is not None and traits.labels == {"a": "b"} and traits.taints == taints
