"""The weekly digest and the appreciation rotation: their schedules and their deliveries.

Both run on the server's digest day and local time, as two schedules so a
failing one never holds up the other: ``gratitude_digest`` posts the week's
numbers in the gratitude channel; ``gratitude_rotation`` (only while the
rotation is on) gives each circle member one other member to appreciate, by
DM. A week's draw is stored before any DM goes out, and each DM's outcome
after it, so a retry or a restart sends the missing DMs and never redraws.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.db.database import Database, Transaction, atomic
from bot.db.repos import circles, gratitude, prompt_config, schedules
from bot.db.repos.gratitude import Card, DmStatus, GratitudeConfig
from bot.db.repos.schedules import Schedule
from bot.delivery import (
    DM_FAILURES,
    SEND_FAILURES,
    ChannelUnavailableError,
    DmUndeliverableError,
    channel_error,
    reason_of,
    send_dm,
)
from bot.gratitude.cards import build_digest_embed, card_link
from bot.gratitude.digest import DigestCard, digest_numbers, digest_rng, digest_window
from bot.gratitude.posting import gratitude_channel
from bot.gratitude.rotation import draw_rotation, rotation_rng
from bot.replies import join_labels
from bot.schedule.engine import Occurrence
from bot.schedule.errors import PermanentDeliveryError, TransientDeliveryError
from bot.schedule.kinds import OwnerKey, ScheduleKind
from bot.schedule.recurrence import Recurrence, is_valid_timezone, next_occurrence, parse_local_time

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

DIGEST_KIND = ScheduleKind.GRATITUDE_DIGEST
ROTATION_KIND = ScheduleKind.GRATITUDE_ROTATION
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_DIGEST_WEEKDAY = 6
DEFAULT_DIGEST_TIME = "18:00"


def digest_owner_key(guild_id: int) -> OwnerKey:
    """Return the schedule owner key of a server's weekly digest."""
    return OwnerKey.guild(DIGEST_KIND, guild_id)


def rotation_owner_key(guild_id: int) -> OwnerKey:
    """Return the schedule owner key of a server's appreciation rotation."""
    return OwnerKey.guild(ROTATION_KIND, guild_id)


def weekly_rule(config: GratitudeConfig) -> Recurrence:
    """Return the weekly recurrence of a server's digest (and rotation)."""
    return Recurrence(
        timezone=config.timezone,
        local_time=parse_local_time(config.digest_time),
        weekdays=frozenset({config.digest_weekday}),
    )


async def server_timezone(
    bot: HearthBot, guild_id: int, chosen: str | None, previous: GratitudeConfig | None = None
) -> str:
    """Return the digest's timezone: chosen, else earlier, else the prompts' one, else DEFAULT_TIMEZONE."""
    if chosen is not None and chosen.strip():
        return chosen.strip()
    if previous is not None:
        return previous.timezone
    prompts = await prompt_config.get(bot.db, guild_id)
    if prompts is not None and is_valid_timezone(prompts.timezone):
        return prompts.timezone
    return bot.settings.default_timezone


async def _upsert(
    tx: Database | Transaction,
    kind: ScheduleKind,
    owner_key: OwnerKey,
    config: GratitudeConfig,
    now: datetime,
) -> Schedule:
    """Create or update one weekly schedule of the server, unpaused."""
    schedule = await schedules.upsert_recurring(
        tx, kind=kind, owner_key=owner_key, rule=weekly_rule(config), now=now, guild_id=config.guild_id
    )
    if schedule.paused:
        resumed = await schedules.resume(tx, schedule.id, now)
        if resumed is not None:
            schedule = resumed
    return schedule


async def save_schedules(db: Database | Transaction, config: GratitudeConfig, now: datetime) -> Schedule:
    """Create or update the digest schedule (and the rotation's, or remove it); return the digest's.

    Saving the configuration again is also how an admin restarts a digest
    that paused because the channel could not be used. Pass the transaction
    that saves the configuration, so both change together.
    """
    async with atomic(db) as tx:
        digest = await _upsert(tx, DIGEST_KIND, digest_owner_key(config.guild_id), config, now)
        if config.rotation:
            await _upsert(tx, ROTATION_KIND, rotation_owner_key(config.guild_id), config, now)
        else:
            await schedules.delete_by_owner_key(tx, rotation_owner_key(config.guild_id))
    return digest


async def next_digest_time(bot: HearthBot, config: GratitudeConfig) -> datetime:
    """Return when the server's next digest is due."""
    schedule = await schedules.get_by_owner_key(bot.db, digest_owner_key(config.guild_id))
    if schedule is not None and not schedule.paused:
        return schedule.next_run_at
    return next_occurrence(weekly_rule(config), bot.clock.now())


# --- the digest -----------------------------------------------------------------------------------


def digest_card(card: Card) -> DigestCard:
    """Return a stored card as the digest sees it."""
    return DigestCard(
        card_id=card.id,
        sender_id=card.sender_id,
        recipient_id=card.recipient_id,
        anonymous=card.anonymous,
        text=card.text,
        created_at=card.created_at,
        link=card_link(card),
    )


