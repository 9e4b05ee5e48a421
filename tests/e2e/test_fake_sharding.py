"""Sharding in the fake gateway: discord.py's AutoShardedClient/Bot, one process or one per shard."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import discord
import pytest
from discord.ext import commands

from bot.fake_discord import FakeDiscord
from bot.fake_discord.connection import Session
from bot.fake_discord.driver import Driver
from bot.fake_discord.sharding import shard_for_guild
from bot.fake_discord.world import Guild
from tests.e2e.clients import guilds_only, running_client
from tests.e2e.test_fake_discord import connect

pytestmark = pytest.mark.e2e

SHARDS = 2
EVENT_TIMEOUT = 5.0


class ShardEvents:
    """What one client process saw: the guild ids of every GUILD_UPDATE, in order."""

    def __init__(self) -> None:
        self.guild_updates: list[int] = []
        self._changed = asyncio.Condition()

    async def record(self, guild_id: int) -> None:
        """Remember a guild update and wake waiters."""
        async with self._changed:
            self.guild_updates.append(guild_id)
            self._changed.notify_all()

    async def wait_for_update(self, guild_id: int) -> None:
        """Wait until this process has seen a GUILD_UPDATE for ``guild_id``."""
        async with asyncio.timeout(EVENT_TIMEOUT), self._changed:
            await self._changed.wait_for(lambda: guild_id in self.guild_updates)


class ShardedClient(discord.AutoShardedClient):
    """AutoShardedClient that records guild updates and identifies shards without discord.py's 5 s gap."""

    def __init__(self, **options: Any) -> None:
        super().__init__(intents=guilds_only(), **options)
        self.seen = ShardEvents()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """The fake enforces no identify rate limit, so shards need not wait for each other."""

    async def on_guild_update(self, before: discord.Guild, after: discord.Guild) -> None:
        """Record which guild changed."""
        await self.seen.record(after.id)


