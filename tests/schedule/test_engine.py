"""The schedule engine and its repository, on SQLite and PostgreSQL (the ``db`` fixture in conftest)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.clock import ManualClock
from bot.db.connect import connect_database
from bot.db.database import Database
from bot.db.repos import schedules
from bot.db.repos.schedules import OccurrenceStatus, Schedule
from bot.schedule.engine import NO_HANDLER_REASON, Occurrence, ScheduleEngine, TickReport
from bot.schedule.errors import PermanentDeliveryError, TransientDeliveryError
from bot.schedule.recurrence import Recurrence
from bot.schedule.shards import ShardScope

KIND = "daily_prompt"
START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
# 09:00 New York is 13:00Z in June (EDT).
NINE_NEW_YORK = Recurrence("America/New_York", time(9, 0))
FIRST_DUE = datetime(2026, 6, 1, 13, 0, tzinfo=UTC)
GRACE = timedelta(hours=6)


class Recorder:
    """A handler that records every occurrence and can fail or block on demand."""

    def __init__(self, *, delay: float = 0.0, failures: list[Exception] | None = None) -> None:
        self.calls: list[Occurrence] = []
        self.delay = delay
        self.failures = list(failures or [])
        self.entered = asyncio.Event()
        self.block = False

    async def __call__(self, occurrence: Occurrence) -> None:
        self.calls.append(occurrence)
        self.entered.set()
        if self.block:
            await asyncio.Event().wait()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.failures:
            raise self.failures.pop(0)


def make_engine(
    db: Database, clock: ManualClock, handler: Recorder, *, grace: timedelta = GRACE, **kwargs: object
) -> ScheduleEngine:
    engine = ScheduleEngine(db, clock, grace=grace, tick_seconds=60, **kwargs)  # type: ignore[arg-type]
    engine.register(KIND, handler)
    return engine


async def daily_schedule(
    db: Database, owner: str = "daily_prompt:guild:1", *, now: datetime = START
) -> Schedule:
    return await schedules.upsert_recurring(
        db, kind=KIND, owner_key=owner, rule=NINE_NEW_YORK, now=now, guild_id=1, payload={"channel_id": 5}
    )


@asynccontextmanager
async def second_connection(db: Database) -> AsyncIterator[Database]:
    """Open another connection to the same database, as a second process (or a restarted one) would."""
    other = await connect_database(db.url)
    try:
        yield other
    finally:
        await other.close()


async def status_of(db: Database, schedule: Schedule, key: str) -> OccurrenceStatus | None:
    record = await schedules.get_occurrence(db, schedule.id, key)
    return None if record is None else record.status


def day_key(schedule: Schedule, day: date) -> str:
    return schedules.recurring_occurrence_key(schedule.id, day)


# --- repository ----------------------------------------------------------------------------------


async def test_upsert_recurring_keeps_one_row_per_owner(db: Database) -> None:
    """Upserting the same owner_key again updates the row in place and recomputes next_run_at."""
    first = await daily_schedule(db)
    assert first.next_run_at == FIRST_DUE
    assert first.payload == {"channel_id": 5}
    moved = await schedules.upsert_recurring(
        db, kind=KIND, owner_key=first.owner_key, rule=Recurrence("America/New_York", time(7)), now=START
    )
    assert moved.id == first.id
    assert moved.next_run_at == datetime(2026, 6, 2, 11, 0, tzinfo=UTC)
    assert moved.recurrence == Recurrence("America/New_York", time(7))
    assert await schedules.get_by_owner_key(db, first.owner_key) == moved


async def test_upsert_recurring_rejects_seconds(db: Database) -> None:
    """Schedules store whole minutes, so a rule with seconds is refused."""
    with pytest.raises(ValueError, match="whole minutes"):
        await schedules.upsert_recurring(
            db, kind=KIND, owner_key="x", rule=Recurrence("UTC", time(9, 0, 30)), now=START
        )


async def test_pause_and_resume_recompute_next_run(db: Database) -> None:
    """Pausing stops dispatch; resuming recomputes next_run_at from now without catching up."""
    schedule = await daily_schedule(db)
    assert await schedules.pause(db, schedule.id, "admin paused")
    paused = await schedules.get_by_id(db, schedule.id)
    assert paused is not None
    assert (paused.paused, paused.paused_reason) == (True, "admin paused")
    resumed = await schedules.resume(db, schedule.id, datetime(2026, 6, 3, 14, tzinfo=UTC))
    assert resumed is not None
    assert (resumed.paused, resumed.paused_reason) == (False, None)
    assert resumed.next_run_at == datetime(2026, 6, 4, 13, tzinfo=UTC)


async def test_delete_removes_schedule_and_occurrences(db: Database) -> None:
    """Deleting a schedule cascades to its occurrences."""
    schedule = await daily_schedule(db)
    key = day_key(schedule, date(2026, 6, 1))
    assert await schedules.claim_occurrence(db, schedule.id, key, FIRST_DUE, START)
    assert await schedules.delete(db, schedule.id)
    assert await schedules.get_by_id(db, schedule.id) is None
    assert await schedules.get_occurrence(db, schedule.id, key) is None


async def test_claim_occurrence_succeeds_once(db: Database) -> None:
    """A key can be claimed once; the second claim reports False."""
    schedule = await daily_schedule(db)
    key = day_key(schedule, date(2026, 6, 1))
    assert await schedules.claim_occurrence(db, schedule.id, key, FIRST_DUE, START)
    assert not await schedules.claim_occurrence(db, schedule.id, key, FIRST_DUE, START)


def test_occurrence_keys_fit_a_discord_nonce() -> None:
    """Keys look like s12-2026-11-01 / o12-<unix> and stay within Discord's 25-character nonce limit."""
    assert schedules.recurring_occurrence_key(12, date(2026, 11, 1)) == "s12-2026-11-01"
    assert schedules.one_shot_occurrence_key(12, FIRST_DUE) == f"o12-{int(FIRST_DUE.timestamp())}"
    assert len(schedules.recurring_occurrence_key(10**12, date(2026, 11, 1))) <= 25
    with pytest.raises(ValueError, match="25"):
        schedules.recurring_occurrence_key(10**15, date(2026, 11, 1))


