"""Delivering: running the handlers of committed claims and recording each outcome.

No transaction is held across a handler. Success marks the occurrence 'sent'. A 429 is a pace
signal: the occurrence is released and due again after ``retry_after`` plus jitter, with no attempt
counted. :class:`PermanentDeliveryError` marks it 'failed' and pauses the schedule.
:class:`TransientDeliveryError` or any other exception releases it for a retry after an exponential
backoff, keeping the original due time; once a retry would fall outside the grace window the
occurrence is 'failed'.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import timedelta

from bot.db.repos import schedule_claims
from bot.db.repos.schedule_rows import OccurrenceStatus
from bot.pacing import scheduled_sending
from bot.ratelimits import retry_delay
from bot.schedule.context import EngineContext
from bot.schedule.errors import PermanentDeliveryError, TransientDeliveryError, rate_limit_retry_after
from bot.schedule.occurrences import Claim, TickReport

log = logging.getLogger(__name__)

MAX_RETRY_BACKOFF = timedelta(minutes=30)
# 2**16 minutes is far beyond the cap already; bounding the exponent avoids timedelta overflow.
_MAX_BACKOFF_DOUBLINGS = 16


class Deliverer:
    """Delivers claims for one engine, at most ``max_concurrency`` at a time per call."""

    def __init__(self, context: EngineContext) -> None:
        self._ctx = context

    async def deliver_all(self, claims: Iterable[Claim], tally: TickReport) -> None:
        """Run the handlers of ``claims`` concurrently, at most ``max_concurrency`` at a time."""
        pending = list(claims)
        if not pending:
            return
        gate = asyncio.Semaphore(self._ctx.settings.max_concurrency)

        async def deliver_gated(claim: Claim) -> None:
            """Deliver one claim once a concurrency slot is free."""
            async with gate:
                await self.deliver(claim, tally)

        await asyncio.gather(*(deliver_gated(claim) for claim in pending))

    async def deliver(self, claim: Claim, tally: TickReport) -> None:
        """Call the handler for one claim and record the outcome; never raises ``Exception``."""
        occurrence = claim.occurrence
        schedule = occurrence.schedule
        self._ctx.in_flight.add(claim.ident)
        try:
            try:
                handler = self._ctx.routes.handler_for(schedule.kind)
                if handler is None:
                    # Unregistered since the claim (its cog unloaded): retried like any failure.
                    raise LookupError(f"no handler for schedule kind {schedule.kind!r}")
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
            self._ctx.in_flight.discard(claim.ident)

    async def _after_success(self, claim: Claim, tally: TickReport) -> None:
        """Mark the occurrence 'sent' and delete a delivered one-shot."""
        occurrence = claim.occurrence
        schedule = occurrence.schedule
        now = self._ctx.clock.now()
        async with self._ctx.db.transaction() as tx:
            recorded = await schedule_claims.finish_occurrence_in(
                tx, schedule.id, occurrence.key, OccurrenceStatus.SENT, now
            )
            if schedule.is_one_shot:
                await schedule_claims.delete_if_unchanged(
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
        self._ctx.count(schedule.kind, "sent")
        if self._ctx.metrics is not None:
            self._ctx.metrics.lateness.labels(schedule.kind).observe(
                max((now - occurrence.due_at).total_seconds(), 0)
            )

    async def _after_permanent_failure(self, claim: Claim, reason: str, tally: TickReport) -> None:
        """Mark the occurrence 'failed' and pause its schedule with ``reason``."""
        occurrence = claim.occurrence
        schedule_id = occurrence.schedule.id
        now = self._ctx.clock.now()
        async with self._ctx.db.transaction() as tx:
            await schedule_claims.finish_occurrence_in(
                tx, schedule_id, occurrence.key, OccurrenceStatus.FAILED, now
            )
            paused = await schedule_claims.pause_in(tx, schedule_id, reason)
        log.warning(
            "Delivery of occurrence %s of schedule %s failed permanently (%s); schedule paused",
            occurrence.key,
            schedule_id,
            reason,
        )
        tally.failed += 1
        tally.paused += int(paused)
        self._ctx.count(claim.occurrence.schedule.kind, "paused")

    async def _after_transient_failure(
        self, claim: Claim, retry_after: timedelta | None, tally: TickReport, *, rate_limited: bool = False
    ) -> None:
        """Release the occurrence for a retry after a backoff, or mark it 'failed' past the grace window.

        ``rate_limited``: the attempt met a 429; it is retried after ``retry_after`` alone and does not
        count as an attempt, so no backoff grows from it.
        """
        occurrence = claim.occurrence
        schedule = occurrence.schedule
        now = self._ctx.clock.now()
        delay = self._backoff(occurrence.attempt)
        if rate_limited and retry_after is not None:
            delay = retry_after
        elif retry_after is not None:
            delay = max(delay, retry_after)
        attempts = occurrence.attempt - 1 if rate_limited else occurrence.attempt
        retry_at = now + delay
        if retry_at - occurrence.due_at > self._ctx.settings.grace:
            async with self._ctx.db.transaction() as tx:
                await schedule_claims.finish_occurrence_in(
                    tx, schedule.id, occurrence.key, OccurrenceStatus.FAILED, now
                )
                if schedule.is_one_shot:
                    await schedule_claims.delete_if_unchanged(
                        tx, schedule.id, seen_next_run_at=claim.claimed_next_run_at
                    )
            log.warning(
                "Giving up on occurrence %s of schedule %s after %d attempt(s): a retry would miss the grace",
                occurrence.key,
                schedule.id,
                occurrence.attempt,
            )
            tally.failed += 1
            self._ctx.count(schedule.kind, "failed")
            return
        if not schedule.is_one_shot:
            # Never push the row past its next regular occurrence, which supersedes this one.
            retry_at = min(retry_at, claim.claimed_next_run_at)
        async with self._ctx.db.transaction() as tx:
            rescheduled = await schedule_claims.advance_if_unchanged(
                tx,
                schedule.id,
                seen_next_run_at=claim.claimed_next_run_at,
                next_run_at=retry_at,
                pending_due_at=occurrence.due_at,
                attempts=attempts,
            )
            if rescheduled:
                await schedule_claims.release_occurrence_in(tx, schedule.id, occurrence.key)
            else:
                await schedule_claims.finish_occurrence_in(
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
            self._ctx.count(schedule.kind, "rate_limited" if rate_limited else "retrying")
        else:
            log.warning(
                "Schedule %s changed while occurrence %s was in flight; not retrying it",
                schedule.id,
                occurrence.key,
            )
            tally.failed += 1
            self._ctx.count(schedule.kind, "failed")

    def _backoff(self, attempt: int) -> timedelta:
        """Return the wait before retrying after failed attempt number ``attempt``."""
        doublings = min(max(attempt - 1, 0), _MAX_BACKOFF_DOUBLINGS)
        return min(self._ctx.settings.retry_backoff * (1 << doublings), MAX_RETRY_BACKOFF)
