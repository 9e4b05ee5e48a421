"""The fake Discord's user installs and private channels (DMs and group DMs the bot is not in)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.fake_discord import FakeDiscord, P
from bot.fake_discord.driver import Driver
from bot.fake_discord.driving.base import CommandNotAvailableError
from bot.fake_discord.models import DM, GROUP_DM
from tests.e2e.clients import guilds_only, running_client

pytestmark = pytest.mark.e2e

SEEN: list[discord.Interaction] = []


class Press(discord.ui.View):
    """One button that answers with who authorized the press."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Press", custom_id="press")
    async def press(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        SEEN.append(interaction)
        await interaction.response.send_message("pressed", ephemeral=True)


def make_bot() -> commands.Bot:
    bot = commands.Bot(command_prefix=[], intents=guilds_only())

    @bot.tree.command(name="hello", description="Say hello")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def hello(interaction: discord.Interaction) -> None:
        SEEN.append(interaction)
        await interaction.response.send_message("hi", view=Press())

    @bot.tree.command(name="guildonly", description="Guild install only")
    @app_commands.allowed_installs(guilds=True, users=False)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def guildonly(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok")

    return bot


@pytest.fixture
async def client(fake_discord: FakeDiscord) -> AsyncIterator[commands.Bot]:
    SEEN.clear()
    async with running_client(fake_discord, make_bot()) as bot:
        yield bot  # type: ignore[misc]


@pytest.fixture
async def http(fake_discord: FakeDiscord) -> AsyncIterator[aiohttp.ClientSession]:
    headers = {"Authorization": f"Bot {fake_discord.world.token}"}
    async with aiohttp.ClientSession(base_url=fake_discord.base_url, headers=headers) as session:
        yield session


def test_private_channels_dm_and_group_dm_without_the_bot(driver: Driver) -> None:
    alice, bea, cy = (driver.add_user(n) for n in ("alice", "bea", "cy"))
    dm = driver.open_private_channel(alice, bea)
    group = driver.open_private_channel(alice, bea, cy)
    assert (dm.type, dm.recipients) == (DM, [alice.id, bea.id])
    assert group.type == GROUP_DM and group.owner_id == alice.id and group.name
    assert driver.world.is_private_channel(dm) and driver.world.is_private_channel(group)
    assert not driver.world.is_private_channel(driver.dm_channel(alice))
    with pytest.raises(ValueError):
        driver.open_private_channel(alice, driver.bot_user)


def test_install_and_uninstall(driver: Driver) -> None:
    alice = driver.add_user("alice", installed=True)
    assert alice.id in driver.world.installed_users
    driver.uninstall_app(alice)
    assert alice.id not in driver.world.installed_users
    driver.install_app(alice)
    assert alice.id in driver.world.installed_users


async def test_rest_in_private_channel_is_missing_access(driver: Driver, http: aiohttp.ClientSession) -> None:
    alice, bea = driver.add_user("alice", installed=True), driver.add_user("bea")
    dm = driver.open_private_channel(alice, bea)
    for method, path in (
        ("POST", f"/api/v10/channels/{dm.id}/messages"),
        ("GET", f"/api/v10/channels/{dm.id}"),
        ("GET", f"/api/v10/channels/{dm.id}/messages"),
        ("POST", f"/api/v10/channels/{dm.id}/typing"),
    ):
        async with http.request(method, path, json={"content": "x"}) as response:
            assert response.status == 403, path
            assert (await response.json())["code"] == 50001


async def test_bot_dm_rules_by_install_and_guild(driver: Driver, http: aiohttp.ClientSession) -> None:
    lone = driver.add_user("lone")
    closed = driver.add_user("closed", dms_open=False, installed=True)

    async def post(user: Any) -> tuple[int, Any]:
        channel = driver.dm_channel(user)
        async with http.post(f"/api/v10/channels/{channel.id}/messages", json={"content": "hi"}) as r:
            return r.status, await r.json()

    status, body = await post(lone)
    assert (status, body["code"]) == (403, 50278)
    driver.install_app(lone)
    assert (await post(lone))[0] == 200
    driver.uninstall_app(lone)
    assert (await post(lone))[1]["code"] == 50278
    assert (await post(closed))[1]["code"] == 50007


async def test_context_2_interaction_with_real_client(driver: Driver, client: commands.Bot) -> None:
    alice, bea = driver.add_user("alice", installed=True), driver.add_user("bea")
    dm = driver.open_private_channel(alice, bea)
    handle = await driver.invoke_slash(dm, alice, "hello")
    await handle.response()
    payload = handle.payload
    assert payload["context"] == 2
    assert payload["authorizing_integration_owners"] == {"1": str(alice.id)}
    assert payload["channel"] == {"id": str(dm.id), "type": DM}
    assert "member" not in payload and payload["user"]["id"] == str(alice.id)
    interaction = SEEN[-1]
    assert interaction.is_user_integration() and not interaction.is_guild_integration()
    assert interaction.channel is not None and interaction.channel.id == dm.id
    # discord.py builds a DMChannel from the partial channel; it knows no recipient, and sending fails.
    assert isinstance(interaction.channel, discord.DMChannel)
    assert interaction.channel.recipient is None and interaction.channel.recipients == []

    message = handle.original_message()
    assert message is not None and message.interaction_metadata is not None
    assert message.interaction_metadata["authorizing_integration_owners"] == {"1": str(alice.id)}
    press = await driver.click_button(message, "press", user=bea)
    await press.response()
    assert press.payload["authorizing_integration_owners"] == {"1": str(alice.id)}
    pressed = SEEN[-1]
    assert not pressed.is_user_integration()
    assert pressed.message is not None and pressed.message.interaction_metadata is not None
    assert pressed.message.interaction_metadata.user.id == alice.id
    outsider = driver.add_user("outsider")
    with pytest.raises(AssertionError):
        await driver.click_button(message, "press", user=outsider)


async def test_contexts_and_owners_in_guild_and_bot_dm(driver: Driver, client: commands.Bot) -> None:
    guild = await driver.add_guild("Home")
    channel = driver.world.channels[guild.channel_ids[0]]
    member = driver.add_user("member", installed=True)
    await driver.add_member(guild, member)
    handle = await driver.invoke_slash(channel, member, "hello")
    await handle.response()
    assert handle.payload["context"] == 0
    assert handle.payload["authorizing_integration_owners"] == {"0": str(guild.id), "1": str(member.id)}
    in_dm = await driver.invoke_slash(driver.dm_channel(member), member, "hello")
    await in_dm.response()
    assert in_dm.payload["context"] == 1
    assert in_dm.payload["authorizing_integration_owners"] == {"0": "0", "1": str(member.id)}


async def test_command_availability(driver: Driver, client: commands.Bot) -> None:
    alice, bea = driver.add_user("alice", installed=True), driver.add_user("bea")
    dm = driver.open_private_channel(alice, bea)
    with pytest.raises(CommandNotAvailableError, match="not installed"):
        await driver.invoke_slash(dm, bea, "hello")
    with pytest.raises(CommandNotAvailableError, match="context 2"):
        await driver.invoke_slash(dm, alice, "guildonly")
    # Guild install only and no shared guild: not offered in the bot's DM either.
    with pytest.raises(CommandNotAvailableError):
        await driver.invoke_slash(driver.dm_channel(bea), bea, "guildonly")
    guild = await driver.add_guild("Elsewhere", bot_permissions=None)
    channel = driver.world.channels[guild.channel_ids[0]]
    await driver.add_member(guild, bea)
    with pytest.raises(CommandNotAvailableError):
        await driver.invoke_slash(channel, bea, "hello")
    await driver.add_member(guild, alice)
    handle = await driver.invoke_slash(channel, alice, "hello")
    await handle.response()
    assert handle.payload["authorizing_integration_owners"] == {"1": str(alice.id)}


async def test_followup_cap_for_user_install_only(
    fake_discord: FakeDiscord, driver: Driver, client: commands.Bot, http: aiohttp.ClientSession
) -> None:
    alice, bea = driver.add_user("alice", installed=True), driver.add_user("bea")
    dm = driver.open_private_channel(alice, bea)
    handle = await driver.invoke_slash(dm, alice, "hello")
    await handle.response()
    url = f"/api/v10/webhooks/{driver.world.application.id}/{handle.token}"
    wait = {"wait": "true"}
    for _ in range(5):
        async with http.post(url, json={"content": "more"}, params=wait) as response:
            assert response.status == 200
    async with http.patch(f"{url}/messages/@original", json={"content": "edited"}) as response:
        assert response.status == 200
    async with http.post(url, json={"content": "one too many"}, params=wait) as response:
        assert response.status == 400
        assert (await response.json())["code"] == 40094


async def test_owners_follow_the_commands_install_types(driver: Driver, client: commands.Bot) -> None:
    guild = await driver.add_guild("Home")
    channel = driver.world.channels[guild.channel_ids[0]]
    member = driver.add_user("member", installed=True)
    await driver.add_member(guild, member)
    handle = await driver.invoke_slash(channel, member, "guildonly")
    await handle.response()
    # A key is present only when the command supports that install type (integration_types).
    assert handle.payload["authorizing_integration_owners"] == {"0": str(guild.id)}


async def test_app_permissions_in_private_channel(driver: Driver, client: commands.Bot) -> None:
    alice, bea, cy = driver.add_user("alice", installed=True), driver.add_user("bea"), driver.add_user("cy")
    group = driver.open_private_channel(alice, bea, cy)
    handle = await driver.invoke_slash(group, alice, "hello")
    await handle.response()
    expected = P.ATTACH_FILES | P.EMBED_LINKS | P.MENTION_EVERYONE
    assert handle.payload["app_permissions"] == str(expected)
    assert handle.payload["channel"]["type"] == GROUP_DM
    assert {u["id"] for u in handle.payload["channel"]["recipients"]} == {
        str(alice.id),
        str(bea.id),
        str(cy.id),
    }
    assert isinstance(SEEN[-1].channel, discord.GroupChannel)
