"""The test-facing driver: build a world, act as users (slash commands, buttons, modals), read results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.fake_discord.gateway import Handshake, shard_for_guild
from bot.fake_discord.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionHandle,
    InteractionRecord,
    Resolver,
    base_payload,
    build_options,
)
from bot.fake_discord.permissions import ALL_PERMISSIONS, DEFAULT_EVERYONE, HEARTH_INVITE, Overwrite, P
from bot.fake_discord.server import FakeDiscord
from bot.fake_discord.world import (
    DM,
    GUILD_TEXT,
    INTENT_GUILDS,
    JSON,
    Channel,
    Command,
    Guild,
    Member,
    Message,
    Role,
    User,
    World,
)

_SELECT_TYPES = {3, 5, 6, 7, 8}


class CommandNotAvailableError(AssertionError):
    """Discord would not offer this command to this user here (permissions or contexts)."""


class Driver:
    """Builds the fake world and plays the users' side of Discord."""

    def __init__(self, server: FakeDiscord) -> None:
        self.server = server
        self._handshake_mark = 0

    # ----- shortcuts ------------------------------------------------------------------------

    @property
    def world(self) -> World:
        """Return the world state."""
        return self.server.world

    @property
    def bot_user(self) -> User:
        """Return the bot's user."""
        return self.world.bot_user

    @property
    def owner(self) -> User:
        """Return the application owner."""
        return self.world.owner

    # ----- building the world ---------------------------------------------------------------

    def add_user(self, username: str, *, dms_open: bool = True, locale: str = "en-US") -> User:
        """Create a user."""
        user = self.world.add_user(username)
        user.dms_open = dms_open
        user.locale = locale
        return user

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
        role = self.world.add_role(guild, self.bot_user.username, permissions)
        role.managed, role.bot_id = True, self.bot_user.id
        guild.bot_role_id = role.id
        guild.members[self.bot_user.id] = Member(self.bot_user.id, guild.id, [role.id])
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
                await self.server.gateway._dispatch_to(session, "GUILD_CREATE", payload)

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
            if session.intents & (1 << 1) or member.user_id == self.bot_user.id:
                await self.server.gateway._dispatch_to(session, event, data)

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
            need = (1 << 9) if channel.guild_id is not None else (1 << 12)
            if session.intents & need:
                payload = dict(data)
                mentioned = str(self.bot_user.id) in content
                if channel.guild_id is not None and not session.intents & (1 << 15) and not mentioned:
                    payload.update(content="", embeds=[], attachments=[], components=[])
                await self.server.gateway._dispatch_to(session, "MESSAGE_CREATE", payload)
        return message

    # ----- acting as users ------------------------------------------------------------------

    def find_command(self, name: str, *, type: int = 1, guild: Guild | None = None) -> Command:
        """Return a synced command by name (guild commands first), or fail naming what is synced."""
        scopes: list[int | None] = ([guild.id] if guild else []) + [None]
        for scope in scopes:
            for command in self.world.commands.get(scope, {}).values():
                if command.name == name and command.type == type:
                    return command
        synced = sorted(c.name for s in scopes for c in self.world.commands.get(s, {}).values())
        raise CommandNotAvailableError(
            f"command {name!r} (type {type}) was never synced with Discord; synced: {synced}"
        )

    def _check_available(self, command: Command, channel: Channel, user: User) -> None:
        """Raise if Discord would hide ``command`` from ``user`` in ``channel``."""
        context = 1 if channel.type == DM else 0
        contexts = command.data.get("contexts")
        if contexts is not None and context not in contexts:
            raise CommandNotAvailableError(
                f"/{command.name} is not available in context {context} (contexts={contexts})"
            )
        guild = self.world.guild_of(channel)
        required = command.data.get("default_member_permissions")
        if guild is None or required is None:
            return
        have = self.world.guild_permissions(guild, user.id)
        needed = int(required)
        if have != ALL_PERMISSIONS and (needed == 0 or have & needed != needed):
            raise CommandNotAvailableError(
                f"{user.username} lacks default_member_permissions {required} for /{command.name} "
                "(pass enforce_permissions=False to simulate a server admin's override)"
            )

    def _base(
        self, type: int, channel: Channel, user: User, data: JSON, locale: str | None
    ) -> tuple[int, JSON]:
        """Return (id, payload) with the common interaction fields."""
        interaction_id = self.world.ids.next()
        payload = base_payload(
            self.world,
            interaction_id=interaction_id,
            type=type,
            channel=channel,
            user=user,
            data=data,
            locale=locale or user.locale,
        )
        return interaction_id, payload

    async def _fire(self, record: InteractionRecord) -> InteractionHandle:
        """Register and dispatch INTERACTION_CREATE; return the handle."""
        if self.server.gateway.current_session is None:
            raise RuntimeError("no gateway session: start the bot before invoking interactions")
        self.server.register_interaction(record)
        await self.server.dispatch("INTERACTION_CREATE", record.payload)
        return InteractionHandle(record, self.world)

    async def invoke_slash(
        self,
        channel: Channel,
        user: User,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        locale: str | None = None,
        enforce_permissions: bool = True,
    ) -> InteractionHandle:
        """Run ``/command [group] [sub]`` with typed options, as ``user`` in ``channel`` (DM or guild)."""
        name, *path = command.split()
        guild = self.world.guild_of(channel)
        cmd = self.find_command(name, guild=guild)
        if enforce_permissions:
            self._check_available(cmd, channel, user)
        built, resolved = build_options(self.world, cmd, path, options or {}, invoker=user, channel=channel)
        data: JSON = {"id": str(cmd.id), "name": cmd.name, "type": 1, "options": built}
        if resolved:
            data["resolved"] = resolved
        if cmd.guild_id is not None:
            data["guild_id"] = str(cmd.guild_id)
        interaction_id, payload = self._base(APPLICATION_COMMAND, channel, user, data, locale)
        record = InteractionRecord(
            id=interaction_id,
            type=APPLICATION_COMMAND,
            label=command,
            payload=payload,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            user_id=user.id,
            command_type=1,
        )
        return await self._fire(record)

    async def invoke_autocomplete(
        self,
        channel: Channel,
        user: User,
        command: str,
        options: Mapping[str, Any],
        *,
        focused: str,
    ) -> InteractionHandle:
        """Ask for autocomplete choices of option ``focused`` (its value is the user's partial text)."""
        name, *path = command.split()
        cmd = self.find_command(name, guild=self.world.guild_of(channel))
        built, resolved = build_options(
            self.world, cmd, path, options, invoker=user, channel=channel, focused=focused
        )
        data: JSON = {"id": str(cmd.id), "name": cmd.name, "type": 1, "options": built}
        if resolved:
            data["resolved"] = resolved
        interaction_id, payload = self._base(AUTOCOMPLETE, channel, user, data, None)
        record = InteractionRecord(
            id=interaction_id,
            type=AUTOCOMPLETE,
            label=f"{command} (autocomplete {focused})",
            payload=payload,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            user_id=user.id,
            command_type=1,
        )
        return await self._fire(record)

    async def invoke_user_context_menu(
        self, channel: Channel, user: User, name: str, target: User, *, enforce_permissions: bool = True
    ) -> InteractionHandle:
        """Run a user context-menu command on ``target``."""
        cmd = self.find_command(name, type=2, guild=self.world.guild_of(channel))
        if enforce_permissions:
            self._check_available(cmd, channel, user)
        resolver = Resolver(self.world, channel)
        resolver.user(target)
        data: JSON = {
            "id": str(cmd.id),
            "name": cmd.name,
            "type": 2,
            "target_id": str(target.id),
            "resolved": resolver.data,
        }
        return await self._fire_context(cmd, channel, user, data, name)

    async def invoke_message_context_menu(
        self, channel: Channel, user: User, name: str, message: Message, *, enforce_permissions: bool = True
    ) -> InteractionHandle:
        """Run a message context-menu command on ``message``."""
        cmd = self.find_command(name, type=3, guild=self.world.guild_of(channel))
        if enforce_permissions:
            self._check_available(cmd, channel, user)
        resolver = Resolver(self.world, channel)
        resolver.message(message)
        data: JSON = {
            "id": str(cmd.id),
            "name": cmd.name,
            "type": 3,
            "target_id": str(message.id),
            "resolved": resolver.data,
        }
        return await self._fire_context(cmd, channel, user, data, name)

    async def _fire_context(
        self, cmd: Command, channel: Channel, user: User, data: JSON, label: str
    ) -> InteractionHandle:
        """Dispatch a context-menu interaction."""
        if cmd.guild_id is not None:
            data["guild_id"] = str(cmd.guild_id)
        interaction_id, payload = self._base(APPLICATION_COMMAND, channel, user, data, None)
        record = InteractionRecord(
            id=interaction_id,
            type=APPLICATION_COMMAND,
            label=label,
            payload=payload,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            user_id=user.id,
            command_type=cmd.type,
        )
        return await self._fire(record)

    def _component_target(self, message: Message | int, custom_id: str, user: User) -> tuple[Message, JSON]:
        """Return (message, component) a user can interact with, or fail like the client would."""
        msg = self.world.messages.get(message) if isinstance(message, int) else message
        if msg is None or msg.deleted:
            raise AssertionError(f"message {message!r} does not exist (deleted?)")
        if msg.visible_to is not None and msg.visible_to != user.id:
            raise AssertionError(f"{user.username} cannot see ephemeral message {msg.id}")
        component = msg.find_component(custom_id)
        if component is None:
            raise AssertionError(
                f"message {msg.id} has no component {custom_id!r}; it has {msg.custom_ids()}"
            )
        if component.get("disabled"):
            raise AssertionError(f"component {custom_id!r} on message {msg.id} is disabled")
        return msg, component

    async def _fire_component(self, msg: Message, user: User, data: JSON, label: str) -> InteractionHandle:
        """Dispatch a component interaction from ``msg``."""
        channel = self.world.channels[msg.channel_id]
        interaction_id, payload = self._base(MESSAGE_COMPONENT, channel, user, data, None)
        payload["message"] = self.world.message_payload(msg)
        record = InteractionRecord(
            id=interaction_id,
            type=MESSAGE_COMPONENT,
            label=label,
            payload=payload,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            user_id=user.id,
            source_message_id=msg.id,
        )
        return await self._fire(record)

    async def click_button(self, message: Message | int, custom_id: str, *, user: User) -> InteractionHandle:
        """Click a button on a message."""
        msg, component = self._component_target(message, custom_id, user)
        if component.get("type") != 2 or component.get("style") == 5:
            raise AssertionError(f"{custom_id!r} is not a clickable (non-link) button")
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._fire_component(msg, user, data, custom_id)

    async def select(
        self, message: Message | int, custom_id: str, values: Sequence[Any], *, user: User
    ) -> InteractionHandle:
        """Choose ``values`` in a select menu (strings, or users/roles/channels for entity selects)."""
        msg, component = self._component_target(message, custom_id, user)
        kind = component.get("type")
        if kind not in _SELECT_TYPES:
            raise AssertionError(f"{custom_id!r} is not a select menu")
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not low <= len(values) <= high:
            raise AssertionError(f"{custom_id!r} takes {low}-{high} values, got {len(values)}")
        channel = self.world.channels[msg.channel_id]
        data: JSON = {"custom_id": custom_id, "component_type": kind}
        data["values"], resolved = self._select_values(component, values, channel, user)
        if resolved:
            data["resolved"] = resolved
        return await self._fire_component(msg, user, data, custom_id)

    def _select_values(
        self, component: JSON, values: Sequence[Any], channel: Channel, user: User
    ) -> tuple[list[str], dict[str, dict[str, JSON]]]:
        """Validate select values and build ``resolved`` for entity selects."""
        kind = component.get("type")
        if kind == 3:
            allowed = [o["value"] for o in component.get("options") or []]
            for value in values:
                if value not in allowed:
                    raise AssertionError(
                        f"{value!r} is not an option of {component.get('custom_id')!r}: {allowed}"
                    )
            return [str(v) for v in values], {}
        resolver = Resolver(self.world, channel)
        out: list[str] = []
        for value in values:
            if isinstance(value, User) and kind in (5, 7):
                out.append(resolver.user(value))
            elif isinstance(value, Role) and kind in (6, 7):
                out.append(resolver.role(value))
            elif isinstance(value, Channel) and kind == 8:
                out.append(resolver.channel_(value, user))
            else:
                raise AssertionError(f"{value!r} does not fit a select of type {kind}")
        return out, resolver.data

    async def submit_modal(
        self,
        opened_by: InteractionHandle,
        values: Mapping[str, str | bool | Sequence[str]],
        *,
        user: User | None = None,
    ) -> InteractionHandle:
        """Fill in and submit the modal that ``opened_by`` was answered with (type 9)."""
        modal = opened_by.modal
        if modal is None:
            raise AssertionError(f"{opened_by.record.describe()} did not open a modal")
        record = opened_by.record
        user = user or self.world.users[record.user_id]
        channel = self.world.channels[record.channel_id]
        known: set[str] = set()
        components = [self._modal_answer(top, values, known) for top in modal.get("components") or []]
        unknown = set(values) - known
        if unknown:
            raise AssertionError(f"modal {modal.get('custom_id')!r} has no fields {sorted(unknown)}")
        source = self.world.messages.get(record.source_message_id or 0)
        return await self.submit_modal_raw(channel, user, modal["custom_id"], components, message=source)

    def _modal_answer(self, top: JSON, values: Mapping[str, Any], known: set[str]) -> JSON:
        """Return the submitted form of one top-level modal component."""
        kind = top.get("type")
        if kind == 1:
            child = top["components"][0]
            return _with_id(top, {"type": 1, "components": [self._modal_field(child, values, known)]})
        if kind == 18:
            return _with_id(
                top, {"type": 18, "component": self._modal_field(top["component"], values, known)}
            )
        return _with_id(top, {"type": kind})

    def _modal_field(self, item: JSON, values: Mapping[str, Any], known: set[str]) -> JSON:
        """Return one answered field, enforcing required/min/max like Discord's client."""
        custom_id = item["custom_id"]
        known.add(custom_id)
        kind = item["type"]
        if kind == 4:
            value = str(values.get(custom_id, item.get("value") or ""))
            required = item.get("required", True)
            if required and not value:
                raise AssertionError(f"text input {custom_id!r} is required")
            if value and len(value) < (item.get("min_length") or 0):
                raise AssertionError(f"text input {custom_id!r} is shorter than {item['min_length']}")
            if len(value) > (item.get("max_length") or 4000):
                raise AssertionError(
                    f"text input {custom_id!r} is longer than {item.get('max_length') or 4000}"
                )
            return _with_id(item, {"type": 4, "custom_id": custom_id, "value": value})
        required = item.get("required", True)
        if kind == 21:
            picked = values.get(custom_id)
            allowed = [o["value"] for o in item.get("options") or []]
            if picked is None and required:
                raise AssertionError(f"radio group {custom_id!r} is required")
            if picked is not None and picked not in allowed:
                raise AssertionError(f"{picked!r} is not an option of radio group {custom_id!r}: {allowed}")
            return _with_id(item, {"type": kind, "custom_id": custom_id, "value": picked})
        if kind == 23:
            return _with_id(
                item, {"type": kind, "custom_id": custom_id, "value": bool(values.get(custom_id))}
            )
        chosen = [str(v) for v in values.get(custom_id, [])]
        if kind in (3, 22):
            allowed = [o["value"] for o in item.get("options") or []]
            unknown = [v for v in chosen if v not in allowed]
            if unknown:
                raise AssertionError(f"{unknown} are not options of {custom_id!r}: {allowed}")
            low = item.get("min_values", 1 if required else 0)
            high = item.get("max_values", len(allowed) if kind == 22 else 1)
            if (chosen or required) and not low <= len(chosen) <= high:
                raise AssertionError(f"{custom_id!r} takes {low}-{high} values, got {len(chosen)}")
        return _with_id(item, {"type": kind, "custom_id": custom_id, "values": chosen})

    async def submit_modal_raw(
        self,
        channel: Channel,
        user: User,
        custom_id: str,
        components: list[JSON],
        *,
        message: Message | None = None,
    ) -> InteractionHandle:
        """Submit a modal with hand-built components (for modals not opened through the driver)."""
        data: JSON = {"custom_id": custom_id, "components": components}
        interaction_id, payload = self._base(MODAL_SUBMIT, channel, user, data, None)
        if message is not None:
            payload["message"] = self.world.message_payload(message)
        record = InteractionRecord(
            id=interaction_id,
            type=MODAL_SUBMIT,
            label=custom_id,
            payload=payload,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            user_id=user.id,
            source_message_id=message.id if message else None,
        )
        return await self._fire(record)

    # ----- reading --------------------------------------------------------------------------

    def messages_in(self, channel: Channel, *, include_ephemeral: bool = False) -> list[Message]:
        """Return the live messages of a channel or thread, oldest first."""
        return [m for m in self.world.messages_in(channel.id) if include_ephemeral or not m.ephemeral]

    def dms_to(self, user: User) -> list[Message]:
        """Return the bot's (non-ephemeral) messages in its DM channel with ``user``."""
        channel_id = self.world.dm_channel_by_user.get(user.id)
        if channel_id is None:
            return []
        return [
            m
            for m in self.world.messages_in(channel_id)
            if m.author_id == self.bot_user.id and not m.ephemeral
        ]

    def threads_in(self, channel: Channel) -> list[Channel]:
        """Return the threads under a channel."""
        return [c for c in self.world.channels.values() if c.parent_id == channel.id and c.is_thread]

    def reactions_on(self, message: Message) -> dict[str, list[int]]:
        """Return emoji -> user ids who reacted."""
        return {k: list(v) for k, v in message.reactions.items() if v}

    def commands(self, guild: Guild | None = None) -> list[Command]:
        """Return the synced global (or guild) commands."""
        return list(self.world.commands.get(guild.id if guild else None, {}).values())

    def unanswered_interactions(self) -> list[InteractionRecord]:
        """Return interactions without an initial response that were not declared as such."""
        return [r for r in self.server.interactions.values() if r.initial is None and not r.expect_unanswered]

    # ----- gateway --------------------------------------------------------------------------

    @property
    def identifies(self) -> list[JSON]:
        """Return every IDENTIFY payload received."""
        return [h.payload for h in self.server.gateway.handshakes if h.kind == "IDENTIFY"]

    @property
    def intents(self) -> int | None:
        """Return the intents of the newest IDENTIFY."""
        identifies = self.identifies
        return identifies[-1].get("intents") if identifies else None

    async def drop_websocket(self, mode: str = "abort", *, code: int = 4000) -> None:
        """Disconnect the bot: abort (TCP drop), close (code), reconnect (op 7) or invalidate (op 9)."""
        self._handshake_mark = len(self.server.gateway.handshakes)
        await self.server.gateway.drop(mode, code=code)

    async def wait_for_identify_or_resume(self, timeout: float = 10.0) -> Handshake:
        """Wait for the next IDENTIFY/RESUME after the last drop and for READY/RESUMED to be sent."""
        handshake = await self.server.gateway.wait_for_handshake(self._handshake_mark, timeout)
        self._handshake_mark += 1
        return handshake


def _with_id(source: JSON, data: JSON) -> JSON:
    """Copy the numeric component ``id`` Discord echoes back, when the app set one."""
    if source.get("id") is not None:
        data["id"] = source["id"]
    return data


__all__ = ["CommandNotAvailableError", "Driver", "P"]
