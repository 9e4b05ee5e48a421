"""Interactions: building INTERACTION_CREATE like Discord, and recording how the bot answered."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.fake_discord.snowflake import iso_now
from bot.fake_discord.world import (
    FLAG_EPHEMERAL,
    JSON,
    Attachment,
    Channel,
    Command,
    Guild,
    Message,
    Role,
    User,
    World,
)

if TYPE_CHECKING:
    from bot.fake_discord.messages import UploadedFile

RESPONSE_DEADLINE = 3.0
TOKEN_LIFETIME = 15 * 60.0

PING = 1
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

CALLBACK_NAMES = {
    1: "PONG",
    4: "CHANNEL_MESSAGE_WITH_SOURCE",
    5: "DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE",
    6: "DEFERRED_UPDATE_MESSAGE",
    7: "UPDATE_MESSAGE",
    8: "APPLICATION_COMMAND_AUTOCOMPLETE_RESULT",
    9: "MODAL",
}
ALLOWED_CALLBACKS = {
    PING: {1},
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}


@dataclass
class CallbackAttempt:
    """One POST to /interactions/{id}/{token}/callback and how the fake answered it."""

    type: int
    data: JSON
    files: list[UploadedFile]
    elapsed: float
    status: int
    error_code: int | None = None

    @property
    def accepted(self) -> bool:
        """Return True if this became the interaction's initial response."""
        return self.status < 300


