"""Where a node agent lands: a DaemonSet's (or a Helm chart's) node selector, required node affinity and
tolerations against a pool's node labels and taints. A device plugin that exists but schedules on no node of a
pool gives that pool nothing: pods requesting ``nvidia.com/gpu`` stay Pending.

Read from provider resources only: a Helm release's ``values`` (with the chart's own defaults where a value is not
set, for the charts in ``CHART_DEFAULTS``), a DaemonSet's pod template, a node pool's labels and taints (EKS
``labels``/``taints``, GKE ``nodeConfig.labels``/``nodeConfig.taints``, AKS ``nodeLabels``/``nodeTaints``) and the
labels and taints the platform puts on its nodes. Whatever decides and is unknown makes the landing unknown
(cannot verify), never a pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from backbone.policies.inventory.facts import UNKNOWN, Unknown
from backbone.policies.inventory.graph import Node
from backbone.policies.inventory.values import as_dict, as_list, as_str, dig

__all__ = ["CHART_DEFAULTS", "NFD_GPU_LABELS", "NodeTraits", "Placement", "lands", "placement_of_daemonset",
           "placement_of_release", "traits_of_pool"]

Expression = tuple[str, str, tuple[str, ...]]
"""(key, operator, values) of a node selector requirement."""
Taint = tuple[str, str, str]
"""(key, value, effect)."""
Toleration = tuple[str | None, str, str | None, str | None]
"""(key, operator, value, effect); key None with ``Exists`` tolerates everything."""


@dataclass(frozen=True)
class Placement:
    """Where a node agent's pods may run."""

    node_selector: tuple[tuple[str, str], ...] = ()
    terms: tuple[tuple[Expression, ...], ...] | None = None
    """Required node affinity: the node must match one term (every expression of it); None: no requirement."""
    tolerations: tuple[Toleration, ...] = ()
    why: str = ""
    """Where the placement comes from (``values``, ``the chart's defaults (…)``), for messages."""


@dataclass(frozen=True)
class NodeTraits:
    """A pool's node labels and taints as far as they are known."""

    labels: Mapping[str, str | Unknown] = field(default_factory=dict)
    """Known labels; a label whose presence is unknown maps to UNKNOWN."""
    taints: tuple[Taint, ...] | Unknown = ()
    open_labels: bool = False
    """True when labels not listed may still be present (the pool's label map itself is unknown)."""


# The charts whose defaults decide where their DaemonSet lands, read from the chart at the pinned release.
# NVIDIA/k8s-device-plugin v0.18.0, deployments/helm/nvidia-device-plugin/values.yaml (read 2026-12-07): a required
# node affinity on any of three labels that Node Feature Discovery or GPU Feature Discovery add, and tolerations for
# CriticalAddonsOnly and nvidia.com/gpu:NoSchedule.
CHART_DEFAULTS: Final[dict[str, dict[str, Any]]] = {
    "nvidia-device-plugin": {
        "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "feature.node.kubernetes.io/pci-10de.present", "operator": "In",
                                   "values": ["true"]}]},
            {"matchExpressions": [{"key": "feature.node.kubernetes.io/cpu-model.vendor_id", "operator": "In",
                                   "values": ["NVIDIA"]}]},
            {"matchExpressions": [{"key": "nvidia.com/gpu.present", "operator": "In", "values": ["true"]}]},
        ]}}},
        "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}],
    },
}
_DEFAULTS_WHY: Final = "the chart's default {key} (nvidia-device-plugin 0.18: NFD/GFD labels)"

NFD_GPU_LABELS: Final[dict[str, str]] = {
    "feature.node.kubernetes.io/pci-10de.present": "true",
    "nvidia.com/gpu.present": "true",
}
"""What Node Feature Discovery and GPU Feature Discovery (both deployed by the NVIDIA GPU Operator, or NFD's own
chart) label NVIDIA GPU nodes with (10de: NVIDIA's PCI vendor id)."""

_EFFECTS = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}


def _expressions(raw: Any) -> tuple[Expression, ...] | Unknown:
    items = as_list(raw)
    if isinstance(items, Unknown):
        return UNKNOWN
    found: list[Expression] = []
    for item in items or ():
        key, operator, values = as_str(dig(item, "key")), as_str(dig(item, "operator")), as_list(dig(item, "values"))
        if isinstance(key, Unknown) or isinstance(operator, Unknown) or isinstance(values, Unknown):
            return UNKNOWN
        if any(isinstance(v, Unknown) for v in values or ()):
            return UNKNOWN
        found.append((key or "", operator or "", tuple(str(v) for v in values or ())))
    return tuple(found)


