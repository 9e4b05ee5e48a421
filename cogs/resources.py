"""/resources [country]: where to find professional help, crisis lines and domestic-violence lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_scope import personal
from bot.content.resources import Country, ResourcesContent, resources_parts
from bot.ui import HEARTH_COLOUR

if TYPE_CHECKING:
    from bot.app import HearthBot

# The typed country is echoed back when unknown; a short piece is enough to recognise it.
ECHO_LIMIT = 50
NO_MENTIONS = discord.AllowedMentions.none()


def build_resources_embed(
    content: ResourcesContent,
    country: Country | None = None,
    *,
    resources: str = "/resources",
    guessed: bool = False,
) -> discord.Embed:
    """Render the directory, then a country's lines (or the list of countries), as one embed."""
    parts = resources_parts(content, country, resources=resources, guessed=guessed)
    embed = discord.Embed(title=parts.title, description=parts.description, colour=HEARTH_COLOUR)
    for name, value in parts.fields:
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=parts.footer)
    return embed


def unknown_country_text(content: ResourcesContent, typed: str, *, resources: str) -> str:
    """Return the kind reply for a country we don't list, with what was typed shown safely."""
    shown = discord.utils.escape_markdown(discord.utils.escape_mentions(typed.strip()[:ECHO_LIMIT]))
    return content.unknown_country.format(country=shown, resources=resources)


class Resources(commands.Cog):
    """The /resources command."""

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="resources", description="Professional help, crisis and domestic-violence lines"
    )
    @app_commands.describe(country="Your country, for its own lines (type to search)")
    @personal()
    async def resources(
        self, interaction: discord.Interaction[HearthBot], country: str | None = None
    ) -> None:
        """Show the lines, only to the person who asked: the chosen country's, else their language's."""
        content = self.bot.content.resources
        mention = self.bot.command_directory.mention("resources")
        chosen: Country | None = None
        guessed = False
        if country is None or not country.strip():
            chosen = content.default_country(str(interaction.locale))
            guessed = chosen is not None
        else:
            chosen = content.find_country(country)
            if chosen is None:
                await interaction.response.send_message(
                    unknown_country_text(content, country, resources=mention),
                    ephemeral=True,
                    allowed_mentions=NO_MENTIONS,
                )
                return
        await interaction.response.send_message(
            embed=build_resources_embed(content, chosen, resources=mention, guessed=guessed),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @resources.autocomplete("country")
    async def country_autocomplete(
        self, interaction: discord.Interaction[HearthBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest listed countries whose name or code matches what was typed (at most 25)."""
        return [
            app_commands.Choice(name=f"{country.name} ({country.code})", value=country.code)
            for country in self.bot.content.resources.search_countries(current)
        ]


async def setup(bot: HearthBot) -> None:
    """Add the resources cog."""
    await bot.add_cog(Resources(bot))
