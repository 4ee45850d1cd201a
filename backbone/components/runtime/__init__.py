"""The Kubernetes runtime layer: what pods need on each cloud's accelerator cluster (device plugins, fabric
to pods, CSI drivers and volumes), on ``pulumi_kubernetes`` with a provider built from the cluster's kubeconfig.
Versions are pinned with their sources in ``data/versions.yaml``."""

from backbone.components.runtime._kube import PoolNeeds, Volume, pool_needs

__all__ = ["PoolNeeds", "Volume", "pool_needs"]