class ShardedBot(commands.AutoShardedBot):
    """AutoShardedBot with /where, which answers with the shard ids of the process that got it."""

    def __init__(self, **options: Any) -> None:
        super().__init__(command_prefix=commands.when_mentioned, intents=guilds_only(), **options)
        self.seen = ShardEvents()

        @self.tree.command(name="where", description="Which process answered")
        async def where(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(
                f"shards {self.shard_ids}", allowed_mentions=discord.AllowedMentions.none()
            )

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """The fake enforces no identify rate limit, so shards need not wait for each other."""

    async def on_guild_update(self, before: discord.Guild, after: discord.Guild) -> None:
        """Record which guild changed."""
        await self.seen.record(after.id)


def ids(guilds: list[Guild]) -> set[int]:
    """Return the ids of ``guilds``."""
    return {g.id for g in guilds}


def events(session: Session, event: str) -> list[Any]:
    """Return the data of every ``event`` the fake gave ``session``, in order."""
    return [p["d"] for p in session.buffer if p["t"] == event]


def only_session(server: FakeDiscord, shard_id: int, num_shards: int = SHARDS) -> Session:
    """Return the single session that identified as [shard_id, num_shards]."""
    sessions = server.gateway.sessions_for_shard(shard_id, num_shards)
    assert len(sessions) == 1, f"expected one session for shard {shard_id}, got {len(sessions)}"
    return sessions[0]


def rename(server: FakeDiscord, guild: Guild, name: str) -> dict[str, Any]:
    """Rename a guild in the world and return its GUILD_UPDATE payload."""
    guild.name = name
    return server.world.guild_payload(guild)


@pytest.fixture
async def spread(driver: Driver) -> dict[int, list[Guild]]:
    """Two guilds on each of two shards, all owned by one user (so she can use them and her DMs)."""
    return await driver.add_guilds_on_shards(driver.add_user("sharon"), SHARDS, per_shard=2)


async def test_one_process_with_two_shards_gets_each_guild_on_its_own_shard(
    fake_discord: FakeDiscord, spread: dict[int, list[Guild]]
) -> None:
    client = ShardedClient(shard_count=SHARDS)
    async with running_client(fake_discord, client):
        assert client.shard_count == SHARDS
        assert set(client.shards) == {0, 1}
        assert {g.id for g in client.guilds} == ids(spread[0]) | ids(spread[1])
        for guild in client.guilds:
            assert guild.shard_id == shard_for_guild(guild.id, SHARDS)
        for shard_id in (0, 1):
            session = only_session(fake_discord, shard_id)
            (ready,) = events(session, "READY")
            assert ready["shard"] == [shard_id, SHARDS]
            assert {int(g["id"]) for g in ready["guilds"]} == ids(spread[shard_id])
            assert {int(g["id"]) for g in events(session, "GUILD_CREATE")} == ids(spread[shard_id])

        # A guild event travels on its own shard's connection only.
        target = spread[1][0]
        assert await fake_discord.dispatch("GUILD_UPDATE", rename(fake_discord, target, "Renamed")) == 1
        await client.seen.wait_for_update(target.id)
        assert client.get_guild(target.id).name == "Renamed"  # type: ignore[union-attr]
        assert [int(d["id"]) for d in events(only_session(fake_discord, 1), "GUILD_UPDATE")] == [target.id]
        assert events(only_session(fake_discord, 0), "GUILD_UPDATE") == []


async def test_one_process_per_shard_sees_only_its_guilds_events_and_dms(
    fake_discord: FakeDiscord, driver: Driver, spread: dict[int, list[Guild]]
) -> None:
    first, second = (
        ShardedBot(shard_ids=[0], shard_count=SHARDS),
        ShardedBot(shard_ids=[1], shard_count=SHARDS),
    )
    async with running_client(fake_discord, first), running_client(fake_discord, second):
        # AutoShardedBot is no commands.Bot, so running_client leaves the syncing to us.
        await first.tree.sync()
        assert {g.id for g in first.guilds} == ids(spread[0])
        assert {g.id for g in second.guilds} == ids(spread[1])
        assert {g.shard_id for g in first.guilds} == {0}
        assert {g.shard_id for g in second.guilds} == {1}
        assert events(only_session(fake_discord, 0), "READY")[0]["shard"] == [0, SHARDS]
        assert events(only_session(fake_discord, 1), "READY")[0]["shard"] == [1, SHARDS]

        # Shard 1's guild changes, then shard 0's: events on one connection arrive in order, so
        # once process 0 has its own update it would already have seen the other one.
        on_one, on_zero = spread[1][0], spread[0][0]
        assert await fake_discord.dispatch("GUILD_UPDATE", rename(fake_discord, on_one, "One")) == 1
        assert await fake_discord.dispatch("GUILD_UPDATE", rename(fake_discord, on_zero, "Zero")) == 1
        await second.seen.wait_for_update(on_one.id)
        await first.seen.wait_for_update(on_zero.id)
        assert first.seen.guild_updates == [on_zero.id]
        assert second.seen.guild_updates == [on_one.id]

        # A slash command in a guild is answered by the process owning that guild; a DM by shard 0.
        user = driver.world.users[on_one.owner_id]
        in_guild = await driver.invoke_slash(driver.world.channels[on_one.channel_ids[0]], user, "where")
        assert (await in_guild.response()).content == "shards [1]"
        in_dm = await driver.invoke_slash(driver.dm_channel(user), user, "where")
        assert (await in_dm.response()).content == "shards [0]"
        interactions = {
            shard_id: [
                int(d["id"]) for d in events(only_session(fake_discord, shard_id), "INTERACTION_CREATE")
            ]
            for shard_id in (0, 1)
        }
        assert interactions == {0: [in_dm.id], 1: [in_guild.id]}


@pytest.mark.parametrize("recommended", [1, 2])
async def test_client_without_a_shard_count_uses_the_recommended_one(
    fake_discord: FakeDiscord, spread: dict[int, list[Guild]], recommended: int
) -> None:
    fake_discord.gateway.recommended_shards = recommended
    client = ShardedClient()
    async with running_client(fake_discord, client):
        assert client.shard_count == recommended
        assert {g.id for g in client.guilds} == ids(spread[0]) | ids(spread[1])
        shards = sorted(s.shard for s in fake_discord.gateway.sessions.values())
        assert shards == [(shard_id, recommended) for shard_id in range(recommended)]


async def test_every_shard_resumes_and_gets_only_its_missed_events(
    fake_discord: FakeDiscord, driver: Driver, spread: dict[int, list[Guild]]
) -> None:
    client = ShardedClient(shard_count=SHARDS)
    async with running_client(fake_discord, client):
        sessions = [only_session(fake_discord, 0), only_session(fake_discord, 1)]
        await driver.drop_websocket("abort")
        target = spread[0][1]
        # Sent while both shards are away: buffered for shard 0 only and replayed on its RESUME.
        assert await fake_discord.dispatch("GUILD_UPDATE", rename(fake_discord, target, "Missed")) == 1
        handshakes = [await driver.wait_for_identify_or_resume() for _ in range(SHARDS)]
        assert [(h.kind, h.accepted) for h in handshakes] == [("RESUME", True)] * SHARDS
        assert {h.session_id for h in handshakes} == {s.id for s in sessions}
        await client.seen.wait_for_update(target.id)
        assert client.seen.guild_updates == [target.id]
        assert events(sessions[1], "GUILD_UPDATE") == []


@pytest.mark.parametrize(
    "shard",
    [[2, 2], [-1, 2], [0, 0], [1], [0, 2, 1], "0,1", [True, 2]],
    ids=["id-too-big", "negative-id", "no-shards", "one-item", "three-items", "string", "bool-id"],
)
async def test_identify_with_an_invalid_shard_is_closed_with_4010(
    fake_discord: FakeDiscord, shard: Any
) -> None:
    async with aiohttp.ClientSession() as http:
        gw = await connect(http, fake_discord)
        await gw.recv()
        await gw.send({"op": 2, "d": {"token": fake_discord.world.token, "intents": 1, "shard": shard}})
        closing = await asyncio.wait_for(gw.ws.receive(), EVENT_TIMEOUT)
        assert closing.type is aiohttp.WSMsgType.CLOSE
        assert gw.ws.close_code == 4010
    assert fake_discord.gateway.sessions == {}


async def test_unsharded_identify_gets_every_guild_and_dm(
    fake_discord: FakeDiscord, driver: Driver, spread: dict[int, list[Guild]]
) -> None:
    async with aiohttp.ClientSession() as http:
        gw = await connect(http, fake_discord)
        await gw.recv()
        await gw.send({"op": 2, "d": {"token": fake_discord.world.token, "intents": 1}})
        ready = (await gw.recv())["d"]
        assert ready["shard"] == [0, 1]
        assert {int(g["id"]) for g in ready["guilds"]} == ids(spread[0]) | ids(spread[1])
        await gw.ws.close()
    (session,) = fake_discord.gateway.sessions.values()
    assert session.shard == (0, 1)


async def test_identify_retires_a_dead_session_of_the_same_shard_but_not_a_live_one(
    fake_discord: FakeDiscord, spread: dict[int, list[Guild]]
) -> None:
    token = fake_discord.world.token
    identify = {"op": 2, "d": {"token": token, "intents": 1, "shard": [1, SHARDS]}}
    async with aiohttp.ClientSession() as http:
        killed = await connect(http, fake_discord)
        await killed.recv()
        await killed.send(identify)
        await killed.recv()  # READY
        (dead,) = fake_discord.gateway.sessions_for_shard(1, SHARDS)
        # The process dies: its TCP connection just goes (the only connection so far).
        await fake_discord.gateway.drop("abort")
        async with asyncio.timeout(EVENT_TIMEOUT):
            while dead.connection is not None:
                await asyncio.sleep(0.01)
        assert not dead.invalid  # still resumable until the shard identifies again

        live = []
        for _ in range(2):
            gw = await connect(http, fake_discord)
            await gw.recv()
            await gw.send(identify)
            await gw.recv()  # READY
            live.append(gw)
        old_live, newest = fake_discord.gateway.sessions_for_shard(1, SHARDS)[1:]
        assert dead.invalid
        assert not old_live.invalid and not newest.invalid

        before = len(dead.buffer)
        assert await fake_discord.dispatch("GUILD_UPDATE", rename(fake_discord, spread[1][0], "Later")) == 2
        assert len(dead.buffer) == before
        for gw in live:
            await gw.ws.close()
