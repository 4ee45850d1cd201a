"""encrypted-storage: file systems not encrypted at rest (or, on request, not with a customer-managed key)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pulumi_policy import EnforcementLevel

from policies.inventory import Inventory
from policies.rules.base import Finding, InventoryPolicy, PointsAt, Violation

_KEY_INPUT = {"aws": "kmsKeyId", "gcp": "kmsKey", "azure": "encryptionSettings.keyEncryptionKey"}


class EncryptedStorage(InventoryPolicy):
    """Flags file systems not encrypted at rest; with `customerManagedKey`, file systems on the service's
    own key (no `kmsKeyId` / `kmsKey` / `encryptionSettings.keyEncryptionKey`). Nothing it reads can be
    unknown in preview, so it takes no `strict`."""

    name = "encrypted-storage"
    description = "Ensure parallel file systems are encrypted at rest"
    level = EnforcementLevel.ADVISORY
    points_at = PointsAt()
    reasons: ClassVar[Mapping[str, str]] = {
        "customerManagedKey": "FSx for Lustre, Managed Lustre, Parallelstore and Azure Managed Lustre all encrypt "
                              "at rest with a service key; ask for your own key where policy requires it",
    }
    has_unknowns = False  # encryption and its key are plain inputs, never outputs of another resource
    config: ClassVar[Mapping[str, dict[str, Any]]] = {
        "customerManagedKey": {
            "type": "boolean", "default": False,
            "description": "Also require a customer-managed key (not the service's own key).",
        },
    }

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        need_key = self.setting(config, "customerManagedKey") is True
        for fs in inventory.file_systems:
            label = f"file system {fs.name} ({fs.resource_type})"
            if fs.encrypted is False:
                yield Violation(fs.urn, f"{label} is not encrypted at rest: enable encryption")
            elif need_key and fs.customer_managed_key is False:
                yield Violation(fs.urn, (
                    f"{label} is encrypted with the service's own key, and customerManagedKey is required: "
                    f"set {_KEY_INPUT.get(fs.cloud, 'its key')} to a key you manage"))
