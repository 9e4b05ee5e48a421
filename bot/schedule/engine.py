"""The schedule engine: APScheduler is only the clock, the database is the due queue.

One APScheduler interval job calls :meth:`ScheduleEngine.tick` every few
seconds. A tick works in three steps:

1. **Claim**, in short transactions of at most ``batch_size`` rows: select
   the unpaused rows whose ``next_run_at`` has passed and, for each, move
   ``next_run_at`` with a compare-and-set (``WHERE next_run_at = <seen>``) and
   insert its occurrence as 'claimed'. Overlapping ticks, or a second process,
   therefore claim a row once, and the occurrence key (one per schedule and
   local date, or per one-shot due time) makes a delivery happen at most
   once even if a feature already delivered it by hand.

   * Missed occurrences collapse: only the most recent one that is due is
     considered. Within ``grace`` of its due time it is delivered late
     (``late_by`` says how late); beyond that it is recorded as 'skipped'.
   * A recurring row advances to its first occurrence after now; a one-shot
     is parked under a short lease while it is in flight and deleted once
     delivered.
   * A row whose kind has no registered handler is paused with reason
     'no handler'; a row that cannot be read is paused as 'invalid schedule'.

2. **Deliver**, after the claim has committed (no transaction is ever held
   across a handler): handlers run concurrently, at most
   ``max_concurrency`` at a time. Claiming and delivering overlap: the next
   batch is claimed while the previous one is delivered, at most one batch
   ahead, so a paced fan-out never waits for the claims of thousands of rows
   and each claim (timestamped when it is made) is delivered within seconds,
   well inside the recovery window.

   * Success marks the occurrence 'sent'.
   * A 429 (:mod:`bot.ratelimits` retries most of them before a handler sees one) is a pace
     signal, not a failed attempt: the occurrence is released and due again after
     ``retry_after`` plus jitter, with no backoff and no attempt counted.
   * :class:`PermanentDeliveryError` marks it 'failed' and pauses the
     schedule with the error's reason.
   * :class:`TransientDeliveryError` or any other exception releases the
     occurrence and makes the row due again after an exponential backoff,
     keeping the original due time for the key and the grace check. Once a
     retry would fall outside the grace window the occurrence is 'failed'.

3. **Recover**: a claim whose bookkeeping never happened (the process died
   mid-delivery) is re-dispatched with ``recovered=True`` if it is younger
   than ``recovery_window``, at :meth:`ScheduleEngine.start`. Handlers send
   with the key as the message nonce and ``enforce_nonce``, which Discord
   deduplicates for a few minutes. Older claims, and claims seen by a tick
   after ``stale_claim_after``, become 'uncertain' and are never resent: a
   missed post is better than a double one.

A tick lasts until its deliveries finish, and APScheduler (``max_instances=1,
coalesce=True``) starts the next one afterwards, so handlers must bound their
own time (pacing queue, HTTP timeouts).

Several processes (shards) may share one PostgreSQL database: the due-row
SELECT locks what it claims and skips rows another process has locked
(``FOR UPDATE SKIP LOCKED``), guild-bound kinds are claimed only by the
process running the server's shard, and each claim records its claimant, so a
restarted process recovers only its own interrupted claims. Each process
treats the others' deliveries that outlast ``stale_claim_after`` as stale.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.db.database import Database, Row, Transaction
from bot.db.repos import schedules
from bot.db.repos.schedules import OccurrenceRecord, OccurrenceStatus, Schedule
from bot.db.timestamps import from_unix
from bot.metrics import Metrics
from bot.pacing import scheduled_sending
from bot.ratelimits import retry_delay
from bot.schedule.errors import PermanentDeliveryError, TransientDeliveryError, rate_limit_retry_after
from bot.schedule.recurrence import local_date_of, next_occurrence, previous_occurrence
from bot.schedule.shards import UNSHARDED_CLAIMANT, ShardScope

log = logging.getLogger(__name__)

TICK_JOB_ID = "schedule-engine-tick"
TICK_ALIGNMENT = datetime(2000, 1, 1, tzinfo=UTC)
NO_HANDLER_REASON = "no handler"
INVALID_SCHEDULE_REASON = "invalid schedule"

DEFAULT_BATCH_SIZE = 500
# A tick stops claiming after this many batches; the rest is claimed by the next tick.
MAX_BATCHES_PER_TICK = 200
DEFAULT_MAX_CONCURRENCY = 16
DEFAULT_RETRY_BACKOFF = timedelta(minutes=1)
MAX_RETRY_BACKOFF = timedelta(minutes=30)
# Discord deduplicates a nonce with enforce_nonce for a few minutes; stay well inside that.
DEFAULT_RECOVERY_WINDOW = timedelta(minutes=2)
DEFAULT_STALE_CLAIM_AFTER = timedelta(minutes=10)
# Longer than the stale-claim age, so a crashed one-shot's claim is resolved before its lease ends.
ONE_SHOT_LEASE = timedelta(minutes=15)
OCCURRENCE_RETENTION = timedelta(days=35)
PRUNE_INTERVAL = timedelta(hours=1)
STOP_TIMEOUT_SECONDS = 30.0
# 2**16 minutes is far beyond the cap already; bounding the exponent avoids timedelta overflow.
_MAX_BACKOFF_DOUBLINGS = 16


@dataclass(frozen=True)
class Occurrence:
    """One delivery a handler is asked to make.

    ``key`` (at most 25 characters) is stable for the occurrence: send it as
    the message nonce with ``enforce_nonce=True`` so a recovered re-dispatch
    cannot double-post.
    """

    schedule: Schedule
    key: str
    local_date: date
    due_at: datetime
    late_by: timedelta
    recovered: bool = False
    attempt: int = 1


Handler = Callable[[Occurrence], Awaitable[None]]


@dataclass
class TickReport:
    """What one tick (or recovery pass) did, for logs and tests; filled in as the tick runs."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0
    paused: int = 0
    uncertain: int = 0
    recovered: int = 0
    crashed: bool = False

    def add(self, other: TickReport) -> None:
        """Add another report's counts to this one."""
        for item in fields(self):
            if item.name != "crashed":
                setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


