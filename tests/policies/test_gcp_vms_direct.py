"""The GCP VM reader (``backbone.policies.inventory.gcp_vms``) on resources built by hand as CrossGuard hands them
to the pack: Compute Engine instances (alone or sharing a placement policy), managed instance groups with their
templates and autoscalers, TPU VMs, queued resources and reservations — every fact, each input at and past what
decides it, every unknown named.

Figures (literals, never read back from the code under test):
- a3-highgpu-8g: 4 GPU NICs × 200 Gbps = 800 Gbps, each gVNIC on its own VPC after the host's first interface;
  a3-ultragpu-8g: 8 MRDMA NICs × 400 Gbps = 3,200 Gbps (cloud.google.com/compute/docs/gpus/gpu-network-bandwidth).
- g2-standard-8: 1 × L4, no GPU NICs (cloud.google.com/compute/docs/gpus).
- TPU slices (XPK's system_characteristics.py, Cloud TPU docs): v5p counts TensorCores, 2 a chip, so v5p-32 is
  16 chips = 4 × ct5p-hightpu-4t (4 chips a VM); v5litepod-8 is 2 × ct5lp-hightpu-4t; v5litepod-1 one
  ct5lp-hightpu-1t; v6e-1 one ct6e-standard-1t; V5P 2x2x4 is 16 chips; the catalog cites no ICI bandwidth.
- A MIG without an autoscaler has ``targetSize`` VMs (the provider's default 0); an autoscaler without
  ``minReplicas`` lets Compute Engine pick the minimum (registry.terraform.io google_compute_autoscaler).
"""

from __future__ import annotations

from dataclasses import astuple, replace
from typing import Any

import pytest
from gcp_hand import CATALOG, U, facts, graph_of, res
from pulumi_policy import PolicyResource
from test_gcp_direct import GONE, PURPOSE, edited

from backbone.policies.inventory import UNKNOWN
from backbone.policies.inventory.gcp import NETWORK, RESOURCE_POLICY
from backbone.policies.inventory.gcp_vms import (
    AUTOSCALER,
    INSTANCE,
    INSTANCE_GROUP_MANAGER,
    INSTANCE_TEMPLATE,
    QUEUED_RESOURCE,
    REGION_AUTOSCALER,
    REGION_INSTANCE_GROUP_MANAGER,
    REGION_INSTANCE_TEMPLATE,
    RESERVATION,
    TPU_VM,
    _fabric,
    _host_for,
    read_instance_groups,
    read_instances,
    read_queued_resources,
    read_reservations,
    read_tpu_vms,
)

COMPACT_MISSING = ("no compact placement: attach a resource policy with groupPlacementPolicy.collocation COLLOCATED "
                   "(resourcePolicies)")


def interfaces(*networks: Any, nic_type: Any = None) -> list[dict[str, Any]]:
    return [{"network": n} if nic_type is None else {"network": n, "nicType": nic_type} for n in networks]


VM_INPUTS: dict[str, Any] = {
    "machineType": "a3-highgpu-8g",
    "zone": "us-central1-a",
    "labels": {PURPOSE: "training"},
    "networkInterfaces": interfaces("host", "gpu-1", "gpu-2", "gpu-3", "gpu-4"),
}
BASE: dict[str, Any] = {
    "name": "vm", "urn": f"urn:pulumi:s::p::{INSTANCE}::vm", "cloud": "gcp", "type": INSTANCE,
    "instance_type": "a3-highgpu-8g", "instance": "a3-highgpu-8g", "min": 1, "max": 1, "purpose": "training",
    "declared": True, "zones": ("us-central1-a",), "region": "us-central1", "capacity": "on-demand",
    "fabric": (True, (), (), 800.0), "public_ips": False, "tpu_topology": None, "labels": {PURPOSE: "training"},
    "attached": None, "looks": True, "unknown": {}, "candidates": (),
    "intent": ("4 GPU NIC(s) on additional networks",), "compact": False, "compact_missing": COMPACT_MISSING,
    "least_zones": 0, "least_max_nodes": 0,
}


def short(configured: int, instance_type: str = "a3-highgpu-8g", has: int | str = 4) -> str:
    return (f"{configured} GPU NIC(s) configured where {instance_type} has {has} (add networkInterfaces, one per GPU "
            "NIC, each on its own VPC, or nicType MRDMA on RDMA types)")


def read(reader: Any, type_: str, *resources: PolicyResource) -> list[dict[str, Any]]:
    graph = graph_of(*resources)
    return [facts(p) for p in reader(graph, CATALOG, graph.of_type(type_))]


def vms(*resources: PolicyResource) -> list[dict[str, Any]]:
    return read(read_instances, INSTANCE, *resources)


