from discord import app_commands

from bot.app import HearthBot
from bot.command_sync import CommandDirectory
from bot.content.library import load_content
from bot.settings import Settings
from bot.ui import embed_fits
from cogs.help import build_help_embed, invocable_command_names


def test_build_help_embed_lists_only_existing_commands_as_mentions() -> None:
    """Commands the bot has appear as clickable mentions; others are left out."""
    content = load_content().help
    directory = CommandDirectory({"help": 111, "checkin": 222})
    embed = build_help_embed(content, {"help", "checkin history"}, directory)
    text = "\n".join(field.value or "" for field in embed.fields)
    assert "</help:111>" in text
    assert "</checkin history:222>" in text
    assert "gratitude recent" not in text
    assert "findahelpline.com" in text
    assert embed_fits(embed)


def test_build_help_embed_with_every_command_fits_discord_limits() -> None:
    """Even with every command listed, the embed stays within Discord's limits."""
    content = load_content().help
    every = {name for section in content.sections for name in section.commands}
    directory = CommandDirectory({name.split()[0]: 10**18 for name in every})
    assert embed_fits(build_help_embed(content, every, directory))


async def test_invocable_command_names_include_help(settings: Settings) -> None:
    """The help cog registers /help in the bot's tree."""
    bot = HearthBot(settings)
    await bot.load_extension("cogs.help")
    assert "help" in invocable_command_names(bot.tree)
    command = bot.tree.get_command("help")
    assert isinstance(command, app_commands.Command)
    assert command.description


async def test_in_a_dm_help_offers_only_what_works_there(settings: Settings) -> None:
    """Server-only commands are left out of /help in a DM, and its introduction names no server."""
    bot = HearthBot(settings)
    for extension in ("cogs.help", "cogs.checkins", "cogs.prompts", "cogs.setup"):
        await bot.load_extension(extension)
    in_dm = invocable_command_names(bot.tree, in_dm=True)
    assert {"help", "checkin now"} <= in_dm
    assert not in_dm & {"prompt answer", "setup prompts", "circle join"}
    content = load_content().help
    embed = build_help_embed(content, in_dm, CommandDirectory({}), in_dm=True)
    assert "this server" not in (embed.description or "")
    assert embed_fits(embed)
