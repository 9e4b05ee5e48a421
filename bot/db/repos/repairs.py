"""Guided repair requests (``repair_requests``): a private draft, then one DM to the other person.

A request moves draft -> sending -> sent -> answered, or ends undelivered
(DMs closed or a block, which look the same to the initiator) or withdrawn.
The statement's parts are private text: they are kept only while the
request is a draft (or being sent) and cleared once it leaves that state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.crypto import DataCipher
from bot.db.database import Database, Row, Transaction, atomic
from bot.db.timestamps import from_unix, to_unix
from bot.privacy.registry import SealedColumn
from bot.repair.statement import Statement

# The statement's parts, sealed with the bot's data cipher (each bound to its column and row) while kept.
FEEL = SealedColumn("repair_requests", "feel", ("id",))
WHEN = SealedColumn("repair_requests", "when_text", ("id",))
BECAUSE = SealedColumn("repair_requests", "because", ("id",))
NEED = SealedColumn("repair_requests", "need", ("id",))
WILL_DO = SealedColumn("repair_requests", "will_do", ("id",))
STATEMENT_COLUMNS = (FEEL, WHEN, BECAUSE, NEED, WILL_DO)


class RepairStatus(StrEnum):
    """Where a repair request stands."""

    DRAFT = "draft"
    SENDING = "sending"
    SENT = "sent"
    ANSWERED = "answered"
    UNDELIVERED = "undelivered"
    WITHDRAWN = "withdrawn"


class RepairAnswer(StrEnum):
    """How the other person would like to continue."""

    READY = "ready"
    TIME = "time"
    LATER = "later"


class SendStart(StrEnum):
    """The outcome of pressing Send."""

    STARTED = "started"
    CAPPED = "capped"
    NOT_A_DRAFT = "not_a_draft"


@dataclass(frozen=True)
class RepairRequest:
    """One repair request."""

    id: int
    initiator_id: int
    recipient_id: int
    guild_id: int | None
    status: RepairStatus
    # As stored: each part sealed when a data key is set. Read it with open_statement().
    statement: Statement | None
    answer: RepairAnswer | None
    created_at: datetime
    attempted_at: datetime | None
    sent_at: datetime | None
    answered_at: datetime | None
    dm_channel_id: int | None
    dm_message_id: int | None


def _optional_time(value: int | None) -> datetime | None:
    """Convert a nullable unix-seconds column."""
    return None if value is None else from_unix(int(value))


def _from_row(row: Row) -> RepairRequest:
    """Build a RepairRequest from a row."""
    statement = None
    if row["feel"] is not None:
        statement = Statement(
            feel=str(row["feel"]),
            when=str(row["when_text"] or ""),
            because=str(row["because"] or ""),
            need=str(row["need"] or ""),
            will_do=str(row["will_do"] or ""),
        )
    return RepairRequest(
        id=int(row["id"]),
        initiator_id=int(row["initiator_id"]),
        recipient_id=int(row["recipient_id"]),
        guild_id=None if row["guild_id"] is None else int(row["guild_id"]),
        status=RepairStatus(str(row["status"])),
        statement=statement,
        answer=None if row["answer"] is None else RepairAnswer(str(row["answer"])),
        created_at=from_unix(int(row["created_at"])),
        attempted_at=_optional_time(row["attempted_at"]),
        sent_at=_optional_time(row["sent_at"]),
        answered_at=_optional_time(row["answered_at"]),
        dm_channel_id=None if row["dm_channel_id"] is None else int(row["dm_channel_id"]),
        dm_message_id=None if row["dm_message_id"] is None else int(row["dm_message_id"]),
    )


async def create_draft(
    db: Database | Transaction,
    *,
    initiator_id: int,
    recipient_id: int,
    guild_id: int | None,
    now: datetime,
    stale_before: datetime,
) -> RepairRequest:
    """Start a draft, replacing the initiator's earlier draft to the same person and dropping stale ones."""
    async with atomic(db) as tx:
        await tx.execute(
            "DELETE FROM repair_requests WHERE status = ? AND (created_at < ?"
            " OR (initiator_id = ? AND recipient_id = ?))",
            (RepairStatus.DRAFT.value, to_unix(stale_before), initiator_id, recipient_id),
        )
        rows = await tx.fetch_all(
            "INSERT INTO repair_requests (initiator_id, recipient_id, guild_id, created_at)"
            " VALUES (?, ?, ?, ?) RETURNING *",
            (initiator_id, recipient_id, guild_id, to_unix(now)),
        )
    return _from_row(rows[0])


