"""The defensive readers of ``backbone.policies.inventory.values`` on small inputs: unknown stays unknown (never
absent), a value of the wrong shape is absent, a node count is a whole number of at least zero, a single id
stands for a one-item list (the AWS provider accepts ``subnetIds`` as a string for FSx)."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy.proxy import unknown_checking_proxy

from backbone.policies.inventory.facts import UNKNOWN, Unknown
from backbone.policies.inventory.values import as_bool, as_count, as_dict, as_list, as_number, as_str, dig, plain

# The Pulumi SDK's sentinel for a value unknown in preview (pulumi.runtime.rpc.UNKNOWN, the same string the
# engine sends over the wire)
UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


@pytest.mark.parametrize("reader", [as_bool, as_count, as_dict, as_list, as_number, as_str])
def test_every_reader_keeps_unknown_unknown(reader: Any) -> None:
    assert isinstance(reader(UNKNOWN), Unknown)


@pytest.mark.parametrize("reader", [as_bool, as_count, as_dict, as_list, as_number, as_str])
def test_every_reader_reads_absent_as_none(reader: Any) -> None:
    assert reader(None) is None


@pytest.mark.parametrize("value, count", [
    (0, 0), (16, 16), (16.0, 16), ("8", 8),  # numbers cross the Pulumi wire as floats, some inputs as strings
    (-3, None), (-1.0, None), ("-3", None),  # a negative count is no count
    (3.5, None), (-3.5, None), (True, None), ("x", None), (float("inf"), None), (float("nan"), None), ([1], None),
])
def test_as_count(value: Any, count: int | None) -> None:
    assert as_count(value) == count


def test_a_whole_negative_count_is_refused_as_negative_not_as_a_fraction() -> None:
    # -3 is a whole number: only the "at least zero" test refuses it
    assert as_count(-3) is None and as_count(-3.0) is None and as_count(3) == 3


@pytest.mark.parametrize("value, number", [(1, 1.0), (2.5, 2.5), ("125", 125.0), ("x", None), (False, None),
                                           ({}, None), (float("inf"), None), ("1e400", None)])
def test_as_number(value: Any, number: float | None) -> None:
    assert as_number(value) == number


@pytest.mark.parametrize("value, read", [(True, True), (False, False), ("true", True), ("False", False),
                                         ("yes", None), (1, None), (0, None)])
def test_as_bool(value: Any, read: bool | None) -> None:
    assert as_bool(value) is read


@pytest.mark.parametrize("value, read", [(["a", "b"], ["a", "b"]), ("subnet-1", ["subnet-1"]), ({}, None),
                                         (3, None)])
def test_as_list_takes_a_single_id_as_a_list_of_one(value: Any, read: list[str] | None) -> None:
    assert as_list(value) == read


def test_as_str_and_as_dict_refuse_other_shapes() -> None:
    assert (as_str(3), as_str("x"), as_dict([]), as_dict({"a": 1})) == (None, "x", None, {"a": 1})


def test_dig_tells_unknown_from_absent() -> None:
    data = {"a": {"b": UNKNOWN, "c": 1}, "u": UNKNOWN, "s": "x"}
    assert isinstance(dig(data, "a", "b"), Unknown)
    assert isinstance(dig(data, "u", "anything"), Unknown)  # below an unknown, everything is unknown
    assert dig(data, "a", "missing") is None and dig(data, "s", "x") is None and dig(data, "a", "c") == 1


def test_plain_reads_the_wire_sentinel_as_unknown_through_the_proxy() -> None:
    props = unknown_checking_proxy({"instanceType": UNKNOWN_WIRE, "sizes": [1, UNKNOWN_WIRE], "n": 2})
    read = plain(props)
    assert isinstance(read["instanceType"], Unknown)
    assert read["sizes"][0] == 1 and isinstance(read["sizes"][1], Unknown) and read["n"] == 2
