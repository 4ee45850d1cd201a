"""A small client of the Prometheus HTTP API (``/api/v1/query`` and ``/api/v1/query_range``), the API that
Prometheus, Thanos, Mimir and VictoriaMetrics all answer. Standard library only (``urllib``).

Bounded: every request has a deadline (the server's own ``timeout`` parameter and the socket's), a response is
read up to ``MAX_RESPONSE_BYTES``, and a result of more series than ``max_series`` is refused — the queries of
``backbone.utilization.queries`` aggregate by pool or file system, so a large answer means a query that did
not aggregate, never data to page through.

Credentials come from the environment, never from the command line (where ``ps`` would show them):
``BACKBONE_PROMETHEUS_TOKEN`` (an ``Authorization: Bearer`` header) or ``BACKBONE_PROMETHEUS_USER`` with
``BACKBONE_PROMETHEUS_PASSWORD`` (HTTP basic authentication).
"""

from __future__ import annotations

import base64
import json
import os
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from backbone.core.errors import BackboneError, ConfigError, CouldNotFinish, Problem

__all__ = ["MAX_POINTS", "AuthRefused", "Prometheus", "Series", "auth_header"]

MAX_RESPONSE_BYTES = 64 * 1024 * 1024
MAX_POINTS = 11_000
"""Prometheus refuses a range query of more than 11,000 points per series (``exceeded maximum resolution``)."""
TOKEN_ENV = "BACKBONE_PROMETHEUS_TOKEN"
USER_ENV = "BACKBONE_PROMETHEUS_USER"
PASSWORD_ENV = "BACKBONE_PROMETHEUS_PASSWORD"


class AuthRefused(BackboneError):
    """The server refused the credentials (HTTP 401 or 403): exit 2, the input to fix is the environment."""


@dataclass(frozen=True)
class Series:
    """One series of a query's answer: its labels and its (unix time, value) points (one for an instant query)."""

    labels: dict[str, str]
    points: tuple[tuple[float, float], ...]

    @property
    def value(self) -> float:
        """The value of an instant query's sample."""
        return self.points[-1][1]


def auth_header(environ: dict[str, str] | os._Environ[str] = os.environ) -> tuple[str | None, str]:
    """(the ``Authorization`` header or None, which variables gave it) from the environment."""
    token = environ.get(TOKEN_ENV, "")
    user, password = environ.get(USER_ENV, ""), environ.get(PASSWORD_ENV, "")
    if token and (user or password):
        raise ConfigError([Problem(TOKEN_ENV, f"both {TOKEN_ENV} and {USER_ENV}/{PASSWORD_ENV} are set: set one "
                                              f"way to authenticate (a bearer token, or basic authentication)")])
    if token:
        return f"Bearer {token}", TOKEN_ENV
    if user or password:
        if not (user and password):
            raise ConfigError([Problem(USER_ENV, f"basic authentication needs both {USER_ENV} and {PASSWORD_ENV}")])
        pair = base64.b64encode(f"{user}:{password}".encode()).decode()
        return f"Basic {pair}", f"{USER_ENV}/{PASSWORD_ENV}"
    return None, ""


def _base_url(url: str) -> str:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError([Problem("--prometheus", f"{url!r} is not an http(s) URL: give the server's base URL, "
                                                   f"e.g. http://prometheus.monitoring:9090 (Thanos, Mimir and "
                                                   f"VictoriaMetrics: the URL whose /api/v1/query answers)")])
    if parsed.username or parsed.password:
        raise ConfigError([Problem("--prometheus", f"credentials in the URL are refused (they would show in `ps` "
                                                   f"and in logs): set {USER_ENV} and {PASSWORD_ENV} instead")])
    return url.rstrip("/")