@dataclass(frozen=True)
class _Claim:
    """A claimed occurrence plus the ``next_run_at`` its claim left (the compare-and-set witness)."""

    occurrence: Occurrence
    claimed_next_run_at: datetime

    @property
    def ident(self) -> tuple[int, str]:
        """Return (schedule id, key), the occurrence's identity."""
        return (self.occurrence.schedule.id, self.occurrence.key)


@dataclass(frozen=True)
class _Plan:
    """The occurrence a due row stands for, computed without I/O."""

    due_at: datetime
    key: str
    local_date: date
    # Recurring only: the first fire time after now.
    advance_to: datetime | None


def _plan(schedule: Schedule, now: datetime) -> _Plan:
    """Work out which occurrence a due row delivers: only the most recent one that is due."""
    rule = schedule.recurrence
    if rule is None:
        due = schedule.due_at
        return _Plan(
            due_at=due,
            key=schedules.occurrence_key(schedule, due),
            local_date=schedules.occurrence_local_date(schedule, due),
            advance_to=None,
        )
    due = max(schedule.due_at, previous_occurrence(rule, now))
    return _Plan(
        due_at=due,
        key=schedules.occurrence_key(schedule, due),
        local_date=local_date_of(rule, due),
        advance_to=next_occurrence(rule, now),
    )


