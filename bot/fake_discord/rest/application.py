"""REST routes for the gateway's address and the bot's application."""

from __future__ import annotations

from aiohttp import web

from bot.fake_discord.rest.base import Routes
from bot.fake_discord.rest.http import Route, json_response, read_body


class ApplicationRoutes(Routes):
    """GET /gateway, /gateway/bot and the application (GET/PATCH)."""

    def routes(self) -> list[Route]:
        """Return this group's routes."""
        return [
            ("GET", "/gateway", self.get_gateway, False),
            ("GET", "/gateway/bot", self.get_gateway_bot, True),
            ("GET", "/oauth2/applications/@me", self.get_app, True),
            ("GET", "/applications/@me", self.get_app, True),
            ("PATCH", "/applications/@me", self.edit_app, True),
        ]

    async def get_gateway(self, request: web.Request) -> web.Response:
        """GET /gateway."""
        return json_response({"url": self.server.gateway_url})

    async def get_gateway_bot(self, request: web.Request) -> web.Response:
        """GET /gateway/bot."""
        limit = self.server.gateway.session_start_limit()
        shards = self.server.gateway.recommended_shards
        return json_response({"url": self.server.gateway_url, "shards": shards, "session_start_limit": limit})

    async def get_app(self, request: web.Request) -> web.Response:
        """GET /oauth2/applications/@me and /applications/@me."""
        return json_response(self.world.app_info_payload())

    async def edit_app(self, request: web.Request) -> web.Response:
        """PATCH /applications/@me (accepted and recorded)."""
        body, _ = await read_body(request)
        self.server.app_edits.append(body)
        return json_response(self.world.app_info_payload())
