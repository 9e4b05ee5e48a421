"""REST through the real bot: closed DMs, permissions, deleted channels, rate limits."""

from __future__ import annotations

import asyncio
import time

import discord
import pytest

from bot.app import HearthBot
from bot.fake_discord import FakeDiscord
from bot.fake_discord.driver import Driver
from tests.e2e.conftest import StandardWorld

pytestmark = pytest.mark.e2e


async def test_dm_to_member_with_closed_dms_is_forbidden_50007(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld, fake_discord: FakeDiscord
) -> None:
    user = await running_bot.fetch_user(standard_world.bob.id)
    with pytest.raises(discord.Forbidden) as caught:
        await user.send("Your check-in is ready")
    assert caught.value.code == 50007
    assert caught.value.text == "Cannot send messages to this user"
    assert driver.dms_to(standard_world.bob) == []
    forbidden = [r for r in fake_discord.requests if r.status == 403]
    assert len(forbidden) == 1, "discord.py does not retry a 403"


async def test_dm_to_member_with_open_dms_arrives(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    user = await running_bot.fetch_user(standard_world.alice.id)
    await user.send("Hello from Hearth")
    assert [m.content for m in driver.dms_to(standard_world.alice)] == ["Hello from Hearth"]
    assert driver.dms_to(standard_world.alice)[0].allowed_mentions == {"parse": []}


async def test_posting_without_send_permission_is_50013(
    running_bot: HearthBot, standard_world: StandardWorld
) -> None:
    channel = running_bot.get_channel(standard_world.locked.id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.Forbidden) as caught:
        await channel.send("hello")
    assert (caught.value.status, caught.value.code, caught.value.text) == (403, 50013, "Missing Permissions")


async def test_posting_to_a_deleted_channel_is_10003(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    await driver.delete_channel(standard_world.checkins)
    await asyncio.sleep(0.05)  # let CHANNEL_DELETE reach the bot's cache
    assert running_bot.get_channel(standard_world.checkins.id) is None
    with pytest.raises(discord.NotFound) as caught:
        await running_bot.get_partial_messageable(standard_world.checkins.id).send("hello")
    assert caught.value.code == 10003


async def test_global_rate_limit_429s_are_retried_transparently(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld, fake_discord: FakeDiscord
) -> None:
    fake_discord.enable_rate_limits(
        global_limit=10, global_per=1.0, routes={"POST /channels/{channel_id}/messages": (50, 1.0)}
    )
    channel = running_bot.get_channel(standard_world.general.id)
    assert isinstance(channel, discord.TextChannel)
    await asyncio.gather(*(channel.send(f"reminder {i}") for i in range(30)))
    contents = [m.content for m in driver.messages_in(standard_world.general)]
    assert sorted(contents) == sorted(f"reminder {i}" for i in range(30)), "each message exactly once"
    hits = fake_discord.rate_limit_hits
    assert hits and all(h.scope == "global" for h in hits)


async def test_route_buckets_are_honoured_before_any_429(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld, fake_discord: FakeDiscord
) -> None:
    fake_discord.enable_rate_limits(routes={"POST /channels/{channel_id}/messages": (10, 0.5)})
    channel = running_bot.get_channel(standard_world.general.id)
    assert isinstance(channel, discord.TextChannel)
    started = time.monotonic()
    await asyncio.gather(*(channel.send(f"post {i}") for i in range(30)))
    assert len(driver.messages_in(standard_world.general)) == 30
    assert fake_discord.rate_limit_hits == [], "discord.py waits on X-RateLimit-Remaining: 0 by itself"
    assert time.monotonic() - started >= 0.9, "30 posts at 10 per 0.5 s need at least two resets"
