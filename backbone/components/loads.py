"""What Backbone's own program loads, per cloud, so that its program host imports it once before it forks each
stack's process (``backbone.program_server``). Only names here: nothing is imported."""

from __future__ import annotations

__all__ = ["LOADS", "OWN"]

OWN = ("backbone.components.program",)
"""What Backbone's own program imports first, whatever the stack (the SDK, the spec models)."""

LOADS: dict[str, tuple[str, ...]] = {
    "aws": ("backbone.components.aws.cluster", "pulumi_aws.ec2", "pulumi_aws.eks", "pulumi_aws.iam",
            "pulumi_kubernetes.apiextensions", "pulumi_kubernetes.helm.v3"),
    "gcp": ("backbone.components.gcp.accelerator_cluster", "pulumi_gcp.compute", "pulumi_gcp.container",
            "pulumi_gcp.servicenetworking", "pulumi_gcp.storage", "pulumi_kubernetes.apiextensions",
            "pulumi_kubernetes.yaml.v2"),
    "azure": ("backbone.components.azure.accelerator_cluster", "pulumi_azure_native.authorization",
              "pulumi_azure_native.containerservice", "pulumi_azure_native.network",
              "pulumi_azure_native.resources", "pulumi_azure_native.storage", "pulumi_kubernetes.apiextensions",
              "pulumi_kubernetes.helm.v3", "pulumi_kubernetes.yaml.v2"),
}
"""Per cloud, what ``backbone.components.program.build`` loads for every stack of that cloud: the cloud's components
and the provider SDK packages they use whatever the stack holds (a bucket's ``pulumi_aws.s3`` or a file system's
are left to the stacks that have one). A name missing here costs speed, never a result;
``tests/components/test_loads.py`` checks that every stack of a cloud loads each name."""
