"""Prometheus metrics of one bot process, each in its own registry (so tests can run several bots)."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Discord snowflakes count milliseconds from this epoch above bit 22.
DISCORD_EPOCH_MS = 1_420_070_400_000
LATENESS_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 6 * 3600)
INTERACTION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
TICK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300)
CLAIM_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5)


class Metrics:
    """Every metric Hearth exposes on ``METRICS_PORT``; see the README's Operations section."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.deliveries = Counter(
            "hearth_deliveries",
            "Scheduled deliveries by kind and outcome (sent, retrying, rate_limited, failed, paused)",
            ["kind", "outcome"],
            registry=r,
        )
        self.lateness = Histogram(
            "hearth_delivery_lateness_seconds",
            "How long after its due time an occurrence was delivered",
            ["kind"],
            buckets=LATENESS_BUCKETS,
            registry=r,
        )
        self.rate_limited = Counter(
            "hearth_http_429",
            "429 responses from Discord, by scope (global, user, shared)",
            ["scope"],
            registry=r,
        )
        self.invalid_requests = Counter(
            "hearth_invalid_requests",
            "401, 403 and 429 responses, which count towards Discord's 10,000 per 10 minutes",
            ["status"],
            registry=r,
        )
        self.invalid_window = Gauge(
            "hearth_invalid_requests_last_10m",
            "Invalid requests counted over the last 10 minutes",
            registry=r,
        )
        self.interaction_latency = Histogram(
            "hearth_interaction_response_seconds",
            "From an interaction's creation to the bot's initial response (Discord allows 3 s)",
            buckets=INTERACTION_BUCKETS,
            registry=r,
        )
        self.tick_seconds = Histogram(
            "hearth_schedule_tick_seconds",
            "Duration of one schedule tick, deliveries included",
            buckets=TICK_BUCKETS,
            registry=r,
        )
        self.claim_seconds = Histogram(
            "hearth_schedule_claim_seconds",
            "Duration of one claim transaction (a batch of due rows)",
            buckets=CLAIM_BUCKETS,
            registry=r,
        )
        self.backlog = Gauge(
            "hearth_schedule_backlog",
            "Unpaused schedules whose due time has passed (not yet claimed)",
            registry=r,
        )
        self.gateway_latency = Gauge(
            "hearth_gateway_latency_seconds", "Heartbeat round trip per shard", ["shard"], registry=r
        )

    def observe_response(self, method: str, url: str, status: int, seconds: float, scope: str | None) -> None:
        """Count one HTTP response; time an interaction's initial response from its creation."""
        if status in (401, 403, 429):
            self.invalid_requests.labels(str(status)).inc()
        if status == 429:
            self.rate_limited.labels(scope or "user").inc()
        created = interaction_created_at(url)
        if created is not None and 200 <= status < 300:
            self.interaction_latency.observe(max(time.time() - created, 0.0))


def interaction_created_at(url: str) -> float | None:
    """Return the creation time (Unix seconds) of the interaction a callback URL answers, or None."""
    marker = "/interactions/"
    start = url.find(marker)
    if start < 0 or not url.split("?", 1)[0].endswith("/callback"):
        return None
    snowflake = url[start + len(marker) :].split("/", 1)[0]
    if not snowflake.isdigit():
        return None
    return ((int(snowflake) >> 22) + DISCORD_EPOCH_MS) / 1000
