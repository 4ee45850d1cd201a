"""DatasetContainer: a locked-down storage account and one private Blob container."""

from __future__ import annotations

import re

import pytest

from backbone.components.azure import DatasetContainer, DatasetContainerArgs
from backbone.core.errors import ComponentArgumentError
from backbone.engine import preview_function

ACCOUNT = "azure-native:storage:StorageAccount"
CONTAINER = "azure-native:storage:BlobContainer"


def _program(**kwargs):
    def program() -> None:
        DatasetContainer("llm-train-datasets",
                         DatasetContainerArgs(resource_group_name="rg", location="eastus", **kwargs))
    return program


def test_account_is_https_only_tls12_and_never_public(preview, only):
    account = only(preview(_program()), ACCOUNT).inputs
    assert account["enableHttpsTrafficOnly"] is True
    assert account["minimumTlsVersion"] == "TLS1_2"
    assert account["allowBlobPublicAccess"] is False
    assert account["kind"] == "StorageV2"
    assert account["sku"] == {"name": "Standard_ZRS"}


def test_container_is_private_and_lives_in_the_account(preview, only, linked):
    result = preview(_program(container_name="tokens"))
    container = only(result, CONTAINER)
    assert container.inputs["containerName"] == "tokens"
    assert container.inputs["publicAccess"] == "None"
    assert linked(result, container, "accountName") == [only(result, ACCOUNT)]


def test_account_name_is_a_valid_azure_name_and_differs_per_stack(only):
    names = {
        stack: only(preview_function(_program(), stack), ACCOUNT).inputs["accountName"]
        for stack in ("azure-ndh100-train", "azure-ndh100-train-2")
    }
    for name in names.values():
        assert re.fullmatch(r"[a-z0-9]{3,24}", name), name
        assert name.startswith("llmtraindatasets")
    assert len(set(names.values())) == 2


def test_an_account_name_can_be_given(preview, only):
    assert only(preview(_program(account_name="teamdata01")), ACCOUNT).inputs["accountName"] == "teamdata01"


@pytest.mark.parametrize("name", ["Datasets", "ab", "data_sets", "-data", "data--sets"])
def test_a_name_blob_storage_refuses_is_refused(name):
    args = DatasetContainerArgs(resource_group_name="rg", location="eastus", container_name=name)
    with pytest.raises(ComponentArgumentError, match="not a Blob container name") as err:
        args.check("DatasetContainer data")
    assert err.value.argument == "container_name"
