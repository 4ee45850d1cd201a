"""The pack never crashes on odd inputs: missing keys, wrong types, nulls, unknowns, huge numbers, junk.

Two ways in, both through the Analyzer protocol: random resources of the types the pack reads with random
links between them (hypothesis), and a sweep that makes every input of each cloud's balanced program odd,
one at a time. Whatever arrives, the pack answers with real findings or "cannot verify" — never a failed
call, never an internal error (the rules' base turns one into a "could not judge" cannot-verify).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from google.protobuf import json_format, struct_pb2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from policy_programs import Aws, Azure, Gcp, gcp_tpu

from backbone.analyzer import PolicyPack
from backbone.engine import UNKNOWN, Preview, RecordedResource, preview_function
from tests.nested_paths import paths

TYPES = [
    "aws:eks/nodeGroup:NodeGroup", "aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/placementGroup:PlacementGroup",
    "aws:ec2/subnet:Subnet", "aws:fsx/lustreFileSystem:LustreFileSystem", "gcp:container/nodePool:NodePool",
    "gcp:container/cluster:Cluster", "gcp:compute/network:Network", "gcp:lustre/instance:Instance",
    "gcp:parallelstore/instance:Instance", "azure-native:containerservice:AgentPool",
    "azure-native:containerservice:ManagedCluster", "azure-native:storagecache:AmlFilesystem",
    "aws:autoscaling/group:Group", "kubernetes:karpenter.sh/v1:NodePool",
    "nvidia-aicr:index:ClusterStack", "azure-native:resources:ResourceGroup",
]
KEYS = [
    "instanceTypes", "instanceType", "scalingConfig", "minSize", "maxSize", "labels", "launchTemplate", "subnetIds",
    "networkInterfaces", "interfaceType", "associatePublicIpAddress", "placement", "groupName", "strategy",
    "availabilityZone", "mapPublicIpOnLaunch", "storageCapacity", "perUnitStorageThroughput", "kmsKeyId",
    "nodeConfig", "machineType", "guestAccelerators", "count", "autoscaling", "minNodeCount", "maxNodeCount",
    "totalMaxNodeCount", "nodeCount", "nodeLocations", "location", "placementPolicy", "type", "tpuTopology",
    "networkConfig", "additionalNodeNetworkConfigs", "network", "enablePrivateNodes", "capacityGib", "vmSize",
    "minCount", "maxCount", "enableAutoScaling", "availabilityZones", "nodeLabels", "enableNodePublicIP",
    "sku", "name", "storageCapacityTiB", "zones", "backbone.dev/purpose", "amiType", "spot",
    "mixedInstancesPolicy", "launchTemplateSpecification", "overrides", "vpcZoneIdentifiers", "capacityType",
    "capacityReservationSpecification", "capacityReservationTarget", "instanceMarketOptions", "marketType",
    "nodePools", "agentPoolProfiles", "clusterAutoscaling", "enabled", "resourceLimits", "resourceType", "maximum",
    "spec", "template", "requirements", "key", "operator", "values", "limits", "tags", "value", "intent", "kind",
    "removeDefaultNodePool", "initialNodeCount", "placementGroup", "region", "resourceGroupName",
]
WORDS = ["p5.48xlarge", "a3-megagpu-8g", "ct5p-hightpu-4t", "Standard_ND96isr_H100_v5", "training", "efa",
         "cluster", "COMPACT", "2x2x2", "3x", "us-east-1a", "us-central1-a", "1", "AMLFS-Durable-Premium-250",
         "p9.big", "g", "true", "", "x" * 300, "CAPACITY_BLOCK", "capacity-block", "In", "nvidia.com/gpu",
         "node.kubernetes.io/instance-type", "karpenter.k8s.aws/instance-family", "p5"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**9, 10**12).map(float),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(WORDS), st.just(UNKNOWN), st.text(max_size=8),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
    max_leaves=12,
)
resources = st.lists(
    st.tuples(st.sampled_from(TYPES), st.dictionaries(st.sampled_from(KEYS), values, max_size=8),
              st.lists(st.integers(0, 5), max_size=3)),
    min_size=1, max_size=6,
)


def _recorded(spec: list[tuple[str, dict[str, Any], list[int]]]) -> list[RecordedResource]:
    urns = [f"urn:pulumi:fuzz::backbone::{type_}::r{i}" for i, (type_, _, _) in enumerate(spec)]
    out = []
    for i, (type_, props, links) in enumerate(spec):
        deps = [urns[j] for j in links if j < len(urns) and j != i]
        properties = struct_pb2.Struct()
        json_format.ParseDict(props, properties)
        out.append(RecordedResource(
            type=type_, name=f"r{i}", urn=urns[i], custom=True, parent="", dependencies=deps,
            property_dependencies={key: deps for key in props}, properties=properties))
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(spec=resources, strict=st.booleans())
def test_odd_inputs_give_findings_or_cannot_verify_never_a_crash(pack: PolicyPack, spec: Any, strict: bool) -> None:
    pack.configure({name: {"strict": True} for name, info in pack.policies.items()
                    if strict and "strict" in info.config_schema["properties"]})
    recorded = _recorded(spec)
    found = [d for r in recorded for d in pack.analyze(r)] + pack.analyze_stack(recorded)
    for diagnostic in found:
        assert diagnostic.policy in pack.policies
        assert "could not judge" not in diagnostic.message, diagnostic.message
        assert diagnostic.cannot_verify or diagnostic.urn in {r.urn for r in recorded}, diagnostic


@cache
def _balanced(cloud: str) -> Preview:
    programs: dict[str, Callable[[], None]] = {
        "aws": Aws(efa_interfaces=2), "gcp": Gcp(vpcs=2, gpu_nics=2), "tpu": gcp_tpu(), "azure": Azure()}
    return preview_function(programs[cloud], "mutant")


def _mutate(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    """``data`` with the input at ``path`` replaced by ``value`` or removed."""
    head, rest = path[0], path[1:]
    out: Any = dict(data) if isinstance(data, dict) else list(data)
    if rest:
        out[head] = _mutate(out[head], rest, value, delete)
    elif delete:
        del out[head]
    else:
        out[head] = value
    return out


ODD = {"unknown": UNKNOWN, "null": None, "junk text": "junk", "huge": 1e300, "negative": -3, "object": {"x": [1]},
       "deleted": "deleted"}


def _with(preview: Preview, victim: RecordedResource, inputs: Any) -> list[RecordedResource]:
    properties = struct_pb2.Struct()
    json_format.ParseDict(inputs, properties)
    changed = RecordedResource(victim.type, victim.name, victim.urn, victim.custom, victim.parent,
                               victim.dependencies, victim.property_dependencies, properties)
    return [changed if r is victim else r for r in preview.resources]


@pytest.mark.parametrize("odd", ODD, ids=ODD.keys())
@pytest.mark.parametrize("cloud", ["aws", "gcp", "tpu", "azure"])
def test_every_input_of_a_real_program_made_odd_never_crashes_the_pack(pack: PolicyPack, cloud: str,
                                                                       odd: str) -> None:
    """Each input (container or leaf) of each resource the pack reads, one at a time, made odd."""
    preview = _balanced(cloud)
    pack.configure({})
    urns = {r.urn for r in preview.resources}
    for victim in [r for r in preview.resources if r.type in TYPES]:
        for path in paths(victim.inputs):
            mutated = _with(preview, victim, _mutate(victim.inputs, path, ODD[odd], odd == "deleted"))
            for diagnostic in pack.analyze_stack(mutated):
                assert "could not judge" not in diagnostic.message, (victim.name, path, diagnostic.message)
                assert diagnostic.cannot_verify or diagnostic.urn in urns, diagnostic
