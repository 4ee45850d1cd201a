"""A private GKE cluster and one GPU node pool, placed in the first `gpuPool.zones` zones of the region."""

import pulumi
import pulumi_gcp as gcp
from pulumi_gcp.container import NodePoolNodeConfigGuestAcceleratorGpuDriverInstallationConfigArgs as DriverArgs

config = pulumi.Config()
pool = config.require_object("gpuPool")

client = gcp.organizations.get_client_config()          # the provider's project and region
zones = gcp.compute.get_zones(region=client.region, status="UP").names[: pool["zones"]]

network = gcp.compute.Network("serving", auto_create_subnetworks=False)
subnet = gcp.compute.Subnetwork("serving", network=network.id, region=client.region, ip_cidr_range="10.10.0.0/20")

cluster = gcp.container.Cluster(
    "serving",
    location=client.region,
    network=network.id,
    subnetwork=subnet.id,
    initial_node_count=1,
    remove_default_node_pool=True,
    private_cluster_config=gcp.container.ClusterPrivateClusterConfigArgs(
        enable_private_nodes=True, enable_private_endpoint=False, master_ipv4_cidr_block="172.16.0.0/28"),
    deletion_protection=False,
)

gcp.container.NodePool(
    "l4",
    cluster=cluster.name,
    location=client.region,
    node_locations=zones,
    autoscaling=gcp.container.NodePoolAutoscalingArgs(total_min_node_count=0,
                                                      total_max_node_count=pool["maxNodes"]),
    node_config=gcp.container.NodePoolNodeConfigArgs(
        machine_type=pool["machineType"],
        labels={"backbone.dev/purpose": "inference"},
        oauth_scopes=["https://www.googleapis.com/auth/cloud-platform"],
        guest_accelerators=[gcp.container.NodePoolNodeConfigGuestAcceleratorArgs(
            type="nvidia-l4", count=1,
            gpu_driver_installation_config=DriverArgs(gpu_driver_version="LATEST"))],
    ),
)

pulumi.export("project", client.project)
pulumi.export("cluster", cluster.name)