class ScheduleEngine:
    """Claims due schedules from the database and hands them to per-kind handlers.

    See the module docstring for the claim, delivery and recovery rules.
    """

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        grace: timedelta,
        tick_seconds: float,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        retry_backoff: timedelta = DEFAULT_RETRY_BACKOFF,
        recovery_window: timedelta = DEFAULT_RECOVERY_WINDOW,
        stale_claim_after: timedelta = DEFAULT_STALE_CLAIM_AFTER,
        shards: ShardScope | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        if grace < timedelta(0):
            raise ValueError("grace must not be negative")
        if tick_seconds <= 0:
            raise ValueError("tick_seconds must be positive")
        if batch_size < 1 or max_concurrency < 1:
            raise ValueError("batch_size and max_concurrency must be at least 1")
        if retry_backoff <= timedelta(0):
            raise ValueError("retry_backoff must be positive")
        if stale_claim_after < recovery_window:
            raise ValueError("stale_claim_after must not be shorter than recovery_window")
        self._db = db
        self._clock = clock
        self._grace = grace
        self._tick_seconds = tick_seconds
        self._batch_size = batch_size
        self._max_concurrency = max_concurrency
        self._retry_backoff = retry_backoff
        self._recovery_window = recovery_window
        self._stale_claim_after = stale_claim_after
        self._handlers: dict[str, Handler] = {}
        self._guild_bound_kinds: set[str] = set()
        self._shards = shards
        self.metrics = metrics
        self.claimant = UNSHARDED_CLAIMANT if shards is None else shards.claimant
        self._scheduler: AsyncIOScheduler | None = None
        # Claims this engine is still delivering: the stale-claim sweep must not touch them.
        self._in_flight: set[tuple[int, str]] = set()
        self._tick_tasks: set[asyncio.Task[Any]] = set()
        self._last_prune: datetime | None = None

    # --- handlers ---------------------------------------------------------------------------------

    def register(self, kind: str, handler: Handler, *, guild_bound: bool = False) -> None:
        """Route occurrences of schedules of ``kind`` to ``handler``.

        ``guild_bound`` kinds act in their server (post in its channels, read its members): with
        shards, only the process running that server's shard claims them. Other kinds (DMs to one
        person, housekeeping) go to whichever process claims them first.
        """
        if kind in self._handlers:
            raise ValueError(f"a handler for schedule kind {kind!r} is already registered")
        self._handlers[kind] = handler
        if guild_bound:
            self._guild_bound_kinds.add(kind)

    def unregister(self, kind: str) -> None:
        """Stop routing ``kind`` (e.g. when its cog unloads); its due rows get paused as 'no handler'."""
        self._handlers.pop(kind, None)
        self._guild_bound_kinds.discard(kind)

    # --- lifecycle --------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Return whether the tick job is scheduled."""
        return self._scheduler is not None

    async def start(self) -> None:
        """Recover interrupted claims, then tick every ``tick_seconds`` on an APScheduler interval job."""
        if self._scheduler is not None:
            raise RuntimeError("the schedule engine is already running")
        await self.recover()
        scheduler = AsyncIOScheduler(timezone=UTC)
        # misfire_grace_time=None: a late tick still runs (coalesced into one) instead of being dropped.
        # Ticks fall on multiples of tick_seconds of the wall clock, so processes that share the
        # schedule start a fan-out together instead of up to one tick apart.
        scheduler.add_job(
            self._run_scheduled_tick,
            trigger="interval",
            seconds=self._tick_seconds,
            start_date=TICK_ALIGNMENT,
            id=TICK_JOB_ID,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC),
        )
        scheduler.start()
        self._scheduler = scheduler
        log.info("Schedule engine started: tick every %s s, grace %s", self._tick_seconds, self._grace)

    async def stop(self, *, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        """Stop ticking, letting a running tick finish its deliveries for up to ``timeout`` seconds."""
        scheduler = self._scheduler
        if scheduler is None:
            return
        self._scheduler = None
        scheduler.pause()
        running = {task for task in self._tick_tasks if not task.done()}
        if running:
            _, unfinished = await asyncio.wait(running, timeout=timeout)
            if unfinished:
                # Cancelled deliveries stay 'claimed' and are resolved by recovery on the next start.
                log.warning(
                    "Cancelling %d schedule tick(s) still running after %s s", len(unfinished), timeout
                )
                for task in unfinished:
                    task.cancel()
                await asyncio.gather(*unfinished, return_exceptions=True)
        # Shutting down cancels the executor's pending tasks, so it comes after the wait above.
        scheduler.shutdown(wait=False)
        # AsyncIOScheduler.shutdown is queued on the loop; let it run before returning.
        await asyncio.sleep(0)
        log.info("Schedule engine stopped")

    async def _run_scheduled_tick(self) -> None:
        """Run one tick from APScheduler, remembering its task so ``stop`` can wait for it."""
        task = asyncio.current_task()
        if task is not None:
            self._tick_tasks.add(task)
        try:
            await self.tick()
        finally:
            if task is not None:
                self._tick_tasks.discard(task)

    # --- the tick ---------------------------------------------------------------------------------

    async def tick(self) -> TickReport:
        """Expire stale claims, claim every due row, deliver the claims and report; never raises."""
        report = TickReport()
        started = time.perf_counter()
        try:
            now = self._clock.now()
            await self._expire_stale_claims(now, report)
            await self._claim_and_deliver(report)
            await self._prune_if_due(now)
        except Exception:
            log.exception("Schedule tick failed")
            report.crashed = True
        if self.metrics is not None:
            self.metrics.tick_seconds.observe(time.perf_counter() - started)
        if report != TickReport():
            log.debug("Schedule tick: %s", report)
        return report

    async def recover(self) -> TickReport:
        """Resolve interrupted claims: re-dispatch recent ones, mark older ones 'uncertain'; never raises.

        Called by :meth:`start`; a recent claim is re-dispatched with
        ``recovered=True`` only if its schedule still exists and is not paused.
        """
        tally = TickReport()
        try:
            now = self._clock.now()
            # Only this process's own claims: another process's may still be in flight.
            mine = await schedules.fetch_claimed(self._db, claimed_by=self.claimant)
            records = [r for r in mine if self._is_abandoned(r)]
            claims: list[_Claim] = []
            if records:
                async with self._db.transaction() as tx:
                    for record in records:
                        claim = await self._recover_one(tx, record, now, tally)
                        if claim is not None:
                            claims.append(claim)
            self._in_flight.update(claim.ident for claim in claims)
            await self._deliver_all(claims, tally)
        except Exception:
            log.exception("Schedule recovery failed")
            tally.crashed = True
        return tally

    def _is_abandoned(self, record: OccurrenceRecord) -> bool:
        """Return whether a 'claimed' occurrence is not being delivered by this engine."""
        return (record.schedule_id, record.key) not in self._in_flight

    async def _recover_one(
        self, tx: Transaction, record: OccurrenceRecord, now: datetime, tally: TickReport
    ) -> _Claim | None:
        """Turn one interrupted claim into a re-dispatch, or mark it 'uncertain'."""
        schedule: Schedule | None
        local_date: date | None = None
        try:
            schedule = await schedules.fetch_schedule_in(tx, record.schedule_id)
            if schedule is not None:
                local_date = schedules.occurrence_local_date(schedule, record.due_at)
        except (ValueError, LookupError):
            # A row that cannot be read cannot be re-dispatched; it still must not stay 'claimed'.
            log.exception("Schedule %s cannot be read during recovery", record.schedule_id)
            schedule = None
        recent = now - record.claimed_at <= self._recovery_window
        if schedule is None or local_date is None or schedule.paused or not recent:
            if await schedules.finish_occurrence_in(
                tx, record.schedule_id, record.key, OccurrenceStatus.UNCERTAIN, now
            ):
                log.warning(
                    "Occurrence %s of schedule %s was interrupted mid-delivery at %s; marked uncertain,"
                    " not resending",
                    record.key,
                    record.schedule_id,
                    record.claimed_at.isoformat(),
                )
                tally.uncertain += 1
            return None
        log.info("Re-dispatching interrupted occurrence %s of schedule %s", record.key, record.schedule_id)
        tally.recovered += 1
        occurrence = Occurrence(
            schedule=schedule,
            key=record.key,
            local_date=local_date,
            due_at=record.due_at,
            late_by=now - record.due_at,
            recovered=True,
            attempt=record.attempts,
        )
        return _Claim(occurrence=occurrence, claimed_next_run_at=schedule.next_run_at)

    async def _expire_stale_claims(self, now: datetime, tally: TickReport) -> None:
        """Mark claims older than ``stale_claim_after`` that nobody here is delivering as 'uncertain'."""
        cutoff = now - self._stale_claim_after
        stale = [
            r for r in await schedules.fetch_claimed(self._db, claimed_before=cutoff) if self._is_abandoned(r)
        ]
        if not stale:
            return
        async with self._db.transaction() as tx:
            for record in stale:
                if await schedules.finish_occurrence_in(
                    tx, record.schedule_id, record.key, OccurrenceStatus.UNCERTAIN, now
                ):
                    log.warning(
                        "Occurrence %s of schedule %s has been claimed since %s without an outcome;"
                        " marked uncertain, not resending",
                        record.key,
                        record.schedule_id,
                        record.claimed_at.isoformat(),
                    )
                    tally.uncertain += 1

    async def _claim_and_deliver(self, tally: TickReport) -> None:
        """Claim every due row, one short transaction per batch, delivering each batch as it is claimed."""
        # The next batch is claimed once all but half a batch of this one went to the handlers: claims
        # stay at most 1.5 batches ahead of delivery, the handlers still have work while the next claim
        # holds the database, and the first handlers don't wait behind a second claim at the start.
        queue: asyncio.Queue[_Claim] = asyncio.Queue(maxsize=max(self._batch_size // 2, 1))
        # Claims made but not yet handed to a handler (queued, or still to be queued).
        waiting: set[tuple[int, str]] = set()
        workers: list[asyncio.Task[None]] = []
        try:
            for _ in range(MAX_BATCHES_PER_TICK):
                # Each batch claims at its own time: rows that fell due meanwhile are due, and a claim's
                # timestamp is when it was really made, which recovery's window is measured from.
                batch, complete = await self._claim_batch(self._clock.now(), tally)
                waiting.update(claim.ident for claim in batch)
                if batch and not workers:
                    # A lone small batch needs no more workers than claims; a long tick gets them all.
                    count = min(self._max_concurrency, len(batch)) if complete else self._max_concurrency
                    workers = [
                        asyncio.create_task(
                            self._deliver_from(queue, waiting, tally), name=f"schedule-delivery-{n}"
                        )
                        for n in range(count)
                    ]
                for claim in batch:
                    await queue.put(claim)
                if complete:
                    break
            await queue.join()
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            # Claims never handed to a handler (the tick was cancelled) stay 'claimed' in the database;
            # nothing here delivers them any more, so recovery and the stale-claim sweep may take them.
            self._in_flight.difference_update(waiting)

    async def _claim_batch(self, now: datetime, tally: TickReport) -> tuple[list[_Claim], bool]:
        """Claim up to ``batch_size`` due rows in one transaction; return the claims and if that was all."""
        batch_tally = TickReport()
        batch_claims: list[_Claim] = []
        started = time.perf_counter()
        try:
            async with self._db.transaction() as tx:
                rows = await schedules.fetch_due_rows(
                    tx, now, self._batch_size, shards=self._shards, guild_bound_kinds=self._guild_bound_kinds
                )
                for row in rows:
                    claim = await self._claim_row(tx, row, now, batch_tally)
                    if claim is not None:
                        batch_claims.append(claim)
        except Exception:
            # Earlier batches committed: still deliver them rather than strand their claims.
            log.exception("Claiming due schedules failed")
            tally.crashed = True
            return [], True
        if self.metrics is not None:
            self.metrics.claim_seconds.observe(time.perf_counter() - started)
        tally.add(batch_tally)
        self._in_flight.update(claim.ident for claim in batch_claims)
        return batch_claims, len(rows) < self._batch_size

    async def _deliver_from(
        self, queue: asyncio.Queue[_Claim], waiting: set[tuple[int, str]], tally: TickReport
    ) -> None:
        """Deliver claims from ``queue`` one at a time until cancelled."""
        while True:
            claim = await queue.get()
            waiting.discard(claim.ident)
            try:
                await self._deliver(claim, tally)
            finally:
                queue.task_done()

    async def _claim_row(self, tx: Transaction, row: Row, now: datetime, tally: TickReport) -> _Claim | None:
        """Claim one due row, or skip, pause or drop it; return the claim to deliver, if any."""
        schedule_id = int(row["id"])
        seen = from_unix(int(row["next_run_at"]))
        try:
            schedule = schedules.schedule_from_row(row)
            plan = _plan(schedule, now)
        except Exception:
            # One corrupt row must not block every other schedule behind it.
            log.exception("Schedule %s cannot be read or computed; pausing it", schedule_id)
            if await schedules.pause_if_unchanged(
                tx, schedule_id, seen_next_run_at=seen, reason=INVALID_SCHEDULE_REASON
            ):
                tally.paused += 1
            return None
        if schedule.kind not in self._handlers:
            log.error("No handler registered for kind %r; pausing schedule %s", schedule.kind, schedule_id)
            if await schedules.pause_if_unchanged(
                tx, schedule_id, seen_next_run_at=seen, reason=NO_HANDLER_REASON
            ):
                tally.paused += 1
            return None
        if plan.advance_to is None:
            return await self._claim_one_shot(tx, schedule, plan, now, tally)
        return await self._claim_recurring(tx, schedule, plan, plan.advance_to, now, tally)

    async def _claim_recurring(
        self,
        tx: Transaction,
        schedule: Schedule,
        plan: _Plan,
        advance_to: datetime,
        now: datetime,
        tally: TickReport,
    ) -> _Claim | None:
        """Advance a recurring row past now and claim (or skip) its latest due occurrence."""
        if not await schedules.advance_if_unchanged(
            tx,
            schedule.id,
            seen_next_run_at=schedule.next_run_at,
            next_run_at=advance_to,
            pending_due_at=None,
            attempts=0,
        ):
            return None
        if plan.due_at > schedule.due_at:
            log.info(
                "Schedule %s missed occurrences since %s; only the latest (%s) is considered",
                schedule.id,
                schedule.due_at.isoformat(),
                plan.key,
            )
        late_by = now - plan.due_at
        if late_by > self._grace:
            await schedules.insert_occurrence(
                tx, schedule.id, plan.key, due_at=plan.due_at, status=OccurrenceStatus.SKIPPED, now=now
            )
            log.info(
                "Skipped occurrence %s of schedule %s: %s late, beyond the %s grace",
                plan.key,
                schedule.id,
                late_by,
                self._grace,
            )
            tally.skipped += 1
            return None
        attempt = schedule.attempts + 1 if schedule.pending_due_at == plan.due_at else 1
        if not await schedules.insert_occurrence(
            tx,
            schedule.id,
            plan.key,
            due_at=plan.due_at,
            status=OccurrenceStatus.CLAIMED,
            now=now,
            attempts=attempt,
            claimed_by=self.claimant,
        ):
            log.info(
                "Occurrence %s of schedule %s was already handled; not dispatching", plan.key, schedule.id
            )
            tally.duplicates += 1
            return None
        tally.claimed += 1
        return _Claim(
            occurrence=self._occurrence(schedule, plan, now, attempt), claimed_next_run_at=advance_to
        )

    async def _claim_one_shot(
        self, tx: Transaction, schedule: Schedule, plan: _Plan, now: datetime, tally: TickReport
    ) -> _Claim | None:
        """Claim a one-shot under a lease, or drop it if its occurrence is done or too late."""
        existing = await schedules.fetch_occurrence_in(tx, schedule.id, plan.key)
        if existing is not None:
            tally.duplicates += 1
            if existing.status is OccurrenceStatus.CLAIMED:
                # Still in flight or awaiting recovery: look again when a fresh lease ends.
                await schedules.advance_if_unchanged(
                    tx,
                    schedule.id,
                    seen_next_run_at=schedule.next_run_at,
                    next_run_at=now + ONE_SHOT_LEASE,
                    pending_due_at=plan.due_at,
                    attempts=schedule.attempts,
                )
                return None
            if await schedules.delete_if_unchanged(tx, schedule.id, seen_next_run_at=schedule.next_run_at):
                log.info(
                    "One-shot schedule %s already has a %s occurrence %s; removed it",
                    schedule.id,
                    existing.status.value,
                    plan.key,
                )
            return None
        late_by = now - plan.due_at
        if late_by > self._grace:
            if await schedules.delete_if_unchanged(tx, schedule.id, seen_next_run_at=schedule.next_run_at):
                log.info(
                    "Skipped one-shot schedule %s: %s late, beyond the %s grace; removed it",
                    schedule.id,
                    late_by,
                    self._grace,
                )
                tally.skipped += 1
            return None
        lease_until = now + ONE_SHOT_LEASE
        if not await schedules.advance_if_unchanged(
            tx,
            schedule.id,
            seen_next_run_at=schedule.next_run_at,
            next_run_at=lease_until,
            pending_due_at=plan.due_at,
            attempts=schedule.attempts,
        ):
            return None
        attempt = schedule.attempts + 1
        await schedules.insert_occurrence(
            tx,
            schedule.id,
            plan.key,
            due_at=plan.due_at,
            status=OccurrenceStatus.CLAIMED,
            now=now,
            attempts=attempt,
            claimed_by=self.claimant,
        )
        tally.claimed += 1
        return _Claim(
            occurrence=self._occurrence(schedule, plan, now, attempt), claimed_next_run_at=lease_until
        )

    @staticmethod
    def _occurrence(schedule: Schedule, plan: _Plan, now: datetime, attempt: int) -> Occurrence:
        """Build the occurrence handed to the handler."""
        return Occurrence(
            schedule=schedule,
            key=plan.key,
            local_date=plan.local_date,
            due_at=plan.due_at,
            late_by=now - plan.due_at,
            recovered=False,
            attempt=attempt,
        )

    # --- delivery ---------------------------------------------------------------------------------

    async def _deliver_all(self, claims: Iterable[_Claim], tally: TickReport) -> None:
        """Run the handlers of ``claims`` concurrently, at most ``max_concurrency`` at a time."""
        pending = list(claims)
        if not pending:
            return
        gate = asyncio.Semaphore(self._max_concurrency)

        async def deliver_gated(claim: _Claim) -> None:
            """Deliver one claim once a concurrency slot is free."""
            async with gate:
                await self._deliver(claim, tally)

        await asyncio.gather(*(deliver_gated(claim) for claim in pending))

    async def _deliver(self, claim: _Claim, tally: TickReport) -> None:
        """Call the handler for one claim and record the outcome; never raises ``Exception``."""
        occurrence = claim.occurrence
        schedule = occurrence.schedule
        self._in_flight.add(claim.ident)
        try:
            try:
                handler = self._handlers[schedule.kind]
                with scheduled_sending():
                    await handler(occurrence)
            except PermanentDeliveryError as exc:
                await self._after_permanent_failure(claim, exc.reason, tally)
            except Exception as exc:
                rate_limited = rate_limit_retry_after(exc)
                if rate_limited is not None:
                    # A 429 is a pace signal: the occurrence keeps its place and goes again in seconds.
                    log.info(
                        "Occurrence %s of schedule %s met a 429; retrying soon", occurrence.key, schedule.id
                    )
                    await self._after_transient_failure(
                        claim,
                        timedelta(seconds=retry_delay(max(rate_limited, 1.0))),
                        tally,
                        rate_limited=True,
                    )
                elif isinstance(exc, TransientDeliveryError):
                    log.warning(
                        "Delivery of occurrence %s of schedule %s failed (%s)",
                        occurrence.key,
                        schedule.id,
                        exc.reason,
                    )
                    await self._after_transient_failure(claim, exc.retry_after, tally)
                else:
                    log.exception(
                        "Handler for kind %r raised delivering occurrence %s of schedule %s",
                        schedule.kind,
                        occurrence.key,
                        schedule.id,
                    )
                    await self._after_transient_failure(claim, None, tally)
            else:
                await self._after_success(claim, tally)
        except Exception:
            # The claim stays 'claimed', so the stale-claim sweep will mark it uncertain.
            log.exception(
                "Could not record the outcome of occurrence %s of schedule %s", occurrence.key, schedule.id
            )
        finally:
            self._in_flight.discard(claim.ident)

    async def _after_success(self, claim: _Claim, tally: TickReport) -> None:
        """Mark the occurrence 'sent' and delete a delivered one-shot."""
        occurrence = claim.occurrence
        schedule = occurrence.schedule
        now = self._clock.now()
        async with self._db.transaction() as tx:
            recorded = await schedules.finish_occurrence_in(
                tx, schedule.id, occurrence.key, OccurrenceStatus.SENT, now
            )
            if schedule.is_one_shot:
                await schedules.delete_if_unchanged(
                    tx, schedule.id, seen_next_run_at=claim.claimed_next_run_at
                )
        if not recorded:
            log.warning(
                "Occurrence %s of schedule %s was delivered but its claim was gone",
                occurrence.key,
                schedule.id,
            )
        log.info(
            "Delivered occurrence %s of schedule %s (kind %s, late by %s%s)",
            occurrence.key,
            schedule.id,
            schedule.kind,
            occurrence.late_by,
            ", recovered" if occurrence.recovered else "",
        )
        tally.sent += 1
        self._count(schedule.kind, "sent")
        if self.metrics is not None:
            self.metrics.lateness.labels(schedule.kind).observe(
                max((now - occurrence.due_at).total_seconds(), 0)
            )

    async def _after_permanent_failure(self, claim: _Claim, reason: str, tally: TickReport) -> None:
        """Mark the occurrence 'failed' and pause its schedule with ``reason``."""
        occurrence = claim.occurrence
        schedule_id = occurrence.schedule.id
        now = self._clock.now()
        async with self._db.transaction() as tx:
            await schedules.finish_occurrence_in(
                tx, schedule_id, occurrence.key, OccurrenceStatus.FAILED, now
            )
            paused = await schedules.pause_in(tx, schedule_id, reason)
        log.warning(
            "Delivery of occurrence %s of schedule %s failed permanently (%s); schedule paused",
            occurrence.key,
            schedule_id,
            reason,
        )
        tally.failed += 1
        tally.paused += int(paused)
        self._count(claim.occurrence.schedule.kind, "paused")

    async def _after_transient_failure(
        self, claim: _Claim, retry_after: timedelta | None, tally: TickReport, *, rate_limited: bool = False
    ) -> None:
        """Release the occurrence for a retry after a backoff, or mark it 'failed' past the grace window.

        ``rate_limited``: the attempt met a 429; it is retried after ``retry_after`` alone and does not
        count as an attempt, so no backoff grows from it.
        """
        occurrence = claim.occurrence
        schedule = occurrence.schedule
        now = self._clock.now()
        delay = self._backoff(occurrence.attempt)
        if rate_limited and retry_after is not None:
            delay = retry_after
        elif retry_after is not None:
            delay = max(delay, retry_after)
        attempts = occurrence.attempt - 1 if rate_limited else occurrence.attempt
        retry_at = now + delay
        if retry_at - occurrence.due_at > self._grace:
            async with self._db.transaction() as tx:
                await schedules.finish_occurrence_in(
                    tx, schedule.id, occurrence.key, OccurrenceStatus.FAILED, now
                )
                if schedule.is_one_shot:
                    await schedules.delete_if_unchanged(
                        tx, schedule.id, seen_next_run_at=claim.claimed_next_run_at
                    )
            log.warning(
                "Giving up on occurrence %s of schedule %s after %d attempt(s): a retry would miss the grace",
                occurrence.key,
                schedule.id,
                occurrence.attempt,
            )
            tally.failed += 1
            self._count(schedule.kind, "failed")
            return
        if not schedule.is_one_shot:
            # Never push the row past its next regular occurrence, which supersedes this one.
            retry_at = min(retry_at, claim.claimed_next_run_at)
        async with self._db.transaction() as tx:
            rescheduled = await schedules.advance_if_unchanged(
                tx,
                schedule.id,
                seen_next_run_at=claim.claimed_next_run_at,
                next_run_at=retry_at,
                pending_due_at=occurrence.due_at,
                attempts=attempts,
            )
            if rescheduled:
                await schedules.release_occurrence_in(tx, schedule.id, occurrence.key)
            else:
                await schedules.finish_occurrence_in(
                    tx, schedule.id, occurrence.key, OccurrenceStatus.FAILED, now
                )
        if rescheduled:
            log.info(
                "Will retry occurrence %s of schedule %s at %s (attempt %d failed)",
                occurrence.key,
                schedule.id,
                retry_at.isoformat(),
                occurrence.attempt,
            )
            tally.retrying += 1
            self._count(schedule.kind, "rate_limited" if rate_limited else "retrying")
        else:
            log.warning(
                "Schedule %s changed while occurrence %s was in flight; not retrying it",
                schedule.id,
                occurrence.key,
            )
            tally.failed += 1
            self._count(schedule.kind, "failed")

    def _count(self, kind: str, outcome: str) -> None:
        """Count one delivery outcome in the metrics, if there are any."""
        if self.metrics is not None:
            self.metrics.deliveries.labels(kind, outcome).inc()

    def _backoff(self, attempt: int) -> timedelta:
        """Return the wait before retrying after failed attempt number ``attempt``."""
        doublings = min(max(attempt - 1, 0), _MAX_BACKOFF_DOUBLINGS)
        return min(self._retry_backoff * (1 << doublings), MAX_RETRY_BACKOFF)

    # --- housekeeping -----------------------------------------------------------------------------

    async def _prune_if_due(self, now: datetime) -> None:
        """Delete old finished occurrences, at most once per ``PRUNE_INTERVAL``."""
        if self._last_prune is not None and now - self._last_prune < PRUNE_INTERVAL:
            return
        self._last_prune = now
        pruned = await schedules.prune_occurrences(self._db, now - OCCURRENCE_RETENTION)
        if pruned:
            log.info("Pruned %d old schedule occurrences", pruned)
