"""One stack's program run against a resource monitor that Backbone serves over gRPC on 127.0.0.1: the program's
own ``pulumi`` SDK talks to it exactly as it talks to the Pulumi engine under ``pulumi preview``. The program's
process is ``backbone.program_server``'s (forked by the program host, ``backbone.program_host``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Callable
from concurrent import futures
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, resource_pb2, resource_pb2_grpc

from backbone.children import ended
from backbone.core.errors import CouldNotFinish
from backbone.program_host import OUTPUT_FORM_NOTE
from backbone.program_server import ProgramRun, bad_python, server_for, show

__all__ = ["run_program"]

_MONITOR_CALLS = ("RegisterResource", "RegisterResourceOutputs", "ReadResource", "Invoke", "ExistsResource",
                  "RegisterStackTransform", "RegisterStackInvokeTransform", "RegisterResourceHook",
                  "RegisterErrorHook", "GetDeploymentInfo", "RegisterPackage", "SignalAndWaitForShutdown")
_LOG_LEVELS = {engine_pb2.DEBUG: logging.DEBUG, engine_pb2.INFO: logging.INFO, engine_pb2.WARNING: logging.WARNING,
               engine_pb2.ERROR: logging.ERROR}
def _servicer(monitor: Any) -> resource_pb2_grpc.ResourceMonitorServicer:
    """The resource monitor the program's SDK talks to: each call answered by ``monitor`` (the SDK's own mock
    monitor logic, with no invented outputs); an error there goes back to the program as the call's error."""

    def answering(name: str) -> Callable[[Any, grpc.ServicerContext], Any]:
        def call(request: Any, context: grpc.ServicerContext) -> Any:
            try:
                return getattr(monitor, name)(request)
            except Exception as exc:  # the program's call fails, as against the real engine
                context.abort(grpc.StatusCode.UNKNOWN, f"{type(exc).__name__}: {exc}")
        return call

    def supports_feature(request: Any, context: grpc.ServicerContext) -> Any:
        return resource_pb2.SupportsFeatureResponse(hasSupport=monitor.SupportsFeature(request).hasSupport)

    methods = {name: answering(name) for name in _MONITOR_CALLS if hasattr(monitor, name)}
    servicer = type("Monitor", (resource_pb2_grpc.ResourceMonitorServicer,),
                    {name: staticmethod(fn) for name, fn in {**methods, "SupportsFeature": supports_feature}.items()})
    return servicer()  # type: ignore[no-any-return]


class _Engine(engine_pb2_grpc.EngineServicer):
    """The engine end: what the program logs (``pulumi.log.warn``) goes to the ``backbone.program`` logger; the
    host's note that a token is called in the output form goes to the monitor."""

    def __init__(self, monitor: Any) -> None:
        self.monitor = monitor
        self.root = ""

    def Log(self, request: Any, context: Any) -> empty_pb2.Empty:
        if request.message.startswith(OUTPUT_FORM_NOTE):
            self.monitor.note_output_form(request.message[len(OUTPUT_FORM_NOTE):])
            return empty_pb2.Empty()
        logging.getLogger("backbone.program").log(_LOG_LEVELS.get(request.severity, logging.INFO), request.message)
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.GetRootResourceResponse(urn=self.root)

    def SetRootResource(self, request: Any, context: Any) -> Any:
        self.root = request.urn
        return engine_pb2.SetRootResourceResponse()

    def RequirePulumiVersion(self, request: Any, context: Any) -> Any:
        return engine_pb2.RequirePulumiVersionResponse()


def _serve(monitor: Any) -> tuple[grpc.Server, futures.ThreadPoolExecutor, int]:
    threads = futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="backbone-monitor")
    server = grpc.server(threads, options=[("grpc.max_receive_message_length", 400 * 1024 * 1024),
                                  ("grpc.max_send_message_length", 400 * 1024 * 1024)])
    resource_pb2_grpc.add_ResourceMonitorServicer_to_server(_servicer(monitor), server)
    engine_pb2_grpc.add_EngineServicer_to_server(_Engine(monitor), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, threads, port


def run_program(run: ProgramRun, monitor: Any, seconds: float) -> dict[str, Any]:
    """Runs the program against ``monitor`` (answering every call it makes) within ``seconds`` (0: no deadline);
    the host's result: ``failure`` (or None) and ``invoke_sites``. A missing ``pulumi`` in the interpreter is a
    ``ConfigError``, the deadline ``CouldNotFinish``."""
    server = server_for(run)
    http, threads, port = _serve(monitor)
    spec = {"program": str(run.program), "cwd": str(run.cwd), "root": str(run.root) if run.root else None,
            "project": run.project, "stack": run.stack, "config": run.config, "secret_keys": list(run.secret_keys),
            "monitor": f"127.0.0.1:{port}", "engine": f"127.0.0.1:{port}", "environ": dict(os.environ),
            "debug_logs": logging.getLogger("backbone.program").isEnabledFor(logging.DEBUG)}
    deadline = time.monotonic() + seconds if seconds > 0 else None
    forked = server.fork(run.preload + server.learned)
    status: int | None = None
    try:
        if forked.started(deadline):  # forked: it reads its spec at once (before that, a large one would block)
            with contextlib.suppress(OSError):
                forked.spec.write(json.dumps(spec).encode())
                forked.spec.close()
            status = forked.wait(deadline)
    finally:
        forked.finish(server)
        http.stop(0)
        threads.shutdown(wait=False)  # no thread of a finished preview is left waiting
        show(run.stack, forked.output)
    if status is None:
        raise CouldNotFinish(f"stack {run.stack}: the program ran longer than {seconds:g} s "
                             "(BACKBONE_PREVIEW_SECONDS); does it wait for something, or loop?")
    result = _result(run, bytes(forked.result.data), status)
    if run.root is not None:  # an outside project; Backbone's own program has its clouds' LOADS (stack-specific
        server.learn(result.get("provider_packages", ()))  # packages, a bucket's, are left to their stacks)
    return result


def _result(run: ProgramRun, data: bytes, status: int) -> dict[str, Any]:
    try:
        answer: dict[str, Any] = json.loads(data)
    except ValueError:  # no result: the program ended its process itself (os._exit, a signal, a crash)
        return {"failure": {"kind": "program", "site": None,
                            "message": f"the program's process {ended(status)} before the program finished"},
                "invoke_sites": {}}
    failure = answer.get("failure") or {}
    if failure.get("kind") == "no-pulumi":
        raise bad_python(run, f"this environment lacks the pulumi SDK ({failure.get('message')}); install the "
                               f"project's requirements into it ({run.python} -m pip install -r requirements.txt), "
                               "or name another interpreter with --python")
    return answer
