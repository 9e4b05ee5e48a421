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
from typing import Any

from bench.harness import (
    START_TIME,
    add_servers,
    database_url,
    open_database,
    rate_limited_fake,
    rss_mb,
    running_bot,
)
from bot.clock import ManualClock
from bot.db.database import Database, dialect_of
from bot.db.repos import schedules
from bot.db.timestamps import to_unix
from bot.prompts.posting import SCHEDULE_KIND, owner_key
from bot.schedule.engine import ScheduleEngine, TickReport
from bot.schedule.occurrences import Claim
from bot.schedule.recurrence import Recurrence, format_local_time, next_occurrence, weekdays_to_mask
from tests.seeding import configure_daily_prompts

MINUTES_PER_DAY = 24 * 60
# The measured minute is 09:00 UTC; the bot starts half a minute before it, so nothing else is due.
DUE_MINUTE = 9 * 60
BEFORE = START_TIME.replace(hour=8, minute=59, second=30)
AFTER = START_TIME.replace(hour=9, minute=0, second=30)
EMPTY_TICKS = 20
# Servers that don't exist in the fake get ids far above the fake's snowflakes.
ABSENT_GUILD_BASE = 1 << 60
# On PostgreSQL each transaction is a few round trips to the server, so the schedules of servers
# absent from the fake are written this many to a transaction instead of one each.
SEED_BATCH = 5_000
# The row upsert_recurring stores, without its ON CONFLICT (the benchmark's owner keys are all new).
INSERT_SCHEDULE = (
    "INSERT INTO schedules (kind, owner_key, guild_id, user_id, timezone, local_time, weekdays,"
    " next_run_at, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


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
    # Whether the absent servers' schedules were written SEED_BATCH to a transaction (PostgreSQL).
    batched_seed: bool


def _due_slots(count: int) -> list[int]:
    """Return the indexes of the schedules in the measured minute (schedule i runs at minute i % 1440)."""
    return [i for i in range(count) if i % MINUTES_PER_DAY == DUE_MINUTE]


def _rule_of(index: int) -> Recurrence:
    """Return the daily rule of schedule ``index``, due at minute ``index % 1440`` UTC."""
    minute = index % MINUTES_PER_DAY
    return Recurrence(timezone="UTC", local_time=wall_time(minute // 60, minute % 60))


async def _seed_real(db: Database, index: int, server: tuple[int, int, int]) -> None:
    """Configure prompts in a server that exists in the fake, as /setup prompts stores them."""
    guild_id, channel_id, owner_id = server
    local_time = format_local_time(_rule_of(index).local_time)
    await configure_daily_prompts(db, guild_id, channel_id, owner_id, local_time=local_time, now=BEFORE)


async def _seed_absent(db: Database, index: int, guild_id: int) -> None:
    """Store the daily prompt schedule of server ``guild_id`` through the repository."""
    await schedules.upsert_recurring(
        db,
        kind=SCHEDULE_KIND,
        owner_key=owner_key(guild_id),
        rule=_rule_of(index),
        now=BEFORE,
        guild_id=guild_id,
    )


def _schedule_row(index: int) -> tuple[Any, ...]:
    """Return the schedules row upsert_recurring would store for absent server ``index``."""
    guild_id = ABSENT_GUILD_BASE + index
    rule = _rule_of(index)
    return (
        SCHEDULE_KIND,
        owner_key(guild_id),
        guild_id,
        None,
        rule.timezone,
        format_local_time(rule.local_time),
        weekdays_to_mask(rule.weekdays),
        to_unix(next_occurrence(rule, BEFORE)),
        "{}",
        to_unix(BEFORE),
    )


async def _write_rows(db: Database, rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` into schedules in one transaction."""
    if rows:
        async with db.transaction() as tx:
            await tx.execute_many(INSERT_SCHEDULE, rows)


async def _seed_batched(db: Database, count: int, real: dict[int, tuple[int, int, int]]) -> None:
    """Like the one-by-one seeding, but absent servers' rows go SEED_BATCH to a transaction.

    Rows are written in index order, so ids follow the same order as when seeding one by one.
    """
    pending: list[tuple[Any, ...]] = []
    for index in range(count):
        if index in real:
            await _write_rows(db, pending)
            pending = []
            await _seed_real(db, index, real[index])
            continue
        pending.append(_schedule_row(index))
        if len(pending) >= SEED_BATCH:
            await _write_rows(db, pending)
            pending = []
    await _write_rows(db, pending)


async def _seed(url: str, count: int, real: dict[int, tuple[int, int, int]], *, batched: bool) -> None:
    """Store ``count`` daily prompt schedules spread over the day; ``real`` maps an index to a real server."""
    db = await open_database(url)
    try:
        if batched:
            await _seed_batched(db, count, real)
            return
        for index in range(count):
            if index in real:
                await _seed_real(db, index, real[index])
            else:
                await _seed_absent(db, index, ABSENT_GUILD_BASE + index)
    finally:
        await db.close()


def _seed_in_process(url: str, count: int, real: dict[int, tuple[int, int, int]], batched: bool) -> None:
    """Seed from a child process, so the memory it takes never shows in the bot's RSS."""
    asyncio.run(_seed(url, count, real, batched=batched))


def _timed_claims(engine: ScheduleEngine, spent: list[float]) -> None:
    """Record how long each claim transaction of ``engine`` takes (the tick's own work, not delivery)."""
    original = engine._claim_batch

    async def timed(now: datetime, tally: TickReport) -> tuple[list[Claim], bool]:
        started = time.perf_counter()
        try:
            return await original(now, tally)
        finally:
            spent.append(time.perf_counter() - started)

    engine._claim_batch = timed  # type: ignore[method-assign]


async def run_scheduler(count: int, database: Path | str) -> SchedulerResult:
    """Seed ``count`` schedules, start the bot, and time empty and typical ticks.

    On SQLite every schedule is stored through the repository in its own transaction, as before;
    on PostgreSQL the absent servers' rows are batched (see SEED_BATCH).
    """
    url = database_url(database)
    batched = dialect_of(url) == "postgresql"
    slots = _due_slots(count)
    async with rate_limited_fake() as server:
        owner = server.world.add_user("bench_owner")
        built = add_servers(server, len(slots), owner)
        real = {index: (g.id, c.id, owner.id) for index, (g, c) in zip(slots, built, strict=True)}
        seed_started = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(
            target=_seed_in_process, args=(url, count, real, batched)
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
        async with running_bot(server, url, clock=clock) as running:
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
                batched_seed=batched,
            )
