"""The real bot starts on the fake Discord: READY, guild cache, intents, synced commands, restarts."""

from __future__ import annotations

import re

import discord
import pytest

from bot.app import HearthBot
from bot.fake_discord import FakeDiscord
from bot.fake_discord.driver import Driver
from tests.e2e.conftest import BotRunner, StandardWorld

pytestmark = pytest.mark.e2e

COMMAND_NAME = re.compile(r"^[a-z0-9_-]{1,32}$")


async def test_ready_fills_the_guild_cache(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    guild = running_bot.get_guild(standard_world.guild.id)
    assert guild is not None
    assert guild.name == "Hearth Test"
    assert guild.owner_id == standard_world.owner.id
    assert {c.name for c in guild.text_channels} == {"general", "checkins", "bot-locked"}
    assert {r.name for r in guild.roles} == {"@everyone", "Admins", "Hearth"}
    # Without the members intent discord.py caches only the bot's own member.
    assert guild.me is not None and guild.me.id == driver.bot_user.id
    assert [m.id for m in guild.members] == [driver.bot_user.id]
    locked = guild.get_channel(standard_world.locked.id)
    assert isinstance(locked, discord.TextChannel)
    assert not locked.permissions_for(guild.me).send_messages
    assert running_bot.user is not None and running_bot.user.id == driver.bot_user.id
    assert running_bot.application_id == driver.world.application.id


async def test_identify_asks_for_guilds_intent_only(running_bot: HearthBot, driver: Driver) -> None:
    expected = discord.Intents.none()
    expected.guilds = True
    assert driver.intents == expected.value == 1
    identify = driver.identifies[-1]
    assert identify["token"] == driver.world.token
    assert identify["properties"]["browser"] == "discord.py"


async def test_synced_commands_are_the_tree_payloads(
    running_bot: HearthBot, driver: Driver, fake_discord: FakeDiscord
) -> None:
    tree_payloads = {c.name: c.to_dict(running_bot.tree) for c in running_bot.tree.get_commands()}
    synced = {c.name: c for c in driver.commands()}
    assert set(synced) == set(tree_payloads)
    assert len(fake_discord.command_syncs) == 1
    for name, command in synced.items():
        expected = tree_payloads[name]
        served = command.payload()
        assert command.submitted == expected, name
        for key in ("type", "description", "contexts", "integration_types"):
            # Context menus have no description in discord.py's payload; Discord stores an empty one.
            assert served[key] == expected.get(key, "" if key == "description" else None), (name, key)
        # discord.py sends the permission bits as an int; Discord stores and returns a string.
        permissions = expected.get("default_member_permissions")
        assert served["default_member_permissions"] == (None if permissions is None else str(permissions))
        # Slash command names are lowercase; context menus are named as shown ("Send gratitude").
        assert COMMAND_NAME.match(name) or served["type"] != 1, name
        # Personal commands also install to people; server administration stays with servers (R-CMD-1).
        assert served["integration_types"] in ([0], [0, 1]), name
    assert sorted(synced["help"].data["contexts"]) == [0, 1, 2]


async def test_restart_on_same_database_does_not_resync(
    bot_runner: BotRunner, standard_world: StandardWorld, driver: Driver, fake_discord: FakeDiscord
) -> None:
    await bot_runner.start()
    ids_before = {c.name: c.id for c in driver.commands()}
    bot = await bot_runner.restart()
    assert bot_runner.starts == 2
    assert len(fake_discord.command_syncs) == 1, "a restart must not sync unchanged commands (R-CMD-2)"
    assert {c.name: c.id for c in driver.commands()} == ids_before
    assert [h.kind for h in fake_discord.gateway.handshakes] == ["IDENTIFY", "IDENTIFY"]
    handle = await driver.invoke_slash(standard_world.general, standard_world.alice, "help")
    assert (await handle.response()).type == 4
    assert bot.get_guild(standard_world.guild.id) is not None
