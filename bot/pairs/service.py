"""Pairs: forming one by invitation and Join, its daily time, pausing, leaving.

Each change is one transaction. Joins and leaves lock the pair's row first, so fifty people
pressing Join at once still make at most six members, and a pair whose last partner leaves ends once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from bot.db.database import Database, Transaction
from bot.db.repos import pairs, schedules, users
from bot.db.repos.pairs import Pair as Pair
from bot.db.repos.pairs import PairDay as PairDay
from bot.db.repos.pairs import PairStatus as PairStatus
from bot.db.repos.schedules import Schedule
from bot.schedule.kinds import OwnerKey, ScheduleKind
from bot.schedule.recurrence import Recurrence

log = logging.getLogger(__name__)

KIND = ScheduleKind.PAIR_PROMPT
MAX_MEMBERS = 6
MAX_PAIRS_PER_PERSON = 10
INVITE_LIFETIME = timedelta(days=7)
DEFAULT_TIME = time(20, 0)
DEFAULT_TIMEZONE = "UTC"
# Why a pair's schedule row is paused: no prompt before a second person joins, or a member paused it.
WAITING_REASON = "waiting for a partner"
PAUSED_REASON = "paused by a member"


def owner_key(pair_id: int) -> OwnerKey:
    """Return the owner key of a pair's daily prompt schedule."""
    return OwnerKey.record(KIND, pair_id)


@dataclass(frozen=True)
class PairState:
    """A pair with its daily schedule (None once it has ended)."""

    pair: Pair
    schedule: Schedule | None

    @property
    def rule(self) -> Recurrence:
        """Return the pair's daily time and timezone."""
        if self.schedule is None or self.schedule.recurrence is None:
            return Recurrence(timezone=DEFAULT_TIMEZONE, local_time=DEFAULT_TIME)
        return self.schedule.recurrence

    @property
    def paused(self) -> bool:
        """Return whether a member paused the pair's prompts."""
        return self.schedule is not None and self.schedule.paused_reason == PAUSED_REASON


async def state_of(db: Database | Transaction, pair: Pair) -> PairState:
    """Return a pair with its schedule."""
    return PairState(pair, await schedules.get_by_owner_key(db, owner_key(pair.id)))


async def default_timezone(db: Database, user_id: int) -> str:
    """Return the timezone a person gave Hearth before (for check-ins or reminders), else UTC."""
    record = await users.get(db, user_id)
    return record.timezone if record is not None and record.timezone else DEFAULT_TIMEZONE


# --- inviting and joining ---------------------------------------------------------------------


class InviteRefusal(StrEnum):
    """Why /pair invite made no invitation."""

    ALREADY_HERE = "already_here"
    TOO_MANY = "too_many"


async def invite(
    db: Database, *, channel_id: int, user_id: int, display_name: str, rule: Recurrence, now: datetime
) -> PairState | InviteRefusal:
    """Create an invited pair in ``channel_id``, its schedule paused until a second person joins.

    The author's earlier invitations in the same conversation that nobody joined are withdrawn.
    """
    mine = await pairs.for_user(db, user_id)
    if any(p.channel_id == channel_id and p.status is PairStatus.ACTIVE for p in mine):
        return InviteRefusal.ALREADY_HERE
    replaced = [p for p in mine if p.channel_id == channel_id and p.status is PairStatus.INVITED]
    if len(mine) - len(replaced) >= MAX_PAIRS_PER_PERSON:
        return InviteRefusal.TOO_MANY
    async with db.transaction() as tx:
        for old in replaced:
            await _end(tx, old.id, now)
        pair = await pairs.create(
            tx, channel_id=channel_id, created_by=user_id, display_name=display_name, now=now
        )
        schedule = await schedules.upsert_recurring(
            tx, kind=KIND, owner_key=owner_key(pair.id), rule=rule, now=now
        )
        await schedules.pause(tx, schedule.id, WAITING_REASON)
        schedule = await schedules.get_by_id(tx, schedule.id) or schedule
    log.info("Pair %s invited", pair.id)
    return PairState(pair, schedule)


class JoinResult(StrEnum):
    """What pressing Join did."""

    JOINED = "joined"
    OWN_INVITE = "own_invite"
    ALREADY = "already"
    FULL = "full"
    EXPIRED = "expired"
    ENDED = "ended"


@dataclass(frozen=True)
class JoinOutcome:
    """The result of a Join, with the pair as it is afterwards (None if it no longer exists)."""

    result: JoinResult
    state: PairState | None


