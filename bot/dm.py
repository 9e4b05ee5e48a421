"""Direct messages that respect people's DM settings and Discord's invalid-request limit."""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

import aiohttp
import discord

from bot.db.database import Database
from bot.db.repos import users
from bot.schedule.errors import PermanentDeliveryError

log = logging.getLogger(__name__)

# 50007: the person closed DMs or blocked the bot; 50278: no server in common any more.
DM_REFUSED_CODES = frozenset({50007, 50278})

DM_UNDELIVERABLE_NOTICE = (
    "I tried to send you a direct message, but Discord wouldn't let it through, so I've paused "
    "what I was sending you there. Nothing is lost. If you'd like DMs from Hearth again, allow direct "
    "messages from members of a server we share (Server menu > Privacy Settings), then set up the "
    "check-in or reminder again and I'll send a test message."
)


# A DM that fails on the way (not refused by Discord): worth trying again later.
PASSING_FAILURES = (discord.HTTPException, aiohttp.ClientError, TimeoutError)


class OptIn(StrEnum):
    """How the DM that opts someone in to DMs went."""

    SENT = "sent"
    REFUSED = "refused"
    FAILED = "failed"


class DmUndeliverableError(PermanentDeliveryError):
    """Discord refused a DM to this person; no further DM is attempted until they opt in again."""

    def __init__(self, user_id: int) -> None:
        super().__init__("direct messages to this person are refused")
        self.user_id = user_id


async def send_dm(
    client: discord.Client, db: Database, user_id: int, now: datetime, **send: Any
) -> discord.Message:
    """Send a DM to ``user_id`` (no mentions unless ``allowed_mentions`` says so).

    A refused DM marks the person as unreachable and raises
    :class:`DmUndeliverableError`; it is never retried, because every 403
    counts towards Discord's invalid-request limit.
    """
    record = await users.get(db, user_id)
    if record is not None and record.dm_undeliverable_since is not None:
        raise DmUndeliverableError(user_id)
    send.setdefault("allowed_mentions", discord.AllowedMentions.none())
    channel: discord.abc.Messageable
    if record is not None and record.dm_channel_id is not None:
        channel = client.get_partial_messageable(record.dm_channel_id, type=discord.ChannelType.private)
    else:
        user = client.get_user(user_id) or await client.fetch_user(user_id)
        channel = await user.create_dm()
        await users.set_dm_channel(db, user_id, channel.id, now)
    try:
        return await channel.send(**send)
    except discord.Forbidden as error:
        if error.code not in DM_REFUSED_CODES:
            raise
        await users.mark_dm_undeliverable(db, user_id, now)
        log.info("DMs to user %s are refused (code %s); paused", user_id, error.code)
        raise DmUndeliverableError(user_id) from None


async def send_opt_in_dm(
    client: discord.Client, db: Database, user_id: int, now: datetime, **send: Any
) -> OptIn:
    """Send the test DM of a command that asks for DMs, trying afresh after an earlier refusal.

    Asking for DMs is the person saying they can receive them again. If Discord
    still refuses, the command's reply says so, so their next command need not
    repeat it (the pending notice is taken).
    """
    await users.clear_dm_undeliverable(db, user_id)
    try:
        await send_dm(client, db, user_id, now, **send)
    except DmUndeliverableError:
        await users.take_dm_notice(db, user_id)
        return OptIn.REFUSED
    except PASSING_FAILURES:
        return OptIn.FAILED
    return OptIn.SENT
