"""The one contract every Backbone component keeps, on every cloud, checked over every component class found
by walking ``components/`` (a new component is covered the day it is added, and must add its cases here):

- type token ``backbone:<cloud>:<ClassName>`` (``backbone:index:`` for cloud-neutral ones);
- arguments are a frozen dataclass, every field documented, in the shared words (``purpose``, ``capacity``,
  ``gpu_driver``, ``reservation``, ``pool_name`` with the types of ``backbone.core.vocabulary``), and no field
  takes a provider resource object: clusters and networks are given by name or id (``pulumi.Input[str]``);
- every output attribute documented, and registered under its own name as ids and plain values;
- a bad argument raises ``ComponentArgumentError`` naming the component and the argument.
"""

from __future__ import annotations

import dataclasses
import importlib
import typing
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from backbone.component_reference import args_class, cloud_of, component_classes, field_docs, type_token
from backbone.components.gcp.tpu_node_pool import TpuNodePoolArgs
from backbone.components.outputs import output_names
from backbone.components.runtime import PoolNeeds, Volume
from backbone.components.spec import ClusterSpec
from backbone.core import catalog, vocabulary
from backbone.core.errors import ComponentArgumentError
from backbone.engine import preview_function

# ----------------------------------------------------------------------------- discovery

CLASSES = component_classes()

# pulumi.Input is Union[T, Awaitable[T], "Output[T]"]: its forward reference resolves in pulumi's namespace.
HINT_NAMES = {**vars(typing), **vars(pulumi)}


def hints_of(obj: Any) -> dict[str, Any]:
    return typing.get_type_hints(obj, localns=HINT_NAMES)


def args_type(cls: type) -> Any:
    found = args_class(cls)
    assert found is not None, f"{cls.__name__}.__init__ takes no annotated arguments"
    return found


# ----------------------------------------------------------------------------- static checks


def documented_names(cls: type) -> tuple[list[str], list[str]]:
    """(annotated names, those followed by a docstring) in a class body."""
    docs = field_docs(cls)
    return [f.name for f in docs], [f.name for f in docs if f.doc]


def resource_classes_in(hint: Any) -> list[type]:
    """Provider resource classes a type hint accepts (``pulumi.Resource`` itself, a bare dependency, is fine)."""
    if isinstance(hint, type) and issubclass(hint, pulumi.Resource) and hint is not pulumi.Resource:
        return [hint]
    return [c for arg in typing.get_args(hint) for c in resource_classes_in(arg)]


SHARED_WORDS = {"purpose": vocabulary.Purpose, "capacity": vocabulary.Capacity, "gpu_driver": vocabulary.GpuDriver}
SYNONYMS = {  # a word another cloud's component used for a shared one
    "pool": "pool_name",
    "capacity_reservation_group_id": "reservation",
    "capacity_type": "capacity",
    "driver": "gpu_driver",
}


def args_problems(args_cls: type) -> list[str]:
    """What breaks the argument contract in an arguments class."""
    if args_cls is ClusterSpec:
        return []  # the stack config: pydantic, frozen, documented (tests/components/spec)
    problems = []
    if not dataclasses.is_dataclass(args_cls) or not args_cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return [f"{args_cls.__name__} is not a frozen dataclass"]
    names, documented = documented_names(args_cls)
    problems += [f"{args_cls.__name__}.{n} has no docstring" for n in names if n not in documented]
    hints = hints_of(args_cls)
    for field in dataclasses.fields(args_cls):
        hint = hints[field.name]
        if field.name in SHARED_WORDS and hint != SHARED_WORDS[field.name]:
            problems.append(f"{args_cls.__name__}.{field.name} is {hint}, not core.vocabulary's")
        if field.name in SYNONYMS:
            problems.append(f"{args_cls.__name__}.{field.name}: the shared word is {SYNONYMS[field.name]}")
        for resource in resource_classes_in(hint):
            problems.append(f"{args_cls.__name__}.{field.name} takes a {resource.__module__}.{resource.__name__} "
                            "object: take its name or id (pulumi.Input[str])")
    return problems


def output_problems(cls: type) -> list[str]:
    names, documented = documented_names(cls)
    return [f"{cls.__name__}.{n} (an output) has no docstring" for n in names if n not in documented]


@pytest.mark.parametrize("qualname", sorted(CLASSES))
def test_type_token_names_the_cloud_and_the_class(qualname: str) -> None:
    cls = CLASSES[qualname]
    assert type_token(cls) == f"backbone:{cloud_of(cls)}:{cls.__name__}"


