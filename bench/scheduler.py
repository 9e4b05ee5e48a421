"""Scheduler: start-up, tick duration and memory with 100,000 active schedules in the database."""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import statistics
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import time as wall_time
from pathlib import Path

from bench.harness import START_TIME, add_servers, open_database, rate_limited_fake, rss_mb, running_bot
from bot.clock import ManualClock
from bot.db.repos import prompt_config, schedules
from bot.db.repos.prompt_config import PromptConfig
from bot.prompts.posting import SCHEDULE_KIND, owner_key
from bot.schedule.engine import ScheduleEngine, TickReport, _Claim
from bot.schedule.recurrence import Recurrence

MINUTES_PER_DAY = 24 * 60
# The measured minute is 09:00 UTC; the bot starts half a minute before it, so nothing else is due.
DUE_MINUTE = 9 * 60
BEFORE = START_TIME.replace(hour=8, minute=59, second=30)
AFTER = START_TIME.replace(hour=9, minute=0, second=30)
EMPTY_TICKS = 20
# Servers that don't exist in the fake get ids far above the fake's snowflakes.
ABSENT_GUILD_BASE = 1 << 60


@dataclass(frozen=True)
class SchedulerResult:
    """What the scheduler benchmark measured."""

    schedules: int
    seed_seconds: float
    baseline_rss_mb: float
    ready_seconds: float
    ready_rss_mb: float
    after_ticks_rss_mb: float
    empty_tick_median_ms: float
    empty_tick_max_ms: float
    batch: int
    batch_tick_seconds: float
    batch_claim_ms: float
    batch_report: TickReport
    send_rate: float


def _due_slots(count: int) -> list[int]:
    """Return the indexes of the schedules in the measured minute (schedule i runs at minute i % 1440)."""
    return [i for i in range(count) if i % MINUTES_PER_DAY == DUE_MINUTE]


async def _seed(database_url: str, count: int, real: dict[int, tuple[int, int, int]]) -> None:
    """Store ``count`` daily prompt schedules spread over the day; ``real`` maps an index to a real server."""
    db = await open_database(database_url)
    try:
        now = BEFORE
        for index in range(count):
            minute = index % MINUTES_PER_DAY
            rule = Recurrence(timezone="UTC", local_time=wall_time(minute // 60, minute % 60))
            guild_id = real[index][0] if index in real else ABSENT_GUILD_BASE + index
            if index in real:
                _, channel_id, owner_id = real[index]
                await prompt_config.save(
                    db,
                    PromptConfig(
                        guild_id=guild_id,
                        channel_id=channel_id,
                        local_time=f"{minute // 60:02d}:{minute % 60:02d}",
                        timezone="UTC",
                        ping_role_id=None,
                        threads=False,
                        audience="any",
                        paused=False,
                        paused_reason=None,
                        configured_by=owner_id,
                    ),
                    now,
                )
            await schedules.upsert_recurring(
                db,
                kind=SCHEDULE_KIND,
                owner_key=owner_key(guild_id),
                rule=rule,
                now=now,
                guild_id=guild_id,
            )
    finally:
        await db.close()


def _seed_in_process(database_url: str, count: int, real: dict[int, tuple[int, int, int]]) -> None:
    """Seed from a child process, so the memory it takes never shows in the bot's RSS."""
    asyncio.run(_seed(database_url, count, real))


def _timed_claims(engine: ScheduleEngine, spent: list[float]) -> None:
    """Record how long each claim transaction of ``engine`` takes (the tick's own work, not delivery)."""
    original = engine._claim_batch

    async def timed(now: datetime, tally: TickReport) -> tuple[list[_Claim], bool]:
        started = time.perf_counter()
        try:
            return await original(now, tally)
        finally:
            spent.append(time.perf_counter() - started)

    engine._claim_batch = timed  # type: ignore[method-assign]


async def run_scheduler(count: int, database_path: Path) -> SchedulerResult:
    """Seed ``count`` schedules, start the bot, and time empty and typical ticks."""
    database_url = f"sqlite:///{database_path}"
    slots = _due_slots(count)
    async with rate_limited_fake() as server:
        owner = server.world.add_user("bench_owner")
        built = add_servers(server, len(slots), owner)
        real = {index: (g.id, c.id, owner.id) for index, (g, c) in zip(slots, built, strict=True)}
        seed_started = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(
            target=_seed_in_process, args=(database_url, count, real)
        )
        child.start()
        await asyncio.to_thread(child.join)
        if child.exitcode != 0:
            raise RuntimeError(f"seeding the schedules failed (exit code {child.exitcode})")
        seed_seconds = time.perf_counter() - seed_started
        gc.collect()
        baseline = rss_mb()
        clock = ManualClock(BEFORE)
        # The scheduler runs as in production: start-up includes recovery and the first (empty) tick job.
        async with running_bot(server, database_url, clock=clock) as running:
            ready_rss = rss_mb()
            engine = running.bot.schedule_engine
            # Measure ticks one at a time, without APScheduler's own tick running alongside.
            await engine.stop()
            await engine.tick()
            empty: list[float] = []
            for _ in range(EMPTY_TICKS):
                started = time.perf_counter()
                await engine.tick()
                empty.append(time.perf_counter() - started)
            claims: list[float] = []
            _timed_claims(engine, claims)
            clock.set(AFTER)
            started = time.perf_counter()
            report = await engine.tick()
            batch_seconds = time.perf_counter() - started
            after_rss = rss_mb()
            return SchedulerResult(
                schedules=count,
                seed_seconds=seed_seconds,
                baseline_rss_mb=baseline,
                ready_seconds=running.ready_seconds,
                ready_rss_mb=ready_rss,
                after_ticks_rss_mb=after_rss,
                empty_tick_median_ms=statistics.median(empty) * 1000,
                empty_tick_max_ms=max(empty) * 1000,
                batch=len(slots),
                batch_tick_seconds=batch_seconds,
                batch_claim_ms=sum(claims) * 1000,
                batch_report=report,
                send_rate=running.bot.settings.scheduled_send_rate,
            )
