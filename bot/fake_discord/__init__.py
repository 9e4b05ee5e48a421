"""A fake Discord (REST + gateway) on 127.0.0.1 for end-to-end tests of the real discord.py client."""

from bot.fake_discord.errors import ApiError
from bot.fake_discord.interactions import InitialResponse, InteractionHandle, WebhookCall
from bot.fake_discord.models import Channel, Guild, Member, Message, Role, User
from bot.fake_discord.permissions import ALL_PERMISSIONS, DEFAULT_EVERYONE, HEARTH_INVITE, Overwrite, P
from bot.fake_discord.server import FakeDiscord

__all__ = [
    "ALL_PERMISSIONS",
    "DEFAULT_EVERYONE",
    "HEARTH_INVITE",
    "ApiError",
    "Channel",
    "FakeDiscord",
    "Guild",
    "InitialResponse",
    "InteractionHandle",
    "Member",
    "Message",
    "Overwrite",
    "P",
    "Role",
    "User",
    "WebhookCall",
]
