"""Schedules (the scheduler's due queue) and their occurrences (the at-most-once ledger).

Times are stored as unix seconds in UTC and returned as aware UTC datetimes.
A schedule with a recurrence fires on every occurrence of its rule; one
without (a one-shot) fires once at ``next_run_at`` and is then deleted.

Occurrence keys are part of the contract with features: a feature that
delivers by hand (say "/prompt now counts as today's prompt") claims the key
with :func:`claim_occurrence`, and the engine then never dispatches that key.
Keys are at most 25 characters so they can double as Discord message nonces.

Functions taking a :class:`~bot.db.database.Transaction` are building blocks
for the engine's own transactions; the others open a transaction themselves.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from bot.db.database import Database, Row, Transaction, atomic
from bot.db.timestamps import from_unix, to_unix
from bot.schedule.recurrence import (
    Recurrence,
    format_local_time,
    is_valid_timezone,
    mask_to_weekdays,
    next_occurrence,
    parse_local_time,
    weekdays_to_mask,
)
from bot.schedule.shards import SNOWFLAKE_TIME_SHIFT, ShardScope

MAX_OCCURRENCE_KEY_LENGTH = 25


class OccurrenceStatus(StrEnum):
    """Where one occurrence of a schedule stands."""

    CLAIMED = "claimed"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class Schedule:
    """One row of ``schedules``."""

    id: int
    kind: str
    owner_key: str
    guild_id: int | None
    user_id: int | None
    timezone: str | None
    recurrence: Recurrence | None
    next_run_at: datetime
    paused: bool
    paused_reason: str | None
    payload: Mapping[str, Any]
    created_at: datetime
    pending_due_at: datetime | None
    attempts: int

    @property
    def is_one_shot(self) -> bool:
        """Return whether this schedule fires once and is then deleted."""
        return self.recurrence is None

    @property
    def due_at(self) -> datetime:
        """Return the due time of the occurrence this row waits for (a retry keeps its original time)."""
        return self.pending_due_at if self.pending_due_at is not None else self.next_run_at


@dataclass(frozen=True)
class OccurrenceRecord:
    """One row of ``schedule_occurrences``."""

    schedule_id: int
    key: str
    due_at: datetime
    status: OccurrenceStatus
    claimed_at: datetime
    finished_at: datetime | None
    attempts: int


def _checked_key(key: str) -> str:
    """Return ``key`` if it fits in a Discord nonce."""
    if len(key) > MAX_OCCURRENCE_KEY_LENGTH:
        raise ValueError(f"occurrence key {key!r} is longer than {MAX_OCCURRENCE_KEY_LENGTH} characters")
    return key


def recurring_occurrence_key(schedule_id: int, local_date: date) -> str:
    """Return the key of a recurring schedule's occurrence on ``local_date``, e.g. ``s12-2026-11-01``."""
    return _checked_key(f"s{schedule_id}-{local_date.isoformat()}")


def one_shot_occurrence_key(schedule_id: int, due_at: datetime) -> str:
    """Return the key of a one-shot's occurrence, e.g. ``o12-1793400000``."""
    return _checked_key(f"o{schedule_id}-{to_unix(due_at)}")


def occurrence_local_date(schedule: Schedule, due_at: datetime) -> date:
    """Return the local date an occurrence due at ``due_at`` belongs to (UTC for zone-less one-shots)."""
    zone = ZoneInfo(schedule.timezone) if schedule.timezone else UTC
    return due_at.astimezone(zone).date()


def occurrence_key(schedule: Schedule, due_at: datetime) -> str:
    """Return the key of ``schedule``'s occurrence due at ``due_at``."""
    if schedule.recurrence is None:
        return one_shot_occurrence_key(schedule.id, due_at)
    return recurring_occurrence_key(schedule.id, occurrence_local_date(schedule, due_at))


def _encode_payload(payload: Mapping[str, Any] | None) -> str:
    """Serialise a payload as a JSON object."""
    return json.dumps(dict(payload or {}), separators=(",", ":"), sort_keys=True)


def _decode_payload(text: str) -> Mapping[str, Any]:
    """Parse a stored payload, refusing anything but a JSON object."""
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("a schedule payload must be a JSON object")
    return MappingProxyType(value)


def _optional_datetime(value: int | None) -> datetime | None:
    """Convert a nullable unix-seconds column."""
    return None if value is None else from_unix(int(value))