def vm_of(edits: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    [found] = vms(res(INSTANCE, "vm", edited(VM_INPUTS, edits), **kwargs))
    return found


def unknown_type(path: str) -> dict[str, Any]:
    return {"instance_type": UNKNOWN, "instance": None, "looks": False, "unknown": {"instance_type": path},
            "fabric": (UNKNOWN, (), ("machine type",), UNKNOWN), "intent": ()}


VM_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("base", {}, {}),
    ("spot", {"scheduling": {"provisioningModel": "SPOT"}}, {"capacity": "spot"}),
    ("standard", {"scheduling": {"provisioningModel": "STANDARD"}}, {}),
    ("preemptible", {"scheduling": {"preemptible": True}}, {"capacity": "spot"}),
    ("preemptible-false", {"scheduling": {"preemptible": False}}, {}),
    ("specific-reservation", {"reservationAffinity": {"type": "SPECIFIC_RESERVATION"}}, {"capacity": "reservation"}),
    ("any-reservation", {"reservationAffinity": {"type": "ANY_RESERVATION"}}, {}),
    ("spot-beats-reservation", {"scheduling": {"provisioningModel": "SPOT"},
                                "reservationAffinity": {"type": "SPECIFIC_RESERVATION"}}, {"capacity": "spot"}),
    ("machine-type-unknown", {"machineType": U}, unknown_type("vm.machineType")),
    ("machine-type-unknown-unlabelled", {"machineType": U, "labels": GONE},
     {**unknown_type("vm.machineType"), "labels": {}, "purpose": "inference", "declared": False}),
    ("guest-accelerators", {"machineType": "n1-standard-8", "guestAccelerators": [
        {"type": "nvidia-tesla-t4", "count": 1}, {"acceleratorCount": 2}, {"count": U}]},
     {"instance_type": "n1-standard-8", "instance": None, "attached": 3, "fabric": (False, (), (), 0.0),
      "intent": ()}),
    ("uncatalogued-family", {"machineType": "a9-megagpu-8g"},
     {"instance_type": "a9-megagpu-8g", "instance": None, "fabric": (False, (), (), 0.0), "intent": ()}),
    ("catalogued-with-guests", {"guestAccelerators": [{"count": 8}]}, {}),
    ("no-gpu-nics-on-the-type", {"machineType": "g2-standard-8"},
     {"instance_type": "g2-standard-8", "instance": "g2-standard-8", "fabric": (False, (), (), 0.0), "intent": ()}),
    # GPU NICs: the interfaces after the host's, each on its own VPC
    ("two-gpu-nics", {"networkInterfaces": interfaces("host", "a", "b")},
     {"fabric": (False, (short(2),), (), 400.0), "intent": ("2 GPU NIC(s) on additional networks",)}),
    ("three-gpu-nics", {"networkInterfaces": interfaces("host", "a", "b", "c")},
     {"fabric": (False, (short(3),), (), 600.0), "intent": ("3 GPU NIC(s) on additional networks",)}),
    ("host-nic-only", {"networkInterfaces": interfaces("host")},
     {"fabric": (False, (short(0),), (), 0.0), "intent": ()}),
    ("no-interfaces", {"networkInterfaces": []}, {"fabric": (False, (short(0),), (), 0.0), "intent": ()}),
    ("interfaces-not-set", {"networkInterfaces": GONE}, {"fabric": (False, (short(0),), (), 0.0), "intent": ()}),
    ("four-gpu-nics-on-two-vpcs", {"networkInterfaces": interfaces("host", "a", "a", "b", "b")},
     {"fabric": (False, ("the 4 GPU NICs share 2 VPC(s), each needs its own",), (), 400.0)}),
    ("four-gpu-nics-on-three-vpcs", {"networkInterfaces": interfaces("host", "a", "b", "c", "c")},
     {"fabric": (False, ("the 4 GPU NICs share 3 VPC(s), each needs its own",), (), 600.0)}),
    ("no-network-named", {"networkInterfaces": [{}, {}, {}, {}, {}]}, {}),
    ("every-nic-on-the-hosts-vpc", {"networkInterfaces": interfaces("host", "host", "host", "host", "host")},
     {"fabric": (False, ("the 4 GPU NICs are on the host's VPC, each needs its own",), (), 0.0)}),
    ("interfaces-unknown", {"networkInterfaces": U},
     {"fabric": (UNKNOWN, (), ("vm.networkInterfaces",), UNKNOWN), "intent": (), "public_ips": UNKNOWN,
      "unknown": {"public_ips": "vm.networkInterfaces"}}),
    ("nic-type-unknown", {"networkInterfaces": interfaces("host", "a", "b", "c", nic_type=U)},
     {"fabric": (UNKNOWN, (), ("vm.networkInterfaces[].nicType",), UNKNOWN), "intent": ()}),
    ("rdma", {"machineType": "a3-ultragpu-8g",
              "networkInterfaces": interfaces("host", "host-2") + interfaces(*[U] * 8, nic_type="MRDMA")},
     {"instance_type": "a3-ultragpu-8g", "instance": "a3-ultragpu-8g", "fabric": (True, (), (), 3200.0),
      "intent": ("8 GPU NIC(s) on additional networks",)}),
    ("rdma-seven", {"machineType": "a3-ultragpu-8g",
                    "networkInterfaces": interfaces("host", "host-2") + interfaces(*[U] * 7, nic_type="MRDMA")},
     {"instance_type": "a3-ultragpu-8g", "instance": "a3-ultragpu-8g",
      "fabric": (False, (short(7, "a3-ultragpu-8g", 8),), (), 2800.0),
      "intent": ("7 GPU NIC(s) on additional networks",)}),
    ("gvnics-on-an-rdma-type", {"machineType": "a3-ultragpu-8g", "networkInterfaces": interfaces(
        *(f"n{i}" for i in range(9)), nic_type="GVNIC")},
     {"instance_type": "a3-ultragpu-8g", "instance": "a3-ultragpu-8g", "fabric": (True, (), (), 3200.0),
      "intent": ("8 GPU NIC(s) on additional networks",)}),
    # public IPs: an accessConfigs entry on any interface
    ("access-config", {"networkInterfaces": [{"network": "host", "accessConfigs": [{}]}, *interfaces(
        "gpu-1", "gpu-2", "gpu-3", "gpu-4")]}, {"public_ips": True}),
    ("access-config-on-a-later-nic", {"networkInterfaces": [
        {"network": "host", "accessConfigs": []}, *interfaces("gpu-1", "gpu-2"),
        {"network": "gpu-3", "accessConfigs": [{"natIp": U}]}, *interfaces("gpu-4")]}, {"public_ips": True}),
    ("access-configs-unknown", {"networkInterfaces": [*interfaces("host", "gpu-1", "gpu-2"),
                                                      {"network": "gpu-3", "accessConfigs": U},
                                                      *interfaces("gpu-4")]},
     {"public_ips": UNKNOWN, "unknown": {"public_ips": "vm.networkInterfaces[3].accessConfigs"}}),
    # where it is
    ("zone-unknown", {"zone": U}, {"zones": UNKNOWN, "region": None, "unknown": {"zones": "vm.zone"}}),
    ("zone-is-a-region", {"zone": "us-central1"},
     {"zones": UNKNOWN, "region": None, "unknown": {"zones": "vm.zone (not set, nor the provider's zone)"}}),
    ("zone-not-set", {"zone": GONE},
     {"zones": UNKNOWN, "region": None, "unknown": {"zones": "vm.zone (not set, nor the provider's zone)"}}),
]


@pytest.mark.parametrize(("edits", "expected"), [c[1:] for c in VM_CASES], ids=[c[0] for c in VM_CASES])
def test_an_instance_every_fact(edits: dict[str, Any], expected: dict[str, Any]) -> None:
    assert vm_of(edits) == {**BASE, **expected}


