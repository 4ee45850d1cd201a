"""What every cloud's runtime shares: the Kubernetes provider from a kubeconfig, a Helm release of a pinned
chart, a static PersistentVolume + claim for a file system, and what each pool needs from the layer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi
import pulumi_kubernetes as k8s

from backbone.components.runtime import versions
from backbone.components.runtime.versions import Chart
from backbone.components.spec import ClusterSpec
from backbone.core import catalog
from backbone.core.errors import ComponentArgumentError
from backbone.core.labels import POOL_LABEL

__all__ = ["TOLERATE_ALL", "ClusterRuntime", "PoolNeeds", "Volume", "check_volumes", "config_files", "gpu_runtime",
           "helm_release", "kube_provider", "on_pools", "pin_images", "pinned_image_props", "pool_affinity",
           "pool_needs", "static_volume"]

AcceleratorKind = Literal["gpu", "trainium", "tpu"]


@dataclass(frozen=True)
class PoolNeeds:
    """What the pods of one node pool need from the runtime layer, from the pool's catalog row."""

    name: str
    """The pool's name (for messages)."""
    accelerator: AcceleratorKind | None
    """The kind of accelerator pods request on it, None for a pool without one."""
    fabric: str = "none"
    """The catalog fabric pods use across nodes: set only for a training pool that spans nodes on one."""
    fabric_nics: int = 0
    """Fabric NICs per node (catalog ``fabric_nics``), where ``fabric`` is set."""


@dataclass(frozen=True)
class Volume:
    """A file system mounted through a static PersistentVolume and a claim of the same name."""

    name: str
    """Name of the PersistentVolume and the claim (the storage name)."""
    driver: str
    """The CSI driver that mounts it (``fsx.csi.aws.com`` …)."""
    volume_handle: pulumi.Input[str]
    """The driver's id of the file system."""
    capacity_gib: float
    """Capacity written on the volume (Kubernetes matches claims by it; the file system decides the real one)."""
    attributes: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """The driver's ``volumeAttributes`` (where to mount from)."""
    namespace: str = "default"
    """Namespace of the claim."""


def pool_needs(spec: ClusterSpec) -> list[PoolNeeds]:
    """What each pool of ``spec`` needs: its accelerator kind, and its fabric when it trains across nodes."""
    needs = []
    for pool in spec.node_pools:
        row = spec.instance(pool)
        accelerator = catalog.load().accelerator(row.accelerator) if row.accelerator else None
        spans = pool.purpose == "training" and pool.max_nodes > 1 and row.has_fabric and row.fabric != "ici"
        needs.append(PoolNeeds(pool.name, accelerator.kind if accelerator else None,
                               row.fabric if spans else "none", (row.fabric_nics or 0) if spans else 0))
    return needs


TOLERATE_ALL: list[dict[str, str]] = [{"operator": "Exists"}]
"""Tolerate every taint: a node agent that is already restricted to its pools (``pool_affinity``) must run on them
whatever taints they carry (``nvidia.com/gpu``, AKS's spot taint, a team's own)."""


def pool_affinity(pools: Sequence[str]) -> dict[str, Any]:
    """A node affinity that admits exactly the nodes of ``pools``, by the ``backbone.dev/pool`` label every
    Backbone pool carries (``components.labels``), whatever the platform labels its nodes with."""
    return {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [
        {"key": POOL_LABEL, "operator": "In", "values": sorted(pools)}]}]}}


def on_pools(pools: Sequence[str]) -> dict[str, Any]:
    """Helm values that put a node agent's DaemonSet on exactly ``pools`` (a chart that takes ``affinity`` and
    ``tolerations`` at the top, as the NVIDIA device plugin's does)."""
    return {"affinity": {"nodeAffinity": pool_affinity(pools)}, "tolerations": TOLERATE_ALL}


def check_volumes(component: str, volumes: Sequence[Volume]) -> None:
    """Volume names become PersistentVolume names: unique, DNS labels."""
    names = [v.name for v in volumes]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ComponentArgumentError(component, "volumes", f"names must be unique; repeated: {', '.join(repeated)}")
    for volume in volumes:
        if volume.capacity_gib <= 0:
            raise ComponentArgumentError(component, f"volumes[{volume.name}].capacity_gib",
                                         f"must be above 0 (got {volume.capacity_gib})")