def schedule_from_row(row: Row) -> Schedule:
    """Build a :class:`Schedule` from a ``schedules`` row, validating its rule and payload."""
    recurrence: Recurrence | None = None
    if row["local_time"] is not None:
        recurrence = Recurrence(
            timezone=str(row["timezone"]),
            local_time=parse_local_time(str(row["local_time"])),
            weekdays=mask_to_weekdays(int(row["weekdays"])),
        )
    return Schedule(
        id=int(row["id"]),
        kind=str(row["kind"]),
        owner_key=str(row["owner_key"]),
        guild_id=None if row["guild_id"] is None else int(row["guild_id"]),
        user_id=None if row["user_id"] is None else int(row["user_id"]),
        timezone=None if row["timezone"] is None else str(row["timezone"]),
        recurrence=recurrence,
        next_run_at=from_unix(int(row["next_run_at"])),
        paused=bool(row["paused"]),
        paused_reason=None if row["paused_reason"] is None else str(row["paused_reason"]),
        payload=_decode_payload(str(row["payload"])),
        created_at=from_unix(int(row["created_at"])),
        pending_due_at=_optional_datetime(row["pending_due_at"]),
        attempts=int(row["attempts"]),
    )


def _occurrence_from_row(row: Row) -> OccurrenceRecord:
    """Build an :class:`OccurrenceRecord` from a ``schedule_occurrences`` row."""
    return OccurrenceRecord(
        schedule_id=int(row["schedule_id"]),
        key=str(row["occurrence_key"]),
        due_at=from_unix(int(row["due_at"])),
        status=OccurrenceStatus(str(row["status"])),
        claimed_at=from_unix(int(row["claimed_at"])),
        finished_at=_optional_datetime(row["finished_at"]),
        attempts=int(row["attempts"]),
    )


# --- schedules ------------------------------------------------------------------------------------


async def upsert_recurring(
    db: Database | Transaction,
    *,
    kind: str,
    owner_key: str,
    rule: Recurrence,
    now: datetime,
    guild_id: int | None = None,
    user_id: int | None = None,
    payload: Mapping[str, Any] | None = None,
) -> Schedule:
    """Create or replace the recurring schedule of ``owner_key``, next due after ``now``.

    An existing row keeps its id and its paused state (use :func:`resume` to
    unpause); any pending retry is dropped. Occurrences already recorded stay,
    so moving today's time after today's post never posts twice that day.
    """
    if rule.local_time.second or rule.local_time.microsecond:
        raise ValueError("schedules store whole minutes; local_time must have no seconds")
    params = {
        "kind": kind,
        "owner_key": owner_key,
        "guild_id": guild_id,
        "user_id": user_id,
        "timezone": rule.timezone,
        "local_time": format_local_time(rule.local_time),
        "weekdays": weekdays_to_mask(rule.weekdays),
        "next_run_at": to_unix(next_occurrence(rule, now)),
        "payload": _encode_payload(payload),
        "created_at": to_unix(now),
    }
    async with atomic(db) as tx:
        rows = await tx.fetch_all(
            "INSERT INTO schedules (kind, owner_key, guild_id, user_id, timezone, local_time, weekdays,"
            " next_run_at, payload, created_at)"
            " VALUES (:kind, :owner_key, :guild_id, :user_id, :timezone, :local_time, :weekdays,"
            " :next_run_at, :payload, :created_at)"
            " ON CONFLICT (owner_key) DO UPDATE SET kind = excluded.kind, guild_id = excluded.guild_id,"
            " user_id = excluded.user_id, timezone = excluded.timezone, local_time = excluded.local_time,"
            " weekdays = excluded.weekdays, next_run_at = excluded.next_run_at, payload = excluded.payload,"
            " pending_due_at = NULL, attempts = 0"
            " RETURNING *",
            params,
        )
    return schedule_from_row(rows[0])