async def get(db: Database | Transaction, request_id: int) -> RepairRequest | None:
    """Return one request, or None."""
    row = await db.fetch_one("SELECT * FROM repair_requests WHERE id = ?", (request_id,))
    return None if row is None else _from_row(row)


def open_statement(request: RepairRequest, cipher: DataCipher) -> Statement | None:
    """Return the text of a request's statement (for its initiator only), or None once it was cleared."""
    stored = request.statement
    if stored is None:
        return None
    return Statement(
        feel=cipher.open(stored.feel, FEEL.context(request.id)),
        when=cipher.open(stored.when, WHEN.context(request.id)),
        because=cipher.open(stored.because, BECAUSE.context(request.id)),
        need=cipher.open(stored.need, NEED.context(request.id)),
        will_do=cipher.open(stored.will_do, WILL_DO.context(request.id)),
    )


async def save_statement(
    db: Database | Transaction, cipher: DataCipher, request_id: int, initiator_id: int, statement: Statement
) -> bool:
    """Store the draft's statement, sealed; return False unless it is still the initiator's draft."""
    changed = await db.execute(
        "UPDATE repair_requests SET feel = ?, when_text = ?, because = ?, need = ?, will_do = ?"
        " WHERE id = ? AND initiator_id = ? AND status = ?",
        (
            cipher.seal(statement.feel, FEEL.context(request_id)),
            cipher.seal(statement.when, WHEN.context(request_id)),
            cipher.seal(statement.because, BECAUSE.context(request_id)),
            cipher.seal(statement.need, NEED.context(request_id)),
            cipher.seal(statement.will_do, WILL_DO.context(request_id)),
            request_id,
            initiator_id,
            RepairStatus.DRAFT.value,
        ),
    )
    return changed == 1


async def _attempts_since(
    tx: Transaction, initiator_id: int, recipient_id: int, since: datetime
) -> list[datetime]:
    """Return when the initiator pressed Send for this person after ``since``."""
    rows = await tx.fetch_all(
        "SELECT attempted_at FROM repair_requests WHERE initiator_id = ? AND recipient_id = ?"
        " AND attempted_at > ? ORDER BY attempted_at",
        (initiator_id, recipient_id, to_unix(since)),
    )
    return [from_unix(int(row["attempted_at"])) for row in rows]


async def attempts_since(
    db: Database | Transaction, initiator_id: int, recipient_id: int, since: datetime
) -> list[datetime]:
    """Return when the initiator pressed Send for this person after ``since``, oldest first."""
    async with atomic(db) as tx:
        return await _attempts_since(tx, initiator_id, recipient_id, since)


async def begin_send(
    db: Database | Transaction,
    request_id: int,
    initiator_id: int,
    now: datetime,
    *,
    since: datetime,
    limit: int,
) -> SendStart:
    """Claim a draft for sending, unless it is not a draft any more or the per-day cap is reached.

    The claim and the cap check happen in one transaction, so two presses of
    Send (or two drafts) cannot get past the cap together.
    """
    async with atomic(db) as tx:
        row = await tx.fetch_one(
            "SELECT * FROM repair_requests WHERE id = ? AND initiator_id = ? AND status = ?",
            (request_id, initiator_id, RepairStatus.DRAFT.value),
        )
        if row is None or row["feel"] is None:
            return SendStart.NOT_A_DRAFT
        recent = await _attempts_since(tx, initiator_id, int(row["recipient_id"]), since)
        if len(recent) >= limit:
            return SendStart.CAPPED
        await tx.execute(
            "UPDATE repair_requests SET status = ?, attempted_at = ? WHERE id = ?",
            (RepairStatus.SENDING.value, to_unix(now), request_id),
        )
    return SendStart.STARTED


async def mark_sent(
    db: Database | Transaction, request_id: int, *, channel_id: int, message_id: int, now: datetime
) -> None:
    """Record delivery: where the recipient's copy is; the stored statement is cleared."""
    await db.execute(
        "UPDATE repair_requests SET status = ?, sent_at = ?, dm_channel_id = ?, dm_message_id = ?,"
        " feel = NULL, when_text = NULL, because = NULL, need = NULL, will_do = NULL WHERE id = ?",
        (RepairStatus.SENT.value, to_unix(now), channel_id, message_id, request_id),
    )


async def mark_undelivered(db: Database | Transaction, request_id: int) -> None:
    """Record that the DM could not be delivered (closed DMs or a block); the statement is cleared."""
    await db.execute(
        "UPDATE repair_requests SET status = ?,"
        " feel = NULL, when_text = NULL, because = NULL, need = NULL, will_do = NULL WHERE id = ?",
        (RepairStatus.UNDELIVERED.value, request_id),
    )