def kube_provider(name: str, kubeconfig: pulumi.Input[str], parent: pulumi.Resource) -> k8s.Provider:
    """The Kubernetes provider of one cluster, from its kubeconfig (never the ambient one)."""
    return k8s.Provider(f"{name}-k8s", kubeconfig=pulumi.Output.secret(kubeconfig),
                        opts=pulumi.ResourceOptions(parent=parent))


def helm_release(name: str, chart: Chart, provider: k8s.Provider, parent: pulumi.Resource,
                 values: Mapping[str, Any] | None = None) -> k8s.helm.v3.Release:
    """A Helm release of a pinned chart in its namespace (from an OCI registry where its repo is ``oci://``)."""
    oci = chart.repo.startswith("oci://")
    return k8s.helm.v3.Release(
        f"{name}-{chart.key}",
        name=chart.key,
        chart=f"{chart.repo}/{chart.chart}" if oci else chart.chart,
        version=chart.version,
        namespace=chart.namespace,
        create_namespace=True,
        repository_opts=None if oci else k8s.helm.v3.RepositoryOptsArgs(repo=chart.repo),
        values=dict(values or {}),
        opts=pulumi.ResourceOptions(parent=parent, provider=provider),
    )


_WORKLOADS = ("kubernetes:apps/v1:DaemonSet", "kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet",
              "kubernetes:batch/v1:Job")


def _pinned_containers(containers: Any, pins: Mapping[str, str]) -> Any:
    if not isinstance(containers, list):
        return containers
    return [{**c, "image": pins[c["image"]]} if isinstance(c, dict) and c.get("image") in pins else c
            for c in containers]


def pinned_image_props(props: Mapping[str, Any], pins: Mapping[str, str]) -> dict[str, Any]:
    """A workload's properties with every container image named in ``pins`` replaced by its pinned image."""
    template = (props.get("spec") or {}).get("template") or {}
    pod = template.get("spec") if isinstance(template, dict) else None
    if not isinstance(pod, dict):
        return dict(props)
    pod = {**pod, **{key: _pinned_containers(pod[key], pins) for key in ("containers", "initContainers") if key in pod}}
    return {**props, "spec": {**props["spec"], "template": {**template, "spec": pod}}}