def test_an_instance_takes_its_providers_zone() -> None:
    assert vm_of({"zone": GONE}, provider={"zone": "us-east4-b"})["zones"] == ("us-east4-b",)
    assert vm_of({"zone": GONE}, provider={"zone": "us-east4-b"})["region"] == "us-east4"
    assert vm_of({"zone": GONE}, provider={"zone": ""})["unknown"] == {
        "zones": "vm.zone (not set, nor the provider's zone)"}
    assert vm_of({"zone": GONE}, provider={"zone": U})["zones"] is UNKNOWN
    assert vm_of({"zone": 5}, provider={"zone": "us-east4-b"})["zones"] == ("us-east4-b",)


@pytest.mark.parametrize("edits", [{"machineType": "n2-standard-8"}, {"machineType": GONE},
                                   {"machineType": "n1-standard-8", "guestAccelerators": [{"count": 0}]}],
                         ids=["cpu-type", "no-type", "zero-guests"])
def test_an_instance_without_accelerators_is_not_judged(edits: dict[str, Any]) -> None:
    assert vms(res(INSTANCE, "vm", edited(VM_INPUTS, edits))) == []


def test_vpcs_of_the_stack_count_through_the_graph() -> None:
    def linked(count: int) -> dict[str, Any]:
        nets = [res(NETWORK, f"vpc-{i}") for i in range(count)]
        inputs = edited(VM_INPUTS, {"networkInterfaces": interfaces(U, U, U, U, U)})
        [found] = vms(*nets, res(INSTANCE, "vm", inputs, prop_deps={"networkInterfaces": nets}))
        return found
    assert linked(5)["fabric"] == (True, (), (), 800.0)
    assert linked(3)["fabric"] == (False, ("the 4 GPU NICs share 2 VPC(s), each needs its own",), (), 400.0)
    assert linked(6)["fabric"] == (True, (), (), 800.0)


def placement(collocation: Any, name: str = "compact") -> PolicyResource:
    return res(RESOURCE_POLICY, name, {"groupPlacementPolicy": {"vmCount": 2, "collocation": collocation}})


def test_a_collocated_placement_policy_is_compact_placement() -> None:
    policy = placement("COLLOCATED")
    [found] = vms(policy, res(INSTANCE, "vm", edited(VM_INPUTS, {"resourcePolicies": [U]}),
                              prop_deps={"resourcePolicies": [policy]}))
    assert (found["compact"], found["intent"]) == (True, ("4 GPU NIC(s) on additional networks",
                                                          "compact placement (a COLLOCATED placement policy)"))
    for collocation, compact in (("UNSPECIFIED_COLLOCATION", False), (U, UNKNOWN)):
        policy = placement(collocation)
        [found] = vms(policy, res(INSTANCE, "vm", edited(VM_INPUTS, {"resourcePolicies": [U]}),
                                  prop_deps={"resourcePolicies": [policy]}))
        assert (found["compact"], found["intent"]) == (compact, ("4 GPU NIC(s) on additional networks",))
    assert vm_of({"resourcePolicies": U})["compact"] is UNKNOWN
    assert vm_of({"resourcePolicies": ["projects/p/regions/us-central1/resourcePolicies/x"]})["compact"] is False


def test_instances_sharing_a_placement_policy_are_one_pool() -> None:
    policy = placement("COLLOCATED", "ring")
    members = [res(INSTANCE, f"vm-{i}", edited(VM_INPUTS, {"resourcePolicies": [U], "zone": zone}),
                   prop_deps={"resourcePolicies": [policy]})
               for i, zone in enumerate(("us-central1-b", "us-central1-a", "us-central1-b"))]
    alone = res(INSTANCE, "alone", VM_INPUTS)
    shared, single = vms(policy, *members, alone)
    assert shared == {**BASE, "name": "3 instances sharing ring (vm-0 …)", "urn": f"urn:pulumi:s::p::{INSTANCE}::vm-0",
                      "min": 3, "max": 3, "zones": ("us-central1-b", "us-central1-a"), "compact": True,
                      "intent": ("4 GPU NIC(s) on additional networks",
                                 "compact placement (a COLLOCATED placement policy)")}
    assert (single["name"], single["min"], single["max"]) == ("alone", 1, 1)
    members[1] = res(INSTANCE, "vm-1", edited(VM_INPUTS, {"resourcePolicies": [U], "zone": U}),
                     prop_deps={"resourcePolicies": [policy]})
    [blind] = vms(policy, *members)
    assert (blind["zones"], blind["region"], blind["unknown"]) == (UNKNOWN, "us-central1", {"zones": "vm-1.zone"})
    two = [placement("COLLOCATED", "a"), placement("COLLOCATED", "b")]
    twice = [res(INSTANCE, f"vm-{i}", edited(VM_INPUTS, {"resourcePolicies": [U, U]}),
                 prop_deps={"resourcePolicies": two}) for i in range(2)]
    assert [p["name"] for p in vms(*two, *twice)] == ["vm-0", "vm-1"]
    [one] = vms(policy, members[0])
    assert one["name"] == "vm-0"


def test_an_unreadable_instance_is_every_fact_unknown() -> None:
    [found] = vms(res(INSTANCE, "junk", "junk"), res(INSTANCE, "vm", VM_INPUTS))[:1]
    why = "its inputs could not be read (got str)"
    assert (found["name"], found["cloud"], found["instance_type"], found["unknown"]) == (
        "junk", "gcp", UNKNOWN, dict.fromkeys(("instance_type", "min_nodes", "max_nodes", "zones", "public_ips"), why))
    assert len(vms(res(INSTANCE, "junk", "junk"), res(INSTANCE, "vm", VM_INPUTS))) == 2


# --- managed instance groups --------------------------------------------------------------------------------------

def template(name: str = "tmpl", type_: str = INSTANCE_TEMPLATE, **edits: Any) -> PolicyResource:
    return res(type_, name, edited({k: v for k, v in VM_INPUTS.items() if k != "zone"}, edits))


def mig(templates: list[PolicyResource], inputs: dict[str, Any] | None = None, name: str = "mig",
        type_: str = INSTANCE_GROUP_MANAGER) -> PolicyResource:
    given = {"zone": "us-central1-a", "targetSize": 4, "versions": [{"instanceTemplate": U} for _ in templates]}
    return res(type_, name, edited(given, inputs or {}), prop_deps={"versions": templates})


def groups(*resources: PolicyResource) -> list[dict[str, Any]]:
    found = read(read_instance_groups, INSTANCE_GROUP_MANAGER, *resources)
    return found + read(read_instance_groups, REGION_INSTANCE_GROUP_MANAGER, *resources)