async def create_one_shot(
    db: Database | Transaction,
    *,
    kind: str,
    owner_key: str,
    run_at: datetime,
    now: datetime,
    guild_id: int | None = None,
    user_id: int | None = None,
    timezone: str | None = None,
    payload: Mapping[str, Any] | None = None,
) -> Schedule:
    """Create (or replace, by ``owner_key``) a schedule that fires once at ``run_at``.

    ``timezone`` only decides which local date the occurrence reports.
    """
    params = {
        "kind": kind,
        "owner_key": owner_key,
        "guild_id": guild_id,
        "user_id": user_id,
        "timezone": timezone,
        "next_run_at": to_unix(run_at),
        "payload": _encode_payload(payload),
        "created_at": to_unix(now),
    }
    if timezone is not None and not is_valid_timezone(timezone):
        raise ValueError(f"unknown time zone {timezone!r}; use an IANA name such as Europe/London")
    async with atomic(db) as tx:
        rows = await tx.fetch_all(
            "INSERT INTO schedules (kind, owner_key, guild_id, user_id, timezone, local_time, weekdays,"
            " next_run_at, payload, created_at)"
            " VALUES (:kind, :owner_key, :guild_id, :user_id, :timezone, NULL, NULL,"
            " :next_run_at, :payload, :created_at)"
            " ON CONFLICT (owner_key) DO UPDATE SET kind = excluded.kind, guild_id = excluded.guild_id,"
            " user_id = excluded.user_id, timezone = excluded.timezone, local_time = NULL, weekdays = NULL,"
            " next_run_at = excluded.next_run_at, payload = excluded.payload,"
            " pending_due_at = NULL, attempts = 0"
            " RETURNING *",
            params,
        )
    return schedule_from_row(rows[0])


async def get_by_id(db: Database | Transaction, schedule_id: int) -> Schedule | None:
    """Return the schedule with ``schedule_id``, or None."""
    row = await db.fetch_one("SELECT * FROM schedules WHERE id = ?", (schedule_id,))
    return None if row is None else schedule_from_row(row)


async def get_by_owner_key(db: Database | Transaction, owner_key: str) -> Schedule | None:
    """Return the schedule owned by ``owner_key``, or None."""
    row = await db.fetch_one("SELECT * FROM schedules WHERE owner_key = ?", (owner_key,))
    return None if row is None else schedule_from_row(row)


async def pause(db: Database | Transaction, schedule_id: int, reason: str) -> bool:
    """Pause a schedule with a short reason (no user content); return whether it exists."""
    async with atomic(db) as tx:
        return await pause_in(tx, schedule_id, reason)


async def resume(db: Database | Transaction, schedule_id: int, now: datetime) -> Schedule | None:
    """Unpause a schedule and return it, or None if it does not exist.

    A recurring schedule is next due at its first occurrence after ``now``
    (occurrences missed while paused are not caught up). A one-shot keeps its
    due time; if that is past the engine's grace window it is skipped.
    """
    async with atomic(db) as tx:
        row = await tx.fetch_one("SELECT * FROM schedules WHERE id = ?", (schedule_id,))
        if row is None:
            return None
        current = schedule_from_row(row)
        if current.recurrence is None:
            next_run_at = current.due_at
        else:
            next_run_at = next_occurrence(current.recurrence, now)
        rows = await tx.fetch_all(
            "UPDATE schedules SET paused = 0, paused_reason = NULL, next_run_at = ?,"
            " pending_due_at = NULL, attempts = 0 WHERE id = ? RETURNING *",
            (to_unix(next_run_at), schedule_id),
        )
    return schedule_from_row(rows[0])


async def delete(db: Database | Transaction, schedule_id: int) -> bool:
    """Delete a schedule and its occurrences; return whether it existed."""
    return await db.execute("DELETE FROM schedules WHERE id = ?", (schedule_id,)) > 0


async def delete_by_owner_key(db: Database | Transaction, owner_key: str) -> bool:
    """Delete the schedule owned by ``owner_key``; return whether it existed."""
    return await db.execute("DELETE FROM schedules WHERE owner_key = ?", (owner_key,)) > 0


async def delete_for_guild(db: Database, guild_id: int) -> int:
    """Delete every schedule of a guild (e.g. when the bot is removed); return how many."""
    return await db.execute("DELETE FROM schedules WHERE guild_id = ?", (guild_id,))


async def delete_for_user(db: Database, user_id: int) -> int:
    """Delete every schedule of a user (e.g. on a deletion request); return how many."""
    return await db.execute("DELETE FROM schedules WHERE user_id = ?", (user_id,))


# --- occurrences ----------------------------------------------------------------------------------


async def claim_occurrence(
    db: Database,
    schedule_id: int,
    occurrence_key: str,
    due_at: datetime,
    now: datetime,
    claimed_by: str | None = None,
) -> bool:
    """Claim an occurrence for a manual delivery; return False if it was already claimed or done.

    After a True, deliver (using the key as the message nonce) and record
    the outcome with :func:`finish_occurrence`; the engine will not dispatch
    this key. A claim left unfinished for minutes is marked 'uncertain'.
    """
    async with db.transaction() as tx:
        return await insert_occurrence(
            tx,
            schedule_id,
            occurrence_key,
            due_at=due_at,
            status=OccurrenceStatus.CLAIMED,
            now=now,
            claimed_by=claimed_by,
        )


