"""The whole REST API: every resource's routes, in the order the router must try them."""

from __future__ import annotations

from bot.fake_discord.rest.application import ApplicationRoutes
from bot.fake_discord.rest.base import FakeServer, Routes
from bot.fake_discord.rest.channels import ChannelRoutes
from bot.fake_discord.rest.commands import CommandRoutes
from bot.fake_discord.rest.guilds import GuildRoutes
from bot.fake_discord.rest.http import Route
from bot.fake_discord.rest.interactions import InteractionRoutes
from bot.fake_discord.rest.reactions import ReactionRoutes
from bot.fake_discord.rest.threads import ThreadRoutes
from bot.fake_discord.rest.users import UserRoutes
from bot.fake_discord.rest.webhooks import WebhookRoutes


class RestApi:
    """Route handlers under /api/v10, grouped by resource; every one works on the server's world."""

    def __init__(self, server: FakeServer) -> None:
        self.groups: list[Routes] = [
            ApplicationRoutes(server),
            UserRoutes(server),
            CommandRoutes(server),
            InteractionRoutes(server),
            WebhookRoutes(server),
            ChannelRoutes(server),
            ThreadRoutes(server),
            ReactionRoutes(server),
            GuildRoutes(server),
        ]

    def routes(self) -> list[Route]:
        """Return (method, path, handler, needs_bot_auth) of every group, more specific paths first."""
        return [route for group in self.groups for route in group.routes()]
