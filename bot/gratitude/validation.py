"""Who can be thanked and what a card may say; and reading which card an admin means.

Pure rules: the cog gathers the facts (is the target a bot, a member of the
server) and turns a refusal into a kind message from content.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

MESSAGE_LIMIT = 1000
# Unicode categories that show nothing on their own: format characters (zero-width space, joiners,
# direction marks), controls, and separators.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
# Message links from any Discord client (stable, PTB or canary).
_MESSAGE_LINK = re.compile(
    r"^https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/(\d{15,20}|@me)/(\d{15,20})/(\d{15,20})/?$"
)
# Card numbers are small; a long number is a Discord id (a message id, from "Copy Message ID").
_CARD_NUMBER = re.compile(r"^#?(\d{1,12})$")
_SNOWFLAKE = re.compile(r"^(\d{15,20})$")


class Refusal(StrEnum):
    """Why a card can't be sent; each has a kind message in content/gratitude.toml (``refuse.<value>``)."""

    BOT = "bot"
    SELF = "self"
    NOT_MEMBER = "not_member"
    EMPTY = "empty"
    TOO_LONG = "too_long"


class CardRefusedError(Exception):
    """A card was refused; ``length`` is the cleaned text's length for ``TOO_LONG``."""

    def __init__(self, refusal: Refusal, *, length: int = 0) -> None:
        # No user text in the exception: it may reach a log line.
        super().__init__(refusal.value)
        self.refusal = refusal
        self.length = length


@dataclass(frozen=True)
class Recipient:
    """What the bot knows about the person being thanked."""

    user_id: int
    is_bot: bool
    is_member: bool


def recipient_refusal(sender_id: int, recipient: Recipient) -> Refusal | None:
    """Return why ``recipient`` can't be thanked by ``sender_id``, or None if they can."""
    if recipient.is_bot:
        return Refusal.BOT
    if recipient.user_id == sender_id:
        return Refusal.SELF
    if not recipient.is_member:
        return Refusal.NOT_MEMBER
    return None


def is_blank(text: str) -> bool:
    """Return whether ``text`` shows nothing: only whitespace and invisible characters."""
    return all(char.isspace() or unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in text)


def clean_text(text: str) -> str:
    """Return the card text as it will be posted: surrounding whitespace removed, the rest verbatim."""
    return text.strip()


def check_text(text: str) -> str:
    """Return the cleaned card text, or raise CardRefusedError if it is empty or too long."""
    cleaned = clean_text(text)
    if is_blank(cleaned):
        raise CardRefusedError(Refusal.EMPTY)
    if len(cleaned) > MESSAGE_LIMIT:
        raise CardRefusedError(Refusal.TOO_LONG, length=len(cleaned))
    return cleaned


def check_recipient(sender_id: int, recipient: Recipient) -> None:
    """Raise CardRefusedError if ``recipient`` can't be thanked by ``sender_id``."""
    refusal = recipient_refusal(sender_id, recipient)
    if refusal is not None:
        raise CardRefusedError(refusal)


def check_card(sender_id: int, recipient: Recipient, text: str) -> str:
    """Check a whole card (recipient first, then text) and return the text to post."""
    check_recipient(sender_id, recipient)
    return check_text(text)


@dataclass(frozen=True)
class CardReference:
    """Which card an admin named: by its number, or by the id of its message."""

    card_id: int | None = None
    message_id: int | None = None


def parse_card_reference(text: str) -> CardReference | None:
    """Read a card number (``12``, ``#12``), a message link or a message id; None if it is neither."""
    value = text.strip()
    link = _MESSAGE_LINK.match(value)
    if link is not None:
        return CardReference(message_id=int(link[3]))
    snowflake = _SNOWFLAKE.match(value)
    if snowflake is not None:
        return CardReference(message_id=int(snowflake[1]))
    number = _CARD_NUMBER.match(value)
    if number is not None and int(number[1]) > 0:
        return CardReference(card_id=int(number[1]))
    return None
