"""Building INTERACTION_CREATE like Discord: the common fields, typed options and the resolved map."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from bot.fake_discord.models import GROUP_DM, JSON, Attachment, Channel, Command, Message, Role, User
from bot.fake_discord.permissions import P
from bot.fake_discord.world import World

# What Discord grants an app in a DM or group DM it is not in: ATTACH_FILES, EMBED_LINKS, MENTION_EVERYONE.
PRIVATE_APP_PERMISSIONS = P.ATTACH_FILES | P.EMBED_LINKS | P.MENTION_EVERYONE


def authorizing_owners(
    world: World, channel: Channel, user: User, integration_types: Sequence[int] = (0, 1)
) -> dict[str, str]:
    """Return who authorized an interaction: "0" (guild install) and/or "1" (the user's install).

    For commands a key is only present when the command supports that install type.
    """
    owners: dict[str, str] = {}
    guild = world.guild_of(channel)
    if world.is_private_channel(channel):
        pass
    elif guild is not None:
        if world.bot_user.id in guild.members:
            owners["0"] = str(guild.id)
    else:
        owners["0"] = "0"
    if user.id in world.installed_users:
        owners["1"] = str(user.id)
    return {key: value for key, value in owners.items() if int(key) in integration_types}


def base_payload(
    world: World,
    *,
    interaction_id: int,
    type: int,
    channel: Channel,
    user: User,
    data: JSON | None,
    locale: str,
    owners: Mapping[str, str] | None = None,
    integration_types: Sequence[int] = (0, 1),
) -> JSON:
    """Return the common fields of an interaction, for a guild channel (member) or a DM (user)."""
    app = world.application
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(app.id),
        "type": type,
        "token": f"fake-itoken-{secrets.token_urlsafe(24)}",
        "version": 1,
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": world.attachment_size_limit,
    }
    if data is not None:
        payload["data"] = data
    guild = world.guild_of(channel)
    channel_data = world.channel_payload(channel)
    if guild is not None:
        member = guild.members.get(user.id)
        if member is None:
            raise ValueError(f"{user.username} is not a member of {guild.name}")
        permissions = world.permissions_in(channel, user.id)
        channel_data["permissions"] = str(permissions)
        payload.update(
            guild_id=str(guild.id),
            guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": list(guild.features)},
            guild_locale=guild.preferred_locale,
            member={**world.member_payload(member), "permissions": str(permissions)},
            app_permissions=str(world.bot_permissions_in(channel)),
            context=0,
        )
    elif world.is_private_channel(channel):
        if user.id not in channel.recipients:
            raise ValueError(f"{user.username} is not a recipient of private channel {channel.id}")
        # The bot is not a member: Discord sends a partial channel (id and type; group DMs add
        # recipients) and the app may only attach files, embed links and mention everyone.
        channel_data = {"id": str(channel.id), "type": channel.type}
        if channel.type == GROUP_DM:
            channel_data["recipients"] = [world.users[u].payload() for u in channel.recipients]
        payload.update(user=user.payload(), app_permissions=str(PRIVATE_APP_PERMISSIONS), context=2)
    else:
        channel_data["permissions"] = str(world.permissions_in(channel, user.id))
        payload.update(user=user.payload(), app_permissions=str(world.bot_permissions_in(channel)), context=1)
    payload["authorizing_integration_owners"] = (
        dict(owners) if owners is not None else authorizing_owners(world, channel, user, integration_types)
    )
    payload["channel_id"] = str(channel.id)
    payload["channel"] = channel_data
    return payload


class Resolver:
    """Collects the ``resolved`` map of an interaction."""

    def __init__(self, world: World, channel: Channel) -> None:
        self.world = world
        self.channel = channel
        self.guild = world.guild_of(channel)
        self.data: dict[str, dict[str, JSON]] = {}

    def _put(self, kind: str, key: int, value: JSON) -> None:
        """Add one resolved object."""
        self.data.setdefault(kind, {})[str(key)] = value

    def user(self, user: User) -> str:
        """Resolve a user (and their member object in a guild)."""
        self._put("users", user.id, user.payload())
        if self.guild is not None and user.id in self.guild.members:
            member = self.world.member_payload(self.guild.members[user.id], with_user=False)
            member["permissions"] = str(self.world.permissions_in(self.channel, user.id))
            self._put("members", user.id, member)
        return str(user.id)

    def role(self, role: Role) -> str:
        """Resolve a role."""
        self._put("roles", role.id, role.payload())
        return str(role.id)

    def channel_(self, channel: Channel, invoker: User) -> str:
        """Resolve a channel with the invoker's permissions in it."""
        data = self.world.channel_payload(channel)
        data["permissions"] = str(self.world.permissions_in(channel, invoker.id))
        self._put("channels", channel.id, data)
        return str(channel.id)

    def attachment(self, attachment: Attachment) -> str:
        """Resolve an uploaded attachment."""
        self._put("attachments", attachment.id, attachment.payload())
        return str(attachment.id)

    def message(self, message: Message) -> str:
        """Resolve a message (message context menus)."""
        self._put("messages", message.id, self.world.message_payload(message))
        return str(message.id)


def _coerce(
    world: World,
    resolver: Resolver,
    spec: JSON,
    value: Any,
    invoker: User,
    channel: Channel,
) -> Any:
    """Turn a test's option value into the typed JSON value Discord sends, resolving entities."""
    kind = spec["type"]
    name = spec["name"]
    if kind == 3:
        text = str(value)
        if spec.get("min_length") is not None and len(text) < spec["min_length"]:
            raise ValueError(f"option {name}: shorter than min_length {spec['min_length']}")
        if spec.get("max_length") is not None and len(text) > spec["max_length"]:
            raise ValueError(f"option {name}: longer than max_length {spec['max_length']}")
        result: Any = text
    elif kind == 4:
        if isinstance(value, bool) or int(value) != value:
            raise ValueError(f"option {name}: {value!r} is not an integer")
        result = int(value)
    elif kind == 10:
        result = float(value)
    elif kind == 5:
        if not isinstance(value, bool):
            raise ValueError(f"option {name}: {value!r} is not a boolean")
        result = value
    elif kind in (6, 8, 9):
        obj = value
        if isinstance(value, int):
            obj = world.users.get(value) or (resolver.guild.roles.get(value) if resolver.guild else None)
        if isinstance(obj, User) and kind in (6, 9):
            result = resolver.user(obj)
        elif isinstance(obj, Role) and kind in (8, 9):
            result = resolver.role(obj)
        else:
            expected = {6: "user", 8: "role", 9: "user or role"}[kind]
            raise ValueError(f"option {name}: {value!r} is not a {expected}")
    elif kind == 7:
        target = world.channels.get(value) if isinstance(value, int) else value
        if not isinstance(target, Channel):
            raise ValueError(f"option {name}: {value!r} is not a channel")
        types = spec.get("channel_types")
        if types and target.type not in types:
            raise ValueError(f"option {name}: channel type {target.type} not in {types}")
        result = resolver.channel_(target, invoker)
    elif kind == 11:
        if isinstance(value, tuple):
            filename, blob = value
            attachment = Attachment(
                world.ids.next(),
                filename,
                blob,
                "application/octet-stream",
                f"{world.attachment_base}/0/0/{filename}",
            )
        elif isinstance(value, Attachment):
            attachment = value
        else:
            raise ValueError(f"option {name}: give (filename, bytes) for an attachment")
        result = resolver.attachment(attachment)
    else:
        raise ValueError(f"option {name}: unsupported option type {kind}")
    choices = spec.get("choices")
    if choices and result not in [c["value"] for c in choices]:
        raise ValueError(
            f"option {name}: {result!r} is not one of the choices {[c['value'] for c in choices]}"
        )
    if kind in (4, 10):
        if spec.get("min_value") is not None and result < spec["min_value"]:
            raise ValueError(f"option {name}: {result} < min_value {spec['min_value']}")
        if spec.get("max_value") is not None and result > spec["max_value"]:
            raise ValueError(f"option {name}: {result} > max_value {spec['max_value']}")
    return result


def slash_command_data(
    world: World,
    command: Command,
    path: Sequence[str],
    values: Mapping[str, Any],
    *,
    invoker: User,
    channel: Channel,
    focused: str | None = None,
) -> JSON:
    """Return a slash command's interaction data: typed options and what they resolve to.

    Subcommand groups and subcommands nest the options; ``resolved`` holds the users, roles,
    channels and files they name.
    """
    resolver = Resolver(world, channel)
    specs: list[JSON] = list(command.data.get("options") or [])
    chain: list[JSON] = []
    for part in path:
        spec = next((s for s in specs if s["name"] == part and s["type"] in (1, 2)), None)
        if spec is None:
            known = [s["name"] for s in specs if s["type"] in (1, 2)]
            raise ValueError(f"/{command.name}: no subcommand (group) {part!r}; known: {known}")
        chain.append(spec)
        specs = list(spec.get("options") or [])
    if any(s["type"] in (1, 2) for s in specs):
        raise ValueError(f"/{command.name} {' '.join(path)}: a subcommand is required")
    leaf: list[JSON] = []
    by_name = {s["name"]: s for s in specs}
    for key in values:
        if key not in by_name:
            raise ValueError(
                f"/{command.name} {' '.join(path)}: unknown option {key!r}; known: {list(by_name)}"
            )
    for spec in specs:
        name = spec["name"]
        if name not in values:
            if spec.get("required") and name != focused:
                raise ValueError(f"/{command.name} {' '.join(path)}: required option {name!r} missing")
            continue
        if name == focused:
            leaf.append({"name": name, "type": spec["type"], "value": str(values[name]), "focused": True})
            continue
        value = _coerce(world, resolver, spec, values[name], invoker, channel)
        leaf.append({"name": name, "type": spec["type"], "value": value})
    options = leaf
    for spec in reversed(chain):
        options = [{"name": spec["name"], "type": spec["type"], "options": options}]
    data: JSON = {"id": str(command.id), "name": command.name, "type": 1, "options": options}
    if resolver.data:
        data["resolved"] = resolver.data
    return data
