"""``DatasetContainer``: a storage account (HTTPS only, TLS 1.2 or newer, no anonymous blob access) and a
private Blob container for training data and checkpoints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import storage

from backbone.components.azure._common import require, storage_account_name
from backbone.components.clouds import component_error_name
from backbone.components.outputs import register

__all__ = ["DatasetContainer", "DatasetContainerArgs"]


@dataclass(frozen=True)
class DatasetContainerArgs:
    """Inputs of ``DatasetContainer``."""

    resource_group_name: pulumi.Input[str]
    """Resource group (``Network.resource_group_name``)."""
    location: str
    """Azure region (the GPUs' region: cross-region reads are slow and billed)."""
    container_name: str = "datasets"
    """Blob container name (3-63 lowercase letters, digits and '-')."""
    account_name: str | None = None
    """Storage account name; default: derived from the component name, unique per project and stack."""
    redundancy: str = "Standard_ZRS"
    """Storage account SKU: zone-redundant by default, so losing a zone does not lose the data set."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Azure tags."""

    def check(self, where: str) -> None:
        """Raises a ``ComponentArgumentError`` for a name Azure would refuse."""
        name = self.container_name
        require(3 <= len(name) <= 63 and name.replace("-", "").isalnum() and name == name.lower()
                and not name.startswith("-") and "--" not in name,
                where, "container_name",
                f"{name!r} is not a Blob container name: 3-63 lowercase letters, digits and single '-'")


class DatasetContainer(pulumi.ComponentResource):
    """A locked-down storage account and one private Blob container."""

    account: storage.StorageAccount
    """The storage account."""
    bucket: storage.BlobContainer
    """The Blob container (``bucket``, the name every cloud uses)."""

    def __init__(self, name: str, args: DatasetContainerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:azure:DatasetContainer", name, None, opts)
        args.check(component_error_name(self, name))
        child = pulumi.ResourceOptions(parent=self)
        self.account = storage.StorageAccount(
            f"{name}-account",
            resource_group_name=args.resource_group_name,
            location=args.location,
            account_name=args.account_name or storage_account_name(name),
            kind=storage.Kind.STORAGE_V2,
            sku=storage.SkuArgs(name=args.redundancy),
            enable_https_traffic_only=True,
            minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
            allow_blob_public_access=False,
            tags=dict(args.tags),
            opts=child,
        )
        self.bucket = storage.BlobContainer(
            f"{name}-container",
            resource_group_name=args.resource_group_name,
            account_name=self.account.name,
            container_name=args.container_name,
            public_access=storage.PublicAccess.NONE,
            opts=child,
        )
        register(self)