@pytest.mark.parametrize("qualname", sorted(q for q in CLASSES if cloud_of(CLASSES[q]) != "index"))
def test_arguments_are_frozen_documented_in_the_shared_words_and_take_names_not_objects(qualname: str) -> None:
    assert args_problems(args_type(CLASSES[qualname])) == []


@pytest.mark.parametrize("qualname", sorted(CLASSES))
def test_every_output_is_documented(qualname: str) -> None:
    assert output_names(CLASSES[qualname]), "a component has at least one output"
    assert output_problems(CLASSES[qualname]) == []


# The static checks catch each dialect the issue found; they would have failed on main's GCP args.
@dataclasses.dataclass
class _MutableArgs:
    cluster: Any
    """The cluster."""


@dataclasses.dataclass(frozen=True)
class _DialectArgs:
    cluster: pulumi.CustomResource
    """A cluster object (the GCP dialect)."""
    pool: str
    """The pool (the Azure dialect)."""
    purpose: typing.Literal["training", "inference"]
    capacity: vocabulary.Capacity = "on-demand"
    """Fine."""


def test_the_argument_checks_catch_each_dialect() -> None:
    assert args_problems(_MutableArgs) == ["_MutableArgs is not a frozen dataclass"]
    problems = args_problems(_DialectArgs)
    assert any("cluster takes a pulumi.resource.CustomResource object" in p for p in problems), problems
    assert any("pool: the shared word is pool_name" in p for p in problems), problems
    assert any("purpose is" in p and "vocabulary" in p for p in problems), problems
    assert any("purpose has no docstring" in p for p in problems), problems
    assert not any("capacity" in p for p in problems), problems


# ----------------------------------------------------------------------------- built under the mock


def _smallest(cloud: str, kind: str) -> tuple[float, float]:
    """(capacity TiB, tier) the catalog says the service accepts at its first tier."""
    offering = catalog.load().storage_offering(cloud, kind)
    assert offering is not None
    tier = offering.tiers[0]
    rule = offering.rule_for(tier)
    assert rule is not None
    return rule.min_tib, tier


def _spec(cloud: str) -> ClusterSpec:
    pool = {"aws": ("us-east-1", "us-east-1a", "g6.xlarge"), "gcp": ("us-central1", "us-central1-a", "g2-standard-8"),
            "azure": ("eastus", "1", "Standard_NC24ads_A100_v4")}[cloud]
    return ClusterSpec.model_validate({"cloud": cloud, "name": "lab", "region": pool[0], "zone": pool[1],
                                       "nodePools": [{"name": "serve", "instanceType": pool[2], "purpose": "inference",
                                                      "maxNodes": 2}]})


def _build(qualname: str, **overrides: Any) -> Callable[[], pulumi.ComponentResource]:
    """A function that builds the component with the minimal arguments of CASES, plus ``overrides``."""
    module, _, name = qualname.rpartition(".")
    mod = importlib.import_module(module)
    cls = getattr(mod, name)
    base = CASES[qualname][0]
    if isinstance(base, str):  # an AcceleratorCluster: the spec of a cloud
        spec = _spec(overrides.get("cloud", base))
        return lambda: cls("lab", spec)
    args_cls = args_type(cls)
    return lambda: cls("lab", args_cls(**{**base(), **overrides}))


def _aws_lustre() -> dict[str, Any]:
    tib, tier = _smallest("aws", "lustre")
    return {"subnet_id": "subnet-1", "security_group_ids": ["sg-1"], "capacity_tib": tib,
            "throughput_mbps_per_tib": tier}


def _gcp_storage(kind: str) -> dict[str, Any]:
    tib, tier = _smallest("gcp", kind)
    tiered = {"throughput_mbps_per_tib": tier} if kind == "lustre" else {}
    return {"zone": "us-central1-a", "network": "projects/p/global/networks/host", "capacity_tib": tib, **tiered}


def _azure_lustre() -> dict[str, Any]:
    tib, tier = _smallest("azure", "lustre")
    return {"resource_group_name": "rg", "location": "eastus", "filesystem_subnet_id": "fs", "zone": "1",
            "capacity_tib": tib, "throughput_mbps_per_tib": tier}


