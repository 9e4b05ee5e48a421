"""REST routes under /users: the bot itself, other users, DM channels and leaving a guild."""

from __future__ import annotations

from aiohttp import web

import bot.fake_discord.errors as errors
from bot.fake_discord.errors import ApiError
from bot.fake_discord.rest.base import Routes
from bot.fake_discord.rest.http import Route, json_response, no_content, path_snowflake, read_body


class UserRoutes(Routes):
    """GET /users/@me and /users/{id}, POST /users/@me/channels, DELETE /users/@me/guilds/{id}."""

    def routes(self) -> list[Route]:
        """Return this group's routes (``@me`` before ``{user_id}``)."""
        return [
            ("GET", "/users/@me", self.get_me, True),
            ("POST", "/users/@me/channels", self.open_dm, True),
            ("DELETE", "/users/@me/guilds/{guild_id}", self.leave_guild, True),
            ("GET", "/users/{user_id}", self.get_user, True),
        ]

    async def get_me(self, request: web.Request) -> web.Response:
        """GET /users/@me."""
        return json_response({**self.world.bot_user.payload(), "verified": True, "mfa_enabled": False})

    async def get_user(self, request: web.Request) -> web.Response:
        """GET /users/{id}."""
        user = self.world.users.get(path_snowflake(request, "user_id", errors.unknown_user))
        if user is None:
            raise errors.unknown_user()
        return json_response(user.payload())

    async def open_dm(self, request: web.Request) -> web.Response:
        """POST /users/@me/channels: open (or return) the DM channel with a user."""
        body, _ = await read_body(request)
        try:
            user = self.world.users.get(int(body.get("recipient_id", 0)))
        except (TypeError, ValueError):
            user = None
        if user is None or user.id == self.world.bot_user.id:
            raise ApiError(400, 50033, "Invalid Recipient(s)")
        self.server.dm_opens.append(user.id)
        return json_response(self.world.channel_payload(self.world.dm_channel(user)))

    async def leave_guild(self, request: web.Request) -> web.Response:
        """DELETE /users/@me/guilds/{id}: the bot leaves a guild."""
        guild = self.world.guilds.get(path_snowflake(request, "guild_id", errors.unknown_guild))
        if guild is None or self.world.bot_user.id not in guild.members:
            raise errors.unknown_guild()
        del guild.members[self.world.bot_user.id]
        await self.dispatch("GUILD_DELETE", {"id": str(guild.id)})
        return no_content()
