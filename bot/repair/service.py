"""The repair flow's rules and storage: a request and its one-shot schedules change together.

The cog parses Discord input, sends the DMs and renders what these return;
every user action that writes several rows (a request and its "remind me" or
follow-up schedule) writes them in one transaction. Nothing here talks to
Discord, and nothing here logs or raises what someone wrote.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.crypto import DataCipher
from bot.db.database import Database, Transaction
from bot.db.repos import blocks, repairs, schedules
from bot.db.repos.repairs import RepairAnswer as RepairAnswer
from bot.db.repos.repairs import RepairRequest as RepairRequest
from bot.db.repos.repairs import RepairStatus as RepairStatus
from bot.db.repos.repairs import SendStart as SendStart
from bot.repair.limits import DRAFT_LIFETIME, MAX_REQUESTS_PER_DAY, next_request_at, window_start
from bot.repair.statement import Statement
from bot.schedule.kinds import OwnerKey, RepairPayload, ScheduleKind

log = logging.getLogger(__name__)

PAUSE_KIND = ScheduleKind.REPAIR_PAUSE
FOLLOW_UP_KIND = ScheduleKind.REPAIR_FOLLOW_UP


def pause_owner_key(request_id: int) -> OwnerKey:
    """Return the owner key of a request's "remind me" one-shot."""
    return OwnerKey.record(PAUSE_KIND, request_id)


def follow_up_owner_key(request_id: int) -> OwnerKey:
    """Return the owner key of a request's follow-up one-shot."""
    return OwnerKey.record(FOLLOW_UP_KIND, request_id)


class DraftProblem(StrEnum):
    """Why a draft cannot be worked on."""

    EXPIRED = "expired"
    NOT_YOURS = "not_yours"
    NOT_A_DRAFT = "not_a_draft"


@dataclass(frozen=True)
class Capped:
    """The per-day cap for this person is reached; another request may go at ``retry_at``."""

    retry_at: datetime


# --- reading --------------------------------------------------------------------------------------


async def get(db: Database, request_id: int) -> RepairRequest | None:
    """Return one request, or None."""
    return await repairs.get(db, request_id)


def open_statement(request: RepairRequest, cipher: DataCipher) -> Statement | None:
    """Return a draft's statement as its initiator wrote it, or None if there is none (any more)."""
    return repairs.open_statement(request, cipher)


async def own_draft(
    db: Database, request_id: int, user_id: int, now: datetime
) -> RepairRequest | DraftProblem:
    """Return the initiator's request if it is still a live draft, else why not."""
    request = await repairs.get(db, request_id)
    if request is None:
        return DraftProblem.EXPIRED
    if request.initiator_id != user_id:
        return DraftProblem.NOT_YOURS
    if request.status is not RepairStatus.DRAFT:
        return DraftProblem.NOT_A_DRAFT
    if now - request.created_at > DRAFT_LIFETIME:
        return DraftProblem.EXPIRED
    return request


async def retry_at(
    db: Database | Transaction, initiator_id: int, recipient_id: int, now: datetime
) -> datetime:
    """Return when the initiator may next send this person a request (``now`` if they may now)."""
    attempts = await repairs.attempts_since(db, initiator_id, recipient_id, window_start(now))
    return next_request_at(attempts, now) or now


async def latest_pending(db: Database, initiator_id: int, recipient_id: int | None) -> RepairRequest | None:
    """Return the initiator's newest draft or unanswered request (to ``recipient_id`` if given)."""
    return await repairs.latest_pending(db, initiator_id, recipient_id)


async def is_blocked(db: Database, blocker_id: int, blocked_id: int) -> bool:
    """Return whether ``blocker_id`` stopped messages from ``blocked_id``."""
    return await blocks.is_blocked(db, blocker_id, blocked_id)


# --- the initiator's actions ------------------------------------------------------------------------


async def start(
    db: Database, *, initiator_id: int, recipient_id: int, guild_id: int | None, now: datetime
) -> RepairRequest | Capped:
    """Start a draft (replacing an earlier one to the same person), unless the day's cap is reached."""
    async with db.transaction() as tx:
        attempts = await repairs.attempts_since(tx, initiator_id, recipient_id, window_start(now))
        later = next_request_at(attempts, now)
        if later is not None:
            return Capped(later)
        request = await repairs.create_draft(
            tx,
            initiator_id=initiator_id,
            recipient_id=recipient_id,
            guild_id=guild_id,
            now=now,
            stale_before=now - DRAFT_LIFETIME,
        )
    log.info("Repair draft %s started", request.id)
    return request


async def save_statement(
    db: Database, cipher: DataCipher, request: RepairRequest, statement: Statement
) -> bool:
    """Keep the draft's statement (sealed); False if it stopped being a draft meanwhile."""
    return await repairs.save_statement(db, cipher, request.id, request.initiator_id, statement)


