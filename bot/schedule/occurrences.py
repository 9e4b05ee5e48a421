"""What the schedule engine hands to handlers and what it reports: occurrences, claims, tallies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from bot.db.repos.schedule_rows import Schedule


@dataclass(frozen=True)
class Occurrence:
    """One delivery a handler is asked to make.

    ``key`` (at most 25 characters) is stable for the occurrence: send it as
    the message nonce with ``enforce_nonce=True`` so a recovered re-dispatch
    cannot double-post.
    """

    schedule: Schedule
    key: str
    local_date: date
    due_at: datetime
    late_by: timedelta
    recovered: bool = False
    attempt: int = 1


Handler = Callable[[Occurrence], Awaitable[None]]


@dataclass
class TickReport:
    """What one tick (or recovery pass) did, for logs and tests; filled in as the tick runs."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0
    paused: int = 0
    uncertain: int = 0
    recovered: int = 0
    crashed: bool = False

    def add(self, other: TickReport) -> None:
        """Add another report's counts to this one."""
        for item in fields(self):
            if item.name != "crashed":
                setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


@dataclass(frozen=True)
class Claim:
    """A claimed occurrence plus the ``next_run_at`` its claim left (the compare-and-set witness)."""

    occurrence: Occurrence
    claimed_next_run_at: datetime

    @property
    def ident(self) -> tuple[int, str]:
        """Return (schedule id, key), the occurrence's identity."""
        return (self.occurrence.schedule.id, self.occurrence.key)
