"""The weekly digest's numbers: counts, people, highlights, its week, and anonymity."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.gratitude.digest import (
    EXCERPT_LIMIT,
    MAX_HIGHLIGHTS,
    DigestCard,
    digest_numbers,
    digest_rng,
    digest_window,
    excerpt,
    people_count,
    pick_highlights,
)
from bot.schedule.recurrence import Recurrence, next_occurrence

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def card(card_id: int, sender: int, recipient: int | None, *, anonymous: bool = False) -> DigestCard:
    return DigestCard(
        card_id=card_id,
        sender_id=sender,
        recipient_id=recipient,
        anonymous=anonymous,
        text=f"card {card_id}",
        created_at=T0 + timedelta(minutes=card_id),
        link=f"https://discord.com/channels/1/2/{card_id}",
    )


cards_strategy = st.lists(
    st.builds(
        card,
        st.integers(min_value=1, max_value=10**6),
        st.integers(min_value=1, max_value=8),
        st.one_of(st.none(), st.integers(min_value=1, max_value=8)),
        anonymous=st.booleans(),
    ),
    max_size=30,
    unique_by=lambda c: c.card_id,
)


def test_people_counts_recipients_and_named_senders() -> None:
    """Thank-yous and people: alice->bob, bob->carol, and an anonymous dave->alice make 3 people."""
    cards = [card(1, 1, 2), card(2, 2, 3), card(3, 4, 1, anonymous=True)]
    numbers = digest_numbers(cards, random.Random(0))
    assert numbers.thank_yous == 3
    assert numbers.people == 3


def test_people_skips_erased_recipients() -> None:
    """A card whose recipient erased their data still counts as a thank-you, not as a person."""
    assert people_count([card(1, 1, None)]) == 1
    assert digest_numbers([card(1, 1, None)], random.Random(0)).thank_yous == 1


@given(cards_strategy, st.data())
def test_anonymous_senders_cannot_be_worked_out(cards: list[DigestCard], data: st.DataObject) -> None:
    """Whoever sent each anonymous card, the digest (numbers and highlights) is exactly the same."""
    anonymous = [c for c in cards if c.anonymous]
    assume(anonymous)
    swapped = [
        replace(c, sender_id=data.draw(st.integers(min_value=1, max_value=8))) if c.anonymous else c
        for c in cards
    ]
    first = digest_numbers(cards, random.Random(7))
    second = digest_numbers(swapped, random.Random(7))
    assert (first.thank_yous, first.people) == (second.thank_yous, second.people)
    assert [c.card_id for c in first.highlights] == [c.card_id for c in second.highlights]


@given(cards_strategy, st.integers(min_value=0, max_value=2**32))
def test_highlights_are_few_real_and_in_order(cards: list[DigestCard], seed: int) -> None:
    """At most three highlights, all from the week, oldest first, different people thanked when possible."""
    highlights = pick_highlights(cards, random.Random(seed))
    assert len(highlights) == min(MAX_HIGHLIGHTS, len(cards))
    assert all(h in cards for h in highlights)
    assert len({h.card_id for h in highlights}) == len(highlights)
    assert list(highlights) == sorted(highlights, key=lambda c: (c.created_at, c.card_id))
    recipients = {c.recipient_id for c in cards}
    distinct = {h.recipient_id for h in highlights}
    assert len(distinct) == min(len(highlights), len(recipients))


@given(cards_strategy, st.integers(min_value=0, max_value=2**32))
def test_highlights_do_not_depend_on_card_order(cards: list[DigestCard], seed: int) -> None:
    """Chance picks the highlights, not the order cards were read in (no popularity, no ranking)."""
    forward = pick_highlights(cards, random.Random(seed))
    backward = pick_highlights(list(reversed(cards)), random.Random(seed))
    assert forward == backward


def test_digest_rng_is_reproducible() -> None:
    """The same server and week always pick the same highlights (a re-send shows the same)."""
    cards = [card(n, n % 3 + 1, n % 4 + 1) for n in range(1, 20)]
    week = date(2026, 11, 27)
    assert pick_highlights(cards, digest_rng(5, week)) == pick_highlights(cards, digest_rng(5, week))


zones = st.sampled_from(
    ["UTC", "Europe/London", "America/New_York", "Australia/Adelaide", "Asia/Kolkata", "Pacific/Apia"]
)


@given(
    zones,
    st.integers(min_value=0, max_value=6),
    st.times().map(lambda t: time(t.hour, t.minute)),
    st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive; the values are aware)
        max_value=datetime(2035, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
)
def test_digest_windows_tile_the_weeks(zone: str, weekday: int, local_time: time, after: datetime) -> None:
    """Consecutive digests cover back-to-back weeks across DST changes: no card missed or counted twice."""
    rule = Recurrence(timezone=zone, local_time=local_time, weekdays=frozenset({weekday}))
    first = next_occurrence(rule, after)
    second = next_occurrence(rule, first)
    start_first, end_first = digest_window(rule, first)
    start_second, end_second = digest_window(rule, second)
    assert end_first == first and end_second == second
    assert start_second == end_first
    assert start_first < end_first
    assert timedelta(days=6) <= end_first - start_first <= timedelta(days=8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thank you!", "Thank you!"),
        ("Line one\n\nline two", "Line one line two"),
        ("word " * 100, ("word " * 39).strip() + "…"),
    ],
)
def test_excerpt(text: str, expected: str) -> None:
    """Excerpts are one line, cut at a word, with an ellipsis when shortened."""
    assert excerpt(text) == expected


@given(st.text(max_size=1000))
def test_excerpt_fits(text: str) -> None:
    """An excerpt never exceeds its limit and has no line breaks."""
    short = excerpt(text)
    assert len(short) <= EXCERPT_LIMIT
    assert "\n" not in short
