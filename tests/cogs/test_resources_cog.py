"""The /resources cog: its option and autocomplete are registered, and unknown input is shown safely."""

from __future__ import annotations

from discord import app_commands

from bot.app import HearthBot
from bot.content.library import load_content
from bot.settings import Settings
from cogs.resources import unknown_country_text


async def test_resources_command_has_an_optional_autocompleted_country(settings: Settings) -> None:
    """/resources takes an optional `country` with autocomplete, in guilds and DMs."""
    bot = HearthBot(settings)
    await bot.load_extension("cogs.resources")
    command = bot.tree.get_command("resources")
    assert isinstance(command, app_commands.Command)
    [country] = command.parameters
    assert country.name == "country" and not country.required and country.autocomplete
    payload = command.to_dict(bot.tree)
    assert payload["contexts"] == [0, 1, 2]


def test_unknown_country_text_escapes_and_shortens_what_was_typed() -> None:
    """Markdown and mentions in the typed country can't format or ping; long input is cut."""
    content = load_content().resources
    text = unknown_country_text(content, "**@everyone** " + "x" * 200, resources="</resources:1>")
    assert "\\*\\*" in text and "@\u200beveryone" in text
    assert "x" * 60 not in text and "</resources:1>" in text