MIG = {**BASE, "name": "mig", "urn": f"urn:pulumi:s::p::{INSTANCE_GROUP_MANAGER}::mig",
       "type": INSTANCE_GROUP_MANAGER, "min": 4, "max": 4}


def test_a_managed_instance_group_reads_its_template() -> None:
    tmpl = template()
    assert groups(tmpl, mig([tmpl])) == [MIG]
    region_tmpl = template("rt", REGION_INSTANCE_TEMPLATE)
    assert groups(region_tmpl, mig([region_tmpl])) == [MIG]
    assert [(p["min"], p["max"]) for p in groups(tmpl, mig([tmpl], {"targetSize": GONE}))] == [(0, 0)]
    blind = groups(tmpl, mig([tmpl], {"targetSize": U}))[0]
    assert (blind["min"], blind["max"], blind["unknown"]) == (UNKNOWN, UNKNOWN, {
        "min_nodes": "mig.targetSize", "max_nodes": "mig.targetSize"})
    assert groups(template(machineType="n2-standard-8"), mig([template(machineType="n2-standard-8")])) == []


def test_a_group_without_a_template_of_the_stack_cannot_say_its_type() -> None:
    [found] = groups(mig([]))
    why = "mig.versions[].instanceTemplate (no instance template of this stack)"
    assert found == {**MIG, "instance_type": UNKNOWN, "instance": None, "looks": False, "labels": {},
                     "unknown": {"instance_type": why}, "fabric": (UNKNOWN, (), ("machine type",), UNKNOWN),
                     "intent": (), "purpose": "training", "declared": False}


def test_several_templates_the_least_favourable_decides() -> None:
    big, small = template("big"), template("small", machineType="g2-standard-8")
    [found] = groups(big, small, mig([small, big]))
    assert (found["instance_type"], found["candidates"], found["attached"]) == (
        "a3-highgpu-8g", ("a3-highgpu-8g", "g2-standard-8"), None)
    odd = template("odd", machineType="a9-megagpu-8g", guestAccelerators=[{"count": 2}])
    [found] = groups(big, odd, mig([big, odd]))
    assert (found["instance_type"], found["instance"], found["candidates"], found["attached"]) == (
        "a9-megagpu-8g", None, ("a9-megagpu-8g", "a3-highgpu-8g"), 2)
    blind = template("blind", machineType=U)
    [found] = groups(big, blind, mig([big, blind]))
    assert (found["instance_type"], found["candidates"], found["unknown"]) == (
        UNKNOWN, (), {"instance_type": "blind.machineType"})
    assert groups(big, template("twin"), mig([big, template("twin")]))[0]["candidates"] == ()


def autoscaler(target: PolicyResource, policy: Any, name: str = "scaler", type_: str = AUTOSCALER) -> PolicyResource:
    return res(type_, name, {"target": U, "autoscalingPolicy": policy}, prop_deps={"target": [target]})


SCALER = "scaler.autoscalingPolicy"


@pytest.mark.parametrize(("policy", "least", "most", "unknown"), [
    ({"minReplicas": 1, "maxReplicas": 8}, 1, 8, {}),
    ({"minReplicas": 0, "maxReplicas": 8}, 0, 8, {}),
    ({"maxReplicas": 8}, UNKNOWN, 8, {"min_nodes": f"{SCALER}.minReplicas (not set: Compute Engine chooses it)"}),
    ({"minReplicas": U, "maxReplicas": 8}, UNKNOWN, 8, {"min_nodes": f"{SCALER}.minReplicas"}),
    ({"minReplicas": 1, "maxReplicas": U}, 1, UNKNOWN, {"max_nodes": f"{SCALER}.maxReplicas"}),
    ({"minReplicas": 1}, 1, UNKNOWN, {"max_nodes": f"{SCALER}.maxReplicas (missing or not a whole number)"}),
], ids=["both", "from-zero", "no-minimum", "minimum-unknown", "maximum-unknown", "no-maximum"])
def test_an_autoscaler_sizes_its_group(policy: dict[str, Any], least: Any, most: Any, unknown: dict[str, str]) -> None:
    tmpl = template()
    group = mig([tmpl])
    [found] = groups(tmpl, group, autoscaler(group, policy))
    assert (found["min"], found["max"], found["unknown"]) == (least, most, unknown)


def test_a_regional_group_and_its_autoscaler() -> None:
    tmpl = template()
    group = mig([tmpl], {"zone": GONE, "region": "us-central1",
                         "distributionPolicyZones": ["us-central1-b", "us-central1-c", "us-central1-b"]},
                type_=REGION_INSTANCE_GROUP_MANAGER)
    scaler = autoscaler(group, {"minReplicas": 2, "maxReplicas": 6}, type_=REGION_AUTOSCALER)
    [found] = groups(tmpl, group, scaler)
    assert found == {**MIG, "urn": f"urn:pulumi:s::p::{REGION_INSTANCE_GROUP_MANAGER}::mig",
                     "type": REGION_INSTANCE_GROUP_MANAGER, "min": 2, "max": 6,
                     "zones": ("us-central1-b", "us-central1-c")}
    spread = "mig.distributionPolicyZones (not set: a regional group spreads its VMs over zones Compute Engine picks)"
    cases: list[tuple[dict[str, Any], Any, Any, dict[str, str]]] = [
        ({"distributionPolicyZones": ["us-east4-a"]}, ("us-east4-a",), "us-east4", {}),
        ({"region": "us-central1"}, UNKNOWN, "us-central1", {"zones": spread}),
        ({"region": "us-central1", "distributionPolicyZones": []}, UNKNOWN, "us-central1", {"zones": spread}),
        ({"region": "us-central1", "distributionPolicyZones": ["us-central1-a", U]}, UNKNOWN, "us-central1",
         {"zones": spread}),
        ({"region": U}, UNKNOWN, None, {"zones": "mig.region"}),
    ]
    for inputs, zones, region, unknown in cases:
        group = mig([tmpl], {"zone": GONE, **inputs}, type_=REGION_INSTANCE_GROUP_MANAGER)
        [found] = groups(tmpl, group)
        assert (found["zones"], found["region"], found["unknown"]) == (zones, region, unknown), inputs


