"""Claiming: turning due rows into claims, one short transaction per batch.

For each due row a claim moves ``next_run_at`` with a compare-and-set (``WHERE next_run_at =
<seen>``) and records the occurrence as 'claimed', so overlapping ticks or a second process claim a
row once. Missed occurrences collapse to the latest one that is due; beyond the grace window it is
recorded as 'skipped'. A recurring row advances to its first occurrence after now; a one-shot is
parked under :data:`ONE_SHOT_LEASE` while in flight. A row whose kind has no handler, or that
cannot be read, is paused.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.db.database import Row, Transaction
from bot.db.repos import schedule_claims
from bot.db.repos.schedule_rows import (
    OccurrenceStatus,
    Schedule,
    occurrence_key,
    occurrence_local_date,
    schedule_from_row,
)
from bot.db.timestamps import from_unix
from bot.schedule.context import EngineContext
from bot.schedule.occurrences import Claim, Occurrence, TickReport
from bot.schedule.recurrence import local_date_of, next_occurrence, previous_occurrence

log = logging.getLogger(__name__)

NO_HANDLER_REASON = "no handler"
INVALID_SCHEDULE_REASON = "invalid schedule"
# Longer than the stale-claim age, so a crashed one-shot's claim is resolved before its lease ends.
ONE_SHOT_LEASE = timedelta(minutes=15)


@dataclass(frozen=True)
class Plan:
    """The occurrence a due row stands for, computed without I/O."""

    due_at: datetime
    key: str
    local_date: date
    # Recurring only: the first fire time after now.
    advance_to: datetime | None


def plan_for(schedule: Schedule, now: datetime) -> Plan:
    """Work out which occurrence a due row delivers: only the most recent one that is due."""
    rule = schedule.recurrence
    if rule is None:
        due = schedule.due_at
        return Plan(
            due_at=due,
            key=occurrence_key(schedule, due),
            local_date=occurrence_local_date(schedule, due),
            advance_to=None,
        )
    due = max(schedule.due_at, previous_occurrence(rule, now))
    return Plan(
        due_at=due,
        key=occurrence_key(schedule, due),
        local_date=local_date_of(rule, due),
        advance_to=next_occurrence(rule, now),
    )


class Claimer:
    """Claims due rows for one engine: which ones, and what each claim leaves in the database."""

    def __init__(self, context: EngineContext) -> None:
        self._ctx = context

    async def claim_batch(self, now: datetime, tally: TickReport) -> tuple[list[Claim], bool]:
        """Claim up to ``batch_size`` due rows in one transaction; return the claims and if that was all."""
        batch_tally = TickReport()
        batch_claims: list[Claim] = []
        started = time.perf_counter()
        try:
            async with self._ctx.db.transaction() as tx:
                rows = await schedule_claims.fetch_due_rows(
                    tx,
                    now,
                    self._ctx.settings.batch_size,
                    shards=self._ctx.shards,
                    guild_bound_kinds=self._ctx.routes.guild_bound_kinds,
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
        if self._ctx.metrics is not None:
            self._ctx.metrics.claim_seconds.observe(time.perf_counter() - started)
        tally.add(batch_tally)
        return batch_claims, len(rows) < self._ctx.settings.batch_size

    async def _claim_row(self, tx: Transaction, row: Row, now: datetime, tally: TickReport) -> Claim | None:
        """Claim one due row, or skip, pause or drop it; return the claim to deliver, if any."""
        schedule_id = int(row["id"])
        seen = from_unix(int(row["next_run_at"]))
        try:
            schedule = schedule_from_row(row)
            plan = plan_for(schedule, now)
        except Exception:
            # One corrupt row must not block every other schedule behind it.
            log.exception("Schedule %s cannot be read or computed; pausing it", schedule_id)
            if await schedule_claims.pause_if_unchanged(
                tx, schedule_id, seen_next_run_at=seen, reason=INVALID_SCHEDULE_REASON
            ):
                tally.paused += 1
            return None
        if self._ctx.routes.handler_for(schedule.kind) is None:
            log.error("No handler registered for kind %r; pausing schedule %s", schedule.kind, schedule_id)
            if await schedule_claims.pause_if_unchanged(
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
        plan: Plan,
        advance_to: datetime,
        now: datetime,
        tally: TickReport,
    ) -> Claim | None:
        """Advance a recurring row past now and claim (or skip) its latest due occurrence."""
        if not await schedule_claims.advance_if_unchanged(
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
        if late_by > self._ctx.settings.grace:
            await schedule_claims.insert_occurrence(
                tx, schedule.id, plan.key, due_at=plan.due_at, status=OccurrenceStatus.SKIPPED, now=now
            )
            log.info(
                "Skipped occurrence %s of schedule %s: %s late, beyond the %s grace",
                plan.key,
                schedule.id,
                late_by,
                self._ctx.settings.grace,
            )
            tally.skipped += 1
            return None
        attempt = schedule.attempts + 1 if schedule.pending_due_at == plan.due_at else 1
        if not await self._insert_claim(tx, schedule, plan, now, attempt):
            log.info(
                "Occurrence %s of schedule %s was already handled; not dispatching", plan.key, schedule.id
            )
            tally.duplicates += 1
            return None
        return self._claimed(schedule, plan, now, attempt, advance_to, tally)

    async def _claim_one_shot(
        self, tx: Transaction, schedule: Schedule, plan: Plan, now: datetime, tally: TickReport
    ) -> Claim | None:
        """Claim a one-shot under a lease, or drop it if its occurrence is done or too late."""
        existing = await schedule_claims.fetch_occurrence_in(tx, schedule.id, plan.key)
        if existing is not None:
            tally.duplicates += 1
            if existing.status is OccurrenceStatus.CLAIMED:
                # Still in flight or awaiting recovery: look again when a fresh lease ends.
                await schedule_claims.advance_if_unchanged(
                    tx,
                    schedule.id,
                    seen_next_run_at=schedule.next_run_at,
                    next_run_at=now + ONE_SHOT_LEASE,
                    pending_due_at=plan.due_at,
                    attempts=schedule.attempts,
                )
                return None
            if await schedule_claims.delete_if_unchanged(
                tx, schedule.id, seen_next_run_at=schedule.next_run_at
            ):
                log.info(
                    "One-shot schedule %s already has a %s occurrence %s; removed it",
                    schedule.id,
                    existing.status.value,
                    plan.key,
                )
            return None
        late_by = now - plan.due_at
        if late_by > self._ctx.settings.grace:
            if await schedule_claims.delete_if_unchanged(
                tx, schedule.id, seen_next_run_at=schedule.next_run_at
            ):
                log.info(
                    "Skipped one-shot schedule %s: %s late, beyond the %s grace; removed it",
                    schedule.id,
                    late_by,
                    self._ctx.settings.grace,
                )
                tally.skipped += 1
            return None
        lease_until = now + ONE_SHOT_LEASE
        if not await schedule_claims.advance_if_unchanged(
            tx,
            schedule.id,
            seen_next_run_at=schedule.next_run_at,
            next_run_at=lease_until,
            pending_due_at=plan.due_at,
            attempts=schedule.attempts,
        ):
            return None
        attempt = schedule.attempts + 1
        await self._insert_claim(tx, schedule, plan, now, attempt)
        return self._claimed(schedule, plan, now, attempt, lease_until, tally)

    async def _insert_claim(
        self, tx: Transaction, schedule: Schedule, plan: Plan, now: datetime, attempt: int
    ) -> bool:
        """Record the occurrence as claimed by this process; return False if its key already exists."""
        return await schedule_claims.insert_occurrence(
            tx,
            schedule.id,
            plan.key,
            due_at=plan.due_at,
            status=OccurrenceStatus.CLAIMED,
            now=now,
            attempts=attempt,
            claimed_by=self._ctx.routes.claimant,
        )

    @staticmethod
    def _claimed(
        schedule: Schedule, plan: Plan, now: datetime, attempt: int, witness: datetime, tally: TickReport
    ) -> Claim:
        """Count a claim and build what the handler is given; ``witness`` is the row's new next_run_at."""
        tally.claimed += 1
        occurrence = Occurrence(
            schedule=schedule,
            key=plan.key,
            local_date=plan.local_date,
            due_at=plan.due_at,
            late_by=now - plan.due_at,
            recovered=False,
            attempt=attempt,
        )
        return Claim(occurrence=occurrence, claimed_next_run_at=witness)
