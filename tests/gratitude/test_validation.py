"""Who can be thanked, what a card may say, and reading which card an admin means."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.gratitude.validation import (
    MESSAGE_LIMIT,
    CardReference,
    CardRefusedError,
    Recipient,
    Refusal,
    check_card,
    check_text,
    is_blank,
    parse_card_reference,
    recipient_refusal,
)

SENDER = 1
FRIEND = Recipient(2, is_bot=False, is_member=True)


@pytest.mark.parametrize(
    ("recipient", "expected"),
    [
        (FRIEND, None),
        (Recipient(3, is_bot=True, is_member=True), Refusal.BOT),
        (Recipient(SENDER, is_bot=False, is_member=True), Refusal.SELF),
        (Recipient(4, is_bot=False, is_member=False), Refusal.NOT_MEMBER),
        # A bot that isn't a member is still, first of all, a bot.
        (Recipient(5, is_bot=True, is_member=False), Refusal.BOT),
    ],
)
def test_recipient_refusal_cases(recipient: Recipient, expected: Refusal | None) -> None:
    """Bots, yourself and non-members are refused; a fellow member is fine."""
    assert recipient_refusal(SENDER, recipient) is expected


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u200b", " \u200d\u2060 ", "\u3000", "\u202e"])
def test_check_text_refuses_blank(text: str) -> None:
    """Text with nothing visible (whitespace, zero-width or direction marks) is refused as empty."""
    with pytest.raises(CardRefusedError) as raised:
        check_text(text)
    assert raised.value.refusal is Refusal.EMPTY


def test_check_text_limit_is_after_trimming() -> None:
    """1000 characters pass (surrounding spaces don't count); 1001 are refused with the length."""
    assert check_text("  " + "x" * MESSAGE_LIMIT + "\n") == "x" * MESSAGE_LIMIT
    with pytest.raises(CardRefusedError) as raised:
        check_text("x" * (MESSAGE_LIMIT + 1))
    assert raised.value.refusal is Refusal.TOO_LONG and raised.value.length == MESSAGE_LIMIT + 1


def test_check_text_keeps_markdown_and_mentions_verbatim() -> None:
    """Text is stored as written: markdown, mentions and inner newlines stay (embeds never ping)."""
    text = "**Thank you** @everyone <@&5>\n\n```code```"
    assert check_text(f"  {text}  ") == text


def test_check_card_checks_recipient_before_text() -> None:
    """A card to a bot with an empty text is refused for the bot."""
    with pytest.raises(CardRefusedError) as raised:
        check_card(SENDER, Recipient(3, is_bot=True, is_member=True), "")
    assert raised.value.refusal is Refusal.BOT


def test_refusal_error_carries_no_text() -> None:
    """The exception names the refusal only, so no card text can reach a log line."""
    with pytest.raises(CardRefusedError) as raised:
        check_text("secret " * 200)
    assert "secret" not in str(raised.value)


@given(st.text(max_size=MESSAGE_LIMIT + 50))
def test_check_text_property(text: str) -> None:
    """Any text is either refused (blank or too long) or returned trimmed and within the limit."""
    try:
        cleaned = check_text(text)
    except CardRefusedError as error:
        stripped = text.strip()
        if error.refusal is Refusal.EMPTY:
            assert is_blank(stripped)
        else:
            assert error.refusal is Refusal.TOO_LONG and len(stripped) > MESSAGE_LIMIT
    else:
        assert cleaned == text.strip()
        assert 1 <= len(cleaned) <= MESSAGE_LIMIT
        assert not is_blank(cleaned)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", CardReference(card_id=12)),
        (" #7 ", CardReference(card_id=7)),
        ("1575933573289082883", CardReference(message_id=1575933573289082883)),
        (
            "https://discord.com/channels/1575933573289082881/1575933573289082882/1575933573289082883",
            CardReference(message_id=1575933573289082883),
        ),
        (
            "https://canary.discord.com/channels/1575933573289082881/1575933573289082882/1575933573289082883",
            CardReference(message_id=1575933573289082883),
        ),
        ("0", None),
        ("#", None),
        ("the nice one", None),
        ("https://example.com/channels/1/2/3", None),
        ("12; DROP TABLE gratitude_cards", None),
    ],
)
def test_parse_card_reference(text: str, expected: CardReference | None) -> None:
    """Numbers, message ids and message links are understood; anything else is not."""
    assert parse_card_reference(text) == expected
