"""The repair service against a real database: a request and its one-shots change together or not at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.crypto import DataCipher
from bot.db.database import Database, IntegrityError, Transaction
from bot.db.repos import repairs, schedules
from bot.db.repos.repairs import RepairAnswer, RepairRequest, RepairStatus, SendStart
from bot.repair import service
from bot.repair.limits import MAX_REQUESTS_PER_DAY
from bot.repair.statement import Statement

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
ALICE, BOB = 101, 202
GUILD = 9
PLAIN = DataCipher(None)
STATEMENT = Statement(feel="hurt", when="plans change", because="I care", need="a heads-up", will_do="ask")
FOLLOW_UP = timedelta(hours=24)


async def failing_write(tx: Database | Transaction, *args: Any, **kwargs: Any) -> None:
    """Stand in for a schedule write that the database refuses (a NOT NULL column left empty)."""
    await tx.execute("INSERT INTO schedules (kind) VALUES (NULL)")


async def written_draft(db: Database, recipient: int = BOB) -> RepairRequest:
    """Return a draft from Alice with a statement, and its "remind me" one-shot."""
    request = await service.start(db, initiator_id=ALICE, recipient_id=recipient, guild_id=GUILD, now=NOW)
    assert isinstance(request, RepairRequest)
    assert await service.save_statement(db, PLAIN, request, STATEMENT)
    await service.pause(db, request, 20, NOW)
    return request


async def sent_request(db: Database) -> RepairRequest:
    """Return a request from Alice to Bob that reached Bob."""
    request = await written_draft(db)
    assert await service.begin_send(db, request, NOW) is SendStart.STARTED
    await service.mark_sent(db, request.id, channel_id=5, message_id=6, now=NOW)
    return request


async def pause_of(db: Database, request: RepairRequest) -> object:
    return await schedules.get_by_owner_key(db, service.pause_owner_key(request.id))


async def test_a_failed_follow_up_write_leaves_the_request_unanswered(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The follow-up insert fails after the answer was written: the answer is gone with it."""
    request = await sent_request(db)
    monkeypatch.setattr(schedules, "create_one_shot", failing_write)
    with pytest.raises(IntegrityError):
        await service.answer(db, request, BOB, RepairAnswer.READY, now=NOW, follow_up_after=FOLLOW_UP)
    stored = await repairs.get(db, request.id)
    assert stored is not None and stored.status is RepairStatus.SENT and stored.answer is None
    monkeypatch.undo()
    answered = await service.answer(db, request, BOB, RepairAnswer.READY, now=NOW, follow_up_after=FOLLOW_UP)
    assert answered is not None and answered.answer is RepairAnswer.READY
    follow_up = await schedules.get_by_owner_key(db, service.follow_up_owner_key(request.id))
    assert follow_up is not None and follow_up.due_at == NOW + FOLLOW_UP


async def test_only_the_recipient_answers_and_nothing_is_scheduled_otherwise(db: Database) -> None:
    """Someone else's answer records nothing and schedules no follow-up."""
    request = await sent_request(db)
    assert (
        await service.answer(db, request, ALICE, RepairAnswer.TIME, now=NOW, follow_up_after=FOLLOW_UP)
        is None
    )
    assert await schedules.get_by_owner_key(db, service.follow_up_owner_key(request.id)) is None


async def test_withdrawing_takes_the_one_shots_along_or_changes_nothing(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing schedule delete leaves the request pending; a working one withdraws it and its one-shots."""
    request = await sent_request(db)
    await service.answer(db, request, BOB, RepairAnswer.TIME, now=NOW, follow_up_after=FOLLOW_UP)
    later = await written_draft(db)
    monkeypatch.setattr(schedules, "delete_by_owner_key", failing_write)
    with pytest.raises(IntegrityError):
        await service.withdraw(db, later.id, ALICE)
    kept = await repairs.get(db, later.id)
    assert kept is not None and kept.status is RepairStatus.DRAFT
    monkeypatch.undo()
    before = await service.withdraw(db, later.id, ALICE)
    assert before is not None and before.status is RepairStatus.DRAFT
    assert await repairs.get(db, later.id) is None and await pause_of(db, later) is None
    assert await service.withdraw(db, later.id, ALICE) is None


async def test_sending_ends_the_pause_with_the_delivery(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Delivered or not, the "remind me" goes in the same transaction; a passing failure keeps it."""
    request = await written_draft(db)
    assert await service.begin_send(db, request, NOW) is SendStart.STARTED
    monkeypatch.setattr(schedules, "delete_by_owner_key", failing_write)
    with pytest.raises(IntegrityError):
        await service.mark_sent(db, request.id, channel_id=5, message_id=6, now=NOW)
    stored = await repairs.get(db, request.id)
    assert stored is not None and stored.status is RepairStatus.SENDING and stored.sent_at is None
    monkeypatch.undo()
    await service.revert_send(db, request.id)
    assert await pause_of(db, request) is not None
    assert await service.begin_send(db, request, NOW) is SendStart.STARTED
    await service.mark_undelivered(db, request.id)
    stored = await repairs.get(db, request.id)
    assert stored is not None and stored.status is RepairStatus.UNDELIVERED and stored.statement is None
    assert await pause_of(db, request) is None


async def test_the_cap_refuses_a_start_and_a_send_with_when_to_retry(db: Database) -> None:
    """At the day's cap a new draft is refused and a send drops its pause, both saying when to retry."""
    for hour in range(MAX_REQUESTS_PER_DAY):
        request = await written_draft(db)
        assert await service.begin_send(db, request, NOW + timedelta(minutes=hour)) is SendStart.STARTED
        await service.mark_undelivered(db, request.id)
    later = NOW + timedelta(hours=1)
    refused = await service.start(db, initiator_id=ALICE, recipient_id=BOB, guild_id=GUILD, now=later)
    assert refused == service.Capped(NOW + timedelta(days=1))
    assert await service.retry_at(db, ALICE, BOB, later) == NOW + timedelta(days=1)
    assert await service.retry_at(db, ALICE, 303, later) == later


async def test_discard_and_drafts_that_are_not_yours(db: Database) -> None:
    """Only the initiator's live draft is theirs; discarding removes it and its pause together."""
    request = await written_draft(db)
    assert await service.own_draft(db, request.id, BOB, NOW) is service.DraftProblem.NOT_YOURS
    expired = await service.own_draft(db, request.id, ALICE, NOW + timedelta(days=2))
    assert expired is service.DraftProblem.EXPIRED
    own = await service.own_draft(db, request.id, ALICE, NOW)
    assert isinstance(own, RepairRequest) and service.open_statement(own, PLAIN) == STATEMENT
    await service.discard(db, own)
    assert await service.own_draft(db, request.id, ALICE, NOW) is service.DraftProblem.EXPIRED
    assert await pause_of(db, request) is None
