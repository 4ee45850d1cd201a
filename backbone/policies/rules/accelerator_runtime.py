"""accelerator-runtime: a pool whose accelerators pods cannot request (no device plugin or operator where the
platform does not provide one), or a training pool whose fabric pods cannot use (no EFA device plugin; no GKE
GPU NIC network objects or NCCL plugin for TCPX/TCPXO/RDMA, or DRANET; no Network Operator for InfiniBand).

Advisory by default: runtime add-ons often live in another stack (GitOps, a platform stack). Teams that keep
them in the same stack set it mandatory through the policy config's ``enforcementLevel``."""

from __future__ import annotations

from collections.abc import Iterable

from backbone.core import catalog
from backbone.policies.inventory import AcceleratorPool, Inventory, Unknown
from backbone.policies.inventory.runtime import (
    DEVICE_PLUGIN,
    DRANET,
    DRIVER_NONE,
    DRIVER_PLATFORM,
    EFA_PLUGIN,
    GPU_DRIVER,
    INFINIBAND,
    NCCL_RDMA,
    NCCL_TCPX,
    NCCL_TCPXO,
    NETWORK_OPERATOR,
    NEURON_PLUGIN,
    Runtime,
)
from backbone.policies.rules.base import Finding, PointsAt, Unverifiable, fabric_name, pool_label, unknown_of
from backbone.policies.rules.runtime_needs import Need, RuntimeRule

_LAYER = "or keep Backbone's runtime layer on (backbone:cluster runtime: true)"
# Per cloud: does the platform run the GPU device plugin itself? GKE does; EKS does on Bottlerocket NVIDIA AMIs
# only (Runtime.platform_device_plugin); AKS does not.
_PLATFORM_DEVICE_PLUGIN = {"gcp": True, "aws": False, "azure": False}
_NCCL = {"gpudirect-tcpx": NCCL_TCPX, "gpudirect-tcpxo": NCCL_TCPXO, "rdma": NCCL_RDMA}


class AcceleratorRuntime(RuntimeRule):
    """Finds a pool whose accelerators pods cannot request — no device plugin or GPU Operator where the platform
    does not provide one (EKS; AKS without the managed driver; GKE installs its own) — and a multi-node training
    pool whose fabric pods cannot use: AWS no EFA device plugin; GCP no GKE Network / GKENetworkParamSet objects
    per GPU NIC and no NCCL TCPX/TCPXO/RDMA plugin (or DRANET); Azure no Network Operator / RDMA device plugin for
    InfiniBand. It recognises Backbone's runtime layer, Helm releases and DaemonSets by chart and image, EKS add-ons,
    GKE add-on config and NVIDIA AICR's ClusterStack. Advisory by default: add-ons often live in another stack."""

    name = "accelerator-runtime"
    points_at = PointsAt(pool="instanceType", stack="runtime")
    description = "Ensure pods can request each pool's accelerators and use its fabric (device plugins, NCCL plugins)"

    def needs(self, inventory: Inventory, runtime: Runtime) -> Iterable[Need | Finding]:
        for pool in inventory.pools:
            if isinstance(pool.instance_type, Unknown):
                yield Unverifiable(pool.urn, f"pool {pool_label(pool)}: what runtime it needs is unknown "
                                             f"({unknown_of(pool, 'instance_type')})")
                continue
            if pool.instance is None or not pool.instance.accelerator_count:
                continue  # not in the catalog (known-accelerator says so) or no accelerator
            yield from self._device_needs(pool, runtime)
            yield from self._fabric(pool, runtime)

    @staticmethod
    def _device_needs(pool: AcceleratorPool, runtime: Runtime) -> Iterable[Need | Unverifiable]:
        assert pool.instance is not None
        accelerator = catalog.load().accelerator(pool.instance.accelerator) if pool.instance.accelerator else None
        kind = accelerator.kind if accelerator else None
        label = f"pool {pool_label(pool)} ({pool.describe()})"
        if kind == "trainium":
            yield Need(pool.urn, label, (NEURON_PLUGIN,), "pods cannot request aws.amazon.com/neuron",
                       f"Install the Neuron device plugin (oci://public.ecr.aws/neuron/neuron-helm-chart), {_LAYER}")
        if kind != "gpu":
            return  # TPUs: GKE runs the TPU device plugin itself
        if not _PLATFORM_DEVICE_PLUGIN.get(pool.cloud, False) and pool.urn not in runtime.platform_device_plugin:
            yield Need(pool.urn, label, (DEVICE_PLUGIN,), "pods cannot request nvidia.com/gpu",
                       f"Install the nvidia-device-plugin chart or the NVIDIA GPU Operator, {_LAYER}")
        driver = runtime.pool_drivers.get(pool.urn)
        if driver == DRIVER_PLATFORM:
            return
        if driver == DRIVER_NONE:
            yield Need(pool.urn, label + " has no GPU driver from its node image or service", (GPU_DRIVER,),
                       "no pod can use its GPUs", f"Install the NVIDIA GPU Operator (it installs the driver), {_LAYER}")
        elif not runtime.providing(GPU_DRIVER):
            yield Unverifiable(pool.urn, f"{label}: whether its node image or service installs the NVIDIA driver is "
                                         f"unknown (the pool sets no AMI type / driver installation, or it is unknown)")

    @staticmethod
    def _fabric(pool: AcceleratorPool, runtime: Runtime) -> Iterable[Need | Finding]:
        instance = pool.instance
        assert instance is not None
        if not pool.is_training or not instance.has_fabric or instance.fabric == "ici":
            return
        if pool.fabric.configured is False:
            return  # no fabric attached to use: interconnect judges that
        if isinstance(pool.max_nodes, Unknown):
            yield Unverifiable(pool.urn, f"pool {pool_label(pool)}: whether it trains across nodes is unknown "
                                         f"({unknown_of(pool, 'max_nodes')})")
            return
        if pool.max_nodes <= 1:
            return
        label = f"training pool {pool_label(pool)} spans up to {pool.describe()} on {fabric_name(instance.fabric)}"
        yield from _fabric_needs(pool, label, runtime)