_AWS_POOL = {"cluster_name": "c", "node_role_arn": "arn:aws:iam::1:role/n", "subnet_ids": ["subnet-1"],
             "security_group_ids": ["sg-1"], "instance_type": "p5.48xlarge", "max_nodes": 2}
_GCP_POOL = {"cluster": "projects/p/locations/us-central1/clusters/llm", "location": "us-central1",
             "zones": ["us-central1-a"], "machine_type": "g2-standard-8", "max_nodes": 2, "purpose": "inference"}
_TPU_POOL = {"cluster": "llm", "location": "us-east5", "zone": "us-east5-a", "machine_type": "ct6e-standard-4t",
             "topology": "4x4"}
_AZURE_POOL = {"cluster_name": "aks", "resource_group_name": "rg", "node_subnet_id": "s",
               "vm_size": "Standard_ND96isr_H100_v5", "max_nodes": 2, "zones": ["1"]}

_RUNTIME = {"kubeconfig": "{}", "pools": [PoolNeeds("l4", "nvidia")]}
_BAD_VOLUME = {"volumes": [Volume("data", "fsx.csi.aws.com", "fs-1", 0)]}

# qualname -> (minimal arguments, or the cloud of a spec; a bad argument; the argument the error must name)
CASES: dict[str, tuple[Any, dict[str, Any] | None, str | None]] = {
    "backbone.components.aws.network.Network": (lambda: {"zones": ["us-east-1a"]}, {"zones": []}, "zones"),
    "backbone.components.aws.eks_cluster.EksCluster": (lambda: {"subnet_ids": ["subnet-1", "subnet-2"]},
                                              {"subnet_ids": ["subnet-1"]}, "subnet_ids"),
    "backbone.components.aws.gpu_node_pool.GpuNodePool": (lambda: dict(_AWS_POOL), {"instance_type": "p5.48xlarg"},
                                                 "instance_type"),
    "backbone.components.aws.lustre.LustreFileSystem": (_aws_lustre, {"import_path": "gs://data"}, "import_path"),
    "backbone.components.aws.bucket.DatasetBucket": (lambda: {}, {"region": "us-east-1a"}, "region"),
    "backbone.components.aws.cluster.AcceleratorCluster": ("aws", {"cloud": "gcp"}, "spec.cloud"),
    "backbone.components.gcp.network.Network": (lambda: {"region": "us-central1", "zone": "us-central1-a"},
                                       {"gpu_fabrics": {"infiniband": 8}}, "gpu_fabrics"),
    "backbone.components.gcp.gke_cluster.GkeCluster": (
        lambda: {"region": "us-central1", "zones": ["us-central1-a"], "network": "host", "subnetwork": "nodes"},
        {"storage_kinds": ["nfs"]}, "storage_kinds"),
    "backbone.components.gcp.gpu_node_pool.GpuNodePool": (lambda: dict(_GCP_POOL), {"machine_type": "g2-standard-8x"},
                                                 "machine_type"),
    "backbone.components.gcp.tpu_node_pool.TpuNodePool": (lambda: dict(_TPU_POOL), {"machine_type": "ct6e-standard4t"},
                                                 "machine_type"),
    "backbone.components.gcp.tpu_multislice.TpuMultislice": (
        lambda: {"slice": TpuNodePoolArgs(**_TPU_POOL), "slices": 2},
                                                    {"slices": 1}, "slices"),
    "backbone.components.gcp.managed_lustre.ManagedLustre": (
        lambda: _gcp_storage("lustre"), {"throughput_mbps_per_tib": 7},
                                                    "throughput_mbps_per_tib"),
    "backbone.components.gcp.parallelstore.Parallelstore": (
        lambda: _gcp_storage("parallelstore"), {"capacity_tib": 0.001},
                                                   "capacity_tib"),
    "backbone.components.gcp.dataset_bucket.DatasetBucket": (
        lambda: {"region": "us-central1"}, {"region": "us-central1-a"},
                                                    "region"),
    "backbone.components.gcp.accelerator_cluster.AcceleratorCluster": ("gcp", {"cloud": "aws"}, "spec.cloud"),
    "backbone.components.azure.network.Network": (lambda: {"location": "eastus"},
                                         {"filesystem_subnet_cidr": "10.0.128.0/25"}, "filesystem_subnet_cidr"),
    "backbone.components.azure.aks_cluster.AksCluster": (
        lambda: {"resource_group_name": "rg", "location": "eastus", "node_subnet_id": "s"}, {"system_nodes": 0},
        "system_nodes"),
    "backbone.components.azure.gpu_agent_pool.GpuAgentPool": (
        lambda: dict(_AZURE_POOL), {"vm_size": "Standard_ND96isr_H100"},
                                                     "vm_size"),
    "backbone.components.azure.managed_lustre.ManagedLustre": (
        _azure_lustre, {"maintenance_day": "Sun"}, "maintenance_day"),
    "backbone.components.azure.dataset_container.DatasetContainer": (
        lambda: {"resource_group_name": "rg", "location": "eastus"}, {"container_name": "Data"}, "container_name"),
    "backbone.components.azure.accelerator_cluster.AcceleratorCluster": ("azure", {"cloud": "gcp"}, "spec.cloud"),
    "backbone.components.aws.runtime.AwsRuntime": (lambda: {**_RUNTIME, "cluster_name": "llm"}, _BAD_VOLUME,
                                          "volumes[data].capacity_gib"),
    "backbone.components.gcp.runtime.GcpRuntime": (lambda: dict(_RUNTIME), _BAD_VOLUME, "volumes[data].capacity_gib"),
    "backbone.components.azure.runtime.AzureRuntime": (
        lambda: dict(_RUNTIME), _BAD_VOLUME, "volumes[data].capacity_gib"),
    # Its input is the stack's workload config, checked by the spec (ConfigError with config paths).
    "backbone.components.workload.Workload": (None, None, None),
}


