"""The fake Discord's world: everything it knows, how it grows, and who may do what where."""

from __future__ import annotations

import re

from bot.fake_discord.models import (
    ANNOUNCEMENT_THREAD,
    DM,
    FLAG_COMPONENTS_V2,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    GROUP_DM,
    GUILD_ANNOUNCEMENT,
    GUILD_CATEGORY,
    GUILD_FORUM,
    GUILD_STAGE_VOICE,
    GUILD_TEXT,
    GUILD_VOICE,
    JSON,
    MESSAGEABLE_TYPES,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    THREAD_TYPES,
    Application,
    Attachment,
    Channel,
    Command,
    Guild,
    Member,
    Message,
    Role,
    User,
)
from bot.fake_discord.payloads import WorldPayloads
from bot.fake_discord.permissions import DM_PERMISSIONS, Overwrite, P, base_permissions, channel_permissions
from bot.fake_discord.snowflake import SnowflakeFactory

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")

DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class World(WorldPayloads):
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
        # Users who installed the app to their account (integration type 1).
        self.installed_users: set[int] = set()

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
            self.add_bot(guild, bot_permissions)
        return guild

    def add_bot(self, guild: Guild, permissions: int) -> Member:
        """Add the bot to ``guild`` with its managed role (above the others) holding ``permissions``."""
        role = self.add_role(guild, self.bot_user.username, permissions)
        role.managed, role.bot_id = True, self.bot_user.id
        guild.bot_role_id = role.id
        return self.add_member(guild, self.bot_user, [role.id])

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
        guild.channel_ids.append(channel.id)
        return self._register_channel(channel)

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
        if thread.guild_id is not None:
            self.thread_ids_by_guild.setdefault(thread.guild_id, []).append(thread.id)
        return self._register_channel(thread)

    def dm_channel(self, user: User) -> Channel:
        """Return (creating if needed) the DM channel between ``user`` and the bot."""
        existing = self.dm_channel_by_user.get(user.id)
        if existing is not None:
            return self.channels[existing]
        channel = Channel(id=self.ids.next(), type=DM, recipients=[user.id])
        self.dm_channel_by_user[user.id] = channel.id
        return self._register_channel(channel)

    def private_channel(self, *users: User) -> Channel:
        """Create a DM (two people) or group DM (three to ten) between humans; the bot is not in it."""
        if len(users) < 2 or len(users) > 10 or len({u.id for u in users}) != len(users):
            raise ValueError("a private channel needs 2 to 10 different people")
        if any(u.bot for u in users):
            raise ValueError("the bot is never a recipient of a private channel")
        if len(users) == 2:
            channel = Channel(id=self.ids.next(), type=DM, recipients=[u.id for u in users])
        else:
            name = ", ".join(u.username for u in users)
            channel = Channel(
                id=self.ids.next(),
                type=GROUP_DM,
                name=name,
                owner_id=users[0].id,
                recipients=[u.id for u in users],
            )
        return self._register_channel(channel)

    def is_private_channel(self, channel: Channel) -> bool:
        """Return True for a DM or group DM between people that the bot is not in."""
        return (
            channel.type in (DM, GROUP_DM)
            and self.dm_channel_by_user.get(channel.recipients[0] if channel.recipients else 0) != channel.id
        )

    def _register_channel(self, channel: Channel) -> Channel:
        """Store a new channel, DM or thread, with its (empty) message list."""
        self.channels[channel.id] = channel
        self.channel_messages[channel.id] = []
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
                if role.mentionable or author_perms & P.MENTION_EVERYONE:
                    pinged_roles.append(role_id)
        everyone = (
            guild is not None
            and "everyone" in parse
            and ("@everyone" in content or "@here" in content)
            and bool(author_perms & P.MENTION_EVERYONE)
        )
        return pinged_users, pinged_roles, everyone


# The records and constants live in models; the world is where tests look them up.
__all__ = [
    "ANNOUNCEMENT_THREAD",
    "DM",
    "FLAG_COMPONENTS_V2",
    "FLAG_EPHEMERAL",
    "FLAG_LOADING",
    "GROUP_DM",
    "GUILD_ANNOUNCEMENT",
    "GUILD_CATEGORY",
    "GUILD_FORUM",
    "GUILD_STAGE_VOICE",
    "GUILD_TEXT",
    "GUILD_VOICE",
    "JSON",
    "MESSAGEABLE_TYPES",
    "PRIVATE_THREAD",
    "PUBLIC_THREAD",
    "THREAD_TYPES",
    "Application",
    "Attachment",
    "Channel",
    "Command",
    "Guild",
    "Member",
    "Message",
    "Role",
    "User",
    "World",
]
