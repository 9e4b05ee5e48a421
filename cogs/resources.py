"""/resources: where to find professional help and crisis lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.resources import ResourcesContent
from bot.ui import HEARTH_COLOUR

if TYPE_CHECKING:
    from bot.app import HearthBot


def build_resources_embed(content: ResourcesContent) -> discord.Embed:
    """Render the help and crisis lines as one embed."""
    embed = discord.Embed(
        title=content.title, description=f"{content.intro}\n\n{content.emergency}", colour=HEARTH_COLOUR
    )
    for resource in content.resources:
        embed.add_field(
            name=f"{resource.name} · {resource.region}",
            value=f"{resource.detail}\n{resource.url}",
            inline=False,
        )
    embed.set_footer(text=content.footer)
    return embed


class Resources(commands.Cog):
    """The /resources command."""

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    @app_commands.command(name="resources", description="Professional help and crisis lines")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def resources(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Show the help and crisis lines, only to the person who asked."""
        await interaction.response.send_message(
            embed=build_resources_embed(self.bot.content.resources), ephemeral=True
        )


async def setup(bot: HearthBot) -> None:
    """Add the resources cog."""
    await bot.add_cog(Resources(bot))
