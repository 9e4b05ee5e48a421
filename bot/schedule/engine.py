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
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.db.database import Database
from bot.db.repos import schedules
from bot.metrics import Metrics
from bot.schedule.claiming import NO_HANDLER_REASON, Claimer
from bot.schedule.context import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_RECOVERY_WINDOW,
    DEFAULT_RETRY_BACKOFF,
    DEFAULT_STALE_CLAIM_AFTER,
    EngineContext,
    EngineSettings,
)
from bot.schedule.delivering import Deliverer
from bot.schedule.occurrences import Claim, Handler, Occurrence, TickReport
from bot.schedule.recovering import Recoverer
from bot.schedule.routes import ScheduleRoutes
from bot.schedule.shards import ShardScope

# What features and tests import from here; each is defined where its stage lives.
__all__ = ["NO_HANDLER_REASON", "Handler", "Occurrence", "ScheduleEngine", "TickReport"]

log = logging.getLogger(__name__)

TICK_JOB_ID = "schedule-engine-tick"
TICK_ALIGNMENT = datetime(2000, 1, 1, tzinfo=UTC)

# A tick stops claiming after this many batches; the rest is claimed by the next tick.
MAX_BATCHES_PER_TICK = 200
OCCURRENCE_RETENTION = timedelta(days=35)
PRUNE_INTERVAL = timedelta(hours=1)
STOP_TIMEOUT_SECONDS = 30.0


class ScheduleEngine:
    """Claims due schedules from the database and hands them to per-kind handlers.

    See the module docstring for the claim, delivery and recovery rules; each stage lives in its
    own module (:mod:`~bot.schedule.claiming`, :mod:`~bot.schedule.delivering`,
    :mod:`~bot.schedule.recovering`), and this class runs them in order.
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
        routes: ScheduleRoutes | None = None,
    ) -> None:
        # In EngineSettings' field order; it checks the values.
        settings = EngineSettings(
            grace,
            tick_seconds,
            batch_size,
            max_concurrency,
            retry_backoff,
            recovery_window,
            stale_claim_after,
        )
        if routes is None:
            routes = ScheduleRoutes(shards)
        elif routes.claimant != ScheduleRoutes(shards).claimant:
            raise ValueError("the routes were made for other shards than the engine's")
        self._settings = settings
        self._ctx = EngineContext(db, clock, routes, settings, shards, metrics)
        self.routes = routes
        self.metrics = metrics
        self.claimant = routes.claimant
        self._claimer = Claimer(self._ctx)
        self._deliverer = Deliverer(self._ctx)
        self._recoverer = Recoverer(self._ctx)
        self._scheduler: AsyncIOScheduler | None = None
        self._tick_tasks: set[asyncio.Task[Any]] = set()
        self._last_prune: datetime | None = None

    # --- handlers ---------------------------------------------------------------------------------

    def register(self, kind: str, handler: Handler, *, guild_bound: bool = False) -> None:
        """Route occurrences of schedules of ``kind`` to ``handler`` (see :meth:`ScheduleRoutes.register`)."""
        self.routes.register(kind, handler, guild_bound=guild_bound)

    def unregister(self, kind: str) -> None:
        """Stop routing ``kind``; its due rows get paused as 'no handler'."""
        self.routes.unregister(kind)

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
            seconds=self._settings.tick_seconds,
            start_date=TICK_ALIGNMENT,
            id=TICK_JOB_ID,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC),
        )
        scheduler.start()
        self._scheduler = scheduler
        log.info(
            "Schedule engine started: tick every %s s, grace %s",
            self._settings.tick_seconds,
            self._settings.grace,
        )

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
            now = self._ctx.clock.now()
            await self._recoverer.expire_stale_claims(now, report)
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
            claims = await self._recoverer.interrupted_claims(self._ctx.clock.now(), tally)
            self._ctx.in_flight.update(claim.ident for claim in claims)
            await self._deliverer.deliver_all(claims, tally)
        except Exception:
            log.exception("Schedule recovery failed")
            tally.crashed = True
        return tally

    async def _claim_and_deliver(self, tally: TickReport) -> None:
        """Claim every due row, one short transaction per batch, delivering each batch as it is claimed."""
        # The next batch is claimed once all but half a batch of this one went to the handlers: claims
        # stay at most 1.5 batches ahead of delivery, the handlers still have work while the next claim
        # holds the database, and the first handlers don't wait behind a second claim at the start.
        queue: asyncio.Queue[Claim] = asyncio.Queue(maxsize=max(self._settings.batch_size // 2, 1))
        # Claims made but not yet handed to a handler (queued, or still to be queued).
        waiting: set[tuple[int, str]] = set()
        workers: list[asyncio.Task[None]] = []
        try:
            for _ in range(MAX_BATCHES_PER_TICK):
                # Each batch claims at its own time: rows that fell due meanwhile are due, and a claim's
                # timestamp is when it was really made, which recovery's window is measured from.
                batch, complete = await self._claim_batch(self._ctx.clock.now(), tally)
                waiting.update(claim.ident for claim in batch)
                if batch and not workers:
                    # A lone small batch needs no more workers than claims; a long tick gets them all.
                    count = (
                        min(self._settings.max_concurrency, len(batch))
                        if complete
                        else self._settings.max_concurrency
                    )
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
            self._ctx.in_flight.difference_update(waiting)

    async def _claim_batch(self, now: datetime, tally: TickReport) -> tuple[list[Claim], bool]:
        """Claim up to ``batch_size`` due rows in one transaction; return the claims and if that was all."""
        claims, complete = await self._claimer.claim_batch(now, tally)
        self._ctx.in_flight.update(claim.ident for claim in claims)
        return claims, complete

    async def _deliver_from(
        self, queue: asyncio.Queue[Claim], waiting: set[tuple[int, str]], tally: TickReport
    ) -> None:
        """Deliver claims from ``queue`` one at a time until cancelled."""
        while True:
            claim = await queue.get()
            waiting.discard(claim.ident)
            try:
                await self._deliverer.deliver(claim, tally)
            finally:
                queue.task_done()

    # --- housekeeping -----------------------------------------------------------------------------

    async def _prune_if_due(self, now: datetime) -> None:
        """Delete old finished occurrences, at most once per ``PRUNE_INTERVAL``."""
        if self._last_prune is not None and now - self._last_prune < PRUNE_INTERVAL:
            return
        self._last_prune = now
        pruned = await schedules.prune_occurrences(self._ctx.db, now - OCCURRENCE_RETENTION)
        if pruned:
            log.info("Pruned %d old schedule occurrences", pruned)
