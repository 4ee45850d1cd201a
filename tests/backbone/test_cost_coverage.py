"""Each report says what its cost covers and leaves out, and counts the managed services around the accelerators
with cited prices: on hand-written programs (no ``backbone.components``), the expected figures written from the
public price pages (EKS $0.10 per cluster-hour, NAT gateway $0.045 per hour in us-east-1, GKE $0.10 per
cluster-hour, AKS Free $0 / Standard $0.10 per cluster-hour; 730 hours a month)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from backbone.core.catalog.pricing import LIST_PRICES
from backbone.core.catalog.services import SERVICES_FILE
from backbone.engine import preview_function
from backbone.judging import priced_inventory
from backbone.report.coverage import NEVER_COUNTED, CostCoverage, coverage_of


def coverage(program: Any, config: dict[str, Any]) -> CostCoverage:
    preview = preview_function(program, "dev", config)
    return coverage_of(preview, priced_inventory(preview, LIST_PRICES))


def eks_with_nat() -> None:
    import pulumi_aws as aws

    cluster = aws.eks.Cluster("c", role_arn="arn:aws:iam::123456789012:role/eks",
                              vpc_config={"subnet_ids": ["subnet-1"]})
    aws.ec2.NatGateway("nat", subnet_id="subnet-1", allocation_id="eipalloc-1")
    aws.eks.NodeGroup("system", cluster_name=cluster.name, node_role_arn="arn:aws:iam::123456789012:role/n",
                      subnet_ids=["subnet-1"], instance_types=["m6i.large"],
                      scaling_config={"min_size": 1, "max_size": 2, "desired_size": 1})


def test_an_eks_control_plane_and_a_nat_gateway_in_us_east_1_are_counted() -> None:
    cov = coverage(eks_with_nat, {"aws:region": "us-east-1"})
    assert {(s.name, s.count, s.usd_per_hour) for s in cov.services} == {("EKS control plane", 1, 0.10),
                                                                          ("NAT gateway", 1, 0.045)}
    assert cov.services_monthly_usd == pytest.approx((0.10 + 0.045) * 730)
    assert cov.services_line() == "$106/month: 1 × EKS control plane ($0.10/h), 1 × NAT gateway ($0.045/h)" or \
        cov.services_line() == "$106/month: 1 × NAT gateway ($0.045/h), 1 × EKS control plane ($0.10/h)"
    assert cov.includes == ("0 accelerator pool(s) at min and max scale",)
    assert "1 node pool(s) without accelerators (system pools)" in cov.left_out
    assert set(NEVER_COUNTED) <= set(cov.left_out)


def test_a_nat_gateway_where_no_price_was_read_is_named_not_priced() -> None:
    cov = coverage(eks_with_nat, {"aws:region": "eu-west-1"})
    assert [s.name for s in cov.services] == ["EKS control plane"]
    assert "1 × NAT gateway (priced for us-east-1, us-east-2 only, not eu-west-1): not priced" in cov.left_out


def test_a_gke_cluster_pays_its_management_fee_before_the_free_tier() -> None:
    def program() -> None:
        import pulumi_gcp as gcp

        gcp.container.Cluster("c", location="us-central1", initial_node_count=1)

    cov = coverage(program, {"gcp:project": "p", "gcp:region": "us-central1"})
    assert [(s.name, s.usd_per_hour) for s in cov.services] == [("GKE cluster management fee", 0.10)]
    assert any("$74.40 monthly credit" in item for item in cov.left_out)


@pytest.mark.parametrize(("sku", "priced"), [(None, 0.0), ({"name": "Base", "tier": "Standard"}, 0.10),
                                             ({"name": "Base", "tier": "Free"}, 0.0)])
def test_aks_is_priced_by_its_tier(sku: dict[str, str] | None, priced: float) -> None:
    def program() -> None:
        import pulumi_azure_native as azure

        azure.containerservice.ManagedCluster("c", resource_group_name="rg", dns_prefix="c", sku=sku)

    cov = coverage(program, {"azure-native:location": "eastus"})
    assert [(s.name, s.usd_per_hour) for s in cov.services] == [("AKS cluster management", priced)]


def test_an_aks_premium_tier_is_named_not_priced() -> None:
    def program() -> None:
        import pulumi_azure_native as azure

        azure.containerservice.ManagedCluster("c", resource_group_name="rg", dns_prefix="c",
                                              sku={"name": "Base", "tier": "Premium"})

    cov = coverage(program, {"azure-native:location": "eastus"})
    assert cov.services == ()
    assert "1 × AKS cluster management (sku.tier 'Premium' is not priced here): not priced" in cov.left_out


def test_every_service_price_cites_a_source_and_a_date() -> None:
    data = yaml.safe_load(SERVICES_FILE.read_text())
    for row in data["services"]:
        assert row["cite"], row["name"]
        for key in row["cite"]:
            source = data["sources"][key]
            assert source["url"].startswith("https://") and source["as_of"]
