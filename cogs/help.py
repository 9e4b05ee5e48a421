"""/help: what Hearth does and which commands to start with."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_scope import personal
from bot.command_sync import CommandDirectory
from bot.content.help import HelpContent
from bot.ui import HEARTH_COLOUR

if TYPE_CHECKING:
    from bot.app import HearthBot


def build_help_embed(
    help_content: HelpContent, available: set[str], directory: CommandDirectory, *, in_dm: bool = False
) -> discord.Embed:
    """Render the help embed, listing only the commands ``available`` here, as clickable mentions."""
    intro = help_content.intro_dm if in_dm else help_content.intro
    embed = discord.Embed(title=help_content.title, description=intro, colour=HEARTH_COLOUR)
    for section in help_content.sections:
        mentions = [directory.mention(name) for name in section.commands if name in available]
        if mentions:
            embed.add_field(name=section.name, value=f"{section.text}\n{' · '.join(mentions)}", inline=False)
    embed.add_field(name=help_content.safety_title, value=help_content.safety, inline=False)
    embed.set_footer(text=help_content.footer)
    return embed


def works_in_dms(command: app_commands.Command[Any, ..., Any]) -> bool:
    """Return whether ``command`` can be run in a direct message with the bot.

    A subcommand can be run wherever its top-level group can, so the group's settings decide.
    """
    root = command.root_parent or command
    if root.allowed_contexts is not None:
        return root.allowed_contexts.dm_channel
    return not root.guild_only


def invocable_command_names(tree: app_commands.CommandTree[HearthBot], *, in_dm: bool = False) -> set[str]:
    """Return the qualified names of every slash command a user can run (in a DM, if ``in_dm``)."""
    return {
        command.qualified_name
        for command in tree.walk_commands()
        if isinstance(command, app_commands.Command) and (not in_dm or works_in_dms(command))
    }


class Help(commands.Cog):
    """The /help command."""

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What Hearth does and how to start")
    @personal()
    async def help(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Show the help embed ephemerally."""
        # Outside a server that installed Hearth (a DM, a DM between people, a server where only the
        # person installed it) only the personal commands run.
        in_dm = not interaction.is_guild_integration()
        embed = build_help_embed(
            self.bot.content.help,
            invocable_command_names(self.bot.tree, in_dm=in_dm),
            self.bot.command_directory,
            in_dm=in_dm,
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: HearthBot) -> None:
    """Add the help cog."""
    await bot.add_cog(Help(bot))