def pin_images(pins: Mapping[str, str]) -> pulumi.ResourceTransform:
    """A Pulumi transform that runs the workloads of a third-party manifest from pinned images where the manifest
    names a floating one (``ubuntu`` → ``ubuntu:22.04``). The engine applies it to every object the manifest
    creates; Backbone's offline preview records it without running it, as the SDK's mock monitor does."""
    frozen = dict(pins)

    def transform(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
        if args.type_ not in _WORKLOADS:
            return None
        return pulumi.ResourceTransformResult(pinned_image_props(args.props, frozen), args.opts)

    return transform


def config_files(name: str, files: Sequence[str], provider: k8s.Provider, parent: pulumi.Resource,
                 pins: Mapping[str, str] | None = None) -> list[k8s.yaml.v2.ConfigFile]:
    """A project's own manifests, applied as published at the commit their URLs name; ``pins`` rewrites the
    floating images they name (``pin_images``)."""
    opts = pulumi.ResourceOptions(parent=parent, provider=provider, transforms=[pin_images(pins)] if pins else None)
    return [k8s.yaml.v2.ConfigFile(f"{name}-{i}", file=url, opts=opts) for i, url in enumerate(files)]


def gpu_runtime(name: str, pools: Sequence[PoolNeeds], gpu_driver: str, provider: k8s.Provider,
                parent: pulumi.Resource, platform_device_plugin: bool = False) -> k8s.helm.v3.Release | None:
    """What makes GPUs requestable where the platform does not: the NVIDIA GPU Operator when the node image has no
    driver (``gpu_driver: operator``), else the NVIDIA device plugin unless the platform runs one; None without
    GPU pools or when the platform provides both."""
    gpu_pools = [p.name for p in pools if p.accelerator == "gpu"]
    if not gpu_pools:
        return None
    if gpu_driver == "operator":
        # The operator's own Node Feature Discovery labels GPU nodes and its operands follow those labels; they
        # tolerate only nvidia.com/gpu by default (chart values ``daemonsets.tolerations``).
        return helm_release(name, versions.load().chart("gpu-operator"), provider, parent,
                            values={"daemonsets": {"tolerations": TOLERATE_ALL}})
    if platform_device_plugin:
        return None
    # The chart's default affinity asks for labels that Node Feature Discovery or GPU Feature Discovery add
    # (pci-10de.present, nvidia.com/gpu.present): AKS and EKS AL2023 nodes carry none of them without NFD, so the
    # DaemonSet would run nowhere. Pin it to the GPU pools instead.
    return helm_release(name, versions.load().chart("nvidia-device-plugin"), provider, parent,
                        values=on_pools(gpu_pools))


def static_volume(name: str, volume: Volume, provider: k8s.Provider,
                  parent: pulumi.Resource) -> k8s.core.v1.PersistentVolumeClaim:
    """A PersistentVolume of ``volume`` (retained on delete) and the claim bound to it by name."""
    opts = pulumi.ResourceOptions(parent=parent, provider=provider)
    storage = f"{int(volume.capacity_gib)}Gi"
    pv = k8s.core.v1.PersistentVolume(
        f"{name}-{volume.name}-pv",
        metadata=k8s.meta.v1.ObjectMetaArgs(name=volume.name),
        spec=k8s.core.v1.PersistentVolumeSpecArgs(
            capacity={"storage": storage},
            access_modes=["ReadWriteMany"],
            persistent_volume_reclaim_policy="Retain",
            storage_class_name="",
            csi=k8s.core.v1.CSIPersistentVolumeSourceArgs(
                driver=volume.driver, volume_handle=volume.volume_handle,
                volume_attributes=dict(volume.attributes) or None,
            ),
        ),
        opts=opts,
    )
    return k8s.core.v1.PersistentVolumeClaim(
        f"{name}-{volume.name}-pvc",
        metadata=k8s.meta.v1.ObjectMetaArgs(name=volume.name, namespace=volume.namespace),
        spec=k8s.core.v1.PersistentVolumeClaimSpecArgs(
            access_modes=["ReadWriteMany"],
            storage_class_name="",
            volume_name=pv.metadata.name,
            resources=k8s.core.v1.VolumeResourceRequirementsArgs(requests={"storage": storage}),
        ),
        opts=opts,
    )


class ClusterRuntime(pulumi.ComponentResource):
    """What every cloud's runtime component starts with: the cluster's Kubernetes provider and the GPU runtime the
    platform does not provide; ``mount`` ends it with a claim per file system."""

    provider: k8s.Provider
    """The Kubernetes provider of the cluster."""
    gpu_runtime: k8s.helm.v3.Release | None
    """The NVIDIA device plugin or GPU Operator release; None where the platform provides both or without GPUs."""
    claims: dict[str, k8s.core.v1.PersistentVolumeClaim]
    """Claims by storage name, each bound to its file system's static PersistentVolume."""

    def __init__(self, token: str, name: str, kubeconfig: pulumi.Input[str], pools: Sequence[PoolNeeds],
                 gpu_driver: str, volumes: Sequence[Volume], opts: pulumi.ResourceOptions | None,
                 platform_device_plugin: bool = False) -> None:
        super().__init__(token, name, None, opts)
        check_volumes(f"{token.rsplit(':', 1)[-1]} {name}", volumes)
        self.provider = kube_provider(name, kubeconfig, self)
        self.gpu_runtime = gpu_runtime(name, pools, gpu_driver, self.provider, self, platform_device_plugin)
        self.claims = {}

    def mount(self, name: str, volumes: Sequence[Volume]) -> None:
        """A static PersistentVolume and claim per file system."""
        self.claims = {v.name: static_volume(name, v, self.provider, self) for v in volumes}
