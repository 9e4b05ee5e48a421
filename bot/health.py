"""The operations endpoint on ``METRICS_PORT``: ``/metrics``, ``/healthz`` and ``/readyz``.

* ``/metrics``: Prometheus text format (:mod:`bot.metrics`); gauges that are cheap to read at scrape
  time (backlog, invalid requests in the window, per-shard gateway latency) are read then.
* ``/healthz``: 200 while the process serves HTTP at all (a liveness probe).
* ``/readyz``: 200 when the gateway is ready, the database answers and the schedule engine runs
  (or is disabled by DISABLE_SCHEDULER); 503 with the failing checks otherwise.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.metrics import Metrics

log = logging.getLogger(__name__)

DATABASE_CHECK_TIMEOUT = 2.0


@dataclass(frozen=True)
class Probes:
    """What the endpoint asks the bot, as plain callables (so it needs no import of the bot)."""

    gateway_ready: Callable[[], bool]
    database_ok: Callable[[], Awaitable[bool]]
    engine_running: Callable[[], bool]
    latencies: Callable[[], list[tuple[int, float]]]
    backlog: Callable[[], Awaitable[int]]
    invalid_in_window: Callable[[], int]


class OperationsServer:
    """A small aiohttp server for Prometheus and an orchestrator's probes."""

    def __init__(self, metrics: Metrics, probes: Probes, *, host: str, port: int) -> None:
        self.metrics = metrics
        self.probes = probes
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    def build_app(self) -> web.Application:
        """Return the application with the three routes."""
        app = web.Application()
        app.router.add_get("/metrics", self._metrics)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        return app

    async def start(self) -> None:
        """Start listening on ``host:port`` (port 0 picks a free one, kept in ``port``)."""
        self._runner = web.AppRunner(self.build_app(), access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        log.info("Metrics and health checks on http://%s:%d/metrics, /healthz, /readyz", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _metrics(self, request: web.Request) -> web.Response:
        """Refresh the scrape-time gauges and return every metric."""
        probes = self.probes
        try:
            self.metrics.backlog.set(await asyncio.wait_for(probes.backlog(), DATABASE_CHECK_TIMEOUT))
        except Exception:
            log.warning("Could not count the schedule backlog for /metrics", exc_info=True)
        self.metrics.invalid_window.set(probes.invalid_in_window())
        for shard, latency in probes.latencies():
            if math.isfinite(latency):
                self.metrics.gateway_latency.labels(str(shard)).set(latency)
        body = generate_latest(self.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _healthz(self, request: web.Request) -> web.Response:
        """Answer 200: the process is alive."""
        return web.json_response({"status": "ok"})

    async def _readyz(self, request: web.Request) -> web.Response:
        """Answer 200 when the gateway is ready, the database answers and the engine runs."""
        try:
            database = await asyncio.wait_for(self.probes.database_ok(), DATABASE_CHECK_TIMEOUT)
        except Exception:
            database = False
        checks = {
            "gateway": self.probes.gateway_ready(),
            "database": database,
            "engine": self.probes.engine_running(),
        }
        ready = all(checks.values())
        return web.json_response({"ready": ready, **checks}, status=200 if ready else 503)
