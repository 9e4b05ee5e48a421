"""/setup gratitude: the gratitude channel, the weekly digest's day and time, and the rotation.

The /setup group lives in cogs/setup.py; it adds this subcommand with
``gratitude = add_gratitude_setup(setup)``, and discord.py then runs it bound
to that cog. The run-time admin check is the one /setup prompts uses, in gratitude's words.
"""

from __future__ import annotations

import logging
from datetime import time
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.errors import InvalidInputError, MissingPermissionsError
from bot.gratitude import service
from bot.gratitude.service import GratitudeConfig
from bot.gratitude.weekly import (
    DEFAULT_DIGEST_TIME,
    DEFAULT_DIGEST_WEEKDAY,
    WEEKDAY_NAMES,
    next_digest_time,
    server_timezone,
)
from bot.permissions import bot_permissions_in, missing_permissions
from bot.replies import join_labels, send_private
from bot.schedule.recurrence import format_local_time
from bot.transformers import LocalTime, Timezone
from bot.ui import HEARTH_COLOUR
from cogs._admin import admin_only, guild_of

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

DigestTime = app_commands.Transform[time, LocalTime(lambda content: content.gratitude, "setup.bad_time")]
DigestZone = app_commands.Transform[str, Timezone(lambda content: content.gratitude, "setup.bad_timezone")]
DAY_CHOICES = [app_commands.Choice(name=name, value=index) for index, name in enumerate(WEEKDAY_NAMES)]


async def config_embed(bot: HearthBot, config: GratitudeConfig) -> discord.Embed:
    """Render a server's gratitude configuration and when its next digest is due."""
    texts = bot.content.gratitude
    directory = bot.command_directory
    embed = discord.Embed(
        title=texts("setup.saved_title"),
        description=texts("setup.saved_hint", send=directory.mention("gratitude send")),
        colour=HEARTH_COLOUR,
    )
    embed.add_field(name=texts("setup.label_channel"), value=f"<#{config.channel_id}>")
    embed.add_field(
        name=texts("setup.label_digest"),
        value=texts(
            "setup.value_digest",
            day=WEEKDAY_NAMES[config.digest_weekday],
            time=config.digest_time,
            timezone=config.timezone,
        ),
    )
    upcoming = await next_digest_time(bot, config)
    embed.add_field(
        name=texts("setup.label_next"),
        value=f"{discord.utils.format_dt(upcoming, 'F')} ({discord.utils.format_dt(upcoming, 'R')})",
        inline=False,
    )
    if config.rotation:
        count = await service.circle_size(bot.db, config.guild_id)
        rotation = texts("setup.rotation_on", count=count, join=directory.mention("circle join"))
    else:
        rotation = texts("setup.rotation_off")
    embed.add_field(name=texts("setup.label_rotation"), value=rotation, inline=False)
    return embed


async def setup_gratitude(
    interaction: discord.Interaction[Any],
    channel: discord.TextChannel,
    digest_day: int | None,
    digest_time: time | None,
    rotation: bool | None,
    timezone: str | None,
) -> None:
    """Validate everything first, then save the configuration and its weekly schedules.

    Options left out keep their earlier value; on first use the timezone is
    the daily prompts' one, else the DEFAULT_TIMEZONE setting.
    """
    bot: HearthBot = interaction.client
    texts = bot.content.gratitude
    guild = guild_of(interaction)
    previous = await service.config_of(bot.db, guild.id)
    if digest_time is not None:
        local_time = format_local_time(digest_time)
    else:
        local_time = previous.digest_time if previous else DEFAULT_DIGEST_TIME
    if digest_day is None:
        digest_day = previous.digest_weekday if previous else DEFAULT_DIGEST_WEEKDAY
    if not 0 <= digest_day < len(WEEKDAY_NAMES):
        raise InvalidInputError(texts("setup.bad_day"))
    zone = await server_timezone(bot, guild.id, timezone, previous)
    rotation_on = rotation if rotation is not None else (previous.rotation if previous else False)
    missing = missing_permissions(bot_permissions_in(channel), threads=False)
    if missing:
        raise MissingPermissionsError(
            texts("setup.missing_permissions", channel=channel.mention, missing=join_labels(missing))
        )
    config = await service.configure(
        bot.db,
        GratitudeConfig(
            guild_id=guild.id,
            channel_id=channel.id,
            digest_weekday=digest_day,
            digest_time=local_time,
            timezone=zone,
            rotation=rotation_on,
            configured_by=interaction.user.id,
        ),
        bot.clock.now(),
    )
    await send_private(interaction, embed=await config_embed(bot, config))


class _SetupGratitude:
    """Holds the callback; discord.py passes the /setup cog as its first argument (``_cog``)."""

    @app_commands.describe(
        channel="The channel where thank-you cards and the weekly digest appear",
        digest_day="The day of the weekly digest (default Sunday)",
        digest_time="Local time of the digest, e.g. 18:00 or 6 pm (default 18:00)",
        rotation="Each week, give every circle member someone to appreciate, by DM (default off)",
        timezone="Your timezone: type a city (e.g. London); default: the daily prompts' timezone",
    )
    @app_commands.choices(digest_day=DAY_CHOICES)
    @admin_only(lambda bot: bot.content.gratitude("setup.need_manage_server"))
    async def gratitude(
        _cog: Any,  # noqa: N805 (bound to the /setup cog by discord.py, not to this class)
        interaction: discord.Interaction[HearthBot],
        channel: discord.TextChannel,
        digest_day: app_commands.Choice[int] | None = None,
        digest_time: DigestTime | None = None,
        rotation: bool | None = None,
        timezone: DigestZone | None = None,
    ) -> None:
        """Set up gratitude in this server."""
        day = None if digest_day is None else int(digest_day.value)
        await setup_gratitude(interaction, channel, day, digest_time, rotation, timezone)


def add_gratitude_setup(group: app_commands.Group) -> app_commands.Command[Any, ..., None]:
    """Add ``/setup gratitude`` to the /setup group and return the command."""
    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name="gratitude",
        description="Choose the gratitude channel and when the weekly digest appears",
        callback=_SetupGratitude.gratitude,
        parent=group,
    )
    group.add_command(command)
    return command
