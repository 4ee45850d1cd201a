"""Every Kubernetes object the runtime layer creates for each example stack, rendered from the offline preview and
validated: core objects against the Kubernetes schemas (kubernetes-validate, strict: an unknown field is an
error), the operators' custom resources against schemas of the fields Backbone sets, written from their CRDs."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest

from backbone.engine import RecordedResource, preview_program
from backbone.stackfile import PROJECT_ROOT, find_stacks, read_stack

KUBERNETES_VERSION = "1.33.0"
"""A Kubernetes minor every cloud's managed service still offers; the objects use only stable v1 APIs."""
UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""How an output unknown in preview reads on the wire: a string; replaced by a value of the field's type."""
NOT_OBJECTS = ("kubernetes:helm.sh/", "kubernetes:yaml/", "pulumi:providers:kubernetes")

# Written from the CRDs' schemas (the fields Backbone sets, their types and required keys; additional fields are
# errors so that a typo fails here and not in the cluster):
# - NicClusterPolicy: Mellanox/network-operator v25.7.0 (commit e26ca2e2373d), deployment/network-operator/crds/
#   mellanox.com_nicclusterpolicies.yaml: cluster-scoped mellanox.com/v1alpha1; spec.ofedDriver and
#   spec.rdmaSharedDevicePlugin each require image (pattern [a-zA-Z0-9-]+), repository and version; spec.nodeAffinity
#   is a core NodeAffinity, spec.tolerations a list of core Tolerations.
# - GKENetworkParamSet and Network (networking.gke.io/v1): GKE, "Maximize GPU network bandwidth with GPUDirect-TCPXO /
#   GPUDirect-TCPX" and "GPUDirect-RDMA": GKENetworkParamSet spec vpc, vpcSubnet, deviceMode NetDevice or RDMA;
#   Network spec type Device (or L3) with parametersRef group networking.gke.io, kind GKENetworkParamSet, name.
_IMAGE = {"type": "string", "pattern": "^[a-zA-Z0-9-]+$"}
_COMPONENT = {"type": "object", "required": ["image", "repository", "version"], "additionalProperties": False,
              "properties": {"image": _IMAGE, "repository": {"type": "string"}, "version": {"type": "string"},
                             "config": {"type": "string"}}}
_OBJECT_META = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
CUSTOM_RESOURCES: dict[str, dict[str, Any]] = {
    "kubernetes:mellanox.com/v1alpha1:NicClusterPolicy": {
        "type": "object", "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {"metadata": _OBJECT_META, "spec": {
            "type": "object", "additionalProperties": False,
            "properties": {"ofedDriver": _COMPONENT, "rdmaSharedDevicePlugin": _COMPONENT,
                           "nodeAffinity": {"type": "object"}, "tolerations": {"type": "array"}}}},
    },
    "kubernetes:networking.gke.io/v1:GKENetworkParamSet": {
        "type": "object", "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {"metadata": _OBJECT_META, "spec": {
            "type": "object", "required": ["vpc", "vpcSubnet", "deviceMode"], "additionalProperties": False,
            "properties": {"vpc": {"type": "string"}, "vpcSubnet": {"type": "string"},
                           "deviceMode": {"enum": ["NetDevice", "RDMA"]}}}},
    },
    "kubernetes:networking.gke.io/v1:Network": {
        "type": "object", "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {"metadata": _OBJECT_META, "spec": {
            "type": "object", "required": ["type", "parametersRef"], "additionalProperties": False,
            "properties": {"type": {"enum": ["Device", "L3"]}, "parametersRef": {
                "type": "object", "required": ["group", "kind", "name"], "additionalProperties": False,
                "properties": {"group": {"const": "networking.gke.io"}, "kind": {"const": "GKENetworkParamSet"},
                               "name": {"type": "string"}}}}}},
    },
}

STACKS = find_stacks(PROJECT_ROOT / "stacks")


def _known(value: Any) -> Any:
    if value == UNKNOWN_SENTINEL:
        return "unknown-in-preview"
    if isinstance(value, dict):
        return {k: _known(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_known(v) for v in value]
    return value


def render(resource: RecordedResource) -> dict[str, Any]:
    """The manifest a registration stands for: apiVersion and kind from its type token, its inputs."""
    group_version, kind = resource.type.removeprefix("kubernetes:").rsplit(":", 1)
    api_version = group_version.removeprefix("core/")
    body = _known(copy.deepcopy(resource.inputs))
    body.pop("apiVersion", None)
    body.pop("kind", None)
    return {"apiVersion": api_version, "kind": kind, **body}


def objects(path: Path) -> list[RecordedResource]:
    stack = read_stack(path)
    preview = preview_program(PROJECT_ROOT, stack.name, stack.config)
    return [r for r in preview.resources if r.type.startswith("kubernetes:") and not r.type.startswith(NOT_OBJECTS)]


@pytest.mark.parametrize("path", STACKS, ids=[p.name for p in STACKS])
def test_every_object_of_the_runtime_layer_validates(path: Path) -> None:
    rendered = objects(path)
    for resource in rendered:
        manifest = render(resource)
        schema = CUSTOM_RESOURCES.get(resource.type)
        if schema is not None:
            jsonschema.validate(manifest, schema)
        else:
            kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


def test_the_example_stacks_create_objects_of_every_kind_checked() -> None:
    kinds = {r.type for path in STACKS for r in objects(path)}
    assert set(CUSTOM_RESOURCES) <= kinds, "a custom resource schema here no example stack exercises"
    assert {"kubernetes:core/v1:PersistentVolume", "kubernetes:core/v1:PersistentVolumeClaim"} <= kinds


def test_a_typo_in_an_object_fails_validation() -> None:
    pv = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "x"},
          "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteMany"], "csiDriver": {}}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(pv, KUBERNETES_VERSION, strict=True)
    params = {"apiVersion": "networking.gke.io/v1", "kind": "GKENetworkParamSet", "metadata": {"name": "n"},
              "spec": {"vpc": "v", "vpcSubnet": "s", "deviceMode": "Rdma"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(params, CUSTOM_RESOURCES["kubernetes:networking.gke.io/v1:GKENetworkParamSet"])