# --- the tick ------------------------------------------------------------------------------------


async def test_engine_tick_delivers_a_due_occurrence_once(db: Database) -> None:
    """Nothing fires early; at the due time the handler runs once and the row advances a day."""
    clock = ManualClock(START)
    handler = Recorder()
    engine = make_engine(db, clock, handler)
    schedule = await daily_schedule(db)

    assert (await engine.tick()).claimed == 0
    clock.set(FIRST_DUE + timedelta(seconds=30))
    report = await engine.tick()
    assert (report.claimed, report.sent) == (1, 1)
    assert await engine.tick() == TickReport()

    [occurrence] = handler.calls
    assert occurrence.key == f"s{schedule.id}-2026-06-01"
    assert occurrence.local_date == date(2026, 6, 1)
    assert occurrence.due_at == FIRST_DUE
    assert occurrence.late_by == timedelta(seconds=30)
    assert not occurrence.recovered
    assert occurrence.schedule.payload == {"channel_id": 5}
    assert await status_of(db, schedule, occurrence.key) is OccurrenceStatus.SENT
    advanced = await schedules.get_by_id(db, schedule.id)
    assert advanced is not None
    assert advanced.next_run_at == datetime(2026, 6, 2, 13, tzinfo=UTC)


async def test_engine_overlapping_ticks_on_one_engine_deliver_once(db: Database) -> None:
    """Two concurrent ticks of one engine deliver each due occurrence exactly once."""
    clock = ManualClock(START)
    handler = Recorder(delay=0.02)
    engine = make_engine(db, clock, handler)
    for guild in range(20):
        await daily_schedule(db, f"daily_prompt:guild:{guild}")
    clock.set(FIRST_DUE)

    reports = await asyncio.gather(engine.tick(), engine.tick())

    assert sum(report.sent for report in reports) == 20
    keys = [occurrence.key for occurrence in handler.calls]
    assert len(keys) == len(set(keys)) == 20


async def test_engine_two_engines_on_two_connections_deliver_once(db: Database) -> None:
    """Two engines on separate connections to one file never both deliver an occurrence."""
    clock = ManualClock(START)
    handler = Recorder(delay=0.02)
    for guild in range(20):
        await daily_schedule(db, f"daily_prompt:guild:{guild}")
    clock.set(FIRST_DUE)
    async with second_connection(db) as other:
        first = make_engine(db, clock, handler)
        second = make_engine(other, clock, handler)
        await asyncio.gather(first.tick(), second.tick(), first.tick(), second.tick())

    keys = [occurrence.key for occurrence in handler.calls]
    assert len(keys) == len(set(keys)) == 20


