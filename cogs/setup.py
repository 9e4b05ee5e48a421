"""/setup prompts, /setup show and /setup check: where, when and for whom daily prompts appear."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_scope import SERVER_INSTALL, SERVER_ONLY
from bot.content.prompts import Audience
from bot.delivery import ChannelUnavailableError, text_channel
from bot.errors import InvalidInputError, MissingPermissionsError, NotFoundError
from bot.permissions import bot_permissions_in, missing_permissions
from bot.prompts import service
from bot.prompts.depth import change_depth
from bot.prompts.posting import next_prompt_time
from bot.prompts.selection import DepthLimit
from bot.prompts.service import PromptConfig
from bot.replies import join_labels, send_private
from bot.schedule.days import describe_days
from bot.schedule.recurrence import format_local_time, mask_to_weekdays
from bot.transformers import LocalTime, Timezone, Weekdays
from bot.ui import HEARTH_COLOUR
from cogs._admin import admin_only, guild_of
from cogs._gratitude_setup import add_gratitude_setup

if TYPE_CHECKING:
    from bot.app import HearthBot

PromptTime = app_commands.Transform[time, LocalTime(lambda content: content.daily_prompts, "setup.bad_time")]
PromptDays = app_commands.Transform[
    frozenset[int], Weekdays(lambda content: content.daily_prompts, "setup.bad_days")
]
PromptZone = app_commands.Transform[
    str, Timezone(lambda content: content.daily_prompts, "setup.bad_timezone")
]
AUDIENCE_CHOICES = [app_commands.Choice(name=audience.value, value=audience.value) for audience in Audience]
DEPTH_CHOICES = [
    app_commands.Choice(name="light", value=DepthLimit.LIGHT.value),
    app_commands.Choice(name="up to medium", value=DepthLimit.MEDIUM.value),
    app_commands.Choice(name="all", value=DepthLimit.ALL.value),
]


def circle_size(bot: HearthBot, count: int) -> str:
    """Say how many people are in a circle, in words that fit the number."""
    texts = bot.content.daily_prompts
    if count == 0:
        return texts("setup.value_circle_empty", join=bot.command_directory.mention("circle join"))
    return texts("setup.value_circle_one") if count == 1 else texts("setup.value_circle", count=count)


async def config_embed(bot: HearthBot, config: PromptConfig, title: str) -> discord.Embed:
    """Render a server's whole prompt configuration and its next prompt time."""
    texts = bot.content.daily_prompts
    embed = discord.Embed(title=title, colour=HEARTH_COLOUR)
    embed.add_field(name=texts("setup.label_channel"), value=f"<#{config.channel_id}>")
    embed.add_field(name=texts("setup.label_time"), value=f"{config.local_time} ({config.timezone})")
    ping = texts("setup.value_no_ping") if config.ping_role_id is None else f"<@&{config.ping_role_id}>"
    embed.add_field(name=texts("setup.label_ping"), value=ping)
    embed.add_field(
        name=texts("setup.label_threads"),
        value=texts("setup.value_yes" if config.threads else "setup.value_no"),
    )
    embed.add_field(name=texts("setup.label_audience"), value=texts(f"setup.audience_{config.audience}"))
    embed.add_field(name=texts("setup.label_depth"), value=texts(f"setup.depth_{config.depth}"))
    days = describe_days(mask_to_weekdays(config.weekdays), texts, "setup")
    embed.add_field(name=texts("setup.label_days"), value=days[:1].upper() + days[1:])
    count = len(await service.circle_members(bot.db, config.guild_id))
    embed.add_field(name=texts("setup.label_circle"), value=circle_size(bot, count))
    resume = bot.command_directory.mention("prompt resume")
    status = (
        texts(
            "setup.status_paused", reason=config.paused_reason or texts("pause.reason_unknown"), resume=resume
        )
        if config.paused
        else texts("setup.status_active")
    )
    embed.add_field(name=texts("setup.label_status"), value=status, inline=False)
    upcoming = await next_prompt_time(bot, config)
    next_text = (
        texts("setup.next_paused")
        if upcoming is None
        else f"{discord.utils.format_dt(upcoming, 'F')} ({discord.utils.format_dt(upcoming, 'R')})"
    )
    embed.add_field(name=texts("setup.label_next"), value=next_text, inline=False)
    pending = await service.count_pending(bot.db, config.guild_id)
    if pending:
        embed.add_field(name=texts("setup.label_pending"), value=str(pending), inline=False)
    return embed