def test_two_autoscalers_on_one_group_leave_its_size_unknown() -> None:
    tmpl = template()
    group = mig([tmpl])
    scalers = [autoscaler(group, {"minReplicas": 1, "maxReplicas": 8}, f"s{i}") for i in range(2)]
    [found] = groups(tmpl, group, *scalers)
    assert (found["min"], found["max"], found["unknown"]) == (UNKNOWN, UNKNOWN, {
        "min_nodes": "2 autoscalers target mig", "max_nodes": "2 autoscalers target mig"})
    other = mig([tmpl], name="other")
    [found, _] = groups(tmpl, group, other, autoscaler(other, {"minReplicas": 1, "maxReplicas": 8}))
    assert (found["name"], found["min"], found["max"]) == ("mig", 4, 4)


def test_a_groups_template_and_the_group_place_it_compactly() -> None:
    policy = placement("COLLOCATED")
    tmpl = res(INSTANCE_TEMPLATE, "tmpl", edited(VM_INPUTS, {"resourcePolicies": [U]}),
               prop_deps={"resourcePolicies": [policy]})
    [found] = groups(policy, tmpl, mig([tmpl]))
    assert found["compact"] is True
    group = res(INSTANCE_GROUP_MANAGER, "mig", {"zone": "us-central1-a", "targetSize": 4, "resourcePolicies": [U],
                                                "versions": [{"instanceTemplate": U}]},
                prop_deps={"versions": [template()], "resourcePolicies": [policy]})
    plain = template()
    group.property_dependencies["versions"] = [plain]
    [found] = groups(policy, plain, group)
    assert found["compact"] is True


def test_an_unreadable_group_is_every_fact_unknown() -> None:
    [found] = groups(res(INSTANCE_GROUP_MANAGER, "junk", "junk"))
    assert (found["name"], found["cloud"], found["instance_type"], found["max"]) == ("junk", "gcp", UNKNOWN, UNKNOWN)


def reservation(count: Any = 3, name: str = "res", **properties: Any) -> PolicyResource:
    props = {"machineType": "a3-highgpu-8g", **properties}
    return res(RESERVATION, name, {"zone": "us-central1-a",
                                   "specificReservation": {"count": count, "instanceProperties": props}})


def test_a_reservation_a_group_consumes_raises_its_minimum_up_to_its_maximum() -> None:
    def size(count: Any, policy: dict[str, Any]) -> tuple[Any, Any]:
        reserved = reservation(count)
        tmpl = res(INSTANCE_TEMPLATE, "tmpl", edited(VM_INPUTS, {"reservationAffinity": {
            "type": "SPECIFIC_RESERVATION", "values": [U]}}), prop_deps={"reservationAffinity": [reserved]})
        group = mig([tmpl])
        [found] = groups(reserved, tmpl, group, autoscaler(group, policy))
        assert found["capacity"] == "reservation"
        assert read(read_reservations, RESERVATION, reserved, tmpl, group) == []  # counted once, on the group
        return found["min"], found["max"]
    assert size(3, {"minReplicas": 1, "maxReplicas": 8}) == (3, 8)
    assert size(3, {"minReplicas": 5, "maxReplicas": 8}) == (5, 8)
    assert size(3, {"minReplicas": 1, "maxReplicas": 2}) == (2, 2)
    assert size(3, {"minReplicas": 1, "maxReplicas": U}) == (3, UNKNOWN)
    assert size(3, {"maxReplicas": 8}) == (UNKNOWN, 8)
    assert size(U, {"minReplicas": 1, "maxReplicas": 8}) == (1, 8)
    assert size(0, {"minReplicas": 1, "maxReplicas": 8}) == (1, 8)


def test_an_instance_that_consumes_a_reservation_counts_it() -> None:
    reserved = reservation(1)
    vm = res(INSTANCE, "vm", edited(VM_INPUTS, {"reservationAffinity": {"type": "SPECIFIC_RESERVATION",
                                                                          "values": [U]}}),
             prop_deps={"reservationAffinity": [reserved]})
    [found] = vms(reserved, vm)
    assert (found["min"], found["max"], found["capacity"]) == (1, 1, "reservation")
    assert read(read_reservations, RESERVATION, reserved, vm) == []


RESERVED = {**BASE, "name": "res", "urn": f"urn:pulumi:s::p::{RESERVATION}::res", "type": RESERVATION, "min": 3,
            "max": 3, "capacity": "reservation", "purpose": "inference", "declared": False, "labels": {},
            "fabric": (False, (), (), 0.0), "intent": (), "compact": None}


def test_a_reservation_nobody_consumes_is_a_pool_of_its_count() -> None:
    assert read(read_reservations, RESERVATION, reservation()) == [RESERVED]
    labelled = read(read_reservations, RESERVATION, reservation(labels={PURPOSE: "training"}))
    assert labelled == [{**RESERVED, "purpose": "training", "declared": True, "labels": {PURPOSE: "training"}}]
    [blind] = read(read_reservations, RESERVATION, reservation(U))
    assert (blind["min"], blind["max"], blind["unknown"]) == (UNKNOWN, UNKNOWN, {
        "min_nodes": "res.specificReservation.count", "max_nodes": "res.specificReservation.count"})
    [typeless] = read(read_reservations, RESERVATION, reservation(machineType=U))
    assert (typeless["instance_type"], typeless["unknown"], typeless["purpose"]) == (
        UNKNOWN, {"instance_type": "res.specificReservation.instanceProperties.machineType"}, "inference")
    [guests] = read(read_reservations, RESERVATION, reservation(machineType="n1-standard-8", guestAccelerators=[
        {"acceleratorType": "nvidia-tesla-t4", "acceleratorCount": 4}]))
    assert (guests["instance_type"], guests["attached"]) == ("n1-standard-8", 4)
    assert read(read_reservations, RESERVATION, reservation(machineType="n2-standard-8")) == []
    junk = res(RESERVATION, "res", {"zone": "us-central1-a", "specificReservation": {"count": 3,
                                                                                     "instanceProperties": 5}})
    assert read(read_reservations, RESERVATION, junk) == []  # junk is not a machine: nothing reserved to judge
    unsure = res(RESERVATION, "res", {"zone": "us-central1-a", "specificReservation": {"count": 3,
                                                                                       "instanceProperties": U}})
    assert read(read_reservations, RESERVATION, unsure) == [{
        **RESERVED, "instance_type": UNKNOWN, "instance": None, "looks": False,
        "unknown": {"instance_type": "res.specificReservation.instanceProperties"}}]
    [whole] = read(read_reservations, RESERVATION, res(RESERVATION, "res", {"zone": "us-central1-a",
                                                                            "specificReservation": U}))
    assert (whole["instance_type"], whole["min"], whole["unknown"]) == (UNKNOWN, UNKNOWN, {
        "min_nodes": "res.specificReservation.count", "max_nodes": "res.specificReservation.count",
        "instance_type": "res.specificReservation.instanceProperties"})
    [unreadable] = read(read_reservations, RESERVATION, res(RESERVATION, "junk", "junk"))
    assert (unreadable["name"], unreadable["cloud"], unreadable["instance_type"]) == ("junk", "gcp", UNKNOWN)


