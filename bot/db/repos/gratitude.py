"""Gratitude: each server's configuration, the cards, DM preferences and the rotation's weekly draws.

Cards are written in two steps: :func:`add_card` stores a pending card (no
``message_id``), and :func:`set_card_message` completes it once the message
is posted. Only posted cards are listed, counted or shown; a card whose post
failed is removed with :func:`delete_card`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.db.database import Database, Row, Transaction, atomic
from bot.db.timestamps import from_unix, to_unix

RECENT_LIMIT = 10


@dataclass(frozen=True)
class GratitudeConfig:
    """Where a server's cards go, and when and how its week is celebrated."""

    guild_id: int
    channel_id: int
    digest_weekday: int
    digest_time: str
    timezone: str
    rotation: bool
    configured_by: int


@dataclass(frozen=True)
class Card:
    """One thank-you. ``sender_id`` is private when ``anonymous``; ``recipient_id`` None once erased."""

    id: int
    guild_id: int
    channel_id: int
    message_id: int | None
    sender_id: int
    recipient_id: int | None
    text: str
    anonymous: bool
    source_channel_id: int | None
    source_message_id: int | None
    created_at: datetime

    @property
    def posted(self) -> bool:
        """Return whether the card's message is out."""
        return self.message_id is not None


class DmStatus(StrEnum):
    """What happened to a rotation DM."""

    SENT = "sent"
    UNDELIVERABLE = "undeliverable"


@dataclass(frozen=True)
class Draw:
    """One line of a week's rotation: ``giver_id`` is asked to appreciate ``receiver_id``."""

    guild_id: int
    week: date
    giver_id: int
    receiver_id: int
    dm_status: DmStatus | None


# --- configuration --------------------------------------------------------------------------------


def _config_from_row(row: Row) -> GratitudeConfig:
    """Build a GratitudeConfig from a row."""
    return GratitudeConfig(
        guild_id=int(row["guild_id"]),
        channel_id=int(row["channel_id"]),
        digest_weekday=int(row["digest_weekday"]),
        digest_time=str(row["digest_time"]),
        timezone=str(row["timezone"]),
        rotation=bool(row["rotation"]),
        configured_by=int(row["configured_by"]),
    )


async def save_config(db: Database | Transaction, config: GratitudeConfig, now: datetime) -> GratitudeConfig:
    """Create or replace a server's gratitude configuration and return it as stored."""
    async with atomic(db) as tx:
        rows = await tx.fetch_all(
            "INSERT INTO gratitude_configs (guild_id, channel_id, digest_weekday, digest_time, timezone,"
            " rotation, configured_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
            " digest_weekday = excluded.digest_weekday, digest_time = excluded.digest_time,"
            " timezone = excluded.timezone, rotation = excluded.rotation,"
            " configured_by = excluded.configured_by, updated_at = excluded.updated_at"
            " RETURNING *",
            (
                config.guild_id,
                config.channel_id,
                config.digest_weekday,
                config.digest_time,
                config.timezone,
                int(config.rotation),
                config.configured_by,
                to_unix(now),
            ),
        )
    return _config_from_row(rows[0])


async def get_config(db: Database | Transaction, guild_id: int) -> GratitudeConfig | None:
    """Return a server's gratitude configuration, or None if it has no gratitude channel."""
    row = await db.fetch_one("SELECT * FROM gratitude_configs WHERE guild_id = ?", (guild_id,))
    return None if row is None else _config_from_row(row)


async def delete_config(db: Database, guild_id: int) -> bool:
    """Forget a server's gratitude configuration; return whether it existed."""
    return await db.execute("DELETE FROM gratitude_configs WHERE guild_id = ?", (guild_id,)) == 1


# --- cards ----------------------------------------------------------------------------------------


def _card_from_row(row: Row) -> Card:
    """Build a Card from a row."""
    return Card(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        channel_id=int(row["channel_id"]),
        message_id=None if row["message_id"] is None else int(row["message_id"]),
        sender_id=int(row["sender_id"]),
        recipient_id=None if row["recipient_id"] is None else int(row["recipient_id"]),
        text=str(row["text"]),
        anonymous=bool(row["anonymous"]),
        source_channel_id=None if row["source_channel_id"] is None else int(row["source_channel_id"]),
        source_message_id=None if row["source_message_id"] is None else int(row["source_message_id"]),
        created_at=from_unix(int(row["created_at"])),
    )


