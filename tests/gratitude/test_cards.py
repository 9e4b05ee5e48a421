"""Rendering cards, the recent list, the digest and the form's title."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.gratitude import GratitudeTexts, load_gratitude_texts
from bot.content.library import CONTENT_DIR
from bot.db.repos.gratitude import Card
from bot.gratitude.cards import (
    CHOICE_NAME_LIMIT,
    MODAL_TITLE_LIMIT,
    build_card_embed,
    build_digest_embed,
    build_recent_embed,
    card_content,
    card_mentions,
    modal_title,
    removal_choice,
)
from bot.gratitude.digest import DigestCard, DigestNumbers, digest_numbers
from bot.ui import embed_fits

WHEN = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def texts() -> GratitudeTexts:
    return load_gratitude_texts(CONTENT_DIR / "gratitude.toml")


def make_card(**overrides: object) -> Card:
    values: dict[str, object] = {
        "id": 7,
        "guild_id": 1,
        "channel_id": 2,
        "message_id": 3,
        "sender_id": 11,
        "recipient_id": 22,
        "text": "Thank you for the soup.",
        "anonymous": False,
        "source_channel_id": None,
        "source_message_id": None,
        "created_at": WHEN,
    }
    values.update(overrides)
    return Card(**values)  # type: ignore[arg-type]


def test_card_embed_shows_who_what_and_when(texts: GratitudeTexts) -> None:
    """A signed card names the recipient and sender, shows the text verbatim and carries the date."""
    embed = build_card_embed(texts, make_card(text="**Thanks** @everyone <@&5>"))
    data = embed.to_dict()
    assert data["description"] == "**Thanks** @everyone <@&5>"
    assert [(f["name"], f["value"]) for f in data["fields"]] == [("For", "<@22>"), ("From", "<@11>")]
    assert data["timestamp"].startswith("2026-11-23T12:00")
    assert embed_fits(embed)


def test_anonymous_card_has_no_sender(texts: GratitudeTexts) -> None:
    """An anonymous card says so, and the sender's id appears nowhere in it."""
    embed = build_card_embed(texts, make_card(anonymous=True, sender_id=123456789))
    dumped = json.dumps(embed.to_dict())
    assert "123456789" not in dumped
    assert "anonymous" in dumped


def test_card_about_a_message_links_to_it(texts: GratitudeTexts) -> None:
    """ "Appreciate this message" cards link to the message they are about."""
    embed = build_card_embed(texts, make_card(source_channel_id=30, source_message_id=40))
    assert "https://discord.com/channels/1/30/40" in json.dumps(embed.to_dict())


def test_card_pings_exactly_the_recipient(texts: GratitudeTexts) -> None:
    """The card's one line mentions the recipient, and its allowed mentions are that user only."""
    assert "<@22>" in card_content(texts, 22)
    assert card_mentions(22).to_dict() == {"parse": [], "users": [22], "replied_user": True}


def test_erased_recipient_is_someone(texts: GratitudeTexts) -> None:
    """A card whose recipient erased their data shows "someone"."""
    embed = build_card_embed(texts, make_card(recipient_id=None))
    assert embed.to_dict()["fields"][0]["value"] == "someone"


@given(st.text(min_size=1, max_size=200))
def test_modal_title_fits(name: str) -> None:
    """The form's title stays within Discord's 45 characters, whatever the person's name."""
    texts = load_gratitude_texts(CONTENT_DIR / "gratitude.toml")
    title = modal_title(texts, name)
    assert 1 <= len(title) <= MODAL_TITLE_LIMIT


def test_modal_title_short_name(texts: GratitudeTexts) -> None:
    """A short name is shown whole."""
    assert modal_title(texts, "Bob") == "A thank-you for Bob"


def test_recent_embed_hides_anonymous_senders(texts: GratitudeTexts) -> None:
    """The recent list shows each card's number and link, and "someone" for anonymous senders."""
    cards = [make_card(id=n, message_id=100 + n, anonymous=n % 2 == 0, sender_id=900 + n) for n in range(10)]
    embed = build_recent_embed(texts, cards, "/gratitude send")
    dumped = json.dumps(embed.to_dict())
    assert "<@901>" in dumped and "<@900>" not in dumped
    assert "https://discord.com/channels/1/2/109" in dumped
    assert embed_fits(embed)


def test_recent_embed_of_long_cards_fits(texts: GratitudeTexts) -> None:
    """Ten cards of 1000 characters still make one embed within Discord's limits."""
    cards = [make_card(id=n, text="w " * 500) for n in range(10)]
    assert embed_fits(build_recent_embed(texts, cards, "/gratitude send"))


def test_recent_embed_empty(texts: GratitudeTexts) -> None:
    """With no cards yet, the list invites the first one."""
    embed = build_recent_embed(texts, [], "</gratitude send:1>")
    assert "</gratitude send:1>" in (embed.description or "")


@pytest.mark.parametrize(
    ("count", "people", "expected"),
    [
        (0, 0, "quiet week"),
        (1, 2, "One thank-you was shared this week."),
        (4, 3, "4 thank-yous were shared this week, between 3 people."),
        (2, 1, "2 thank-yous were shared this week."),
    ],
)
def test_digest_summary(texts: GratitudeTexts, count: int, people: int, expected: str) -> None:
    """The digest says how many thank-yous and between how many people, and is gentle when it's quiet."""
    numbers = DigestNumbers(thank_yous=count, people=people, highlights=())
    embed = build_digest_embed(texts, numbers, send="/gratitude send", week_start=WHEN, week_end=WHEN)
    assert expected in (embed.description or "")


def test_digest_of_long_cards_fits(texts: GratitudeTexts) -> None:
    """Highlights are excerpts, so the digest fits Discord's limits however long the cards are."""
    cards = [
        DigestCard(n, n, n + 1, n % 2 == 0, "x" * 1000, WHEN + timedelta(minutes=n), f"https://d/{n}")
        for n in range(1, 30)
    ]
    numbers = digest_numbers(cards, random.Random(1))
    embed = build_digest_embed(texts, numbers, send="/gratitude send", week_start=WHEN, week_end=WHEN)
    assert embed_fits(embed)
    assert "from someone" in (embed.description or "") or all(not c.anonymous for c in numbers.highlights)


def test_removal_choice_fits(texts: GratitudeTexts) -> None:
    """Autocomplete names stay within 100 characters and start with the card's number."""
    name = removal_choice(texts, make_card(id=123456, text="x" * 1000))
    assert len(name) <= CHOICE_NAME_LIMIT and name.startswith("#123456")
