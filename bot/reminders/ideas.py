"""Which appreciation idea a reminder sends next: every idea once before any comes back."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence


def remaining_ideas(idea_ids: Sequence[str], history: Iterable[str]) -> list[str]:
    """Return the ideas not yet sent in the current pass through ``idea_ids``, in their order.

    ``history`` is every idea the reminder sent, oldest first. A pass ends
    once each current idea was sent; ideas that were removed from the
    content since then do not count.
    """
    known = set(idea_ids)
    used: set[str] = set()
    for idea_id in history:
        if idea_id in known:
            used.add(idea_id)
            if used == known:
                used = set()
    return [idea_id for idea_id in idea_ids if idea_id not in used]


def pick_idea(idea_ids: Sequence[str], history: Sequence[str], rng: random.Random) -> str:
    """Return the next idea: one not used in this pass, and never the one sent last time."""
    if not idea_ids:
        raise ValueError("there are no appreciation ideas to choose from")
    candidates = remaining_ideas(idea_ids, history)
    last = history[-1] if history else None
    # A fresh pass may start with any idea except the one that ended the previous pass.
    fresh = [idea_id for idea_id in candidates if idea_id != last]
    return rng.choice(fresh or candidates)


def idea_rng(reminder_id: int, occurrence_key: str) -> random.Random:
    """Return a random source fixed by reminder and occurrence, so a retried DM picks the same idea."""
    # Not for security: it only shuffles which appreciation idea comes next.
    return random.Random(f"{reminder_id}:{occurrence_key}")  # noqa: S311
