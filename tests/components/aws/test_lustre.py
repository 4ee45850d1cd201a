"""LustreFileSystem and DatasetBucket on their own."""

from __future__ import annotations

from typing import Any

import pytest

from backbone.components.aws import DatasetBucket, LustreFileSystem, LustreFileSystemArgs
from backbone.core import catalog
from backbone.core.errors import BackboneError

FS = "aws:fsx/lustreFileSystem:LustreFileSystem"
DRA = "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation"


def fs_args(**overrides: Any) -> LustreFileSystemArgs:
    values: dict[str, Any] = {
        "subnet_id": "subnet-0a1b2c3d4e5f60718",
        "security_group_ids": ["sg-efa"],
        "capacity_tib": 48,
        "throughput_mbps_per_tib": 1000,
    }
    values.update(overrides)
    return LustreFileSystemArgs(**values)


def test_throughput_capacity_subnet_and_customer_key(preview: Any, only: Any, linked: Any) -> None:
    result = preview(lambda: LustreFileSystem("scratch", fs_args()))
    fs = only(result, FS)
    offering = catalog.load().storage_offering("aws", "lustre")
    assert offering is not None
    assert fs.inputs["deploymentType"] == "PERSISTENT_2"
    assert fs.inputs["perUnitStorageThroughput"] == 1000
    assert fs.inputs["storageCapacity"] == 48 * offering.gib_per_tib
    assert fs.inputs["subnetIds"] == "subnet-0a1b2c3d4e5f60718"
    assert fs.inputs["securityGroupIds"] == ["sg-efa"]
    assert [r.type for r in linked(result, fs, "kmsKeyId")] == ["aws:kms/key:Key"]
    assert only(result, "aws:kms/key:Key").inputs["enableKeyRotation"] is True


def test_a_new_private_encrypted_bucket_is_linked_under_data(preview: Any, only: Any, linked: Any) -> None:
    result = preview(lambda: LustreFileSystem("scratch", fs_args()))
    association = only(result, DRA)
    assert association.inputs["fileSystemPath"] == "/data"
    assert [r.type for r in linked(result, association, "dataRepositoryPath")] == ["aws:s3/bucket:Bucket"]
    assert [r.type for r in linked(result, association, "fileSystemId")] == [FS]
    blocked = only(result, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    assert all(blocked[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                             "restrictPublicBuckets"))
    rules = only(result, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    assert rules.inputs["rules"][0]["applyServerSideEncryptionByDefault"]["sseAlgorithm"] in ("AES256", "aws:kms")


def test_an_existing_bucket_is_linked_without_creating_one(preview: Any, only: Any) -> None:
    result = preview(lambda: LustreFileSystem("scratch", fs_args(import_path="s3://corpus/tokens")))
    assert result.of_type("aws:s3/bucket:Bucket") == []
    assert only(result, DRA).inputs["dataRepositoryPath"] == "s3://corpus/tokens"


def test_dataset_bucket_alone_is_private_and_encrypted(preview: Any, only: Any) -> None:
    result = preview(lambda: DatasetBucket("checkpoints"))
    assert only(result, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs["blockPublicPolicy"] is True
    only(result, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"capacity_tib": 50}, "does not accept 50 TiB"),
        ({"throughput_mbps_per_tib": 300}, "no 300 MB/s/TiB tier; allowed: "),
        ({"import_path": "gs://corpus"}, "s3://"),
    ],
)
def test_sizes_and_tiers_the_service_refuses_are_refused(preview: Any, overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(BackboneError, match=message):
        preview(lambda: LustreFileSystem("scratch", fs_args(**overrides)))
