"""Fan-out: N servers whose daily prompts are due in the same minute, delivered under Discord's limits."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench.harness import (
    GLOBAL_LIMIT,
    START_TIME,
    add_servers,
    database_url,
    open_database,
    rate_limited_fake,
    running_bot,
)
from bot.clock import ManualClock
from bot.fake_discord import FakeDiscord
from bot.fake_discord.driver import Driver
from bot.fake_discord.ratelimit import Decision
from bot.fake_discord.world import GUILD_TEXT, Channel, User
from bot.schedule.engine import TickReport
from tests.seeding import configure_daily_prompts

DUE_TIME = "09:00"
# While the fan-out runs, /help is asked this often, to see whether interactions wait behind it.
PROBE_EVERY = 1.0
PROBE_TIMEOUT = 30.0
# Ticks after the first only pick up retries, which wait out a backoff of at least a minute.
MAX_TICKS = 10


@dataclass(frozen=True)
class FanoutResult:
    """What one fan-out run measured."""

    servers: int
    send_rate: float
    seed_seconds: float
    ready_seconds: float
    seconds: float
    requests: int
    rate_limit_hits: int
    lost: int
    duplicated: int
    nonce_duplicates: int
    ticks: int
    report: TickReport
    # What the e2e fixture would fail a test on: unknown endpoints, fake crashes, late callbacks.
    problems: list[str]
    # When each request that counts towards the global limit reached the fake (perf_counter), and
    # when the fan-out started and ended.
    arrivals: list[float]
    started: float
    finished: float
    # Seconds /help took to be answered, asked once a second while the fan-out ran.
    probes: list[float]

    @property
    def steady_rate(self) -> float:
        """Return the rate between the first and the last request (without claim and bookkeeping time)."""
        if len(self.arrivals) < 2:
            return 0.0
        return (len(self.arrivals) - 1) / (self.arrivals[-1] - self.arrivals[0])

    @property
    def busiest_second(self) -> int:
        """Return the most requests that reached the fake within any one second."""
        most = first = 0
        for last, arrived in enumerate(self.arrivals):
            while arrived - self.arrivals[first] >= 1.0:
                first += 1
            most = max(most, last - first + 1)
        return most

    @property
    def requests_per_second(self) -> float:
        """Return the REST requests per second the fan-out achieved."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def share_of_limit(self) -> float:
        """Return the achieved rate as a share of Discord's global limit."""
        return self.requests_per_second / GLOBAL_LIMIT


async def _seed(url: str, guilds: list[tuple[int, int]], owner_id: int, clock: ManualClock) -> None:
    """Configure daily prompts at 09:00 UTC in every server as /setup prompts stores them."""
    db = await open_database(url)
    try:
        now = clock.now()
        for guild_id, channel_id in guilds:
            await configure_daily_prompts(db, guild_id, channel_id, owner_id, local_time=DUE_TIME, now=now)
    finally:
        await db.close()


def _record_arrivals(server: FakeDiscord) -> list[float]:
    """Note when each request that counts towards the global limit reaches the fake."""
    arrivals: list[float] = []
    check = server.limiter.check

    def noting(method: str, path: str, route: str, major: str, *, exempt_global: bool) -> Decision:
        if not exempt_global:
            arrivals.append(time.perf_counter())
        return check(method, path, route, major, exempt_global=exempt_global)

    server.limiter.check = noting  # type: ignore[method-assign]
    return arrivals


async def _probe_while(
    tick: asyncio.Task[TickReport], driver: Driver, channel: Channel, user: User
) -> list[float]:
    """Run /help once a second until ``tick`` ends; return how long each took to be answered."""
    latencies: list[float] = []
    while not tick.done():
        await asyncio.wait({tick}, timeout=PROBE_EVERY)
        if tick.done():
            break
        handle = await driver.invoke_slash(channel, user, "help")
        latencies.append((await handle.response(timeout=PROBE_TIMEOUT)).elapsed)
    return latencies


def _count_cards(channels: list[Channel], messages_by_channel: dict[int, list[int]]) -> tuple[int, int]:
    """Return (channels without a prompt, extra prompts beyond one per channel)."""
    lost = duplicated = 0
    for channel in channels:
        posted = len(messages_by_channel.get(channel.id, []))
        lost += posted == 0
        duplicated += max(posted - 1, 0)
    return lost, duplicated


async def run_fanout(servers: int, database: Path | str, *, send_rate: float | None = None) -> FanoutResult:
    """Build ``servers`` servers due at 09:00, start the bot, tick until every prompt is out, and count.

    ``database`` is a SQLite file or the URL of a migrated database (see ``harness.bench_database``).
    """
    url = database_url(database)
    clock = ManualClock(START_TIME)
    async with rate_limited_fake() as server:
        owner = server.world.add_user("bench_owner")
        built = add_servers(server, servers, owner)
        member = server.world.add_user("bench_member")
        server.world.add_member(built[0][0], member, [])
        # The probes' replies go to a channel of their own, so they are never counted as prompts.
        probe_channel = server.world.add_channel(built[0][0], "probes", GUILD_TEXT, overwrites=[])
        seed_started = time.perf_counter()
        await _seed(url, [(g.id, c.id) for g, c in built], owner.id, clock)
        seed_seconds = time.perf_counter() - seed_started
        overrides: dict[str, object] = {"disable_scheduler": True}
        if send_rate is not None:
            overrides["scheduled_send_rate"] = send_rate
        async with running_bot(server, url, clock=clock, **overrides) as running:
            bot = running.bot
            clock.set(START_TIME.replace(hour=9, minute=0, second=30))
            requests_before = len(server.requests)
            arrivals = _record_arrivals(server)
            hits_before = len(server.rate_limit_hits)
            total = TickReport()
            ticks = 0
            started = time.perf_counter()
            # When the last tick ended (a probe may still be waiting for its answer then).
            finished: list[float] = [started]
            probes: list[float] = []
            while ticks < MAX_TICKS:
                ticks += 1
                tick = asyncio.create_task(bot.schedule_engine.tick())
                tick.add_done_callback(lambda _: finished.append(time.perf_counter()))
                probes += await _probe_while(tick, Driver(server), probe_channel, member)
                report = await tick
                total.add(report)
                if total.sent >= servers or (report.claimed == 0 and not report.retrying):
                    break
                clock.advance(timedelta(minutes=1))
            seconds = finished[-1] - started
            fanout_requests = [
                r for r in server.requests[requests_before:] if not r.route.startswith("POST /interactions/")
            ]
            channels = [c for _, c in built]
            lost, duplicated = _count_cards(channels, server.world.channel_messages)
            return FanoutResult(
                servers=servers,
                send_rate=bot.settings.scheduled_send_rate,
                seed_seconds=seed_seconds,
                ready_seconds=running.ready_seconds,
                seconds=seconds,
                requests=len(fanout_requests),
                rate_limit_hits=len(server.rate_limit_hits) - hits_before,
                lost=lost,
                duplicated=duplicated,
                nonce_duplicates=len(server.nonce_duplicates),
                ticks=ticks,
                report=total,
                problems=server.problems(),
                arrivals=arrivals,
                started=started,
                finished=finished[-1],
                probes=probes,
            )