async def test_engine_delivers_late_within_grace_after_restart(db: Database) -> None:
    """A new engine started 3 h after the due time delivers the occurrence, 3 h late."""
    clock = ManualClock(START)
    schedule = await daily_schedule(db)
    clock.set(FIRST_DUE + timedelta(hours=3))
    handler = Recorder()
    async with second_connection(db) as restarted:
        report = await make_engine(restarted, clock, handler).tick()

    assert report.sent == 1
    [occurrence] = handler.calls
    assert occurrence.late_by == timedelta(hours=3)
    assert occurrence.key == day_key(schedule, date(2026, 6, 1))


async def test_engine_skips_occurrence_beyond_grace(db: Database) -> None:
    """7 h late with a 6 h grace: the handler is not called and the occurrence is 'skipped'."""
    clock = ManualClock(START)
    handler = Recorder()
    engine = make_engine(db, clock, handler, grace=timedelta(hours=6))
    schedule = await daily_schedule(db)
    clock.set(FIRST_DUE + timedelta(hours=7))

    report = await engine.tick()

    assert report.skipped == 1
    assert handler.calls == []
    assert await status_of(db, schedule, day_key(schedule, date(2026, 6, 1))) is OccurrenceStatus.SKIPPED
    advanced = await schedules.get_by_id(db, schedule.id)
    assert advanced is not None
    assert advanced.next_run_at == datetime(2026, 6, 2, 13, tzinfo=UTC)


async def test_engine_collapses_missed_days_into_one(db: Database) -> None:
    """After three missed days only the latest occurrence is delivered, once."""
    clock = ManualClock(START)
    handler = Recorder()
    engine = make_engine(db, clock, handler)
    schedule = await daily_schedule(db)
    clock.set(datetime(2026, 6, 4, 14, tzinfo=UTC))

    await engine.tick()
    await engine.tick()

    [occurrence] = handler.calls
    assert occurrence.local_date == date(2026, 6, 4)
    assert occurrence.late_by == timedelta(hours=1)
    assert [record.key for record in await schedules.list_occurrences(db, schedule.id)] == [occurrence.key]


async def test_engine_skips_an_occurrence_claimed_by_hand(db: Database) -> None:
    """A manual send that claimed today's key makes the scheduled dispatch of that key a no-op."""
    clock = ManualClock(START)
    handler = Recorder()
    engine = make_engine(db, clock, handler)
    schedule = await daily_schedule(db)
    key = day_key(schedule, date(2026, 6, 1))
    assert await schedules.claim_occurrence(db, schedule.id, key, FIRST_DUE, START)
    assert await schedules.finish_occurrence(db, schedule.id, key, OccurrenceStatus.SENT, START)
    clock.set(FIRST_DUE + timedelta(minutes=1))

    report = await engine.tick()

    assert (report.duplicates, report.sent) == (1, 0)
    assert handler.calls == []
    clock.set(datetime(2026, 6, 2, 13, 1, tzinfo=UTC))
    await engine.tick()
    assert [occurrence.local_date for occurrence in handler.calls] == [date(2026, 6, 2)]


async def test_engine_permanent_error_pauses_schedule(db: Database) -> None:
    """A PermanentDeliveryError marks the occurrence 'failed' and pauses the schedule with its reason."""
    clock = ManualClock(START)
    handler = Recorder(failures=[PermanentDeliveryError("channel missing (10003)")])
    engine = make_engine(db, clock, handler)
    schedule = await daily_schedule(db)
    clock.set(FIRST_DUE)

    report = await engine.tick()

    assert (report.failed, report.paused) == (1, 1)
    paused = await schedules.get_by_id(db, schedule.id)
    assert paused is not None
    assert (paused.paused, paused.paused_reason) == (True, "channel missing (10003)")
    assert await status_of(db, schedule, day_key(schedule, date(2026, 6, 1))) is OccurrenceStatus.FAILED
    clock.set(datetime(2026, 6, 5, tzinfo=UTC))
    await engine.tick()
    assert len(handler.calls) == 1


