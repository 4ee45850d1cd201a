"""The shape of what Backbone knows about a cloud beyond its instance types (those are catalog data):
how it names zones and capacity reservations, and the type tokens of its components.

Each cloud states its facts once, in ``components/<cloud>/_facts.py`` (``FACTS`` and the tables only that
cloud's components read); the spec models, the components and the docs ask ``facts(cloud)``. A new cloud is
one package with its ``_facts.py``, its catalog file and its name in ``catalog.CLOUDS``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from backbone.core.errors import ComponentArgumentError

__all__ = ["CloudFacts", "component_error_name", "facts", "require_cloud"]


@dataclass(frozen=True)
class CloudFacts:
    """What every cloud states the same way."""

    cloud: str
    region_format: str
    """Regular expression of a region name."""
    region_example: str
    """A region as the user would write it, for messages."""
    zone_format: str
    """Regular expression of a zone of ``{region}`` (the region is substituted, escaped)."""
    zone_example: str
    """A zone of ``{region}`` as the user would write it, for messages."""
    reservation_format: str | None = None
    """Regular expression of a capacity reservation a pool targets; None: the cloud has no fixed form."""
    reservation_meaning: str | None = None
    """What ``reservation_format`` says, in words, for messages."""
    queued_provisioning: bool = False
    """Whether a pool can wait for its whole request to fit (GKE's Dynamic Workload Scheduler)."""
    capacity_blocks: bool = False
    """Whether a pool can run on a Capacity Block (capacity ``capacity-block``: EC2 Capacity Blocks for ML)."""
    largest_network: int = 8
    """The smallest CIDR prefix (largest network) the cloud accepts for one VPC / VNet / subnet range."""
    pool_name: Callable[[str], str] | None = None
    """The name the cloud gives a node pool named ``pool`` when it shortens names (AKS); None: kept as is."""
    pool_name_clash: str = ""
    """What is wrong when two pool names shorten to one ``{short}`` name, and the fix, for messages."""

    @property
    def type_prefix(self) -> str:
        """The type token prefix of the cloud's components (``backbone:aws:``)."""
        return f"backbone:{self.cloud}:"

    def region_refusal(self, region: str) -> str | None:
        """Why ``region`` is not a region name on this cloud (a zone given for a region, a typo); None when it is."""
        if re.match(self.region_format, region):
            return None
        return f"{region!r} is not a region of {self.cloud} (e.g. {self.region_example})"

    def zone_pattern(self, region: str) -> str:
        return self.zone_format.format(region=re.escape(region))

    def zone_refusal(self, region: str, zone: str) -> str | None:
        """Why ``zone`` is not a zone of ``region`` on this cloud; None when it is."""
        if re.match(self.zone_pattern(region), zone):
            return None
        example = self.zone_example.format(region=region)
        return f"zone {zone!r} is not a zone of {region} on {self.cloud} (e.g. {example})"

    def capacity_refusal(self, capacity: str) -> str | None:
        """Why a pool cannot take ``capacity`` on this cloud (a Capacity Block off AWS); None when it can."""
        if capacity == "capacity-block" and not self.capacity_blocks:
            return (f"capacity 'capacity-block' is an AWS EC2 Capacity Block for ML; {self.cloud} has none: use "
                    f"capacity 'reservation' with a {self.cloud} reservation")
        return None

    def reservation_refusal(self, reservation: str) -> str | None:
        """Why ``reservation`` cannot name a capacity reservation on this cloud; None when it can."""
        if self.reservation_format is None or re.match(self.reservation_format, reservation):
            return None
        return f"reservation {reservation!r} is not {self.reservation_meaning}"


@cache
def facts(cloud: str) -> CloudFacts:
    """The facts of ``cloud`` (one of ``catalog.CLOUDS``), from ``components/<cloud>/_facts.py``."""
    found: CloudFacts = importlib.import_module(f"backbone.components.{cloud}._facts").FACTS
    return found


def component_error_name(component: object, name: str | None = None) -> str:
    """How an error names a component: its class, and the instance's name where known (``GpuNodePool h100``)."""
    cls = component if isinstance(component, type) else type(component)
    return f"{cls.__name__} {name}" if name else cls.__name__


def require_cloud(component: object, name: str, cloud: str, spec_cloud: str) -> None:
    """A cloud's ``AcceleratorCluster`` builds that cloud's clusters only: refuse a spec of another cloud."""
    if spec_cloud != cloud:
        raise ComponentArgumentError(component_error_name(component, name), "spec.cloud",
                                     f"backbone.components.{cloud} builds {cloud} clusters; got {spec_cloud}")
