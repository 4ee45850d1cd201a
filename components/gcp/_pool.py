"""What GPU and TPU node pools share: their catalog row, zone rules, capacity (on-demand, spot,
reservation, queued provisioning) and autoscaling inputs."""

from __future__ import annotations

from dataclasses import dataclass

from pulumi_gcp import container

from components import catalog

__all__ = ["Capacity", "autoscaling", "catalog_row", "check_zones", "reservation_affinity"]

RESERVATION_KEY = "compute.googleapis.com/reservation-name"


@dataclass(frozen=True)
class Capacity:
    """Where a pool's machines come from."""

    kind: str = "on-demand"
    """on-demand | spot | reservation."""
    reservation: str | None = None
    """The reservation name (kind: reservation)."""
    queued: bool = False
    """Queued provisioning (Dynamic Workload Scheduler): nodes come when the whole request fits."""

    def __post_init__(self) -> None:
        if self.kind not in ("on-demand", "spot", "reservation"):
            raise ValueError(f"capacity {self.kind!r} is not one of on-demand, spot, reservation")
        if (self.kind == "reservation") != bool(self.reservation):
            raise ValueError("a reservation name goes with capacity 'reservation', and only with it")
        if self.queued and self.kind != "on-demand":
            raise ValueError(f"queued provisioning obtains its own capacity: use on-demand, not {self.kind}")


def catalog_row(machine_type: str) -> catalog.InstanceType:
    row = catalog.load().instance("gcp", machine_type)
    if row is None:
        raise ValueError(catalog.load().not_listed("gcp", machine_type))
    return row


def check_zones(row: catalog.InstanceType, zones: list[str], multi_node_training: bool) -> None:
    """One zone at least; one zone only for multi-node training; zones the catalog says offer the type."""
    if not zones:
        raise ValueError("a node pool needs a zone")
    if multi_node_training and len(set(zones)) > 1:
        raise ValueError(f"a multi-node training pool lives in one zone; got {', '.join(zones)}")
    refusal = row.zone_refusal(zones)
    if refusal is not None:
        raise ValueError(refusal)


def reservation_affinity(capacity: Capacity) -> container.NodePoolNodeConfigReservationAffinityArgs | None:
    if capacity.kind == "reservation":
        return container.NodePoolNodeConfigReservationAffinityArgs(
            consume_reservation_type="SPECIFIC_RESERVATION", key=RESERVATION_KEY, values=[str(capacity.reservation)],
        )
    if capacity.queued:
        return container.NodePoolNodeConfigReservationAffinityArgs(consume_reservation_type="NO_RESERVATION")
    return None


def autoscaling(min_nodes: int, max_nodes: int, capacity: Capacity) -> container.NodePoolAutoscalingArgs:
    """Pool-wide node limits (totals over the pool's zones)."""
    if min_nodes > max_nodes:
        raise ValueError(f"min_nodes ({min_nodes}) is above max_nodes ({max_nodes})")
    return container.NodePoolAutoscalingArgs(
        total_min_node_count=min_nodes,
        total_max_node_count=max_nodes,
        location_policy="ANY" if capacity.queued or capacity.kind == "spot" else "BALANCED",
    )
