"""/circle join|leave|show|remove: who in this server takes part in answers and reveals."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_scope import SERVER_INSTALL, SERVER_ONLY
from bot.prompts import service
from bot.prompts.reveal import drop_from_circle, reveal_if_due
from bot.replies import send_private
from bot.ui import HEARTH_COLOUR
from cogs._admin import admin_only, guild_of

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)


class Circles(commands.Cog):
    """Joining and leaving a server's circle."""

    circle = app_commands.Group(
        name="circle",
        description="Who takes part in prompt reveals",
        allowed_installs=SERVER_INSTALL,
        allowed_contexts=SERVER_ONLY,
    )

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    @circle.command(name="join", description="Take part in this server's prompt reveals")
    async def join(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Add the user to the circle."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        joined = await service.join_circle(self.bot.db, guild.id, interaction.user.id, self.bot.clock.now())
        await send_private(interaction, texts("circle.joined" if joined else "circle.already"))

    @circle.command(name="leave", description="Stop taking part in this server's prompt reveals")
    async def leave(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Remove the user from the circle, deleting their unrevealed answers."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        if not await drop_from_circle(self.bot, guild.id, interaction.user.id):
            await send_private(interaction, texts("circle.not_member"))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        # The people still in the circle may now all have answered.
        await reveal_if_due(self.bot, guild.id)
        await send_private(interaction, texts("circle.left"))

    # The group is everyone's (/circle join), so the run-time check is what guards removing others.
    @circle.command(name="remove", description="Take someone out of this server's circle (Manage Server)")
    @app_commands.describe(member="The person to take out of the circle")
    @admin_only()
    async def remove(self, interaction: discord.Interaction[HearthBot], member: discord.User) -> None:
        """Remove someone from the circle with their unrevealed answers, then reveal if that completes it."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        name = f"<@{member.id}>"
        if not await drop_from_circle(self.bot, guild.id, member.id):
            await send_private(interaction, texts("circle.remove_not_member", member=name))
            return
        log.info(
            "User %s removed user %s from the circle of guild %s", interaction.user.id, member.id, guild.id
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        await reveal_if_due(self.bot, guild.id)
        await send_private(interaction, texts("circle.removed", member=name))

    @circle.command(name="show", description="See who is in this server's circle")
    async def show(self, interaction: discord.Interaction[HearthBot]) -> None:
        """List the circle's members (as mentions, which never ping inside an embed)."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        members = await service.circle_members(self.bot.db, guild.id)
        description = (
            " ".join(f"<@{user_id}>" for user_id in members)
            if members
            else texts("circle.show_empty", join=self.bot.command_directory.mention("circle join"))
        )
        embed = discord.Embed(
            title=texts("circle.show_title"), description=description[:4096], colour=HEARTH_COLOUR
        )
        embed.set_footer(text=texts("circle.show_footer"))
        await send_private(interaction, embed=embed)


async def setup(bot: HearthBot) -> None:
    """Add the circles cog."""
    await bot.add_cog(Circles(bot))