async def revert_send(db: Database | Transaction, request_id: int) -> None:
    """Put a request whose DM failed for a passing reason back to draft; the attempt does not count."""
    await db.execute(
        "UPDATE repair_requests SET status = ?, attempted_at = NULL WHERE id = ? AND status = ?",
        (RepairStatus.DRAFT.value, request_id, RepairStatus.SENDING.value),
    )


async def record_answer(
    db: Database | Transaction, request_id: int, recipient_id: int, answer: RepairAnswer, now: datetime
) -> RepairRequest | None:
    """Record the recipient's answer (they may change it); None if it is not theirs to answer now."""
    async with atomic(db) as tx:
        rows = await tx.fetch_all(
            "UPDATE repair_requests SET status = ?, answer = ?, answered_at = ?"
            " WHERE id = ? AND recipient_id = ? AND status IN (?, ?) RETURNING *",
            (
                RepairStatus.ANSWERED.value,
                answer.value,
                to_unix(now),
                request_id,
                recipient_id,
                RepairStatus.SENT.value,
                RepairStatus.ANSWERED.value,
            ),
        )
    return _from_row(rows[0]) if rows else None


async def latest_pending(
    db: Database | Transaction, initiator_id: int, recipient_id: int | None = None
) -> RepairRequest | None:
    """Return the initiator's newest request that is a draft or waits for an answer."""
    sql = "SELECT * FROM repair_requests WHERE initiator_id = ? AND status IN (?, ?)"
    params: list[object] = [initiator_id, RepairStatus.DRAFT.value, RepairStatus.SENT.value]
    if recipient_id is not None:
        sql += " AND recipient_id = ?"
        params.append(recipient_id)
    row = await db.fetch_one(sql + " ORDER BY id DESC LIMIT 1", params)
    return None if row is None else _from_row(row)


async def withdraw(db: Database | Transaction, request_id: int, initiator_id: int) -> RepairRequest | None:
    """Withdraw a draft (deleted) or an unanswered request (kept as withdrawn, statement cleared).

    Returns the request as it was before, or None if there was nothing to withdraw.
    """
    async with atomic(db) as tx:
        row = await tx.fetch_one(
            "SELECT * FROM repair_requests WHERE id = ? AND initiator_id = ? AND status IN (?, ?)",
            (request_id, initiator_id, RepairStatus.DRAFT.value, RepairStatus.SENT.value),
        )
        if row is None:
            return None
        before = _from_row(row)
        if before.status is RepairStatus.DRAFT:
            await tx.execute("DELETE FROM repair_requests WHERE id = ?", (request_id,))
        else:
            await tx.execute(
                "UPDATE repair_requests SET status = ?,"
                " feel = NULL, when_text = NULL, because = NULL, need = NULL, will_do = NULL WHERE id = ?",
                (RepairStatus.WITHDRAWN.value, request_id),
            )
    return before


async def initiated_by(db: Database | Transaction, initiator_id: int) -> list[RepairRequest]:
    """Return every request a person started, oldest first (for their export)."""
    rows = await db.fetch_all(
        "SELECT * FROM repair_requests WHERE initiator_id = ? ORDER BY id", (initiator_id,)
    )
    return [_from_row(row) for row in rows]


async def delivered_to(db: Database | Transaction, recipient_id: int) -> list[RepairRequest]:
    """Return the requests that reached a person (never others' drafts to them), oldest first."""
    rows = await db.fetch_all(
        "SELECT * FROM repair_requests WHERE recipient_id = ? AND sent_at IS NOT NULL ORDER BY id",
        (recipient_id,),
    )
    return [_from_row(row) for row in rows]


async def delete_initiated_by(db: Database | Transaction, initiator_id: int) -> int:
    """Erase every request a person started; return how many."""
    return await db.execute("DELETE FROM repair_requests WHERE initiator_id = ?", (initiator_id,))


async def delete_delivered_to(db: Database | Transaction, recipient_id: int) -> int:
    """Erase the requests that reached a person (they hold that person's answer); return how many."""
    return await db.execute(
        "DELETE FROM repair_requests WHERE recipient_id = ? AND sent_at IS NOT NULL", (recipient_id,)
    )


async def delete_for_guild(db: Database | Transaction, guild_id: int) -> int:
    """Delete every request started in a server; return how many."""
    return await db.execute("DELETE FROM repair_requests WHERE guild_id = ?", (guild_id,))
