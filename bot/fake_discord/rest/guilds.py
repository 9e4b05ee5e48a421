"""REST routes for guilds: the guild, its channels, roles and members."""

from __future__ import annotations

from aiohttp import web

import bot.fake_discord.errors as errors
from bot.fake_discord.models import Guild
from bot.fake_discord.rest.base import Routes
from bot.fake_discord.rest.http import Route, json_response, path_snowflake, truthy


class GuildRoutes(Routes):
    """GET /guilds/{id}, its channels, roles and one member."""

    def routes(self) -> list[Route]:
        """Return this group's routes."""
        guild = "/guilds/{guild_id}"
        return [
            ("GET", guild, self.get_guild, True),
            ("GET", guild + "/channels", self.guild_channels, True),
            ("GET", guild + "/roles", self.guild_roles, True),
            ("GET", guild + "/members/{user_id}", self.get_member, True),
        ]

    def _guild(self, request: web.Request) -> Guild:
        """Return the route's guild if the bot is in it."""
        guild = self.world.guilds.get(path_snowflake(request, "guild_id", errors.unknown_guild))
        if guild is None:
            raise errors.unknown_guild()
        if self.world.bot_user.id not in guild.members:
            raise errors.missing_access()
        return guild

    async def get_guild(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}."""
        guild = self._guild(request)
        data = self.world.guild_payload(guild)
        if truthy(request.query.get("with_counts")):
            data.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
        return json_response(data)

    async def guild_channels(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}/channels."""
        guild = self._guild(request)
        channels = [self.world.channels[c] for c in guild.channel_ids if not self.world.channels[c].deleted]
        return json_response([self.world.channel_payload(c) for c in channels])

    async def guild_roles(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}/roles."""
        return json_response(self.world.role_payloads(self._guild(request)))

    async def get_member(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}/members/{user_id}."""
        guild = self._guild(request)
        member = guild.members.get(path_snowflake(request, "user_id", errors.unknown_member))
        if member is None:
            raise errors.unknown_member()
        return json_response(self.world.member_payload(member))