def _fabric_needs(pool: AcceleratorPool, label: str, runtime: Runtime) -> Iterable[Need]:
    assert pool.instance is not None
    fabric, nics = pool.instance.fabric, pool.instance.fabric_nics or 0
    tcp = "NCCL falls back to TCP (about 4 GB/s instead of the fabric's bandwidth)"
    if fabric == "efa":
        yield Need(pool.urn, label, (EFA_PLUGIN,), f"pods cannot request vpc.amazonaws.com/efa and {tcp}",
                   f"Install the aws-efa-k8s-device-plugin chart (https://aws.github.io/eks-charts), {_LAYER}")
    elif fabric == "infiniband":
        operator = runtime.providing(NETWORK_OPERATOR)
        short = None if runtime.providing(INFINIBAND) or not operator else \
            f"{operator[0].label} is installed but no NicClusterPolicy exposes the InfiniBand HCAs to pods"
        yield Need(pool.urn, label, (INFINIBAND,), f"pods cannot use the InfiniBand devices and {tcp}",
                   "Install the NVIDIA Network Operator with a NicClusterPolicy that deploys the RDMA shared device "
                   f"plugin (or deploy the plugin yourself), {_LAYER}", shortfall=short)
    elif fabric in _NCCL:
        plugin = _NCCL[fabric]
        have = runtime.gke_rdma_param_sets if fabric == "rdma" else runtime.gke_device_networks
        what = "GKENetworkParamSet objects with deviceMode RDMA" if fabric == "rdma" else \
            "networking.gke.io/v1 Network objects of type Device"
        short = None if have >= nics or runtime.providing(DRANET) else \
            f"{have} {what} for {nics} GPU NICs per node"
        yield Need(pool.urn, label, (plugin, DRANET), f"pods cannot attach the GPU NICs and {tcp}",
                   f"Create one GKENetworkParamSet and Network per GPU NIC network and install the NCCL plugin "
                   f"installer DaemonSet (or DRANET), {_LAYER}", shortfall=short)
