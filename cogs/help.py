"""/help: what Hearth does and which commands to start with."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_sync import CommandDirectory
from bot.content.help import HelpContent
from bot.ui import HEARTH_COLOUR

if TYPE_CHECKING:
    from bot.app import HearthBot


def build_help_embed(
    help_content: HelpContent, available: set[str], directory: CommandDirectory
) -> discord.Embed:
    """Render the help embed, listing only commands this bot has, as clickable mentions."""
    embed = discord.Embed(title=help_content.title, description=help_content.intro, colour=HEARTH_COLOUR)
    for section in help_content.sections:
        mentions = [directory.mention(name) for name in section.commands if name in available]
        if mentions:
            embed.add_field(name=section.name, value=f"{section.text}\n{' · '.join(mentions)}", inline=False)
    embed.add_field(name="Please know", value=help_content.safety, inline=False)
    embed.set_footer(text=help_content.footer)
    return embed


def invocable_command_names(tree: app_commands.CommandTree[HearthBot]) -> set[str]:
    """Return the qualified names of every slash command a user can run."""
    return {
        command.qualified_name
        for command in tree.walk_commands()
        if isinstance(command, app_commands.Command)
    }


class Help(commands.Cog):
    """The /help command."""

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What Hearth does and how to start")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def help(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Show the help embed ephemerally."""
        embed = build_help_embed(
            self.bot.content.help, invocable_command_names(self.bot.tree), self.bot.command_directory
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: HearthBot) -> None:
    """Add the help cog."""
    await bot.add_cog(Help(bot))