# --- TPU VMs and queued resources ---------------------------------------------------------------------------------

TPU_BASE: dict[str, Any] = {
    **BASE, "name": "tpu", "urn": f"urn:pulumi:s::p::{TPU_VM}::tpu", "type": TPU_VM, "instance_type": "ct5p-hightpu-4t",
    "instance": "ct5p-hightpu-4t", "min": 4, "max": 4, "purpose": "inference", "declared": False, "labels": {},
    "fabric": (True, (), (), None), "intent": (), "compact": None, "compact_missing": "",
}


def tpu_vm(inputs: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    [found] = read(read_tpu_vms, TPU_VM, res(TPU_VM, "tpu", {"zone": "us-central1-a", **inputs}, **kwargs))
    return found


def hosts_unknown(device: str) -> dict[str, Any]:
    return {"instance_type": f"TPU {device}", "instance": None, "min": UNKNOWN, "max": UNKNOWN,
            "fabric": (UNKNOWN, (), (), UNKNOWN),
            "unknown": dict.fromkeys(("min_nodes", "max_nodes"),
                                     f"acceleratorType (hosts of TPU {device}: not in the catalog)")}


TPU_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("v5p-32", {"acceleratorType": "v5p-32"}, {}),
    ("v5p-8", {"acceleratorType": "v5p-8"}, {"min": 1, "max": 1}),
    ("v5litepod-8", {"acceleratorType": "v5litepod-8"},
     {"instance_type": "ct5lp-hightpu-4t", "instance": "ct5lp-hightpu-4t", "min": 2, "max": 2}),
    ("v5litepod-4", {"acceleratorType": "v5litepod-4"},
     {"instance_type": "ct5lp-hightpu-4t", "instance": "ct5lp-hightpu-4t", "min": 1, "max": 1}),
    ("v5litepod-1", {"acceleratorType": "v5litepod-1"},
     {"instance_type": "ct5lp-hightpu-1t", "instance": "ct5lp-hightpu-1t", "min": 1, "max": 1}),
    ("v6e-1", {"acceleratorType": "v6e-1"},
     {"instance_type": "ct6e-standard-1t", "instance": "ct6e-standard-1t", "min": 1, "max": 1}),
    ("v5litepod-2", {"acceleratorType": "v5litepod-2"}, hosts_unknown("v5litepod-2")),
    ("v5litepod-6", {"acceleratorType": "v5litepod-6"}, hosts_unknown("v5litepod-6")),
    ("v5p-7", {"acceleratorType": "v5p-7"}, hosts_unknown("v5p-7")),
    ("v4-8", {"acceleratorType": "v4-8"}, hosts_unknown("v4-8")),
    ("no-dash", {"acceleratorType": "tpu"}, hosts_unknown("tpu")),
    ("config-v5p", {"acceleratorConfig": {"type": "V5P", "topology": "2x2x4"}}, {"tpu_topology": "2x2x4"}),
    ("config-v5e", {"acceleratorConfig": {"type": "V5LITE_POD", "topology": "2x4"}},
     {"instance_type": "ct5lp-hightpu-4t", "instance": "ct5lp-hightpu-4t", "min": 2, "max": 2,
      "tpu_topology": "2x4"}),
    ("config-unknown-generation", {"acceleratorConfig": {"type": "V9", "topology": "2x2"}},
     {**hosts_unknown("v9 2x2"), "tpu_topology": "2x2"}),
    ("config-junk-topology", {"acceleratorConfig": {"type": "V5P", "topology": "axb"}},
     {**hosts_unknown("v5p axb"), "tpu_topology": "axb"}),
    ("config-topology-unknown", {"acceleratorConfig": {"type": "V5P", "topology": U}},
     {"instance_type": UNKNOWN, "instance": None, "min": UNKNOWN, "max": UNKNOWN, "tpu_topology": UNKNOWN,
      "fabric": (UNKNOWN, (), (), UNKNOWN), "purpose": "training",
      "unknown": {"instance_type": "acceleratorConfig", "min_nodes": "acceleratorConfig",
                  "max_nodes": "acceleratorConfig", "tpu_topology": "acceleratorConfig.topology"}}),
    ("config-generation-unknown", {"acceleratorConfig": {"type": U, "topology": "2x2x4"}},
     {"instance_type": UNKNOWN, "instance": None, "min": UNKNOWN, "max": UNKNOWN, "tpu_topology": "2x2x4",
      "fabric": (UNKNOWN, (), (), UNKNOWN), "purpose": "training",
      "unknown": {"instance_type": "acceleratorConfig", "min_nodes": "acceleratorConfig",
                  "max_nodes": "acceleratorConfig"}}),
    ("nothing-set", {},
     {"instance_type": UNKNOWN, "instance": None, "min": UNKNOWN, "max": UNKNOWN,
      "fabric": (UNKNOWN, (), (), UNKNOWN), "purpose": "training",
      "unknown": dict.fromkeys(("instance_type", "min_nodes", "max_nodes"),
                               "acceleratorType (not set: the provider's default, v2-8)")}),
    ("type-unknown", {"acceleratorType": U},
     {"instance_type": UNKNOWN, "instance": None, "min": UNKNOWN, "max": UNKNOWN, "fabric": (UNKNOWN, (), (), UNKNOWN),
      "purpose": "training", "unknown": dict.fromkeys(("instance_type", "min_nodes", "max_nodes"),
                                                      "acceleratorType")}),
    ("device-beats-config", {"acceleratorType": "v5p-32", "acceleratorConfig": {"type": "V5P", "topology": "2x2x1"}},
     {"tpu_topology": "2x2x1"}),
    ("labelled", {"acceleratorType": "v5p-32", "labels": {PURPOSE: "training"}},
     {"purpose": "training", "declared": True, "labels": {PURPOSE: "training"}}),
    ("spot", {"acceleratorType": "v5p-32", "schedulingConfig": {"spot": True}}, {"capacity": "spot"}),
    ("preemptible", {"acceleratorType": "v5p-32", "schedulingConfig": {"preemptible": "true"}}, {"capacity": "spot"}),
    ("reserved", {"acceleratorType": "v5p-32", "schedulingConfig": {"reserved": True}}, {"capacity": "reservation"}),
    ("not-reserved", {"acceleratorType": "v5p-32", "schedulingConfig": {"reserved": False, "spot": False}}, {}),
    ("external-ips", {"acceleratorType": "v5p-32", "networkConfig": {"enableExternalIps": True}}, {"public_ips": True}),
    ("no-external-ips", {"acceleratorType": "v5p-32", "networkConfig": {"enableExternalIps": False}}, {}),
    ("external-ips-unknown", {"acceleratorType": "v5p-32", "networkConfig": {"enableExternalIps": U}},
     {"public_ips": UNKNOWN, "unknown": {"public_ips": "networkConfig.enableExternalIps"}}),
    ("zone-unknown", {"acceleratorType": "v5p-32", "zone": U},
     {"zones": UNKNOWN, "region": None, "unknown": {"zones": "tpu.zone"}}),
]


