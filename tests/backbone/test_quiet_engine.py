"""The engine's client in a program's process: the SDK's debug messages (three per resource, each a blocking call
to Backbone) stay in the process when Backbone does not show them; everything else — warnings, errors, the host's
own notes — goes to Backbone as before."""

from __future__ import annotations

from typing import Any

from pulumi.runtime.proto import engine_pb2

from backbone.program_host import OUTPUT_FORM_NOTE, _engine


class _Stub:
    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    def Log(self, request: Any) -> str:
        self.sent.append((request.severity, request.message))
        return "sent"

    def GetRootResource(self, request: Any) -> str:
        return "root"


def _quiet(stub: _Stub) -> Any:
    engine = _engine({"engine": "127.0.0.1:1", "debug_logs": False})
    engine._stub = stub  # the channel to 127.0.0.1:1 is never used: the stub answers
    return engine


def test_debug_messages_stay_and_the_rest_goes() -> None:
    stub = _Stub()
    engine = _quiet(stub)
    for severity, message in [(engine_pb2.DEBUG, "Registering resource: t=aws:eks/nodeGroup:NodeGroup"),
                              (engine_pb2.INFO, "info"), (engine_pb2.WARNING, "careful"), (engine_pb2.ERROR, "bad"),
                              (engine_pb2.DEBUG, OUTPUT_FORM_NOTE + "aws:index/getRegion:getRegion")]:
        engine.Log(engine_pb2.LogRequest(severity=severity, message=message))
    assert stub.sent == [(engine_pb2.INFO, "info"), (engine_pb2.WARNING, "careful"), (engine_pb2.ERROR, "bad"),
                         (engine_pb2.DEBUG, OUTPUT_FORM_NOTE + "aws:index/getRegion:getRegion")]
    assert engine.GetRootResource(None) == "root"  # every other call is the engine's own


def test_with_debug_shown_the_address_is_used_as_it_is() -> None:
    assert _engine({"engine": "127.0.0.1:5", "debug_logs": True}) == "127.0.0.1:5"
    assert _engine({"engine": "127.0.0.1:5"}) == "127.0.0.1:5"  # a spec from before the flag: nothing held back
