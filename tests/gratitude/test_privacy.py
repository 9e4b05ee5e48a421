"""Gratitude in the privacy tools: export (anonymous senders kept hidden), erasure with messages, purge."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import cast
from unittest.mock import AsyncMock, MagicMock

import discord

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import gratitude
from bot.gratitude.privacy import GRATITUDE
from bot.privacy import catalog
from bot.privacy.registry import ErasureContext
from tests.prompts.standin import http_error

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
ALICE, BOB, CAROL = 1, 2, 3
GUILD, OTHER_GUILD = 9, 10
CHANNEL = 70
PLAIN = DataCipher(None)
WEEK = date(2026, 11, 23)


async def card(
    db: Database, sender: int, recipient: int, text: str, *, anonymous: bool = False, guild_id: int = GUILD
) -> gratitude.Card:
    """Store and 'post' a card; its message id is 1000 + its id."""
    stored = await gratitude.add_card(
        db,
        guild_id=guild_id,
        channel_id=CHANNEL,
        sender_id=sender,
        recipient_id=recipient,
        text=text,
        anonymous=anonymous,
        now=NOW,
    )
    posted = await gratitude.set_card_message(db, stored.id, 1000 + stored.id)
    assert posted is not None
    return posted


async def test_export_holds_cards_given_and_received_without_anonymous_senders(db: Database) -> None:
    """Cards the person wrote and got are exported; an anonymous card's sender stays hidden from them."""
    await card(db, ALICE, BOB, "thanks bob")
    await card(db, CAROL, ALICE, "secret admirer", anonymous=True)
    await card(db, BOB, ALICE, "thanks alice")
    await gratitude.set_notify(db, ALICE, True, NOW)
    await gratitude.save_draw(db, GUILD, WEEK, {ALICE: BOB, BOB: CAROL, CAROL: ALICE}, NOW)
    assert GRATITUDE.export_user is not None
    data = await GRATITUDE.export_user(db, PLAIN, ALICE)
    assert [item["text"] for item in data["given"]] == ["thanks bob"]
    received = {item["text"]: item["sender_id"] for item in data["received"]}
    assert received == {"secret admirer": None, "thanks alice": str(BOB)}
    assert data["notify_when_thanked"] is True
    assert data["rotation"] == [{"server_id": str(GUILD), "week": "2026-11-23", "receiver_id": str(BOB)}]
    carol = await GRATITUDE.export_user(db, PLAIN, CAROL)
    assert carol["given"][0]["sender_id"] == str(CAROL), "the anonymous sender sees their own card"


async def test_delete_removes_cards_and_their_messages_and_unnames_the_recipient(db: Database) -> None:
    """The person's cards and messages go; cards to them stay without their id; their DM choice goes."""
    first = await card(db, ALICE, BOB, "one")
    second = await card(db, ALICE, CAROL, "two")
    to_alice = await card(db, BOB, ALICE, "for alice")
    await gratitude.set_notify(db, ALICE, True, NOW)
    deleted: list[int] = []

    def partial(channel_id: int) -> MagicMock:
        channel = MagicMock(spec=discord.PartialMessageable)

        def message(message_id: int) -> MagicMock:
            found = MagicMock(spec=discord.PartialMessage)
            if message_id == second.message_id:
                found.delete = AsyncMock(side_effect=http_error(discord.NotFound, 404, 10008))
            else:
                found.delete = AsyncMock(side_effect=lambda: deleted.append(message_id))
            return found

        channel.get_partial_message.side_effect = message
        return channel

    client = MagicMock(spec=discord.Client)
    client.get_partial_messageable.side_effect = partial
    context = ErasureContext(cast("discord.Client", client), PLAIN, NOW)
    assert GRATITUDE.delete_user is not None
    counts = await GRATITUDE.delete_user(db, ALICE, context)
    assert counts == {"gratitude_cards": 2, "gratitude_received": 1}
    assert deleted == [first.message_id]
    [kept] = await gratitude.cards_for_user(db, BOB)
    assert kept.id == to_alice.id and kept.recipient_id is None and kept.text == "for alice"
    assert not await gratitude.wants_notify(db, ALICE)


async def test_purge_removes_a_servers_gratitude(db: Database) -> None:
    """Cards and draws of the purged server go; another server's stay."""
    await card(db, ALICE, BOB, "here")
    await card(db, ALICE, BOB, "there", guild_id=OTHER_GUILD)
    await gratitude.save_draw(db, GUILD, WEEK, {ALICE: BOB, BOB: ALICE}, NOW)
    assert GRATITUDE.purge_guild is not None
    assert await GRATITUDE.purge_guild(db, GUILD) == {"gratitude_cards": 1}
    assert [item.text for item in await gratitude.cards_for_user(db, ALICE)] == ["there"]
    assert await gratitude.get_draw(db, GUILD, WEEK) == []
    assert GRATITUDE in catalog.AGGREGATES
