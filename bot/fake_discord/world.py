"""The fake Discord's world state and how each object is serialised to Discord JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.fake_discord.permissions import (
    ALL_PERMISSIONS,
    DEFAULT_EVERYONE,
    DM_PERMISSIONS,
    Overwrite,
    base_permissions,
    channel_permissions,
)
from bot.fake_discord.snowflake import SnowflakeFactory, iso_now

JSON = dict[str, Any]

# Channel types.
GUILD_TEXT = 0
DM = 1
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
    {GUILD_TEXT, DM, GUILD_VOICE, GUILD_ANNOUNCEMENT, GUILD_STAGE_VOICE} | THREAD_TYPES
)

# Message flags.
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_COMPONENTS_V2 = 1 << 15

# Gateway intents.
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_MESSAGE_REACTIONS = 1 << 10
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_DIRECT_MESSAGE_REACTIONS = 1 << 13
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


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
        found: list[str] = []

        def walk(items: list[JSON]) -> None:
            for item in items:
                if "custom_id" in item:
                    found.append(item["custom_id"])
                for key in ("components", "accessory", "component"):
                    child = item.get(key)
                    if isinstance(child, list):
                        walk(child)
                    elif isinstance(child, dict):
                        walk([child])

        walk(self.components)
        return found

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


DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class World:
    """Everything the fake Discord knows: users, guilds, channels, messages and commands."""

    def __init__(self, ids: SnowflakeFactory, *, token: str, attachment_base: str) -> None:
        self.ids = ids
        self.token = token
        self.attachment_base = attachment_base
        # Bytes one uploaded file may have: 10 MiB without boosts (also in DMs); sent in interactions.
        self.attachment_size_limit = DEFAULT_ATTACHMENT_SIZE_LIMIT
        self.owner = self._new_user("hearth_owner", "Hearth Owner")
        self.bot_user = self._new_user("Hearth", None, bot=True)
        self.application = Application(id=self.bot_user.id, name="Hearth", owner_id=self.owner.id)
        self.users: dict[int, User] = {self.owner.id: self.owner, self.bot_user.id: self.bot_user}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.channel_messages: dict[int, list[int]] = {}
        self.dm_channel_by_user: dict[int, int] = {}
        self.commands: dict[int | None, dict[int, Command]] = {None: {}}
        self.command_creates: dict[int | None, int] = {}
        # Thread ids per guild, so GUILD_CREATE for thousands of guilds doesn't scan every channel.
        self.thread_ids_by_guild: dict[int, list[int]] = {}
        # Message ids per nonce, oldest first, so enforce_nonce checks stay fast with many messages.
        self.message_ids_by_nonce: dict[str | int, list[int]] = {}

    def _new_user(self, username: str, global_name: str | None, *, bot: bool = False) -> User:
        """Create a user object (not yet registered)."""
        return User(id=self.ids.next(), username=username, global_name=global_name, bot=bot)

    # ----- building -------------------------------------------------------------------------

    def add_user(self, username: str, *, global_name: str | None = None, bot: bool = False) -> User:
        """Register a new user."""
        user = self._new_user(username, global_name or username.title(), bot=bot)
        self.users[user.id] = user
        return user

    def add_guild(
        self,
        name: str,
        *,
        owner: User,
        everyone_permissions: int,
        bot_permissions: int | None,
        shard: tuple[int, int] | None = None,
    ) -> Guild:
        """Create a guild with @everyone, the owner and (unless ``bot_permissions`` is None) the bot.

        ``shard`` (shard_id, num_shards) picks an id that Discord's formula puts on that shard.
        """
        guild_id = self.ids.next() if shard is None else self.ids.next_on_shard(*shard)
        guild = Guild(id=guild_id, name=name, owner_id=owner.id)
        guild.roles[guild.id] = Role(guild.id, guild.id, "@everyone", everyone_permissions)
        self.guilds[guild.id] = guild
        guild.members[owner.id] = Member(owner.id, guild.id)
        if bot_permissions is not None:
            role = Role(
                self.ids.next(), guild.id, self.bot_user.username, bot_permissions, position=1, managed=True
            )
            role.bot_id = self.bot_user.id
            guild.roles[role.id] = role
            guild.bot_role_id = role.id
            guild.members[self.bot_user.id] = Member(self.bot_user.id, guild.id, [role.id])
        return guild

    def add_role(self, guild: Guild, name: str, permissions: int, *, mentionable: bool = False) -> Role:
        """Add a role above the existing ones."""
        position = max(r.position for r in guild.roles.values()) + 1
        role = Role(self.ids.next(), guild.id, name, permissions, position=position, mentionable=mentionable)
        guild.roles[role.id] = role
        return role

    def add_member(self, guild: Guild, user: User, roles: list[int], nick: str | None = None) -> Member:
        """Add ``user`` to ``guild`` with ``roles``."""
        member = Member(user.id, guild.id, list(roles), nick)
        guild.members[user.id] = member
        return member

    def add_channel(
        self,
        guild: Guild,
        name: str,
        type: int,
        *,
        overwrites: list[Overwrite],
        parent_id: int | None = None,
        topic: str | None = None,
    ) -> Channel:
        """Create a guild channel."""
        position = len(guild.channel_ids)
        channel = Channel(
            id=self.ids.next(),
            type=type,
            name=name,
            guild_id=guild.id,
            position=position,
            parent_id=parent_id,
            topic=topic,
            overwrites=list(overwrites),
        )
        self.channels[channel.id] = channel
        guild.channel_ids.append(channel.id)
        self.channel_messages[channel.id] = []
        return channel

    def add_thread(
        self,
        parent: Channel,
        name: str,
        *,
        type: int,
        owner_id: int,
        thread_id: int | None = None,
        auto_archive_duration: int = 1440,
        invitable: bool = True,
    ) -> Channel:
        """Create a thread under ``parent`` (its id is the starter message's id when there is one)."""
        thread = Channel(
            id=thread_id or self.ids.next(),
            type=type,
            name=name,
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=owner_id,
            auto_archive_duration=auto_archive_duration,
            invitable=invitable,
            thread_members={owner_id},
        )
        self.channels[thread.id] = thread
        self.channel_messages[thread.id] = []
        if thread.guild_id is not None:
            self.thread_ids_by_guild.setdefault(thread.guild_id, []).append(thread.id)
        return thread

    def dm_channel(self, user: User) -> Channel:
        """Return (creating if needed) the DM channel between ``user`` and the bot."""
        existing = self.dm_channel_by_user.get(user.id)
        if existing is not None:
            return self.channels[existing]
        channel = Channel(id=self.ids.next(), type=DM, recipients=[user.id])
        self.channels[channel.id] = channel
        self.channel_messages[channel.id] = []
        self.dm_channel_by_user[user.id] = channel.id
        return channel

    def add_message(self, message: Message) -> Message:
        """Store a new message in its channel."""
        self.messages[message.id] = message
        self.channel_messages.setdefault(message.channel_id, []).append(message.id)
        if message.nonce is not None:
            self.message_ids_by_nonce.setdefault(message.nonce, []).append(message.id)
        channel = self.channels.get(message.channel_id)
        if channel is not None and not message.ephemeral:
            channel.last_message_id = message.id
            channel.message_count += 1
        return message

    # ----- lookups --------------------------------------------------------------------------

    def live_channel(self, channel_id: int) -> Channel | None:
        """Return the channel unless it is unknown or deleted."""
        channel = self.channels.get(channel_id)
        if channel is None or channel.deleted:
            return None
        if channel.guild_id is not None and channel.guild_id not in self.guilds:
            return None
        return channel

    def guild_of(self, channel: Channel) -> Guild | None:
        """Return the guild a channel belongs to."""
        return None if channel.guild_id is None else self.guilds.get(channel.guild_id)

    def bot_guilds(self) -> list[Guild]:
        """Return the guilds the bot is a member of."""
        return [g for g in self.guilds.values() if self.bot_user.id in g.members]

    def mutual_guild(self, user_id: int) -> bool:
        """Return True when the bot shares a guild with ``user_id``."""
        return any(user_id in g.members for g in self.bot_guilds())

    def messages_in(self, channel_id: int) -> list[Message]:
        """Return the live messages of a channel, oldest first."""
        return [
            self.messages[mid]
            for mid in self.channel_messages.get(channel_id, [])
            if not self.messages[mid].deleted
        ]

    # ----- permissions ----------------------------------------------------------------------

    def guild_permissions(self, guild: Guild, user_id: int) -> int:
        """Return a member's guild-level permissions (0 when not a member)."""
        member = guild.members.get(user_id)
        if member is None:
            return 0
        return base_permissions(
            guild_id=guild.id,
            owner_id=guild.owner_id,
            user_id=user_id,
            role_permissions={r.id: r.permissions for r in guild.roles.values()},
            member_roles=member.roles,
        )

    def permissions_in(self, channel: Channel, user_id: int) -> int:
        """Return a user's permissions in a channel (threads use their parent's overwrites)."""
        if channel.guild_id is None:
            return DM_PERMISSIONS
        guild = self.guilds[channel.guild_id]
        member = guild.members.get(user_id)
        if member is None:
            return 0
        base = self.guild_permissions(guild, user_id)
        source = channel
        if channel.is_thread and channel.parent_id is not None:
            source = self.channels[channel.parent_id]
        return channel_permissions(
            base,
            guild_id=guild.id,
            user_id=user_id,
            member_roles=member.roles,
            overwrites=source.overwrites,
            in_thread=channel.is_thread,
        )

    def bot_permissions_in(self, channel: Channel) -> int:
        """Return the bot's permissions in ``channel``."""
        return self.permissions_in(channel, self.bot_user.id)

    # ----- serialisation --------------------------------------------------------------------

    def role_payloads(self, guild: Guild) -> list[JSON]:
        """Return the guild's roles."""
        return [role.payload() for role in sorted(guild.roles.values(), key=lambda r: r.position)]

    def member_payload(self, member: Member, *, with_user: bool = True) -> JSON:
        """Return a guild member object."""
        data: JSON = {
            "nick": member.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in member.roles],
            "joined_at": member.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.users[member.user_id].payload()
        return data

    def channel_payload(self, channel: Channel) -> JSON:
        """Return a channel object of the right shape for its type."""
        if channel.type == DM:
            return {
                "id": str(channel.id),
                "type": DM,
                "last_message_id": _opt_str(channel.last_message_id),
                "flags": 0,
                "recipients": [self.users[u].payload() for u in channel.recipients],
            }
        data: JSON = {
            "id": str(channel.id),
            "type": channel.type,
            "guild_id": str(channel.guild_id),
            "name": channel.name,
            "parent_id": _opt_str(channel.parent_id),
            "flags": 0,
            "nsfw": False,
            "rate_limit_per_user": 0,
        }
        if channel.is_thread:
            data.update(
                owner_id=str(channel.owner_id),
                last_message_id=_opt_str(channel.last_message_id),
                message_count=channel.message_count,
                total_message_sent=channel.message_count,
                member_count=len(channel.thread_members),
                thread_metadata={
                    "archived": channel.archived,
                    "auto_archive_duration": channel.auto_archive_duration,
                    "archive_timestamp": channel.created_at,
                    "locked": channel.locked,
                    "invitable": channel.invitable,
                    "create_timestamp": channel.created_at,
                },
            )
            if self.bot_user.id in channel.thread_members:
                data["member"] = {
                    "id": str(channel.id),
                    "user_id": str(self.bot_user.id),
                    "join_timestamp": channel.created_at,
                    "flags": 0,
                }
            return data
        data.update(
            position=channel.position,
            permission_overwrites=[o.payload() for o in channel.overwrites],
        )
        if channel.type in (GUILD_TEXT, GUILD_ANNOUNCEMENT, GUILD_FORUM):
            data.update(topic=channel.topic, last_message_id=_opt_str(channel.last_message_id))
            data["default_auto_archive_duration"] = 1440
        if channel.type in (GUILD_VOICE, GUILD_STAGE_VOICE):
            data.update(bitrate=64000, user_limit=0, rtc_region=None, last_message_id=None)
        if channel.type == GUILD_FORUM:
            data.update(
                available_tags=[],
                default_reaction_emoji=None,
                default_sort_order=None,
                default_forum_layout=0,
            )
        return data

    def guild_payload(self, guild: Guild) -> JSON:
        """Return the guild object (REST shape)."""
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(guild.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": self.role_payloads(guild),
            "emojis": [],
            "stickers": [],
            "features": list(guild.features),
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_presences": None,
            "max_members": 500000,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": guild.preferred_locale,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
        }

    def guild_create_payload(self, guild: Guild, intents: int) -> JSON:
        """Return GUILD_CREATE's full guild: channels, threads, roles and the members the intents allow."""
        data = self.guild_payload(guild)
        members = [
            m
            for m in guild.members.values()
            if intents & INTENT_GUILD_MEMBERS or m.user_id == self.bot_user.id
        ]
        channels = [self.channels[c] for c in guild.channel_ids if not self.channels[c].deleted]
        threads = [
            c
            for c in (self.channels[t] for t in self.thread_ids_by_guild.get(guild.id, ()))
            if c.is_thread and not c.deleted and not c.archived
        ]
        data.update(
            joined_at=guild.joined_at,
            large=len(guild.members) >= 250,
            unavailable=False,
            member_count=len(guild.members),
            voice_states=[],
            members=[self.member_payload(m) for m in members],
            channels=[self.channel_payload(c) for c in channels],
            threads=[self.channel_payload(t) for t in threads],
            presences=[],
            stage_instances=[],
            guild_scheduled_events=[],
            soundboard_sounds=[],
        )
        return data

    def message_payload(self, message: Message, *, for_gateway: bool = False) -> JSON:
        """Return the message object."""
        author = self.users[message.author_id]
        data: JSON = {
            "id": str(message.id),
            "channel_id": str(message.channel_id),
            "type": message.type,
            "author": author.payload(),
            "content": message.content,
            "timestamp": message.timestamp,
            "edited_timestamp": message.edited_timestamp,
            "tts": message.tts,
            "mention_everyone": message.mention_everyone,
            "mentions": [self.users[u].payload() for u in message.mentions if u in self.users],
            "mention_roles": [str(r) for r in message.mention_roles],
            "attachments": [a.payload() for a in message.attachments],
            "embeds": message.embeds,
            "components": message.components,
            "pinned": message.pinned,
            "flags": message.flags,
        }
        if message.nonce is not None:
            data["nonce"] = message.nonce
        if message.webhook_id is not None:
            data["webhook_id"] = str(message.webhook_id)
        if message.application_id is not None:
            data["application_id"] = str(message.application_id)
        if message.interaction_metadata is not None:
            data["interaction_metadata"] = message.interaction_metadata
        if message.interaction is not None:
            data["interaction"] = message.interaction
        if message.message_reference is not None:
            data["message_reference"] = message.message_reference
            ref_id = message.message_reference.get("message_id")
            referenced = self.messages.get(int(ref_id)) if ref_id else None
            if referenced is not None and referenced is not message:
                data["referenced_message"] = None if referenced.deleted else self.message_payload(referenced)
        if message.thread_id is not None and message.thread_id in self.channels:
            data["thread"] = self.channel_payload(self.channels[message.thread_id])
        if message.reactions:
            data["reactions"] = [
                {
                    "emoji": message.reaction_emojis[key],
                    "count": len(users),
                    "count_details": {"burst": 0, "normal": len(users)},
                    "me": self.bot_user.id in users,
                    "me_burst": False,
                    "burst_colors": [],
                }
                for key, users in message.reactions.items()
                if users
            ]
        if for_gateway and message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
            guild = self.guilds.get(message.guild_id)
            member = guild.members.get(message.author_id) if guild else None
            if member is not None:
                data["member"] = self.member_payload(member, with_user=False)
        return data

    def app_info_payload(self) -> JSON:
        """Return GET /oauth2/applications/@me."""
        app = self.application
        return {
            "id": str(app.id),
            "name": app.name,
            "icon": None,
            "description": "A Discord bot for emotional safety (fake).",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": app.flags,
            "owner": self.owner.payload(),
            "team": None,
            "rpc_origins": [],
            "interactions_endpoint_url": app.interactions_endpoint_url,
            "redirect_uris": [],
            "tags": [],
            "bot": self.bot_user.payload(),
            "install_params": {"scopes": ["bot", "applications.commands"], "permissions": "309237697536"},
            "integration_types_config": {
                "0": {
                    "oauth2_install_params": {
                        "scopes": ["bot", "applications.commands"],
                        "permissions": "309237697536",
                    }
                }
            },
        }

    # ----- mentions -------------------------------------------------------------------------

    def resolve_mentions(
        self, content: str, allowed: JSON | None, guild: Guild | None, author_perms: int
    ) -> tuple[list[int], list[int], bool]:
        """Return (users, roles, everyone) that ``content`` really pings under ``allowed_mentions``."""
        if allowed is None:
            parse = {"users", "roles", "everyone"}
            users: set[int] = set()
            roles: set[int] = set()
        else:
            parse = set(allowed.get("parse", []))
            users = {int(u) for u in allowed.get("users", [])}
            roles = {int(r) for r in allowed.get("roles", [])}
        user_ids = [int(u) for u in _USER_MENTION.findall(content)]
        pinged_users = [u for u in dict.fromkeys(user_ids) if "users" in parse or u in users]
        pinged_roles: list[int] = []
        if guild is not None:
            for role_id in dict.fromkeys(int(r) for r in _ROLE_MENTION.findall(content)):
                role = guild.roles.get(role_id)
                if role is None or not ("roles" in parse or role_id in roles):
                    continue
                if role.mentionable or author_perms & (1 << 17):
                    pinged_roles.append(role_id)
        everyone = (
            guild is not None
            and "everyone" in parse
            and ("@everyone" in content or "@here" in content)
            and bool(author_perms & (1 << 17))
        )
        return pinged_users, pinged_roles, everyone


def _opt_str(value: int | None) -> str | None:
    """Return ``str(value)`` or None."""
    return None if value is None else str(value)


__all__ = ["ALL_PERMISSIONS", "DEFAULT_EVERYONE", "Application", "World"]
