"""Times in the database: whole unix seconds in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def to_unix(moment: datetime) -> int:
    """Return ``moment`` (aware) as whole unix seconds, rounding down."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("expected an aware datetime")
    return int(moment.timestamp() // 1)


def from_unix(seconds: int) -> datetime:
    """Return unix ``seconds`` as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, UTC)
