"""What Backbone's own program loads, per cloud, so that its program host imports it once before it forks each
stack's process (``backbone.program_server``). Only names here: nothing is imported."""

from __future__ import annotations

__all__ = ["LOADS", "OWN"]

OWN = ("backbone.components.program",)
"""What Backbone's own program imports first, whatever the stack (the SDK, the spec models)."""

LOADS: dict[str, tuple[str, ...]] = {
    "aws": ("backbone.components.aws.cluster",
            *(f"pulumi_aws.ec2.{m}" for m in ("eip", "internet_gateway", "launch_template", "nat_gateway",
                                              "placement_group", "route_table", "route_table_association",
                                              "security_group", "subnet", "vpc")),
            "pulumi_aws.eks.addon", "pulumi_aws.eks.cluster", "pulumi_aws.eks.node_group", "pulumi_aws.iam.role",
            "pulumi_aws.iam.role_policy_attachment", "pulumi_aws.provider", "pulumi_kubernetes.helm.v3.Release",
            "pulumi_kubernetes.provider"),
    "gcp": ("backbone.components.gcp.accelerator_cluster", "pulumi_gcp.compute.network", "pulumi_gcp.compute.router",
            "pulumi_gcp.compute.router_nat", "pulumi_gcp.compute.subnetwork", "pulumi_gcp.container.cluster",
            "pulumi_gcp.container.node_pool", "pulumi_gcp.servicenetworking.connection", "pulumi_gcp.storage.bucket",
            "pulumi_gcp.provider", "pulumi_kubernetes.apiextensions.CustomResource",
            "pulumi_kubernetes.yaml.v2.ConfigFile", "pulumi_kubernetes.provider"),
    "azure": ("backbone.components.azure.accelerator_cluster", "pulumi_azure_native.authorization.role_assignment",
              "pulumi_azure_native.containerservice.agent_pool", "pulumi_azure_native.containerservice.managed_cluster",
              "pulumi_azure_native.containerservice.list_managed_cluster_user_credentials",
              "pulumi_azure_native.network.network_security_group", "pulumi_azure_native.network.subnet",
              "pulumi_azure_native.network.virtual_network", "pulumi_azure_native.resources.resource_group",
              "pulumi_azure_native.storage.blob_container", "pulumi_azure_native.storage.storage_account",
              "pulumi_azure_native.provider", "pulumi_kubernetes.apiextensions.CustomResource",
              "pulumi_kubernetes.helm.v3.Release", "pulumi_kubernetes.yaml.v2.ConfigFile",
              "pulumi_kubernetes.provider"),
}
"""Per cloud, what ``backbone.components.program.build`` loads for every stack of that cloud: the cloud's components
and the provider SDK modules of the resources they make whatever the stack holds (a bucket's ``pulumi_aws.s3`` or a
file system's are left to the stacks that have one). Modules, not subpackages: the program host loads a provider
subpackage name by name (``backbone.provider_imports``), and naming ``pulumi_aws.ec2`` whole would import its 182
modules for the ten the components use. A name missing here costs speed, never a result;
``tests/components/test_loads.py`` checks that every stack of a cloud loads each name."""