async def join(db: Database, pair_id: int, user_id: int, display_name: str, now: datetime) -> JoinOutcome:
    """Add someone to a pair, refusing kindly; the second member makes it active and starts its prompts."""
    async with db.transaction() as tx:
        pair = await pairs.lock(tx, pair_id)
        if pair is None or pair.status is PairStatus.ENDED:
            return JoinOutcome(JoinResult.ENDED, None)
        if pair.has(user_id):
            mine = pair.status is PairStatus.INVITED and pair.created_by == user_id
            return JoinOutcome(
                JoinResult.OWN_INVITE if mine else JoinResult.ALREADY, await state_of(tx, pair)
            )
        if now - pair.created_at > INVITE_LIFETIME:
            return JoinOutcome(JoinResult.EXPIRED, await state_of(tx, pair))
        if len(pair.members) >= MAX_MEMBERS:
            return JoinOutcome(JoinResult.FULL, await state_of(tx, pair))
        await pairs.add_member(tx, pair.id, user_id, display_name, now)
        if pair.status is PairStatus.INVITED:
            await pairs.set_status(tx, pair.id, PairStatus.ACTIVE)
            schedule = await schedules.get_by_owner_key(tx, owner_key(pair.id))
            if schedule is not None:
                await schedules.resume(tx, schedule.id, now)
        joined = await pairs.get(tx, pair.id)
        assert joined is not None  # noqa: S101 - the row is locked by this transaction
        state = await state_of(tx, joined)
    log.info("Pair %s has %s members", pair.id, len(joined.members))
    return JoinOutcome(JoinResult.JOINED, state)


# --- time, pause, leave ------------------------------------------------------------------------


async def set_time(db: Database, pair: Pair, rule: Recurrence, now: datetime) -> PairState:
    """Move the pair's daily prompt (a paused or waiting pair stays so)."""
    async with db.transaction() as tx:
        await schedules.upsert_recurring(tx, kind=KIND, owner_key=owner_key(pair.id), rule=rule, now=now)
        return await state_of(tx, pair)


async def pause(db: Database, pair: Pair) -> bool:
    """Pause an active pair's prompts for everyone; False when they already were."""
    async with db.transaction() as tx:
        schedule = await schedules.get_by_owner_key(tx, owner_key(pair.id))
        if schedule is None or schedule.paused:
            return False
        await schedules.pause(tx, schedule.id, PAUSED_REASON)
        return True


async def resume(db: Database, pair: Pair, now: datetime) -> PairState:
    """Start a paused pair's prompts again, from the next occurrence."""
    async with db.transaction() as tx:
        schedule = await schedules.get_by_owner_key(tx, owner_key(pair.id))
        if schedule is not None and schedule.paused_reason == PAUSED_REASON:
            await schedules.resume(tx, schedule.id, now)
        return await state_of(tx, pair)


class LeaveResult(StrEnum):
    """What leaving did."""

    LEFT = "left"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class LeaveOutcome:
    """The result of leaving, with who was left in an ended pair (to tell them)."""

    result: LeaveResult
    left_behind: tuple[int, ...]


async def leave(db: Database, pair_id: int, user_id: int, now: datetime) -> LeaveOutcome | None:
    """Take someone out of a pair; the pair ends once fewer than two are left. None if not a member.

    The leaver's unrevealed answers are deleted; an ended pair's are all deleted.
    """
    async with db.transaction() as tx:
        pair = await pairs.lock(tx, pair_id)
        if pair is None or pair.status is PairStatus.ENDED or not pair.has(user_id):
            return None
        await pairs.delete_unrevealed_answers(tx, pair.id, user_id)
        await pairs.remove_member(tx, pair.id, user_id)
        others = tuple(m for m in pair.member_ids if m != user_id)
        if len(others) >= 2:
            result = LeaveOutcome(LeaveResult.LEFT, ())
        else:
            invited = pair.status is PairStatus.INVITED
            await _end(tx, pair.id, now)
            result = LeaveOutcome(LeaveResult.WITHDRAWN if invited else LeaveResult.ENDED, others)
    log.info("A member left pair %s (%s)", pair_id, result.result.value)
    return result


async def _end(tx: Transaction, pair_id: int, now: datetime) -> None:
    """End a pair: no more prompts, and nothing unrevealed is kept."""
    await pairs.delete_unrevealed_answers(tx, pair_id)
    await schedules.delete_by_owner_key(tx, owner_key(pair_id))
    await pairs.set_status(tx, pair_id, PairStatus.ENDED, now)


# --- finding the pair a command means ----------------------------------------------------------


class Pick(StrEnum):
    """Why no pair could be picked for a command."""

    NONE = "none"
    CHOOSE = "choose"
    NOT_MEMBER = "not_member"


async def pick(db: Database, user_id: int, *, chosen: int | None, channel_id: int | None) -> Pair | Pick:
    """Return the pair a command means: the one chosen, the one of this conversation, or the only one."""
    mine = await pairs.for_user(db, user_id)
    if chosen is not None:
        return next((p for p in mine if p.id == chosen), Pick.NOT_MEMBER)
    here = [p for p in mine if p.channel_id == channel_id]
    if len(here) == 1:
        return here[0]
    if len(mine) == 1:
        return mine[0]
    return Pick.NONE if not mine else Pick.CHOOSE


async def get_pair(db: Database, pair_id: int) -> Pair | None:
    """Return a pair, or None."""
    return await pairs.get(db, pair_id)


async def pairs_of(db: Database, user_id: int) -> list[Pair]:
    """Return the pairs someone is in (for autocomplete and the DM notice)."""
    return await pairs.for_user(db, user_id)
