"""The Kubernetes runtime layer: what pods need on each cloud's accelerator cluster (device plugins, fabric
to pods, CSI drivers and volumes), on ``pulumi_kubernetes`` with a provider built from the cluster's kubeconfig.
Versions are pinned with their sources in ``data/versions.yaml``."""

from typing import TYPE_CHECKING

from backbone.components._lazy import exports

if TYPE_CHECKING:
    from backbone.components.runtime.kube import PoolNeeds, Volume, pool_needs

# Loaded on first use, so that ``versions`` (and ``pin_check``, which a core install runs) never load the SDK.
_MODULES = {name: "backbone.components.runtime.kube" for name in ("PoolNeeds", "Volume", "pool_needs")}
__all__ = ["PoolNeeds", "Volume", "pool_needs"]
__getattr__, __dir__ = exports(__name__, None, _MODULES)
