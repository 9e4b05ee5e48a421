"""Sending to Discord: what a failed send means, DMs that respect people's settings, and the opt-in DM.

Every feature classifies a failed send here, so that a closed DM, a deleted
channel, a lost permission and a passing network fault mean the same thing
wherever they happen.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

import aiohttp
import discord

from bot.db.database import Database
from bot.db.repos import users
from bot.errors import InvalidInputError
from bot.schedule.errors import PermanentDeliveryError, TransientDeliveryError

log = logging.getLogger(__name__)

# Discord's JSON error codes that change what Hearth does.
UNKNOWN_CHANNEL = 10003
MISSING_ACCESS = 50001
CANNOT_DM = 50007
MISSING_PERMISSIONS = 50013
NO_MUTUAL_GUILDS = 50278
# The person closed DMs or blocked the bot, or shares no server with it any more.
DM_REFUSED_CODES = frozenset({CANNOT_DM, NO_MUTUAL_GUILDS})
NO_ACCESS_CODES = frozenset({MISSING_ACCESS, MISSING_PERMISSIONS})

# What a send can raise on its way: Discord's refusal or error, or the network failing under it.
SEND_FAILURES = (discord.HTTPException, aiohttp.ClientError, TimeoutError)

DM_UNDELIVERABLE_NOTICE = (
    "I tried to send you a direct message, but Discord wouldn't let it through, so I've paused "
    "what I was sending you there. Nothing is lost. If you'd like DMs from Hearth again, allow direct "
    "messages from members of a server we share (Server menu > Privacy Settings), then set up the "
    "check-in or reminder again and I'll send a test message."
)


class SendFailure(StrEnum):
    """What a failed send means for the next one."""

    DMS_CLOSED = "dms closed"
    CHANNEL_GONE = "channel gone"
    NO_ACCESS = "no access"
    # 5xx, 429 or the network: the same send may well work later.
    TRANSIENT = "transient"


class DmUndeliverableError(PermanentDeliveryError):
    """Discord refused a DM to this person; no further DM is attempted until they opt in again."""

    def __init__(self, user_id: int) -> None:
        super().__init__("direct messages to this person are refused")
        self.user_id = user_id


# A DM that did not arrive, for whatever reason: a caller that carries on without it catches these.
DM_FAILURES = (DmUndeliverableError, *SEND_FAILURES)


class ChannelUnavailableError(PermanentDeliveryError):
    """A channel is gone (``missing`` is None) or the bot lacks ``missing`` permissions there."""

    def __init__(self, reason: str, missing: list[str] | None = None) -> None:
        super().__init__(reason)
        self.missing = missing


def failure_of(error: BaseException) -> SendFailure:
    """Classify a failed send (an exception from discord.py or aiohttp)."""
    if isinstance(error, DmUndeliverableError):
        return SendFailure.DMS_CLOSED
    if not isinstance(error, discord.HTTPException):
        return SendFailure.TRANSIENT
    if error.code in DM_REFUSED_CODES:
        return SendFailure.DMS_CLOSED
    if isinstance(error, discord.NotFound) or error.code == UNKNOWN_CHANNEL:
        return SendFailure.CHANNEL_GONE
    if isinstance(error, discord.Forbidden) or error.code in NO_ACCESS_CODES:
        return SendFailure.NO_ACCESS
    return SendFailure.TRANSIENT


def reason_of(error: BaseException) -> str:
    """Return a short reason for logs and the schedule row, free of anything a person wrote."""
    if isinstance(error, discord.HTTPException):
        return f"HTTP {error.status} ({error.code})"
    return f"network error ({type(error).__name__})"


def _code_of(error: BaseException) -> str:
    """Return Discord's error code, or the HTTP status without one ("10003", "404")."""
    if isinstance(error, discord.HTTPException):
        return str(error.code or error.status)
    return type(error).__name__


def channel_error(error: BaseException) -> ChannelUnavailableError | TransientDeliveryError:
    """Map a failed send to, or fetch of, a channel: permanent (pause and tell) or transient (retry)."""
    failure = failure_of(error)
    if failure is SendFailure.CHANNEL_GONE:
        return ChannelUnavailableError(f"channel missing ({_code_of(error)})")
    if failure is not SendFailure.TRANSIENT:
        return ChannelUnavailableError(f"no access ({_code_of(error)})", missing=[])
    return TransientDeliveryError(reason_of(error))


def dm_error(error: BaseException) -> PermanentDeliveryError | TransientDeliveryError:
    """Map a failed scheduled DM: permanent (pause the schedule) or transient (retry)."""
    if isinstance(error, PermanentDeliveryError):
        return error
    if failure_of(error) is SendFailure.TRANSIENT:
        return TransientDeliveryError(reason_of(error))
    return PermanentDeliveryError(f"DM refused ({_code_of(error)})")


async def text_channel(client: discord.Client, guild_id: int, channel_id: int) -> discord.TextChannel:
    """Return a server's text channel, from the cache or Discord, or raise a delivery error."""
    # Looking in the one guild: Client.get_channel scans every guild, which adds up in a fan-out.
    guild = client.get_guild(guild_id)
    channel: object = None if guild is None else guild.get_channel(channel_id)
    if channel is None:
        try:
            channel = await client.fetch_channel(channel_id)
        except SEND_FAILURES as error:
            raise channel_error(error) from error
    if not isinstance(channel, discord.TextChannel):
        raise ChannelUnavailableError("not a text channel")
    return channel


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


class OptIn(StrEnum):
    """How the DM that opts someone in to DMs went."""

    SENT = "sent"
    REFUSED = "refused"
    FAILED = "failed"


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
    except SEND_FAILURES:
        return OptIn.FAILED
    return OptIn.SENT


async def require_opt_in_dm(
    client: discord.Client,
    db: Database,
    user_id: int,
    now: datetime,
    *,
    refused: str,
    failed: str,
    **send: Any,
) -> None:
    """Send the opt-in test DM, or refuse the command: ``refused`` if DMs are closed, ``failed`` if not sent.

    Both refusals leave everything as it was, so the command's own writes come after this.
    """
    outcome = await send_opt_in_dm(client, db, user_id, now, **send)
    if outcome is OptIn.REFUSED:
        raise InvalidInputError(refused)
    if outcome is OptIn.FAILED:
        raise InvalidInputError(failed)
