"""The coverage statement (issue 18, item 2): a resource that can carry accelerators and that no reader reads is
named, with its count, in the inventory, in the pack's stack-level output and in every report; a stack holding one
never shows zero accelerators or zero cost. Programs are hand-written (pulumi_aws, pulumi_kubernetes), never
``backbone.components``."""

from __future__ import annotations

import json
from collections.abc import Callable

import pulumi
from policy_verdict import Judge

from backbone.engine import preview_function
from backbone.policies.inventory import Inventory, build
from backbone.report import PlanReport, StackReport, render
from backbone.resources import policy_resources

POLICY = "accelerator-coverage"
NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"


def notebooks(instance_type: str, count: int = 2) -> Callable[[], None]:
    """SageMaker notebook instances: a type the pack has no reader for (``ml.p3.2xlarge`` is a V100 GPU)."""
    def program() -> None:
        import pulumi_aws as aws

        for i in range(count):
            aws.sagemaker.NotebookInstance(f"nb-{i}", role_arn="arn:aws:iam::123456789012:role/sm",
                                           instance_type=instance_type)
    return program


def inventory(program: Callable[[], None]) -> Inventory:
    return build(policy_resources(preview_function(program, "coverage", {"aws:region": "us-east-1"})))


def test_an_unread_type_naming_an_accelerator_type_is_named_with_its_count() -> None:
    found = inventory(notebooks("ml.p3.2xlarge"))
    assert not found.coverage.complete
    [unread] = found.coverage.unread
    assert (unread.token, unread.count, unread.names) == (NOTEBOOK, 2, ("nb-0", "nb-1"))
    assert unread.why == "instanceType: ml.p3.2xlarge"
    # the totals are not zero: they are unknown, and say why
    for total in (found.accelerators_max, found.monthly_usd_max, found.accelerators_min):
        assert total.value == 0 and not total.complete
        assert total.unknown == (f"2 × {NOTEBOOK} not read",)


def test_the_same_type_on_a_cpu_instance_is_not_counted() -> None:
    found = inventory(notebooks("ml.t3.medium"))
    assert found.coverage.complete and found.accelerators_max.complete


def test_workloads_selecting_accelerator_nodes_are_not_provisioners() -> None:
    def program() -> None:
        import pulumi_kubernetes as k8s

        k8s.apps.v1.Deployment("llm", spec={
            "selector": {"matchLabels": {"app": "llm"}},
            "template": {"metadata": {"labels": {"app": "llm"}}, "spec": {
                "nodeSelector": {"node.kubernetes.io/instance-type": "p5.48xlarge"},
                "containers": [{"name": "llm", "image": "vllm/vllm-openai:v0.6.0"}]}}})
    assert inventory(program).coverage.complete


def test_a_component_is_covered_by_its_provider_resources() -> None:
    class Pool(pulumi.ComponentResource):
        def __init__(self, name: str) -> None:
            super().__init__("acme:index:GpuPool", name, {"instanceType": "p5.48xlarge"})
            import pulumi_aws as aws

            aws.sagemaker.NotebookInstance(f"{name}-nb", role_arn="arn:aws:iam::123456789012:role/sm",
                                           instance_type="ml.t3.medium", opts=pulumi.ResourceOptions(parent=self))
            self.register_outputs({})
    assert inventory(lambda: Pool("gpu") and None).coverage.complete


def test_a_launch_template_no_read_pool_uses_is_not_read() -> None:
    def program(linked: bool) -> Callable[[], None]:
        def run() -> None:
            import pulumi_aws as aws

            lt = aws.ec2.LaunchTemplate("p5", instance_type="p5.48xlarge")
            if linked:
                aws.eks.NodeGroup("ng", cluster_name="c", node_role_arn="arn:aws:iam::123456789012:role/n",
                                  subnet_ids=["subnet-0a1b2c3d"],
                                  scaling_config={"min_size": 0, "max_size": 2, "desired_size": 0},
                                  launch_template={"id": lt.id, "version": "$Latest"})
        return run
    alone = inventory(program(False)).coverage
    assert [(u.token, u.count) for u in alone.unread] == [("aws:ec2/launchTemplate:LaunchTemplate", 1)]
    used = inventory(program(True)).coverage
    assert used.complete and used.pools == 1


