"""Meta tests: every cog loads, and the command surface is valid for Discord."""

import re

from bot.app import HearthBot, cog_extensions
from bot.command_scope import PRIVATE_CONTEXTS, USER_INSTALL_TYPE
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


PERSONAL = {"checkin", "remind", "repair", "privacy", "resources", "help", "pair", "gratitude"}
SERVER_ADMINISTRATION = {"setup", "prompt", "circle", "gratitude-remove"}


async def test_every_command_sets_its_installs_and_contexts(settings: Settings, db: Database) -> None:
    """Personal commands run wherever a person is; server administration only in servers that installed it."""
    bot = await load_all(settings, db)
    payloads = {command.name: command.to_dict(bot.tree) for command in bot.tree.get_commands()}
    for name, payload in payloads.items():
        assert payload.get("integration_types") is not None, name
        assert payload.get("contexts") is not None, name
    assert set(payloads) >= PERSONAL | SERVER_ADMINISTRATION
    for name in PERSONAL:
        assert sorted(payloads[name]["integration_types"]) == [0, USER_INSTALL_TYPE], name
        assert sorted(payloads[name]["contexts"]) == [0, 1, 2], name
    for name, payload in payloads.items():
        if name not in PERSONAL:
            assert payload["integration_types"] == [0], name
            assert payload["contexts"] == [0], name
            assert not PRIVATE_CONTEXTS & set(payload["contexts"]), name
