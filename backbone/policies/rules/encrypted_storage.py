"""encrypted-storage: file systems encrypted with the service's own key where your policy requires your own.

Every parallel file system the pack reads is encrypted at rest and offers no input to turn that off (FSx for
Lustre: https://docs.aws.amazon.com/fsx/latest/LustreGuide/encryption-at-rest.html; Google Cloud encrypts all data
at rest by default; Azure Managed Lustre encrypts data at rest), so the one choice a program makes is whose key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import Inventory
from backbone.policies.rules.base import Finding, InventoryPolicy, PointsAt, Violation

_KEY_INPUT = {"aws": "kmsKeyId", "gcp": "kmsKey", "azure": "encryptionSettings.keyEncryptionKey"}


class EncryptedStorage(InventoryPolicy):
    """With `customerManagedKey`, flags file systems on the service's own key (no `kmsKeyId` / `kmsKey` /
    `encryptionSettings.keyEncryptionKey`). Encryption at rest itself is not a choice on any of these services
    (FSx for Lustre, Managed Lustre, Parallelstore, Azure Managed Lustre always encrypt), so there is nothing else
    to flag; without `customerManagedKey` the policy finds nothing. Nothing it reads can be unknown in preview, so
    it takes no `strict`."""

    name = "encrypted-storage"
    description = "Ensure parallel file systems are encrypted with a key you manage, where you require one"
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
            if need_key and fs.customer_managed_key is False:
                yield Violation(fs.urn, (
                    f"{label} is encrypted with the service's own key, and customerManagedKey is required: "
                    f"set {_KEY_INPUT.get(fs.cloud, 'its key')} to a key you manage"))
