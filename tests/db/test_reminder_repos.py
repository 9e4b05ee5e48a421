"""Reminders, nudges, repair requests and blocks against a real SQLite file."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import blocks, reminders, repairs
from bot.db.repos.repairs import RepairAnswer, RepairStatus, SendStart
from bot.repair.statement import Statement

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
ALICE, BOB, CARA = 101, 202, 303
GUILD = 9
# Without a key statements are stored as written; tests/repair/test_privacy.py covers sealing.
PLAIN = DataCipher(None)
STATEMENT = Statement(feel="hurt", when="plans change", because="I care", need="a heads-up", will_do="ask")


async def new_reminder(
    db: Database, user: int = ALICE, target: int = BOB, cap: int = 25
) -> reminders.Reminder | None:
    return await reminders.create(
        db, user_id=user, guild_id=GUILD, target_id=target, target_name="Bob", now=NOW, cap=cap
    )


async def test_reminders_are_created_up_to_the_cap(db: Database) -> None:
    """A person gets reminders until the cap; others are unaffected."""
    for _ in range(3):
        assert await new_reminder(db, cap=3) is not None
    assert await new_reminder(db, cap=3) is None
    assert await new_reminder(db, user=CARA, cap=3) is not None
    assert [r.user_id for r in await reminders.for_user(db, ALICE)] == [ALICE] * 3


async def test_reminders_cap_holds_under_concurrent_creates(db: Database) -> None:
    """Ten simultaneous creates with room for five store exactly five."""
    results = await asyncio.gather(*(new_reminder(db, cap=5) for _ in range(10)))
    assert sum(r is not None for r in results) == 5
    assert len(await reminders.for_user(db, ALICE)) == 5


async def test_reminders_only_the_owner_can_read_or_delete(db: Database) -> None:
    """Someone else's reminder id is as good as missing; deleting takes its nudges along."""
    reminder = await new_reminder(db)
    assert reminder is not None
    await reminders.record_nudge(db, reminder.id, "s1-2026-11-27", "leave-a-note", NOW)
    assert await reminders.get_own(db, reminder.id, CARA) is None
    assert await reminders.delete_own(db, reminder.id, CARA) is False
    assert await reminders.get_own(db, reminder.id, ALICE) == reminder
    assert await reminders.delete_own(db, reminder.id, ALICE) is True
    assert await reminders.get(db, reminder.id) is None
    assert await reminders.idea_history(db, reminder.id) == []


async def test_nudges_are_one_per_occurrence_and_remember_their_idea(db: Database) -> None:
    """Recording an occurrence twice returns the first nudge; history is in order; done is once."""
    reminder = await new_reminder(db)
    assert reminder is not None
    first = await reminders.record_nudge(db, reminder.id, "s1-2026-11-27", "leave-a-note", NOW)
    again = await reminders.record_nudge(db, reminder.id, "s1-2026-11-27", "other-idea", NOW)
    assert again == first
    await reminders.record_nudge(db, reminder.id, "s1-2026-11-28", "walk-together", NOW + timedelta(days=1))
    assert await reminders.idea_history(db, reminder.id) == ["leave-a-note", "walk-together"]
    assert await reminders.snooze_nudge(db, first.id, NOW + timedelta(hours=1))
    nudge = await reminders.get_nudge(db, first.id)
    assert nudge is not None and nudge.snoozed_until == NOW + timedelta(hours=1)
    assert await reminders.mark_done(db, first.id, NOW) is True
    assert await reminders.mark_done(db, first.id, NOW) is False
    done = await reminders.get_nudge(db, first.id)
    assert done is not None and done.done_at == NOW and done.snoozed_until is None


async def draft(
    db: Database, initiator: int = ALICE, recipient: int = BOB, now: datetime = NOW
) -> repairs.RepairRequest:
    request = await repairs.create_draft(
        db,
        initiator_id=initiator,
        recipient_id=recipient,
        guild_id=GUILD,
        now=now,
        stale_before=now - timedelta(days=1),
    )
    assert await repairs.save_statement(db, PLAIN, request.id, initiator, STATEMENT)
    return request


async def test_repair_draft_replaces_the_previous_draft_to_the_same_person(db: Database) -> None:
    """A new draft to the same person replaces the old one; stale drafts of anyone are dropped."""
    old = await draft(db, initiator=CARA, recipient=ALICE, now=NOW - timedelta(days=2))
    first = await draft(db)
    second = await draft(db)
    assert await repairs.get(db, first.id) is None
    assert await repairs.get(db, old.id) is None
    stored = await repairs.get(db, second.id)
    assert stored is not None and stored.statement == STATEMENT and stored.status is RepairStatus.DRAFT


async def test_repair_statement_is_saved_only_by_its_initiator_while_a_draft(db: Database) -> None:
    """Only the initiator may write into their draft, and only before it is sent."""
    request = await draft(db)
    assert not await repairs.save_statement(db, PLAIN, request.id, BOB, STATEMENT)
    assert (
        await repairs.begin_send(db, request.id, ALICE, NOW, since=NOW - timedelta(days=1), limit=3)
        is SendStart.STARTED
    )
    assert not await repairs.save_statement(db, PLAIN, request.id, ALICE, STATEMENT)