async def finish_occurrence(
    db: Database, schedule_id: int, occurrence_key: str, status: OccurrenceStatus, now: datetime
) -> bool:
    """Record the outcome of a claimed occurrence; return False if it was no longer claimed."""
    async with db.transaction() as tx:
        return await finish_occurrence_in(tx, schedule_id, occurrence_key, status, now)


async def get_occurrence(db: Database, schedule_id: int, occurrence_key: str) -> OccurrenceRecord | None:
    """Return one occurrence, or None."""
    row = await db.fetch_one(
        "SELECT * FROM schedule_occurrences WHERE schedule_id = ? AND occurrence_key = ?",
        (schedule_id, occurrence_key),
    )
    return None if row is None else _occurrence_from_row(row)


async def list_occurrences(db: Database, schedule_id: int) -> list[OccurrenceRecord]:
    """Return a schedule's recorded occurrences, oldest due first."""
    rows = await db.fetch_all(
        "SELECT * FROM schedule_occurrences WHERE schedule_id = ? ORDER BY due_at, occurrence_key",
        (schedule_id,),
    )
    return [_occurrence_from_row(row) for row in rows]


async def prune_occurrences(db: Database, before: datetime) -> int:
    """Delete finished occurrences due before ``before``; return how many."""
    return await db.execute(
        "DELETE FROM schedule_occurrences WHERE due_at < ? AND status != ?",
        (to_unix(before), OccurrenceStatus.CLAIMED.value),
    )


# --- transaction building blocks for the engine --------------------------------------------------


async def fetch_due_rows(
    tx: Transaction,
    now: datetime,
    limit: int,
    *,
    shards: ShardScope | None = None,
    guild_bound_kinds: Collection[str] = (),
) -> list[Row]:
    """Return up to ``limit`` raw unpaused rows due at ``now``, oldest first, locked for this claim.

    With ``shards``, rows of ``guild_bound_kinds`` are returned only for servers on those shards;
    every other row is for whichever process gets to it first. On PostgreSQL the rows are locked
    until the transaction ends and rows another process has locked are skipped, so processes
    claiming at once split the due rows between them instead of queueing behind each other.
    """
    sql = "SELECT * FROM schedules WHERE paused = 0 AND next_run_at <= ?"
    params: list[object] = [to_unix(now)]
    if shards is not None and guild_bound_kinds:
        kinds = sorted(guild_bound_kinds)
        shard_ids = sorted(shards.ids)
        sql += (
            f" AND (kind NOT IN ({', '.join('?' for _ in kinds)}) OR guild_id IS NULL"
            f" OR (guild_id >> {SNOWFLAKE_TIME_SHIFT}) % ? IN ({', '.join('?' for _ in shard_ids)}))"
        )
        params += [*kinds, shards.count, *shard_ids]
    sql += " ORDER BY next_run_at, id LIMIT ?" + tx.lock_due_rows
    params.append(limit)
    return await tx.fetch_all(sql, params)


async def count_due(db: Database, now: datetime) -> int:
    """Return how many unpaused schedules are due at ``now`` (the backlog, for metrics)."""
    row = await db.fetch_one(
        "SELECT COUNT(*) AS n FROM schedules WHERE paused = 0 AND next_run_at <= ?", (to_unix(now),)
    )
    return 0 if row is None else int(row["n"])


async def fetch_schedule_in(tx: Transaction, schedule_id: int) -> Schedule | None:
    """Return the schedule with ``schedule_id`` inside a transaction, or None."""
    row = await tx.fetch_one("SELECT * FROM schedules WHERE id = ?", (schedule_id,))
    return None if row is None else schedule_from_row(row)


async def advance_if_unchanged(
    tx: Transaction,
    schedule_id: int,
    *,
    seen_next_run_at: datetime,
    next_run_at: datetime,
    pending_due_at: datetime | None,
    attempts: int,
) -> bool:
    """Move ``next_run_at`` only if it still holds the value this caller saw (compare-and-set)."""
    changed = await tx.execute(
        "UPDATE schedules SET next_run_at = :next, pending_due_at = :pending, attempts = :attempts"
        " WHERE id = :id AND next_run_at = :seen",
        {
            "next": to_unix(next_run_at),
            "pending": None if pending_due_at is None else to_unix(pending_due_at),
            "attempts": attempts,
            "id": schedule_id,
            "seen": to_unix(seen_next_run_at),
        },
    )
    return changed == 1


