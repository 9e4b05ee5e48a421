"""Gratitude's storage for the cogs: the server's set-up, its cards and the "someone thanked you" DM.

Posting and removing cards (Discord first, then the row) live in
:mod:`bot.gratitude.posting`; the weekly schedules in :mod:`bot.gratitude.weekly`.
Saving the set-up writes the configuration and its schedules in one transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.db.database import Database
from bot.db.repos import circles, gratitude
from bot.db.repos.gratitude import RECENT_LIMIT
from bot.db.repos.gratitude import Card as Card
from bot.db.repos.gratitude import GratitudeConfig as GratitudeConfig
from bot.gratitude.validation import CardReference
from bot.gratitude.weekly import save_schedules

log = logging.getLogger(__name__)


async def config_of(db: Database, guild_id: int) -> GratitudeConfig | None:
    """Return the server's gratitude set-up, or None if it has none."""
    return await gratitude.get_config(db, guild_id)


async def configure(db: Database, config: GratitudeConfig, now: datetime) -> GratitudeConfig:
    """Save the set-up and its weekly digest (and rotation) schedules together; return it as stored."""
    async with db.transaction() as tx:
        saved = await gratitude.save_config(tx, config, now)
        await save_schedules(tx, saved, now)
    log.info("Gratitude set up in guild %s by user %s", saved.guild_id, saved.configured_by)
    return saved


async def circle_size(db: Database, guild_id: int) -> int:
    """Return how many people are in the server's circle (the rotation draws among them)."""
    return len(await circles.members(db, guild_id))


async def recent(db: Database, guild_id: int, limit: int = RECENT_LIMIT) -> list[Card]:
    """Return the server's latest posted cards, newest first."""
    return await gratitude.recent_cards(db, guild_id, limit=limit)


async def find_card(db: Database, guild_id: int, reference: CardReference) -> Card | None:
    """Return the server's posted card an admin named, by number or by its message, or None."""
    if reference.card_id is not None:
        return await gratitude.get_card(db, guild_id, reference.card_id)
    if reference.message_id is not None:
        return await gratitude.get_card_by_message(db, guild_id, reference.message_id)
    return None


async def set_notify(db: Database, user_id: int, enabled: bool, now: datetime) -> None:
    """Turn the "someone thanked you" DM on or off."""
    await gratitude.set_notify(db, user_id, enabled, now)
