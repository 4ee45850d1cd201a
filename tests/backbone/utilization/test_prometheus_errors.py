"""The Prometheus client's refusals: an unreachable server (exit 3), refused credentials (exit 2), an answer that
is not the Prometheus API (exit 2), bad options (exit 2) — one line each, no traceback."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from backbone.cli import main
from backbone.utilization.prometheus import auth_header

STATE = Path(__file__).parent.parent / "fixtures" / "states" / "aws-p5-no-efa.json"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def answering() -> Iterator[Callable[[int, bytes], str]]:
    """A loopback HTTP server answering every request with one status and body; its URL."""
    servers = []

    def start(status: int, body: bytes) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_an_unreachable_server_is_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["audit", str(STATE), "--prometheus", f"http://127.0.0.1:{_closed_port()}"])
    err = capsys.readouterr().err
    assert code == 3 and "cannot reach Prometheus" in err and "Traceback" not in err


def test_refused_credentials_are_exit_2_naming_the_variables(answering: Callable[[int, bytes], str],
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    url = answering(401, b'{"status":"error","error":"unauthorized"}')
    monkeypatch.setenv("BACKBONE_PROMETHEUS_TOKEN", "not-the-right-token")
    code = main(["audit", str(STATE), "--prometheus", url])
    err = capsys.readouterr().err
    assert code == 2
    assert "refused the credentials from BACKBONE_PROMETHEUS_TOKEN (HTTP 401)" in err
    assert "not-the-right-token" not in err


def test_an_answer_that_is_not_the_prometheus_api_is_exit_2(answering: Callable[[int, bytes], str],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    url = answering(200, b"<html>Grafana</html>")
    assert main(["audit", str(STATE), "--prometheus", url]) == 2
    assert "does not answer as a Prometheus HTTP API" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "says"), [
    (["--prometheus", "ftp://example"], "is not an http(s) URL"),
    (["--prometheus", "http://user:pw@127.0.0.1:9"], "credentials in the URL are refused"),
    (["--prometheus", "http://127.0.0.1:9", "--window", "a week"], "--window: 'a week' is not a duration"),
    (["--prometheus", "http://127.0.0.1:9", "--window", "90d", "--step", "30s"], "at most 11,000"),
    (["--prometheus", "http://127.0.0.1:9", "--headroom", "-1"], "--headroom"),
    (["--write-stack", "x.yaml"], "--write-stack: needs --prometheus"),
    (["--prometheus", "http://127.0.0.1:9", "--write-stack", "no/such/Pulumi.x.yaml"], "no/such/Pulumi.x.yaml"),
])
def test_bad_options_are_exit_2_before_any_work(argv: list[str], says: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(STATE), *argv]) == 2
    assert says in capsys.readouterr().err


def test_credentials_come_from_the_environment() -> None:
    assert auth_header({"BACKBONE_PROMETHEUS_TOKEN": "t0k"}) == ("Bearer t0k", "BACKBONE_PROMETHEUS_TOKEN")
    header, _ = auth_header({"BACKBONE_PROMETHEUS_USER": "ops", "BACKBONE_PROMETHEUS_PASSWORD": "pw"})
    assert header == "Basic b3BzOnB3"  # base64("ops:pw"), RFC 7617
    assert auth_header({}) == (None, "")
