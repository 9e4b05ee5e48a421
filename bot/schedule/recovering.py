"""Recovering: resolving claims whose outcome was never recorded (the process died mid-delivery).

At start-up, a claim of this process's younger than ``recovery_window`` is re-dispatched with
``recovered=True`` (handlers send with the key as the nonce and ``enforce_nonce``, which Discord
deduplicates for a few minutes); older ones become 'uncertain'. On every tick, any claim older than
``stale_claim_after`` that this process is not delivering becomes 'uncertain'. Uncertain
occurrences are never resent: a missed post is better than a double one.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from bot.db.database import Transaction
from bot.db.repos import schedule_claims
from bot.db.repos.schedule_rows import OccurrenceRecord, OccurrenceStatus, Schedule, occurrence_local_date
from bot.schedule.context import EngineContext
from bot.schedule.occurrences import Claim, Occurrence, TickReport

log = logging.getLogger(__name__)


class Recoverer:
    """Finds and resolves one engine's interrupted and stale claims."""

    def __init__(self, context: EngineContext) -> None:
        self._ctx = context

    async def interrupted_claims(self, now: datetime, tally: TickReport) -> list[Claim]:
        """Return the recent interrupted claims of this process to re-dispatch; mark the rest uncertain."""
        # Only this process's own claims: another process's may still be in flight.
        mine = await schedule_claims.fetch_claimed(self._ctx.db, claimed_by=self._ctx.routes.claimant)
        records = [r for r in mine if self._is_abandoned(r)]
        claims: list[Claim] = []
        if records:
            async with self._ctx.db.transaction() as tx:
                for record in records:
                    claim = await self._recover_one(tx, record, now, tally)
                    if claim is not None:
                        claims.append(claim)
        return claims

    async def expire_stale_claims(self, now: datetime, tally: TickReport) -> None:
        """Mark claims older than ``stale_claim_after`` that nobody here is delivering as 'uncertain'."""
        cutoff = now - self._ctx.settings.stale_claim_after
        claimed = await schedule_claims.fetch_claimed(self._ctx.db, claimed_before=cutoff)
        stale = [r for r in claimed if self._is_abandoned(r)]
        if not stale:
            return
        async with self._ctx.db.transaction() as tx:
            for record in stale:
                await self._mark_uncertain(
                    tx, record, now, tally, "has been claimed without an outcome since"
                )

    def _is_abandoned(self, record: OccurrenceRecord) -> bool:
        """Return whether a 'claimed' occurrence is not being delivered by this engine."""
        return (record.schedule_id, record.key) not in self._ctx.in_flight

    async def _recover_one(
        self, tx: Transaction, record: OccurrenceRecord, now: datetime, tally: TickReport
    ) -> Claim | None:
        """Turn one interrupted claim into a re-dispatch, or mark it 'uncertain'."""
        schedule: Schedule | None
        local_date: date | None = None
        try:
            schedule = await schedule_claims.fetch_schedule_in(tx, record.schedule_id)
            if schedule is not None:
                local_date = occurrence_local_date(schedule, record.due_at)
        except (ValueError, LookupError):
            # A row that cannot be read cannot be re-dispatched; it still must not stay 'claimed'.
            log.exception("Schedule %s cannot be read during recovery", record.schedule_id)
            schedule = None
        recent = now - record.claimed_at <= self._ctx.settings.recovery_window
        if schedule is None or local_date is None or schedule.paused or not recent:
            await self._mark_uncertain(tx, record, now, tally, "was interrupted mid-delivery at")
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
        return Claim(occurrence=occurrence, claimed_next_run_at=schedule.next_run_at)

    @staticmethod
    async def _mark_uncertain(
        tx: Transaction, record: OccurrenceRecord, now: datetime, tally: TickReport, what_happened: str
    ) -> None:
        """Record that a claim's outcome is unknown, so that it is never resent."""
        if await schedule_claims.finish_occurrence_in(
            tx, record.schedule_id, record.key, OccurrenceStatus.UNCERTAIN, now
        ):
            log.warning(
                "Occurrence %s of schedule %s %s %s; marked uncertain, not resending",
                record.key,
                record.schedule_id,
                what_happened,
                record.claimed_at.isoformat(),
            )
            tally.uncertain += 1
