"""Retention periods people can choose for their check-ins and private answers."""

from __future__ import annotations

# Days; 0 = keep until the person deletes it. Longest first, the order /privacy retention lists them.
FOREVER = 0
RETENTION_CHOICES = (FOREVER, 365, 90, 30)


def effective_retention(chosen: int | None, default_days: int) -> int:
    """Return the retention that applies: the person's choice, else the server operator's default."""
    return default_days if chosen is None else chosen