@pytest.mark.parametrize("failure", [TransientDeliveryError("discord 503"), RuntimeError("boom")])
async def test_engine_transient_error_is_retried_once_on_a_later_tick(
    db: Database, failure: Exception
) -> None:
    """A transient (or unexpected) failure is retried after the backoff, with the same key, and then stops."""
    clock = ManualClock(START)
    handler = Recorder(failures=[failure])
    engine = make_engine(db, clock, handler, retry_backoff=timedelta(minutes=1))
    schedule = await daily_schedule(db)
    clock.set(FIRST_DUE)

    assert (await engine.tick()).retrying == 1
    waiting = await schedules.get_by_id(db, schedule.id)
    assert waiting is not None
    assert (waiting.pending_due_at, waiting.attempts) == (FIRST_DUE, 1)
    assert waiting.next_run_at == FIRST_DUE + timedelta(minutes=1)
    assert await engine.tick() == TickReport()  # still backing off
    assert len(handler.calls) == 1

    clock.advance(timedelta(minutes=1))
    assert (await engine.tick()).sent == 1
    clock.advance(timedelta(minutes=5))
    await engine.tick()

    first, retry = handler.calls
    assert retry.key == first.key
    assert (first.attempt, retry.attempt) == (1, 2)
    assert retry.due_at == FIRST_DUE
    assert retry.late_by == timedelta(minutes=1)
    assert await status_of(db, schedule, first.key) is OccurrenceStatus.SENT
    done = await schedules.get_by_id(db, schedule.id)
    assert done is not None
    assert (done.next_run_at, done.pending_due_at, done.attempts) == (
        datetime(2026, 6, 2, 13, tzinfo=UTC),
        None,
        0,
    )


async def test_engine_transient_error_past_grace_marks_failed(db: Database) -> None:
    """When a retry would land outside the grace window the occurrence is 'failed' and not retried."""
    clock = ManualClock(START)
    handler = Recorder(failures=[TransientDeliveryError("discord 503")])
    engine = make_engine(db, clock, handler, grace=timedelta(seconds=30))
    schedule = await daily_schedule(db)
    clock.set(FIRST_DUE)

    assert (await engine.tick()).failed == 1
    clock.advance(timedelta(minutes=10))
    await engine.tick()

    assert len(handler.calls) == 1
    assert await status_of(db, schedule, handler.calls[0].key) is OccurrenceStatus.FAILED


async def test_engine_one_shot_fires_once_and_disappears(db: Database) -> None:
    """A one-shot fires at its time, once, and its row is then deleted."""
    clock = ManualClock(START)
    handler = Recorder()
    engine = make_engine(db, clock, handler)
    run_at = START + timedelta(minutes=10)
    shot = await schedules.create_one_shot(
        db, kind=KIND, owner_key="dm_checkin:user:7", run_at=run_at, now=START, user_id=7
    )
    assert shot.is_one_shot

    await engine.tick()
    clock.advance(timedelta(minutes=11))
    await engine.tick()
    clock.advance(timedelta(hours=1))
    await engine.tick()

    [occurrence] = handler.calls
    assert occurrence.key == f"o{shot.id}-{int(run_at.timestamp())}"
    assert occurrence.due_at == run_at
    assert await schedules.get_by_id(db, shot.id) is None


async def test_engine_one_shot_beyond_grace_is_dropped(db: Database) -> None:
    """A one-shot found later than the grace window is removed without calling the handler."""
    clock = ManualClock(START)
    handler = Recorder()
    engine = make_engine(db, clock, handler, grace=timedelta(hours=1))
    shot = await schedules.create_one_shot(db, kind=KIND, owner_key="once", run_at=START, now=START)
    clock.advance(timedelta(hours=2))

    assert (await engine.tick()).skipped == 1
    assert handler.calls == []
    assert await schedules.get_by_id(db, shot.id) is None


async def test_engine_unregistered_kind_is_paused_with_no_handler(db: Database) -> None:
    """A due row whose kind has no handler is paused with reason 'no handler'."""
    clock = ManualClock(START)
    engine = make_engine(db, clock, Recorder())
    orphan = await schedules.upsert_recurring(
        db, kind="retired_feature", owner_key="retired:1", rule=NINE_NEW_YORK, now=START
    )
    clock.set(FIRST_DUE)

    assert (await engine.tick()).paused == 1
    paused = await schedules.get_by_id(db, orphan.id)
    assert paused is not None
    assert (paused.paused, paused.paused_reason) == (True, NO_HANDLER_REASON)