class Setup(commands.Cog):
    """Server admins' configuration of daily prompts."""

    setup = app_commands.Group(
        name="setup",
        description="Set up Hearth in this server",
        default_permissions=discord.Permissions(manage_guild=True),
        allowed_installs=SERVER_INSTALL,
        allowed_contexts=SERVER_ONLY,
    )
    # /setup gratitude belongs to the gratitude feature; it reuses this group and its permission checks.
    gratitude = add_gratitude_setup(setup)

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    @setup.command(name="prompts", description="Choose where and when the daily prompt appears")
    @app_commands.describe(
        channel="The channel for daily prompts",
        time="Local time of day, e.g. 19:30 or 7:30 pm",
        timezone="Your timezone: type a city (e.g. London) to search",
        ping="A role to mention with each prompt (optional)",
        threads="Open a discussion thread on each prompt",
        audience="Who the prompts are written for",
    )
    @app_commands.choices(audience=AUDIENCE_CHOICES)
    @admin_only()
    async def prompts(
        self,
        interaction: discord.Interaction[HearthBot],
        channel: discord.TextChannel,
        time: PromptTime,
        timezone: PromptZone,
        ping: discord.Role | None = None,
        threads: bool = False,
        audience: app_commands.Choice[str] | None = None,
    ) -> None:
        """Validate everything first, then save the configuration and schedule."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        local_time, zone = format_local_time(time), timezone
        if ping is not None and ping.is_default():
            raise InvalidInputError(texts("setup.everyone_ping"))
        missing = missing_permissions(bot_permissions_in(channel), threads=threads)
        if missing:
            raise MissingPermissionsError(
                texts("setup.missing_permissions", channel=channel.mention, missing=join_labels(missing))
            )
        previous = await service.config_of(self.bot.db, guild.id)
        chosen = audience.value if audience else (previous.audience if previous else Audience.ANY.value)
        now = self.bot.clock.now()
        config = await service.configure(
            self.bot.db,
            PromptConfig(
                guild_id=guild.id,
                channel_id=channel.id,
                local_time=local_time,
                timezone=zone,
                ping_role_id=ping.id if ping else None,
                threads=threads,
                audience=chosen,
                paused=False,
                paused_reason=None,
                configured_by=interaction.user.id,
            ),
            now,
        )
        embed = await config_embed(self.bot, config, texts("setup.saved_title"))
        if ping is not None and not ping.mentionable and not bot_permissions_in(channel).mention_everyone:
            embed.description = texts("setup.role_not_mentionable", role=ping.mention)
        await send_private(interaction, embed=embed)

    @setup.command(name="depth", description="Choose how deep the daily prompts may go")
    @app_commands.describe(level="light only, up to medium, or all (the default)")
    @app_commands.choices(level=DEPTH_CHOICES)
    @admin_only()
    async def depth(
        self, interaction: discord.Interaction[HearthBot], level: app_commands.Choice[str]
    ) -> None:
        """Save the server's depth limit; daily prompts and /prompt now honour it from the next prompt."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        limit = DepthLimit(level.value)
        change = await change_depth(
            self.bot.db, self.bot.content.prompts, guild.id, limit, self.bot.clock.now()
        )
        if change is None:
            raise NotFoundError(
                texts("setup.not_configured", setup=self.bot.command_directory.mention("setup prompts"))
            )
        await send_private(
            interaction,
            texts("setup.depth_saved", depth=texts(f"setup.depth_{limit.value}"), count=change.suitable),
        )

    @setup.command(name="days", description="Choose the days of the week the daily prompt comes on")
    @app_commands.describe(days="every day, weekdays, weekends, or days like mon, wed, fri")
    @admin_only()
    async def days(self, interaction: discord.Interaction[HearthBot], days: PromptDays) -> None:
        """Save the server's prompt days; the schedule follows from its next prompt on."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        config = await service.change_days(self.bot.db, guild.id, days, self.bot.clock.now())
        if config is None:
            raise NotFoundError(
                texts("setup.not_configured", setup=self.bot.command_directory.mention("setup prompts"))
            )
        upcoming = await next_prompt_time(self.bot, config)
        shown = "-" if upcoming is None else discord.utils.format_dt(upcoming, "F")
        await send_private(
            interaction, texts("setup.days_saved", days=describe_days(days, texts, "setup"), next=shown)
        )

    @setup.command(name="show", description="Show this server's Hearth configuration")
    @admin_only()
    async def show(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Show the prompt configuration and the next prompt time, ephemerally."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        config = await service.config_of(self.bot.db, guild.id)
        if config is None:
            raise NotFoundError(
                texts("setup.not_configured", setup=self.bot.command_directory.mention("setup prompts"))
            )
        await send_private(interaction, embed=await config_embed(self.bot, config, texts("setup.show_title")))

    @setup.command(name="check", description="Check that Hearth can post in its configured channels")
    @admin_only()
    async def check(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Re-check the bot's permissions in every configured channel and report ephemerally."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        directory = self.bot.command_directory
        config = await service.config_of(self.bot.db, guild.id)
        if config is None:
            raise NotFoundError(texts("setup.not_configured", setup=directory.mention("setup prompts")))
        await interaction.response.defer(ephemeral=True, thinking=True)
        lines: list[str] = []
        try:
            channel = await text_channel(self.bot, config.guild_id, config.channel_id)
        except ChannelUnavailableError:
            lines.append(texts("setup.check_gone", setup=directory.mention("setup prompts")))
        else:
            missing = missing_permissions(bot_permissions_in(channel), threads=config.threads)
            if missing:
                lines.append(
                    texts("setup.check_missing", channel=channel.mention, missing=join_labels(missing))
                )
            else:
                threads = texts("setup.check_ok_threads") if config.threads else ""
                lines.append(texts("setup.check_ok", channel=channel.mention, threads=threads))
        if config.paused:
            lines.append(
                texts(
                    "setup.check_paused",
                    reason=config.paused_reason or texts("pause.reason_unknown"),
                    resume=directory.mention("prompt resume"),
                )
            )
        embed = discord.Embed(
            title=texts("setup.check_title"), description="\n".join(lines), colour=HEARTH_COLOUR
        )
        await send_private(interaction, embed=embed)


async def setup(bot: HearthBot) -> None:
    """Add the setup cog."""
    await bot.add_cog(Setup(bot))
