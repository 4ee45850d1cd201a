"""A VM-based training cluster on Azure — a scale set of ND H100 v5 with an autoscale setting, no AKS (issue 18).

Follows Azure/azurehpc's ND-series scale sets (``"vm_type": "Standard_ND96isr_H100_v5"`` in a ``vmss`` resource,
``instances``) as azure-native writes them: ``compute.VirtualMachineScaleSet(sku={name, capacity})`` and an Azure
Monitor autoscale setting on it (``monitor.AutoscaleSetting(target_resource_uri=vmss.id, enabled=True,
profiles=[{capacity: {minimum, maximum, default}}])``). Azure: InfiniBand "connections are automatically configured
between VMs occupying the same VM scale set". No parallel file system and no purpose tag.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    maximum: int = 16

    def __call__(self) -> None:
        from pulumi_azure_native import compute, monitor

        vmss = compute.VirtualMachineScaleSet(
            "ndv5-vmss", resource_group_name="hpc-rg", location="eastus", zones=["1"],
            sku={"name": "Standard_ND96isr_H100_v5", "tier": "Standard", "capacity": 2},
            single_placement_group=True, orchestration_mode="Uniform",
            virtual_machine_profile={"priority": "Regular", "network_profile": {
                "network_interface_configurations": [{"name": "nic", "primary": True, "ip_configurations": [
                    {"name": "ip", "subnet": {"id": "/subscriptions/0000/resourceGroups/hpc-rg/providers/"
                                                    "Microsoft.Network/virtualNetworks/hpc/subnets/compute"}}]}]}})
        monitor.AutoscaleSetting(
            "ndv5-autoscale", resource_group_name="hpc-rg", location="eastus", target_resource_uri=vmss.id,
            enabled=True, profiles=[{"name": "jobs", "rules": [], "capacity": {
                "minimum": "2", "maximum": str(self.maximum), "default": "2"}}])


SOURCE = ("Azure/azurehpc ND-series vmss examples; azure-native compute.VirtualMachineScaleSet + "
          "monitor.AutoscaleSetting")

BASE = Case(
    name="azure-ndv5-scale-set-16",
    program=Program(),
    source=SOURCE,
    expected={
        "max-accelerators": expect(PASS, "16 × 8 H100 = 128"),
        "monthly-budget": expect(PASS, "16 × $98.32 × 730 h ≈ $1.15M"),
        "interconnect": expect(PASS, "InfiniBand comes with the size inside one scale set"),
        "single-zone": expect(PASS, "zone 1"),
        "storage-throughput": expect(BLOCK, "an InfiniBand (training) scale set of 128 GPUs and no parallel file "
                                            "system", on="ndv5-vmss"),
        "idle-accelerators": expect(ADVISE, "the autoscale minimum of 2 VMs keeps 16 GPUs running, over 8"),
    },
)

CASES = [
    BASE,
    BASE.control("azure-ndv5-scale-set-80", "autoscale maximum 80 → 640 GPUs: max-accelerators and the budget block",
                 Program(maximum=80), {
                     "max-accelerators": expect(BLOCK, "80 × 8 = 640 over 512", on="ndv5-vmss", says=("640",)),
                     "monthly-budget": expect(BLOCK, "80 × $98.32 × 730 h ≈ $5.7M over $2M")}),
]
