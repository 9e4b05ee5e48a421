"""The records the fake Discord keeps: users, guilds, roles, members, channels, messages and commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.fake_discord.permissions import Overwrite
from bot.fake_discord.snowflake import iso_now

JSON = dict[str, Any]

# Channel types.
GUILD_TEXT = 0
DM = 1
GROUP_DM = 3
GUILD_VOICE = 2
GUILD_CATEGORY = 4
GUILD_ANNOUNCEMENT = 5
ANNOUNCEMENT_THREAD = 10
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
GUILD_STAGE_VOICE = 13
GUILD_FORUM = 15
THREAD_TYPES = frozenset({ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD})
MESSAGEABLE_TYPES = frozenset(
    {GUILD_TEXT, DM, GROUP_DM, GUILD_VOICE, GUILD_ANNOUNCEMENT, GUILD_STAGE_VOICE} | THREAD_TYPES
)

# Message flags.
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_COMPONENTS_V2 = 1 << 15

# Component types of the select menus: string, user, role, mentionable and channel.
SELECT_TYPES = frozenset({3, 5, 6, 7, 8})


def walk_components(components: list[JSON]) -> list[JSON]:
    """Return every component, depth first (rows, containers, sections and labels hold others)."""
    out: list[JSON] = []
    for item in components:
        out.append(item)
        for key in ("components", "accessory", "component"):
            child = item.get(key)
            if isinstance(child, list):
                out.extend(walk_components(child))
            elif isinstance(child, dict):
                out.extend(walk_components([child]))
    return out


@dataclass
class User:
    """A Discord user; ``dms_open=False`` makes DMs to them fail with 50007."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    dms_open: bool = True
    locale: str = "en-US"

    def payload(self) -> JSON:
        """Return the user object."""
        data: JSON = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
        }
        if self.bot:
            data["bot"] = True
        return data

    @property
    def mention(self) -> str:
        """Return ``<@id>``."""
        return f"<@{self.id}>"


@dataclass
class Role:
    """A guild role; the @everyone role has the guild's id."""

    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    mentionable: bool = False
    hoist: bool = False
    managed: bool = False
    bot_id: int | None = None

    def payload(self) -> JSON:
        """Return the role object."""
        data: JSON = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": self.hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data

    @property
    def mention(self) -> str:
        """Return ``<@&id>``."""
        return f"<@&{self.id}>"


@dataclass
class Member:
    """A user's membership of a guild."""

    user_id: int
    guild_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)


@dataclass
class Channel:
    """A guild channel, DM channel or thread."""

    id: int
    type: int
    name: str | None = None
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    recipients: list[int] = field(default_factory=list)
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    invitable: bool = True
    auto_archive_duration: int = 1440
    thread_members: set[int] = field(default_factory=set)
    created_at: str = field(default_factory=iso_now)
    last_message_id: int | None = None
    message_count: int = 0
    deleted: bool = False

    @property
    def is_thread(self) -> bool:
        """Return True for threads."""
        return self.type in THREAD_TYPES

    @property
    def mention(self) -> str:
        """Return ``<#id>``."""
        return f"<#{self.id}>"


@dataclass
class Guild:
    """A guild (server): roles, members and channel ids."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)
    preferred_locale: str = "en-US"
    features: list[str] = field(default_factory=list)
    unavailable: bool = False
    bot_role_id: int | None = None
    joined_at: str = field(default_factory=iso_now)

    @property
    def everyone(self) -> Role:
        """Return the @everyone role."""
        return self.roles[self.id]


@dataclass
class Attachment:
    """A file attached to a message; the bytes are served back at ``url``."""

    id: int
    filename: str
    data: bytes
    content_type: str | None
    url: str
    description: str | None = None

    def payload(self) -> JSON:
        """Return the attachment object."""
        data: JSON = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
        }
        if self.content_type:
            data["content_type"] = self.content_type
        if self.description is not None:
            data["description"] = self.description
        return data


@dataclass
class Message:
    """A message as stored by the fake, with everything a test may want to assert on."""

    id: int
    channel_id: int
    guild_id: int | None
    author_id: int
    content: str = ""
    embeds: list[JSON] = field(default_factory=list)
    components: list[JSON] = field(default_factory=list)
    flags: int = 0
    nonce: str | int | None = None
    tts: bool = False
    allowed_mentions: JSON | None = None
    attachments: list[Attachment] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)
    mention_roles: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    type: int = 0
    timestamp: str = field(default_factory=iso_now)
    edited_timestamp: str | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_id: int | None = None
    message_reference: JSON | None = None
    thread_id: int | None = None
    reactions: dict[str, list[int]] = field(default_factory=dict)
    reaction_emojis: dict[str, JSON] = field(default_factory=dict)
    pinned: bool = False
    deleted: bool = False
    visible_to: int | None = None
    dropped_embeds: list[JSON] = field(default_factory=list)
    edits: int = 0
    interaction_metadata: JSON | None = None
    interaction: JSON | None = None

    @property
    def ephemeral(self) -> bool:
        """Return True when only the interaction's user can see this message."""
        return bool(self.flags & FLAG_EPHEMERAL)

    def custom_ids(self) -> list[str]:
        """Return every component custom_id on the message, depth first."""
        return [item["custom_id"] for item in walk_components(self.components) if "custom_id" in item]

    def find_component(self, custom_id: str) -> JSON | None:
        """Return the component with ``custom_id`` or None."""
        stack: list[JSON] = list(self.components)
        while stack:
            item = stack.pop()
            if item.get("custom_id") == custom_id:
                return item
            for key in ("components", "accessory", "component"):
                child = item.get(key)
                if isinstance(child, list):
                    stack.extend(child)
                elif isinstance(child, dict):
                    stack.append(child)
        return None


@dataclass
class Command:
    """A registered application command: ``submitted`` as the app sent it, ``data`` normalised by Discord."""

    id: int
    application_id: int
    guild_id: int | None
    version: int
    data: JSON
    submitted: JSON = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Return the command name."""
        return str(self.data["name"])

    @property
    def type(self) -> int:
        """Return the command type (1 slash, 2 user, 3 message)."""
        return int(self.data.get("type", 1))

    def payload(self) -> JSON:
        """Return the application command object."""
        data: JSON = {
            "id": str(self.id),
            "application_id": str(self.application_id),
            "version": str(self.version),
            "type": self.type,
            "name": self.name,
            "name_localizations": self.data.get("name_localizations"),
            "description": self.data.get("description", ""),
            "description_localizations": self.data.get("description_localizations"),
            "default_member_permissions": self.data.get("default_member_permissions"),
            "dm_permission": self.data.get("dm_permission", True),
            "contexts": self.data.get("contexts"),
            "integration_types": self.data.get("integration_types", [0]),
            "nsfw": self.data.get("nsfw", False),
        }
        if "options" in self.data:
            data["options"] = self.data["options"]
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        return data


@dataclass
class Application:
    """The bot's application."""

    id: int
    name: str
    owner_id: int
    flags: int = 0
    privileged_intents: int = 0
    interactions_endpoint_url: str | None = None