async def pause(db: Database, request: RepairRequest, minutes: int, now: datetime) -> datetime:
    """Schedule the "remind me" DM (replacing an earlier one) and return when it comes."""
    run_at = now + timedelta(minutes=minutes)
    await schedules.create_one_shot(
        db,
        kind=PAUSE_KIND,
        owner_key=pause_owner_key(request.id),
        run_at=run_at,
        now=now,
        guild_id=request.guild_id,
        user_id=request.initiator_id,
        payload=RepairPayload(request.id).encode(),
    )
    log.info("Repair request %s paused for %s minutes", request.id, minutes)
    return run_at


async def begin_send(db: Database, request: RepairRequest, now: datetime) -> SendStart | Capped:
    """Claim the draft for sending; at the cap its "remind me" goes and the answer says when to retry."""
    async with db.transaction() as tx:
        started = await repairs.begin_send(
            tx, request.id, request.initiator_id, now, since=window_start(now), limit=MAX_REQUESTS_PER_DAY
        )
        if started is not SendStart.CAPPED:
            return started
        await schedules.delete_by_owner_key(tx, pause_owner_key(request.id))
        return Capped(await retry_at(tx, request.initiator_id, request.recipient_id, now))


async def mark_sent(
    db: Database, request_id: int, *, channel_id: int, message_id: int, now: datetime
) -> None:
    """Record delivery (the statement is cleared) and drop the "remind me" one-shot."""
    async with db.transaction() as tx:
        await repairs.mark_sent(tx, request_id, channel_id=channel_id, message_id=message_id, now=now)
        await schedules.delete_by_owner_key(tx, pause_owner_key(request_id))
    log.info("Repair request %s delivered", request_id)


async def mark_undelivered(db: Database, request_id: int) -> None:
    """Record that the DM cannot reach the recipient (the statement is cleared); drop the "remind me"."""
    async with db.transaction() as tx:
        await repairs.mark_undelivered(tx, request_id)
        await schedules.delete_by_owner_key(tx, pause_owner_key(request_id))
    log.info("Repair request %s not delivered", request_id)


async def revert_send(db: Database, request_id: int) -> None:
    """Put a request whose DM failed for a passing reason back to draft; the attempt does not count."""
    await repairs.revert_send(db, request_id)
    log.warning("Repair request %s: Discord refused the DM for now; back to draft", request_id)


async def discard(db: Database, request: RepairRequest) -> None:
    """Throw a draft and its "remind me" away."""
    async with db.transaction() as tx:
        await repairs.withdraw(tx, request.id, request.initiator_id)
        await schedules.delete_by_owner_key(tx, pause_owner_key(request.id))
    log.info("Repair draft %s discarded", request.id)


async def withdraw(db: Database, request_id: int, initiator_id: int) -> RepairRequest | None:
    """Withdraw a draft or an unanswered request with its one-shots; return it as it was, or None."""
    async with db.transaction() as tx:
        before = await repairs.withdraw(tx, request_id, initiator_id)
        if before is None:
            return None
        await schedules.delete_by_owner_key(tx, pause_owner_key(request_id))
        await schedules.delete_by_owner_key(tx, follow_up_owner_key(request_id))
    kind = "draft" if before.status is RepairStatus.DRAFT else "request"
    log.info("Repair %s %s withdrawn", kind, request_id)
    return before


# --- the recipient's actions ------------------------------------------------------------------------


async def answer(
    db: Database,
    request: RepairRequest,
    recipient_id: int,
    reply: RepairAnswer,
    *,
    now: datetime,
    follow_up_after: timedelta,
) -> RepairRequest | None:
    """Record the recipient's answer and schedule the follow-up for both; None if it isn't theirs now."""
    async with db.transaction() as tx:
        answered = await repairs.record_answer(tx, request.id, recipient_id, reply, now)
        if answered is None:
            return None
        await schedules.create_one_shot(
            tx,
            kind=FOLLOW_UP_KIND,
            owner_key=follow_up_owner_key(request.id),
            run_at=now + follow_up_after,
            now=now,
            guild_id=request.guild_id,
            user_id=request.initiator_id,
            payload=RepairPayload(request.id).encode(),
        )
    log.info("Repair request %s answered (%s)", request.id, reply.value)
    return answered


async def block(db: Database, blocker_id: int, blocked_id: int, now: datetime) -> None:
    """Stop messages from ``blocked_id`` to ``blocker_id``."""
    await blocks.block(db, blocker_id, blocked_id, now)
    log.info("User %s stopped messages from someone", blocker_id)


async def unblock(db: Database, blocker_id: int, blocked_id: int) -> None:
    """Lift a block."""
    await blocks.unblock(db, blocker_id, blocked_id)
    log.info("User %s lifted a block", blocker_id)
