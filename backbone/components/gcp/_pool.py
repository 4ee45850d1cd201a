"""What GPU and TPU node pools share: their catalog row, zone rules, capacity (on-demand, spot, reservation,
queued provisioning), autoscaling inputs, and the names GKE wants where the caller may give an id."""

from __future__ import annotations

import pulumi
from pulumi_gcp import container

from backbone.components.gcp._facts import FACTS, RESERVATION_KEY, region_of
from backbone.core import catalog
from backbone.core.errors import ComponentArgumentError
from backbone.core.vocabulary import CAPACITIES, Capacity

__all__ = ["autoscaling", "catalog_row", "check_capacity", "check_zones", "last_segment", "reservation_affinity"]


def last_segment(value: pulumi.Input[str]) -> pulumi.Input[str]:
    """The name in a name, an id or a self-link (``projects/p/global/networks/gpu-0`` -> ``gpu-0``)."""
    if isinstance(value, str):
        return value.rstrip("/").rsplit("/", 1)[-1]
    return pulumi.Output.concat(value).apply(lambda text: text.rstrip("/").rsplit("/", 1)[-1])


def catalog_row(where: str, machine_type: str) -> catalog.InstanceType:
    row = catalog.load().instance("gcp", machine_type)
    if row is None:
        raise ComponentArgumentError(where, "machine_type", catalog.load().not_listed("gcp", machine_type))
    return row


def check_capacity(where: str, capacity: Capacity, reservation: str | None, queued: bool) -> None:
    if capacity not in CAPACITIES:
        raise ComponentArgumentError(where, "capacity", f"{capacity!r} is not one of {', '.join(CAPACITIES)}")
    refusal = FACTS.capacity_refusal(capacity)
    if refusal is not None:
        raise ComponentArgumentError(where, "capacity", refusal)
    if (capacity == "reservation") != bool(reservation):
        raise ComponentArgumentError(where, "reservation", "a reservation name goes with capacity 'reservation', "
                                     f"and only with it (capacity {capacity!r}, reservation {reservation!r})")
    if queued and capacity != "on-demand":
        raise ComponentArgumentError(where, "queued_provisioning",
                                     f"queued provisioning obtains its own capacity: use on-demand, not {capacity}")


def check_zones(where: str, location: str, row: catalog.InstanceType, zones: list[str],
                multi_node_training: bool) -> None:
    """One zone at least, of the location's region; one zone only for multi-node training; zones the catalog
    offers the machine type in."""
    region = region_of(location)
    if not zones:
        raise ComponentArgumentError(where, "zones", f"a node pool needs a zone (e.g. {region}-a)")
    for zone in zones:
        refusal = FACTS.zone_refusal(region, zone)
        if refusal is not None:
            raise ComponentArgumentError(where, "zones", refusal)
    if multi_node_training and len(set(zones)) > 1:
        raise ComponentArgumentError(where, "zones",
                                     f"a multi-node training pool lives in one zone; got {', '.join(zones)}")
    refusal = row.zone_refusal(zones)
    if refusal is not None:
        raise ComponentArgumentError(where, "zones", refusal)


def reservation_affinity(capacity: Capacity, reservation: str | None,
                         queued: bool) -> container.NodePoolNodeConfigReservationAffinityArgs | None:
    if capacity == "reservation":
        return container.NodePoolNodeConfigReservationAffinityArgs(
            consume_reservation_type="SPECIFIC_RESERVATION", key=RESERVATION_KEY, values=[str(reservation)],
        )
    if queued:
        return container.NodePoolNodeConfigReservationAffinityArgs(consume_reservation_type="NO_RESERVATION")
    return None


def autoscaling(where: str, min_nodes: int, max_nodes: int, capacity: Capacity,
                queued: bool) -> container.NodePoolAutoscalingArgs:
    """Pool-wide node limits (totals over the pool's zones)."""
    if max_nodes < 1:
        raise ComponentArgumentError(where, "max_nodes", f"must be 1 or more (got {max_nodes})")
    if not 0 <= min_nodes <= max_nodes:
        raise ComponentArgumentError(where, "min_nodes",
                                     f"must be between 0 and max_nodes ({max_nodes}); got {min_nodes}")
    return container.NodePoolAutoscalingArgs(
        total_min_node_count=min_nodes,
        total_max_node_count=max_nodes,
        location_policy="ANY" if queued or capacity == "spot" else "BALANCED",
    )