@pytest.mark.parametrize(("inputs", "expected"), [c[1:] for c in TPU_CASES], ids=[c[0] for c in TPU_CASES])
def test_a_tpu_vm_every_fact(inputs: dict[str, Any], expected: dict[str, Any]) -> None:
    assert tpu_vm(inputs) == {**TPU_BASE, **expected}


def test_an_unreadable_tpu_vm_is_every_fact_unknown() -> None:
    [found] = read(read_tpu_vms, TPU_VM, res(TPU_VM, "junk", "junk"))
    assert (found["name"], found["cloud"], found["instance_type"], found["max"]) == ("junk", "gcp", UNKNOWN, UNKNOWN)


def test_a_queued_resource_is_a_slice_per_node_spec() -> None:
    specs = [{"nodeId": "slice-0", "node": {"acceleratorType": "v5p-32", "labels": {PURPOSE: "training"},
                                            "schedulingConfig": {"spot": True}}},
             {"node": {"acceleratorType": U}}, {"nodeId": "s2", "node": 5}]
    queued = res(QUEUED_RESOURCE, "qr", {"zone": "us-central1-a", "tpu": {"nodeSpecs": specs}})
    first, second, third = read(read_queued_resources, QUEUED_RESOURCE, queued)
    assert first == {**TPU_BASE, "name": "qr/slice-0", "urn": f"urn:pulumi:s::p::{QUEUED_RESOURCE}::qr",
                     "type": QUEUED_RESOURCE, "purpose": "training", "declared": True, "labels": {PURPOSE: "training"}}
    assert (second["name"], second["instance_type"], second["unknown"]) == ("qr/1", UNKNOWN, dict.fromkeys(
        ("instance_type", "min_nodes", "max_nodes"), "tpu.nodeSpecs[1].node.acceleratorType"))
    assert (third["name"], third["unknown"]["instance_type"]) == (
        "qr/s2", "tpu.nodeSpecs[2].node.acceleratorType (not set: the provider's default, v2-8)")
    assert read(read_queued_resources, QUEUED_RESOURCE, res(QUEUED_RESOURCE, "qr", {"zone": "us-central1-a"})) == []
    for blind in (res(QUEUED_RESOURCE, "qr", {"tpu": {"nodeSpecs": U}}), res(QUEUED_RESOURCE, "qr", "junk")):
        [found] = read(read_queued_resources, QUEUED_RESOURCE, blind)
        assert (found["name"], found["cloud"], found["instance_type"], found["max"]) == ("qr", "gcp", UNKNOWN, UNKNOWN)


def test_a_slice_takes_whole_hosts_of_the_largest_multi_host_type() -> None:
    """A generation with two multi-host types (none in the catalog today: each has one 4-chip VM type): the
    larger decides, and a slice of fewer chips than it is the single-host type of that many chips."""
    four = CATALOG.find("ct5lp-hightpu-4t")
    one = CATALOG.find("ct5lp-hightpu-1t")
    assert four is not None and one is not None
    eight = replace(four, instance_type="ct5lp-hightpu-8x", accelerator_count=8)
    assert _host_for([four, eight, one], 16) == (eight, 2)
    assert _host_for([eight, four, one], 16) == (eight, 2)
    assert _host_for([one], 1) == (one, 1)
    assert _host_for([one], 2) is None
    hosts = _host_for([four], 8)
    assert hosts is not None and type(hosts[1]) is int


def test_node_counts_of_a_slice_are_whole_numbers() -> None:
    for device in ("v5p-32", "v5litepod-8"):
        found = tpu_vm({"acceleratorType": device})
        assert type(found["min"]) is int and type(found["max"]) is int, device


def test_a_gpu_type_without_a_catalog_nic_count_needs_at_least_one() -> None:
    """A row without ``fabric_nics`` (none in the catalog today) needs at least one GPU NIC, and says the count is
    not known."""
    a3 = CATALOG.find("a3-highgpu-8g")
    assert a3 is not None
    unsure = replace(a3, fabric_nics=None)
    gap = "how many GPU NICs a3-highgpu-8g has (the catalog has no figure)"
    assert astuple(_fabric(unsure, (0, 0, []))) == (False, (short(0, has="at least 1"),), (gap,), 0.0)  # type: ignore
    assert astuple(_fabric(unsure, (2, 2, []))) == (UNKNOWN, (), (gap,), 800.0)


def test_a_vm_of_a_tpu_machine_type_talks_over_ici() -> None:
    found = vm_of({"machineType": "ct5lp-hightpu-4t"})
    assert (found["instance"], found["fabric"], found["intent"]) == ("ct5lp-hightpu-4t", (True, (), (), None), ())


class _IciCatalog:
    """The catalog with an ICI bandwidth on every TPU row (the catalog cites none today), to see it carried."""

    def __init__(self, gbps: float) -> None:
        self.rows = tuple(replace(r, fabric_gbps=gbps) if r.fabric == "ici" else r for r in CATALOG.for_cloud("gcp"))

    def for_cloud(self, cloud: str) -> tuple[Any, ...]:
        return self.rows if cloud == "gcp" else ()

    def find(self, name: str) -> Any:
        return next((r for r in self.rows if r.instance_type == name), None)