def test_every_component_found_has_its_cases() -> None:
    assert set(CLASSES) == set(CASES)


def _resources_in(value: Any) -> list[Any]:
    if isinstance(value, pulumi.Resource):
        return [value]
    if isinstance(value, dict):
        return [r for v in value.values() for r in _resources_in(v)]
    if isinstance(value, (list, tuple)):
        return [r for v in value for r in _resources_in(v)]
    return []


def registration_problems(cls: type, outputs: dict[str, Any]) -> list[str]:
    """What breaks the output contract in what a component registered."""
    problems = []
    if sorted(outputs) != sorted(output_names(cls)):
        problems.append(f"{cls.__name__} registers {sorted(outputs)}; its attributes are {sorted(output_names(cls))}")
    if _resources_in(outputs):
        problems.append(f"{cls.__name__} registers resource objects, not their ids")
    return problems


class _DialectPool(pulumi.ComponentResource):
    pool: pulumi.CustomResource
    """The pool."""


def test_the_output_checks_catch_each_dialect() -> None:
    resource = object.__new__(pulumi.CustomResource)
    assert registration_problems(_DialectPool, {"pool_name": "x"}) == [
        "_DialectPool registers ['pool_name']; its attributes are ['pool']"]
    assert registration_problems(_DialectPool, {"pool": resource}) == [
        "_DialectPool registers resource objects, not their ids"]
    assert registration_problems(_DialectPool, {"pool": "id-1"}) == []


BUILT = sorted(q for q, case in CASES.items() if case[0] is not None)


@pytest.mark.parametrize("qualname", BUILT)
def test_outputs_are_registered_under_the_attribute_names_as_ids_and_values(
        qualname: str, monkeypatch: pytest.MonkeyPatch) -> None:
    registered: dict[str, dict[str, Any]] = {}
    original = pulumi.ComponentResource.register_outputs

    def record(self: pulumi.ComponentResource, outputs: Any) -> None:
        registered[f"{type(self).__module__}.{type(self).__name__}"] = dict(outputs)
        original(self, outputs)

    monkeypatch.setattr(pulumi.ComponentResource, "register_outputs", record)
    preview_function(_build(qualname), "test")
    assert qualname in registered
    for name, outputs in registered.items():  # the component and every component inside it
        if not name.startswith("components."):
            continue  # the program's stack
        assert registration_problems(CLASSES[name], outputs) == []


@pytest.mark.parametrize("qualname", sorted(q for q in BUILT if CASES[q][1] is not None))
def test_a_bad_argument_raises_the_one_error_naming_the_component_and_the_argument(qualname: str) -> None:
    _, bad, argument = CASES[qualname]
    assert bad is not None
    with pytest.raises(ComponentArgumentError) as info:
        preview_function(_build(qualname, **bad), "test")
    assert info.value.component == f"{qualname.rpartition('.')[2]} lab"
    assert info.value.argument == argument
    assert isinstance(info.value, pulumi.InputPropertyError)
    assert str(info.value).startswith(f"{info.value.component}: {argument}: ")
