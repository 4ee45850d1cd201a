"""A labelled training pool of a2-highgpu-8g in a regional GKE cluster, without ``node_locations``: GKE
replicates a regional cluster's node pool across its default zones (three), and A2 has no multi-node GPU fabric.

Follows GoogleCloudPlatform/ai-infra-cluster-provisioning (A2 node pools, ``a2-highgpu-*`` in GKE) and the GKE docs
"Regional clusters" (a regional cluster's node pools are replicated across three zones of the region by
default) and "Run GPUs in GKE Standard node pools"; no file system. The label makes it training: a multi-node
training pool on an instance type with no fabric is what ``interconnect`` blocks.
"""

from __future__ import annotations

from corpus_case import BLOCK, PASS, PURPOSE, UNVERIFIED, Case, expect


def program() -> None:
    from pulumi_gcp import container

    cluster = container.Cluster("a2-train", location="us-central1", initial_node_count=1,
                                remove_default_node_pool=True)
    container.NodePool(
        "a2-pool", cluster=cluster.name, location="us-central1",
        autoscaling=container.NodePoolAutoscalingArgs(min_node_count=0, max_node_count=2),
        node_config=container.NodePoolNodeConfigArgs(
            machine_type="a2-highgpu-8g", labels={PURPOSE: "training"},
            guest_accelerators=[container.NodePoolNodeConfigGuestAcceleratorArgs(type="nvidia-tesla-a100",
                                                                                 count=8)]))


SOURCE = ("GoogleCloudPlatform/ai-infra-cluster-provisioning (A2 GKE node pools); GKE docs regional-clusters "
          "(node pools replicated across three zones by default), gpus (Standard node pools)")

CASES = [Case(
    name="unseen-gcp-regional-a2-training-pool",
    program=program,
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod"},
    expected={
        "max-accelerators": expect(UNVERIFIED, "2 per zone × GKE's default zones: how many is not in the "
                                               "resources, so the maximum is unknown"),
        "monthly-budget": expect(UNVERIFIED, "the node count at max scale is unknown (GKE's default zones)"),
        "interconnect": expect(BLOCK, "labelled training, up to 2 nodes per zone, a2-highgpu-8g has no GPU fabric",
                               on="a2-pool"),
        "single-zone": expect(BLOCK, "a regional pool without node_locations runs in GKE's default zones (three)",
                              on="a2-pool"),
        "storage-throughput": expect(BLOCK, "training GPUs (at least 16) and no parallel file system at all"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)]
