import json
import logging
import time

import aiohttp

from bot.health import OperationsServer, Probes
from bot.log import JsonFormatter
from bot.metrics import DISCORD_EPOCH_MS, Metrics, interaction_created_at


def probes(*, ready: bool = True, database: bool = True) -> Probes:
    async def database_ok() -> bool:
        return database

    async def backlog() -> int:
        return 7

    return Probes(
        gateway_ready=lambda: ready,
        database_ok=database_ok,
        engine_running=lambda: True,
        latencies=lambda: [(0, 0.042), (1, float("inf"))],
        backlog=backlog,
        invalid_in_window=lambda: 3,
    )


async def get(server: OperationsServer, path: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{server.port}{path}") as response,
    ):
        return response.status, await response.text()


async def test_metrics_health_and_readiness_are_served() -> None:
    metrics = Metrics()
    metrics.deliveries.labels("daily_prompt", "sent").inc(2)
    metrics.observe_response("POST", "http://x/api/v10/channels/1/messages", 429, 0.01, "global")
    server = OperationsServer(metrics, probes(), host="127.0.0.1", port=0)
    await server.start()
    try:
        status, body = await get(server, "/metrics")
        assert status == 200
        assert 'hearth_deliveries_total{kind="daily_prompt",outcome="sent"} 2.0' in body
        assert 'hearth_http_429_total{scope="global"} 1.0' in body
        assert 'hearth_invalid_requests_total{status="429"} 1.0' in body
        assert "hearth_schedule_backlog 7.0" in body
        assert "hearth_invalid_requests_last_10m 3.0" in body
        assert 'hearth_gateway_latency_seconds{shard="0"} 0.042' in body
        assert 'shard="1"' not in body, "a shard without a heartbeat yet has no latency"
        assert (await get(server, "/healthz"))[0] == 200
        status, body = await get(server, "/readyz")
        assert status == 200
        assert json.loads(body) == {"ready": True, "gateway": True, "database": True, "engine": True}
    finally:
        await server.stop()


async def test_not_ready_until_the_gateway_and_the_database_are() -> None:
    server = OperationsServer(Metrics(), probes(ready=False, database=False), host="127.0.0.1", port=0)
    await server.start()
    try:
        status, body = await get(server, "/readyz")
        assert status == 503
        assert json.loads(body)["gateway"] is False
        assert json.loads(body)["database"] is False
    finally:
        await server.stop()


def test_interaction_latency_is_measured_from_the_interactions_snowflake() -> None:
    created_ms = int(time.time() * 1000) - 250
    snowflake = (created_ms - DISCORD_EPOCH_MS) << 22
    url = f"http://127.0.0.1/api/v10/interactions/{snowflake}/token/callback"
    assert interaction_created_at(url) == created_ms / 1000
    assert interaction_created_at("http://127.0.0.1/api/v10/channels/1/messages") is None
    metrics = Metrics()
    metrics.observe_response("POST", url, 204, 0.01, None)
    samples = {
        sample.name: sample.value for sample in next(iter(metrics.interaction_latency.collect())).samples
    }
    assert samples["hearth_interaction_response_seconds_count"] == 1
    assert 0.2 <= samples["hearth_interaction_response_seconds_sum"] < 60


def test_json_log_lines_are_one_object_each() -> None:
    record = logging.LogRecord("bot.test", logging.WARNING, __file__, 1, "posted %d prompts", (3,), None)
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["level"], entry["logger"], entry["message"]) == ("WARNING", "bot.test", "posted 3 prompts")
