"""storage-mount: a parallel file system that no CSI driver in the stack can mount into pods."""

from __future__ import annotations

from collections.abc import Iterable

from backbone.policies.inventory import FileSystem, Inventory
from backbone.policies.inventory.runtime import CSI_AZURE_LUSTRE, CSI_FSX, CSI_GKE_LUSTRE, CSI_PARALLELSTORE, Runtime
from backbone.policies.rules.base import Finding, PointsAt
from backbone.policies.rules.runtime_needs import Need, RuntimeRule

# (cloud, kind) -> the CSI driver that mounts it, and how to install that driver there.
_DRIVERS: dict[tuple[str, str], tuple[str, str]] = {
    ("aws", "lustre"): (CSI_FSX, "add the EKS add-on aws-fsx-csi-driver (or its Helm chart)"),
    ("gcp", "lustre"): (CSI_GKE_LUSTRE, "enable addonsConfig.lustreCsiDriverConfig on the GKE cluster"),
    ("gcp", "parallelstore"): (CSI_PARALLELSTORE,
                               "enable addonsConfig.parallelstoreCsiDriverConfig on the GKE cluster"),
    ("azure", "lustre"): (CSI_AZURE_LUSTRE,
                          "install the Azure Lustre CSI driver (kubernetes-sigs/azurelustre-csi-driver deploy/)"),
}


class StorageMount(RuntimeRule):
    """Finds a parallel file system that no CSI driver in the stack can mount into pods — AWS the FSx for Lustre
    CSI driver (EKS add-on or chart); GCP the Managed Lustre or Parallelstore CSI driver (GKE add-on config);
    Azure the Azure Lustre CSI driver. Advisory by default: drivers often come from another stack."""

    name = "storage-mount"
    points_at = PointsAt(storage="kind", stack="runtime")
    description = "Ensure every parallel file system has a CSI driver in the stack that mounts it into pods"

    def needs(self, inventory: Inventory, runtime: Runtime) -> Iterable[Need | Finding]:
        return [need for fs in inventory.file_systems if (need := _need(fs)) is not None]


def _need(fs: FileSystem) -> Need | None:
    driver = _DRIVERS.get((fs.cloud, fs.kind))
    if driver is None:
        return None
    capability, how = driver
    return Need(fs.urn, f"file system {fs.name} ({fs.resource_type}, {fs.describe()})", (capability,),
                "no pod can mount it, so the accelerators it should feed read nothing from it",
                f"To fix: {how}, or keep Backbone's runtime layer on (backbone:cluster runtime: true)")