class Prometheus:
    """One server: ``query`` (instant) and ``query_range``, each a POST of its PromQL."""

    def __init__(self, url: str, timeout_s: float = 120.0, max_series: int = 10_000,
                 environ: dict[str, str] | os._Environ[str] = os.environ) -> None:
        self.url = _base_url(url)
        self.timeout_s = timeout_s
        self.max_series = max_series
        self._auth, self._auth_source = auth_header(environ)
        self.queries = 0
        """Requests sent (for the report and the benchmark)."""
        self._count = threading.Lock()

    def query(self, expr: str, at: float) -> list[Series]:
        return self._series(self._post("query", {"query": expr, "time": f"{at:.3f}"}, expr), "vector", expr)

    def query_range(self, expr: str, start: float, end: float, step_s: float) -> list[Series]:
        params = {"query": expr, "start": f"{start:.3f}", "end": f"{end:.3f}", "step": f"{step_s:g}"}
        return self._series(self._post("query_range", params, expr), "matrix", expr)

    def _series(self, data: dict[str, Any], kind: str, expr: str) -> list[Series]:
        if data.get("resultType") != kind or not isinstance(data.get("result"), list):
            raise CouldNotFinish(f"{self.url}: expected a {kind} for {_short(expr)}, got {data.get('resultType')!r}")
        result = data["result"]
        if len(result) > self.max_series:
            raise CouldNotFinish(f"{self.url}: {_short(expr)} returned {len(result):,} series, more than "
                                 f"--max-series {self.max_series:,}: the query does not aggregate as expected "
                                 f"(duplicate pool labels?), or raise --max-series")
        out = []
        for item in result:
            raw = item.get("values") if kind == "matrix" else [item.get("value")]
            points = tuple((float(t), float(v)) for t, v in raw or [])
            out.append(Series(labels=dict(item.get("metric") or {}), points=points))
        return out

    def _post(self, endpoint: str, params: dict[str, str], expr: str) -> dict[str, Any]:
        params = {**params, "timeout": f"{self.timeout_s:g}s"}
        request = urllib.request.Request(f"{self.url}/api/v1/{endpoint}",
                                         data=urllib.parse.urlencode(params).encode(), method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                                  "Accept": "application/json"})
        if self._auth:
            request.add_header("Authorization", self._auth)
        with self._count:
            self.queries += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s + 5) as response:
                body = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            body = exc.read(MAX_RESPONSE_BYTES + 1)
            self._refused(exc.code, body, expr)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise CouldNotFinish(f"cannot reach Prometheus at {self.url}: {reason} (is the server up and the URL "
                                 f"its base URL, e.g. http://prometheus:9090?)") from None
        return self._data(body, expr)

    def _refused(self, code: int, body: bytes, expr: str) -> None:
        if code in (401, 403):
            how = f"the credentials from {self._auth_source}" if self._auth else "no credentials"
            raise AuthRefused(f"Prometheus at {self.url} refused {how} (HTTP {code}): set "
                              f"{TOKEN_ENV}, or {USER_ENV} and {PASSWORD_ENV}, to credentials that may read it")
        error = _error_of(body)
        if code == 503 or "timeout" in error.lower() or "timed out" in error.lower():
            raise CouldNotFinish(f"Prometheus at {self.url} gave up on {_short(expr)} (HTTP {code}: {error}): "
                                 f"raise --step, shorten --window, or raise --query-timeout")
        raise CouldNotFinish(f"Prometheus at {self.url} refused {_short(expr)} (HTTP {code}: {error or 'no detail'})")

    def _data(self, body: bytes, expr: str) -> dict[str, Any]:
        if len(body) > MAX_RESPONSE_BYTES:
            raise CouldNotFinish(f"{self.url}: the answer to {_short(expr)} is larger than "
                                 f"{MAX_RESPONSE_BYTES // 2**20} MiB: the query does not aggregate as expected")
        try:
            doc = json.loads(body)
        except ValueError:
            raise BackboneError(f"{self.url} does not answer as a Prometheus HTTP API (/api/v1/query gave no JSON): "
                                f"give the server's base URL") from None
        if not isinstance(doc, dict) or doc.get("status") != "success" or not isinstance(doc.get("data"), dict):
            raise CouldNotFinish(f"Prometheus at {self.url} failed {_short(expr)}: "
                                 f"{doc.get('error') if isinstance(doc, dict) else 'not a Prometheus answer'}")
        return doc["data"]


def _error_of(body: bytes) -> str:
    try:
        doc = json.loads(body)
    except ValueError:
        return body[:200].decode(errors="replace").strip()
    return str(doc.get("error", ""))[:300] if isinstance(doc, dict) else ""


def _short(expr: str) -> str:
    flat = " ".join(expr.split())
    return f"`{flat[:120]}{'…' if len(flat) > 120 else ''}`"
