"""Rendering gratitude cards, the recent list and the weekly digest (no sending here).

User text only ever goes into embeds, which never ping anyone; the one line
of message content names the recipient, and ``card_mentions`` lets exactly
that person be pinged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

import discord

from bot.db.repos.gratitude import Card
from bot.gratitude.digest import DigestNumbers, excerpt
from bot.ui import HEARTH_COLOUR

MODAL_TITLE_LIMIT = 45
CHOICE_NAME_LIMIT = 100
RECENT_EXCERPT_LIMIT = 120
CHOICE_EXCERPT_LIMIT = 60


class Texts(Protocol):
    """A table of texts: ``texts(key, **placeholders)`` (content/gratitude.toml)."""

    def __call__(self, key: str, **values: Any) -> str:
        """Return the text for ``key`` with its placeholders filled in."""
        ...


def mention(user_id: int | None, texts: Texts) -> str:
    """Return a user mention, or "someone" for a person who erased their data."""
    return texts("card.someone") if user_id is None else f"<@{user_id}>"


def message_link(guild_id: int, channel_id: int, message_id: int) -> str:
    """Return the jump link of a message."""
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def card_link(card: Card) -> str:
    """Return the jump link of a posted card (its channel if it has no message yet)."""
    if card.message_id is None:
        return f"https://discord.com/channels/{card.guild_id}/{card.channel_id}"
    return message_link(card.guild_id, card.channel_id, card.message_id)


def source_link(card: Card) -> str | None:
    """Return the link of the message a card is about, if any."""
    if card.source_channel_id is None or card.source_message_id is None:
        return None
    return message_link(card.guild_id, card.source_channel_id, card.source_message_id)


def card_mentions(recipient_id: int) -> discord.AllowedMentions:
    """Return the mentions a card may make: the recipient, nobody and nothing else."""
    return discord.AllowedMentions(users=[discord.Object(recipient_id)], everyone=False, roles=False)


def card_content(texts: Texts, recipient_id: int) -> str:
    """Return the card's message line, which pings the recipient."""
    return texts("card.ping", recipient=f"<@{recipient_id}>")


def build_card_embed(texts: Texts, card: Card) -> discord.Embed:
    """Return a card: for whom, the message, from whom unless anonymous, the date, and its source message."""
    return card_embed(
        texts,
        text=card.text,
        recipient_id=card.recipient_id,
        sender_id=None if card.anonymous else card.sender_id,
        created_at=card.created_at,
        source=source_link(card),
    )


def card_embed(
    texts: Texts,
    *,
    text: str,
    recipient_id: int | None,
    sender_id: int | None,
    created_at: datetime,
    source: str | None = None,
) -> discord.Embed:
    """Return a card's embed (``sender_id`` None: anonymous), whether or not it is stored."""
    embed = discord.Embed(
        title=texts("card.title"), description=text, colour=HEARTH_COLOUR, timestamp=created_at
    )
    embed.add_field(name=texts("card.to_label"), value=mention(recipient_id, texts))
    sender = texts("card.anonymous_from") if sender_id is None else f"<@{sender_id}>"
    embed.add_field(name=texts("card.from_label"), value=sender)
    if source is not None:
        embed.add_field(
            name=texts("card.about_label"), value=texts("card.about_value", link=source), inline=False
        )
    embed.set_footer(text=texts("card.footer"))
    return embed


def modal_title(texts: Texts, name: str) -> str:
    """Return the modal's title for thanking ``name``, shortening the name to fit Discord's 45 characters."""
    title = texts("modal.title", name=name)
    if len(title) <= MODAL_TITLE_LIMIT:
        return title
    room = max(1, MODAL_TITLE_LIMIT - (len(title) - len(name)) - 1)
    title = texts("modal.title", name=name[:room].rstrip() + "…")
    return title[:MODAL_TITLE_LIMIT]


def build_recent_embed(texts: Texts, cards: Sequence[Card], send: str) -> discord.Embed:
    """Return the list of a server's latest cards; anonymous senders stay anonymous."""
    embed = discord.Embed(title=texts("recent.title"), colour=HEARTH_COLOUR)
    if not cards:
        embed.description = texts("recent.empty", send=send)
        return embed
    lines = [
        texts(
            "recent.line",
            number=card.id,
            recipient=mention(card.recipient_id, texts),
            sender=texts("recent.anonymous") if card.anonymous else f"<@{card.sender_id}>",
            when=discord.utils.format_dt(card.created_at, "R"),
            link=card_link(card),
            excerpt=excerpt(card.text, RECENT_EXCERPT_LIMIT),
        )
        for card in cards
    ]
    embed.description = "\n".join(lines)
    return embed


def removal_choice(texts: Texts, card: Card) -> str:
    """Return how a card is offered in /gratitude-remove's autocomplete (at most 100 characters)."""
    name = texts(
        "remove.choice",
        number=card.id,
        date=card.created_at.strftime("%d %b %Y"),
        excerpt=excerpt(card.text, CHOICE_EXCERPT_LIMIT),
    )
    return name if len(name) <= CHOICE_NAME_LIMIT else name[: CHOICE_NAME_LIMIT - 1] + "…"


def digest_summary(texts: Texts, numbers: DigestNumbers, *, send: str) -> str:
    """Return the digest's first line: how many thank-yous, and between how many people."""
    if numbers.thank_yous == 0:
        return texts("digest.quiet", send=send)
    if numbers.thank_yous == 1:
        return texts("digest.summary_one")
    if numbers.people >= 2:
        return texts("digest.summary_people", count=numbers.thank_yous, people=numbers.people)
    return texts("digest.summary_many", count=numbers.thank_yous)


def build_digest_embed(
    texts: Texts, numbers: DigestNumbers, *, send: str, week_start: datetime, week_end: datetime
) -> discord.Embed:
    """Return the weekly digest: the week's numbers and a few highlights, never a ranking."""
    embed = discord.Embed(title=texts("digest.title"), colour=HEARTH_COLOUR, timestamp=week_end)
    week = f"{discord.utils.format_dt(week_start, 'D')} – {discord.utils.format_dt(week_end, 'D')}"
    description = f"{digest_summary(texts, numbers, send=send)}\n{week}"
    if numbers.highlights:
        moments = [
            texts(
                "digest.highlight",
                excerpt=excerpt(card.text),
                recipient=mention(card.recipient_id, texts),
                sender=texts("digest.anonymous") if card.anonymous else f"<@{card.sender_id}>",
                link=card.link,
            )
            for card in numbers.highlights
        ]
        description += f"\n\n**{texts('digest.highlights')}**\n" + "\n\n".join(moments)
    embed.description = description
    embed.set_footer(text=texts("digest.footer"))
    return embed