@dataclass
class InitialResponse:
    """The accepted initial response: type, data and flags, for assertions."""

    type: int
    data: JSON
    elapsed: float
    files: list[UploadedFile] = field(default_factory=list)

    @property
    def flags(self) -> int:
        """Return the message flags (64 = ephemeral)."""
        return int(self.data.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        """Return True for an ephemeral response (or an ephemeral defer)."""
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def content(self) -> str | None:
        """Return the message content, if any."""
        return self.data.get("content")

    @property
    def embeds(self) -> list[JSON]:
        """Return the embeds, if any."""
        return list(self.data.get("embeds") or [])

    @property
    def components(self) -> list[JSON]:
        """Return the components, if any."""
        return list(self.data.get("components") or [])

    @property
    def allowed_mentions(self) -> JSON | None:
        """Return allowed_mentions as sent."""
        return self.data.get("allowed_mentions")

    @property
    def type_name(self) -> str:
        """Return the callback type's name."""
        return CALLBACK_NAMES.get(self.type, str(self.type))


@dataclass
class WebhookCall:
    """A followup, edit or delete made with the interaction token."""

    kind: str
    message_id: int | None
    data: JSON
    files: list[UploadedFile]
    elapsed: float

    @property
    def flags(self) -> int:
        """Return the flags sent (followups may be ephemeral)."""
        return int(self.data.get("flags") or 0)

    @property
    def content(self) -> str | None:
        """Return the content sent."""
        return self.data.get("content")

    @property
    def embeds(self) -> list[JSON]:
        """Return the embeds sent."""
        return list(self.data.get("embeds") or [])


class InteractionRecord:
    """Everything the fake knows about one interaction."""

    def __init__(
        self,
        *,
        id: int,
        type: int,
        label: str,
        payload: JSON,
        channel_id: int,
        guild_id: int | None,
        user_id: int,
        source_message_id: int | None = None,
        command_type: int | None = None,
    ) -> None:
        self.id = id
        self.token: str = str(payload["token"])
        self.type = type
        self.label = label
        self.payload = payload
        self.channel_id = channel_id
        self.guild_id = guild_id
        self.user_id = user_id
        self.source_message_id = source_message_id
        self.command_type = command_type
        self.created = time.monotonic()
        self.attempts: list[CallbackAttempt] = []
        self.initial: CallbackAttempt | None = None
        self.calls: list[WebhookCall] = []
        self.original_message_id: int | None = None
        self.followup_message_ids: list[int] = []
        self.loading = False
        self.expect_unanswered = False
        self.changed = asyncio.Event()

    def elapsed(self) -> float:
        """Return seconds since the interaction was created."""
        return time.monotonic() - self.created

    def describe(self) -> str:
        """Return a one-line description for failure messages."""
        kinds = {1: "ping", 2: "command", 3: "component", 4: "autocomplete", 5: "modal submit"}
        return f"{kinds.get(self.type, self.type)} {self.label!r} (interaction {self.id})"

    def notify(self) -> None:
        """Wake anyone waiting for a change."""
        self.changed.set()
        self.changed = asyncio.Event()


class InteractionHandle:
    """What a test holds after invoking something: the initial response, followups and edits."""

    def __init__(self, record: InteractionRecord, world: World) -> None:
        self._record = record
        self._world = world

    @property
    def id(self) -> int:
        """Return the interaction id."""
        return self._record.id

    @property
    def token(self) -> str:
        """Return the interaction token."""
        return self._record.token

    @property
    def payload(self) -> JSON:
        """Return the INTERACTION_CREATE data that was dispatched."""
        return self._record.payload

    @property
    def record(self) -> InteractionRecord:
        """Return the underlying record."""
        return self._record

    @property
    def attempts(self) -> list[CallbackAttempt]:
        """Return every callback POST, including rejected ones."""
        return list(self._record.attempts)

    @property
    def followups(self) -> list[WebhookCall]:
        """Return the followup messages sent so far."""
        return [c for c in self._record.calls if c.kind == "followup"]

    @property
    def edits(self) -> list[WebhookCall]:
        """Return the edits (of @original or followups) made so far."""
        return [c for c in self._record.calls if c.kind == "edit"]

    @property
    def deletes(self) -> list[WebhookCall]:
        """Return the deletes made so far."""
        return [c for c in self._record.calls if c.kind == "delete"]

    def expire_token(self) -> None:
        """Pretend the 15-minute token lifetime has passed: webhook calls now get 401 50027."""
        self._record.created -= TOKEN_LIFETIME + 1

    def expect_no_response(self) -> None:
        """Declare that this interaction is meant to go unanswered (no teardown failure)."""
        self._record.expect_unanswered = True

    async def response(self, timeout: float = RESPONSE_DEADLINE) -> InitialResponse:
        """Return the initial response; fail the test if none came within ``timeout`` s of the invoke."""
        record = self._record
        while record.initial is None:
            remaining = record.created + timeout - time.monotonic()
            if remaining <= 0:
                break
            waiter = record.changed
            try:
                await asyncio.wait_for(waiter.wait(), remaining)
            except TimeoutError:
                break
        if record.initial is None:
            tried = ", ".join(
                f"type {a.type} -> HTTP {a.status} code {a.error_code}" for a in record.attempts
            )
            raise AssertionError(
                f"{record.describe()} got no initial response within {timeout:.1f} s "
                f"(Discord allows {RESPONSE_DEADLINE:.0f} s; R-INT-1). Callback attempts: {tried or 'none'}"
            )
        initial = record.initial
        return InitialResponse(initial.type, initial.data, initial.elapsed, initial.files)

    async def wait_for_followups(
        self, count: int = 1, timeout: float = RESPONSE_DEADLINE
    ) -> list[WebhookCall]:
        """Wait until at least ``count`` followups were sent, then return them all."""
        await self._wait(lambda: len(self.followups) >= count, timeout, f"{count} followup(s)")
        return self.followups

    async def wait_for_edits(self, count: int = 1, timeout: float = RESPONSE_DEADLINE) -> list[WebhookCall]:
        """Wait until at least ``count`` edits were made, then return them all."""
        await self._wait(lambda: len(self.edits) >= count, timeout, f"{count} edit(s)")
        return self.edits

    async def _wait(self, predicate: Any, timeout: float, what: str) -> None:
        """Wait for ``predicate`` or fail with a clear message."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{self._record.describe()}: expected {what} within {timeout:.1f} s")
            try:
                await asyncio.wait_for(self._record.changed.wait(), remaining)
            except TimeoutError:
                continue

    def original_message(self) -> Message | None:
        """Return the message the initial response created or updated (None for modals/autocomplete)."""
        mid = self._record.original_message_id
        return None if mid is None else self._world.messages.get(mid)

    def followup_messages(self) -> list[Message]:
        """Return the stored messages created by followups."""
        return [self._world.messages[m] for m in self._record.followup_message_ids]

    @property
    def modal(self) -> JSON | None:
        """Return the modal's data if the initial response opened one."""
        initial = self._record.initial
        return initial.data if initial is not None and initial.type == 9 else None

    @property
    def choices(self) -> list[JSON] | None:
        """Return autocomplete choices if this was answered with type 8."""
        initial = self._record.initial
        return list(initial.data.get("choices") or []) if initial is not None and initial.type == 8 else None


# ----- building INTERACTION_CREATE ---------------------------------------------------------------


def base_payload(
    world: World,
    *,
    interaction_id: int,
    type: int,
    channel: Channel,
    user: User,
    data: JSON | None,
    locale: str,
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
            authorizing_integration_owners={"0": str(guild.id)},
            context=0,
        )
    else:
        channel_data["permissions"] = str(world.permissions_in(channel, user.id))
        payload.update(
            user=user.payload(),
            app_permissions=str(world.bot_permissions_in(channel)),
            authorizing_integration_owners={"0": "0"},
            context=1,
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


def build_options(
    world: World,
    command: Command,
    path: Sequence[str],
    values: Mapping[str, Any],
    *,
    invoker: User,
    channel: Channel,
    focused: str | None = None,
) -> tuple[list[JSON], dict[str, dict[str, JSON]]]:
    """Return (options, resolved) for a slash command, nesting subcommand groups and subcommands."""
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
    return options, resolver.data


def interaction_message_metadata(world: World, record: InteractionRecord) -> tuple[JSON, JSON]:
    """Return (interaction_metadata, interaction) for messages created by an interaction."""
    user = world.users[record.user_id]
    metadata: JSON = {
        "id": str(record.id),
        "type": record.type,
        "user": user.payload(),
        "authorizing_integration_owners": record.payload.get("authorizing_integration_owners", {}),
    }
    if record.original_message_id is not None:
        metadata["original_response_message_id"] = str(record.original_message_id)
    legacy: JSON = {"id": str(record.id), "type": record.type, "name": record.label, "user": user.payload()}
    return metadata, legacy


def guild_of_record(world: World, record: InteractionRecord) -> Guild | None:
    """Return the guild an interaction happened in."""
    return None if record.guild_id is None else world.guilds.get(record.guild_id)


def now_iso() -> str:
    """Return the current ISO timestamp."""
    return iso_now()
