"""The appreciation rotation: each week, every circle member is given one other member to appreciate.

The assignment is a derangement (nobody draws themselves) and a bijection
(every member is drawn by exactly one other). It is built as one cycle
through a shuffled order, so with three or more people nobody is simply
paired back with the person who drew them.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from datetime import date

# Shuffles tried to avoid repeating last week's assignment; with three or more members a single
# shuffle already avoids every repeat about a third of the time, so this many essentially always do.
AVOID_ATTEMPTS = 50


def rotation_rng(guild_id: int, week: date) -> random.Random:
    """Return the random source of one server's draw for one week (deterministic, so reproducible)."""
    seed = hashlib.sha256(f"gratitude-rotation:{guild_id}:{week.isoformat()}".encode()).digest()
    # Not for security: a reproducible draw, so the same inputs always give the same week.
    return random.Random(int.from_bytes(seed[:8], "big"))  # noqa: S311


def _cycle(order: list[int]) -> dict[int, int]:
    """Return the assignment that gives each member the next one in ``order`` (the last gets the first)."""
    return {giver: order[(index + 1) % len(order)] for index, giver in enumerate(order)}


def repeats(assignment: Mapping[int, int], previous: Mapping[int, int]) -> int:
    """Return how many givers got the same person as in ``previous``."""
    return sum(1 for giver, receiver in assignment.items() if previous.get(giver) == receiver)


def draw_rotation(
    members: Iterable[int],
    rng: random.Random,
    *,
    previous: Mapping[int, int] | None = None,
    attempts: int = AVOID_ATTEMPTS,
) -> dict[int, int]:
    """Return giver -> receiver for ``members`` (empty with fewer than two people).

    With ``previous`` (last week's draw), up to ``attempts`` shuffles are
    tried and the one repeating the fewest of last week's pairs is kept.
    """
    unique = sorted(set(members))
    if len(unique) < 2:
        return {}
    best: dict[int, int] = {}
    best_repeats = -1
    for _ in range(max(1, attempts)):
        order = list(unique)
        rng.shuffle(order)
        candidate = _cycle(order)
        count = repeats(candidate, previous or {})
        if best_repeats < 0 or count < best_repeats:
            best, best_repeats = candidate, count
        if count == 0:
            break
    return best


def is_derangement(members: Iterable[int], assignment: Mapping[int, int]) -> bool:
    """Return whether ``assignment`` gives every member exactly one other member, each drawn once."""
    people = set(members)
    return (
        set(assignment) == people
        and set(assignment.values()) == people
        and all(giver != receiver for giver, receiver in assignment.items())
    )
