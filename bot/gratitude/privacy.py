"""Gratitude as the privacy tools see them: export, erasure (posted cards deleted) and server purge."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import gratitude
from bot.db.repos.gratitude import Card
from bot.delivery import SEND_FAILURES, reason_of
from bot.privacy.foundation import iso
from bot.privacy.registry import Counts, ErasureContext, ExportData, PrivacyAggregate

log = logging.getLogger(__name__)


def _card(card: Card, *, show_sender: bool) -> dict[str, object]:
    """Return one card for an export (the sender of an anonymous card only for the sender)."""
    return {
        "id": card.id,
        "server_id": str(card.guild_id),
        "sender_id": str(card.sender_id) if show_sender else None,
        "recipient_id": None if card.recipient_id is None else str(card.recipient_id),
        "text": card.text,
        "anonymous": card.anonymous,
        "posted": card.posted,
        "created_at": iso(card.created_at),
    }


async def export_user_gratitude(db: Database, cipher: DataCipher, user_id: int) -> ExportData:
    """Return the cards the person wrote and received, their DM choice and whom they were drawn to thank."""
    data: ExportData = {}
    cards = await gratitude.cards_for_user(db, user_id)
    given = [_card(card, show_sender=True) for card in cards if card.sender_id == user_id]
    # An anonymous card keeps its sender from the person thanked, in the export too.
    received = [
        _card(card, show_sender=not card.anonymous)
        for card in cards
        if card.recipient_id == user_id and card.sender_id != user_id
    ]
    if given:
        data["given"] = given
    if received:
        data["received"] = received
    if await gratitude.wants_notify(db, user_id):
        data["notify_when_thanked"] = True
    # Only the person's own assignments: who was drawn to thank them stays a surprise.
    draws = [
        {"server_id": str(draw.guild_id), "week": draw.week.isoformat(), "receiver_id": str(draw.receiver_id)}
        for draw in await gratitude.draws_of_giver(db, user_id)
    ]
    if draws:
        data["rotation"] = draws
    return data


async def delete_card_messages(client: discord.Client, cards: Sequence[Card]) -> int:
    """Delete the channel messages of erased cards; return how many went."""
    deleted = 0
    for card in cards:
        if card.message_id is None:
            continue
        message = client.get_partial_messageable(card.channel_id).get_partial_message(card.message_id)
        try:
            await message.delete()
        except discord.NotFound:
            # Someone deleted it already.
            continue
        except SEND_FAILURES as error:
            log.warning(
                "Could not delete the message of erased gratitude card %s (%s)", card.id, reason_of(error)
            )
            continue
        deleted += 1
    return deleted


async def delete_user_gratitude(db: Database, user_id: int, context: ErasureContext) -> Counts:
    """Erase the person's cards (records, then messages), drop them from cards to them, forget choices."""
    received = await gratitude.count_received(db, user_id)
    erased = await gratitude.erase_user(db, user_id)
    # The records are gone before Discord is called, outside any transaction.
    if context.client is not None:
        await delete_card_messages(context.client, erased)
    return {"gratitude_cards": len(erased), "gratitude_received": received}


async def purge_guild_gratitude(db: Database, guild_id: int) -> Counts:
    """Delete a server's gratitude settings, cards and rotation draws."""
    return {"gratitude_cards": await gratitude.delete_for_guild(db, guild_id)}


GRATITUDE = PrivacyAggregate(
    "gratitude",
    export_user=export_user_gratitude,
    delete_user=delete_user_gratitude,
    purge_guild=purge_guild_gratitude,
)
