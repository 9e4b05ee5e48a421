"""The weekly digest's numbers: how many thank-yous, between how many people, and a few highlights.

No ranking and no leaderboard: nobody's count is ever shown. Anonymous cards
stay anonymous: the numbers and highlights are the same whoever sent an
anonymous card, so nothing about its sender can be worked out from them.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.schedule.recurrence import Recurrence, previous_occurrence

MAX_HIGHLIGHTS = 3
EXCERPT_LIMIT = 200


@dataclass(frozen=True)
class DigestCard:
    """A card as the digest sees it."""

    card_id: int
    sender_id: int
    recipient_id: int | None
    anonymous: bool
    text: str
    created_at: datetime
    link: str


@dataclass(frozen=True)
class DigestNumbers:
    """What the week's digest says."""

    thank_yous: int
    people: int
    highlights: tuple[DigestCard, ...]


def digest_window(rule: Recurrence, due_at: datetime) -> tuple[datetime, datetime]:
    """Return the week a digest due at ``due_at`` covers: since the previous digest time, up to this one.

    Consecutive digests of one rule cover back-to-back windows, across
    daylight-saving changes too.
    """
    start = previous_occurrence(rule, due_at - timedelta(seconds=1))
    return start, due_at


def digest_rng(guild_id: int, week: date) -> random.Random:
    """Return the random source that picks one server's highlights for one week (reproducible)."""
    seed = hashlib.sha256(f"gratitude-digest:{guild_id}:{week.isoformat()}".encode()).digest()
    # Not for security: the same week always shows the same highlights, even if re-sent.
    return random.Random(int.from_bytes(seed[:8], "big"))  # noqa: S311


def people_count(cards: Sequence[DigestCard]) -> int:
    """Return how many people took part: everyone thanked, and the senders who signed their cards.

    The sender of an anonymous card is left out even when they are counted
    anyway: counting them only when they are new would hint at who they are.
    """
    people: set[int] = set()
    for card in cards:
        if card.recipient_id is not None:
            people.add(card.recipient_id)
        if not card.anonymous:
            people.add(card.sender_id)
    return len(people)


def pick_highlights(
    cards: Sequence[DigestCard], rng: random.Random, limit: int = MAX_HIGHLIGHTS
) -> tuple[DigestCard, ...]:
    """Pick up to ``limit`` cards at random, different people thanked first; return them oldest first.

    Chance, not popularity, decides, so highlights never rank anyone.
    """
    if limit <= 0 or not cards:
        return ()
    shuffled = sorted(cards, key=lambda card: card.card_id)
    rng.shuffle(shuffled)
    chosen: list[DigestCard] = []
    seen: set[int | None] = set()
    for card in shuffled:
        if len(chosen) == limit:
            break
        if card.recipient_id not in seen:
            chosen.append(card)
            seen.add(card.recipient_id)
    for card in shuffled:
        if len(chosen) == limit:
            break
        if card not in chosen:
            chosen.append(card)
    return tuple(sorted(chosen, key=lambda card: (card.created_at, card.card_id)))


def digest_numbers(
    cards: Sequence[DigestCard], rng: random.Random, *, highlights: int = MAX_HIGHLIGHTS
) -> DigestNumbers:
    """Return the digest of one week's cards."""
    return DigestNumbers(
        thank_yous=len(cards),
        people=people_count(cards),
        highlights=pick_highlights(cards, rng, highlights),
    )


def excerpt(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """Return ``text`` on one line, cut at a word to at most ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"
