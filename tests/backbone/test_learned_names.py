"""What a program says it loaded is the program's to write (it can put any module in ``sys.modules``): the host
learns only provider SDK module names, within bounds that keep the next fork's request one readable datagram."""

from __future__ import annotations

from backbone.program_server import learned_within


def test_only_provider_module_names_are_learned_first_seen_first() -> None:
    said = ["pulumi_aws", "pulumi_aws.ec2.launch_template", "pulumi_kubernetes.helm.v3.Release", "os", "pulumi",
            "pulumi_aws", 42, None, "pulumi_aws.ec2;import os", "../pulumi_x", "pulumi_aws..ec2"]
    assert learned_within(said) == ("pulumi_aws", "pulumi_aws.ec2.launch_template",
                                     "pulumi_kubernetes.helm.v3.Release")


def test_at_most_500_names() -> None:
    assert len(learned_within(f"pulumi_p{i}" for i in range(600))) == 500


def test_invented_long_names_stop_at_32_768_characters_in_all() -> None:
    long = [f"pulumi_{i}_" + "x" * 1000 for i in range(100)]  # 1,009–1,010 characters each
    kept = learned_within(long)
    assert 0 < len(kept) < 100
    assert sum(map(len, kept)) <= 32_768 < sum(map(len, long[: len(kept) + 1]))
    assert learned_within([*kept, long[len(kept)]]) == kept  # the next long name does not fit
