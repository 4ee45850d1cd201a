"""A real Prometheus for the tests: Debian's ``prometheus`` package (``prometheus`` and ``promtool``), started on
127.0.0.1 at a free port with a temporary data directory into which ``promtool tsdb create-blocks-from
openmetrics`` backfilled the scenarios; stopped (by its process id) when the tests are done.

Without the binaries the tests skip, with the reason; with ``CI=true`` that is a failure instead (CI installs
the package: ``apt-get install -y prometheus``)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

__all__ = ["binaries", "running_prometheus"]


def binaries() -> tuple[str, str]:
    found = shutil.which("prometheus"), shutil.which("promtool")
    if all(found):
        return found[0] or "", found[1] or ""
    why = "Prometheus is not installed (Debian: apt-get install -y prometheus gives prometheus and promtool)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}: CI must install it", pytrace=False)
    pytest.skip(why)
    raise AssertionError("unreachable")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def backfill(promtool: str, openmetrics: Path, data: Path) -> None:
    done = subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=24h",
                           str(openmetrics), str(data)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


@contextmanager
def running_prometheus(prometheus: str, data: Path, extra_config: str = "",
                       extra_args: tuple[str, ...] = ()) -> Iterator[str]:
    """The base URL of a Prometheus serving ``data`` until the block ends."""
    config = data.parent / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 1h\n" + extra_config)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (data.parent / "prometheus.log").open("w")
    process = subprocess.Popen([prometheus, f"--config.file={config}", f"--storage.tsdb.path={data}",
                                f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=60d",
                                "--query.lookback-delta=5m", *extra_args], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/-/ready", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log_text = (data.parent / "prometheus.log").read_text()
                raise AssertionError(f"prometheus did not start: {log_text[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