def test_a_slice_carries_the_catalogs_ici_bandwidth() -> None:
    graph = graph_of(res(TPU_VM, "tpu", {"zone": "us-central1-a", "acceleratorType": "v5p-32"}))
    [pool] = read_tpu_vms(graph, _IciCatalog(4800.0), graph.of_type(TPU_VM))  # type: ignore[arg-type]
    assert astuple(pool.fabric) == (True, (), (), 4800.0)
    graph = graph_of(res(INSTANCE, "vm", edited(VM_INPUTS, {"machineType": "ct5p-hightpu-4t"})))
    [pool] = read_instances(graph, _IciCatalog(4800.0), graph.of_type(INSTANCE))  # type: ignore[arg-type]
    assert astuple(pool.fabric) == (True, (), (), 4800.0)


def test_a_zonal_group_without_a_known_zone() -> None:
    tmpl = template()
    for zone, why in ((U, "mig.zone"), (GONE, "mig.zone (not set, nor the provider's zone)")):
        [found] = groups(tmpl, mig([tmpl], {"zone": zone}))
        assert (found["zones"], found["region"], found["unknown"]) == (UNKNOWN, None, {"zones": why})


def test_every_reservation_a_group_consumes_counts() -> None:
    first, second = reservation(3, "first"), reservation(2, "second")
    tmpl = res(INSTANCE_TEMPLATE, "tmpl", edited(VM_INPUTS, {"reservationAffinity": {
        "type": "SPECIFIC_RESERVATION", "values": [U, U]}}), prop_deps={"reservationAffinity": [first, second]})
    group = mig([tmpl])
    [found] = groups(first, second, tmpl, group, autoscaler(group, {"minReplicas": 0, "maxReplicas": 8}))
    assert (found["min"], found["max"]) == (5, 8)
    blind = reservation(U)
    tmpl = res(INSTANCE_TEMPLATE, "tmpl", edited(VM_INPUTS, {"reservationAffinity": {
        "type": "SPECIFIC_RESERVATION", "values": [U]}}), prop_deps={"reservationAffinity": [blind]})
    group = mig([tmpl])
    [found] = groups(blind, tmpl, group, autoscaler(group, {"minReplicas": 0, "maxReplicas": 8}))
    assert (found["min"], found["max"]) == (0, 8)


def test_a_reservation_runs_nothing_whatever_its_properties_say() -> None:
    """Reservation instance properties carry no network; given one, the reservation still runs nothing."""
    networked = reservation(networkInterfaces=[{"network": "host", "accessConfigs": [{}]},
                                               *interfaces("gpu-1", "gpu-2", "gpu-3", "gpu-4")])
    assert read(read_reservations, RESERVATION, networked) == [RESERVED]


class _StubCatalog(_IciCatalog):
    """The catalog plus rows it does not have today: a GPU type outside every accelerator family name, and a
    catalogued CPU type (no accelerators of its own)."""

    def __init__(self) -> None:
        super().__init__(0.0)
        a3 = CATALOG.find("a3-highgpu-8g")
        assert a3 is not None
        self.rows = (*CATALOG.for_cloud("gcp"), replace(a3, instance_type="z9-custom-8g"),
                     replace(a3, instance_type="n2-standard-8", accelerator_count=0, fabric="none", fabric_gbps=None,
                             fabric_nics=None))


def test_the_catalog_decides_whether_a_vm_is_an_accelerator_pool() -> None:
    def pools(**edits: Any) -> list[str]:
        graph = graph_of(res(INSTANCE, "vm", edited(VM_INPUTS, edits)))
        return [p.instance_type for p in read_instances(graph, _StubCatalog(), graph.of_type(INSTANCE))]  # type: ignore
    assert pools(machineType="z9-custom-8g") == ["z9-custom-8g"]  # no family name, catalogued with 8 GPUs
    assert pools(machineType="n2-standard-8") == []
    assert pools(machineType="n2-standard-8", guestAccelerators=[{"count": 1}]) == ["n2-standard-8"]


def test_each_reader_goes_on_past_an_unreadable_resource() -> None:
    tmpl = template()
    found = groups(res(INSTANCE_GROUP_MANAGER, "junk", "junk"), tmpl, mig([tmpl]))
    assert [p["name"] for p in found] == ["junk", "mig"]
    tpus = read(read_tpu_vms, TPU_VM, res(TPU_VM, "junk", "junk"),
                res(TPU_VM, "tpu", {"zone": "us-central1-a", "acceleratorType": "v5p-32"}))
    assert [p["name"] for p in tpus] == ["junk", "tpu"]
    spec = {"nodeId": "a", "node": {"acceleratorType": "v5p-8"}}
    queued = read(read_queued_resources, QUEUED_RESOURCE, res(QUEUED_RESOURCE, "junk", "junk"),
                  res(QUEUED_RESOURCE, "qr", {"tpu": {"nodeSpecs": [spec]}}))
    assert [(p["name"], p["unknown"]) for p in queued] == [
        ("junk", queued[0]["unknown"]), ("qr/a", {"zones": "qr.zone (not set, nor the provider's zone)"})]
    held = read(read_reservations, RESERVATION, res(RESERVATION, "junk", "junk"),
                reservation(machineType="n2-standard-8", name="cpu"), reservation(name="gpu"))
    assert [p["name"] for p in held] == ["junk", "gpu"]
    [unzoned] = read(read_reservations, RESERVATION, res(RESERVATION, "res", {"specificReservation": {
        "count": 3, "instanceProperties": {"machineType": "a3-highgpu-8g"}}}))
    assert unzoned["unknown"] == {"zones": "res.zone (not set, nor the provider's zone)"}


def test_two_instances_sharing_a_placement_policy_are_named_together() -> None:
    policy = placement("COLLOCATED", "pair")
    members = [res(INSTANCE, f"vm-{i}", edited(VM_INPUTS, {"resourcePolicies": [U]}),
                   prop_deps={"resourcePolicies": [policy]}) for i in range(2)]
    [pool] = vms(policy, *members)
    assert (pool["name"], pool["min"], pool["max"]) == ("2 instances sharing pair (vm-0 …)", 2, 2)


def test_a_consumed_reservation_does_not_hide_the_next_one() -> None:
    used, free = reservation(1, "used"), reservation(2, "free")
    vm = res(INSTANCE, "vm", edited(VM_INPUTS, {"reservationAffinity": {"type": "SPECIFIC_RESERVATION",
                                                                          "values": [U]}}),
             prop_deps={"reservationAffinity": [used]})
    assert [p["name"] for p in read(read_reservations, RESERVATION, used, free, vm)] == ["free"]
