"""What every group of REST routes shares: the server it serves and Discord's access checks."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from aiohttp import web

import bot.fake_discord.errors as errors
from bot.fake_discord.gateway import Gateway
from bot.fake_discord.interactions import InteractionRecord
from bot.fake_discord.models import JSON, PRIVATE_THREAD, Channel, Message
from bot.fake_discord.permissions import P
from bot.fake_discord.rest.http import Route, path_snowflake
from bot.fake_discord.world import World


class FakeServer(Protocol):
    """What the routes use of the server (``FakeDiscord``): its world, its gateway and what it records."""

    world: World
    gateway: Gateway
    interactions: dict[int, InteractionRecord]
    interactions_by_token: dict[str, InteractionRecord]
    late_callbacks: list[str]
    command_syncs: list[tuple[int | None, list[JSON]]]
    dm_opens: list[int]
    nonce_duplicates: list[int]
    app_edits: list[JSON]

    @property
    def gateway_url(self) -> str:
        """Return the gateway websocket URL."""
        ...


class Routes(ABC):
    """A group of route handlers for one Discord resource; every one works on the server's world."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.world = server.world

    @abstractmethod
    def routes(self) -> list[Route]:
        """Return (method, path, handler, needs_bot_auth); more specific paths come first."""

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send a gateway event about what a request changed."""
        await self.server.gateway.dispatch(event, data)

    async def dispatch_delete(self, message: Message) -> None:
        """Send MESSAGE_DELETE for a public message."""
        if message.ephemeral:
            return
        data: JSON = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        await self.dispatch("MESSAGE_DELETE", data)

    def route_channel(self, request: web.Request, *, need: int = P.VIEW_CHANNEL) -> Channel:
        """Return the channel of the route, checking the bot can see it and has ``need``."""
        channel = self.world.live_channel(path_snowflake(request, "channel_id", errors.unknown_channel))
        if channel is None:
            raise errors.unknown_channel()
        if self.world.is_private_channel(channel):
            raise errors.missing_access()
        if channel.guild_id is not None:
            guild = self.world.guilds[channel.guild_id]
            if self.world.bot_user.id not in guild.members:
                raise errors.missing_access()
            perms = self.world.bot_permissions_in(channel)
            if not perms & P.VIEW_CHANNEL:
                raise errors.missing_access()
            hidden = channel.type == PRIVATE_THREAD and self.world.bot_user.id not in channel.thread_members
            if hidden and not perms & P.MANAGE_THREADS:
                raise errors.missing_access()
            if perms & need != need:
                raise errors.missing_permissions()
        return channel

    def route_message(self, request: web.Request, channel: Channel) -> Message:
        """Return a message of the channel (ephemeral ones are not reachable here)."""
        message_id = path_snowflake(request, "message_id", errors.unknown_message)
        message = self.world.messages.get(message_id)
        if message is None or message.deleted or message.channel_id != channel.id or message.ephemeral:
            raise errors.unknown_message()
        return message
