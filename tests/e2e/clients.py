"""Running a bare discord.py client (not the Hearth bot) against the fake, for tests of the fake itself."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import discord
import yarl
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.fake_discord import FakeDiscord

READY_TIMEOUT = 10.0
GUILD_READY_TIMEOUT = 0.3


def point_discord_py_at(server: FakeDiscord) -> None:
    """Point discord.py's REST base and default gateway (class attributes) at the fake."""
    Route.BASE = server.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)


def guilds_only() -> discord.Intents:
    """Return Intents.none() plus guilds, like Hearth."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


@contextlib.asynccontextmanager
async def running_client(
    server: FakeDiscord, client: discord.Client, *, sync: bool = True
) -> AsyncIterator[discord.Client]:
    """Start ``client`` on the fake, wait for READY, sync its tree (a Bot's) and close it afterwards."""
    point_discord_py_at(server)
    client._connection.guild_ready_timeout = GUILD_READY_TIMEOUT
    task = asyncio.create_task(client.start(server.world.token))
    ready = asyncio.create_task(client.wait_until_ready())
    try:
        done, _ = await asyncio.wait(
            {ready, task}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            raise AssertionError("the client did not become ready") from (
                task.exception() if task.done() else None
            )
        if sync and isinstance(client, commands.Bot):
            await client.tree.sync()
        yield client
    finally:
        ready.cancel()
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)
