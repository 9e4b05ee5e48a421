"""Building the world as a test needs it, and telling the bot's sessions what changed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.fake_discord.driving.base import DriverBase
from bot.fake_discord.intents import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILDS,
    INTENT_MESSAGE_CONTENT,
)
from bot.fake_discord.models import GUILD_TEXT, JSON, Channel, Guild, Member, Message, Role, User
from bot.fake_discord.permissions import DEFAULT_EVERYONE, HEARTH_INVITE, Overwrite
from bot.fake_discord.sharding import shard_for_guild


class WorldBuilding(DriverBase):
    """Users, guilds, channels, roles, members, permissions and messages, with their gateway events."""

    def add_user(
        self, username: str, *, dms_open: bool = True, locale: str = "en-US", installed: bool = False
    ) -> User:
        """Create a user (``installed``: they added the app to their account)."""
        user = self.world.add_user(username)
        user.dms_open = dms_open
        user.locale = locale
        if installed:
            self.install_app(user)
        return user

    def install_app(self, user: User) -> None:
        """The user installs the app to their account (integration type 1); no gateway event."""
        self.world.installed_users.add(user.id)

    def uninstall_app(self, user: User) -> None:
        """The user removes the app from their account."""
        self.world.installed_users.discard(user.id)

    def open_private_channel(self, *users: User) -> Channel:
        """A DM (two people) or group DM (three to ten) between humans, without the bot."""
        return self.world.private_channel(*users)

    async def add_guild(
        self,
        name: str = "Hearth Test",
        *,
        owner: User | None = None,
        bot_permissions: int | None = HEARTH_INVITE,
        everyone_permissions: int = DEFAULT_EVERYONE,
        text_channels: Sequence[str] = ("general",),
    ) -> Guild:
        """Create a guild (bot included unless ``bot_permissions`` is None) with some text channels."""
        owner = owner or self.add_user(f"{name.lower().replace(' ', '_')}_owner")
        guild = self.world.add_guild(
            name, owner=owner, everyone_permissions=everyone_permissions, bot_permissions=bot_permissions
        )
        for channel_name in text_channels:
            self.world.add_channel(guild, channel_name, GUILD_TEXT, overwrites=[])
        if bot_permissions is not None:
            await self._guild_create(guild, join=True)
        return guild

    async def add_guilds_on_shards(
        self, owner: User, shards: int, *, per_shard: int
    ) -> dict[int, list[Guild]]:
        """Create guilds until each of ``shards`` shards owns ``per_shard`` of them.

        Snowflakes carry the creation millisecond, so ids made in a burst share a shard; burning ids
        until one lands on the wanted shard steers the next guild there (checked, never assumed).
        """
        by_shard: dict[int, list[Guild]] = {shard: [] for shard in range(shards)}
        while any(len(guilds) < per_shard for guilds in by_shard.values()):
            wanted = next(shard for shard, guilds in by_shard.items() if len(guilds) < per_shard)
            while shard_for_guild(self.world.ids.next(), shards) != wanted:
                pass
            guild = await self.add_guild(f"Guild {sum(map(len, by_shard.values()))}", owner=owner)
            by_shard[shard_for_guild(guild.id, shards)].append(guild)
        return by_shard

    async def add_bot_to_guild(self, guild: Guild, permissions: int = HEARTH_INVITE) -> None:
        """Invite the bot to an existing guild (GUILD_CREATE, as a join)."""
        self.world.add_bot(guild, permissions)
        await self._guild_create(guild, join=True)

    async def _guild_create(self, guild: Guild, *, join: bool = False) -> None:
        """Send GUILD_CREATE to sessions that exist (new sessions get it in their READY burst)."""
        for session in list(self.server.gateway.sessions.values()):
            if not session.invalid and session.intents & INTENT_GUILDS:
                payload = self.world.guild_create_payload(guild, session.intents)
                if join:
                    # Discord sends "unavailable" only for guilds coming back from an outage or in the
                    # READY burst; discord.py tells a join (guild_join) from a return by its absence.
                    del payload["unavailable"]
                await self.server.gateway.dispatch_to(session, "GUILD_CREATE", payload)

    async def add_channel(
        self,
        guild: Guild,
        name: str,
        *,
        type: int = GUILD_TEXT,
        overwrites: Iterable[Overwrite] = (),
        parent: Channel | None = None,
        topic: str | None = None,
    ) -> Channel:
        """Create a channel (CHANNEL_CREATE)."""
        channel = self.world.add_channel(
            guild,
            name,
            type,
            overwrites=list(overwrites),
            parent_id=parent.id if parent else None,
            topic=topic,
        )
        await self.server.dispatch("CHANNEL_CREATE", self.world.channel_payload(channel))
        return channel

    async def add_role(
        self, guild: Guild, name: str, permissions: int = 0, *, mentionable: bool = False
    ) -> Role:
        """Create a role (GUILD_ROLE_CREATE)."""
        role = self.world.add_role(guild, name, permissions, mentionable=mentionable)
        await self.server.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.payload()})
        return role

    async def add_member(
        self, guild: Guild, user: User | None = None, roles: Iterable[Role] = (), *, nick: str | None = None
    ) -> Member:
        """Add a user (new one if None) to a guild (GUILD_MEMBER_ADD, only with the members intent)."""
        user = user or self.add_user(f"member{len(self.world.users)}")
        member = self.world.add_member(guild, user, [r.id for r in roles], nick)
        await self._member_event("GUILD_MEMBER_ADD", guild, member)
        return member

    async def remove_member(self, guild: Guild, user: User) -> None:
        """Take a user out of a guild (GUILD_MEMBER_REMOVE, only with the members intent)."""
        member = guild.members.pop(user.id)
        await self._member_event("GUILD_MEMBER_REMOVE", guild, member)

    async def _member_event(self, event: str, guild: Guild, member: Member) -> None:
        """Send a member event to sessions with the GUILD_MEMBERS intent (or about the bot itself)."""
        data = {**self.world.member_payload(member), "guild_id": str(guild.id)}
        for session in list(self.server.gateway.sessions.values()):
            if session.invalid:
                continue
            if session.intents & INTENT_GUILD_MEMBERS or member.user_id == self.bot_user.id:
                await self.server.gateway.dispatch_to(session, event, data)

    async def set_member_roles(self, guild: Guild, user: User, roles: Iterable[Role]) -> None:
        """Replace a member's roles (GUILD_MEMBER_UPDATE)."""
        member = guild.members[user.id]
        member.roles = [r.id for r in roles]
        await self._member_event("GUILD_MEMBER_UPDATE", guild, member)

    async def set_role_permissions(self, role: Role, permissions: int) -> None:
        """Change a role's permissions (GUILD_ROLE_UPDATE)."""
        role.permissions = permissions
        await self.server.dispatch(
            "GUILD_ROLE_UPDATE", {"guild_id": str(role.guild_id), "role": role.payload()}
        )

    async def set_everyone_permissions(self, guild: Guild, permissions: int) -> None:
        """Change @everyone's permissions."""
        await self.set_role_permissions(guild.everyone, permissions)

    async def set_bot_permissions(self, guild: Guild, permissions: int) -> None:
        """Change the permissions of the bot's managed role."""
        if guild.bot_role_id is None:
            raise ValueError("the bot is not in this guild")
        await self.set_role_permissions(guild.roles[guild.bot_role_id], permissions)

    async def set_overwrite(
        self, channel: Channel, target: Role | User | Guild, *, allow: int = 0, deny: int = 0
    ) -> None:
        """Set (replace) a role/member/@everyone overwrite on a channel (CHANNEL_UPDATE)."""
        if isinstance(target, Guild | Role):
            target_id, kind = target.id, 0
        else:
            target_id, kind = target.id, 1
        channel.overwrites = [o for o in channel.overwrites if o.id != target_id]
        if allow or deny:
            channel.overwrites.append(Overwrite(target_id, kind, int(allow), int(deny)))
        await self.server.dispatch("CHANNEL_UPDATE", self.world.channel_payload(channel))

    async def deny_bot(self, channel: Channel, permissions: int) -> None:
        """Deny the bot some permissions in one channel via a member overwrite."""
        await self.set_overwrite(channel, self.bot_user, deny=permissions)

    async def delete_channel(self, channel: Channel) -> None:
        """Delete a channel (CHANNEL_DELETE); REST calls to it then get 10003."""
        channel.deleted = True
        await self.server.dispatch("CHANNEL_DELETE", self.world.channel_payload(channel))

    async def set_guild_unavailable(self, guild: Guild, unavailable: bool = True) -> None:
        """Simulate an outage (GUILD_DELETE with unavailable) or its end (GUILD_CREATE)."""
        guild.unavailable = unavailable
        if unavailable:
            await self.server.dispatch("GUILD_DELETE", {"id": str(guild.id), "unavailable": True})
        else:
            await self._guild_create(guild)

    async def remove_bot_from_guild(self, guild: Guild) -> None:
        """Kick the bot (GUILD_DELETE without ``unavailable``)."""
        guild.members.pop(self.bot_user.id, None)
        await self.server.dispatch("GUILD_DELETE", {"id": str(guild.id)})

    def close_dms(self, user: User) -> None:
        """Make DMs to ``user`` fail with 403/50007."""
        user.dms_open = False

    def open_dms(self, user: User) -> None:
        """Allow DMs to ``user`` again."""
        user.dms_open = True

    def dm_channel(self, user: User) -> Channel:
        """Return the DM channel between ``user`` and the bot (created if needed)."""
        return self.world.dm_channel(user)

    def seed_message(
        self,
        channel: Channel,
        *,
        author: User | None = None,
        content: str = "",
        components: list[JSON] | None = None,
        embeds: list[JSON] | None = None,
    ) -> Message:
        """Store a message that already exists (e.g. posted before a restart); no event is sent."""
        message = Message(
            id=self.world.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author_id=(author or self.bot_user).id,
            content=content,
            components=list(components or []),
            embeds=list(embeds or []),
        )
        return self.world.add_message(message)

    async def send_as_user(self, channel: Channel, user: User, content: str) -> Message:
        """Post a message as a user (MESSAGE_CREATE, if the bot's intents ask for it)."""
        message = Message(
            id=self.world.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author_id=user.id,
            content=content,
        )
        self.world.add_message(message)
        data = self.world.message_payload(message, for_gateway=True)
        for session in list(self.server.gateway.sessions.values()):
            if session.invalid:
                continue
            need = INTENT_GUILD_MESSAGES if channel.guild_id is not None else INTENT_DIRECT_MESSAGES
            if session.intents & need:
                payload = dict(data)
                mentioned = str(self.bot_user.id) in content
                if (
                    channel.guild_id is not None
                    and not session.intents & INTENT_MESSAGE_CONTENT
                    and not mentioned
                ):
                    payload.update(content="", embeds=[], attachments=[], components=[])
                await self.server.gateway.dispatch_to(session, "MESSAGE_CREATE", payload)
        return message
