"""How often someone may send a repair request to the same person."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

MAX_REQUESTS_PER_DAY = 3
REQUEST_WINDOW = timedelta(hours=24)
# A draft that was never sent is forgotten after this long.
DRAFT_LIFETIME = timedelta(hours=24)


def window_start(now: datetime, window: timedelta = REQUEST_WINDOW) -> datetime:
    """Return the start of the window that counts towards the cap: attempts after it count."""
    return now - window


def next_request_at(
    attempts: Iterable[datetime],
    now: datetime,
    *,
    limit: int = MAX_REQUESTS_PER_DAY,
    window: timedelta = REQUEST_WINDOW,
) -> datetime | None:
    """Return when another request may be sent, or None if one may be sent now.

    Every attempt counts, delivered or not, so the answer never depends on
    what the other person did (a block stays invisible).
    """
    start = window_start(now, window)
    recent = sorted(moment for moment in attempts if moment > start)
    if len(recent) < limit:
        return None
    return recent[len(recent) - limit] + window