async def pause_if_unchanged(
    tx: Transaction, schedule_id: int, *, seen_next_run_at: datetime, reason: str
) -> bool:
    """Pause a schedule only if ``next_run_at`` still holds the value this caller saw."""
    changed = await tx.execute(
        "UPDATE schedules SET paused = 1, paused_reason = ? WHERE id = ? AND next_run_at = ?",
        (reason, schedule_id, to_unix(seen_next_run_at)),
    )
    return changed == 1


async def pause_in(tx: Transaction, schedule_id: int, reason: str) -> bool:
    """Pause a schedule inside a transaction; return whether it exists."""
    changed = await tx.execute(
        "UPDATE schedules SET paused = 1, paused_reason = ? WHERE id = ?", (reason, schedule_id)
    )
    return changed == 1


async def delete_if_unchanged(tx: Transaction, schedule_id: int, *, seen_next_run_at: datetime) -> bool:
    """Delete a schedule only if ``next_run_at`` still holds the value this caller saw."""
    changed = await tx.execute(
        "DELETE FROM schedules WHERE id = ? AND next_run_at = ?", (schedule_id, to_unix(seen_next_run_at))
    )
    return changed == 1


async def insert_occurrence(
    tx: Transaction,
    schedule_id: int,
    occurrence_key: str,
    *,
    due_at: datetime,
    status: OccurrenceStatus,
    now: datetime,
    attempts: int = 1,
    claimed_by: str | None = None,
) -> bool:
    """Record an occurrence unless its key exists; return whether this call recorded it."""
    finished = None if status is OccurrenceStatus.CLAIMED else to_unix(now)
    changed = await tx.execute(
        "INSERT INTO schedule_occurrences"
        " (schedule_id, occurrence_key, due_at, status, claimed_at, finished_at, attempts, claimed_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (schedule_id, occurrence_key) DO NOTHING",
        (
            schedule_id,
            _checked_key(occurrence_key),
            to_unix(due_at),
            status.value,
            to_unix(now),
            finished,
            attempts,
            claimed_by,
        ),
    )
    return changed == 1


async def fetch_occurrence_in(
    tx: Transaction, schedule_id: int, occurrence_key: str
) -> OccurrenceRecord | None:
    """Return one occurrence inside a transaction, or None."""
    row = await tx.fetch_one(
        "SELECT * FROM schedule_occurrences WHERE schedule_id = ? AND occurrence_key = ?",
        (schedule_id, occurrence_key),
    )
    return None if row is None else _occurrence_from_row(row)


async def finish_occurrence_in(
    tx: Transaction, schedule_id: int, occurrence_key: str, status: OccurrenceStatus, now: datetime
) -> bool:
    """Move a claimed occurrence to a final status; return False if it was no longer claimed."""
    if status is OccurrenceStatus.CLAIMED:
        raise ValueError("finishing an occurrence needs a final status")
    changed = await tx.execute(
        "UPDATE schedule_occurrences SET status = ?, finished_at = ?"
        " WHERE schedule_id = ? AND occurrence_key = ? AND status = ?",
        (status.value, to_unix(now), schedule_id, occurrence_key, OccurrenceStatus.CLAIMED.value),
    )
    return changed == 1


async def release_occurrence_in(tx: Transaction, schedule_id: int, occurrence_key: str) -> bool:
    """Delete a still-claimed occurrence so its key can be claimed again by a retry."""
    changed = await tx.execute(
        "DELETE FROM schedule_occurrences WHERE schedule_id = ? AND occurrence_key = ? AND status = ?",
        (schedule_id, occurrence_key, OccurrenceStatus.CLAIMED.value),
    )
    return changed == 1


async def fetch_claimed(
    db: Database, *, claimed_before: datetime | None = None, claimed_by: str | None = None
) -> list[OccurrenceRecord]:
    """Return occurrences still 'claimed', oldest first.

    ``claimed_before`` keeps only claims made before then; ``claimed_by`` only that claimant's
    (and claims from before claimants were recorded).
    """
    sql = "SELECT * FROM schedule_occurrences WHERE status = ?"
    params: list[object] = [OccurrenceStatus.CLAIMED.value]
    if claimed_before is not None:
        sql += " AND claimed_at < ?"
        params.append(to_unix(claimed_before))
    if claimed_by is not None:
        sql += " AND (claimed_by = ? OR claimed_by IS NULL)"
        params.append(claimed_by)
    rows = await db.fetch_all(sql + " ORDER BY claimed_at", params)
    return [_occurrence_from_row(row) for row in rows]