async def add_card(
    db: Database,
    *,
    guild_id: int,
    channel_id: int,
    sender_id: int,
    recipient_id: int,
    text: str,
    anonymous: bool,
    now: datetime,
    source_channel_id: int | None = None,
    source_message_id: int | None = None,
) -> Card:
    """Store a card that is about to be posted (no message yet) and return it."""
    async with db.transaction() as tx:
        rows = await tx.fetch_all(
            "INSERT INTO gratitude_cards (guild_id, channel_id, sender_id, recipient_id, text, anonymous,"
            " source_channel_id, source_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING *",
            (
                guild_id,
                channel_id,
                sender_id,
                recipient_id,
                text,
                int(anonymous),
                source_channel_id,
                source_message_id,
                to_unix(now),
            ),
        )
    return _card_from_row(rows[0])


async def set_card_message(db: Database, card_id: int, message_id: int) -> Card | None:
    """Record the message a card was posted as; return the card, or None if it is gone."""
    async with db.transaction() as tx:
        rows = await tx.fetch_all(
            "UPDATE gratitude_cards SET message_id = ? WHERE id = ? RETURNING *", (message_id, card_id)
        )
    return _card_from_row(rows[0]) if rows else None


async def get_card(db: Database, guild_id: int, card_id: int) -> Card | None:
    """Return a posted card of this server by its number, or None."""
    row = await db.fetch_one(
        "SELECT * FROM gratitude_cards WHERE id = ? AND guild_id = ? AND message_id IS NOT NULL",
        (card_id, guild_id),
    )
    return None if row is None else _card_from_row(row)


async def get_card_by_message(db: Database, guild_id: int, message_id: int) -> Card | None:
    """Return the posted card of this server shown by ``message_id``, or None."""
    row = await db.fetch_one(
        "SELECT * FROM gratitude_cards WHERE message_id = ? AND guild_id = ?", (message_id, guild_id)
    )
    return None if row is None else _card_from_row(row)


async def delete_card(db: Database, card_id: int) -> bool:
    """Delete a card's record; return whether it existed."""
    return await db.execute("DELETE FROM gratitude_cards WHERE id = ?", (card_id,)) == 1


async def recent_cards(db: Database, guild_id: int, limit: int = RECENT_LIMIT) -> list[Card]:
    """Return a server's latest posted cards, newest first."""
    rows = await db.fetch_all(
        "SELECT * FROM gratitude_cards WHERE guild_id = ? AND message_id IS NOT NULL"
        " ORDER BY created_at DESC, id DESC LIMIT ?",
        (guild_id, limit),
    )
    return [_card_from_row(row) for row in rows]


async def cards_between(db: Database, guild_id: int, start: datetime, end: datetime) -> list[Card]:
    """Return a server's posted cards created in ``[start, end)``, oldest first."""
    rows = await db.fetch_all(
        "SELECT * FROM gratitude_cards WHERE guild_id = ? AND message_id IS NOT NULL"
        " AND created_at >= ? AND created_at < ? ORDER BY created_at, id",
        (guild_id, to_unix(start), to_unix(end)),
    )
    return [_card_from_row(row) for row in rows]


async def cards_for_user(db: Database, user_id: int) -> list[Card]:
    """Return every card a person sent or received, in any server, oldest first (for export)."""
    rows = await db.fetch_all(
        "SELECT * FROM gratitude_cards WHERE sender_id = ? OR recipient_id = ? ORDER BY created_at, id",
        (user_id, user_id),
    )
    return [_card_from_row(row) for row in rows]


async def erase_user(db: Database, user_id: int) -> list[Card]:
    """Erase a person: delete the cards they sent, drop them from cards they received and from draws.

    Returns the deleted cards, so the caller can delete their messages too.
    """
    async with db.transaction() as tx:
        rows = await tx.fetch_all("DELETE FROM gratitude_cards WHERE sender_id = ? RETURNING *", (user_id,))
        await tx.execute("UPDATE gratitude_cards SET recipient_id = NULL WHERE recipient_id = ?", (user_id,))
        await tx.execute("DELETE FROM gratitude_notify WHERE user_id = ?", (user_id,))
        await tx.execute(
            "DELETE FROM gratitude_rotation_draws WHERE giver_id = ? OR receiver_id = ?", (user_id, user_id)
        )
    return [_card_from_row(row) for row in rows]


async def delete_for_guild(db: Database, guild_id: int) -> int:
    """Delete everything gratitude keeps about a server; return the number of cards deleted."""
    async with db.transaction() as tx:
        cards = await tx.execute("DELETE FROM gratitude_cards WHERE guild_id = ?", (guild_id,))
        await tx.execute("DELETE FROM gratitude_rotation_draws WHERE guild_id = ?", (guild_id,))
        await tx.execute("DELETE FROM gratitude_configs WHERE guild_id = ?", (guild_id,))
    return cards


