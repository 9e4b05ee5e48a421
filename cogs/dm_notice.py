"""Tells people, on their next command, that their DMs from Hearth were refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.delivery import DM_UNDELIVERABLE_NOTICE
from bot.dm_notice import take_pending
from bot.pairs import service as pair_service

if TYPE_CHECKING:
    from bot.app import HearthBot


class DmNotice(commands.Cog):
    """Follows up a command with the DM notice when one is pending."""

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_app_command_completion(
        self,
        interaction: discord.Interaction[HearthBot],
        command: app_commands.Command[commands.Cog, ..., None] | app_commands.ContextMenu,
    ) -> None:
        """After any command, send the pending DM notice as a private followup."""
        # A modal answer cannot carry a followup; the notice waits for the next command.
        if interaction.response.type not in (
            discord.InteractionResponseType.channel_message,
            discord.InteractionResponseType.deferred_channel_message,
        ):
            return
        if await take_pending(self.bot.db, interaction.user.id):
            notice = DM_UNDELIVERABLE_NOTICE
            if await pair_service.pairs_of(self.bot.db, interaction.user.id):
                today = self.bot.command_directory.mention("pair today")
                notice += "\n\n" + self.bot.content.pairs("notice.pair_hint", today=today)
            await interaction.followup.send(notice, ephemeral=True)


async def setup(bot: HearthBot) -> None:
    """Add the DM notice cog."""
    await bot.add_cog(DmNotice(bot))