async def test_repair_sending_clears_the_statement_and_counts_attempts(db: Database) -> None:
    """Sent and undelivered requests keep no statement; both count towards the cap; a failed try does not."""
    since = NOW - timedelta(days=1)
    sent = await draft(db)
    assert await repairs.begin_send(db, sent.id, ALICE, NOW, since=since, limit=3) is SendStart.STARTED
    assert await repairs.begin_send(db, sent.id, ALICE, NOW, since=since, limit=3) is SendStart.NOT_A_DRAFT
    await repairs.mark_sent(db, sent.id, channel_id=5, message_id=6, now=NOW)
    stored = await repairs.get(db, sent.id)
    assert stored is not None
    assert (stored.status, stored.statement, stored.dm_message_id) == (RepairStatus.SENT, None, 6)

    refused = await draft(db)
    await repairs.begin_send(db, refused.id, ALICE, NOW, since=since, limit=3)
    await repairs.mark_undelivered(db, refused.id)
    stored = await repairs.get(db, refused.id)
    assert stored is not None and (stored.status, stored.statement) == (RepairStatus.UNDELIVERED, None)

    flaky = await draft(db)
    await repairs.begin_send(db, flaky.id, ALICE, NOW, since=since, limit=3)
    await repairs.revert_send(db, flaky.id)
    stored = await repairs.get(db, flaky.id)
    assert stored is not None and stored.status is RepairStatus.DRAFT and stored.statement == STATEMENT
    assert len(await repairs.attempts_since(db, ALICE, BOB, since)) == 2

    third = await repairs.begin_send(db, flaky.id, ALICE, NOW, since=since, limit=3)
    assert third is SendStart.STARTED
    capped = await draft(db)
    assert await repairs.begin_send(db, capped.id, ALICE, NOW, since=since, limit=3) is SendStart.CAPPED
    assert await repairs.attempts_since(db, ALICE, CARA, since) == []


async def test_repair_answer_only_by_the_recipient_and_changeable(db: Database) -> None:
    """The recipient answers (and may change the answer); nobody else can; a draft cannot be answered."""
    request = await draft(db)
    assert await repairs.record_answer(db, request.id, BOB, RepairAnswer.READY, NOW) is None
    await repairs.begin_send(db, request.id, ALICE, NOW, since=NOW - timedelta(days=1), limit=3)
    await repairs.mark_sent(db, request.id, channel_id=5, message_id=6, now=NOW)
    assert await repairs.record_answer(db, request.id, ALICE, RepairAnswer.READY, NOW) is None
    answered = await repairs.record_answer(db, request.id, BOB, RepairAnswer.TIME, NOW)
    assert answered is not None and answered.answer is RepairAnswer.TIME
    changed = await repairs.record_answer(db, request.id, BOB, RepairAnswer.READY, NOW + timedelta(hours=1))
    assert changed is not None and changed.answer is RepairAnswer.READY
    assert changed.answered_at == NOW + timedelta(hours=1)


async def test_repair_withdraw_discards_drafts_and_takes_back_sent_requests(db: Database) -> None:
    """A draft is deleted; a sent request becomes withdrawn; answered ones and others' are untouched."""
    first = await draft(db)
    assert await repairs.latest_pending(db, ALICE) == await repairs.get(db, first.id)
    before = await repairs.withdraw(db, first.id, ALICE)
    assert before is not None and before.status is RepairStatus.DRAFT
    assert await repairs.get(db, first.id) is None

    sent = await draft(db)
    await repairs.begin_send(db, sent.id, ALICE, NOW, since=NOW - timedelta(days=1), limit=3)
    await repairs.mark_sent(db, sent.id, channel_id=5, message_id=6, now=NOW)
    assert await repairs.withdraw(db, sent.id, BOB) is None
    other = await draft(db, recipient=CARA)
    assert await repairs.latest_pending(db, ALICE, BOB) is not None
    assert (await repairs.latest_pending(db, ALICE)) == await repairs.get(db, other.id)
    taken = await repairs.withdraw(db, sent.id, ALICE)
    assert taken is not None and taken.status is RepairStatus.SENT and taken.dm_message_id == 6
    stored = await repairs.get(db, sent.id)
    assert stored is not None and stored.status is RepairStatus.WITHDRAWN
    assert await repairs.latest_pending(db, ALICE, BOB) is None


async def test_blocks_are_one_way_and_reversible(db: Database) -> None:
    """Blocking is per direction, idempotent, listed for export, and can be lifted."""
    assert await blocks.block(db, BOB, ALICE, NOW) is True
    assert await blocks.block(db, BOB, ALICE, NOW) is False
    assert await blocks.is_blocked(db, BOB, ALICE)
    assert not await blocks.is_blocked(db, ALICE, BOB)
    assert await blocks.blocked_by(db, BOB) == [ALICE]
    assert await blocks.unblock(db, BOB, ALICE) is True
    assert await blocks.unblock(db, BOB, ALICE) is False
    assert not await blocks.is_blocked(db, BOB, ALICE)
    with pytest.raises(ValueError, match="themselves"):
        await blocks.block(db, BOB, BOB, NOW)
