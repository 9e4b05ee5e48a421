"""Schedules (the scheduler's due queue) and their occurrences (the at-most-once ledger).

Times are stored as unix seconds in UTC and returned as aware UTC datetimes.
A schedule with a recurrence fires on every occurrence of its rule; one
without (a one-shot) fires once at ``next_run_at`` and is then deleted.

Occurrence keys are part of the contract with features: a feature that
delivers by hand (say "/prompt now counts as today's prompt") claims the key
with :func:`claim_occurrence`, and the engine then never dispatches that key.
Keys are at most 25 characters so they can double as Discord message nonces.

This module is what features call; each function opens its transaction unless
given one. The row types live in :mod:`bot.db.repos.schedule_rows` and the
engine's transaction building blocks in :mod:`bot.db.repos.schedule_claims`;
both are re-exported here, so ``schedules.<name>`` reaches all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.db.database import Database, Transaction, atomic
from bot.db.repos.schedule_claims import (
    advance_if_unchanged,
    count_due,
    delete_if_unchanged,
    fetch_claimed,
    fetch_due_rows,
    fetch_occurrence_in,
    fetch_schedule_in,
    finish_occurrence_in,
    insert_occurrence,
    pause_if_unchanged,
    pause_in,
    release_occurrence_in,
)
from bot.db.repos.schedule_rows import (
    MAX_OCCURRENCE_KEY_LENGTH,
    OccurrenceRecord,
    OccurrenceStatus,
    Schedule,
    encode_payload,
    occurrence_from_row,
    occurrence_key,
    occurrence_local_date,
    one_shot_occurrence_key,
    recurring_occurrence_key,
    schedule_from_row,
)
from bot.db.timestamps import to_unix
from bot.schedule.kinds import OwnerKey, owner_text
from bot.schedule.recurrence import (
    Recurrence,
    format_local_time,
    is_valid_timezone,
    next_occurrence,
    weekdays_to_mask,
)

__all__ = [
    "MAX_OCCURRENCE_KEY_LENGTH",
    "OccurrenceRecord",
    "OccurrenceStatus",
    "Schedule",
    "advance_if_unchanged",
    "claim_occurrence",
    "count_due",
    "create_one_shot",
    "delete",
    "delete_by_owner_key",
    "delete_for_guild",
    "delete_for_user",
    "delete_if_unchanged",
    "fetch_claimed",
    "fetch_due_rows",
    "fetch_occurrence_in",
    "fetch_schedule_in",
    "finish_occurrence",
    "finish_occurrence_in",
    "get_by_id",
    "get_by_owner_key",
    "get_occurrence",
    "insert_occurrence",
    "list_occurrences",
    "occurrence_key",
    "occurrence_local_date",
    "one_shot_occurrence_key",
    "pause",
    "pause_if_unchanged",
    "pause_in",
    "prune_occurrences",
    "recurring_occurrence_key",
    "release_occurrence_in",
    "resume",
    "schedule_from_row",
    "upsert_recurring",
]

# --- schedules ------------------------------------------------------------------------------------


async def upsert_recurring(
    db: Database | Transaction,
    *,
    kind: str,
    owner_key: OwnerKey | str,
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
        "kind": str(kind),
        "owner_key": owner_text(owner_key),
        "guild_id": guild_id,
        "user_id": user_id,
        "timezone": rule.timezone,
        "local_time": format_local_time(rule.local_time),
        "weekdays": weekdays_to_mask(rule.weekdays),
        "next_run_at": to_unix(next_occurrence(rule, now)),
        "payload": encode_payload(payload),
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
    owner_key: OwnerKey | str,
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
        "kind": str(kind),
        "owner_key": owner_text(owner_key),
        "guild_id": guild_id,
        "user_id": user_id,
        "timezone": timezone,
        "next_run_at": to_unix(run_at),
        "payload": encode_payload(payload),
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


async def get_by_owner_key(db: Database | Transaction, owner_key: OwnerKey | str) -> Schedule | None:
    """Return the schedule owned by ``owner_key``, or None."""
    row = await db.fetch_one("SELECT * FROM schedules WHERE owner_key = ?", (owner_text(owner_key),))
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


async def delete_by_owner_key(db: Database | Transaction, owner_key: OwnerKey | str) -> bool:
    """Delete the schedule owned by ``owner_key``; return whether it existed."""
    return await db.execute("DELETE FROM schedules WHERE owner_key = ?", (owner_text(owner_key),)) > 0


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
    return None if row is None else occurrence_from_row(row)


async def list_occurrences(db: Database, schedule_id: int) -> list[OccurrenceRecord]:
    """Return a schedule's recorded occurrences, oldest due first."""
    rows = await db.fetch_all(
        "SELECT * FROM schedule_occurrences WHERE schedule_id = ? ORDER BY due_at, occurrence_key",
        (schedule_id,),
    )
    return [occurrence_from_row(row) for row in rows]


async def prune_occurrences(db: Database, before: datetime) -> int:
    """Delete finished occurrences due before ``before``; return how many."""
    return await db.execute(
        "DELETE FROM schedule_occurrences WHERE due_at < ? AND status != ?",
        (to_unix(before), OccurrenceStatus.CLAIMED.value),
    )
