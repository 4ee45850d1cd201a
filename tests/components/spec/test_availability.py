"""Where the flagship types are offered, from cited catalog data: a stack in a zone or region the catalog says
lacks the type is refused, naming where it is offered."""

from __future__ import annotations

import pytest

from backbone.components.spec import from_config
from backbone.core.errors import ConfigError


def gcp(zone: str) -> dict[str, object]:
    region = zone.rsplit("-", 1)[0]
    return {"cloud": "gcp", "name": "llm", "region": region, "zone": zone,
            "nodePools": [{"name": "h100", "instanceType": "a3-megagpu-8g", "maxNodes": 2}]}


def test_a3_mega_in_a_zone_that_offers_it() -> None:
    from_config({"backbone:cluster": gcp("us-central1-a")})


def test_a3_mega_in_a_zone_that_does_not_is_refused_with_where_it_is() -> None:
    with pytest.raises(ConfigError, match="a3-megagpu-8g is not offered in zone us-central1-f") as caught:
        from_config({"backbone:cluster": gcp("us-central1-f")})
    assert "us-central1-a, us-central1-b, us-central1-c" in str(caught.value)


@pytest.mark.parametrize(("region", "offered"), [("us-west-2", True), ("eu-west-1", False)])
def test_p5_regions(region: str, offered: bool) -> None:
    cluster = {"cloud": "aws", "name": "llm", "region": region, "zone": f"{region}a",
               "nodePools": [{"name": "h100", "instanceType": "p5.48xlarge", "maxNodes": 2}]}
    if offered:
        from_config({"backbone:cluster": cluster})
    else:
        with pytest.raises(ConfigError, match=f"p5.48xlarge is not offered in {region}"):
            from_config({"backbone:cluster": cluster})
