"""Helpers of the GCP component tests: preview a small program, find resources, follow links."""

from __future__ import annotations

from collections.abc import Callable

import pulumi
from pulumi_gcp import compute, container

from backbone.core import catalog
from backbone.engine import Preview, RecordedResource, preview_function

NODE_POOL = "gcp:container/nodePool:NodePool"
NETWORK = "gcp:compute/network:Network"
SUBNET = "gcp:compute/subnetwork:Subnetwork"
FIREWALL = "gcp:compute/firewall:Firewall"


def run(program: Callable[[], object]) -> Preview:
    """Previews a program given as a function, as a platform team would try a component."""
    return preview_function(program, "test")


def only(preview: Preview, type_: str) -> RecordedResource:
    """The one resource of a type in a preview (fails when there are none or several)."""
    found = preview.of_type(type_)
    assert len(found) == 1, f"expected one {type_}, found {[r.name for r in found]}"
    return found[0]


def linked(preview: Preview, resource: RecordedResource, prop: str, type_: str | None = None,
           ) -> list[RecordedResource]:
    """The resources an input depends on: property dependencies -> URNs -> recorded resources."""
    return [r for r in preview.linked(resource, prop) if type_ is None or r.type == type_]


def bare_cluster() -> pulumi.Output[str]:
    """The id of a minimal GKE cluster, for pools tried on their own."""
    return container.Cluster("c", location="us-central1", initial_node_count=1).id


def row(machine_type: str) -> catalog.InstanceType:
    found = catalog.load().instance("gcp", machine_type)
    assert found is not None, machine_type
    return found


def vpc_pair(name: str) -> tuple[compute.Network, compute.Subnetwork]:
    vpc = compute.Network(f"{name}-vpc", name=f"{name}-vpc", auto_create_subnetworks=False)
    return vpc, compute.Subnetwork(f"{name}-sub", name=f"{name}-sub", network=vpc.id, ip_cidr_range="10.9.0.0/24",
                                   region="us-central1")