def test_the_pack_says_what_it_did_not_read_and_strict_blocks_it(judge: Judge) -> None:
    verdict = judge(notebooks("ml.p3.2xlarge"), stack_config={"aws:region": "us-east-1"})
    [said] = verdict.cannot_verify(POLICY)
    assert f"2 × {NOTEBOOK}" in said.detail and "judged 0 accelerator pools" in said.detail
    strict = judge(notebooks("ml.p3.2xlarge"), {POLICY: {"strict": True}}, {"aws:region": "us-east-1"})
    [blocked] = strict.violations(POLICY)
    assert blocked.level == "mandatory"
    control = judge(notebooks("ml.t3.medium"), stack_config={"aws:region": "us-east-1"})
    assert control.cannot_verify(POLICY) == [] and control.violations(POLICY) == []


def _report(program: Callable[[], None]) -> PlanReport:
    preview = preview_function(program, "coverage", {"aws:region": "us-east-1"})
    stack = StackReport.build(preview, cloud="aws", file="Pulumi.coverage.yaml",
                              inventory=build(policy_resources(preview)), findings=[])
    return PlanReport(stacks=(stack,))


def test_every_report_states_the_coverage_and_never_zero() -> None:
    report = _report(notebooks("ml.p3.2xlarge"))
    text = " ".join(render(report, "text").split())  # the text report wraps its lines
    assert "accelerators" in text and "unknown" in text and "$0" not in text
    assert "not read (2 resources that can carry accelerators" in text and NOTEBOOK in text
    doc = json.loads(render(report, "json"))
    coverage = doc["stacks"][0]["read_coverage"]
    assert coverage == {"pools_judged": 0, "file_systems_judged": 0, "complete": False,
                        "not_read": [{"type": NOTEBOOK, "count": 2, "resources": ["nb-0", "nb-1"],
                                      "why": "instanceType: ml.p3.2xlarge"}]}
    assert doc["stacks"][0]["unknown_parts"]["accelerators_max"] == [f"2 × {NOTEBOOK} not read"]
    assert doc["nothing_judged"] is True  # no pool was read: the pass judged nothing
    markdown = render(report, "markdown")
    assert "⚠️ 0 accelerator pools judged; not read" in markdown and "$0" not in markdown
    sarif = json.loads(render(report, "sarif"))
    [stack] = sarif["runs"][0]["properties"]["readCoverage"]
    assert (stack["complete"], stack["notRead"][0]["count"]) == (False, 2)


def test_a_complete_stack_says_so() -> None:
    report = _report(notebooks("ml.t3.medium"))
    assert "every resource that can carry accelerators was read" in " ".join(render(report, "text").split())
    assert json.loads(render(report, "json"))["nothing_judged"] is False


def test_accelerator_machine_types_by_name_on_every_cloud() -> None:
    from backbone.policies.inventory.families import ACCELERATOR_MACHINE_TYPE

    named = ["p5.48xlarge", "ml.p5.48xlarge", "p6-b200.48xlarge", "g4dn.xlarge", "trn2.48xlarge", "inf2.xlarge",
             "a3-highgpu-8g", "a4x-highgpu-4g", "g2-standard-48", "ct5lp-hightpu-4t", "v5p-2048", "v5litepod-16",
             "tpu7x-standard-4t", "tpu7x-128", "a3-edgegpu-8g", "Standard_ND128isr_NDR_GB200_v6",
             "nvidia-h100-80gb", "nvidia-tesla-a100", "nvidia-l4", "Standard_ND96isr_H100_v5"]
    not_named = ["nvidia-device-plugin", "nvidia-gpu-operator", "m5.xlarge", "n2-standard-8", "Standard_D4s_v5",
                 "v1-2", "p5", "g5", "tpu7x"]
    assert [n for n in named if not ACCELERATOR_MACHINE_TYPE.match(n)] == []
    assert [n for n in not_named if ACCELERATOR_MACHINE_TYPE.match(n)] == []


def test_a_name_that_merely_mentions_nvidia_is_not_an_accelerator() -> None:
    def program() -> None:
        import pulumi_aws as aws

        aws.ecr.Repository("plugin", name="nvidia-device-plugin")
    assert inventory(program).coverage.complete


def test_a_launch_template_a_batch_environment_uses_is_read() -> None:
    def program() -> None:
        import pulumi_aws as aws

        template = aws.ec2.LaunchTemplate("p5", instance_type="p5.48xlarge")
        aws.batch.ComputeEnvironment("ce", type="MANAGED", service_role="arn:aws:iam::123456789012:role/b",
                                     compute_resources={"type": "EC2", "max_vcpus": 1920, "subnets": ["subnet-1"],
                                                        "security_group_ids": ["sg-1"],
                                                        "launch_template": {"launch_template_id": template.id}})
    coverage = inventory(program).coverage
    assert coverage.complete and coverage.pools == 1
