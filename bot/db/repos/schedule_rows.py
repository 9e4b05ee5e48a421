"""The rows of the schedule tables, read and written: schedules, occurrences and occurrence keys.

Times are stored as unix seconds in UTC and returned as aware UTC datetimes. Occurrence keys are
part of the contract with features (see :mod:`bot.db.repos.schedules`); they are at most 25
characters so they can double as Discord message nonces.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from bot.db.database import Row
from bot.db.timestamps import from_unix, to_unix
from bot.schedule.recurrence import Recurrence, mask_to_weekdays, parse_local_time

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


def checked_key(key: str) -> str:
    """Return ``key`` if it fits in a Discord nonce."""
    if len(key) > MAX_OCCURRENCE_KEY_LENGTH:
        raise ValueError(f"occurrence key {key!r} is longer than {MAX_OCCURRENCE_KEY_LENGTH} characters")
    return key


def recurring_occurrence_key(schedule_id: int, local_date: date) -> str:
    """Return the key of a recurring schedule's occurrence on ``local_date``, e.g. ``s12-2026-11-01``."""
    return checked_key(f"s{schedule_id}-{local_date.isoformat()}")


def one_shot_occurrence_key(schedule_id: int, due_at: datetime) -> str:
    """Return the key of a one-shot's occurrence, e.g. ``o12-1793400000``."""
    return checked_key(f"o{schedule_id}-{to_unix(due_at)}")


def occurrence_local_date(schedule: Schedule, due_at: datetime) -> date:
    """Return the local date an occurrence due at ``due_at`` belongs to (UTC for zone-less one-shots)."""
    zone = ZoneInfo(schedule.timezone) if schedule.timezone else UTC
    return due_at.astimezone(zone).date()


def occurrence_key(schedule: Schedule, due_at: datetime) -> str:
    """Return the key of ``schedule``'s occurrence due at ``due_at``."""
    if schedule.recurrence is None:
        return one_shot_occurrence_key(schedule.id, due_at)
    return recurring_occurrence_key(schedule.id, occurrence_local_date(schedule, due_at))


def encode_payload(payload: Mapping[str, Any] | None) -> str:
    """Serialise a payload as a JSON object."""
    return json.dumps(dict(payload or {}), separators=(",", ":"), sort_keys=True)


def decode_payload(text: str) -> Mapping[str, Any]:
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
        payload=decode_payload(str(row["payload"])),
        created_at=from_unix(int(row["created_at"])),
        pending_due_at=_optional_datetime(row["pending_due_at"]),
        attempts=int(row["attempts"]),
    )


def occurrence_from_row(row: Row) -> OccurrenceRecord:
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