async def test_engine_pauses_a_corrupt_row_and_serves_the_others(db: Database) -> None:
    """A row that cannot be read is paused as 'invalid schedule' and does not block other rows."""
    clock = ManualClock(START)
    handler = Recorder()
    engine = make_engine(db, clock, handler)
    broken = await daily_schedule(db, "broken")
    await daily_schedule(db, "fine")
    await db.execute("UPDATE schedules SET timezone = 'Mars/Base' WHERE id = ?", (broken.id,))
    clock.set(FIRST_DUE)

    report = await engine.tick()

    assert (report.sent, report.paused, report.crashed) == (1, 1, False)
    assert [occurrence.schedule.owner_key for occurrence in handler.calls] == ["fine"]
    row = await db.fetch_one("SELECT paused, paused_reason FROM schedules WHERE id = ?", (broken.id,))
    assert row is not None
    assert (row["paused"], row["paused_reason"]) == (1, "invalid schedule")


async def test_engine_fall_back_night_fires_once(db: Database) -> None:
    """Ticking through New York's fall-back night, a daily 01:30 fires once per local date."""
    clock = ManualClock(datetime(2026, 10, 31, 12, tzinfo=UTC))
    handler = Recorder()
    engine = make_engine(db, clock, handler)
    await schedules.upsert_recurring(
        db, kind=KIND, owner_key="fallback", rule=Recurrence("America/New_York", time(1, 30)), now=clock.now()
    )
    while clock.now() < datetime(2026, 11, 2, 12, tzinfo=UTC):
        clock.advance(timedelta(minutes=10))
        await engine.tick()

    assert [occurrence.due_at for occurrence in handler.calls] == [
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 2, 6, 30, tzinfo=UTC),
    ]


# --- crash recovery ------------------------------------------------------------------------------


async def crash_mid_delivery(db: Database, clock: ManualClock) -> tuple[Schedule, str]:
    """Claim today's occurrence and kill the tick while its handler runs, leaving it 'claimed'."""
    schedule = await daily_schedule(db)
    clock.set(FIRST_DUE)
    handler = Recorder()
    handler.block = True
    engine = make_engine(db, clock, handler)
    tick = asyncio.create_task(engine.tick())
    await asyncio.wait_for(handler.entered.wait(), timeout=5)
    tick.cancel()
    with pytest.raises(asyncio.CancelledError):
        await tick
    key = handler.calls[0].key
    assert await status_of(db, schedule, key) is OccurrenceStatus.CLAIMED
    return schedule, key


async def test_engine_recover_redispatches_a_recent_claim(db: Database) -> None:
    """A claim interrupted 30 s ago is re-dispatched once, flagged recovered, with the same key."""
    clock = ManualClock(START)
    schedule, key = await crash_mid_delivery(db, clock)
    clock.advance(timedelta(seconds=30))
    handler = Recorder()
    async with second_connection(db) as restarted:
        engine = make_engine(restarted, clock, handler)
        report = await engine.recover()
        await engine.tick()

    assert (report.recovered, report.sent) == (1, 1)
    [occurrence] = handler.calls
    assert (occurrence.key, occurrence.recovered) == (key, True)
    assert await status_of(db, schedule, key) is OccurrenceStatus.SENT


async def test_engine_recover_marks_an_old_claim_uncertain(db: Database) -> None:
    """A claim interrupted 5 min ago is marked 'uncertain' and never resent."""
    clock = ManualClock(START)
    schedule, key = await crash_mid_delivery(db, clock)
    clock.advance(timedelta(minutes=5))
    handler = Recorder()
    engine = make_engine(db, clock, handler)

    report = await engine.recover()
    await engine.tick()

    assert (report.uncertain, report.recovered) == (1, 0)
    assert handler.calls == []
    assert await status_of(db, schedule, key) is OccurrenceStatus.UNCERTAIN


