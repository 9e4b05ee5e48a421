"""Posting and removing gratitude cards, and the optional "someone thanked you" DM."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.db.repos import gratitude
from bot.db.repos.gratitude import Card, GratitudeConfig
from bot.delivery import (
    SEND_FAILURES,
    ChannelUnavailableError,
    DmUndeliverableError,
    channel_error,
    send_dm,
    text_channel,
)
from bot.gratitude.cards import build_card_embed, card_content, card_embed, card_link, card_mentions
from bot.gratitude.validation import Recipient, check_card
from bot.permissions import bot_permissions_in, missing_permissions

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)


class GratitudeNotConfiguredError(Exception):
    """The server has no gratitude channel."""


class CardRemovalError(Exception):
    """Discord did not delete a card's message; the card was kept."""


async def gratitude_channel(bot: HearthBot, guild_id: int, channel_id: int) -> discord.TextChannel:
    """Return the gratitude channel if the bot can post cards there, else raise a delivery error."""
    channel = await text_channel(bot, guild_id, channel_id)
    missing = missing_permissions(bot_permissions_in(channel), threads=False)
    if missing:
        raise ChannelUnavailableError(f"missing permissions ({', '.join(missing)})", missing=missing)
    return channel


async def require_config(bot: HearthBot, guild_id: int) -> GratitudeConfig:
    """Return the server's gratitude configuration, or raise GratitudeNotConfiguredError."""
    config = await gratitude.get_config(bot.db, guild_id)
    if config is None:
        raise GratitudeNotConfiguredError
    return config


@dataclass(frozen=True)
class CardSource:
    """The message a card is about ("Appreciate this message")."""

    channel_id: int
    message_id: int


async def post_card(
    bot: HearthBot,
    guild_id: int,
    *,
    sender_id: int,
    recipient_id: int,
    text: str,
    anonymous: bool,
    source: CardSource | None = None,
) -> Card:
    """Post a card in the server's gratitude channel and record it; the text must already be checked.

    Raises GratitudeNotConfiguredError, ChannelUnavailableError or
    TransientDeliveryError; on any of them nothing is posted or kept.
    """
    config = await require_config(bot, guild_id)
    channel = await gratitude_channel(bot, config.guild_id, config.channel_id)
    card = await gratitude.add_card(
        bot.db,
        guild_id=guild_id,
        channel_id=channel.id,
        sender_id=sender_id,
        recipient_id=recipient_id,
        text=text,
        anonymous=anonymous,
        now=bot.clock.now(),
        source_channel_id=source.channel_id if source else None,
        source_message_id=source.message_id if source else None,
    )
    texts = bot.content.gratitude
    try:
        message = await channel.send(
            content=card_content(texts, recipient_id),
            embed=build_card_embed(texts, card),
            allowed_mentions=card_mentions(recipient_id),
        )
    except SEND_FAILURES as error:
        await gratitude.delete_card(bot.db, card.id)
        raise channel_error(error) from error
    posted = await gratitude.set_card_message(bot.db, card.id, message.id)
    if posted is None:
        raise RuntimeError(f"gratitude card {card.id} vanished while it was posted")
    log.info("Posted gratitude card %s in guild %s (message %s)", card.id, guild_id, message.id)
    return posted


async def notify_recipient(bot: HearthBot, card: Card, guild_name: str) -> bool:
    """DM the person thanked a link to their card if they asked for it; return whether a DM went out.

    A failed DM never affects the card: a refusal is remembered by send_dm
    (and explained on the person's next command), anything else is logged.
    """
    if card.recipient_id is None or not await gratitude.wants_notify(bot.db, card.recipient_id):
        return False
    texts = bot.content.gratitude
    content = texts("notify.dm", guild=discord.utils.escape_markdown(guild_name), link=card_link(card))
    try:
        await send_dm(bot, bot.db, card.recipient_id, bot.clock.now(), content=content)
    except DmUndeliverableError:
        return False
    except SEND_FAILURES:
        log.warning("Could not DM user %s about gratitude card %s", card.recipient_id, card.id)
        return False
    return True


async def remove_card(bot: HearthBot, card: Card) -> bool:
    """Delete a card's message, then its record; return False if the message was already gone.

    Raises CardRemovalError (and keeps the card) if Discord did not delete the message.
    """
    if card.message_id is not None:
        message = bot.get_partial_messageable(card.channel_id).get_partial_message(card.message_id)
        try:
            await message.delete()
        except discord.NotFound:
            await gratitude.delete_card(bot.db, card.id)
            log.info("Removed gratitude card %s in guild %s (message already gone)", card.id, card.guild_id)
            return False
        except SEND_FAILURES as error:
            raise CardRemovalError(str(card.id)) from error
    await gratitude.delete_card(bot.db, card.id)
    log.info("Removed gratitude card %s in guild %s", card.id, card.guild_id)
    return True


@dataclass(frozen=True)
class PrivateChannelCard:
    """A card for a DM or group DM between people, posted as the interaction's own response."""

    content: str
    embed: discord.Embed
    allowed_mentions: discord.AllowedMentions


def private_channel_card(
    bot: HearthBot, *, sender_id: int, recipient: Recipient, text: str, anonymous: bool
) -> PrivateChannelCard:
    """Check a card for a private channel by the same rules as a server's, or raise CardRefusedError.

    Nothing is stored: the conversation holds the only copy. Everyone there sees who ran the
    command, so an anonymous card is refused (CardAnonymityError) rather than pretended.
    """
    cleaned = check_card(sender_id, recipient, text)
    if anonymous:
        raise CardAnonymityError
    texts = bot.content.gratitude
    embed = card_embed(
        texts, text=cleaned, recipient_id=recipient.user_id, sender_id=sender_id, created_at=bot.clock.now()
    )
    return PrivateChannelCard(card_content(texts, recipient.user_id), embed, card_mentions(recipient.user_id))


class CardAnonymityError(Exception):
    """An anonymous card was asked for where everyone sees who sent it."""
