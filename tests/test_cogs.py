"""Meta tests: every cog loads, and the command surface is valid for Discord."""

import re

from discord import app_commands

from bot.app import HearthBot, cog_extensions
from bot.db.database import Database
from bot.schedule.kinds import ScheduleKind
from bot.settings import Settings

NAME = re.compile(r"^[-_\w]{1,32}$")


async def load_all(settings: Settings, db: Database) -> HearthBot:
    # Storage is open before cogs load, as after prepare(): some cogs seed their schedules.
    bot = HearthBot(settings)
    bot.db = db
    for extension in cog_extensions():
        await bot.load_extension(extension)
    return bot


async def test_cogs_all_load(settings: Settings, db: Database) -> None:
    """Every module in cogs/ loads into a bot without errors."""
    bot = await load_all(settings, db)
    assert len(bot.extensions) == len(cog_extensions()) > 0


async def test_cogs_route_every_schedule_kind(settings: Settings, db: Database) -> None:
    """Loaded cogs take every kind of schedule, before any engine exists to read the routes."""
    bot = await load_all(settings, db)
    assert [kind for kind in ScheduleKind if bot.schedule_routes.handler_for(kind) is None] == []


async def test_cogs_commands_are_valid_for_discord(settings: Settings, db: Database) -> None:
    """Names are lowercase and short, every slash command has a description, and there are at most 100."""
    bot = await load_all(settings, db)
    top_level = bot.tree.get_commands()
    assert len(top_level) <= 100
    for command in bot.tree.walk_commands():
        assert NAME.match(command.name), command.name
        assert command.name == command.name.lower()
        assert 1 <= len(command.description) <= 100, command.qualified_name


async def test_cogs_commands_are_guild_installs_only(settings: Settings, db: Database) -> None:
    """Commands are installed to servers only, as the bot's v1 promises."""
    bot = await load_all(settings, db)
    for command in bot.tree.get_commands():
        payload = command.to_dict(bot.tree)
        assert payload.get("integration_types") == [0]
        assert isinstance(command, app_commands.Command | app_commands.Group | app_commands.ContextMenu)