async def test_engine_tick_marks_a_stale_claim_uncertain(db: Database) -> None:
    """A tick marks a claim left unfinished for over ten minutes 'uncertain' and does not resend it."""
    clock = ManualClock(START)
    schedule, key = await crash_mid_delivery(db, clock)
    handler = Recorder()
    engine = make_engine(db, clock, handler)
    clock.advance(timedelta(minutes=11))

    assert (await engine.tick()).uncertain == 1
    assert handler.calls == []
    assert await status_of(db, schedule, key) is OccurrenceStatus.UNCERTAIN


async def test_engine_one_shot_interrupted_long_ago_is_not_resent(db: Database) -> None:
    """A one-shot whose delivery was interrupted is marked uncertain and removed when its lease ends."""
    clock = ManualClock(START)
    blocker = Recorder()
    blocker.block = True
    engine = make_engine(db, clock, blocker)
    shot = await schedules.create_one_shot(db, kind=KIND, owner_key="once", run_at=START, now=START)
    tick = asyncio.create_task(engine.tick())
    await asyncio.wait_for(blocker.entered.wait(), timeout=5)
    tick.cancel()
    with pytest.raises(asyncio.CancelledError):
        await tick

    handler = Recorder()
    restarted = make_engine(db, clock, handler)
    clock.advance(timedelta(minutes=5))
    assert (await restarted.recover()).uncertain == 1
    clock.advance(timedelta(minutes=15))
    await restarted.tick()

    assert handler.calls == []
    assert await schedules.get_by_id(db, shot.id) is None


# --- lifecycle -----------------------------------------------------------------------------------


async def test_engine_start_runs_ticks_until_stopped(db: Database) -> None:
    """start() schedules the tick on APScheduler, which eventually delivers; stop() ends it."""
    clock = ManualClock(START)
    handler = Recorder()
    engine = ScheduleEngine(db, clock, grace=GRACE, tick_seconds=0.05)
    engine.register(KIND, handler)
    await schedules.create_one_shot(db, kind=KIND, owner_key="soon", run_at=START, now=START)

    await engine.start()
    try:
        assert engine.running
        await asyncio.wait_for(handler.entered.wait(), timeout=10)
    finally:
        await engine.stop()

    assert not engine.running
    assert len(handler.calls) == 1


async def test_engine_register_refuses_a_second_handler_for_a_kind(db: Database) -> None:
    """Registering two handlers for one kind is a bug, so it raises."""
    engine = make_engine(db, ManualClock(START), Recorder())
    with pytest.raises(ValueError, match="already registered"):
        engine.register(KIND, Recorder())