# --- DM preference --------------------------------------------------------------------------------


async def set_notify(db: Database, user_id: int, enabled: bool, now: datetime) -> bool:
    """Turn the "someone thanked you" DM on or off; return whether the preference changed."""
    if enabled:
        changed = await db.execute(
            "INSERT INTO gratitude_notify (user_id, enabled_at) VALUES (?, ?)"
            " ON CONFLICT (user_id) DO NOTHING",
            (user_id, to_unix(now)),
        )
    else:
        changed = await db.execute("DELETE FROM gratitude_notify WHERE user_id = ?", (user_id,))
    return changed == 1


async def wants_notify(db: Database, user_id: int) -> bool:
    """Return whether a person asked for a DM when thanked (off by default)."""
    row = await db.fetch_one("SELECT 1 FROM gratitude_notify WHERE user_id = ?", (user_id,))
    return row is not None


# --- rotation draws -------------------------------------------------------------------------------


def _draw_from_row(row: Row) -> Draw:
    """Build a Draw from a row."""
    status = row["dm_status"]
    return Draw(
        guild_id=int(row["guild_id"]),
        week=date.fromisoformat(str(row["week"])),
        giver_id=int(row["giver_id"]),
        receiver_id=int(row["receiver_id"]),
        dm_status=None if status is None else DmStatus(str(status)),
    )


async def get_draw(db: Database, guild_id: int, week: date) -> list[Draw]:
    """Return a server's stored draw for ``week`` (empty if none was drawn)."""
    rows = await db.fetch_all(
        "SELECT * FROM gratitude_rotation_draws WHERE guild_id = ? AND week = ? ORDER BY giver_id",
        (guild_id, week.isoformat()),
    )
    return [_draw_from_row(row) for row in rows]


async def save_draw(
    db: Database, guild_id: int, week: date, assignment: Mapping[int, int], now: datetime
) -> list[Draw]:
    """Store ``assignment`` (giver -> receiver) as the week's draw, unless one exists; return the stored one.

    The check and the insert share one transaction, so a week is drawn once
    even if two deliveries race.
    """
    if any(giver == receiver for giver, receiver in assignment.items()):
        raise ValueError("nobody may draw themselves")
    if len(set(assignment.values())) != len(assignment):
        raise ValueError("every member must be drawn exactly once")
    async with db.transaction() as tx:
        existing = await tx.fetch_one(
            "SELECT 1 FROM gratitude_rotation_draws WHERE guild_id = ? AND week = ?",
            (guild_id, week.isoformat()),
        )
        if existing is None:
            await tx.execute_many(
                "INSERT INTO gratitude_rotation_draws (guild_id, week, giver_id, receiver_id, drawn_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (guild_id, week.isoformat(), giver, receiver, to_unix(now))
                    for giver, receiver in sorted(assignment.items())
                ],
            )
    return await get_draw(db, guild_id, week)


async def mark_draw_dm(db: Database, guild_id: int, week: date, giver_id: int, status: DmStatus) -> bool:
    """Record what happened to a giver's rotation DM; return whether the line exists."""
    changed = await db.execute(
        "UPDATE gratitude_rotation_draws SET dm_status = ? WHERE guild_id = ? AND week = ? AND giver_id = ?",
        (status.value, guild_id, week.isoformat(), giver_id),
    )
    return changed == 1


async def previous_draw(db: Database, guild_id: int, before: date) -> dict[int, int]:
    """Return the server's most recent draw before ``before`` as giver -> receiver (empty if none)."""
    row = await db.fetch_one(
        "SELECT MAX(week) AS week FROM gratitude_rotation_draws WHERE guild_id = ? AND week < ?",
        (guild_id, before.isoformat()),
    )
    if row is None or row["week"] is None:
        return {}
    return {
        draw.giver_id: draw.receiver_id
        for draw in await get_draw(db, guild_id, date.fromisoformat(str(row["week"])))
    }


async def count_received(db: Database, user_id: int) -> int:
    """Return how many cards others wrote to a person."""
    row = await db.fetch_one(
        "SELECT COUNT(*) AS n FROM gratitude_cards WHERE recipient_id = ? AND sender_id != ?",
        (user_id, user_id),
    )
    return 0 if row is None else int(row["n"])


async def draws_of_giver(db: Database, giver_id: int) -> list[Draw]:
    """Return whom a person was drawn to appreciate, in every server, oldest week first."""
    rows = await db.fetch_all(
        "SELECT * FROM gratitude_rotation_draws WHERE giver_id = ? ORDER BY week, guild_id", (giver_id,)
    )
    return [_draw_from_row(row) for row in rows]
