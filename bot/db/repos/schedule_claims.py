"""The schedule engine's transaction building blocks: due rows, compare-and-set moves, the ledger.

Each function here works inside a transaction the engine opens (one per claim batch or outcome),
except :func:`fetch_claimed`, which reads the claims still open. Features do not call these; they
use :mod:`bot.db.repos.schedules`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from bot.db.database import Database, Row, Transaction
from bot.db.repos.schedule_rows import (
    OccurrenceRecord,
    OccurrenceStatus,
    Schedule,
    checked_key,
    occurrence_from_row,
    schedule_from_row,
)
from bot.db.timestamps import to_unix
from bot.schedule.shards import SNOWFLAKE_TIME_SHIFT, ShardScope


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
            checked_key(occurrence_key),
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
    return None if row is None else occurrence_from_row(row)


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
    return [occurrence_from_row(row) for row in rows]