async def test_engine_logs_ids_but_never_payload(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    """Sends and skips are logged at INFO with the schedule id, and payload contents never reach the log."""
    clock = ManualClock(START)
    engine = make_engine(db, clock, Recorder(), grace=timedelta(hours=1))
    sent = await schedules.upsert_recurring(
        db, kind=KIND, owner_key="a", rule=NINE_NEW_YORK, now=START, payload={"text": "private words"}
    )
    skipped = await schedules.create_one_shot(
        db,
        kind=KIND,
        owner_key="b",
        run_at=START - timedelta(hours=2),
        now=START,
        payload={"text": "private words"},
    )
    clock.set(FIRST_DUE)

    with caplog.at_level(logging.INFO, logger="bot.schedule"):
        report = await engine.tick()

    assert (report.sent, report.skipped) == (1, 1)
    assert f"schedule {sent.id}" in caplog.text
    assert f"schedule {skipped.id}" in caplog.text
    assert "private words" not in caplog.text


async def test_tick_claims_later_batches_while_delivering_earlier_ones(db: Database) -> None:
    """Batches are claimed as delivery goes: every row is sent once, and claims carry their real time."""
    clock = ManualClock(START)
    delivered: list[int] = []

    async def handler(occurrence: Occurrence) -> None:
        delivered.append(occurrence.schedule.id)
        # Delivery takes time (a paced fan-out); later claims must be stamped later.
        clock.advance(timedelta(seconds=1))

    engine = ScheduleEngine(db, clock, grace=GRACE, tick_seconds=60, batch_size=2, max_concurrency=2)
    engine.register(KIND, handler)
    rows = [await daily_schedule(db, f"daily_prompt:guild:{n}") for n in range(7)]
    clock.set(FIRST_DUE + timedelta(minutes=1))
    report = await engine.tick()
    assert report.claimed == report.sent == 7
    assert sorted(delivered) == sorted(row.id for row in rows)
    records = [record for row in rows for record in await schedules.list_occurrences(db, row.id)]
    assert [record.status for record in records] == [OccurrenceStatus.SENT] * 7
    assert len({record.claimed_at for record in records}) > 1
    assert (await engine.tick()).claimed == 0


async def test_engine_cancelled_tick_leaves_undelivered_claims_to_recovery(db: Database) -> None:
    """Claims a cancelled tick never handed to a handler are not 'in flight': recovery re-dispatches them."""
    clock = ManualClock(START)
    handler = Recorder()
    handler.block = True
    engine = make_engine(db, clock, handler, batch_size=2, max_concurrency=1)
    for n in range(3):
        await daily_schedule(db, f"daily_prompt:guild:{n}")
    clock.set(FIRST_DUE + timedelta(minutes=1))
    tick = asyncio.create_task(engine.tick())
    await asyncio.wait_for(handler.entered.wait(), timeout=5)
    # Let the tick queue what it claimed (and perhaps claim the next batch) before it is cancelled.
    for _ in range(20):
        await asyncio.sleep(0.01)
    tick.cancel()
    with pytest.raises(asyncio.CancelledError):
        await tick
    claimed = await schedules.fetch_claimed(db)
    assert len(claimed) >= 2
    handler.block = False
    report = await engine.recover()
    assert report.recovered == len(claimed)
    assert await schedules.fetch_claimed(db) == []


async def test_engine_recovers_only_its_own_claims(db: Database) -> None:
    """Another process's claim may still be in flight: only the claimant, restarted, re-dispatches it."""
    clock = ManualClock(START)
    schedule, key = await crash_mid_delivery(db, clock)
    clock.advance(timedelta(seconds=30))
    handler = Recorder()
    async with second_connection(db) as other_process:
        other = make_engine(other_process, clock, handler, shards=ShardScope(2, frozenset({1})))
        assert (await other.recover()).recovered == 0
        assert handler.calls == []
        assert await status_of(db, schedule, key) is OccurrenceStatus.CLAIMED
    async with second_connection(db) as restarted:
        report = await make_engine(restarted, clock, handler).recover()
    assert report.recovered == 1
    assert [occurrence.key for occurrence in handler.calls] == [key]


def guild_on_shard(shard: int, count: int, serial: int) -> int:
    """Return a server id that Discord's formula puts on ``shard`` of ``count``."""
    return ((serial * count + shard) << 22) | serial


async def test_sharded_engines_claim_only_their_servers_and_share_the_rest(db: Database) -> None:
    """Guild-bound rows go to the engine of the server's shard; DM rows are delivered once, by either."""
    clock = ManualClock(START)
    guild_handlers = {0: Recorder(), 1: Recorder()}
    dm_handler = Recorder(delay=0.01)
    servers = {shard: [guild_on_shard(shard, 2, n) for n in range(1, 11)] for shard in (0, 1)}
    for guild_id in servers[0] + servers[1]:
        await schedules.upsert_recurring(
            db, kind=KIND, owner_key=f"prompt:{guild_id}", rule=NINE_NEW_YORK, now=START, guild_id=guild_id
        )
    for user in range(30):
        await schedules.upsert_recurring(
            db, kind="checkin_dm", owner_key=f"checkin:{user}", rule=NINE_NEW_YORK, now=START, user_id=user
        )
    clock.set(FIRST_DUE)
    async with second_connection(db) as other:
        engines = []
        for shard, database in ((0, db), (1, other)):
            engine = ScheduleEngine(
                database, clock, grace=GRACE, tick_seconds=60, shards=ShardScope(2, frozenset({shard}))
            )
            engine.register(KIND, guild_handlers[shard], guild_bound=True)
            engine.register("checkin_dm", dm_handler)
            engines.append(engine)
        await asyncio.gather(*(engine.tick() for engine in engines for _ in range(2)))

    for shard in (0, 1):
        delivered = sorted(o.schedule.guild_id or 0 for o in guild_handlers[shard].calls)
        assert delivered == sorted(servers[shard])
    users = [occurrence.schedule.user_id for occurrence in dm_handler.calls]
    assert sorted(u or 0 for u in users) == list(range(30))