async def deliver_digest(bot: HearthBot, occurrence: Occurrence) -> None:
    """Post a server's weekly digest: the numbers of the week that ends at this occurrence."""
    guild_id = occurrence.schedule.guild_id
    if guild_id is None:
        raise PermanentDeliveryError("gratitude digest schedule without a guild")
    config = await gratitude.get_config(bot.db, guild_id)
    if config is None:
        raise PermanentDeliveryError("gratitude not configured")
    rule = occurrence.schedule.recurrence or weekly_rule(config)
    start, end = digest_window(rule, occurrence.due_at)
    cards = await gratitude.cards_between(bot.db, guild_id, start, end)
    numbers = digest_numbers(
        [digest_card(card) for card in cards], digest_rng(guild_id, occurrence.local_date)
    )
    texts = bot.content.gratitude
    embed = build_digest_embed(
        texts,
        numbers,
        send=bot.command_directory.mention("gratitude send"),
        week_start=start,
        week_end=end,
    )
    try:
        channel = await gratitude_channel(bot, config.guild_id, config.channel_id)
        try:
            # The occurrence key as nonce: Discord drops a re-sent duplicate after a crash.
            await channel.send(
                embed=embed, allowed_mentions=discord.AllowedMentions.none(), nonce=occurrence.key
            )
        except SEND_FAILURES as error:
            raise channel_error(error) from error
    except ChannelUnavailableError as error:
        await _tell_admin(bot, config, error)
        raise
    log.info(
        "Posted the gratitude digest of guild %s for %s (%d cards)",
        guild_id,
        occurrence.local_date,
        numbers.thank_yous,
    )


async def _tell_admin(bot: HearthBot, config: GratitudeConfig, error: ChannelUnavailableError) -> None:
    """Tell the admin who set gratitude up, once by DM, that the digest paused and how to restart it."""
    texts = bot.content.gratitude
    if error.missing is None:
        reason = texts("pause.reason_channel_gone")
    else:
        reason = texts("pause.reason_missing", missing=join_labels(error.missing or ["view_channel"]))
    guild = bot.get_guild(config.guild_id)
    notice = texts(
        "pause.notice",
        guild=discord.utils.escape_markdown(guild.name if guild else str(config.guild_id)),
        reason=reason,
        setup=bot.command_directory.mention("setup gratitude"),
    )
    try:
        await send_dm(bot, bot.db, config.configured_by, bot.clock.now(), content=notice)
    except DM_FAILURES:
        log.warning("Nobody in guild %s could be told that its gratitude digest paused", config.guild_id)


# --- the rotation ---------------------------------------------------------------------------------


async def _member(guild: discord.Guild, user_id: int) -> discord.Member | None:
    """Return a member of ``guild``, or None if they are not (or no longer) in it."""
    member = guild.get_member(user_id)
    if member is not None:
        return member
    try:
        return await guild.fetch_member(user_id)
    except discord.NotFound:
        return None
    except SEND_FAILURES as error:
        raise TransientDeliveryError(f"member lookup failed ({reason_of(error)})") from error


async def _present_members(guild: discord.Guild, user_ids: list[int]) -> dict[int, str]:
    """Return the circle members still in the server (bots left out), with their display names."""
    present: dict[int, str] = {}
    for user_id in user_ids:
        member = await _member(guild, user_id)
        if member is not None and not member.bot:
            present[user_id] = member.display_name
    return present


async def _display_name(bot: HearthBot, guild: discord.Guild, user_id: int, known: Mapping[int, str]) -> str:
    """Return how to name someone in a rotation DM."""
    if user_id in known:
        return known[user_id]
    try:
        member = await _member(guild, user_id)
    except TransientDeliveryError:
        member = None
    if member is not None:
        return member.display_name
    user = bot.get_user(user_id)
    return user.display_name if user is not None else f"<@{user_id}>"


async def deliver_rotation(bot: HearthBot, occurrence: Occurrence) -> None:
    """Draw (once) the week's rotation for a server, then DM every giver who hasn't been told yet."""
    guild_id = occurrence.schedule.guild_id
    if guild_id is None:
        raise PermanentDeliveryError("gratitude rotation schedule without a guild")
    config = await gratitude.get_config(bot.db, guild_id)
    if config is None or not config.rotation:
        log.info("The appreciation rotation is off in guild %s; nothing to draw", guild_id)
        return
    guild = bot.get_guild(guild_id)
    if guild is None:
        raise TransientDeliveryError("server not available")
    week = occurrence.local_date
    names: dict[int, str] = {}
    draws = await gratitude.get_draw(bot.db, guild_id, week)
    if not draws:
        names = await _present_members(guild, await circles.members(bot.db, guild_id))
        previous = await gratitude.previous_draw(bot.db, guild_id, week)
        assignment = draw_rotation(names, rotation_rng(guild_id, week), previous=previous)
        if not assignment:
            log.info("Guild %s has fewer than two circle members; no rotation this week", guild_id)
            return
        draws = await gratitude.save_draw(bot.db, guild_id, week, assignment, bot.clock.now())
        log.info("Drew the appreciation rotation of guild %s for %s (%d members)", guild_id, week, len(draws))
    texts = bot.content.gratitude
    send = bot.command_directory.mention("gratitude send")
    failed = 0
    for draw in draws:
        if draw.dm_status is not None:
            continue
        name = await _display_name(bot, guild, draw.receiver_id, names)
        content = texts(
            "rotation.dm",
            name=discord.utils.escape_markdown(name),
            guild=discord.utils.escape_markdown(guild.name),
            send=send,
        )
        try:
            await send_dm(bot, bot.db, draw.giver_id, bot.clock.now(), content=content)
        except DmUndeliverableError:
            await gratitude.mark_draw_dm(bot.db, guild_id, week, draw.giver_id, DmStatus.UNDELIVERABLE)
            continue
        except SEND_FAILURES:
            log.warning("Rotation DM to user %s in guild %s failed; will retry", draw.giver_id, guild_id)
            failed += 1
            continue
        await gratitude.mark_draw_dm(bot.db, guild_id, week, draw.giver_id, DmStatus.SENT)
    if failed:
        raise TransientDeliveryError(f"{failed} rotation DM(s) failed")
