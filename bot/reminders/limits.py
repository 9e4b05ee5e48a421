"""How many appreciation reminders one person may keep."""

from __future__ import annotations

MAX_ACTIVE_REMINDERS = 25


def at_reminder_cap(active: int, cap: int = MAX_ACTIVE_REMINDERS) -> bool:
    """Return whether someone with ``active`` reminders may not add another."""
    return active >= cap
