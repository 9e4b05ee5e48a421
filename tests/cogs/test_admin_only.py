"""Every admin command checks Manage Server with the one decorator, before its body runs."""

from __future__ import annotations

from unittest.mock import MagicMock

import discord
import pytest
from discord import app_commands

from bot.content.library import load_content
from bot.db.database import Database
from bot.settings import Settings
from cogs._admin import NotAnAdminError
from tests.test_cogs import load_all

ADMIN_COMMANDS = {
    "circle remove",
    "prompt now",
    "prompt pause",
    "prompt resume",
    "prompt review",
    "prompt skip",
    "setup check",
    "setup days",
    "setup depth",
    "setup gratitude",
    "setup prompts",
    "setup show",
}


def fake_interaction(client: object, *, manage: bool) -> discord.Interaction:
    interaction = MagicMock(spec=discord.Interaction)
    interaction.client = client
    interaction.permissions = discord.Permissions(manage_guild=manage)
    return interaction


async def test_admin_commands_refuse_without_manage_server(settings: Settings, db: Database) -> None:
    """Each admin command has one check: a kind refusal without Manage Server, and admins go by."""
    bot = await load_all(settings, db)
    bot.content = load_content()
    commands = {
        command.qualified_name: command
        for command in bot.tree.walk_commands()
        if isinstance(command, app_commands.Command)
    }
    checked = {name for name, command in commands.items() if command.checks}
    assert checked == ADMIN_COMMANDS
    for name in sorted(ADMIN_COMMANDS):
        [check] = commands[name].checks
        with pytest.raises(NotAnAdminError, match="Manage Server") as refused:
            await discord.utils.maybe_coroutine(check, fake_interaction(bot, manage=False))
        assert isinstance(refused.value, app_commands.CheckFailure), name
        assert await discord.utils.maybe_coroutine(check, fake_interaction(bot, manage=True)), name
