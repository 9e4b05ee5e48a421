"""A fake Discord (REST + gateway) on 127.0.0.1 for end-to-end tests of the real discord.py client."""

from tests.e2e.fake_discord.errors import ApiError
from tests.e2e.fake_discord.interactions import InitialResponse, InteractionHandle, WebhookCall
from tests.e2e.fake_discord.permissions import ALL_PERMISSIONS, DEFAULT_EVERYONE, HEARTH_INVITE, Overwrite, P
from tests.e2e.fake_discord.server import FakeDiscord
from tests.e2e.fake_discord.world import Channel, Guild, Member, Message, Role, User

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