def _terms(affinity: Any) -> tuple[tuple[Expression, ...], ...] | Unknown | None:
    required = dig(affinity, "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(required, Unknown):
        return UNKNOWN
    if required is None:
        return None
    terms = as_list(dig(required, "nodeSelectorTerms"))
    if isinstance(terms, Unknown):
        return UNKNOWN
    found = []
    for term in terms or ():
        expressions = _expressions(dig(term, "matchExpressions"))
        if isinstance(expressions, Unknown):
            return UNKNOWN
        found.append(expressions)
    return tuple(found)


def _tolerations(raw: Any) -> tuple[Toleration, ...] | Unknown:
    items = as_list(raw)
    if isinstance(items, Unknown):
        return UNKNOWN
    found: list[Toleration] = []
    for item in items or ():
        fields = [as_str(dig(item, k)) for k in ("key", "operator", "value", "effect")]
        if any(isinstance(f, Unknown) for f in fields):
            return UNKNOWN
        key, operator, value, effect = (f if isinstance(f, str) else None for f in fields)
        found.append((key or None, operator or "Equal", value, effect or None))
    return tuple(found)


def _selector(raw: Any) -> tuple[tuple[str, str], ...] | Unknown:
    selector = as_dict(raw)
    if isinstance(selector, Unknown) or any(isinstance(v, Unknown) for v in (selector or {}).values()):
        return UNKNOWN
    return tuple(sorted((str(k), str(v)) for k, v in (selector or {}).items()))


def _placement(pod: Any, why: str) -> Placement | Unknown:
    """The placement of a pod spec (or of chart values of the same shape)."""
    if isinstance(pod, Unknown):
        return UNKNOWN
    pod = pod or {}
    selector = _selector(pod.get("nodeSelector"))
    terms = _terms(pod.get("affinity"))
    tolerations = _tolerations(pod.get("tolerations"))
    if isinstance(selector, Unknown) or isinstance(terms, Unknown) or isinstance(tolerations, Unknown):
        return UNKNOWN
    return Placement(selector, terms, tolerations, why)


def _coalesce(default: Any, given: Any) -> Any:
    """Helm's merge of user values over a chart's: maps merge key by key, ``null`` deletes, anything else
    (lists included) replaces."""
    if isinstance(given, Unknown) or not isinstance(default, dict) or not isinstance(given, dict):
        return given
    merged = dict(default)
    for key, value in given.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _coalesce(default.get(key), value)
    return merged


def placement_of_release(node: Node, chart: str) -> Placement | Unknown | None:
    """Where a Helm release's node agent lands: its values over the chart's known defaults; None for a chart whose
    defaults the pack does not know and whose values do not place it (not judged, said in docs)."""
    values = node.inputs.get("values")
    if isinstance(values, Unknown):
        return UNKNOWN
    values = as_dict(values) or {}
    if isinstance(values, Unknown):
        return UNKNOWN
    keys = ("nodeSelector", "affinity", "tolerations")
    defaults = CHART_DEFAULTS.get(chart)
    if defaults is None and not any(k in values for k in keys):
        return None
    merged = _coalesce(defaults or {}, {k: values[k] for k in keys if k in values})
    if isinstance(merged, Unknown):
        return UNKNOWN
    from_defaults = [k for k in keys if k in (defaults or {}) and k not in values]
    why = ", ".join([f"its values' {k}" for k in keys if k in values] +
                    [_DEFAULTS_WHY.format(key=k) for k in from_defaults])
    return _placement(merged, why)


def placement_of_daemonset(node: Node) -> Placement | Unknown:
    """Where a DaemonSet's pods land: its pod template's node selector, affinity and tolerations."""
    pod = dig(node.inputs.get("spec"), "template", "spec")
    return _placement(pod, "its pod template")


def _matches(expression: Expression, labels: Mapping[str, str | Unknown], open_labels: bool) -> bool | Unknown:
    key, operator, values = expression
    value = labels.get(key, UNKNOWN if open_labels else None)
    if isinstance(value, Unknown):
        return UNKNOWN
    if operator == "In":
        return value is not None and value in values
    if operator == "NotIn":
        return value is None or value not in values
    if operator == "Exists":
        return value is not None
    if operator == "DoesNotExist":
        return value is None
    return UNKNOWN  # Gt / Lt and anything else: not judged


def _all(results: Iterable[bool | Unknown]) -> bool | Unknown:
    seen = list(results)
    if False in seen:
        return False
    return UNKNOWN if any(isinstance(r, Unknown) for r in seen) else True


def _any(results: Iterable[bool | Unknown]) -> bool | Unknown:
    seen = list(results)
    if True in seen:
        return True
    return UNKNOWN if any(isinstance(r, Unknown) for r in seen) else False


def _tolerates(tolerations: tuple[Toleration, ...], taint: Taint) -> bool:
    key, value, effect = taint
    for t_key, operator, t_value, t_effect in tolerations:
        if t_effect is not None and t_effect != effect:
            continue
        if t_key is None and operator == "Exists":
            return True
        if t_key == key and (operator == "Exists" or t_value == value):
            return True
    return False


def lands(placement: Placement, traits: NodeTraits) -> tuple[bool | Unknown, str]:
    """Whether pods placed by ``placement`` schedule on a node with ``traits``, and why not (or why unknown)."""
    selector = _all(_matches((k, "In", (v,)), traits.labels, traits.open_labels) for k, v in placement.node_selector)
    affinity: bool | Unknown = True
    if placement.terms is not None:
        affinity = _any(_all(_matches(e, traits.labels, traits.open_labels) for e in term)
                        for term in placement.terms) if placement.terms else False
    if selector is False or affinity is False:
        wanted = [f"{k}={v}" for k, v in placement.node_selector]
        wanted += [" and ".join(f"{k} {op} {','.join(v)}" for k, op, v in term) for term in placement.terms or ()]
        return False, f"its node selector/affinity ({placement.why}) wants {' or '.join(wanted)}, which the " \
                      f"pool's nodes do not carry"
    if isinstance(traits.taints, Unknown):
        return UNKNOWN, "the pool's taints are unknown"
    untolerated = [t for t in traits.taints if t[2] in ("NoSchedule", "NoExecute")
                   and not _tolerates(placement.tolerations, t)]
    if untolerated:
        key, value, effect = untolerated[0]
        return False, f"it does not tolerate the pool's taint {key}={value}:{effect} ({placement.why})"
    if isinstance(selector, Unknown) or isinstance(affinity, Unknown):
        return UNKNOWN, f"whether the pool's nodes carry the labels its affinity wants ({placement.why}) is unknown"
    return True, ""


def _taint(raw: Any) -> Taint | Unknown | None:
    if isinstance(raw, str):  # AKS: key=value:Effect
        head, _, effect = raw.rpartition(":")
        key, _, value = head.partition("=")
        return (key, value, effect) if key and effect else None
    fields = [as_str(dig(raw, k)) for k in ("key", "value", "effect")]
    if any(isinstance(f, Unknown) for f in fields):
        return UNKNOWN
    key, value, effect = (f if isinstance(f, str) else "" for f in fields)
    return (key, value, _EFFECTS.get(effect, effect)) if key else None


def _taints(raw: Any) -> tuple[Taint, ...] | Unknown:
    items = as_list(raw)
    if isinstance(items, Unknown):
        return UNKNOWN
    found = [_taint(item) for item in items or ()]
    if any(isinstance(t, Unknown) for t in found):
        return UNKNOWN
    return tuple(t for t in found if isinstance(t, tuple))


_POOL_FIELDS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "aws:eks/nodeGroup:NodeGroup": (("labels",), ("taints",)),
    "gcp:container/nodePool:NodePool": (("nodeConfig", "labels"), ("nodeConfig", "taints")),
    "azure-native:containerservice:AgentPool": (("nodeLabels",), ("nodeTaints",)),
}
# Azure: spot nodes carry kubernetes.azure.com/scalesetpriority=spot:NoSchedule (AKS, "Add a Spot node pool",
# https://learn.microsoft.com/en-us/azure/aks/spot-node-pool).
_AKS_SPOT_TAINT: Final[Taint] = ("kubernetes.azure.com/scalesetpriority", "spot", "NoSchedule")


def traits_of_pool(node: Node, added: Mapping[str, str | Unknown]) -> NodeTraits | None:
    """The labels and taints of a node pool's nodes: its own, the platform's, and ``added`` (labels that agents
    in the stack put on GPU nodes, e.g. NFD's); None for a pool type not read here."""
    fields = _POOL_FIELDS.get(node.type)
    if fields is None:
        return None
    label_path, taint_path = fields
    raw_labels = as_dict(dig(node.inputs, *label_path))
    open_labels = isinstance(raw_labels, Unknown)
    labels: dict[str, str | Unknown] = {}
    if isinstance(raw_labels, dict):
        labels = {str(k): (UNKNOWN if isinstance(v, Unknown) else str(v)) for k, v in raw_labels.items()}
    labels.update(added)
    taints = _taints(dig(node.inputs, *taint_path))
    if node.type == "azure-native:containerservice:AgentPool" and not isinstance(taints, Unknown):
        priority = as_str(node.inputs.get("scaleSetPriority"))
        if isinstance(priority, Unknown):
            taints = UNKNOWN
        elif priority == "Spot":
            taints = (*taints, _AKS_SPOT_TAINT)
    return NodeTraits(labels, taints, open_labels)
